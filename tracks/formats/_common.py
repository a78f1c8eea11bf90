"""Pieces the non-tabular format readers share: units, raw chunks, JSON and XML.

Not a format: the registry skips modules whose name starts with ``_``.
"""

import json
from xml.parsers import expat

import numpy as np
import pandas as pd

from tracks.errors import ReadError
from tracks.table import STRING_DTYPE, TIME_DTYPE, iso_times_utc

_TEXT_COLUMNS = ("callsign", "icao24", "source")
_FLOAT_COLUMNS = ("ground_speed_mps", "track_deg")
_XML_BLOCK_BYTES = 1 << 20


def raw_chunk(aircraft, time, lon, lat, alt_baro_m, alt_geo_m, line, **optional):
    """Build a raw chunk (the format-reader contract) with its exact dtypes.

    Parameters
    ----------
    aircraft : str or array_like of str
        The aircraft key of each fix (a scalar is used for every row).
    time : array_like
        Nanoseconds since 1970-01-01 UTC as int64 (NaT's value where
        unknown, see :func:`unix_seconds_to_ns`), datetime64 values, or
        tz-aware datetimes.
    lon, lat, alt_baro_m, alt_geo_m : array_like of float
        Degrees and metres, NaN where unknown (a scalar is broadcast).
    line : array_like of int
        The 1-based file line or record number of each fix.
    **optional
        ``callsign``, ``icao24``, ``source`` (text, stripped, empty as
        missing), ``ground_speed_mps``, ``track_deg`` (float), ``on_ground``
        and ``flight_start`` (bool).

    Returns
    -------
    pandas.DataFrame
        Columns ``aircraft, time, lon, lat, alt_baro_m, alt_geo_m, line``
        and the optional ones given, in that order.

    Examples
    --------
    >>> chunk = raw_chunk("4ca2d6", [0, 1_000_000_000], [24.3, 24.4], [59.8, 59.8],
    ...                   10668.0, np.nan, [1, 2], callsign=[" RYR1 ", ""])
    >>> chunk["time"].iloc[1], chunk["callsign"].tolist()
    (Timestamp('1970-01-01 00:00:01+0000', tz='UTC'), ['RYR1', nan])
    """
    line = np.asarray(line, dtype=np.int64).ravel()
    n_rows = len(line)
    columns = {
        "aircraft": _text(aircraft, n_rows),
        "time": _utc(time, n_rows),
        "lon": _floats(lon, n_rows),
        "lat": _floats(lat, n_rows),
        "alt_baro_m": _floats(alt_baro_m, n_rows),
        "alt_geo_m": _floats(alt_geo_m, n_rows),
        "line": line,
    }
    for name, values in optional.items():
        if name in _TEXT_COLUMNS:
            columns[name] = _text(values, n_rows)
        elif name in _FLOAT_COLUMNS:
            columns[name] = _floats(values, n_rows)
        elif name in ("on_ground", "flight_start"):
            columns[name] = np.broadcast_to(np.asarray(values, dtype=bool), n_rows).copy()
        else:
            raise TypeError(f"raw_chunk: unknown column {name!r}")
    return pd.DataFrame(columns, index=pd.RangeIndex(n_rows))


def _text(values, n_rows):
    if isinstance(values, str) or values is None:
        values = [values] * n_rows
    text = pd.Series(values, dtype=object).astype(STRING_DTYPE).str.strip()
    return text.mask(text == "").array


def _floats(values, n_rows):
    return np.broadcast_to(np.asarray(values, dtype=np.float64), (n_rows,)).copy()


def _utc(values, n_rows):
    if isinstance(getattr(values, "dtype", None), pd.DatetimeTZDtype):
        return pd.Series(values).dt.tz_convert("UTC").dt.as_unit("ns").array
    ns = np.asarray(values)
    ns = (
        ns.astype("datetime64[ns]")
        if ns.dtype.kind == "M"
        else ns.astype(np.int64).view("datetime64[ns]")
    )
    return pd.DatetimeIndex(np.broadcast_to(ns, (n_rows,))).tz_localize("UTC").array


