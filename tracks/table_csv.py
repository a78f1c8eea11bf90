"""Strict reader for CSV files in the layout of the tracks table.

A bad file (missing, binary, empty, no header, a missing column, a line with
the wrong number of fields) raises :class:`ReadError` naming the file and
line. A bad row is rejected and counted by reason in a
:class:`TrackReadReport`; nothing is dropped silently.

Line numbers are 1-based lines of the file (the header is line 1 unless blank
lines come before it). Fields may be quoted, but a quoted field must not span
lines. Missing values are written as :mod:`tracks.missing` says (``N/A``,
``null``, empty, ...), as for every CSV reader.
"""

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from tracks.errors import ReadError
from tracks.missing import MISSING_WORDS, missing_text
from tracks.opening import file_bytes
from tracks.report import TrackReadReport
from tracks.table import (
    OPTIONAL_TRACK_COLUMNS,
    STRING_DTYPE,
    TRACK_COLUMNS,
    iso_times_utc,
    validate_tracks,
)

REQUIRED_CSV_COLUMNS = ("track_id", "time", "lon", "lat")
"""Columns a tracks CSV file must have; the altitudes may be absent."""

REJECT_REASONS = (
    "empty track_id",
    "unparseable time",
    "missing or unparseable lon/lat",
    "lon/lat out of range",
    "unparseable altitude",
    "duplicate (track_id, time)",
)
"""Why a row is rejected. A row with several faults counts once, under the first."""

FLAG_COLUMNS = ("on_ground",)
"""Columns of flags that may be unknown (nullable booleans): ``True``, ``False``, or empty."""

_NUMERIC_COLUMNS = ("lon", "lat", "alt_baro_m", "alt_geo_m", "ground_speed_mps", "track_deg")
_TRUE = ("true", "t", "yes", "y", "1")
_FALSE = ("false", "f", "no", "n", "0", "")
_NS_PER_S = 1_000_000_000
_UNIX_MAX_S = 9_000_000_000  # about year 2255; nanosecond times end in 2262
_UNIX_SECONDS = r"^([+-]?)(\d{1,10})(?:\.(\d*))?$"
_NEWLINE, _CR, _SPACE, _TAB, _COMMA, _QUOTE = b"\n\r \t,\""


