"""The tracks table: validate_tracks and make_tracks."""

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracks import OPTIONAL_TRACK_COLUMNS, TRACK_COLUMNS, make_tracks, validate_tracks

T0 = "2025-09-19T09:30:00Z"
T1 = "2025-09-19T09:30:10Z"
ROW1 = re.escape(f"row 1 (track_id 'A', time {T1})")


def _table():
    """A valid table: track A at T0, T1 and track B at T0."""
    return pd.DataFrame(
        {
            "track_id": ["A", "A", "B"],
            "time": pd.to_datetime([T0, T1, T0]),
            "lon": [24.35, 24.36, 24.37],
            "lat": [59.82, 59.82, 59.83],
            "alt_baro_m": [9000.0, 9010.0, np.nan],
            "alt_geo_m": [np.nan, np.nan, 9100.0],
        }
    )


def _with(column, values):
    table = _table()
    table[column] = values
    return table


# --- validate_tracks: accepted and coerced ------------------------------------


def test_valid_table_gets_exact_dtypes():
    table = validate_tracks(_table())
    assert dict(table.dtypes) == dict(TRACK_COLUMNS)


def test_returns_a_copy():
    original = _table()
    validated = validate_tracks(original)
    validated.loc[:, "lon"] = 0.0
    assert original["lon"].tolist() == [24.35, 24.36, 24.37]


def test_lossless_coercions():
    table = _table()
    table["track_id"] = pd.Series(["A", "A", "B"], dtype=object)
    table["time"] = table["time"].dt.tz_convert("Europe/Tallinn").dt.as_unit("s")
    table["alt_baro_m"] = pd.array([9000, 9010, None], dtype="Int64")
    table["alt_geo_m"] = pd.Series([None, None, 9100.5], dtype=object)
    out = validate_tracks(table)
    assert dict(out.dtypes) == dict(TRACK_COLUMNS)
    assert out["time"].iloc[1] == pd.Timestamp(T1)
    assert np.isnan(out["alt_baro_m"].iloc[2])


@pytest.mark.parametrize(
    "ids",
    [
        np.array([7, 7, 8], dtype="int64"),
        np.array([7, 7, 8], dtype="uint32"),
        pd.array([7, 7, 8], dtype="Int64"),
        pd.Categorical(["A", "A", "B"], categories=["B", "A", "unused"]),
        pd.Categorical([7, 7, 8]),
    ],
    ids=["int64", "uint32", "Int64", "categories of text", "categories of integers"],
)
def test_integer_and_categorical_ids_keep_their_dtype(ids):
    out = validate_tracks(_with("track_id", ids))
    assert out["track_id"].dtype == ids.dtype
    assert out["track_id"].tolist() == list(ids)


@pytest.mark.parametrize("dtype", ["string[pyarrow]", "string[python]", pd.ArrowDtype(pa.string()), object])
def test_text_ids_of_any_string_dtype_become_the_string_dtype(dtype):
    out = validate_tracks(_with("track_id", pd.Series(["A", "A", "B"], dtype=dtype)))
    assert out["track_id"].dtype == TRACK_COLUMNS["track_id"]
    assert out["track_id"].tolist() == ["A", "A", "B"]


CATEGORICAL_TEXT = [pd.CategoricalDtype(), pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string()))]


@pytest.mark.parametrize("dtype", CATEGORICAL_TEXT, ids=["categories", "arrow dictionary"])
def test_text_columns_held_as_categories_are_read_as_their_text(dtype):
    table = _table()
    table["callsign"] = pd.Series(["MIG31", "MIG31", None]).astype(dtype)
    table["icao24"] = pd.Series(["155100", "155100", "4b1805"]).astype(dtype)
    out = validate_tracks(table)
    assert out["callsign"].dtype == out["icao24"].dtype == OPTIONAL_TRACK_COLUMNS["callsign"]
    assert out["callsign"].tolist()[:2] == ["MIG31", "MIG31"] and pd.isna(out["callsign"].iloc[2])
    assert out["icao24"].tolist() == ["155100", "155100", "4b1805"]


def test_ids_in_an_arrow_dictionary_are_read_as_their_text():
    ids = pd.Series(["A", "A", "B"]).astype(pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string())))
    out = validate_tracks(_with("track_id", ids))
    assert out["track_id"].dtype == TRACK_COLUMNS["track_id"]
    assert out["track_id"].tolist() == ["A", "A", "B"]


