"""The tracks table: its columns, its validator and a constructor.

The tracks table is a :class:`pandas.DataFrame` with one row per recorded fix,
each track's rows together and in time order (the tracks in any order), with
no duplicate ``(track_id, time)``. Track ids are text, integers or
categories. Positions are WGS84 degrees (``lon`` in [-180, 180), ``lat`` in
[-90, 90]), altitudes are metres (NaN when unknown), times are UTC with
nanosecond resolution.

Error messages name the row by its position (0-based, as for ``iloc``) and,
where known, by its ``track_id`` and ``time``.
"""

import functools
from types import MappingProxyType

import numpy as np
import pandas as pd

from tracks.runs import run_ranks, run_starts, track_time_order
from tracks.table_checks import (category_values, fail, first_true, float_column, names_text, refuse,
                                 row_text, value_text)

STRING_DTYPE = pd.StringDtype(na_value=np.nan)
"""The pandas string dtype of text columns (pandas' default ``str`` dtype)."""

TIME_DTYPE = pd.DatetimeTZDtype(unit="ns", tz="UTC")
"""The dtype of the ``time`` column."""

_FLOAT = np.dtype("float64")
_ISO_ZONE = r"[T ]\d{2}(?::?\d{2}){0,2}(?:[.,]\d+)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"
_NAIVE_HINT = (
    "naive times are not assumed to be UTC: if they are, "
    "use df['time'] = df['time'].dt.tz_localize('UTC')"
)

TRACK_COLUMNS = MappingProxyType(
    {
        "track_id": STRING_DTYPE,
        "time": TIME_DTYPE,
        "lon": _FLOAT,
        "lat": _FLOAT,
        "alt_baro_m": _FLOAT,
        "alt_geo_m": _FLOAT,
    }
)
"""Required columns of the tracks table and their dtypes, in table order.

``track_id`` is text in this dtype, or integers or categories in their own.
"""

OPTIONAL_TRACK_COLUMNS = MappingProxyType(
    {
        "callsign": STRING_DTYPE,
        "icao24": STRING_DTYPE,
        "ground_speed_mps": _FLOAT,
        "track_deg": _FLOAT,
        "source": STRING_DTYPE,
        "suspect": np.dtype(bool),
    }
)
"""Optional columns of the tracks table and their dtypes.

``suspect`` is the reader's data-quality flag (impossible jumps, frozen
positions). Other, unknown columns are allowed and left as they are.
"""


def validate_tracks(df, *, source="tracks"):
    """Check a tracks table and return it with its dtypes made exact, sorted if need be.

    A table is in order when each track's rows are one run of consecutive
    rows with strictly increasing times; the runs may come in any order
    (ids 10 before 9, or "B" before "A"). A table that is not in order is
    sorted, stably, by ``track_id`` then ``time``, as
    ``df.sort_values(["track_id", "time"], kind="stable")`` would: integer
    ids numerically, categorical ids in the order of their categories.

    Parameters
    ----------
    df : pandas.DataFrame
        The table: the columns of :data:`TRACK_COLUMNS`, and optionally those
        of :data:`OPTIONAL_TRACK_COLUMNS` and any others.
    source : str, optional
        What the table is (a file name, say); every error message starts
        with it.

    Returns
    -------
    pandas.DataFrame
        A copy of `df` (shallow, unless it had to be sorted), with dtypes
        coerced where that loses nothing: text ids to the pandas string
        dtype (integer and categorical ids, nullable or Arrow-backed ones
        too, keep their dtype; text held as categories in other columns, or
        in an Arrow dictionary anywhere, becomes text), tz-aware times (or ISO 8601 strings with an
        offset) to ``datetime64[ns, UTC]``, integer or nullable numbers to
        float64. The column order is kept; the rows and their index too,
        unless the table had to be sorted (then each index label stays with
        its row).

    Raises
    ------
    TypeError
        If `df` is not a DataFrame.
    ValueError
        Naming `source`, the column and the first bad row (position,
        ``track_id``, ``time``) for: a missing column; a column of the wrong
        kind (text in ``lon``, booleans in an altitude, floats in
        ``track_id``, ...); naive times (they are not assumed to be UTC);
        NaT time; a missing ``track_id`` (NaN, None, NA), or a blank text
        one; NaN ``lon`` or ``lat``; ``lon`` outside [-180, 180) or ``lat``
        outside [-90, 90]; an infinite altitude, speed or track angle; a
        duplicate ``(track_id, time)`` (the first row, in table order, that
        repeats an earlier row's).

    Notes
    -----
    An empty table is valid when it has the required columns.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "track_id": ["MIG1", "MIG1"],
    ...     "time": pd.to_datetime(["2025-09-19T09:30:00Z", "2025-09-19T09:30:10Z"]),
    ...     "lon": [24.35, 24.37], "lat": [59.82, 59.82],
    ...     "alt_baro_m": [9000, 9000], "alt_geo_m": float("nan"),
    ... })
    >>> validate_tracks(df).dtypes["alt_baro_m"]
    dtype('float64')

    Tracks come in any order, each in one run of rows; others are sorted:

    >>> two = pd.concat([df.assign(track_id=10), df.assign(track_id=9)], ignore_index=True)
    >>> validate_tracks(two)["track_id"].tolist()
    [10, 10, 9, 9]
    >>> validate_tracks(two.iloc[::-1])["track_id"].tolist()
    [9, 9, 10, 10]
    >>> validate_tracks(pd.concat([df, df]), source="replay.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: replay.csv: column 'time': duplicate (track_id, time) at row 2 (...), the same as row 0
    """
    table = _coerced(df, source)
    _refuse_missing_ids(table, source)
    _check_values(table, source)
    ordered, starts, repeats = _in_order(table)
    _refuse_blank_ids(table, source, ordered["track_id"].iloc[starts])
    if repeats:
        _refuse_duplicate(table, source)
    return ordered