def read_tracks_csv(path):
    """Read a CSV file in the tracks-table layout, strictly.

    Parameters
    ----------
    path : str or os.PathLike
        A UTF-8 CSV file whose header names at least ``track_id``, ``time``,
        ``lon`` and ``lat``. ``alt_baro_m`` and ``alt_geo_m`` are NaN when
        absent or empty; the optional columns of the tracks table
        (``callsign``, ``suspect``, ...) are parsed to their dtype, and
        unknown columns are kept as text. Column names are stripped of
        spaces, nothing else (``Lon`` is not ``lon``).

    Returns
    -------
    tracks : pandas.DataFrame
        The accepted rows, sorted by ``track_id`` then ``time``, passing
        :func:`tracks.validate_tracks`.
    report : TrackReadReport
        Counts of rows read, accepted, rejected by reason (with their line
        numbers) and reordered, and notes.

    Raises
    ------
    ReadError
        Naming the file, and the line where there is one, if the file is
        missing, unreadable, binary or not UTF-8, empty, has no header or
        lacks a required column (the message lists the columns there are),
        has a line with the wrong number of fields (a truncated last line,
        say) or a quote left open.

    Notes
    -----
    Times are ISO 8601 with ``Z`` or an offset (converted to UTC), or unix
    seconds (up to 9 decimals, kept exact to the nanosecond). ISO times
    without a zone are read as UTC and the report says so; times in
    milliseconds are not recognised (they are rejected as unparseable).

    A row is rejected (see :data:`REJECT_REASONS`) for an empty track_id, an
    unparseable time, a missing or unparseable lon or lat, lon outside
    [-180, 180] or lat outside [-90, 90] (lon 180 is written as -180), an
    altitude that is neither empty nor a finite number (``nan``, ``NA``,
    ``null`` count as empty), or a ``(track_id, time)`` seen on an earlier
    line (the first is kept). Bad values in optional columns do not reject
    the row: an unparseable speed or track angle becomes NaN and an
    unparseable ``suspect`` flag becomes True, with a note. ``on_ground``
    (written by ``airwarden tracks`` where the recording had it) is read as
    nullable booleans: empty is unknown, and so is an unreadable word, with
    a note. Blank lines are skipped, with a note.

    Examples
    --------
    >>> import tempfile, os
    >>> csv_path = os.path.join(tempfile.mkdtemp(), "fixes.csv")
    >>> with open(csv_path, "w") as f:
    ...     _ = f.write("track_id,time,lon,lat,alt_baro_m\\n"
    ...                 "IL78,2025-10-23T16:00:18Z,23.41,54.21,3000\\n"
    ...                 "IL78,2025-10-23T16:00:00Z,23.40,54.20,\\n"
    ...                 "IL78,yesterday,23.40,54.20,3000\\n")
    >>> tracks, report = read_tracks_csv(csv_path)
    >>> tracks["alt_baro_m"].tolist()
    [nan, 3000.0]
    >>> report.rejected, report.first_rejected_lines, report.reordered
    ({'unparseable time': 1}, {'unparseable time': [4]}, 1)
    """
    path = Path(path)
    report = TrackReadReport(path=path)
    raw = _read_bytes(path)
    names, data_at, skipped = _layout(path, raw, report)
    fields = _fields(raw, names, skipped, n_rows=len(data_at), path=path)
    line_no = data_at + 1
    report.rows_read = len(fields)
    if fields.empty:
        report.notes.append("no data rows (header only)")

    columns, reason = _parsed(fields, line_no, report)
    table = pd.DataFrame(columns, index=fields.index)
    reason[_later_than_accepted(table, reason == "")] = "duplicate (track_id, time)"
    _count_rejected(report, reason, line_no)
    table = table.loc[reason == ""]
    report.reordered = _count_reordered(table)
    report.rows_accepted = len(table)
    table = table.sort_values(["track_id", "time"], kind="stable", ignore_index=True)
    return validate_tracks(table, source=str(path)), report


# --- file level ---------------------------------------------------------------


def _read_bytes(path):
    """The file's bytes, checked to be non-empty UTF-8 text."""
    raw = file_bytes(path, "a CSV file")
    if not raw.strip():
        raise ReadError(f"{path}: the file is empty (no header, no rows)")
    nul_at = raw.find(b"\x00")
    if nul_at >= 0:
        raise ReadError(
            f"{path}:{_line_of(raw, nul_at)}: binary data (a NUL byte), "
            "not a CSV text file"
        )
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"{path}:{_line_of(raw, exc.start)}: not UTF-8 text "
            f"(byte 0x{raw[exc.start]:02x} at offset {exc.start}); a binary file, "
            "or text to be saved as UTF-8"
        ) from None
    return raw


def _layout(path, raw, report):
    """Column names, data line indices (0-based) and the line indices pandas must skip.

    Raises for a bad header, an open quote, a stray carriage return and lines
    with the wrong number of fields.
    """
    buf = np.frombuffer(raw, dtype=np.uint8)
    starts, ends = _line_bounds(buf)
    blank = _blank_lines(buf, starts, ends)
    n_fields = _fields_per_line(path, buf, starts, ends)
    header_at = int(np.argmax(~blank))
    header = raw[starts[header_at] : ends[header_at]].decode("utf-8-sig").rstrip("\r")
    names = _header(path, header, header_at + 1, report)
    data_at = np.flatnonzero(~blank)
    data_at = data_at[data_at > header_at]
    _check_fields(path, n_fields, data_at, len(names), ends_with_newline=raw.endswith(b"\n"))
    n_blank = int(blank[:-1].sum()) + int(blank[-1] and starts[-1] < len(buf))
    if n_blank:
        report.notes.append(f"skipped {n_blank} blank line(s)")
    return names, data_at, np.flatnonzero(blank | (np.arange(len(blank)) <= header_at))


