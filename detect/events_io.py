"""Events tables to and from files: CSV, JSON, GeoJSON, Parquet, and JSON lines.

The format follows the file's ending:

``.csv``
    one row per event, times ISO 8601 UTC to the nanosecond;
``.json``
    a list of records, times as in CSV;
``.geojson``
    a FeatureCollection, one Point per event at its deepest point (an
    approach's closest), with
    every column as a property;
``.parquet``
    the table as it is.

Each reads back to the same events table (:func:`read_events`).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from tracks.errors import ReadError
from detect.event_files import EVENT_FILE_ENDINGS
from detect.events import (EVENT_COLUMNS, EVENT_DEFAULTS, EVENT_TIME_COLUMNS, empty_events, in_event_order,
                           validate_events)

_ISO_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"
_STREAM_ENDINGS = (".csv", ".json")


def write_events(events: pd.DataFrame, path, *, ending: str | None = None):
    """Write an events table in the format its file ending names, or to a text stream.

    Parameters
    ----------
    events : pandas.DataFrame
        An events table.
    path : str, os.PathLike or text file object
        A file ending in ``.csv``, ``.json``, ``.geojson`` or ``.parquet``;
        or a text stream, such as ``sys.stdout``, for CSV and JSON.
    ending : {".csv", ".json"}, optional
        The format written to a text stream (for a file, its ending says).

    Returns
    -------
    pathlib.Path or file object
        The file written, or the stream.

    Times in any zone are written in UTC.

    Raises
    ------
    ReadError
        For another ending, or a stream without ``".csv"`` or ``".json"``.
    ValueError
        For a table that is not an events table (:func:`detect.validate_events`),
        or times without a zone.

    Examples
    --------
    >>> import io
    >>> from detect.events import empty_events
    >>> stream = write_events(empty_events(), io.StringIO(), ending=".csv")
    >>> stream.getvalue().split(",")[:3]
    ['track_id', 'airspace_id', 'country']
    """
    stream = hasattr(path, "write")
    events = validate_events(_in_utc(events), source="write_events")
    if stream:
        if ending not in _STREAM_ENDINGS:
            raise ReadError(f"a stream takes events as {' or '.join(_STREAM_ENDINGS)}, not {ending!r}")
        target = path
    else:
        target = Path(path)
        ending = _ending(target)
    if ending == ".parquet":
        events.to_parquet(target, index=False)
    elif ending == ".csv":
        _as_text(events).to_csv(target, index=False)
    elif ending == ".json":
        text = json.dumps([event_record(row) for row in events.to_dict("records")], indent=1) + "\n"
        if stream:
            target.write(text)
        else:
            target.write_text(text)
    else:
        approach = (events["event"] == "approach").to_numpy(bool)
        points = gpd.points_from_xy(np.where(approach, events["closest_lon"], events["deepest_lon"]),
                                    np.where(approach, events["closest_lat"], events["deepest_lat"]), crs="EPSG:4326")
        gpd.GeoDataFrame(_as_text(events), geometry=points).to_file(target, driver="GeoJSON")
    return target


def read_events(path) -> pd.DataFrame:
    """Read an events file written by :func:`write_events` (or by hand, in its layout).

    Every column comes back in its :data:`detect.EVENT_COLUMNS` dtype, in
    every format: ``track_id`` as text (the ``"string"`` dtype), even where
    the events were found in tracks with integer or categorical ids (an id
    9 reads back as ``"9"``). Columns that files written before them lack
    (:data:`detect.events.EVENT_DEFAULTS`) read with their defaults: such
    a file holds violations. A file with a header (or an empty list) and no
    events reads as an events table with no rows. A partitioned Parquet
    dataset (a folder, as ``airwarden detect --scheduler`` writes it) reads
    as one table in the order :func:`detect.find_violations` gives.

    Raises
    ------
    ReadError
        In one line naming the file: missing, another ending, unreadable, not
        an events table, or a value that does not read in its column's type
        (naming the line of a CSV file, the record of a JSON or GeoJSON file,
        the row of a Parquet file), or an event that does not hold together
        (exit before entry, ...).

    Examples
    --------
    >>> import tempfile
    >>> from detect.events import EVENT_COLUMNS, events_from_records
    >>> time = pd.Timestamp("2025-09-19 09:58", tz="UTC")
    >>> event = {**dict.fromkeys(EVENT_COLUMNS, 0), "track_id": 9, "airspace_id": "R1", "entry_time": time,
    ...          "exit_time": time, "deepest_time": time, "entry_face": "lateral", "exit_face": "lateral",
    ...          "event": "violation", "closest_time": pd.NaT}
    >>> folder = tempfile.TemporaryDirectory()  # removed with the object
    >>> events = read_events(write_events(events_from_records([event]), Path(folder.name) / "events.json"))
    >>> events["track_id"].tolist(), str(events["track_id"].dtype), str(events["entry_time"][0])
    (['9'], 'string', '2025-09-19 09:58:00+00:00')
    """
    path = Path(path)
    ending = _ending(path)
    if not path.exists():
        raise ReadError(f"{path}: no such file")
    table = _parsed(path, ending)
    if table.empty and not len(table.columns):
        return empty_events()
    missing = [name for name in EVENT_COLUMNS if name not in table.columns and name not in EVENT_DEFAULTS]
    if missing:
        raise ReadError(f"{path}: not an events table: no column(s) {', '.join(missing)}")
    table = table.assign(**{name: value for name, value in EVENT_DEFAULTS.items() if name not in table.columns})
    table = table[list(EVENT_COLUMNS)].reset_index(drop=True)
    for name, dtype in EVENT_COLUMNS.items():
        values, bad = _typed(table[name], dtype)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            where = f"{path}:{row + 2}" if ending == ".csv" else f"{path}: {_RECORD[ending]} {row + 1}"
            raise ReadError(f"{where}: column {name!r}: {_shown(table[name].iloc[row])} is not {_WHAT[dtype]}")
        table[name] = values
    if path.is_dir():
        table = in_event_order(table)
    try:
        return validate_events(table, source=str(path))
    except ValueError as error:
        raise ReadError(str(error)) from None


_RECORD = {".json": "record", ".geojson": "feature", ".parquet": "row"}
_WHAT = {
    "string": "text",
    "float64": "a number",
    "int64": "a whole number",
    "bool": "true or false",
    "datetime64[ns, UTC]": "an ISO 8601 time",
}
_TRUE = ("true", "1")
_FALSE = ("false", "0")


def _parsed(path, ending):
    """The file's table as its parser gives it; any parser error as one ReadError naming the file."""
    try:
        if ending == ".parquet":
            return pd.read_parquet(path)
        if ending == ".csv":
            return pd.read_csv(path, keep_default_na=True, dtype=object)
        if ending == ".json":
            records = json.loads(path.read_bytes().decode("utf-8-sig"))
            if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
                raise ValueError("not a list of event records")
            return pd.DataFrame.from_records(records) if records else pd.DataFrame()
        # GDAL would parse the times to milliseconds: keep them as text, parsed below.
        return pd.DataFrame(pyogrio.read_dataframe(path, DATE_AS_STRING="YES").drop(columns="geometry"))
    except Exception as error:  # parsers raise many kinds: one message naming the file
        text = " ".join(str(error).split())[:200] or type(error).__name__
        raise ReadError(f"{path}: cannot read as events ({text})") from None