def reject_by_reason(report, line, reasons, among=None):
    """Count each row under the first reason that holds for it; return the rejected rows.

    Parameters
    ----------
    report : tracks.report.TrackReadReport
        Where the rejections are counted.
    line : numpy.ndarray of int
        The line (or record number) of each row.
    reasons : sequence of (str, array_like of bool)
        Reasons in order of precedence, each with the rows it holds for.
    among : array_like of bool, optional
        Only these rows can be rejected (default: all).

    Returns
    -------
    numpy.ndarray of bool
        True for the rows rejected.

    Examples
    --------
    >>> from tracks.report import TrackReadReport
    >>> report = TrackReadReport(path="f")
    >>> reject_by_reason(report, np.array([1, 2, 3]),
    ...                  [("no time", [True, False, False]), ("bad lat", [True, True, False])])
    array([ True,  True, False])
    >>> report.rejected
    {'no time': 1, 'bad lat': 1}
    """
    rejected = np.zeros(len(line), dtype=bool) if among is None else ~np.asarray(among, bool)
    for reason, bad in reasons:
        bad = np.asarray(bad, dtype=bool) & ~rejected
        report.reject(reason, line[bad])
        rejected |= bad
    return rejected if among is None else rejected & np.asarray(among, bool)


def sample_chunk(read_chunks, data: bytes, name: str, **options):
    """The first raw chunk a format's `read_chunks` reads from `data`, taken as file `name`, and its report.

    For examples and tests: the reader sees the bytes as it would see the
    file (a binary stream at its start).

    Examples
    --------
    >>> from tracks.formats.native import read_chunks
    >>> chunk, report = sample_chunk(read_chunks, b"track_id,time,lon,lat\\nA,2025-09-19T09:00:00Z,24.1,59.4\\n",
    ...                              "tracks.csv")
    >>> chunk[["aircraft", "lon", "lat"]].values.tolist(), report.rows_read
    ([['A', 24.1, 59.4]], 1)
    """
    import io
    from pathlib import Path

    from tracks.report import TrackReadReport

    report = TrackReadReport(Path(name))
    return next(read_chunks(io.BytesIO(data), report.path, report, **options)), report


def unix_seconds_to_ns(seconds):
    """Unix seconds (float) to int64 nanoseconds, rounded to the microsecond.

    Parameters
    ----------
    seconds : array_like of float
        Seconds since 1970-01-01 UTC; NaN where unknown.

    Returns
    -------
    numpy.ndarray of int64
        Nanoseconds; NaT's value (the least int64) where `seconds` is NaN or
        outside the years 1678-2261, so ``.view("datetime64[ns]")`` reads
        it. Rounding to the microsecond keeps equal times equal whatever the
        float error of the sum that made them.

    Examples
    --------
    >>> unix_seconds_to_ns([1000.0 - 0.3, 1001.0 - 1.3, np.nan]).view("datetime64[ns]")
    array(['1970-01-01T00:16:39.700000000', '1970-01-01T00:16:39.700000000',
                                     'NaT'], dtype='datetime64[ns]')
    """
    seconds = np.asarray(seconds, dtype=np.float64)
    micro = np.round(seconds * 1e6)
    known = np.isfinite(micro) & (np.abs(micro) < 9.2e15)
    ns = np.full(seconds.shape, np.iinfo(np.int64).min, dtype=np.int64)
    ns[known] = micro[known].astype(np.int64) * 1000
    return ns


def text_numbers(text):
    """Float64 of text values (or None); NaN where missing or unreadable.

    Parameters
    ----------
    text : sequence of str or None

    Returns
    -------
    numpy.ndarray of float64

    Examples
    --------
    >>> text_numbers([" 587.5", None, "abc"]).tolist()
    [587.5, nan, nan]
    """
    series = pd.Series(list(text), dtype=object).astype(STRING_DTYPE).str.strip()
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def times_from_iso(text, report):
    """UTC nanoseconds from ISO 8601 text; naive times read as UTC, with a note.

    Parameters
    ----------
    text : sequence of str or None
        Times such as ``2025-09-19T09:30:00Z``.
    report : tracks.report.TrackReadReport
        Told how many times had no zone.

    Returns
    -------
    pandas.Series of datetime64[ns, UTC]
        NaT where the text is missing or unreadable.
    """
    series = pd.Series(list(text), dtype=object).astype(STRING_DTYPE).str.strip()
    times, naive = iso_times_utc(series)
    if naive.any():
        report.note(f"{int(naive.sum())} time(s) without a time zone, read as UTC")
    return times.astype(TIME_DTYPE)


