"""Durations, depths and callsigns read the same on the maps and in the command line's messages."""

import pandas as pd

from detect.cli.replaying import summary
from detect.events import EVENT_COLUMNS, events_from_records
from plots.labels import callsign_of, distance_label, duration_label, track_callsigns


def _event(duration_s, depth_m):
    entry = pd.Timestamp("2025-10-23 16:03:00", tz="UTC")
    row = dict.fromkeys(EVENT_COLUMNS, 0)
    row.update(track_id="SU30-01", airspace_id="LTU", entry_time=entry, deepest_time=entry,
               exit_time=entry + pd.Timedelta(seconds=duration_s), duration_s=duration_s, max_depth_m=depth_m,
               entry_face="lateral", exit_face="lateral", event="violation", closest_time=pd.NaT)
    return row


def test_the_summary_writes_durations_and_depths_as_the_maps_do():
    events = events_from_records([_event(431.5, 12_456.0), _event(17.6, 700.0)])
    text = summary(events, {"LTU": "Lithuania"})
    # 431.5 s is 7 min 11.5 s, rounded to the second (half to even: 432 s); 12456 m is 6.73 NM
    assert "7 min 12 s" in text and "12.5 km (6.7 NM)" in text
    # 17.6 s rounds to 18 s; 700 m is 0.378 NM
    assert "18 s" in text and "0.70 km (0.38 NM)" in text
    assert duration_label(431.5) == "7 min 12 s" and distance_label(700.0) == "0.70 km (0.38 NM)"


def test_callsigns_are_the_first_recorded_of_each_track():
    fixes = pd.DataFrame({"track_id": ["A", "A", "A", "B", "C"],
                          "callsign": [None, "RFF7012", "RFF7013", None, "SAS1"]})
    assert track_callsigns(fixes) == {"A": "RFF7012", "C": "SAS1"}
    assert callsign_of(fixes[fixes["track_id"] == "B"]) is None
    assert track_callsigns(fixes.drop(columns="callsign")) == {}


def test_the_summary_sums_up_by_state_and_track():
    other = _event(60.0, 3_000.0)
    other["track_id"] = "IL78-01"
    events = events_from_records([_event(431.5, 12_456.0), _event(17.6, 700.0), other])
    events["country"] = "LTU"
    text = summary(events, {"LTU": "Lithuania"})
    assert text.splitlines()[0] == "3 violation(s) by 2 track(s), 0 doubtful"
    by_track = text[text.index("by track"):]
    # SU30-01: 431.5 + 17.6 = 449.1 s inside, 7 min 29 s; deepest 12.5 km. IL78-01: 1 min 00 s, 3.00 km.
    su30 = next(line for line in by_track.splitlines() if line.strip().startswith("SU30-01"))
    assert su30.split()[1] == "2" and "7 min 29 s" in su30 and "12.5 km" in su30
    il78 = next(line for line in by_track.splitlines() if line.strip().startswith("IL78-01"))
    assert il78.split()[1] == "1" and "1 min 00 s" in il78 and "3.00 km" in il78
    assert "Lithuania" in text[text.index("by state"):text.index("by track")]
