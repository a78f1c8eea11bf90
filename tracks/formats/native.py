"""CSV or Parquet in the layout of the tracks table itself: format ``airwarden``.

What ``airwarden tracks --out`` writes (:func:`tracks.write_tracks`). CSV is
parsed by :mod:`tracks.table_csv` (the same rules as
:func:`tracks.read_tracks_csv`: header ``track_id, time, lon, lat`` and
optionally ``alt_baro_m``, ``alt_geo_m`` and the optional columns). The file
already holds flights: each ``track_id`` is kept as it is (not split on gaps,
not renamed). Rows with an empty ``track_id``, an unreadable time or
altitude are rejected here; NaN or out-of-range coordinates and duplicates
are counted by the framework. ``line`` is the file line. The whole file is
one chunk.

Parquet holds the columns in their dtypes; it is read in chunks, ``line``
the 1-based row. A column of the wrong type (``time`` not times, ``lon``
not numbers) refuses the file; rows with an empty ``track_id`` are rejected.
"""

import numpy as np
import pandas as pd

from tracks.errors import ReadError
from tracks.formats.generic_csv import header_has, is_parquet, open_parquet, parquet_columns, parquet_frames
from tracks.table import STRING_DTYPE
from tracks.table_csv import REQUIRED_CSV_COLUMNS, _fields, _layout, _parsed

NAME = "airwarden"
EXTENSIONS = (".csv", ".parquet")

_READER_REASONS = ("empty track_id", "unparseable time", "unparseable altitude")


def sniff(head, path):
    """A header (or Parquet schema) with ``track_id, time, lon, lat``.

    Examples
    --------
    >>> from pathlib import Path
    >>> yes, no = b"track_id,time,lon,lat,alt_baro_m\\n", b"time,lon,lat\\n"
    >>> sniff(yes, Path("tracks.csv")), sniff(no, Path("tracks.csv"))
    (True, False)
    """
    return header_has(head, REQUIRED_CSV_COLUMNS) or set(REQUIRED_CSV_COLUMNS) <= set(parquet_columns(head, path))


def read_chunks(stream, path, report, *, chunk_rows=1_000_000, **_options):
    """Read a tracks-table CSV file as one raw chunk, or a Parquet file in chunks, with ``track_id``.

    Raises ReadError naming file and line, as :func:`tracks.read_tracks_csv`
    does, and for a header with no rows.

    Examples
    --------
    >>> from tracks.formats._common import sample_chunk
    >>> text = (b"track_id,time,lon,lat\\nF1,2025-09-19T09:30:00Z,24.3,59.8\\n"
    ...         b"F1,2025-09-19T09:30:10Z,24.33,59.8\\n")
    >>> chunk, report = sample_chunk(read_chunks, text, "tracks.csv")
    >>> chunk[["track_id", "lon", "lat", "line"]].values.tolist(), report.rows_read
    ([['F1', 24.3, 59.8, 2], ['F1', 24.33, 59.8, 3]], 2)
    """
    if is_parquet(stream):
        yield from _parquet_chunks(stream, path, report, chunk_rows)
        return
    raw = stream.read()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ReadError(f"{path}:{line}: not UTF-8 text") from None
    names, data_at, skipped = _layout(path, raw, report)
    if len(data_at) == 0:
        header_line = next(number for number, line in enumerate(raw.split(b"\n"), start=1) if line.strip())
        raise ReadError(f"{path}:{header_line}: a header and no data rows")
    fields = _fields(raw, names, skipped, n_rows=len(data_at), path=path)
    line_no = data_at + 1
    report.rows_read += len(fields)
    columns, reason = _parsed(fields, line_no, report)
    for name in _READER_REASONS:
        report.reject(name, line_no[reason == name])
    keep = ~np.isin(reason.astype(str), _READER_REASONS)
    chunk = pd.DataFrame(columns, index=fields.index).loc[keep].reset_index(drop=True)
    chunk["aircraft"] = chunk["track_id"]
    chunk["line"] = line_no[keep]
    yield chunk


def _parquet_chunks(stream, path, report, chunk_rows):
    """Raw chunks of a tracks-table Parquet file, `chunk_rows` rows at a time."""
    parquet = open_parquet(stream, path)
    names = parquet.schema_arrow.names
    missing = [name for name in REQUIRED_CSV_COLUMNS if name not in names]
    if missing:
        raise ReadError(
            f"{path}: missing column(s) {', '.join(map(repr, missing))}; the file has {', '.join(map(repr, names))}"
        )
    for frame, lines in parquet_frames(parquet, path, None, chunk_rows):
        report.rows_read += len(frame)
        yield _parquet_chunk(frame.reset_index(drop=True), lines, path, report)


def _parquet_chunk(frame, lines, path, report):
    """A raw chunk of the columns of a tracks-table Parquet file; rows with no track_id rejected."""
    time = frame["time"]
    if not pd.api.types.is_datetime64_any_dtype(time.dtype):
        raise ReadError(f"{path}: column 'time' holds {time.dtype}, not times")
    if not isinstance(time.dtype, pd.DatetimeTZDtype):
        report.note("times without a time zone read as UTC")
        time = time.dt.tz_localize("UTC")
    columns = {"time": time.dt.tz_convert("UTC").dt.as_unit("ns")}
    for name in ("lon", "lat", "alt_baro_m", "alt_geo_m", "ground_speed_mps", "track_deg"):
        if name not in frame.columns:
            if name in ("alt_baro_m", "alt_geo_m"):
                columns[name] = np.full(len(frame), np.nan)
            continue
        values = frame[name]
        if not pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
            raise ReadError(f"{path}: column {name!r} holds {values.dtype}, not numbers")
        columns[name] = values.to_numpy(dtype=np.float64, na_value=np.nan)
    track_id = frame["track_id"].astype(STRING_DTYPE).str.strip()
    no_id = (track_id.isna() | (track_id == "")).to_numpy()
    columns["track_id"] = track_id.mask(no_id)
    for name in frame.columns.difference(list(columns), sort=False):
        values = frame[name]
        if name == "suspect" and not pd.api.types.is_bool_dtype(values.dtype):
            unreadable = ~values.astype(STRING_DTYPE).str.strip().str.lower().isin(("false", "0"))
            values = unreadable.to_numpy(dtype=bool)
        columns[name] = values
    report.reject("empty track_id", lines[no_id])
    chunk = pd.DataFrame(columns, index=frame.index).loc[~no_id].reset_index(drop=True)
    chunk["aircraft"] = chunk["track_id"]
    chunk["line"] = lines[~no_id]
    return chunk
