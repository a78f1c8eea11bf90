"""Incident maps, profiles, timeline and overview of events, drawn for a command.

Used by ``airwarden replay --maps``, ``airwarden map`` and ``airwarden demo``.
"""

import sys
from pathlib import Path


from detect.cli.entry import INTERRUPTED_EXIT, take_ctrl_c
from detect.cli.errors import InputError
from detect.cli.say import quiet, say

MANY_PICTURES = 200
"""Before drawing more pictures than this, the command says how many and about how long."""


def draw_maps(events, tracks, airspace, maps_dir: Path, *, formats=("png",), illustrative=False, numbers=None,
              choice=None, terrain=None):
    """Incident maps, profiles, timeline and overview of the events into `maps_dir`.

    `choice` holds the ``--maps-*`` options (:data:`detect.cli.options.maps_options`):
    which events get an incident map and a profile (``limit``, ``order``,
    ``where``; `numbers`, the events chosen by number) and how many
    processes draw them (``workers``). The timeline and the overview show
    every event of the table. With a `terrain` model, the profiles draw the
    ground under the fixes and AGL limits over it. Ctrl-C while they are drawn ends the command
    with status 130 and one line saying how many pictures were written.

    Examples
    --------
    >>> import contextlib, io, tempfile
    >>> from detect.example_data import example_tables
    >>> events, fixes, zones = example_tables()
    >>> with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stderr(io.StringIO()):
    ...     draw_maps(events, fixes, zones, Path(folder), numbers=[1])
    ...     names = sorted(path.name for path in Path(folder).iterdir())
    >>> names
    ['event-001_EX-DRONE1_EST.png', 'event-001_EX-DRONE1_EST_profile.png', 'overview.png', 'timeline.png']
    """
    from tqdm import tqdm

    import plots
    from plots.output import default_workers, estimated_seconds, picture_count
    from plots.selection import select_events

    if events.empty:
        say("no events: no maps drawn")
        return
    choice = dict(choice or {})
    try:
        chosen, chosen_numbers = select_events(_with_volume_names(events, airspace), limit=choice.get("limit"),
                                               order=choice.get("order") or "deepest", numbers=numbers,
                                               where=choice.get("where"))
    except ValueError as error:
        raise InputError(f"maps: {error}") from None
    chosen = chosen[events.columns]
    workers = choice.get("workers") or default_workers()
    if terrain is not None:
        tracks = tracks.assign(ground_m=terrain.ground_m(tracks["lon"].to_numpy(), tracks["lat"].to_numpy()))
    n_pictures = picture_count(len(chosen), formats) or 2 * len(formats)
    if len(chosen) < len(events):
        say(f"maps of {len(chosen):,} of the {len(events):,} events ({_chosen_words(choice, numbers)}); "
            "the timeline and overview show them all")
    if n_pictures > MANY_PICTURES:
        minutes = estimated_seconds(n_pictures, workers) / 60
        say(f"drawing {n_pictures:,} pictures with {workers} worker process(es): about "
            f"{_about(minutes)}; --maps-limit N draws the deepest N only")
    written = []

    def progress(path):
        written.append(path)
        bar.update(1)

    with tqdm(total=n_pictures, unit="picture", file=sys.stderr, desc="maps", disable=True if quiet() else None,
              leave=False) as bar:
        try:
            paths = plots.write_event_maps(chosen, tracks, airspace, maps_dir, formats=formats,
                                           illustrative=illustrative, progress=progress,
                                           numbers=chosen_numbers, workers=workers, all_events=events)
        except (ValueError, OSError) as error:
            raise InputError(f"maps: {error}") from None
        except KeyboardInterrupt:
            take_ctrl_c()
            bar.close()
            say(f"interrupted: {len(written)} picture(s) written to {maps_dir}")
            sys.exit(INTERRUPTED_EXIT)
    say(f"{len(paths)} picture(s) written to {maps_dir}")


def _with_volume_names(events, airspace):
    """`events` with the ``name`` of each one's volume from `airspace`, so that ``--maps-where`` takes names.

    Examples
    --------
    >>> import pandas as pd
    >>> zones = pd.DataFrame({"airspace_id": ["lszh-ctr"], "name": ["CTR Zürich"]})
    >>> _with_volume_names(pd.DataFrame({"airspace_id": ["lszh-ctr", "gone"]}), zones)["name"].tolist()
    ['CTR Zürich', nan]
    """
    if "name" in events.columns or airspace is None:
        return events
    return events.assign(name=events["airspace_id"].map(dict(zip(airspace["airspace_id"], airspace["name"]))))


def _about(minutes):
    if minutes < 1:
        return "under a minute"
    if minutes < 90:
        return f"{minutes:.0f} min"
    return f"{minutes / 60:.1f} h"


def _chosen_words(choice, numbers):
    words = []
    if numbers:
        words.append("chosen by number")
    if choice.get("where"):
        words.append("in " + ", ".join(choice["where"]))
    if choice.get("limit") is not None:
        words.append(f"the {choice.get('order') or 'deepest'} {choice['limit']}")
    return ", ".join(words) or "all"
