"""Events tables to and from files: CSV, JSON, GeoJSON, Parquet, and JSON lines.

The format follows the file's ending:

``.csv``
    one row per event, times ISO 8601 UTC to the nanosecond;
``.json``
    a list of records, times as in CSV;
``.geojson``
    a FeatureCollection, one Point per event at its deepest point, with
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
from detect.events import EVENT_COLUMNS, EVENT_TIME_COLUMNS, empty_events, validate_events

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

    Raises
    ------
    ReadError
        For another ending, or a stream without ``".csv"`` or ``".json"``.

    Examples
    --------
    >>> import io
    >>> from detect.events import empty_events
    >>> stream = write_events(empty_events(), io.StringIO(), ending=".csv")
    >>> stream.getvalue().split(",")[:3]
    ['track_id', 'airspace_id', 'country']
    """
    stream = hasattr(path, "write")
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
        points = gpd.points_from_xy(events["deepest_lon"], events["deepest_lat"], crs="EPSG:4326")
        gpd.GeoDataFrame(_as_text(events), geometry=points).to_file(target, driver="GeoJSON")
    return target


def read_events(path) -> pd.DataFrame:
    """Read an events file written by :func:`write_events` (or by hand, in its layout).

    Every column comes back in its :data:`detect.EVENT_COLUMNS` dtype, in
    every format: ``track_id`` as text (the ``"string"`` dtype), even where
    the events were found in tracks with integer or categorical ids (an id
    9 reads back as ``"9"``).

    Raises
    ------
    ReadError
        Naming the file: missing, another ending, unreadable, or not an events table.
    """
    path = Path(path)
    ending = _ending(path)
    if not path.exists():
        raise ReadError(f"{path}: no such file")
    try:
        if ending == ".parquet":
            table = pd.read_parquet(path)
        elif ending == ".csv":
            table = pd.read_csv(path, keep_default_na=True)
        elif ending == ".json":
            table = pd.DataFrame(json.loads(path.read_text()))
        else:
            # GDAL would parse the times to milliseconds: keep them as text, parsed below.
            table = pd.DataFrame(pyogrio.read_dataframe(path, DATE_AS_STRING="YES").drop(columns="geometry"))
    except Exception as error:  # parsers raise many kinds: one message naming the file
        raise ReadError(f"{path}: cannot read as events ({error})") from None
    if table.empty and not len(table.columns):
        return empty_events()
    for name in EVENT_TIME_COLUMNS:
        if name in table.columns and not isinstance(table[name].dtype, pd.DatetimeTZDtype):
            table[name] = pd.to_datetime(table[name], utc=True, format="ISO8601")
    missing = [name for name in EVENT_COLUMNS if name not in table.columns]
    if missing:
        raise ReadError(f"{path}: not an events table: no column(s) {', '.join(missing)}")
    table = table.astype({name: dtype for name, dtype in EVENT_COLUMNS.items() if name not in EVENT_TIME_COLUMNS})
    return validate_events(table[list(EVENT_COLUMNS)], source=str(path))


def event_record(event: dict) -> dict:
    """One event as a JSON-ready dict: ISO 8601 times, NaN and NaT as null."""
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


def _as_text(events):
    """The events with their times as ISO 8601 text (to the nanosecond)."""
    table = events.copy()
    for name in EVENT_TIME_COLUMNS:
        times = table[name]
        nanoseconds = times.dt.nanosecond.astype(str).str.zfill(3)
        table[name] = times.dt.strftime("%Y-%m-%dT%H:%M:%S.%f") + nanoseconds + "Z"
    return table


def _ending(path: Path) -> str:
    ending = path.suffix.lower()
    if ending not in EVENT_FILE_ENDINGS:
        raise ReadError(f"{path}: unknown events file ending; use one of {', '.join(EVENT_FILE_ENDINGS)}")
    return ending