def test_iso_strings_with_offset_are_read():
    out = validate_tracks(_with("time", [T0, "2025-09-19T12:30:10+03:00", T0]))
    assert out["time"].iloc[1] == pd.Timestamp(T1)


def test_optional_columns_are_coerced_and_unknown_kept():
    table = _table()
    table["suspect"] = pd.array([True, False, False], dtype="boolean")
    table["callsign"] = ["MIG31", "MIG31", None]
    table["ground_speed_mps"] = [250, 251, 252]
    table["note"] = [1, 2, 3]
    out = validate_tracks(table)
    for name in ("suspect", "callsign", "ground_speed_mps"):
        assert out[name].dtype == OPTIONAL_TRACK_COLUMNS[name]
    assert out["note"].tolist() == [1, 2, 3]


def test_empty_table_is_valid():
    empty = validate_tracks(pd.DataFrame(columns=list(TRACK_COLUMNS)))
    assert len(empty) == 0
    assert dict(empty.dtypes) == dict(TRACK_COLUMNS)


def test_lat_poles_and_lon_minus_180_are_valid():
    validate_tracks(_with("lat", [90.0, -90.0, 0.0]).assign(lon=-180.0))


# --- validate_tracks: refused -------------------------------------------------


def test_not_a_dataframe():
    with pytest.raises(TypeError, match="src: expected a pandas DataFrame"):
        validate_tracks({"track_id": []}, source="src")


def test_missing_column_is_named():
    with pytest.raises(ValueError, match=r"src: missing column\(s\) 'lat', 'alt_geo_m'"):
        validate_tracks(_table().drop(columns=["lat", "alt_geo_m"]), source="src")


@pytest.mark.parametrize(
    ("column", "values", "message"),
    [
        ("lon", [24.35, np.nan, 24.37], f"column 'lon': NaN lon at {ROW1}"),
        ("lat", [59.82, np.nan, 59.83], f"column 'lat': NaN lat at {ROW1}"),
        (
            "lon",
            [24.35, 180.0, 24.37],
            rf"column 'lon': lon outside \[-180, 180\): 180\.0 at {ROW1}; write 180 as -180",
        ),
        (
            "lon",
            [24.35, -180.5, 24.37],
            rf"column 'lon': lon outside \[-180, 180\): -180\.5 at {ROW1}",
        ),
        ("lat", [59.82, 90.5, 59.83], rf"column 'lat': lat outside \[-90, 90\]: 90\.5 at {ROW1}"),
        (
            "alt_baro_m",
            [0.0, np.inf, 0.0],
            f"column 'alt_baro_m': infinite alt_baro_m: inf at {ROW1}",
        ),
        (
            "alt_geo_m",
            [0.0, -np.inf, 0.0],
            f"column 'alt_geo_m': infinite alt_geo_m: -inf at {ROW1}",
        ),
        (
            "alt_baro_m",
            [0.0, "9000 ft", 0.0],
            f"column 'alt_baro_m': expected numbers, found str '9000 ft' at {ROW1}",
        ),
        (
            "alt_geo_m",
            ["1", "2", "3"],
            "column 'alt_geo_m': expected numbers, found str '1' at row 0",
        ),
        (
            "alt_geo_m",
            [True, False, True],
            "column 'alt_geo_m': expected numbers, found bool True at row 0",
        ),
        (
            "lon",
            ["24.35", "24.36", "24.37"],
            "column 'lon': expected numbers, found str '24.35' at row 0",
        ),
        (
            "track_id",
            ["A", "", "B"],
            r"column 'track_id': empty track_id at row 1 \(track_id '', time",
        ),
        ("track_id", ["A", None, "B"], r"column 'track_id': missing track_id at row 1 \(time [^)]*\)$"),
        ("track_id", pd.array([7, None, 8], dtype="Int64"), r"column 'track_id': missing track_id at row 1 \(time"),
        ("track_id", pd.Categorical(["A", None, "B"]), r"column 'track_id': missing track_id at row 1 \(time"),
        ("track_id", [7.0, np.nan, 8.0], r"column 'track_id': missing track_id at row 1 \(time"),
        ("track_id", pd.array(["A", pd.NA, "B"], dtype="string"), "column 'track_id': missing track_id at row 1"),
        (
            "track_id",
            ["A", 1.5, "B"],
            r"column 'track_id': expected text, integers or categories, found float 1\.5 at row 1 .*; "
            r"convert the column with \.astype\(str\) or \.astype\('int64'\)$",
        ),
        (
            "track_id",
            [7.0, 7.0, 8.0],
            "column 'track_id': expected text, integers or categories, found float 7.0 at row 0",
        ),
        (
            "track_id",
            [True, True, False],
            "column 'track_id': expected text, integers or categories, found bool True at row 0",
        ),
    ],
)
def test_bad_values_name_column_and_row(column, values, message):
    with pytest.raises(ValueError, match=f"^src: {message}"):
        validate_tracks(_with(column, values), source="src")


