"""A replay told as it happens: entries and exits on stderr, the events table at the end.

:func:`run_replay` feeds the fixes in time order to a
:class:`detect.replay.StreamingDetector`, prints each entry and exit for
people on stderr in replay time (with ``as_json``, JSON lines on stdout too),
and writes the events table at the end, or at Ctrl-C with the events so far.
Used by ``airwarden replay`` and ``airwarden demo``.
"""

from __future__ import annotations

import json
import sys
import time
from typing import TYPE_CHECKING

import click

from detect.cli.entry import INTERRUPTED_EXIT
from detect.cli.errors import InputError, input_errors

if TYPE_CHECKING:
    import pandas as pd

def run_replay(tracks, airspace, *, speed=None, as_json=False, out_path=None, **options) -> pd.DataFrame:
    """Replay a tracks table, printing entries and exits; the events table at the end.

    On Ctrl-C the events closed so far and those still open (ending at the
    last fix seen) are written to `out_path` and the command exits 130.
    """
    from tqdm import tqdm

    from detect.events import events_from_records
    from detect.replay import FAST_BATCH_FIXES, StreamingDetector, batches_of_rows
    from plots.labels import track_callsigns
    from tracks import validate_tracks

    tracks = validate_tracks(tracks, source="tracks")
    names = dict(zip(airspace["airspace_id"], airspace["name"]))
    callsigns = track_callsigns(tracks)
    with input_errors():
        detector = StreamingDetector(airspace, **options)
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
        events = events_from_records(closed + detector.open_events().to_dict("records"))
        _write(events, out_path)
        click.echo(f"interrupted: {len(events)} event(s) so far", err=True)
        sys.exit(INTERRUPTED_EXIT)
    bar.close()
    events = events_from_records(closed)
    click.echo(summary(events, names), err=True)
    _write(events, out_path)
    return events


def summary(events: pd.DataFrame, names: dict) -> str:
    """The events as a table for people: track, airspace, entry, exit, duration, depth."""
    import pandas as pd

    from plots.labels import distance_label, duration_label

    if events.empty:
        return "no violations"
    table = pd.DataFrame({
        "track": events["track_id"],
        "airspace": [names.get(airspace_id, airspace_id) for airspace_id in events["airspace_id"]],
        "entry (UTC)": events["entry_time"].dt.strftime("%Y-%m-%d %H:%M:%S"),
        "exit (UTC)": events["exit_time"].dt.strftime("%H:%M:%S"),
        "duration": [duration_label(seconds) for seconds in events["duration_s"]],
        "depth": [distance_label(metres) for metres in events["max_depth_m"]],
    })
    return f"{len(events)} violation(s):\n" + table.to_string(index=False)


def _announce(notice, names, callsigns, as_json, bar):
    from plots.labels import distance_label, duration_label

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
                f"{duration_label(event['duration_s'])}, depth {distance_label(event['max_depth_m'])} "
                f"({event['exit_face']})")
    bar.write(line, file=sys.stderr)


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
