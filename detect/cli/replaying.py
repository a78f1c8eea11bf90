"""A replay told as it happens: entries and exits on stderr, a summary and the events table at the end.

:func:`run_replay` prints each entry and exit for people on stderr in time
order (with ``as_json``, JSON lines on stdout too), and writes the events
table at the end, or at Ctrl-C with the events so far. Paced, the fixes go
through a :class:`detect.replay.StreamingDetector` as they happen; unpaced,
they are detected at once, at the batch's speed. The notices of each batch
(entries, exits, and the ends of tracks that stop inside: ``LOST``, exit
face ``end``) are printed in time order. An entry notice says only what is
known at the entry: where and when it crossed, never an exit, a duration or
a depth. The console ends with a summary by state, by airspace volume and
by track; the table of every event goes to the ``--out`` file. Used by
``airwarden replay`` and ``airwarden demo``.
"""

from __future__ import annotations

import json
import sys
import time
from typing import TYPE_CHECKING

import click

from detect.cli.entry import INTERRUPTED_EXIT, take_ctrl_c
from detect.cli.errors import InputError, input_errors
from detect.cli.say import quiet, say

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
    With a time range (``time_from``, ``time_to``), only its fixes are
    replayed: the pace is that of the range, not of the whole recording.

    Examples
    --------
    >>> import contextlib, io
    >>> from detect.example_data import example_tables
    >>> events, fixes, zones = example_tables()
    >>> with contextlib.redirect_stderr(io.StringIO()) as stderr:
    ...     replayed = run_replay(fixes, zones)
    >>> replayed.equals(events), stderr.getvalue().count("ENTRY")
    (True, 5)
    """
    from tqdm import tqdm

    from detect.filters import EventFilters
    from plots.labels import track_callsigns
    from tracks import validate_tracks

    in_range = EventFilters.of(options.get("time_from"), options.get("time_to"))
    tracks = in_range.fixes(validate_tracks(tracks, source="tracks"))
    names = volume_labels(dict(zip(airspace["airspace_id"], airspace["name"])))
    callsigns = track_callsigns(tracks)
    bar = tqdm(total=len(tracks), unit="fix", unit_scale=True, file=sys.stderr, desc="replay",
               disable=True if quiet() else None, leave=False)

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
        say(f"interrupted: {len(interrupted.events)} event(s) so far")
        sys.exit(INTERRUPTED_EXIT)
    bar.close()
    say(summary(events, names))
    _write(events, out_path)
    return events


def volume_labels(names: dict) -> dict:
    """Each volume's name for people, by ``airspace_id``: with the id added where another volume has that name.

    Names are not unique (two files' ``CTR``, the parts of one TMA): the
    notices and the summary by volume must still tell the volumes apart.

    Examples
    --------
    >>> volume_labels({"R1": "TRA North", "D2": "TRA North", "P3": "Vaindloo"})
    {'R1': 'TRA North (R1)', 'D2': 'TRA North (D2)', 'P3': 'Vaindloo'}
    """
    from collections import Counter

    counts = Counter(names.values())
    return {airspace_id: f"{name} ({airspace_id})" if counts[name] > 1 else name
            for airspace_id, name in names.items()}


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
        prepared = prepare_airspace(airspace, options.pop("crs", None), options.pop("terrain", None),
                                    approach_m=options.pop("approach_m", None),
                                    approach_vertical_m=options.pop("approach_vertical_m", None))
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
        take_ctrl_c()
        raise _Interrupted(_in_order(found, tracks["track_id"].dtype)) from None
    events = _in_order(found, tracks["track_id"].dtype)
    bar.close()  # the notices follow at once: written plainly, not round the bar
    for notice in notices_of(events):
        announce(notice)
    return events


def _in_order(tables: list, track_id_dtype) -> pd.DataFrame:
    """Events tables of parts of the tracks as one, in the order :func:`detect.find_violations` gives."""
    import pandas as pd

    from detect.events import empty_events, in_event_order

    tables = [table for table in tables if len(table)]
    if not tables:
        return empty_events(track_id_dtype)
    return in_event_order(pd.concat(tables, ignore_index=True), track_id_dtype)


def _replay_paced(tracks, airspace, speed, options, bar, announce) -> pd.DataFrame:
    """Stream the fixes at `speed` times the recorded pace, announcing each notice; the events table."""
    from detect.events import events_from_records
    from detect.replay import StreamingDetector, batches_of_rows, in_time_order
    from tracks import track_registries

    with input_errors():
        detector = StreamingDetector(airspace, registries=track_registries(tracks), **options)
    started_wall, first_time = time.monotonic(), tracks["time"].min()
    closed = []
    try:
        for batch, ended in batches_of_rows(tracks, batch_s=max(speed * 0.25, 0.001)):
            _wait_until(started_wall + (batch.time_ns.max() - first_time.value) / 1e9 / speed)
            for notice in in_time_order(detector.push_batch(batch) + detector.end_tracks(ended)):
                announce(notice)
                if notice.kind == "exit":
                    closed.append(notice.event)
            bar.update(len(batch.time_ns))
        for notice in in_time_order(detector.finish()):
            announce(notice)
            closed.append(notice.event)
    except KeyboardInterrupt:
        take_ctrl_c()
        open_events = detector.open_events().to_dict("records")
        raise _Interrupted(events_from_records(closed + open_events, tracks["track_id"].dtype)) from None
    return events_from_records(closed, tracks["track_id"].dtype)


ENTRY_FACTS_LEFT_OUT = ("duration_s", "max_depth_m", "deepest_time", "deepest_lon", "deepest_lat", "min_alt_m",
                        "max_alt_m", "n_fixes", "suspect", "closest_m", "closest_time", "closest_lon", "closest_lat")
"""What an entry notice does not say (besides every ``exit_*``): known only once the stay is over."""


def notice_record(notice):
    """A notice as a JSON-ready dict: ``notice`` (entry, exit or lost) and what is known at that moment.

    An exit notice carries the whole event. An entry notice carries only
    the entry side: who, which volume, when and where it crossed and how;
    the exit, duration, depth and altitude range of a stay still under way
    are not known then, so they are left out. A stay that the recording
    ends inside is announced as ``lost`` (its exit face is ``end``).

    Examples
    --------
    >>> from detect.example_data import example_tables
    >>> from detect.replay import Notice
    >>> events, _, _ = example_tables()
    >>> record = notice_record(Notice("entry", events.iloc[2].to_dict()))
    >>> record["notice"], "exit_time" in record, "max_depth_m" in record, "entry_lat" in record
    ('entry', False, False, True)
    """
    from detect.events_io import event_record

    record = event_record(notice.event)
    if notice.kind == "entry":
        record = {name: value for name, value in record.items()
                  if not name.startswith("exit_") and name not in ENTRY_FACTS_LEFT_OUT}
    return {"notice": _notice_word(notice), **record}


def _notice_word(notice):
    if notice.kind == "exit" and notice.event.get("exit_face") == "end":
        return "lost"
    return notice.kind


def event_table(events: pd.DataFrame, names: dict) -> str:
    """The events as a table for people: track, airspace, entry, exit, duration, depth, doubt.

    Examples
    --------
    >>> from detect.example_data import example_tables
    >>> events = example_tables()[0]
    >>> print(event_table(events.iloc[:1], {}).splitlines()[1].split())
    ['track', 'airspace', 'entry', '(UTC)', 'exit', '(UTC)', 'duration', 'depth', 'doubt']
    """
    import pandas as pd

    from plots.labels import distance_label, doubts, duration_label

    events = events[events["event"] == "violation"]
    if events.empty:
        return "no violations"
    table = pd.DataFrame({
        "track": events["track_id"],
        "airspace": [names.get(airspace_id, airspace_id) for airspace_id in events["airspace_id"]],
        "entry (UTC)": events["entry_time"].dt.strftime("%Y-%m-%d %H:%M:%S"),
        "exit (UTC)": events["exit_time"].dt.strftime("%H:%M:%S"),
        "duration": [duration_label(seconds) for seconds in events["duration_s"]],
        "depth": [distance_label(metres) for metres in events["max_depth_m"]],
        "doubt": [", ".join(doubts(event)) for _, event in events.iterrows()],
    })
    return f"{len(events)} violation(s):\n" + table.to_string(index=False)


SUMMARY_ROWS = 10
"""The summary by track (and by volume) lists at most this many, those with the most time inside first."""


def summary(events: pd.DataFrame, names: dict) -> str:
    """The events summed up for people: by state, by airspace volume and by track.

    Each row gives the count of events, the total time inside, the deepest
    event's depth and the count of doubtful events (suspect: resting on
    fixes flagged suspect; low certainty: a crossing known only to more
    than a minute, or at a gap). Up to :data:`SUMMARY_ROWS` events, the
    table of every event follows; the whole table is in the ``--out`` file.
    Near approaches are counted apart, on the last line
    (:func:`approach_summary`).

    Examples
    --------
    >>> from detect.example_data import example_tables
    >>> events, _, volumes = example_tables()
    >>> print(summary(events, dict(zip(volumes["airspace_id"], volumes["name"]))).splitlines()[0])
    5 violation(s) by 4 track(s), 0 doubtful
    """
    import pandas as pd

    from plots.labels import country_name, distance_label, doubts, duration_label, has_country

    approaches = approach_summary(events, names)
    events = events[events["event"] == "violation"]
    if events.empty:
        return "no violations" + approaches
    doubtful = [bool(doubts(event)) for _, event in events.iterrows()]
    table = pd.DataFrame({
        "state": [country_name(code) if has_country(code) else "(no state)" for code in events["country"]],
        "airspace": [str(names.get(airspace_id, airspace_id)) for airspace_id in events["airspace_id"]],
        "track": events["track_id"].astype(str),
        "duration_s": events["duration_s"].astype(float),
        "depth_m": events["max_depth_m"].astype(float),
        "doubtful": doubtful,
    })
    parts = [f"{len(events)} violation(s) by {table['track'].nunique()} track(s), {sum(doubtful)} doubtful"]
    for by in ("state", "airspace", "track"):
        grouped = table.groupby(by, sort=False).agg(events=("duration_s", "size"), inside=("duration_s", "sum"),
                                                    deepest=("depth_m", "max"), doubtful=("doubtful", "sum"))
        if by == "airspace" and grouped.index.equals(pd.Index(table["state"].unique())):
            continue  # national airspace only: the same rows as by state
        grouped = grouped.sort_values("inside", ascending=False)
        shown = grouped.head(SUMMARY_ROWS)
        rows = pd.DataFrame({
            by: shown.index,
            "events": shown["events"].to_numpy(),
            "time inside": [duration_label(seconds) for seconds in shown["inside"]],
            "deepest": [distance_label(metres) if metres == metres else "unknown" for metres in shown["deepest"]],
            "doubtful": shown["doubtful"].astype(int).to_numpy(),
        })
        more = len(grouped) - len(shown)
        heading = f"by {by}" + (f" (the {len(shown)} longest inside of {len(grouped)})" if more > 0 else "")
        parts.append(heading + ":\n" + rows.to_string(index=False))
    if len(events) <= SUMMARY_ROWS:
        parts.append(event_table(events, names))
    return "\n".join(parts) + approaches


def approach_summary(events: pd.DataFrame, names: dict) -> str:
    """A line on the near approaches among `events` (with its newline), or nothing when there are none.

    It counts them, those that led inside the volume, and names the
    closest of those that kept out.

    Examples
    --------
    >>> import pandas as pd
    >>> events = pd.DataFrame({"event": ["approach", "approach", "violation"], "track_id": ["A", "B", "A"],
    ...                        "airspace_id": ["R1", "R1", "R1"], "closest_m": [1852.0, 926.0, float("nan")],
    ...                        "entry_face": ["lateral"] * 3, "exit_face": ["lateral", "volume", "lateral"]})
    >>> print(approach_summary(events, {"R1": "Vaindloo"}).strip())
    2 near approach(es) by 2 track(s), 1 led inside; closest 1.85 km (1.00 NM): A near Vaindloo
    """
    from plots.labels import distance_label

    approaches = events[events["event"] == "approach"]
    if approaches.empty:
        return ""
    led_inside = approaches["exit_face"] == "volume"
    outside = approaches[~led_inside & (approaches["entry_face"] != "volume")]
    closest = outside.loc[outside["closest_m"].idxmin()] if outside["closest_m"].notna().any() else None
    line = (f"\n{len(approaches)} near approach(es) by {approaches['track_id'].nunique()} track(s), "
            f"{int(led_inside.sum())} led inside")
    if closest is not None:  # of those that kept out
        where = names.get(closest["airspace_id"], closest["airspace_id"])
        line += f"; closest {distance_label(closest['closest_m'])}: {closest['track_id']} near {where}"
    return line


def _announce(notice, names, callsigns, as_json, bar):
    from plots.labels import LOW_CERTAINTY_S, distance_label, doubts, duration_label, position_label

    event = notice.event
    if as_json:
        click.echo(json.dumps(notice_record(notice)))
    if quiet():
        return
    track = event["track_id"]
    who = f"{track} ({callsigns[track]})" if callsigns.get(track) else track
    where = names.get(event["airspace_id"], event["airspace_id"])
    if event.get("event") == "approach":
        line = _approach_line(notice, who, where)
    elif notice.kind == "entry":
        at = position_label(event["entry_lon"], event["entry_lat"])
        line = f"{event['entry_time']:%Y-%m-%d %H:%M:%S}Z  ENTRY  {who}  {where}  at {at} ({event['entry_face']})"
        if event.get("entry_uncertainty_s", 0) > LOW_CERTAINTY_S or event.get("entry_face") == "gap":
            line += f"  LOW CERTAINTY (entry \u00b1{event['entry_uncertainty_s']:.0f} s)"
    else:
        word = "LOST " if event.get("exit_face") == "end" else "EXIT "
        ending = "recording ends inside" if word == "LOST " else f"({event['exit_face']})"
        line = (f"{event['exit_time']:%Y-%m-%d %H:%M:%S}Z  {word}  {who}  {where}  after "
                f"{duration_label(event['duration_s'])}, depth {distance_label(event['max_depth_m'])} {ending}")
        doubt = doubts(event)
        if doubt:
            line += "  " + ", ".join(doubt)
    bar.write(line, file=sys.stderr)


def _approach_line(notice, who, where) -> str:
    """A near approach's notice for people: where it began, or how close it came and whether it went in."""
    from plots.labels import distance_label, duration_label, position_label

    event = notice.event
    if notice.kind == "entry":
        at = position_label(event["entry_lon"], event["entry_lat"])
        return (f"{event['entry_time']:%Y-%m-%d %H:%M:%S}Z  APPROACH  {who}  near {where}  at {at} "
                f"({event['entry_face']})")
    ending = {"end": "recording ends near", "volume": "went inside"}.get(event["exit_face"], event["exit_face"])
    return (f"{event['exit_time']:%Y-%m-%d %H:%M:%S}Z  APPROACH END  {who}  near {where}  closest "
            f"{distance_label(event['closest_m'])} at {event['closest_time']:%H:%M:%S}Z, after "
            f"{duration_label(event['duration_s'])} ({ending})")


def _write(events, out_path):
    if out_path is None:
        return
    from detect.events_io import write_events

    try:
        write_events(events, out_path)
    except Exception as error:  # writers raise many kinds (OSError, GDAL's): one line naming the file
        raise InputError(f"{out_path}: cannot write the events ({error})") from None
    say(f"{len(events)} event(s) written to {out_path}")


def _wait_until(wall_time: float) -> None:
    delay = wall_time - time.monotonic()
    if delay > 0:
        time.sleep(delay)
