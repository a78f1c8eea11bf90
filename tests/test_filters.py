"""The time range and registry filters: hand cases, the unfiltered events filtered by hand, batch = streaming."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, note, settings
from hypothesis import strategies as st

from airspace import make_airspace
from detect import StreamingDetector, find_violations
from detect.replay import replay_events
from tests.test_core_property import N_EXAMPLES, SETTINGS, case, reproduction
from tests.test_replay import assert_same_events
from tracks import make_tracks

T0 = pd.Timestamp("2025-09-19T09:00:00Z")

#: Each track's ICAO 24-bit address and, from Annex 10's table, its state of registry.
ADDRESSES = {"MIG1": ("155555", "RUS"), "ES1": ("511001", "EST"), "FI1": ("4601F0", "FIN"),
             "TIS": ("~1A2B3C", None), "ICAO": ("F00010", None), "NOADDR": (None, None)}


def two_states():
    """Estonian airspace (lon 24-25) and a Finnish restricted area (lon 25.5-26.5), lat 59-60."""
    return make_airspace([shapely.box(24.0, 59.0, 25.0, 60.0), shapely.box(25.5, 59.0, 26.5, 60.0)],
                         airspace_id=["EE", "FI-R1"], country=["EST", "FIN"], kind=["national", "restricted"])


def eastbound():
    """Each aircraft flies east along lat 59.5 from lon 23.5 to 27.0, a fix every 30 s, one a minute after another."""
    tables = []
    for k, (track_id, (address, _)) in enumerate(ADDRESSES.items()):
        time = T0 + pd.Timedelta(minutes=k) + pd.to_timedelta(np.arange(15) * 30, unit="s")
        table = make_tracks(track_id, time, lon=np.linspace(23.5, 27.0, 15), lat=np.full(15, 59.5))
        table["icao24"] = pd.array([address] * 15, dtype="string")
        tables.append(table)
    return pd.concat(tables, ignore_index=True)


def test_events_carry_the_state_of_registry_of_their_aircraft():
    events = find_violations(eastbound(), two_states())
    assert len(events) == 2 * len(ADDRESSES)
    found = [None if pd.isna(code) else code for code in events["registry_country"]]
    assert found == [ADDRESSES[track][1] for track in events["track_id"]]


def test_without_icao24_the_registry_is_missing():
    events = find_violations(eastbound().drop(columns="icao24"), two_states())
    assert len(events) == 2 * len(ADDRESSES) and events["registry_country"].isna().all()


def test_foreign_only_drops_aircraft_in_their_own_states_airspace():
    tracks, zones = eastbound(), two_states()
    everything = find_violations(tracks, zones)
    foreign = find_violations(tracks, zones, foreign_only=True)
    by_hand = everything[everything["registry_country"].isna()
                         | (everything["registry_country"] != everything["country"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(foreign, by_hand)
    pairs = set(zip(foreign["track_id"], foreign["airspace_id"]))
    assert ("ES1", "EE") not in pairs and ("FI1", "FI-R1") not in pairs
    assert {("ES1", "FI-R1"), ("FI1", "EE"), ("MIG1", "EE"), ("TIS", "EE"), ("NOADDR", "FI-R1")} <= pairs
    assert len(foreign) == len(everything) - 2


def test_exclude_registry_drops_those_states_aircraft_and_keeps_the_unknown():
    tracks, zones = eastbound(), two_states()
    everything = find_violations(tracks, zones)
    kept = find_violations(tracks, zones, exclude_registry="rus, FIN")
    by_hand = everything[~everything["registry_country"].isin(["RUS", "FIN"]).fillna(False).astype(bool)]
    pd.testing.assert_frame_equal(kept, by_hand.reset_index(drop=True))
    assert set(kept["track_id"]) == {"ES1", "TIS", "ICAO", "NOADDR"}
    both = find_violations(tracks, zones, exclude_registry=["RUS"], foreign_only=True)
    assert "MIG1" not in set(both["track_id"]) and len(both) == len(everything) - 2 - 2


def kept_pairs(events):
    return list(zip(events["track_id"], events["airspace_id"]))


@pytest.mark.parametrize("bad, message", [
    ({"time_from": "2025-09-19T09:00"}, "has no time zone"),
    ({"time_to": "tomorrow-ish"}, "is not a time"),
    ({"time_from": "2025-09-19T10:00Z", "time_to": "2025-09-19T09:00Z"}, "is before time_from"),
    ({"exclude_registry": "FR"}, "not an ISO 3166-1 alpha-3 code"),
    ({"exclude_registry": 5}, "exclude_registry: 5 is not a list"),
    ({"min_duration_s": "10"}, "min_duration_s: '10' is not a number"),
    ({"min_depth_m": float("nan")}, "min_depth_m: nan must be at least 0"),
    ({"min_depth_m": -1.0}, "min_depth_m: -1.0 must be at least 0"),
    ({"max_gap_s": pd.Timedelta("5min")}, "max_gap_s: Timedelta.* is not a number"),
    ({"max_gap_s": 0}, "max_gap_s: 0 must be positive"),
    ({"max_gap_s": -60.0}, "max_gap_s: -60.0 must be positive"),
])
def test_bad_filter_options_are_refused_clearly(bad, message):
    with pytest.raises(ValueError, match=message):
        find_violations(eastbound(), two_states(), **bad)
    with pytest.raises(ValueError, match=message):
        StreamingDetector(two_states(), **bad)


def test_a_time_range_starts_and_ends_the_recording_at_its_bounds():
    tracks, zones = eastbound(), two_states()
    one = tracks[tracks["track_id"] == "MIG1"]
    # MIG1 moves 0.25 degrees of lon per 30 s fix from lon 23.5 at 09:00: over Estonia (lon 24-25) from
    # 09:01:00 to 09:03:00, over the Finnish area (lon 25.5-26.5) from 09:04:00 to 09:06:00.
    time_from, time_to = "2025-09-19T09:01:30Z", "2025-09-19T11:05:00+02:00"
    events = find_violations(one, zones, time_from=time_from, time_to=time_to)
    assert events["airspace_id"].tolist() == ["EE", "FI-R1"]
    ee, fi = events.iloc[0], events.iloc[1]
    assert (ee["entry_face"], ee["entry_time"]) == ("start", pd.Timestamp("2025-09-19T09:01:30Z"))
    assert np.isnan(ee["entry_uncertainty_s"]) and ee["exit_face"] == "lateral"
    assert (fi["exit_face"], fi["exit_time"]) == ("end", pd.Timestamp("2025-09-19T09:05:00Z"))
    # A lateral crossing between fixes (the path is straight in the working frame, not along the parallel).
    assert fi["entry_face"] == "lateral"
    assert abs(fi["entry_time"] - pd.Timestamp("2025-09-19T09:04:00Z")) < pd.Timedelta(seconds=0.1)
    unfiltered = find_violations(one, zones)
    assert unfiltered["entry_face"].tolist() == ["lateral", "lateral"]
    assert ee["exit_time"] == unfiltered["exit_time"].iloc[0]


def test_a_time_range_gives_the_events_of_the_fixes_within_it():
    tracks, zones = eastbound(), two_states()
    time_from, time_to = pd.Timestamp("2025-09-19T09:02:10Z"), pd.Timestamp("2025-09-19T09:07:40Z")
    within = tracks[(tracks["time"] >= time_from) & (tracks["time"] <= time_to)]
    pd.testing.assert_frame_equal(find_violations(tracks, zones, time_from=time_from, time_to=time_to),
                                  find_violations(within, zones))
    assert len(find_violations(tracks, zones, time_from="2025-09-20T00:00Z")) == 0


@pytest.mark.parametrize("batching", [{"batch_s": 20.0}, {"batch_s": 75.0}, {"batch_fixes": 7}, {"batch_fixes": 1}])
def test_streaming_gives_the_batch_events_with_every_filter(batching):
    tracks, zones = eastbound(), two_states()
    options = {"time_from": "2025-09-19T09:01:10Z", "time_to": "2025-09-19T09:09:20Z", "foreign_only": True,
               "exclude_registry": "RUS"}
    batch = find_violations(tracks, zones, **options)
    streamed = replay_events(tracks, zones, **batching, **options)
    assert len(batch) > 3
    assert_same_events(streamed, batch)
    assert streamed["registry_country"].equals(batch["registry_country"])


def test_a_detector_pushed_tables_learns_their_registries_and_filters_its_notices():
    tracks, zones = eastbound(), two_states()
    detector = StreamingDetector(zones, foreign_only=True)
    notices = []
    for _, minute in tracks.groupby(tracks["time"].dt.floor("min"), sort=True):
        notices += detector.push(minute)
    notices += detector.finish()
    entries = {(n.event["track_id"], n.event["airspace_id"]) for n in notices if n.kind == "entry"}
    exits = {(n.event["track_id"], n.event["airspace_id"]) for n in notices if n.kind == "exit"}
    expected = set(kept_pairs(find_violations(tracks, zones, foreign_only=True)))
    assert entries == exits == expected
    assert all(n.event["registry_country"] == ADDRESSES[n.event["track_id"]][1] for n in notices)


@settings(max_examples=max(N_EXAMPLES // 4, 1), **SETTINGS)
@given(case(), st.floats(0, 1), st.floats(0, 1), st.one_of(st.builds(dict, batch_s=st.floats(0.5, 120.0)),
                                                           st.builds(dict, batch_fixes=st.integers(1, 60))))
def test_a_time_range_is_the_sliced_recording_in_batch_and_streaming(c, a, b, batching):
    tracks, airspace, kw = c
    first, last = tracks["time"].min(), tracks["time"].max()
    time_from, time_to = sorted([first + a * (last - first), first + b * (last - first)])
    note(reproduction(tracks, airspace, kw) + f"time_from={time_from!r}, time_to={time_to!r}, {batching}")
    within = tracks[(tracks["time"] >= time_from) & (tracks["time"] <= time_to)]
    batch = find_violations(tracks, airspace, time_from=time_from, time_to=time_to, **kw)
    pd.testing.assert_frame_equal(batch, find_violations(within, airspace, **kw))
    assert_same_events(replay_events(tracks, airspace, time_from=time_from, time_to=time_to, **batching, **kw),
                       batch)
