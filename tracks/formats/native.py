"""CSV in the layout of the tracks table itself: format ``airwarden``.

Parsed by :mod:`tracks.table_csv` (the same rules as
:func:`tracks.read_tracks_csv`: header ``track_id, time, lon, lat`` and
optionally ``alt_baro_m``, ``alt_geo_m`` and the optional columns). The file
already holds flights: each ``track_id`` is kept as it is (not split on gaps,
not renamed). Rows with an empty ``track_id``, an unreadable time or
altitude are rejected here; NaN or out-of-range coordinates and duplicates
are counted by the framework. ``line`` is the file line. The whole file is
one chunk.
"""

import numpy as np
import pandas as pd

from tracks.errors import ReadError
from tracks.formats.generic_csv import header_has
from tracks.table_csv import REQUIRED_CSV_COLUMNS, _fields, _layout, _parsed

NAME = "airwarden"
EXTENSIONS = (".csv",)

_READER_REASONS = ("empty track_id", "unparseable time", "unparseable altitude")


def sniff(head, path):
    """A header with ``track_id, time, lon, lat``."""
    return header_has(head, REQUIRED_CSV_COLUMNS)


def read_chunks(stream, path, report, **_options):
    """Read a tracks-table CSV file as one raw chunk, with its ``track_id`` column.

    Raises ReadError naming file and line, as :func:`tracks.read_tracks_csv`
    does, and for a header with no rows.
    """
    raw = stream.read()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ReadError(f"{path}:{line}: not UTF-8 text") from None
    names, data_at, skipped = _layout(path, raw, report)
    if len(data_at) == 0:
        raise ReadError(f"{path}:{skipped[-1] + 1}: a header and no data rows")
    fields = _fields(raw, names, skipped, n_rows=len(data_at))
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