def _typed(values, dtype):
    """`values` in `dtype`, and where a value is there but does not read in it (never raises)."""
    n_rows = len(values)
    if dtype.startswith("datetime"):
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            return values.dt.tz_convert("UTC").dt.as_unit("ns"), np.zeros(n_rows, bool)
        text = _text(values)
        times = pd.to_datetime(text, utc=True, format="ISO8601", errors="coerce").astype(dtype)
        return times, (times.isna() & text.notna()).to_numpy()
    if dtype == "string":
        text = _text(values)
        nested = values.map(lambda value: isinstance(value, (list, dict))).to_numpy(dtype=bool)
        return text.mask(nested), nested
    if dtype == "bool":
        if pd.api.types.is_bool_dtype(values.dtype):
            return values.astype(bool), np.zeros(n_rows, bool)
        words = _text(values).str.strip().str.lower()
        return words.isin(_TRUE).to_numpy(), ~(words.isin(_TRUE) | words.isin(_FALSE)).to_numpy()
    numbers = _numbers(values)
    wrong_type = values.map(lambda value: isinstance(value, (list, dict, bool))).to_numpy(dtype=bool)
    if pd.api.types.is_bool_dtype(values.dtype):
        wrong_type[:] = True
    bad = (numbers.isna() & _text(values).notna()).to_numpy() | wrong_type
    if dtype == "int64":
        whole = np.isfinite(numbers) & (numbers % 1 == 0)
        bad = bad | ~whole.to_numpy()
        return numbers.where(whole, 0).astype("int64"), bad
    return numbers.astype(dtype), bad


