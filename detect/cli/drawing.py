"""Incident maps, profiles, timeline and overview of events, drawn for a command.

Used by ``airwarden replay --maps``, ``airwarden map`` and ``airwarden demo``.
"""

import sys
from pathlib import Path

import click

from detect.cli.entry import INTERRUPTED_EXIT
from detect.cli.errors import InputError


def draw_maps(events, tracks, airspace, maps_dir: Path, *, formats=("png",), illustrative=False, numbers=None):
    """Incident maps, profiles, timeline and overview of the events into `maps_dir`.

    Ctrl-C while they are drawn ends the command with status 130 and one
    line saying how many pictures were written.
    """
    from tqdm import tqdm

    import plots

    if events.empty:
        click.echo("no events: no maps drawn", err=True)
        return
    n_pictures = (2 * len(events) + 2) * len(formats)
    written = []

    def progress(path):
        written.append(path)
        bar.update(1)

    with tqdm(total=n_pictures, unit="picture", file=sys.stderr, desc="maps", disable=None, leave=False) as bar:
        try:
            paths = plots.write_event_maps(events, tracks, airspace, maps_dir, formats=formats,
                                           illustrative=illustrative, progress=progress, numbers=numbers)
        except (ValueError, OSError) as error:
            raise InputError(f"maps: {error}") from None
        except KeyboardInterrupt:
            bar.close()
            click.echo(f"interrupted: {len(written)} picture(s) written to {maps_dir}", err=True)
            sys.exit(INTERRUPTED_EXIT)
    click.echo(f"{len(paths)} picture(s) written to {maps_dir}", err=True)