# --- JSON ---------------------------------------------------------------------


def load_json(stream, path, report=None):
    """The JSON document in `stream` (a reader's stream and path, as the contract says).

    Text that is not UTF-8 is read as Latin-1 (with a note in `report`); a
    byte-order mark is skipped.

    Returns
    -------
    object
        The parsed document.

    Raises
    ------
    ReadError
        ``"{path}:{line}: ..."`` for an empty file, binary data, or JSON that
        is truncated, malformed or nested too deep to read.
    """
    raw = stream.read()
    if not raw.strip():
        raise ReadError(f"{path}:1: the file is empty")
    nul_at = raw.find(b"\x00")
    if nul_at >= 0:
        raise ReadError(f"{path}:{_line_of(raw, nul_at)}: binary data, not JSON")
    return parse_json(decoded_text(raw, path, report), path)


def parse_json(text, path, line=1):
    """The JSON value of `text`, from line `line` of the file `path`.

    Raises
    ------
    ReadError
        ``"{path}:{line}: ..."`` for JSON that is truncated, malformed, or
        nested too deep to read.

    Examples
    --------
    >>> parse_json('{"a": [1, 2]}', "f.json")
    {'a': [1, 2]}
    >>> parse_json("[" * 100_000, "f.json", line=3)
    Traceback (most recent call last):
    ...
    tracks.errors.ReadError: f.json:3: JSON nested too deep to read (arrays or objects inside each other)
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        cut = " (the file is cut short)" if exc.pos >= len(text.rstrip()) else ""
        raise ReadError(f"{path}:{line - 1 + exc.lineno}: not valid JSON: {exc.msg}{cut}") from None
    except RecursionError:
        raise ReadError(
            f"{path}:{line}: JSON nested too deep to read (arrays or objects inside each other)"
        ) from None


def decoded_text(raw, path, report=None):
    """Text of a file's bytes: UTF-8 (a byte-order mark skipped), else Latin-1 with a note.

    Parameters
    ----------
    raw : bytes
    path : pathlib.Path
        For the note.
    report : tracks.report.TrackReadReport, optional
        Told when the text was read as Latin-1.

    Returns
    -------
    str

    Examples
    --------
    >>> decoded_text("Zürich".encode("latin-1"), "f.json")
    'Zürich'
    """
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if report is not None and not any(note.startswith("not UTF-8") for note in report.notes):
            report.note(f"not UTF-8 (first at line {_line_of(raw, exc.start)}): read as Latin-1")
        return raw.decode("latin-1")


def json_numbers(column):
    """Float64 values of a column of JSON values: numbers kept, anything else NaN.

    Parameters
    ----------
    column : pandas.Series of object
        Values from parsed JSON (numbers, text, None, ...).

    Returns
    -------
    numpy.ndarray of float64
        Booleans and text are NaN, not 1/0 or parsed.

    Examples
    --------
    >>> json_numbers(pd.Series([35000, "ground", None, True, 1.5], dtype=object)).tolist()
    [35000.0, nan, nan, nan, 1.5]
    """
    real = column.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
    values = column.where(real.astype(bool), np.nan)
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def json_scalars(frame, lines, report):
    """`frame` (records of JSON) with arrays and objects where a value goes as missing, noted.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns of parsed JSON values.
    lines : numpy.ndarray of int
        The line (or record number) of each row, for the note.
    report : tracks.report.TrackReadReport
        Told how many values of each column were arrays or objects.

    Returns
    -------
    pandas.DataFrame
        `frame`, or a copy with those values as None.

    Examples
    --------
    >>> from tracks.report import TrackReadReport
    >>> report = TrackReadReport(path="f")
    >>> json_scalars(pd.DataFrame({"icao24": ["a", ["b"]]}), np.array([1, 2]), report)["icao24"].tolist()
    ['a', None]
    >>> report.notes
    ['1 icao24 value(s) are JSON arrays or objects, read as missing (first at line 2)']
    """
    for name in frame.columns:
        column = frame[name]
        if column.dtype != object:
            continue
        nested = column.map(lambda value: isinstance(value, (list, dict))).to_numpy(dtype=bool)
        if nested.any():
            report.note(f"{int(nested.sum())} {name} value(s) are JSON arrays or objects, read as missing "
                        f"(first at line {lines[nested][0]})")
            frame = frame.assign(**{name: column.where(~nested, None)})
    return frame


def json_text(value):
    """`value` if it is text, else None (for ``Series.map`` over JSON values)."""
    return value if isinstance(value, str) else None


def _line_of(raw, offset):
    """1-based line of byte `offset` in `raw`."""
    return raw.count(b"\n", 0, offset) + 1


def json_object_head(head, *keys):
    """Whether `head` starts a JSON object holding every one of ``"key":``.

    Parameters
    ----------
    head : bytes
        The first bytes of a file.
    *keys : bytes
        Key names, without quotes.

    Returns
    -------
    bool
    """
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.startswith(b"{"):
        return False
    return all(b'"' + key + b'"' in stripped for key in keys)


# --- XML ----------------------------------------------------------------------


def xml_root(head, name):
    """Whether `head` (a file's first bytes) is XML with a root element named `name` (bytes).

    Examples
    --------
    >>> xml_root(b'<?xml version="1.0"?> <gpx version="1.1">', b"gpx"), xml_root(b"<kml>", b"gpx")
    (True, False)
    """
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return stripped.startswith(b"<") and b"<" + name in head


def xml_events(stream, path):
    """Walk an XML document, yielding its elements as simple events.

    The parser is expat (standard library) with namespaces reduced to local
    names. It gives the file line of each element; a document type
    declaration with entity declarations is refused, so nothing is
    expanded, and external entities are never fetched. `stream` and `path`
    are a reader's, as the format-reader contract says (:mod:`tracks.formats`).

    Yields
    ------
    tuple
        ``("start", name, parent, attributes, line)`` and
        ``("end", name, parent, text, line)``: local element names, the
        parent's local name (``""`` at the root), the attribute dict, and
        the element's own text, stripped (text of children excluded).

    Raises
    ------
    ReadError
        ``"{path}:{line}: ..."`` for an empty file, malformed or truncated
        XML, or an entity declaration.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    events = []
    stack = []
    text_parts = []

    def start(name, attributes):
        local = name.rpartition(" ")[2]
        parent = stack[-1] if stack else ""
        stack.append(local)
        text_parts.append([])
        events.append(("start", local, parent, attributes, parser.CurrentLineNumber))

    def end(_name):
        local = stack.pop()
        text = "".join(text_parts.pop()).strip()
        events.append(("end", local, stack[-1] if stack else "", text, parser.CurrentLineNumber))

    def characters(data):
        if text_parts:
            text_parts[-1].append(data)

    def refuse_entity(*_args):
        raise ReadError(
            f"{path}:{parser.CurrentLineNumber}: entity declarations are not read "
            "(they can expand without bound)"
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.EntityDeclHandler = refuse_entity
    seen_text = False
    while True:
        block = stream.read(_XML_BLOCK_BYTES)
        seen_text = seen_text or bool(block.strip())
        if not block and not seen_text:
            raise ReadError(f"{path}:1: the file is empty")
        try:
            parser.Parse(block, not block)
        except expat.ExpatError as exc:
            cut = " (the file is cut short)" if not block else ""
            raise ReadError(
                f"{path}:{exc.lineno}: not well-formed XML: {expat.ErrorString(exc.code)}{cut}"
            ) from None
        except LookupError as exc:  # the XML declaration names an unknown encoding
            raise ReadError(f"{path}:1: {exc}") from None
        yield from events
        events.clear()
        if not block:
            return
