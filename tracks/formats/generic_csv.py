"""Any CSV (or Parquet) file, with a column mapping and units: format ``csv``.

This module is also the engine of the tabular formats (OpenSky, traffic,
FlightRadar24): each is a :class:`Layout` (which column holds what, in which
unit) read by :func:`csv_chunks` or :func:`parquet_chunks`.

The mapping (``columns=``) names, for each of these targets, the file's column:

========================  ==============================================  ======================
target                    meaning                                         units (``units=``)
========================  ==============================================  ======================
``time`` (required)       time of the fix                                 ``s`` (default for
                                                                          numbers: unix
                                                                          seconds), ``ms``,
                                                                          ``us``, ``ns``; text
                                                                          is ISO 8601 (naive
                                                                          read as UTC, noted)
``position_time``         time the position was measured; used instead   as ``time``
                          of ``time`` where known
``lon``, ``lat``          WGS84 degrees (or ``position``: one text        deg
                          column ``"lat,lon"``)
``aircraft``              the aircraft key (default: the file stem)       --
``alt_baro``              pressure altitude                               ``m`` (default), ``ft``
``alt_geo``               geometric (GNSS) altitude                       ``m`` (default), ``ft``
``ground_speed``          ground speed                                    ``m/s`` (default),
                                                                          ``kt``, ``km/h``
``track``                 track angle, degrees true                       deg
``callsign``, ``icao24``  text (icao24 lowercased)                        --
``source``                text                                            --
``on_ground``             true/false, 1/0, yes/no                         --
========================  ==============================================  ======================

Example::

    tracks.read("radar.csv", format="csv",
                columns={"time": "ts", "aircraft": "hex", "lon": "x", "lat": "y",
                         "alt_baro": "fl_alt"},
                units={"alt_baro": "ft", "time": "ms"}, delimiter=";")

Line numbers are file lines (blank lines count; from the first block pyarrow
cannot read on, a quoted field spanning lines shifts them, see
:mod:`tracks.formats._csv_blocks`). Only the mapped columns are parsed (that
is what makes big files fast): fields beyond the header's on a line are not
seen, and a line with fewer fields has the missing ones empty. For Parquet
files, ``line`` is the 1-based row number. Rows with an unreadable time, an
unreadable (not missing) lon/lat, or no aircraft key are rejected by reason;
an unreadable altitude, speed or angle becomes NaN, with a note.
"""

import csv
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tracks.errors import ReadError
from tracks.formats._csv_blocks import csv_blocks
from tracks.missing import missing_text
from tracks.opening import PARQUET_MAGIC
from tracks.table import STRING_DTYPE, TIME_DTYPE, iso_times_utc
from tracks.units import FOOT_M, KNOT_MPS

NAME = "csv"
EXTENSIONS = (".csv", ".tsv", ".txt", ".parquet")

TARGETS = (
    "time",
    "position_time",
    "lon",
    "lat",
    "position",
    "aircraft",
    "alt_baro",
    "alt_geo",
    "ground_speed",
    "track",
    "callsign",
    "icao24",
    "source",
    "on_ground",
)
"""The targets a column mapping may name."""

UNIT_FACTORS = {
    "alt_baro": {"m": 1.0, "ft": FOOT_M},
    "alt_geo": {"m": 1.0, "ft": FOOT_M},
    "ground_speed": {"m/s": 1.0, "kt": KNOT_MPS, "km/h": 1 / 3.6},
}
"""Units of the numeric targets and their factor to SI."""

TIME_UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}
"""Units of numeric times, and their factor to seconds."""

_TEXT_TARGETS = ("aircraft", "callsign", "icao24", "source", "position")
_NUMERIC_TARGETS = ("lon", "lat", "alt_baro", "alt_geo", "ground_speed", "track")
_TABLE_NAMES = {
    "alt_baro": "alt_baro_m",
    "alt_geo": "alt_geo_m",
    "ground_speed": "ground_speed_mps",
    "track": "track_deg",
}
_TRUE = ("true", "t", "1", "yes", "y", "1.0")
_FALSE = ("false", "f", "0", "no", "n", "0.0")
_OTHER_DELIMITERS = (";", "\t", "|")
_UNIX_MAX_S = 9.2e9  # nanosecond times end in 2262
_PLAUSIBLE_S = (315532800.0, 4102444800.0)  # 1980 to 2100: the times a unit hint may name
_TIME_UNIT_WORDS = {"s": "seconds", "ms": "milliseconds", "us": "microseconds", "ns": "nanoseconds"}
_NAT = np.iinfo(np.int64).min


