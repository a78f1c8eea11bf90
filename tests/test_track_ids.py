"""Track ids of any kind and tables in any order: the events are those of a tidy table.

Each test detects in a table as a user may bring it (integer or categorical
ids, tracks in any order, rows shuffled, a track split in two runs) and
compares with the events of the same fixes as a table sorted by text ids,
the ids mapped back: the answer does not rest on the code under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, note, settings
from hypothesis import strategies as st

from airspace import make_airspace
from detect import find_violations, read_events, write_events
from detect.replay import replay_events
from tests.test_core_property import N_EXAMPLES, SETTINGS, case, reproduction
from tests.test_replay import assert_same_events

T0 = pd.Timestamp("2025-09-19T09:00:00Z")
IDS = [9, 10, 100, 11, 2]  # the order of the runs: neither numeric nor text order


def zones():
    """Two boxes side by side: lon 24.0-24.2 and 24.3-24.4, lat 59.0-59.1."""
    return pd.concat([
        make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), airspace_id="R1", country="EST"),
        make_airspace(shapely.box(24.3, 59.0, 24.4, 59.1), airspace_id="R2", country="EST"),
    ], ignore_index=True)


def tracks_with_ids(ids=IDS):
    """One track per id, in that order: east through both boxes, each at its own latitude and time."""
    tables = []
    for k, track_id in enumerate(ids):
        seconds = 30 * k + np.arange(0, 600, 20)
        lon = np.linspace(23.9, 24.5, len(seconds))
        tables.append(pd.DataFrame({
            "track_id": track_id,
            "time": T0 + pd.to_timedelta(seconds, unit="s"),
            "lon": lon,
            "lat": 59.01 + 0.015 * k + 0.01 * np.sin(8 * lon),
            "alt_baro_m": 9000.0,
            "alt_geo_m": np.nan,
        }))
    return pd.concat(tables, ignore_index=True)


def padded(tracks):
    """The same table with text ids whose text order is the ids' numeric order."""
    return tracks.assign(track_id=tracks["track_id"].map("{:04d}".format))


def as_integer_ids(events):
    return events.assign(track_id=events["track_id"].astype("int64"))


def test_integer_ids_give_the_events_of_zero_padded_text_ids():
    tracks = tracks_with_ids()
    events = find_violations(tracks, zones())
    expected = as_integer_ids(find_violations(padded(tracks), zones()))
    assert set(zip(events["track_id"], events["airspace_id"])) == {(i, zone) for i in IDS for zone in ("R1", "R2")}
    assert events["track_id"].dtype == np.int64
    assert events["track_id"].unique().tolist() == sorted(IDS)
    pd.testing.assert_frame_equal(events, expected)


@pytest.mark.parametrize("dtype", ["int32", "uint64", "Int64"])
def test_other_integer_dtypes_are_kept(dtype):
    tracks = tracks_with_ids()
    events = find_violations(tracks.astype({"track_id": dtype}), zones())
    assert events["track_id"].dtype == tracks["track_id"].astype(dtype).dtype
    pd.testing.assert_frame_equal(events.astype({"track_id": "int64"}), find_violations(tracks, zones()))


def test_a_shuffled_table_gives_the_events_of_the_sorted_table():
    tracks = tracks_with_ids()
    shuffled = tracks.iloc[np.random.default_rng(13).permutation(len(tracks))]
    expected = as_integer_ids(find_violations(padded(tracks), zones()))
    pd.testing.assert_frame_equal(find_violations(shuffled, zones()), expected)
    pd.testing.assert_frame_equal(find_violations(padded(shuffled), zones()), find_violations(padded(tracks), zones()))


def test_a_track_split_into_two_runs_is_sorted_and_gives_the_same_events():
    tracks = tracks_with_ids()
    first_half = (tracks["track_id"] == 10) & (tracks["time"] < T0 + pd.Timedelta(300, "s"))
    split = pd.concat([tracks[first_half], tracks[~first_half]])  # track 10: a run first, the rest later
    assert (split["track_id"] == 10).diff().fillna(False).astype(bool).sum() == 3  # two separated runs
    pd.testing.assert_frame_equal(find_violations(split, zones()), find_violations(tracks, zones()))


def test_categorical_ids_keep_their_categories_and_order():
    names = {track_id: f"T{track_id}" for track_id in IDS}
    categories = ["T100", "T2", "unused", "T9", "T11", "T10"]
    tracks = tracks_with_ids()
    text = tracks.assign(track_id=tracks["track_id"].map(names))
    categorical = text.astype({"track_id": pd.CategoricalDtype(categories)})
    events = find_violations(categorical, zones())
    assert events["track_id"].dtype == categorical["track_id"].dtype
    assert events["track_id"].unique().tolist() == [name for name in categories if name != "unused"]
    expected = find_violations(text, zones())
    expected = expected.assign(track_id=expected["track_id"].astype(categorical["track_id"].dtype))
    expected = expected.sort_values(["track_id", "entry_time", "airspace_id"], ignore_index=True)
    pd.testing.assert_frame_equal(events, expected)


