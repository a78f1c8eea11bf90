"""A replay told as it happens: entries and exits on stderr, the events table at the end.

:func:`run_replay` prints each entry and exit for people on stderr in time
order (with ``as_json``, JSON lines on stdout too), and writes the events
table at the end, or at Ctrl-C with the events so far. Paced, the fixes go
through a :class:`detect.replay.StreamingDetector` as they happen; unpaced,
they are detected at once, at the batch's speed. Used by ``airwarden
replay`` and ``airwarden demo``.
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

#: Fixes detected at a time by a replay that need not keep pace (whole tracks; a part a core beyond 50,000).
AT_ONCE_FIXES = 1 << 20


def run_replay(tracks, airspace, *, speed=None, as_json=False, out_path=None, **options) -> pd.DataFrame:
    """Replay a tracks table, printing entries and exits; the events table at the end.

    Paced (`speed` given, times the recorded pace), the fixes go in time
    order to a :class:`detect.replay.StreamingDetector` and each notice is
    printed as it happens. Unpaced, the tracks are detected at once, some
    whole tracks at a time (:func:`detect.find_violations`), and the same
    notices are printed in time order after: the batch's speed. On Ctrl-C
    the events found so far (paced: with those still open, ending at the
    last fix seen) are written to `out_path` and the command exits 130.
    """
    from tqdm import tqdm

    from plots.labels import track_callsigns
    from tracks import validate_tracks

    tracks = validate_tracks(tracks, source="tracks")
    names = dict(zip(airspace["airspace_id"], airspace["name"]))
    callsigns = track_callsigns(tracks)
    bar = tqdm(total=len(tracks), unit="fix", unit_scale=True, file=sys.stderr, desc="replay",
               disable=None, leave=False)

    def announce(notice):
        _announce(notice, names, callsigns, as_json, bar)

    try:
        if speed is None:
            events = _replay_at_once(tracks, airspace, options, bar, announce)
        else:
            events = _replay_paced(tracks, airspace, speed, options, bar, announce)
    except _Interrupted as interrupted:
        bar.close()
        _write(interrupted.events, out_path)
        click.echo(f"interrupted: {len(interrupted.events)} event(s) so far", err=True)
        sys.exit(INTERRUPTED_EXIT)
    bar.close()
    click.echo(summary(events, names), err=True)
    _write(events, out_path)
    return events


class _Interrupted(Exception):
    """Ctrl-C during a replay, with the events found so far."""

    def __init__(self, events):
        super().__init__("interrupted")
        self.events = events


def _replay_at_once(tracks, airspace, options, bar, announce) -> pd.DataFrame:
    """Detect whole tracks at a time, then announce every notice in time order; the events table."""
    import numpy as np

    from detect import find_violations, prepare_airspace
    from detect.replay import notices_of
    from tracks.runs import run_starts

    options = dict(options)
    with input_errors():
        prepared = prepare_airspace(airspace, options.pop("crs", None))
    starts = run_starts(tracks["track_id"])
    # Chunks of about AT_ONCE_FIXES fixes, cut where a track begins.
    cuts = starts[np.minimum(np.searchsorted(starts, np.arange(AT_ONCE_FIXES, len(tracks), AT_ONCE_FIXES)),
                             len(starts) - 1)] if len(starts) else []
    bounds = np.unique(np.concatenate([[0], cuts, [len(tracks)]]))
    found = []
    try:
        for lo, hi in zip(bounds[:-1], bounds[1:]):
            found.append(find_violations(tracks.iloc[lo:hi], prepared, **options))
            bar.update(int(hi - lo))
    except KeyboardInterrupt:
        raise _Interrupted(_in_order(found, tracks["track_id"].dtype)) from None
    events = _in_order(found, tracks["track_id"].dtype)
    bar.close()  # the notices follow at once: written plainly, not round the bar
    for notice in notices_of(events):
        announce(notice)
    return events


def _in_order(tables: list, track_id_dtype) -> pd.DataFrame:
    """Events tables of parts of the tracks as one, in the order :func:`detect.find_violations` gives."""
    import pandas as pd

    from detect.events import empty_events, event_order

    tables = [table for table in tables if len(table)]
    if not tables:
        return empty_events(track_id_dtype)
    events = pd.concat(tables, ignore_index=True)
    order = event_order({"track_id": events["track_id"].to_numpy(), "airspace_id": events["airspace_id"].to_numpy(),
                         "entry_time": events["entry_time"].to_numpy("datetime64[ns]")}, track_id_dtype)
    return events.iloc[order].reset_index(drop=True)


def _replay_paced(tracks, airspace, speed, options, bar, announce) -> pd.DataFrame:
    """Stream the fixes at `speed` times the recorded pace, announcing each notice; the events table."""
    from detect.events import events_from_records
    from detect.replay import StreamingDetector, batches_of_rows

    with input_errors():
        detector = StreamingDetector(airspace, **options)
    started_wall, first_time = time.monotonic(), tracks["time"].min()
    closed = []
    try:
        for batch, ended in batches_of_rows(tracks, batch_s=max(speed * 0.25, 0.001)):
            _wait_until(started_wall + (batch.time_ns.max() - first_time.value) / 1e9 / speed)
            for notice in detector.push_batch(batch) + detector.end_tracks(ended):
                announce(notice)
                if notice.kind == "exit":
                    closed.append(notice.event)
            bar.update(len(batch.time_ns))
        for notice in detector.finish():
            announce(notice)
            closed.append(notice.event)
    except KeyboardInterrupt:
        open_events = detector.open_events().to_dict("records")
        raise _Interrupted(events_from_records(closed + open_events, tracks["track_id"].dtype)) from None
    return events_from_records(closed, tracks["track_id"].dtype)


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
    if bar.disable:  # no bar on screen (closed, or not a terminal): nothing to write round
        sys.stderr.write(line + "\n")
    else:
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