@dataclass(frozen=True)
class Layout:
    """Which column of a tabular file holds what, and in which unit.

    Attributes
    ----------
    columns : dict of str to str
        Target (one of :data:`TARGETS`) to the file's column name.
    units : dict of str to str
        Target to unit (see :data:`UNIT_FACTORS`, :data:`TIME_UNITS`).
    lowercase_aircraft : bool
        The aircraft key is an icao24 address: lowercased, and zero-padded
        to six hex digits where it was read as a number.

    Examples
    --------
    >>> layout = Layout({"time": "ts", "aircraft": "hex", "icao24": "hex", "lon": "x", "lat": "y"}, {"time": "ms"})
    >>> layout.columns["aircraft"], layout.units, layout.lowercase_aircraft
    ('hex', {'time': 'ms'}, False)
    """

    columns: dict
    units: dict = field(default_factory=dict)
    lowercase_aircraft: bool = False

    def sources(self):
        """The file's columns the layout reads, without repeats.

        Examples
        --------
        >>> Layout({"time": "ts", "aircraft": "hex", "icao24": "hex", "lon": "x", "lat": "y"}).sources()
        ['ts', 'hex', 'x', 'y']
        """
        return list(dict.fromkeys(self.columns.values()))


def layout_from_options(columns, units, path):
    """Check a user's mapping and units and make a :class:`Layout` of them.

    Parameters
    ----------
    columns : dict of str to str or None
        Target to column name; must name ``time`` and ``lon`` and ``lat``
        (or ``position``).
    units : dict of str to str or None
        Target to unit.
    path : pathlib.Path
        For messages.

    Returns
    -------
    Layout

    Raises
    ------
    ReadError
        For a missing mapping, an unknown target or unit.

    Examples
    --------
    >>> layout_from_options({"time": "ts", "lon": "x", "lat": "y"}, {"time": "ms"}, "a.csv").units
    {'time': 'ms'}
    """
    if not columns:
        raise ReadError(
            f"{path}: format 'csv' needs a column mapping, e.g. "
            "columns={'time': 'ts', 'lon': 'x', 'lat': 'y'} (--column time=ts --column lon=x ...)"
        )
    unknown = sorted(set(columns) - set(TARGETS))
    if unknown:
        raise ReadError(
            f"{path}: unknown mapping target(s) {unknown}; targets are {list(TARGETS)}"
        )
    has_position = "position" in columns or {"lon", "lat"} <= set(columns)
    if "time" not in columns or not has_position:
        raise ReadError(f"{path}: the column mapping must name 'time', 'lon' and 'lat'")
    return Layout(columns=dict(columns), units=checked_units(units, path))


def checked_units(units, path):
    """A user's units (target to unit, see the module docstring), checked; ReadError naming an unknown one.

    Examples
    --------
    >>> checked_units({"time": "ms", "alt_baro": "ft"}, "a.csv")
    {'time': 'ms', 'alt_baro': 'ft'}
    >>> checked_units({"time": "msec"}, "a.csv")
    Traceback (most recent call last):
    ...
    tracks.errors.ReadError: a.csv: unknown unit 'msec' for 'time'; use one of ['s', 'ms', 'us', 'ns']
    """
    units = dict(units or {})
    for target, unit in units.items():
        allowed = TIME_UNITS if target in ("time", "position_time") else UNIT_FACTORS.get(target)
        if allowed is None or unit not in allowed:
            raise ReadError(
                f"{path}: unknown unit {unit!r} for {target!r}"
                + (
                    f"; use one of {list(allowed)}"
                    if allowed
                    else "; only times, altitudes and ground speed take units"
                )
            )
    return units


def sniff(head, path):
    """Never: a CSV of unknown layout is read only when asked (``format='csv'``).

    Examples
    --------
    >>> from pathlib import Path
    >>> sniff(b"ts,hex,x,y\\n1758274200,4ca2d6,24.3,59.8\\n", Path("radar.csv"))
    False
    """
    return False


def read_chunks(
    stream,
    path,
    report,
    *,
    columns=None,
    units=None,
    delimiter=",",
    chunk_rows=1_000_000,
    **_options,
):
    """Read any CSV (or Parquet) file with a column mapping, in raw chunks.

    Options beyond the contract's: ``columns`` and ``units``, the mapping and
    units (see the module docstring), and ``delimiter``, the field separator
    (``","`` by default).

    Examples
    --------
    >>> from tracks.formats._common import sample_chunk
    >>> columns = {"time": "ts", "aircraft": "hex", "lon": "x", "lat": "y", "alt_baro": "fl_alt"}
    >>> units = {"time": "ms", "alt_baro": "ft"}
    >>> chunk, report = sample_chunk(read_chunks, b"ts;hex;x;y;fl_alt\\n1758274200000;4CA2D6;24.3;59.8;35000\\n",
    ...                              "radar.csv", columns=columns, units=units, delimiter=";")
    >>> chunk[["aircraft", "lat", "lon", "alt_baro_m"]].values.tolist(), str(chunk["time"][0])
    ([['4CA2D6', 59.8, 24.3, 10668.0]], '2025-09-19 09:30:00+00:00')
    """
    layout = layout_from_options(columns, units, path)
    if is_parquet(stream):
        yield from parquet_chunks(stream, path, report, layout, chunk_rows)
    else:
        yield from csv_chunks(stream, path, report, layout, chunk_rows, delimiter)