def _text(values):
    """Values as text (the ``"string"`` dtype): numbers written out, booleans as words, missing as NA."""
    scalar = values.map(lambda value: not isinstance(value, (list, dict)))
    values = values.where(scalar.to_numpy(dtype=bool), None)
    return values.astype("string").where(values.notna(), pd.NA).astype("string")


def _numbers(values):
    """Float64 of numbers or number text; NaN where missing or unreadable (booleans are not numbers)."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("float64")
    readable = values.map(lambda value: not isinstance(value, (list, dict, bool))).to_numpy(dtype=bool)
    return pd.to_numeric(_text(values.where(readable, None)), errors="coerce").astype("float64")


def _shown(value):
    """A value for a message, shortened."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def event_record(event: dict) -> dict:
    """One event as a JSON-ready dict: ISO 8601 times, NaN and NaT as null.

    Examples
    --------
    >>> from detect.events import EVENT_COLUMNS
    >>> event = {**dict.fromkeys(EVENT_COLUMNS, np.nan), "track_id": "A", "n_fixes": np.int64(2),
    ...          "entry_time": pd.Timestamp("2025-09-19 09:58:00.000000001", tz="UTC"), "deepest_time": pd.NaT}
    >>> record = event_record(event)
    >>> record["entry_time"], record["deepest_time"], record["n_fixes"], record["max_depth_m"]
    ('2025-09-19T09:58:00.000000001Z', None, 2, None)
    """
    record = {}
    for name in EVENT_COLUMNS:
        value = event[name]
        if value is pd.NaT:
            value = None
        elif isinstance(value, pd.Timestamp):
            value = value.strftime(_ISO_FORMAT) + f"{value.nanosecond:03d}Z"
        elif isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        record[name] = value
    return record


def _in_utc(events):
    """The events with the times they have in UTC; naive times are refused (they are not assumed to be UTC).

    Examples
    --------
    >>> from detect.events import empty_events
    >>> events = empty_events()
    >>> _in_utc(events.assign(entry_time=events["entry_time"].dt.tz_convert("Europe/Tallinn")))["entry_time"].dtype
    datetime64[ns, UTC]
    >>> _in_utc(events.assign(entry_time=events["entry_time"].dt.tz_localize(None)))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ValueError: write_events: column 'entry_time': expected times with a zone, found dtype datetime64[ns]; ...
    """
    times_of = {name: events[name] for name in EVENT_TIME_COLUMNS if name in events.columns}
    for name, times in times_of.items():
        if not pd.api.types.is_datetime64_any_dtype(times.dtype) or times.dt.tz is None:
            raise ValueError(f"write_events: column {name!r}: expected times with a zone, found dtype {times.dtype}; "
                             "localize naive UTC times with .dt.tz_localize('UTC')")
    return events.assign(**{name: times.dt.tz_convert("UTC") for name, times in times_of.items()})


def _as_text(events):
    """The events with their times as ISO 8601 text (to the nanosecond)."""
    table = events.copy()
    for name in EVENT_TIME_COLUMNS:
        times = table[name]
        nanoseconds = times.dt.nanosecond.fillna(0).astype(int).astype(str).str.zfill(3)  # float where NaT
        table[name] = times.dt.strftime("%Y-%m-%dT%H:%M:%S.%f") + nanoseconds + "Z"
    return table


def _ending(path: Path) -> str:
    ending = path.suffix.lower()
    if ending not in EVENT_FILE_ENDINGS:
        raise ReadError(f"{path}: unknown events file ending; use one of {', '.join(EVENT_FILE_ENDINGS)}")
    return ending