def test_no_events_keep_the_id_dtype():
    tracks = tracks_with_ids().assign(lat=10.0)
    assert find_violations(tracks, zones())["track_id"].dtype == np.int64
    assert replay_events(tracks, zones())["track_id"].dtype == np.int64


@pytest.mark.parametrize("missing", [np.nan, None, pd.NA])
def test_a_missing_id_is_refused_in_one_line_naming_column_and_row(missing):
    tracks = tracks_with_ids().astype({"track_id": object})
    tracks.loc[7, "track_id"] = missing
    with pytest.raises(ValueError) as refused:
        find_violations(tracks, zones())
    assert str(refused.value).startswith("tracks: column 'track_id': missing track_id at row 7 (time ")
    assert "\n" not in str(refused.value)


def test_a_duplicate_is_refused_in_a_shuffled_table_too():
    tracks = tracks_with_ids()
    twice = pd.concat([tracks, tracks.iloc[[40]]], ignore_index=True)
    shuffled = twice.iloc[::-1].reset_index(drop=True)  # row 0 is the copy of row 40, which is now row 1
    with pytest.raises(ValueError, match=r"^tracks: column 'time': duplicate \(track_id, time\) at row "
                                         rf"{len(tracks) - 40} \(track_id 10, .*\), the same as row 0$"):
        find_violations(shuffled, zones())


@pytest.mark.parametrize("batching", [dict(batch_s=1.0), dict(batch_s=45.0), dict(batch_fixes=7), {}])
@pytest.mark.parametrize("dtype", ["int64", "category"])
def test_streaming_with_integer_or_categorical_ids_gives_the_batch_events(batching, dtype):
    tracks = tracks_with_ids().astype({"track_id": dtype})
    batch = find_violations(tracks, zones(), max_gap_s=60)
    streamed = replay_events(tracks, zones(), max_gap_s=60, **batching)
    assert streamed["track_id"].dtype == batch["track_id"].dtype == tracks["track_id"].dtype
    assert_same_events(streamed, batch)


def test_events_of_integer_ids_read_back_from_csv_with_text_ids(tmp_path):
    events = find_violations(tracks_with_ids(), zones())
    back = read_events(write_events(events, tmp_path / "events.csv"))
    assert back["track_id"].tolist() == [str(track_id) for track_id in events["track_id"]]
    pd.testing.assert_frame_equal(as_integer_ids(back), events, check_exact=False, rtol=1e-12)


def _integer_ids(tracks, seed):
    """The case's text ids ``T0``, ``T1``, ... as integers whose numeric order is not the text order."""
    number = {f"T{j}": value for j, value in enumerate([10, 9, 100])}
    tracks = tracks.assign(track_id=tracks["track_id"].map(number).astype("int64"))
    return tracks.iloc[np.random.default_rng(seed).permutation(len(tracks))], {v: k for k, v in number.items()}


@settings(max_examples=max(N_EXAMPLES // 2, 1), **SETTINGS)
@given(case(), st.integers(0, 2**32 - 1))
def test_integer_ids_in_any_row_order_give_the_events_of_text_ids(c, seed):
    tracks, airspace, kw = c
    note(reproduction(tracks, airspace, kw) + f"seed={seed}")
    shuffled, name = _integer_ids(tracks, seed)
    events = find_violations(shuffled, airspace, **kw)
    assert events["track_id"].dtype == np.int64
    assert events["track_id"].is_monotonic_increasing
    as_text = events.assign(track_id=events["track_id"].map(name).astype("string"))
    as_text = as_text.sort_values(["track_id", "entry_time", "airspace_id"], kind="stable", ignore_index=True)
    pd.testing.assert_frame_equal(as_text, find_violations(tracks, airspace, **kw))


@settings(max_examples=max(N_EXAMPLES // 4, 1), **SETTINGS)
@given(case(), st.integers(0, 2**32 - 1), st.floats(0.5, 120.0))
def test_streaming_integer_ids_in_any_row_order_gives_the_batch_events(c, seed, batch_s):
    tracks, airspace, kw = c
    note(reproduction(tracks, airspace, kw) + f"seed={seed}, batch_s={batch_s}")
    shuffled, _ = _integer_ids(tracks, seed)
    assert_same_events(replay_events(shuffled, airspace, batch_s=batch_s, **kw),
                       find_violations(shuffled, airspace, **kw))