def test_nat_time():
    times = pd.Series(pd.to_datetime([T0, None, T0]))
    with pytest.raises(
        ValueError,
        match=r"^src: column 'time': NaT time at row 1 \(track_id 'A'\)$",
    ):
        validate_tracks(_with("time", times), source="src")


def test_naive_times_are_refused_not_assumed():
    naive = pd.to_datetime(["2025-09-19T09:30:00", "2025-09-19T09:30:10", "2025-09-19T09:30:00"])
    with pytest.raises(
        ValueError,
        match=r"^src: column 'time': naive time \(no time zone\) at row 0 \(track_id 'A'"
        r".*tz_localize\('UTC'\)$",
    ):
        validate_tracks(_with("time", naive), source="src")


def test_naive_time_strings_are_refused():
    times = [T0, "2025-09-19 09:30:10", T0]
    with pytest.raises(
        ValueError,
        match="column 'time': naive time \\(no time zone\\) '2025-09-19 09:30:10' at row 1",
    ):
        validate_tracks(_with("time", times))


def test_unreadable_time_strings_are_refused():
    with pytest.raises(ValueError, match="column 'time': unreadable time 'soon' at row 1"):
        validate_tracks(_with("time", [T0, "soon", T0]))


def test_times_as_numbers_are_refused():
    with pytest.raises(ValueError, match="src: column 'time': expected tz-aware datetimes"):
        validate_tracks(_with("time", [1.0, 2.0, 3.0]), source="src")


def test_tracks_in_any_order_are_kept_as_they_are():
    table = _table().iloc[[2, 0, 1]]  # B, then A
    out = validate_tracks(table)
    assert out.index.tolist() == [2, 0, 1]
    pd.testing.assert_frame_equal(out, table, check_dtype=False)


def test_integer_ids_in_numeric_not_text_order_are_kept():
    table = _with("track_id", [10, 10, 9])
    out = validate_tracks(table)
    assert out["track_id"].dtype == np.int64
    pd.testing.assert_frame_equal(out, table, check_dtype=False)


@pytest.mark.parametrize(
    "order",
    [
        [1, 0, 2],  # times back within track A
        [0, 2, 1],  # track A in two runs
        [2, 1, 0],
    ],
)
def test_a_table_out_of_order_is_sorted_stably(order):
    table = _table().iloc[order]
    out = validate_tracks(table, source="src")
    pd.testing.assert_frame_equal(out, _table(), check_dtype=False)


def test_categorical_ids_are_sorted_in_category_order():
    table = _with("track_id", pd.Categorical(["A", "B", "A"], categories=["B", "A"]))
    table["time"] = pd.to_datetime([T0, T0, T1])
    out = validate_tracks(table)
    assert out["track_id"].tolist() == ["B", "A", "A"]
    assert out.index.tolist() == [1, 0, 2]


def test_a_shuffled_table_comes_back_sorted():
    n = 500
    rng = np.random.default_rng(13)
    ids = rng.integers(0, 40, n) * 7 - 100
    seconds = rng.permutation(10 * n)[:n]
    table = pd.DataFrame({
        "track_id": ids,
        "time": pd.Timestamp(T0) + pd.to_timedelta(seconds, unit="s"),
        "lon": rng.uniform(-180, 180, n), "lat": rng.uniform(-90, 90, n),
        "alt_baro_m": rng.uniform(0, 12000, n), "alt_geo_m": np.nan,
    })
    expected = sorted(zip(ids, seconds, range(n)))
    out = validate_tracks(table)
    assert out.index.tolist() == [row for _, _, row in expected]
    assert out["track_id"].dtype == np.int64