def _line_of(raw, offset):
    """1-based line number of byte `offset` in `raw`."""
    return raw.count(b"\n", 0, offset) + 1


def _line_bounds(buf):
    """Start and end (exclusive, before the newline) offsets of every line."""
    newlines = np.flatnonzero(buf == _NEWLINE)
    return np.concatenate([[0], newlines + 1]), np.append(newlines, len(buf))


def _count_between(positions, starts, ends):
    """How many of the sorted `positions` fall in each [start, end)."""
    return np.searchsorted(positions, ends) - np.searchsorted(positions, starts)


def _blank_lines(buf, starts, ends):
    spaces = np.flatnonzero((buf == _SPACE) | (buf == _TAB) | (buf == _CR))
    return _count_between(spaces, starts, ends) == ends - starts


def _has_padding(buf):
    """Whether any field starts or ends with a space or tab."""
    at = np.flatnonzero((buf == _SPACE) | (buf == _TAB))
    before = buf[np.maximum(at - 1, 0)]
    after = buf[np.minimum(at + 1, len(buf) - 1)]
    return bool(
        ((at == 0) | (before == _COMMA) | (before == _NEWLINE)).any()
        or ((at == len(buf) - 1) | (after == _COMMA) | (after == _NEWLINE) | (after == _CR)).any()
    )


def _fields_per_line(path, buf, starts, ends):
    """Fields on each line, commas in quotes not counted; raises for an open quote or a stray CR."""
    quotes = np.flatnonzero(buf == _QUOTE)
    open_quote = _count_between(quotes, starts, ends) % 2 == 1
    if open_quote.any():
        raise ReadError(
            f'{path}:{np.argmax(open_quote) + 1}: a quote (") is left open; '
            "a quoted field may not span lines"
        )
    cr = np.flatnonzero(buf == _CR)
    stray = cr[(cr < len(buf) - 1) & (buf[np.minimum(cr + 1, len(buf) - 1)] != _NEWLINE)]
    if len(stray):
        raise ReadError(
            f"{path}:{np.searchsorted(starts, stray[0], side='right')}: "
            "a carriage return (\\r) inside a line; lines must end with \\n or \\r\\n"
        )
    commas = np.flatnonzero(buf == _COMMA)
    commas = commas[np.searchsorted(quotes, commas) % 2 == 0]
    return _count_between(commas, starts, ends) + 1


def _header(path, line, line_no, report):
    """Column names from the header line; raises if there is no usable header."""
    names = [name.strip() for name in next(csv.reader([line]))]
    looks_like_data = pd.Series(names, dtype=STRING_DTYPE)
    numeric = pd.to_numeric(looks_like_data, errors="coerce").notna()
    dated = looks_like_data.str.match(r"^\d{4}-\d{2}-\d{2}")
    if (numeric | dated).any():
        raise ReadError(
            f"{path}:{line_no}: no header: the first line looks like data "
            f"({line[:60]!r}); the first line must name the columns, "
            f"at least {','.join(REQUIRED_CSV_COLUMNS)}"
        )
    unnamed = [k for k, name in enumerate(names) if name == ""]
    for k in unnamed:
        names[k] = f"column_{k + 1}"
    if unnamed:
        report.notes.append(f"named the unnamed column(s) {', '.join(names[k] for k in unnamed)}")
    seen = pd.Series(names)
    if seen.duplicated().any():
        raise ReadError(
            f"{path}:{line_no}: column {seen[seen.duplicated()].iloc[0]!r} "
            "appears more than once in the header"
        )
    missing = [name for name in REQUIRED_CSV_COLUMNS if name not in names]
    if missing:
        raise ReadError(
            f"{path}:{line_no}: missing required column(s) "
            f"{', '.join(map(repr, missing))}; the header has {', '.join(map(repr, names))}"
        )
    known = (*TRACK_COLUMNS, *OPTIONAL_TRACK_COLUMNS, *FLAG_COLUMNS)
    unknown = [n for n in names if n not in known]
    if unknown:
        report.notes.append(f"kept unknown column(s) {', '.join(map(repr, unknown))} as text")
    return names