def _parquet():
    """pyarrow's Parquet module, imported at the first Parquet file (its import is slow)."""
    import pyarrow.parquet

    return pyarrow.parquet


def is_parquet(stream):
    """Whether `stream` (seekable, at the start) holds Parquet; left at the start.

    Examples
    --------
    >>> import io
    >>> data = pd.DataFrame({"time": [1758274200], "icao24": ["4ca2d6"]}).to_parquet()
    >>> is_parquet(io.BytesIO(data)), is_parquet(io.BytesIO(b"time,icao24\\n1758274200,4ca2d6\\n"))
    (True, False)
    """
    magic = stream.read(len(PARQUET_MAGIC))
    stream.seek(0)
    return magic == PARQUET_MAGIC


# --- headers ------------------------------------------------------------------


def header_names(head, delimiter=","):
    """The column names of the first non-blank line of `head`, and its 1-based line.

    Parameters
    ----------
    head : bytes
        The start of a file.
    delimiter : str, optional

    Returns
    -------
    names : list of str
        Stripped; empty if the head is blank.
    line : int

    Examples
    --------
    >>> header_names(b"\\n time , icao24\\n1,a\\n")
    (['time', 'icao24'], 2)
    """
    # Decoded a line at a time: the head of a binary file (Parquet, gzip) can be long.
    number, start = 0, 0
    while start < len(head):
        end = head.find(b"\n", start) + 1 or len(head)
        for line in head[start:end].decode("utf-8-sig" if start == 0 else "utf-8", errors="replace").splitlines():
            number += 1
            if line.strip():
                return [name.strip() for name in next(csv.reader([line], delimiter=delimiter))], number
        start = end
    return [], 1


def header_has(head, required, delimiter=","):
    """Whether the header line of `head` names every column of `required` (for sniffers).

    Never raises; a header separated by ``;``, tab or ``|`` counts too, so
    that the reader can say the delimiter is wrong.

    Examples
    --------
    >>> header_has(b"time,icao24,lat,lon\\n", ["icao24", "time"]), header_has(b"time;icao24\\n", ["time", "icao24"])
    (True, True)
    >>> header_has(b"time,icao24\\n", ["time", "lat"])
    False
    """
    try:
        for sep in (delimiter, *_OTHER_DELIMITERS):
            names, _ = header_names(head, sep)
            if set(required) <= set(names):
                return True
    except Exception:  # a sniffer never raises
        return False
    return False


def _check_header(path, names, line, layout, delimiter):
    """Raise for a wrong delimiter or missing columns."""
    missing = [name for name in layout.sources() if name not in names]
    if not missing:
        return
    if len(names) == 1:
        for other in _OTHER_DELIMITERS:
            if other != delimiter and other in names[0]:
                shown = {"\t": "tab"}.get(other, repr(other))
                raise ReadError(
                    f"{path}:{line}: the columns are separated by {shown}, not "
                    f"{delimiter!r}; give delimiter={other!r} with format 'csv', "
                    "or save the file comma separated"
                )
    raise ReadError(
        f"{path}:{line}: missing column(s) {', '.join(map(repr, missing))}; "
        f"the header has {', '.join(map(repr, names))}"
    )


# --- CSV ----------------------------------------------------------------------