@pytest.mark.parametrize(
    "ids",
    [
        pd.Series(["b", "B", "a", "é", "Z", "a0"] * 50, dtype="str"),
        pd.Series(np.array([2**63 + 5, 3, 2**40, 7, 0, 1] * 50, dtype=np.uint64)),
        pd.Series([-3, 10, 9, 100, -40, 0] * 50, dtype="Int64"),
        pd.Series(pd.Categorical(["x", "y", "z", "w", "v", "u"] * 50, categories=list("zuyxwv"))),
    ],
    ids=["text", "uint64", "Int64", "categories"],
)
def test_the_sort_is_that_of_pandas_sort_values(ids):
    rng = np.random.default_rng(7)
    table = pd.DataFrame({
        "track_id": ids,
        "time": pd.Timestamp(T0) + pd.to_timedelta(np.arange(len(ids)) // 6, unit="s"),  # ties across tracks
        "lon": 24.0, "lat": 59.0, "alt_baro_m": 0.0, "alt_geo_m": 0.0,
    }).iloc[rng.permutation(len(ids))]
    expected = validate_tracks(table.sort_values(["track_id", "time"], kind="stable"))
    assert expected["track_id"].is_monotonic_increasing or isinstance(ids.dtype, pd.CategoricalDtype)
    pd.testing.assert_frame_equal(validate_tracks(table), expected)


def test_duplicate_track_id_and_time():
    table = _with("time", pd.to_datetime([T0, T0, T0]))
    with pytest.raises(
        ValueError,
        match=re.escape(
            f"src: column 'time': duplicate (track_id, time) at row 1 "
            f"(track_id 'A', time {T0}), the same as row 0"
        ),
    ):
        validate_tracks(table, source="src")


def test_duplicate_in_a_table_out_of_order_names_its_rows_in_that_table():
    table = pd.concat([_table().iloc[[2, 1]], _table()])  # rows: B T0, A T1, A T0, A T1, B T0
    with pytest.raises(
        ValueError,
        match=re.escape(
            f"src: column 'time': duplicate (track_id, time) at row 3 "
            f"(track_id 'A', time {T1}), the same as row 1"
        )
        + "$",
    ):
        validate_tracks(table, source="src")


def test_duplicate_integer_ids_are_named_as_numbers():
    table = _with("track_id", [7, 7, 8]).assign(time=pd.to_datetime([T0, T0, T0]))
    with pytest.raises(ValueError, match=re.escape(f"at row 1 (track_id 7, time {T0}), the same as row 0")):
        validate_tracks(table)


def test_bad_optional_column():
    table = _table().assign(suspect=["yes", "no", "no"])
    with pytest.raises(
        ValueError,
        match="column 'suspect': expected True/False, found str 'yes' at row 0",
    ):
        validate_tracks(table)


def test_missing_suspect_flag():
    table = _table().assign(suspect=pd.array([True, None, False], dtype="boolean"))
    with pytest.raises(
        ValueError,
        match=f"column 'suspect': expected True/False, found NAType <NA> at {ROW1}",
    ):
        validate_tracks(table)


# --- make_tracks --------------------------------------------------------------


def test_make_tracks_broadcasts_sorts_and_fills():
    tracks = make_tracks(
        "MIG1", [T1, T0], lon=[180.0, 24.0], lat=59.8, alt_geo_m=[1.0, 2.0], callsign="RFF1"
    )
    assert dict(tracks.dtypes[list(TRACK_COLUMNS)]) == dict(TRACK_COLUMNS)
    assert tracks["time"].tolist() == [pd.Timestamp(T0), pd.Timestamp(T1)]
    assert tracks["lon"].tolist() == [24.0, -180.0]
    assert tracks["alt_geo_m"].tolist() == [2.0, 1.0]
    assert tracks["alt_baro_m"].isna().all()
    assert tracks["callsign"].tolist() == ["RFF1", "RFF1"]
    assert isinstance(tracks.index, pd.RangeIndex)


def test_make_tracks_sorts_by_track_id_then_time():
    tracks = make_tracks(["B", "A", "A"], [T0, T1, T0], lon=0.0, lat=0.0)
    assert tracks["track_id"].tolist() == ["A", "A", "B"]
    assert tracks["time"].tolist() == [pd.Timestamp(T0), pd.Timestamp(T1), pd.Timestamp(T0)]


def test_make_tracks_one_fix():
    assert len(make_tracks("A", T0, 0.0, 0.0)) == 1


def test_make_tracks_length_mismatch():
    with pytest.raises(
        ValueError,
        match="make_tracks: the columns differ in length: time has 2, lon has 3",
    ):
        make_tracks("A", [T0, T1], lon=[1.0, 2.0, 3.0], lat=0.0)


def test_make_tracks_unknown_column():
    with pytest.raises(TypeError, match="unknown column.*'callsing'"):
        make_tracks("A", T0, 0.0, 0.0, callsing="X")


def test_make_tracks_refuses_naive_times():
    with pytest.raises(ValueError, match="make_tracks: column 'time': naive time"):
        make_tracks("A", "2025-09-19 09:30:00", 0.0, 0.0)


def test_make_tracks_refuses_duplicates():
    with pytest.raises(ValueError, match="make_tracks: column 'time': duplicate"):
        make_tracks("A", [T0, T0], [0.0, 1.0], 0.0)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c"]),
            st.integers(0, 10**6),
            st.floats(-180, 180),
            st.floats(-90, 90),
        ),
        min_size=1,
        max_size=30,
        unique_by=lambda fix: fix[:2],
    )
)
def test_make_tracks_output_is_sorted_and_valid(fixes):
    track_id, seconds, lon, lat = map(list, zip(*fixes))
    time = pd.Timestamp(T0) + pd.to_timedelta(seconds, unit="s")
    tracks = make_tracks(track_id, time, lon, lat)
    pd.testing.assert_frame_equal(validate_tracks(tracks), tracks)
    keys = list(zip(tracks["track_id"], tracks["time"]))
    assert keys == sorted(keys)
    assert ((tracks["lon"] >= -180) & (tracks["lon"] < 180)).all()