def make_tracks(
    track_id, time, lon, lat, alt_baro_m=None, alt_geo_m=None, **optional_columns
):
    """Build a valid tracks table from arrays or scalars.

    Parameters
    ----------
    track_id : str, int or array_like
        Text, integers or categories (see :func:`validate_tracks`); a
        scalar is used for every row.
    time : datetime-like or array_like
        Anything :func:`pandas.to_datetime` reads, with a time zone:
        tz-aware timestamps or ISO 8601 strings ending in ``Z`` or an offset.
        Naive times are refused, not assumed to be UTC.
    lon, lat : float or array_like of float
        WGS84 degrees. ``lon`` 180 is written as -180.
    alt_baro_m, alt_geo_m : float or array_like of float, optional
        Pressure and geometric altitude, metres; NaN when not given.
    **optional_columns
        Columns of :data:`OPTIONAL_TRACK_COLUMNS` (``callsign``, ``suspect``,
        ...), scalars or arrays.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``track_id`` then ``time`` (stable), with a fresh
        RangeIndex, validated by :func:`validate_tracks`.

    Raises
    ------
    TypeError
        For an unknown optional column name.
    ValueError
        If the arrays differ in length, or the table is not valid.

    Examples
    --------
    >>> tracks = make_tracks(
    ...     "SU30", ["2025-10-23T16:00:18Z", "2025-10-23T16:00:00Z"],
    ...     lon=[23.40, 23.41], lat=[54.20, 54.21], alt_baro_m=3000.0,
    ... )
    >>> tracks[["track_id", "lon", "alt_geo_m"]]
      track_id    lon  alt_geo_m
    0     SU30  23.41        NaN
    1     SU30  23.40        NaN
    """
    unknown = sorted(set(optional_columns) - set(OPTIONAL_TRACK_COLUMNS))
    if unknown:
        raise TypeError(
            f"make_tracks: unknown column(s) {names_text(unknown)}; "
            f"optional columns are {names_text(OPTIONAL_TRACK_COLUMNS)}"
        )
    try:
        time_utc = pd.to_datetime(time)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"make_tracks: column 'time': cannot read the times: {exc}") from exc
    columns = {
        "track_id": track_id,
        "time": time_utc,
        "lon": lon,
        "lat": lat,
        "alt_baro_m": np.nan if alt_baro_m is None else alt_baro_m,
        "alt_geo_m": np.nan if alt_geo_m is None else alt_geo_m,
        **optional_columns,
    }
    n_rows = _common_length(columns)
    raw = pd.DataFrame(
        {name: _as_1d(value) for name, value in columns.items()},
        index=pd.RangeIndex(n_rows),
    )
    table = _coerced(raw, "make_tracks")
    table["lon"] = table["lon"].mask(table["lon"] == 180.0, -180.0)
    table = table.sort_values(["track_id", "time"], kind="stable", ignore_index=True)
    return validate_tracks(table, source="make_tracks")


# --- coercion -----------------------------------------------------------------


