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

import json

import numpy as np
import pandas as pd

from tracks.errors import ReadError
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
    """A header, Parquet schema or first JSON record with ``timestamp, icao24, latitude, longitude``."""
    required = list(REQUIRED.values())
    if header_has(head, required) or set(required) <= set(parquet_columns(head, path)):
        return True
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return start in (b"[", b"{") and all(b'"' + key.encode() + b'"' in head for key in required)


def read_chunks(stream, path, report, *, chunk_rows=1_000_000, **_options):
    """Read a ``traffic`` CSV, Parquet or JSON file in raw chunks."""
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
            units=UNITS,
            lowercase_aircraft=True,
            chunk_rows=chunk_rows,
        )


def _json_chunks(stream, path, report, chunk_rows):
    """Records of a JSON array (one chunk) or of JSON lines (chunks)."""
    lines_mode = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"
    stream.seek(0)
    try:
        if lines_mode:
            frames = pd.read_json(stream, lines=True, chunksize=chunk_rows, dtype=False)
        else:
            frames = [pd.read_json(stream, orient="records", dtype=False)]
        rows_done = 0
        for frame in frames:
            lines = 1 + rows_done + np.arange(len(frame), dtype=np.int64)
            rows_done += len(frame)
            yield _json_chunk(frame, lines, path, report)
    except (ValueError, json.JSONDecodeError) as exc:
        if str(exc).startswith(f"{path}"):
            raise
        raise ReadError(f"{path}: not valid JSON records ({exc})") from None
    if rows_done == 0:
        raise ReadError(f"{path}:1: no records")


def _json_chunk(frame, lines, path, report):
    missing = [name for name in REQUIRED.values() if name not in frame.columns]
    if missing:
        raise ReadError(
            f"{path}:{lines[0] if len(lines) else 1}: missing field(s) "
            f"{', '.join(map(repr, missing))}; the records have {', '.join(map(repr, frame.columns))}"
        )
    units = dict(UNITS)
    for target in ("time", "position_time"):
        name = {**REQUIRED, **OPTIONAL}[target]
        numeric = name in frame and pd.api.types.is_numeric_dtype(frame[name].dtype)
        if numeric and np.nanmax(np.abs(frame[name].to_numpy(np.float64)), initial=0) > _MS_ABOVE:
            units[target] = "ms"
    present = {t: n for t, n in OPTIONAL.items() if n in frame.columns}
    layout = Layout({**REQUIRED, **present}, units, lowercase_aircraft=True)
    return mapped_chunk(frame, lines, layout, path, report)
