"""``airwarden replay``: replay a recording and report every entry and exit as it happens.

See :mod:`detect.cli.replaying` for the replay itself.
"""

import sys
from pathlib import Path

import click

from borders import ATTRIBUTION
from detect.cli.drawing import draw_maps
from detect.cli.errors import InputError
from detect.cli.inputs import airspace_table, writable_path
from detect.cli.replaying import run_replay
from detect.cli.values import NOT_NEGATIVE, POSITIVE
from detect.event_files import EVENT_FILE_ENDINGS


@click.command("replay", epilog=ATTRIBUTION)
@click.argument("track_files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--against", "countries", default=None, metavar="CODES",
              help="National airspace of these states, e.g. EST,FIN, EU or NATO (their member states), "
                   "or all (every state in the world).")
@click.option("--airspace", "airspace_paths", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Airspace file (OpenAir or any vector file). Repeatable.")
@click.option("--format", "format_name", default=None, metavar="F",
              help="Format of the track files (default: recognised from the content).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the events table here: " + ", ".join(EVENT_FILE_ENDINGS) + ".")
@click.option("--json", "as_json", is_flag=True, help="Each entry and exit as a JSON line on stdout.")
@click.option("--maps", "maps_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Draw an incident map and an altitude profile of every event into this folder.")
@click.option("--speed", type=POSITIVE, default=None, metavar="N", help="Replay at N times the recorded pace.")
@click.option("--realtime", is_flag=True, help="Replay at the recorded pace (--speed 1).")
@click.option("--crs", default=None, help="Working projection for all airspaces.")
@click.option("--max-gap", "max_gap_s", type=POSITIVE, default=None, metavar="S",
              help="Do not interpolate across gaps longer than S seconds.")
@click.option("--min-duration", "min_duration_s", type=NOT_NEGATIVE, default=None, metavar="S",
              help="Drop events shorter than S seconds (off by default).")
@click.option("--min-depth", "min_depth_m", type=NOT_NEGATIVE, default=None, metavar="M",
              help="Drop events shallower than M metres (off by default).")
@click.option("--fail-on-violation", is_flag=True, help="Exit with status 1 when there was an event.")
def replay_command(track_files, countries, airspace_paths, format_name, out_path, as_json, maps_dir, speed,
                   realtime, crs, max_gap_s, min_duration_s, min_depth_m, fail_on_violation):
    """Replay TRACK_FILES and report every entry into and exit from the airspace.

    TRACK_FILES are recordings in any format airwarden reads (see
    `airwarden tracks --help`). Exit status: 0 whether or not there were
    violations (1 with --fail-on-violation when there were), 2 on bad usage
    or input, 130 when interrupted (the events so far are written).

    \b
    Examples:
      airwarden replay states.csv.gz --against EST,FIN --out events.csv
      airwarden replay traces/ --against POL --speed 60 --maps maps/
      airwarden replay states.csv.gz --against all --out crossings.csv   # every stay in every state
      airwarden replay radar.csv --airspace zones.txt --json > events.jsonl
    """
    if not (countries or airspace_paths):
        raise click.UsageError("give --against CODES and/or --airspace FILE")
    if speed is not None and realtime:
        raise click.UsageError("give --speed or --realtime, not both")
    if out_path is not None and out_path.suffix.lower() not in EVENT_FILE_ENDINGS:
        raise click.UsageError(f"--out must end with one of {', '.join(EVENT_FILE_ENDINGS)}")
    writable_path(out_path)
    from tracks.read import read as read_tracks

    try:
        tracks, report = read_tracks(list(track_files), format_name, progress=len(track_files) > 1)
        airspace = airspace_table(airspace_paths, countries)
    except (ValueError, OSError) as error:
        raise InputError(str(error)) from None
    click.echo(str(report), err=True)
    events = run_replay(
        tracks, airspace, speed=1.0 if realtime else speed, as_json=as_json, out_path=out_path,
        crs=crs, max_gap_s=max_gap_s, min_duration_s=min_duration_s, min_depth_m=min_depth_m,
    )
    if maps_dir is not None:
        draw_maps(events, tracks, airspace, maps_dir)
    if fail_on_violation and len(events):
        sys.exit(1)