def csv_chunks(stream, path, report, layout, chunk_rows, delimiter=","):
    """Read a CSV stream in chunks of about `chunk_rows` rows, mapped to raw chunks.

    Only the mapped columns are parsed (:mod:`tracks.formats._csv_blocks`:
    by pyarrow, or by pandas from the first block pyarrow refuses). Text
    columns are read as text (so that ``012345`` keeps its zero), and a
    number column holding text is judged row by row.

    Parameters
    ----------
    stream : binary file object
        At the start of the file.
    path : pathlib.Path
        For messages.
    report : tracks.report.TrackReadReport
    layout : Layout
    chunk_rows : int
    delimiter : str, optional

    Yields
    ------
    pandas.DataFrame
        Raw chunks.

    Raises
    ------
    ReadError
        Naming file and line: a wrong delimiter, a missing column, a header
        and no rows, a quote left open, text that is not UTF-8.

    Examples
    --------
    >>> import io
    >>> from pathlib import Path
    >>> from tracks.report import TrackReadReport
    >>> report = TrackReadReport(Path("radar.csv"))
    >>> stream = io.BytesIO(b"ts,x,y\\n1758274200,24.3,59.8\\nsoon,24.4,59.8\\n")
    >>> chunk = next(csv_chunks(stream, report.path, report, Layout({"time": "ts", "lon": "x", "lat": "y"}), 1000))
    >>> chunk[["aircraft", "lon", "lat", "line"]].values.tolist(), report.rows_read, report.rejected
    ([['radar', 24.3, 59.8, 2]], 2, {'unparseable time': 1})
    """
    head = stream.read(64 * 1024)
    names, header_line = header_names(head, delimiter)
    _check_header(path, names, header_line, layout, delimiter)
    if len(set(names)) != len(names):
        raise ReadError(f"{path}:{header_line}: a column name appears twice in the header")
    stream.seek(0)
    for _ in range(header_line):
        stream.readline()
    kinds = {}
    for target, name in layout.columns.items():
        kind = "text" if target in _TEXT_TARGETS else "flag" if target == "on_ground" else "number"
        kinds[name] = "text" if kinds.get(name) == "text" else kind
    kinds = {name: kinds[name] for name in names if name in kinds}  # in file order
    blocks = csv_blocks(stream, path, names, header_line, kinds, delimiter=delimiter,
                        chunk_rows=chunk_rows, report=report)
    for frame, lines in blocks:
        yield mapped_chunk(frame, lines, layout, path, report)


# --- Parquet ------------------------------------------------------------------


def parquet_chunks(stream, path, report, layout, chunk_rows):
    """Read a Parquet stream in batches of `chunk_rows` rows, mapped to raw chunks.

    ``line`` is the 1-based row number.

    Raises
    ------
    ReadError
        For a file that is not readable Parquet, or lacks a column.

    Examples
    --------
    >>> import io
    >>> from pathlib import Path
    >>> from tracks.report import TrackReadReport
    >>> data = pd.DataFrame({"ts": [1758274200, 1758274210], "x": [24.3, 24.4], "y": [59.8, 59.8]}).to_parquet()
    >>> report = TrackReadReport(Path("radar.parquet"))
    >>> layout = Layout({"time": "ts", "lon": "x", "lat": "y"})
    >>> [chunk["line"].tolist() for chunk in parquet_chunks(io.BytesIO(data), report.path, report, layout, 1)]
    [[1], [2]]
    """
    parquet = open_parquet(stream, path)
    _check_header(path, parquet.schema_arrow.names, 1, layout, ",")
    for frame, lines in parquet_frames(parquet, path, layout.sources(), chunk_rows):
        yield mapped_chunk(frame, lines, layout, path, report)


def open_parquet(stream, path):
    """A :class:`pyarrow.parquet.ParquetFile` of `stream`; a footer that does not read raises ReadError.

    Examples
    --------
    >>> import io
    >>> data = pd.DataFrame({"time": [1758274200, 1758274210], "icao24": ["4ca2d6", "4ca2d6"]}).to_parquet()
    >>> parquet = open_parquet(io.BytesIO(data), "sv.parquet")
    >>> parquet.metadata.num_rows, parquet.schema_arrow.names
    (2, ['time', 'icao24'])
    """
    try:
        return _parquet().ParquetFile(stream)
    except Exception as exc:  # pyarrow raises several types for broken files
        raise ReadError(f"{path}: not a readable Parquet file ({_one_line(exc)})") from None


def parquet_frames(parquet, path, columns, chunk_rows):
    """``(frame, lines)`` of the columns of a Parquet file, in batches of `chunk_rows` rows.

    The file's pandas metadata (the dtypes pandas wrote) is used where it
    reads, and left aside where it is broken; ``lines`` are 1-based row
    numbers.

    Raises
    ------
    ReadError
        For broken data, or a file with no rows.

    Examples
    --------
    >>> import io
    >>> data = pd.DataFrame({"time": [1758274200, 1758274210, 1758274220], "icao24": ["4ca2d6"] * 3}).to_parquet()
    >>> parquet = open_parquet(io.BytesIO(data), "sv.parquet")
    >>> [(frame["time"].tolist(), lines.tolist()) for frame, lines in parquet_frames(parquet, "x", ["time"], 2)]
    [([1758274200, 1758274210], [1, 2]), ([1758274220], [3])]
    """
    rows_done = 0
    try:
        for batch in parquet.iter_batches(batch_size=chunk_rows, columns=columns):
            try:
                frame = batch.to_pandas()
            except Exception:  # broken pandas metadata: the columns as pyarrow has them
                frame = batch.to_pandas(ignore_metadata=True)
            lines = 1 + rows_done + np.arange(len(frame), dtype=np.int64)
            rows_done += len(frame)
            yield frame, lines
    except ReadError:
        raise
    except Exception as exc:  # pyarrow raises several types for broken data
        raise ReadError(f"{path}: broken Parquet data after row {rows_done} ({_one_line(exc)})") from None
    if rows_done == 0:
        raise ReadError(f"{path}: no rows")