def _check_fields(path, n_fields, data_at, n_names, ends_with_newline):
    """Raise at the first data line whose number of fields differs from the header's."""
    wrong = n_fields[data_at] != n_names
    if not wrong.any():
        return
    at = int(np.argmax(wrong))
    found = n_fields[data_at[at]]
    truncated = (
        "; the last line is cut short (the file does not end with a newline)"
        if at == len(data_at) - 1 and not ends_with_newline and found < n_names
        else ""
    )
    raise ReadError(
        f"{path}:{data_at[at] + 1}: {found} fields, the header has {n_names}{truncated}"
    )


def _fields(raw, names, skipped, n_rows, path):
    """The data rows: numeric columns as float64 (or text, if some do not read), others as text.

    Fields with spaces around them, or a number that does not read, send the
    whole file down the slower path: everything as text, stripped, judged
    row by row.
    """
    if n_rows == 0:
        return pd.DataFrame({name: pd.Series(dtype=STRING_DTYPE) for name in names})
    numeric = [name for name in names if name in _NUMERIC_COLUMNS]
    skiprows = len(skipped) if (skipped == np.arange(len(skipped))).all() else set(skipped)

    def read(dtype, na_values):
        return pd.read_csv(
            io.BytesIO(raw),
            header=None,
            names=names,
            skiprows=skiprows,
            skip_blank_lines=False,
            dtype=dtype,
            keep_default_na=False,
            na_values=na_values,
            encoding="utf-8",
        )

    text = {name: STRING_DTYPE for name in names if name not in numeric}
    padded = _has_padding(np.frombuffer(raw, dtype=np.uint8))
    if not padded:
        try:
            dtypes = {**text, **dict.fromkeys(numeric, "float64")}
            return read(dtypes, dict.fromkeys(numeric, MISSING_WORDS))
        except ValueError:
            pass  # some number does not read: read all as text, and judge row by row
    try:
        fields = read(STRING_DTYPE, None)
    except Exception as exc:  # pandas' parser errors, named (the checks of _layout leave few)
        detail = " ".join(str(exc).split(". C error: ")[-1].split())[:200]
        raise ReadError(f"{path}: cannot parse the rows: {detail}") from None
    return fields.apply(lambda column: column.str.strip()) if padded else fields


# --- row level ----------------------------------------------------------------


def _parsed(fields, line_no, report):
    """Typed columns (in table order) and the reject reason of each row ('' if none)."""
    track_id = fields["track_id"]
    time = _times(fields["time"], line_no, report)
    lon, _ = _numbers(fields["lon"])  # NaN where unreadable: one reason with missing
    lat, _ = _numbers(fields["lat"])
    at_180 = lon == 180.0
    if at_180.any():
        report.notes.append(f"wrote lon 180 as -180 on {int(at_180.sum())} row(s)")
    lon = lon.mask(at_180, -180.0)
    columns = {"track_id": track_id.mask(track_id == ""), "time": time, "lon": lon, "lat": lat}
    bad_altitude = pd.Series(False, index=fields.index)
    for name in ("alt_baro_m", "alt_geo_m"):
        if name in fields.columns:
            columns[name], bad = _numbers(fields[name])
            bad_altitude |= bad | np.isinf(columns[name])
        else:
            columns[name] = np.nan
    for name in fields.columns.difference(list(columns), sort=False):
        columns[name] = _optional_column(fields[name], name, line_no, report)

    reason = np.select(
        [
            (track_id == "").to_numpy(),
            time.isna().to_numpy(),
            (lon.isna() | lat.isna()).to_numpy(),
            ((lon < -180) | (lon >= 180) | (lat < -90) | (lat > 90)).to_numpy(),
            bad_altitude.to_numpy(),
        ],
        REJECT_REASONS[:5],
        default="",
    ).astype(object)
    return columns, reason


