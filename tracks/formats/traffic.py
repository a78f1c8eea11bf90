"""The ``traffic`` library's layout, as CSV, Parquet or pandas JSON records: format ``traffic``.

Columns: ``timestamp`` (ISO 8601 text in CSV, a datetime in Parquet, epoch
milliseconds or ISO text in JSON), ``icao24``, ``latitude``, ``longitude``
(degrees), ``altitude`` (pressure altitude, ft), ``geoaltitude`` (ft),
``groundspeed`` (kt), ``track`` (degrees), ``callsign``, ``onground``,
``last_position`` (when the position was measured; used as the fix time
where known). The aircraft key is ``icao24``, lowercased.

JSON is what ``DataFrame.to_json(orient="records")`` writes (one array of
objects) or its ``lines=True`` form (one object per line, read in chunks).
Numeric JSON times above 1e11 are milliseconds, else seconds. ``line`` is the
file line (CSV, JSON lines), the 1-based row (Parquet) or the 1-based record
of the array (JSON array).
"""

import numpy as np
import pandas as pd

from tracks.errors import ReadError
from tracks.formats._common import decoded_text, json_numbers, json_scalars, load_json, parse_json
from tracks.formats.generic_csv import Layout, header_has, mapped_chunk, parquet_columns, read_fixed_layout

NAME = "traffic"
EXTENSIONS = (".csv", ".parquet", ".json", ".jsonl")

REQUIRED = {"time": "timestamp", "aircraft": "icao24", "lat": "latitude", "lon": "longitude"}
"""Mapping targets to ``traffic`` columns a file must have."""

OPTIONAL = {
    "position_time": "last_position",
    "icao24": "icao24",
    "callsign": "callsign",
    "alt_baro": "altitude",
    "alt_geo": "geoaltitude",
    "ground_speed": "groundspeed",
    "track": "track",
    "on_ground": "onground",
}
"""Mapping targets to ``traffic`` columns read where present."""

UNITS = {"alt_baro": "ft", "alt_geo": "ft", "ground_speed": "kt"}
"""The units of ``traffic`` columns."""

_MS_ABOVE = 1e11  # epoch seconds reach 1e11 in the year 5138


def sniff(head, path):
    """A header, Parquet schema or first JSON record with ``timestamp, icao24, latitude, longitude``.

    Examples
    --------
    >>> from pathlib import Path
    >>> yes, no = b"timestamp,icao24,latitude,longitude,altitude\\n", b"time,icao24,lat,lon\\n"
    >>> sniff(yes, Path("t.csv")), sniff(no, Path("t.csv"))
    (True, False)
    """
    required = list(REQUIRED.values())
    if header_has(head, required) or set(required) <= set(parquet_columns(head, path)):
        return True
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return start in (b"[", b"{") and all(b'"' + key.encode() + b'"' in head for key in required)


def read_chunks(stream, path, report, *, chunk_rows=1_000_000, units=None, **_options):
    """Read a ``traffic`` CSV, Parquet or JSON file in raw chunks; `units` (CSV, Parquet) over :data:`UNITS`.

    Examples
    --------
    >>> from tracks.formats._common import sample_chunk
    >>> text = b"timestamp,icao24,latitude,longitude,altitude\\n2025-09-19T09:30:00Z,4CA2D6,59.8,24.3,35000\\n"
    >>> chunk, report = sample_chunk(read_chunks, text, "t.csv")
    >>> chunk[["aircraft", "lat", "lon", "alt_baro_m", "line"]].values.tolist(), report.rows_read
    ([['4ca2d6', 59.8, 24.3, 10668.0, 2]], 1)
    """
    first = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    stream.seek(0)
    if first in (b"[", b"{"):
        yield from _json_chunks(stream, path, report, chunk_rows)
    else:
        yield from read_fixed_layout(
            stream,
            path,
            report,
            REQUIRED,
            OPTIONAL,
            units={**UNITS, **(units or {})},
            lowercase_aircraft=True,
            chunk_rows=chunk_rows,
        )


def _json_chunks(stream, path, report, chunk_rows):
    """Records of a JSON array (one chunk) or of JSON lines (chunks of `chunk_rows` records).

    An item of the array, or a line, that is not a JSON object is rejected
    and counted ("malformed record (not an object)"), the records beside it
    kept.
    """
    lines_mode = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"
    stream.seek(0)
    batches = _json_lines(stream, path, report, chunk_rows) if lines_mode else [_json_array(stream, path, report)]
    n_records = 0
    for items, lines in batches:
        n_records += len(items)
        is_record = np.array([isinstance(item, dict) for item in items], dtype=bool)
        report.rows_read += int((~is_record).sum())
        report.reject("malformed record (not an object)", lines[~is_record])
        records = [item for item, ok in zip(items, is_record) if ok]
        if records:
            yield _json_chunk(pd.DataFrame.from_records(records), lines[is_record], path, report)
    if n_records == 0:
        raise ReadError(f"{path}:1: no records")


def _json_array(stream, path, report):
    """The items of a JSON array, and their numbers from 1."""
    document = load_json(stream, path, report)
    if not isinstance(document, list):
        raise ReadError(f"{path}:1: not a JSON array of records, nor one record a line")
    return document, np.arange(1, len(document) + 1, dtype=np.int64)


def _json_lines(stream, path, report, chunk_rows):
    """``(items, lines)`` of JSON lines, `chunk_rows` non-blank lines at a time."""
    items, lines = [], []
    for number, line in enumerate(stream, start=1):
        text = decoded_text(line, path, report).strip()
        if text:
            items.append(parse_json(text, path, number))
            lines.append(number)
        if len(items) >= chunk_rows:
            yield items, np.array(lines, dtype=np.int64)
            items, lines = [], []
    if items:
        yield items, np.array(lines, dtype=np.int64)


def _json_chunk(frame, lines, path, report):
    missing = [name for name in REQUIRED.values() if name not in frame.columns]
    if missing:
        raise ReadError(
            f"{path}:{lines[0] if len(lines) else 1}: missing field(s) "
            f"{', '.join(map(repr, missing))}; the records have {', '.join(map(repr, frame.columns))}"
        )
    frame = json_scalars(frame, lines, report)
    for target in ("time", "position_time"):
        name = {**REQUIRED, **OPTIONAL}[target]
        if name in frame.columns:
            frame[name] = _unix_seconds(frame[name])
    present = {t: n for t, n in OPTIONAL.items() if n in frame.columns}
    layout = Layout({**REQUIRED, **present}, dict(UNITS), lowercase_aircraft=True)
    return mapped_chunk(frame, lines, layout, path, report)


def _unix_seconds(column):
    """JSON times with numbers above 1e11 (milliseconds) as seconds, each value judged alone; text kept."""
    numbers = json_numbers(column)
    is_ms = np.abs(numbers) > _MS_ABOVE
    if not is_ms.any():
        return column
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        return pd.Series(np.where(is_ms, numbers / 1000, numbers), index=column.index)
    values = column.to_numpy(dtype=object, copy=True)
    values[is_ms] = numbers[is_ms] / 1000
    return pd.Series(values, index=column.index, dtype=object)