def _coerced(df, source):
    """Shallow copy of `df` with every known column in its dtype; raises if impossible.

    Columns already in their dtype are shared with `df`, not copied (pandas'
    copy-on-write keeps `df` unchanged by later edits of the result).
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{source}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [name for name in TRACK_COLUMNS if name not in df.columns]
    if missing:
        raise ValueError(
            f"{source}: missing column(s) {names_text(missing)}; "
            f"the table has {names_text(df.columns) or 'no columns'}"
        )
    table = df.copy(deep=False)
    known = {**TRACK_COLUMNS, **OPTIONAL_TRACK_COLUMNS}
    for name in table.columns.intersection(list(known)):
        dtype = known[name]
        if table[name].dtype == dtype:
            continue
        if name == "track_id":
            table[name] = _track_id_column(table, source)
        elif dtype == STRING_DTYPE:
            table[name] = _string_column(table, name, source)
        elif dtype == TIME_DTYPE:
            table[name] = _time_column(table, name, source)
        elif dtype == _FLOAT:
            table[name] = _float_column(table, name, source)
        else:
            table[name] = _bool_column(table, name, source)
    return table


def _track_id_column(table, source):
    """``track_id`` as kept: integers and categories as they are, text in :data:`STRING_DTYPE`.

    A column of another kind (floats, say, when ids were read with missing
    values) is refused at its first missing id, else at its first non-text
    value.
    """
    column = table["track_id"]
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column
    column = category_values(column)  # an Arrow dictionary as its values
    if _is_integer(column.dtype):
        return column
    if _is_text(column):
        return column.astype(STRING_DTYPE)
    _refuse(table, source, "track_id", column.isna(), "missing track_id")
    bad = ~column.map(lambda value: isinstance(value, str))
    _fail(
        source,
        "track_id",
        f"expected text, integers or categories, found {value_text(column, bad)}",
        table,
        first_true(bad),
        "convert the column with .astype(str) or .astype('int64')",
    )


def _string_column(table, name, source):
    column = category_values(table[name])
    if _is_text(column) or _is_integer(column.dtype):
        return column.astype(STRING_DTYPE)
    bad = column.notna() & ~column.map(lambda value: isinstance(value, str))
    _fail(source, name, f"expected text, found {value_text(column, bad)}", table, first_true(bad))


def _is_text(column):
    return pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty")


def _is_integer(dtype):
    return pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _time_column(table, name, source):
    column = table[name]
    if len(column) == 0 or column.isna().all():
        return pd.Series(pd.NaT, index=column.index, dtype=TIME_DTYPE)
    if pd.api.types.infer_dtype(column, skipna=True) == "string":
        return _time_from_text(table, name, source)
    if not pd.api.types.is_datetime64_any_dtype(column.dtype):
        _fail(
            source,
            name,
            f"expected tz-aware datetimes, found dtype {column.dtype}",
            hint="convert it with pd.to_datetime(..., utc=True) "
            "(with unit='s' for unix seconds) if the times are UTC",
        )
    if column.dt.tz is None:
        _fail(source, name, "naive time (no time zone)", table, first_true(column.notna()), _NAIVE_HINT)
    try:
        return column.astype(TIME_DTYPE)  # numpy- or Arrow-backed, in any zone
    except pd.errors.OutOfBoundsDatetime:
        years = column.dt.year
        bad = (years < 1678) | (years > 2261)
        _fail(source, name, "time outside the years 1678-2261", table, first_true(bad))


def _time_from_text(table, name, source):
    """Times from ISO 8601 text with a zone; naive or unreadable text is refused."""
    text = table[name].astype(STRING_DTYPE)
    times, naive = iso_times_utc(text)
    _refuse(table, source, name, naive, "naive time (no time zone)", text, _NAIVE_HINT)
    _refuse(table, source, name, text.notna() & times.isna(), "unreadable time", text)
    return times


def iso_times_utc(text):
    """Parse ISO 8601 text to UTC times, and tell which had no time zone.

    Parameters
    ----------
    text : pandas.Series of str
        Times such as ``2025-09-19T09:30:00Z``, ``2025-09-19 12:30:00+03:00``
        or ``2025-09-19`` (upper or lower case).

    Returns
    -------
    times : pandas.Series of datetime64[ns, UTC]
        NaT where the text is missing, unreadable or outside 1678-2261.
    naive : pandas.Series of bool
        True where a time was read but carried no zone (read as UTC).

    Examples
    --------
    >>> times, naive = iso_times_utc(pd.Series(["2025-09-19T12:30+03:00", "2025-09-19", "x"]))
    >>> times.dt.strftime("%H:%M").tolist(), naive.tolist()
    (['09:30', '00:00', nan], [False, True, False])
    """
    times = _iso_times(text)
    unread = times.isna() & text.notna()
    if unread.any():
        times[unread] = _iso_times(text[unread].str.upper())
    read = times.notna()
    naive = read & ~text.str.endswith("Z").fillna(False).astype(bool)
    naive[naive] = ~text[naive].str.contains(_ISO_ZONE, regex=True, case=False)
    return times, naive


def _iso_times(text):
    times = pd.to_datetime(text, utc=True, format="ISO8601", errors="coerce")
    years = times.dt.year
    return times.where((years > 1677) & (years < 2262)).dt.as_unit("ns")


def _bool_column(table, name, source):
    column = table[name]
    missing = column.isna()
    if pd.api.types.infer_dtype(column, skipna=False) in ("boolean", "empty") and not missing.any():
        return column.astype(bool)
    bad = missing | ~column.map(lambda value: isinstance(value, (bool, np.bool_)))
    _fail(source, name, f"expected True/False, found {value_text(column, bad)}", table, first_true(bad))


# --- checks -------------------------------------------------------------------


def _refuse_missing_ids(table, source):
    """Refuse a missing ``track_id`` (NaN, None, NA), or a blank text one before it."""
    track_id = table["track_id"]
    missing = track_id.isna()
    if missing.any():
        text = track_id.dtype == STRING_DTYPE
        pos = first_true(missing | _blank(track_id) if text else missing)
        problem = "missing track_id" if missing.iloc[pos] else "empty track_id"
        _fail(source, "track_id", problem, table, pos)


def _refuse_blank_ids(table, source, run_ids):
    """Refuse a blank text ``track_id``.

    `run_ids` are the ids of the runs of equal ``track_id`` of the table in
    order: every id of `table` is among them, and they are few.
    """
    if run_ids.dtype == STRING_DTYPE and _blank(run_ids).any():
        _refuse(table, source, "track_id", _blank(table["track_id"]), "empty track_id")


def _blank(text):
    return np.asarray(text.str.strip() == "", dtype=bool)


def _check_values(table, source):
    """Refuse NaT times, NaN or out-of-range positions and infinite numbers (on numpy arrays: no Series made)."""
    _refuse(table, source, "time", np.isnat(table["time"].to_numpy(dtype="datetime64[ns]")), "NaT time")
    lon, lat = table["lon"].to_numpy(), table["lat"].to_numpy()
    for name, values in (("lon", lon), ("lat", lat)):
        _refuse(table, source, name, np.isnan(values), f"NaN {name}")
    _refuse(
        table,
        source,
        "lon",
        (lon < -180.0) | (lon >= 180.0),
        "lon outside [-180, 180):",
        values=table["lon"],
        hint="write 180 as -180",
    )
    outside_lat = (lat < -90.0) | (lat > 90.0)
    _refuse(table, source, "lat", outside_lat, "lat outside [-90, 90]:", values=table["lat"])
    for name in ("alt_baro_m", "alt_geo_m", "ground_speed_mps", "track_deg"):
        if name in table.columns:
            _refuse(table, source, name, np.isinf(table[name].to_numpy()), f"infinite {name}:", values=table[name])


def _in_order(table):
    """`table` if each track is one run of rows in time order, else sorted by track_id then time.

    The sort is stable, on a copy. Returns the table in order, the rows
    that begin its runs of equal ``track_id`` (its tracks), and whether some
    ``(track_id, time)`` is repeated.
    """
    track_id = table["track_id"]
    starts = run_starts(track_id)
    time_ns = _time_ns(table)
    stalls = _stalls(time_ns, starts)
    run_rank, n_tracks = run_ranks(track_id, starts)
    if n_tracks < len(starts) or (time_ns[stalls] < time_ns[stalls - 1]).any():
        order = track_time_order(run_rank, starts, time_ns)
        table = table.take(order)
        starts = run_starts(table["track_id"])
        stalls = _stalls(time_ns[order], starts)
    return table, starts, len(stalls) > 0


def _stalls(time_ns, starts):
    """Rows whose time is not after the time of the row before, in the same run (ascending)."""
    stalled = time_ns[1:] <= time_ns[:-1]
    stalled[starts[1:] - 1] = False  # a new run may start at any time
    return np.flatnonzero(stalled) + 1


def _time_ns(table):
    return table["time"].to_numpy(dtype="datetime64[ns]").view(np.int64)


def _refuse_duplicate(table, source):
    """Raise for the first row of `table` whose ``(track_id, time)`` an earlier row has."""
    track_id, time = table["track_id"], table["time"]
    pos = first_true(table.duplicated(["track_id", "time"]))
    same = (track_id == track_id.iloc[pos]) & (time == time.iloc[pos])
    _fail(
        source,
        "time",
        f"duplicate (track_id, time) at {_row(table, pos)}, the same as row {first_true(same)}",
    )


# --- messages -----------------------------------------------------------------

_KEYS = ("track_id", "time")
_refuse = functools.partial(refuse, keys=_KEYS)
_fail = functools.partial(fail, keys=_KEYS)
_row = functools.partial(row_text, keys=_KEYS)
_float_column = functools.partial(float_column, keys=_KEYS)


# --- building -----------------------------------------------------------------


def _as_1d(value):
    """`value` without a pandas index (so that nothing gets aligned)."""
    return value.array if isinstance(value, pd.Series) else value


def _common_length(columns):
    lengths = {name: len(value) for name, value in columns.items() if np.ndim(value) != 0}
    distinct = set(lengths.values())
    if len(distinct) > 1:
        described = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"make_tracks: the columns differ in length: {described}")
    return distinct.pop() if distinct else 1
