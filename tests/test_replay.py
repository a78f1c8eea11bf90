"""The streaming detector gives the events of the batch core.

The property test feeds random cases (the generator of the core's property
tests: random airspaces with limits and activation windows, random tracks,
with and without ``max_gap_s``) in time order, in batches of random length,
and compares every column with :func:`detect.find_violations` on the whole
table: exactly for labels, faces and fix counts, to the nanosecond-rounding
of the batch's own clock for times, and to the depth search's tolerance for
depth.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, note, settings
from hypothesis import strategies as st

from airspace import make_airspace
from detect import find_violations
from detect.replay import StreamingDetector, replay_events, time_batches
from tests.test_core_property import N_EXAMPLES, SETTINGS, case, reproduction
from tracks import make_tracks

T0 = pd.Timestamp("2025-09-19T09:00:00Z")
EXACT = ["track_id", "airspace_id", "country", "kind", "entry_face", "exit_face", "alt_source", "n_fixes", "suspect"]
TIMES = ["entry_time", "exit_time"]
CLOSE = ["duration_s", "entry_uncertainty_s", "exit_uncertainty_s", "entry_lon", "entry_lat", "exit_lon",
         "exit_lat", "min_alt_m", "max_alt_m"]


def assert_same_events(streamed, batch):
    assert len(streamed) == len(batch)
    pd.testing.assert_frame_equal(streamed[EXACT].reset_index(drop=True), batch[EXACT].reset_index(drop=True))
    for name in TIMES:
        gap_ns = np.abs(streamed[name].astype("int64").to_numpy() - batch[name].astype("int64").to_numpy())
        assert gap_ns.max(initial=0) <= 1_000, name
    for name in CLOSE:
        np.testing.assert_allclose(streamed[name], batch[name], rtol=1e-9, atol=1e-6, err_msg=name)
    np.testing.assert_allclose(streamed["max_depth_m"], batch["max_depth_m"], atol=0.1)


@settings(max_examples=max(N_EXAMPLES // 2, 1), **SETTINGS)
@given(case(), st.one_of(st.builds(dict, batch_s=st.floats(0.5, 120.0)),
                         st.builds(dict, batch_fixes=st.integers(1, 60))))
def test_streaming_gives_the_batch_events(c, batching):
    tracks, airspace, kw = c
    note(reproduction(tracks, airspace, kw) + f"batching={batching}")
    batch = find_violations(tracks, airspace, **kw)
    streamed = replay_events(tracks, airspace, **batching, **kw)
    assert_same_events(streamed, batch)


def box_zone():
    """A 0.2 x 0.1 degree box: lon 24.0-24.2, lat 59.0-59.1."""
    return make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), airspace_id="R1", country="EST")


def east_track(seconds, lons, lat=59.05, track_id="MIG1"):
    return make_tracks(track_id, T0 + pd.to_timedelta(seconds, unit="s"), lons, [lat] * len(lons),
                       alt_baro_m=[9000.0] * len(lons))


def test_an_event_opens_in_one_batch_and_closes_in_a_later_one():
    fixes = east_track([0, 60, 120, 180], [23.9, 24.05, 24.15, 24.3])
    detector = StreamingDetector(box_zone())
    first = detector.push(fixes.iloc[:2])
    assert [notice.kind for notice in first] == ["entry"]
    assert detector.open_events()["airspace_id"].tolist() == ["R1"]
    assert detector.push(fixes.iloc[2:3]) == []  # still inside
    last = detector.push(fixes.iloc[3:])
    assert [(notice.kind, notice.event["exit_face"]) for notice in last] == [("exit", "lateral")]
    # Entry at lon 24.0 on the first piece (23.9 -> 24.05 in 60 s), exit at 24.2 on
    # the last; within 1 ms, as the path is straight in the working projection.
    event = last[0].event
    assert (event["entry_time"] - T0).total_seconds() == pytest.approx(40, abs=1e-3)
    assert (event["exit_time"] - T0).total_seconds() == pytest.approx(120 + 60 * 0.05 / 0.15, abs=1e-3)
    assert event["n_fixes"] == 2
    assert detector.finish() == []


def test_a_gap_closes_the_event_at_the_last_fix_before_it():
    fixes = east_track([0, 60, 600, 660], [23.9, 24.05, 24.1, 24.3])
    detector = StreamingDetector(box_zone(), max_gap_s=120)
    detector.push(fixes.iloc[:2])
    notices = detector.push(fixes.iloc[2:])
    kinds = [(notice.kind, notice.event["entry_face"], notice.event["exit_face"]) for notice in notices]
    assert kinds == [("exit", "lateral", "gap"), ("entry", "gap", "lateral"), ("exit", "gap", "lateral")]
    assert notices[0].event["exit_uncertainty_s"] == 540.0
    assert notices[1].event["entry_uncertainty_s"] == 540.0


def test_finish_closes_what_is_open_at_the_end_of_the_recording():
    fixes = east_track([0, 60], [23.9, 24.05])
    detector = StreamingDetector(box_zone())
    detector.push(fixes)
    notices = detector.finish()
    assert [(notice.kind, notice.event["exit_face"]) for notice in notices] == [("exit", "end")]
    assert detector.open_events().empty


def test_fixes_going_back_in_time_are_refused():
    fixes = east_track([0, 60], [23.9, 24.05])
    detector = StreamingDetector(box_zone())
    detector.push(fixes.iloc[1:])
    with pytest.raises(ValueError, match="back in time"):
        detector.push(fixes.iloc[:1])


def test_ids_of_another_kind_than_those_pushed_before_are_refused_until_finished():
    fixes = east_track([0, 60, 120], [23.9, 24.05, 24.3], track_id="7")
    numbered = fixes.assign(track_id=7)
    detector = StreamingDetector(box_zone())
    assert [notice.kind for notice in detector.push(numbered.iloc[:2])] == ["entry"]
    with pytest.raises(ValueError, match="track_id of dtype"):
        detector.push(fixes.iloc[2:])  # "7" after 7: the same aircraft under two names
    assert detector.open_events()["track_id"].tolist() == [7]
    detector.finish()
    assert [notice.kind for notice in detector.push(fixes.iloc[:2])] == ["entry"]


def test_filters_apply_to_closed_events():
    fixes = east_track([0, 60, 120], [23.9, 24.05, 24.3])
    assert replay_events(fixes, box_zone(), min_duration_s=1000).empty
    assert len(replay_events(fixes, box_zone(), min_duration_s=10)) == 1


def test_with_duration_or_depth_filters_every_entry_announced_is_of_a_kept_event_and_has_its_exit():
    # Two stays in R1, pushed one fix at a time: about 5 s and 600 m deep, then 3 min and 5.6 km deep.
    fixes = east_track([0, 40, 60, 120, 180, 240, 300], [23.9, 24.01, 23.9, 24.1, 24.1, 24.1, 24.3])
    for filters in ({"min_duration_s": 30.0}, {"min_depth_m": 1000.0}):
        kept = find_violations(fixes, box_zone(), **filters)
        assert len(kept) == 1 < len(find_violations(fixes, box_zone()))
        detector = StreamingDetector(box_zone(), **filters)
        notices = [notice for k in range(len(fixes)) for notice in detector.push(fixes.iloc[k:k + 1])]
        notices += detector.finish()
        entries = [notice.event["entry_time"].round("ms") for notice in notices if notice.kind == "entry"]
        exits = [notice.event["entry_time"].round("ms") for notice in notices if notice.kind == "exit"]
        assert entries == exits == kept["entry_time"].dt.round("ms").tolist(), filters


def test_time_batches_cover_every_fix_once_in_time_order():
    a = east_track([0, 50, 130], [23.9, 24.0, 24.1], track_id="A")
    b = east_track([10, 70], [23.9, 24.0], track_id="B")
    batches = list(time_batches(pd.concat([a, b], ignore_index=True), 60))
    seconds = [sorted((batch["time"] - T0).dt.total_seconds().tolist()) for batch, _ in batches]
    assert seconds == [[0, 10, 50], [70], [130]]
    assert [ended for _, ended in batches] == [[], ["B"], ["A"]]


def test_an_ended_track_is_forgotten_and_its_event_closed():
    fixes = east_track([0, 60], [23.9, 24.05])
    detector = StreamingDetector(box_zone())
    detector.push(fixes)
    notices = detector.end_tracks(["MIG1"])
    assert [(notice.kind, notice.event["exit_face"]) for notice in notices] == [("exit", "end")]
    assert detector.open_events().empty and detector.finish() == []


def test_batches_of_rows_give_the_notices_of_pushed_tables_and_keep_integer_ids():
    from detect.replay import batches_of_rows

    fixes = pd.concat([east_track([0, 60, 120, 180], [23.9, 24.05, 24.1, 24.3], track_id=track)
                       for track in ("7", "12")], ignore_index=True)
    fixes["track_id"] = fixes["track_id"].astype("int64")
    by_table, by_rows = StreamingDetector(box_zone()), StreamingDetector(box_zone())
    for (table, ended_a), (batch, ended_b) in zip(time_batches(fixes, 90), batches_of_rows(fixes, 90)):
        assert ended_a == ended_b
        pushed = by_table.push(table, validated=True)
        taken = by_rows.push_batch(batch)
        assert [(n.kind, n.event["track_id"], n.event["entry_time"]) for n in pushed] == \
            [(n.kind, n.event["track_id"], n.event["entry_time"]) for n in taken]
        assert by_rows.open_events()["track_id"].dtype == np.int64
        if batch.time_ns.max() < T0.value + 90e9:  # both tracks inside R1 at 60 s: open, ids kept
            assert sorted(by_rows.open_events()["track_id"]) == [7, 12]
    assert by_rows.open_events().empty and by_rows.finish() == []  # both left R1 at 180 s


def test_batches_that_settle_a_stay_are_not_detected_and_the_stay_is_the_batch_one(monkeypatch):
    import detect.replay as replay

    # A 2 x 1 degree zone crossed west to east at 250 m/s, a fix every 4 s: 460 fixes inside.
    zone = make_airspace(shapely.box(24.0, 58.5, 26.0, 59.5), airspace_id="R2", country="EST")
    seconds = np.arange(0, 1700, 4.0)
    lons = 23.95 + seconds * 250.0 / (111_320 * np.cos(np.radians(59.05)))
    lats = 59.05 + 0.3 * np.sin(seconds / 500)
    fixes = make_tracks("MIG1", T0 + pd.to_timedelta(seconds, unit="s"), lons, lats, alt_baro_m=9000.0 + seconds)
    detected = []
    real = replay.events_in_threads

    def counting(fixes, *args, **kwargs):
        detected.append(len(fixes.time_ns))
        return real(fixes, *args, **kwargs)

    monkeypatch.setattr(replay, "events_in_threads", counting)
    streamed = replay_events(fixes, zone, batch_fixes=1)
    # A batch is detected only where its piece comes within a few cells (2 km a cell here) of the edge.
    km_to_edge = np.minimum.reduce([(lons - 24.0) * 57.2, (26.0 - lons) * 57.2, (lats - 58.5) * 111.2,
                                    (59.5 - lats) * 111.2])
    assert 2 <= len(detected) <= np.count_nonzero(np.abs(km_to_edge) < 10.0), len(detected)
    assert len(detected) < len(fixes) / 10
    batch = find_violations(fixes, zone)
    assert_same_events(streamed, batch)
    assert streamed["max_depth_m"].iloc[0] == pytest.approx(batch["max_depth_m"].iloc[0], abs=1e-6)
    assert streamed["deepest_time"].iloc[0] == batch["deepest_time"].iloc[0]


def test_the_kept_fixes_are_compacted_without_losing_an_open_stay(monkeypatch):
    import detect.stays

    monkeypatch.setattr(detect.stays, "COMPACT_ROWS", 2)
    zone = make_airspace(shapely.box(24.0, 58.5, 26.0, 59.5), airspace_id="R2", country="EST")
    seconds = np.arange(0, 1700, 10.0)
    lons = 23.95 + seconds * 250.0 / (111_320 * np.cos(np.radians(59.05)))
    fixes = pd.concat([make_tracks(name, T0 + pd.to_timedelta(seconds + offset, unit="s"), lons + shift,
                                   [59.05 + shift] * len(seconds))
                       for name, offset, shift in (("A", 0, 0.0), ("B", 35, 0.2), ("C", 400, -0.3))],
                      ignore_index=True)
    assert_same_events(replay_events(fixes, zone, batch_s=7), find_violations(fixes, zone))