def _times(text, line_no, report):
    """UTC times (ns) from ISO 8601 or unix-second text; NaT where unreadable.

    Text that is a plain number is unix seconds, even where it would read as
    an ISO 8601 date too ("20250919").
    """
    times, naive = iso_times_utc(text)
    maybe_unix = (times.isna() & text.notna()) | (times == times.dt.floor("D"))
    unix = _unix_seconds(text[maybe_unix])
    is_unix = pd.Series(False, index=text.index)
    is_unix[unix.index] = True
    times[unix.index] = unix
    naive = (naive & ~is_unix).to_numpy()
    if naive.any():
        report.notes.append(
            f"read {int(naive.sum())} time(s) without a time zone as UTC "
            f"(first at line {line_no[np.argmax(naive)]})"
        )
    if is_unix.any():
        report.notes.append(f"read {int(is_unix.sum())} time(s) as unix seconds")
    return times


def _unix_seconds(text):
    """UTC times from text that is unix seconds, exact to the nanosecond; others left out."""
    parts = text.str.extract(_UNIX_SECONDS).dropna(subset=[1])
    whole_s = pd.to_numeric(parts[1]).astype("int64")
    parts = parts[whole_s <= _UNIX_MAX_S]
    whole_s = whole_s[parts.index]
    frac_ns = pd.to_numeric(parts[2].fillna("").str[:9].str.ljust(9, "0")).astype("int64")
    sign = np.where(parts[0] == "-", -1, 1)
    return pd.to_datetime(sign * (whole_s * _NS_PER_S + frac_ns), unit="ns", utc=True)


def _numbers(column):
    """Floats, and where the text was neither a number nor a missing-value token."""
    if pd.api.types.is_float_dtype(column.dtype):
        return column, pd.Series(False, index=column.index)
    missing = pd.Series(missing_text(column), index=column.index)
    values = pd.to_numeric(column.mask(missing), errors="coerce").astype("float64")
    return values, values.isna() & ~missing


def _optional_column(column, name, line_no, report):
    """An optional or unknown column in its table dtype, noting what could not be read."""
    if name in FLAG_COLUMNS:
        lower = column.str.lower()
        flags = pd.Series(pd.NA, index=column.index, dtype="boolean")
        flags[lower.isin(_TRUE)] = True
        flags[lower.isin(_FALSE) & (lower != "")] = False
        _note_bad(report, name, flags.isna() & column.notna() & (column != ""), line_no, "read as unknown")
        return flags
    dtype = OPTIONAL_TRACK_COLUMNS.get(name, STRING_DTYPE)
    if dtype == STRING_DTYPE:
        return column.mask(column == "")
    if dtype == bool:
        lower = column.str.lower()
        bad = ~lower.isin(_TRUE + _FALSE)
        _note_bad(report, name, bad, line_no, "treated as True (suspect)")
        return lower.isin(_TRUE) | bad
    values, bad = _numbers(column)
    bad |= np.isinf(values)
    _note_bad(report, name, bad, line_no, "set to NaN")
    return values.mask(bad)


def _note_bad(report, name, bad, line_no, outcome):
    if bad.any():
        report.notes.append(
            f"{int(bad.sum())} unreadable {name} value(s) {outcome} "
            f"(first at line {line_no[np.argmax(bad.to_numpy())]})"
        )


def _later_than_accepted(table, accepted):
    """Rows whose (track_id, time) already appeared on an earlier accepted row."""
    keys = table.loc[accepted, ["track_id", "time"]]
    repeated = np.zeros(len(table), dtype=bool)
    repeated[np.flatnonzero(accepted)] = keys.duplicated().to_numpy()
    return repeated


def _count_rejected(report, reason, line_no):
    for name in REJECT_REASONS:
        report.reject(name, line_no[reason == name])


def _count_reordered(table):
    """Rows earlier in time than an earlier row of the same track (file order)."""
    latest = table.groupby("track_id", sort=False)["time"].cummax()
    latest_before = latest.groupby(table["track_id"], sort=False).shift()
    return int((table["time"] < latest_before).sum())