def _one_line(exc):
    """An exception's message on one line, shortened."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


# --- mapping ------------------------------------------------------------------


def mapped_chunk(frame, lines, layout, path, report):
    """A raw chunk from the columns of a file, converted to the table's units.

    Each target is converted by its own function (:func:`_time_column`,
    :func:`_position_columns`, :func:`_measure_column`, :func:`_text_column`,
    :func:`_aircraft_column`, :func:`_on_ground_column`); then the rows that
    cannot be fixes are rejected by reason (:func:`_rows_kept`).

    Parameters
    ----------
    frame : pandas.DataFrame
        The file's columns (numbers as float or text, text as str or
        categorical).
    lines : numpy.ndarray of int64
        The line (or record number) of each row.
    layout : Layout
    path : pathlib.Path
        The aircraft key is its stem where the layout has no ``aircraft``.
    report : tracks.report.TrackReadReport
        Rows read and rejected are counted, odd values noted.

    Returns
    -------
    pandas.DataFrame
        The raw chunk (format-reader contract) of the rows kept.

    Examples
    --------
    >>> from pathlib import Path
    >>> from tracks.report import TrackReadReport
    >>> report = TrackReadReport(Path("radar.csv"))
    >>> frame = pd.DataFrame({"ts": ["2025-09-19T09:30:00Z", "soon"], "x": [24.3, 24.4], "y": [59.8, 59.8]})
    >>> layout = Layout({"time": "ts", "lon": "x", "lat": "y"})
    >>> chunk = mapped_chunk(frame, np.array([2, 3]), layout, report.path, report)
    >>> chunk[["aircraft", "lon", "lat", "line"]].values.tolist(), report.rows_read, report.rejected
    ([['radar', 24.3, 59.8, 2]], 2, {'unparseable time': 1})
    """
    report.rows_read += len(frame)
    blank = _all_missing(frame)
    time_ns, bad_time = _time_column(frame, layout, report)
    lon, lat, bad_position = _position_columns(frame, layout)
    out = {"time": pd.Series(time_ns, copy=False).astype(TIME_DTYPE), "lon": lon, "lat": lat}
    for target in ("alt_baro", "alt_geo", "ground_speed", "track"):
        values = _measure_column(frame, target, layout, lines, report)
        if values is not None:
            out[_TABLE_NAMES[target]] = values
    cleaned = {}  # (column, lowercase): categorical, so that a column is factorized once
    for target in ("callsign", "icao24", "source"):
        if target in layout.columns:
            out[target] = _text_column(frame, target, layout, cleaned)
    out["aircraft"] = _aircraft_column(frame, layout, path, cleaned)
    if "on_ground" in layout.columns:
        out["on_ground"] = _on_ground_column(frame, layout)
    out["line"] = lines
    reasons = (
        ("empty line or no values", blank),
        ("unparseable time", bad_time),
        ("unparseable lon/lat", bad_position),
        ("missing aircraft id", out["aircraft"].codes < 0),
    )
    return _rows_kept(pd.DataFrame(out, copy=False), lines, reasons, report)


def _time_column(frame, layout, report):
    """The fix times (int64 ns, NaT's value where unknown), and where the time is there but unreadable.

    ``position_time``, where the layout has it and it is known, is the time
    of the fix, and ``time`` is then not needed: a row is unparseable only
    if it has neither, and its ``time`` is text that does not read (a
    missing time is counted as no time by the framework).
    """
    time_ns, unknown = _times(frame, layout, "time", report)
    unreadable = unknown.copy()
    at = np.flatnonzero(unknown)
    unreadable[at] = ~_missing(frame[layout.columns["time"]].iloc[at])
    if "position_time" in layout.columns:
        measured_ns, unmeasured = _times(frame, layout, "position_time", report)
        time_ns = np.where(unmeasured, time_ns, measured_ns)
        unreadable &= unmeasured
    return time_ns, unreadable


def _position_columns(frame, layout):
    """Longitude and latitude (float64 degrees), and where they are there but unreadable."""
    if "position" in layout.columns:
        lat, lon, bad = _lat_lon_text(frame[layout.columns["position"]])
        return lon, lat, bad
    lon, bad_lon = _numbers(frame[layout.columns["lon"]])
    lat, bad_lat = _numbers(frame[layout.columns["lat"]])
    return lon, lat, bad_lon | bad_lat


def _measure_column(frame, target, layout, lines, report):
    """An altitude, speed or angle in SI units; unreadable values as NaN, with a note.

    None for a speed or angle the layout does not have (an altitude it does
    not have is all NaN).
    """
    if target not in layout.columns:
        return np.full(len(frame), np.nan) if target in ("alt_baro", "alt_geo") else None
    values, bad = _numbers(frame[layout.columns[target]])
    factor = UNIT_FACTORS.get(target, {}).get(layout.units.get(target), 1.0)
    if factor != 1.0:
        values = values * factor
    if bad.any():
        _note_bad(report, target, bad, lines, "set to NaN")
        values = np.where(bad, np.nan, values)
    return values


def _text_column(frame, target, layout, cleaned):
    """A text target (``callsign``, ``icao24``, ``source``) as a categorical; icao24 lowercased."""
    return _cleaned(frame, layout.columns[target], target == "icao24", cleaned)


def _aircraft_column(frame, layout, path, cleaned):
    """The aircraft key of each row: its column (lowercased for icao24 layouts), else the file stem."""
    if "aircraft" not in layout.columns:
        return pd.Categorical.from_codes(
            np.zeros(len(frame), dtype=np.int8), categories=[path.name.split(".")[0]])
    return _cleaned(frame, layout.columns["aircraft"], layout.lowercase_aircraft, cleaned)


def _on_ground_column(frame, layout):
    """The on-ground flag, nullable: unknown where missing or not a flag word."""
    return _booleans(frame[layout.columns["on_ground"]])


def _cleaned(frame, name, lowercase, cleaned):
    """Column `name` as a cleaned categorical, made once for each (column, lowercase)."""
    if (name, lowercase) not in cleaned:
        cleaned[name, lowercase] = _categories_cleaned(frame[name], lowercase)
    return cleaned[name, lowercase]


def _rows_kept(chunk, lines, reasons, report):
    """The rows of `chunk` that hold for no reason; the others counted under the first that holds."""
    keep = np.ones(len(chunk), dtype=bool)
    for reason, rows in reasons:
        rows = rows & keep
        report.reject(reason, lines[rows])
        keep &= ~rows
    return chunk if keep.all() else chunk.loc[keep].reset_index(drop=True)


def _missing(column):
    """Where a column's value is missing (NaN, None, or a missing word in text)."""
    if pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_datetime64_any_dtype(column.dtype):
        return column.isna().to_numpy()
    return missing_text(column.astype(STRING_DTYPE).str.strip())


def _all_missing(frame):
    """Rows whose every column is missing (blank lines)."""
    blank = frame.iloc[:, 0].isna().to_numpy().copy()
    at = np.flatnonzero(blank)
    if len(at):
        blank[at] = frame.iloc[at].isna().all(axis=1).to_numpy()
    return blank


def _numbers(column):
    """float64 values, and where the text was there but not a number."""
    if column.dtype == np.float64:
        return column.to_numpy(), np.zeros(len(column), dtype=bool)
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        return values, np.zeros(len(values), dtype=bool)
    text = column.astype(STRING_DTYPE).str.strip()
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return values, np.isnan(values) & ~missing_text(text)


def _times(frame, layout, target, report):
    """UTC times (int64 nanoseconds, NaT's value where unknown) of a time column, and where unknown.

    Numbers are unix times in the layout's unit (``position_time`` in that
    of ``time`` unless it has its own), rounded to the microsecond; text
    that is not a number is ISO 8601. Numbers too large for their unit are
    unknown, with a note of the unit they fit (:func:`_note_time_unit`).
    """
    column = frame[layout.columns[target]]
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        if not isinstance(column.dtype, pd.DatetimeTZDtype):
            report.note(f"{target}: times without a time zone read as UTC")
            column = column.dt.tz_localize("UTC")
        times = column.dt.tz_convert("UTC").dt.as_unit("ns")
        return times.array.asi8, times.isna().to_numpy()
    values, not_number = _numbers(column)
    unit = layout.units.get(target) or (layout.units.get("time", "s") if target == "position_time" else "s")
    factor = TIME_UNITS[unit]
    seconds = values * factor if factor != 1.0 else values
    unknown = ~(np.abs(seconds) < _UNIX_MAX_S)  # NaN and infinite too
    out_of_range = unknown & np.isfinite(seconds)
    if out_of_range.any():
        _note_time_unit(report, target, unit, values[out_of_range][0])
    known = ~unknown
    if known.any() and (seconds[known] < _PLAUSIBLE_S[0]).all():  # a whole recording in the 1970s: not unix times
        _note_time_unit(report, target, unit, values[known][0], "all before 1980 as")
    micro = seconds * 1e6
    np.round(micro, out=micro)
    micro[unknown] = 0.0
    ns = micro.astype(np.int64)
    ns *= 1000
    if not_number.any():
        at = np.flatnonzero(not_number)
        iso, naive = iso_times_utc(column.iloc[at].astype(STRING_DTYPE).str.strip())
        if naive.any():
            report.note(f"{int(naive.sum())} {target} value(s) without a time zone read as UTC")
        read = iso.notna().to_numpy()
        ns[at[read]] = iso.array.asi8[read]
        unknown[at[read]] = False
    ns[unknown] = _NAT
    return ns, unknown


def _note_time_unit(report, target, unit, value, problem="too large for"):
    """Note, once a file, that numeric times that do not fit `unit` read as times in another unit.

    `value` is one of them; `problem` says how they do not fit: ``"too
    large for"`` (past 2262) or ``"all before 1980 as"``. The note names the
    unit in which `value` is a time from 1980 to 2100, and the option that
    says so; when none fits, it says that the numbers are out of range.

    Examples
    --------
    >>> from pathlib import Path
    >>> from tracks.report import TrackReadReport
    >>> report = TrackReadReport(Path("states.csv"))
    >>> _note_time_unit(report, "time", "s", 1758274200000.0)
    >>> _note_time_unit(report, "time", "s", 1758274210000.0)
    >>> print(*report.notes)  # doctest: +NORMALIZE_WHITESPACE
    time: numbers too large for unix seconds, such as 1758274200000, read as milliseconds are
    2025-09-19T09:30:00Z: give --unit time=ms (units={'time': 'ms'})

    Seconds read as milliseconds fall in January 1970:

    >>> report = TrackReadReport(Path("states.csv"))
    >>> _note_time_unit(report, "time", "ms", 1758274200.0, "all before 1980 as")
    >>> print(*report.notes)  # doctest: +NORMALIZE_WHITESPACE
    time: numbers all before 1980 as unix milliseconds, such as 1758274200, read as seconds are
    2025-09-19T09:30:00Z: give --unit time=s (units={'time': 's'})
    """
    said = f"{target}: numbers {problem} unix {_TIME_UNIT_WORDS[unit]}"
    if any(note.startswith(said) for note in report.notes):
        return
    for other, factor in TIME_UNITS.items():
        if _PLAUSIBLE_S[0] <= value * factor < _PLAUSIBLE_S[1]:
            when = pd.Timestamp(round(value * factor * 1e6), unit="us", tz="UTC")
            report.note(
                f"{said}, such as {value:.0f}, read as {_TIME_UNIT_WORDS[other]} "
                f"are {when.strftime('%Y-%m-%dT%H:%M:%SZ')}: give --unit {target}={other} "
                f"(units={{{target!r}: {other!r}}})"
            )
            return
    report.note(f"{said}, such as {value:.0f}, are no time from 1980 to 2100 in any unit (s, ms, us, ns)")


def _lat_lon_text(column):
    """Latitude and longitude from ``"lat,lon"`` text, and where it did not read."""
    text = column.astype(STRING_DTYPE)
    parts = text.str.split(",", n=1, expand=True)
    if parts.shape[1] < 2:
        parts[1] = None
    lat = pd.to_numeric(parts[0].str.strip(), errors="coerce").to_numpy(np.float64, na_value=np.nan)
    lon = pd.to_numeric(parts[1].str.strip(), errors="coerce").to_numpy(np.float64, na_value=np.nan)
    bad = (np.isnan(lat) | np.isnan(lon)) & text.notna().to_numpy()
    return lat, lon, bad


def _categories_cleaned(column, icao24):
    """A categorical of stripped text; empty text as missing.

    The column is factorized once; the distinct values are then cleaned:
    numbers written as text (``12345.0`` to ``12345``), and for icao24
    addresses lowercased and zero-padded to six digits (``12345`` to
    ``012345``, its zero lost where the column was read as numbers).
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        old_codes, old_names = column.array.codes, column.array.categories
    else:
        old_codes, old_names = pd.factorize(column)
    if pd.api.types.is_float_dtype(old_names.dtype):
        whole = np.isfinite(old_names) & (np.asarray(old_names) % 1 == 0)
        old_names = pd.Index(np.where(whole, np.asarray(old_names).astype(np.int64, copy=False)
                                      .astype(str).astype(object), old_names.astype(str)))
    names = pd.Index(np.asarray(old_names, dtype=object)).astype(str).str.strip()
    if icao24:
        names = names.str.lower()
        names = names.where(~names.str.fullmatch(r"\d{1,5}"), names.str.zfill(6))
    new_codes, uniques = pd.factorize(names)
    empty = np.asarray(uniques == "")
    if len(uniques) == len(names) and not empty.any():
        codes = old_codes  # nothing merged or emptied: the codes stand
    else:
        remap = np.append(np.where(empty[new_codes], -1, new_codes), -1)
        codes = remap[old_codes]  # code -1 picks the appended -1
    return pd.Categorical.from_codes(
        codes, categories=pd.Index(uniques, dtype=STRING_DTYPE), validate=False)


def _booleans(column):
    """Nullable booleans from bools, numbers or text (judged per category); unknown as missing."""
    if pd.api.types.is_bool_dtype(column.dtype):
        return column.astype("boolean").reset_index(drop=True).array
    codes, uniques = pd.factorize(column.to_numpy(dtype=object))
    names = pd.Index(np.asarray(uniques, dtype=object)).astype(str).str.strip().str.lower()
    value = np.append(np.where(names.isin(_TRUE), 1, np.where(names.isin(_FALSE), 0, -1)), -1)
    coded = value[codes]
    return pd.arrays.BooleanArray(coded == 1, coded < 0)


def _note_bad(report, target, bad, lines, outcome):
    if bad.any():
        report.note(
            f"{int(bad.sum())} unreadable {target} value(s) {outcome} (first at line {lines[bad][0]})"
        )


# --- fixed layouts (OpenSky, traffic, FlightRadar24) ----------------------------


def file_columns(stream, path, delimiter=","):
    """The column names of a CSV or Parquet stream (left at the start).

    Raises
    ------
    ReadError
        For a Parquet file whose footer does not read.

    Examples
    --------
    >>> import io
    >>> file_columns(io.BytesIO(b"time;icao24;lat;lon\\n1758274200;4ca2d6;59.8;24.3\\n"), "sv.csv", delimiter=";")
    ['time', 'icao24', 'lat', 'lon']
    >>> file_columns(io.BytesIO(pd.DataFrame({"time": [1758274200], "icao24": ["4ca2d6"]}).to_parquet()), "sv.parquet")
    ['time', 'icao24']
    """
    if is_parquet(stream):
        names = open_parquet(stream, path).schema_arrow.names
    else:
        names, _ = header_names(stream.read(64 * 1024), delimiter)
    stream.seek(0)
    return names


def parquet_columns(head, path):
    """The column names of a Parquet file, for sniffers: empty if not Parquet or unreadable.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = tempfile.TemporaryDirectory()  # removed with the object
    >>> path = pathlib.Path(folder.name) / "sv.parquet"
    >>> pd.DataFrame({"time": [1758274200], "icao24": ["4ca2d6"]}).to_parquet(path)
    >>> parquet_columns(path.read_bytes()[:4], path), parquet_columns(b"time,icao24\\n", path)
    (['time', 'icao24'], [])
    """
    if not head.startswith(PARQUET_MAGIC):
        return []
    try:
        return _parquet().read_schema(path).names
    except Exception:  # a sniffer never raises
        return []


def read_fixed_layout(
    stream,
    path,
    report,
    required,
    optional,
    *,
    units=None,
    lowercase_aircraft=False,
    chunk_rows=1_000_000,
):
    """Read a CSV or Parquet file whose columns are known by name.

    Parameters
    ----------
    stream, path, report
        As for ``read_chunks``.
    required : dict of str to str
        Target to column name: columns the file must have.
    optional : dict of str to str
        Target to column name: read where the file has them.
    units : dict of str to str, optional
        Target to unit.
    lowercase_aircraft : bool, optional
        As for :class:`Layout`.
    chunk_rows : int, optional

    Yields
    ------
    pandas.DataFrame
        Raw chunks.

    Examples
    --------
    >>> import io
    >>> from pathlib import Path
    >>> from tracks.report import TrackReadReport
    >>> report = TrackReadReport(Path("sv.csv"))
    >>> stream = io.BytesIO(b"t,hex,lat,lon,alt\\n1758274200,4CA2D6,59.8,24.3,35000\\n")
    >>> required = {"time": "t", "aircraft": "hex", "lat": "lat", "lon": "lon"}
    >>> chunk = next(read_fixed_layout(stream, report.path, report, required, {"alt_baro": "alt", "track": "trk"},
    ...                                units={"alt_baro": "ft"}, lowercase_aircraft=True))
    >>> chunk[["aircraft", "lat", "lon", "alt_baro_m"]].values.tolist(), "track_deg" in chunk
    ([['4ca2d6', 59.8, 24.3, 10668.0]], False)
    """
    names = file_columns(stream, path)
    present = {target: name for target, name in optional.items() if name in names}
    layout = Layout({**required, **present}, checked_units(units, path), lowercase_aircraft)
    if is_parquet(stream):
        yield from parquet_chunks(stream, path, report, layout, chunk_rows)
    else:
        yield from csv_chunks(stream, path, report, layout, chunk_rows)