@given(st.lists(st.tuples(st.sampled_from(["A", "B", "AA", "b", "", " "]), st.integers(0, 3)), max_size=8))
def test_validation_sorts_or_refuses_as_a_plain_python_check_would(rows):
    """The first blank id, else the first row repeating an earlier (track_id, time), is refused.

    Otherwise the rows come back as they are when each track is one run in
    time order, else stably sorted by (track_id, time).
    """
    ids = [track for track, _ in rows]
    times = pd.Timestamp(T0) + pd.to_timedelta([second for _, second in rows], unit="s")
    table = pd.DataFrame({"track_id": pd.Series(ids, dtype=object), "time": times,
                          "lon": 24.0, "lat": 59.0, "alt_baro_m": 0.0, "alt_geo_m": 0.0})
    blank = [i for i, track in enumerate(ids) if not track.strip()]
    repeats = [i for i in range(len(rows)) if rows[i] in rows[:i]]
    runs = [track for i, track in enumerate(ids) if i == 0 or track != ids[i - 1]]
    in_order = len(runs) == len(set(runs)) and all(
        rows[i][1] > rows[i - 1][1] for i in range(1, len(rows)) if ids[i] == ids[i - 1]
    )
    if blank:
        with pytest.raises(ValueError, match=rf"empty track_id at row {blank[0]}\b"):
            validate_tracks(table)
    elif repeats:
        first = rows.index(rows[repeats[0]])
        with pytest.raises(ValueError, match=rf"duplicate .* at row {repeats[0]} \(.*the same as row {first}$"):
            validate_tracks(table)
    else:
        expected = list(range(len(rows))) if in_order else sorted(range(len(rows)), key=lambda i: rows[i])
        assert validate_tracks(table).index.tolist() == expected


@pytest.mark.parametrize("unit", ["s", "us", "ns"])
def test_arrow_times_with_a_zone_are_read_as_the_same_moments(unit):
    tallinn = pd.to_datetime([T0, T1, T0]).tz_convert("Europe/Tallinn")
    times = pd.Series(tallinn).astype(pd.ArrowDtype(pa.timestamp(unit, tz="Europe/Tallinn")))
    out = validate_tracks(_with("time", times))
    assert out["time"].dtype == TRACK_COLUMNS["time"]
    assert out["time"].tolist() == [pd.Timestamp(T0), pd.Timestamp(T1), pd.Timestamp(T0)]


def test_naive_arrow_times_are_refused_not_assumed():
    times = pd.Series(pd.to_datetime([T0, T1, T0]).tz_localize(None)).astype(pd.ArrowDtype(pa.timestamp("us")))
    with pytest.raises(ValueError, match="column 'time': naive time"):
        validate_tracks(_with("time", times))
