"""``airwarden replay``, ``map`` and ``demo``: replay a recording, draw its maps.

Registered on the ``airwarden`` group by :mod:`detect.cli`. The replay feeds
the fixes in time order to a :class:`detect.replay.StreamingDetector`, prints
each entry and exit for people on stderr as it happens in replay time (with
``--json``, JSON lines on stdout too), and writes the events table at the
end, or at Ctrl-C with the events so far.

Like :mod:`detect.cli`, each function imports what it needs when it runs.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from borders import ATTRIBUTION
from detect.cli_common import NOT_NEGATIVE, POSITIVE, InputError, airspace_table, writable_path
from detect.cli_run import INTERRUPTED_EXIT
from detect.event_files import EVENT_FILE_ENDINGS

if TYPE_CHECKING:
    import pandas as pd

NM_M = 1852.0


@click.command(epilog=ATTRIBUTION)
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
def replay(track_files, countries, airspace_paths, format_name, out_path, as_json, maps_dir, speed,
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


@click.command("map")
@click.argument("events_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--tracks", "track_files", multiple=True, required=True, type=click.Path(path_type=Path),
              help="The recording the events came from. Repeatable.")
@click.option("--format", "format_name", default=None, metavar="F", help="Format of the track files.")
@click.option("--event", "event_numbers", multiple=True, type=int, metavar="N",
              help="Only event N (numbered from 1 in table order, as in the picture names). Repeatable.")
@click.option("--against", "countries", default=None, metavar="CODES",
              help="National airspace to draw (default: the states the events name).")
@click.option("--airspace", "airspace_paths", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Airspace file the events refer to. Repeatable.")
@click.option("--out-dir", "maps_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("maps"),
              show_default=True, help="Folder for the pictures.")
@click.option("--image", "image_format", type=click.Choice(["png", "svg", "pdf"]), default="png",
              show_default=True, help="Picture format.")
def map_command(events_path, track_files, format_name, event_numbers, countries, airspace_paths, maps_dir,
                image_format):
    """Draw the incident maps of the events in EVENTS_PATH (.csv, .json, .geojson, .parquet).

    \b
    Examples:
      airwarden map events.csv --tracks states.csv.gz
      airwarden map events.parquet --tracks traces/ --event 3 --image pdf
    """
    from detect.events_io import read_events
    from tracks.read import read as read_tracks

    try:
        events = read_events(events_path)
        if event_numbers:
            event_numbers = sorted(set(event_numbers))
            outside = [n for n in event_numbers if not 1 <= n <= len(events)]
            if outside:
                raise ValueError(f"{events_path}: no event {outside[0]} (it has {len(events)}, from 1)")
            events = events.iloc[[n - 1 for n in event_numbers]].reset_index(drop=True)
        tracks, _ = read_tracks(list(track_files), format_name)
        if not countries and not airspace_paths:
            countries = _national_codes(events)
        airspace = airspace_table(airspace_paths, countries)
    except (ValueError, OSError) as error:
        raise InputError(str(error)) from None
    draw_maps(events, tracks, airspace, maps_dir, formats=(image_format,), numbers=event_numbers or None)


@click.command()
@click.argument("out_dir", required=False, type=click.Path(file_okay=False, path_type=Path),
                default=Path("airwarden-demo"))
@click.option("--no-maps", is_flag=True, help="Only the events, no pictures (faster).")
def demo(out_dir, no_maps):
    """Replay the built-in illustrative scenario against national airspace.

    The airspace guarded is that of Estonia, Finland, Latvia, Lithuania and
    Poland.

    Three fast jets near Vaindloo (Estonia), a swarm of drones from Belarus
    into Poland, a fighter and a tanker from Kaliningrad briefly inside
    Lithuania, and ordinary traffic in the Gulf of Finland corridor. Writes
    the events table and every map into OUT_DIR (default airwarden-demo).
    The scenario is illustrative, built from public reports: not recorded data.
    """
    from airspace import national
    from detect.scenario import DEFENDED_COUNTRIES, ILLUSTRATIVE_NOTE, scenario_tracks

    click.secho(ILLUSTRATIVE_NOTE, err=True, bold=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    tracks = scenario_tracks()
    airspace = national(list(DEFENDED_COUNTRIES))
    click.echo(f"against the national airspace of {', '.join(airspace['name'])}", err=True)
    events = run_replay(tracks, airspace, out_path=out_dir / "events.csv")
    if not no_maps:
        draw_maps(events, tracks, airspace, out_dir, illustrative=True)
    click.secho(ILLUSTRATIVE_NOTE, err=True, bold=True)


def run_replay(tracks, airspace, *, speed=None, as_json=False, out_path=None, **options) -> pd.DataFrame:
    """Replay a tracks table, printing entries and exits; the events table at the end.

    On Ctrl-C the events closed so far and those still open (ending at the
    last fix seen) are written to `out_path` and the command exits 130.
    """
    from tqdm import tqdm

    from detect.replay import FAST_BATCH_FIXES, StreamingDetector, batches_of_rows
    from tracks import validate_tracks

    tracks = validate_tracks(tracks, source="tracks")
    names = dict(zip(airspace["airspace_id"], airspace["name"]))
    callsigns = _callsigns(tracks)
    try:
        detector = StreamingDetector(airspace, **options)
    except ValueError as error:
        raise InputError(str(error)) from None
    closed = []
    batching = {"batch_fixes": FAST_BATCH_FIXES} if speed is None else {"batch_s": max(speed * 0.25, 0.001)}
    started_wall, first_time = time.monotonic(), tracks["time"].min()
    bar = tqdm(total=len(tracks), unit="fix", unit_scale=True, file=sys.stderr, desc="replay",
               disable=None, leave=False)
    try:
        for batch, ended in batches_of_rows(tracks, **batching):
            if speed is not None:
                _wait_until(started_wall + (batch.time_ns.max() - first_time.value) / 1e9 / speed)
            for notice in detector.push_batch(batch) + detector.end_tracks(ended):
                _announce(notice, names, callsigns, as_json, bar)
                if notice.kind == "exit":
                    closed.append(notice.event)
            bar.update(len(batch.time_ns))
        for notice in detector.finish():
            _announce(notice, names, callsigns, as_json, bar)
            closed.append(notice.event)
    except KeyboardInterrupt:
        bar.close()
        events = _events_table(closed + detector.open_events().to_dict("records"))
        _write(events, out_path)
        click.echo(f"interrupted: {len(events)} event(s) so far", err=True)
        sys.exit(INTERRUPTED_EXIT)
    bar.close()
    events = _events_table(closed)
    click.echo(summary(events, names), err=True)
    _write(events, out_path)
    return events


def summary(events: pd.DataFrame, names: dict) -> str:
    """The events as a table for people: track, airspace, entry, exit, duration, depth."""
    import pandas as pd

    if events.empty:
        return "no violations"
    table = pd.DataFrame({
        "track": events["track_id"],
        "airspace": [names.get(airspace_id, airspace_id) for airspace_id in events["airspace_id"]],
        "entry (UTC)": events["entry_time"].dt.strftime("%Y-%m-%d %H:%M:%S"),
        "exit (UTC)": events["exit_time"].dt.strftime("%H:%M:%S"),
        "duration": [_duration(seconds) for seconds in events["duration_s"]],
        "depth": [_depth(metres) for metres in events["max_depth_m"]],
    })
    return f"{len(events)} violation(s):\n" + table.to_string(index=False)


def draw_maps(events, tracks, airspace, maps_dir: Path, *, formats=("png",), illustrative=False, numbers=None):
    """Incident maps, profiles, timeline and overview of the events into `maps_dir`."""
    from tqdm import tqdm

    import plots

    if events.empty:
        click.echo("no events: no maps drawn", err=True)
        return
    n_pictures = (2 * len(events) + 2) * len(formats)
    with tqdm(total=n_pictures, unit="picture", file=sys.stderr, desc="maps", disable=None, leave=False) as bar:
        try:
            paths = plots.write_event_maps(events, tracks, airspace, maps_dir, formats=formats,
                                           illustrative=illustrative, progress=lambda path: bar.update(1),
                                           numbers=numbers)
        except (ValueError, OSError) as error:
            raise InputError(f"maps: {error}") from None
    click.echo(f"{len(paths)} picture(s) written to {maps_dir}", err=True)


def _announce(notice, names, callsigns, as_json, bar):
    event = notice.event
    if as_json:
        from detect.events_io import event_record

        click.echo(json.dumps({"notice": notice.kind, **event_record(event)}))
    track = event["track_id"]
    who = f"{track} ({callsigns[track]})" if callsigns.get(track) else track
    where = names.get(event["airspace_id"], event["airspace_id"])
    if notice.kind == "entry":
        at = f"{event['entry_lat']:.4f}N {event['entry_lon']:.4f}E"
        line = f"{event['entry_time']:%Y-%m-%d %H:%M:%S}Z  ENTRY  {who}  {where}  at {at} ({event['entry_face']})"
    else:
        line = (f"{event['exit_time']:%Y-%m-%d %H:%M:%S}Z  EXIT   {who}  {where}  after "
                f"{_duration(event['duration_s'])}, depth {_depth(event['max_depth_m'])} ({event['exit_face']})")
    bar.write(line, file=sys.stderr)


def _callsigns(tracks) -> dict:
    if "callsign" not in tracks.columns:
        return {}
    first = tracks.dropna(subset=["callsign"]).groupby("track_id", sort=False)["callsign"].first()
    return first.to_dict()


def _duration(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)} min {rest:04.1f} s" if minutes else f"{rest:.1f} s"


def _depth(metres: float) -> str:
    return f"{metres / 1000:.2f} km ({metres / NM_M:.2f} NM)"


def _events_table(rows) -> pd.DataFrame:
    import pandas as pd

    from detect.events import EVENT_COLUMNS

    events = pd.DataFrame(rows, columns=list(EVENT_COLUMNS)).astype(EVENT_COLUMNS)
    return events.sort_values(["track_id", "entry_time", "airspace_id"], kind="stable", ignore_index=True)


def _write(events, out_path):
    if out_path is None:
        return
    from detect.events_io import write_events

    try:
        write_events(events, out_path)
    except Exception as error:  # writers raise many kinds (OSError, GDAL's): one line naming the file
        raise InputError(f"{out_path}: cannot write the events ({error})") from None
    click.echo(f"{len(events)} event(s) written to {out_path}", err=True)


def _wait_until(wall_time: float) -> None:
    delay = wall_time - time.monotonic()
    if delay > 0:
        time.sleep(delay)


def _national_codes(events) -> str | None:
    """The states of national airspace ids (``national-EST``) the events name."""
    ids = events["airspace_id"].dropna().unique()
    codes = sorted({airspace_id.split("-", 1)[1] for airspace_id in ids if airspace_id.startswith("national-")})
    if not codes:
        raise ValueError("the events name no national airspace: give --against or --airspace")
    return ",".join(codes)
