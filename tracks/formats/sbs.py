"""SBS-1 BaseStation logs (the text stream of port 30003, as logged by dump1090, readsb, ...).

One message a line, 22 comma-separated fields::

    MSG,3,1,1,4CA2D6,1,2025/09/19,09:58:12.345,2025/09/19,09:58:12.345,,35000,,,59.8,24.3,,,0,0,0,0

Fields (1-based): 1 message type (``MSG``; ``SEL``, ``ID``, ``AIR``, ``STA``,
``CLK`` carry no fixes and are skipped), 2 transmission type, 5 hex address,
7-8 date and time generated (8-10 logged, used when generated is empty),
11 callsign, 12 altitude (feet, barometric: Mode C / ADS-B pressure
altitude), 13 ground speed (knots), 14 track (degrees), 15-16 lat, lon,
17 vertical rate, 18 squawk, 19-21 alert, emergency, SPI flags, 22 on ground
(``-1`` or ``1`` true).

A fix is an ``MSG,3`` (airborne position) or ``MSG,2`` (surface position,
``on_ground`` True) line with a lat or lon; those with neither (decoders
write them before the position is decoded) are counted in a note, not in
``rows_read``. Other messages fill in what positions lack,
aircraft by aircraft (hex), in file order:

- callsign: the latest non-empty callsign field of the same hex on this or
  an earlier line (``MSG,1`` identification, mostly), at any age: a
  callsign is kept until another one is heard;
- ground speed and track: the position line's own, else those of the
  latest line of the same hex that has a ground speed (``MSG,4`` velocity),
  if its time is within ``speed_max_age_s`` (default 10 s) of the fix;
- altitude: the position line's own only (NaN if empty), never borrowed.

SBS times carry no time zone. They are read as UTC (most receivers log
UTC; the report says so), or in the zone given as ``timezone="Europe/Tallinn"``
(times that do not exist or are ambiguous at a DST change are rejected).

``rows_read`` counts position lines and lines that are not SBS messages at
all (those are rejected); ``line`` is the file line. The file is read in
chunks of about ``chunk_rows`` lines, in bounded memory.
"""

import csv
import io

import numpy as np
import pandas as pd

from tracks.errors import ReadError
from tracks.formats._common import raw_chunk, reject_by_reason
from tracks.table import STRING_DTYPE
from tracks.units import FOOT_M, KNOT_MPS

NAME = "sbs"
EXTENSIONS = (".sbs", ".txt", ".log", ".csv")

MESSAGE_TYPES = ("MSG", "SEL", "ID", "AIR", "STA", "CLK")
"""First fields of SBS lines; only ``MSG`` lines carry data read here."""

POSITION_TRANSMISSIONS = ("2", "3")
"""``MSG`` transmission types that carry a position: 2 surface, 3 airborne."""

DEFAULT_SPEED_MAX_AGE_S = 10.0
"""Oldest ground speed (seconds before a fix) attached to a position without one."""

_MIN_POSITION_FIELDS = 16
_SNIFF = (b"MSG,", b"SEL,", b"ID,", b"AIR,", b"STA,", b"CLK,")
_NEWLINE, _COMMA = ord("\n"), ord(",")
_NAT = np.iinfo(np.int64).min
_TEXT_FIELDS = (0, 1, 4, 6, 7, 8, 9, 10, 21)
"""0-based indices of the text fields read: type, transmission, hex, dates, callsign, ground."""
_NUMBER_FIELDS = {11: "alt_ft", 12: "speed_kt", 13: "track_deg", 14: "lat", 15: "lon"}
"""0-based index of each number field read, and its name."""
_BYTES_PER_LINE = 110


def sniff(head, path):
    """Whether the first non-blank line of `head` is an SBS message type and the first
    ``MSG`` line among the first lines has at least 10 commas.

    Examples
    --------
    >>> from pathlib import Path
    >>> yes, no = b"MSG,3,1,1,4CA2D6,1,2025/09/19,09:58:12,,,,35000,,,59.8,24.3\\n", b"time,lat\\n"
    >>> sniff(yes, Path("x.sbs")), sniff(no, Path("x.sbs"))
    (True, False)
    """
    lines = [line.strip() for line in head.split(b"\n")[:20] if line.strip()]
    if not lines or not lines[0].startswith(_SNIFF):
        return False
    return any(line.startswith(b"MSG,") and line.count(b",") >= 10 for line in lines)


def read_chunks(stream, path, report, **options):
    """Read the positions of an SBS log, in raw chunks of ``chunk_rows`` lines.

    Options beyond the contract's: ``speed_max_age_s`` (default
    :data:`DEFAULT_SPEED_MAX_AGE_S`) and ``timezone`` (default ``"UTC"``), the
    zone of the logged times. Raises ReadError for an empty file, binary data,
    or a file whose first lines are not SBS messages.

    Examples
    --------
    >>> from tracks.formats._common import sample_chunk
    >>> text = (b"MSG,1,1,1,4CA2D6,1,2025/09/19,09:58:11.000,2025/09/19,09:58:11.000,RYR1A,,,,,,,,,,,\\n"
    ...         b"MSG,3,1,1,4CA2D6,1,2025/09/19,09:58:12.345,2025/09/19,09:58:12.345,,35000,,,59.8,24.3,,,0,0,0,0\\n")
    >>> chunk, report = sample_chunk(read_chunks, text, "x.sbs")
    >>> chunk[["aircraft", "callsign", "lat", "lon", "alt_baro_m", "line"]].values.tolist(), report.rows_read
    ([['4ca2d6', 'RYR1A', 59.8, 24.3, 10668.0, 2]], 1)
    """
    chunk_rows = int(options.get("chunk_rows", 1_000_000))
    max_age_s = float(options.get("speed_max_age_s", DEFAULT_SPEED_MAX_AGE_S))
    speed_max_age = pd.Timedelta(seconds=max_age_s)
    timezone = options.get("timezone", "UTC")
    _check_timezone(timezone, path)
    report.note(
        f"SBS times carry no time zone: read as {timezone}"
        + (" (give timezone=... if the receiver logged local time)" if timezone == "UTC" else "")
    )
    carried = None
    yielded = False
    first_line = 1
    n_blank = n_other = n_no_position = 0
    while True:
        lines = stream.readlines(chunk_rows * _BYTES_PER_LINE)
        if not lines:
            break
        block = b"".join(lines).replace(b"\r", b"")
        fields, n_fields = _fields(block, path, first_line)
        line_no = np.arange(first_line, first_line + len(fields))
        if first_line == 1:
            _check_start(fields, path)
        first_line += len(fields)
        kind = fields[0].fillna("").str.strip()
        blank = (kind == "").to_numpy() & (n_fields == 1)
        known = kind.isin(MESSAGE_TYPES).to_numpy()
        n_blank += int(blank.sum())
        garbage = ~known & ~blank
        report.rows_read += int(garbage.sum())
        report.reject("not an SBS message", line_no[garbage])
        is_msg = (kind == "MSG").to_numpy()
        n_other += int((known & ~is_msg).sum())
        chunk, carried, n_unplaced = _positions(
            fields[is_msg],
            n_fields[is_msg],
            line_no[is_msg],
            report,
            carried,
            speed_max_age,
            timezone,
        )
        n_no_position += n_unplaced
        if len(chunk) or not yielded:
            yield chunk
            yielded = True
    if first_line == 1:
        raise ReadError(f"{path}:1: the file is empty")
    if n_blank:
        report.note(f"skipped {n_blank} blank line(s)")
    if n_no_position:
        report.note(
            f"skipped {n_no_position} MSG,2/MSG,3 line(s) with no lat/lon "
            "(position not decoded yet): not fixes"
        )
    if n_other:
        report.note(f"skipped {n_other} SBS line(s) that are not MSG (SEL, ID, AIR, STA, CLK)")


def _fields(block, path, first_line):
    """The lines of `block` split into text fields, and the number of fields of each line.

    The fields read are those of :data:`_TEXT_FIELDS` (text) and of
    :data:`_NUMBER_FIELDS` (float64 if all of them read, else text), NaN
    where absent or empty.
    """
    buf = np.frombuffer(block, dtype=np.uint8)
    nul = np.flatnonzero(buf == 0)
    if nul.size:
        line = first_line + int(np.count_nonzero(buf[: nul[0]] == _NEWLINE))
        raise ReadError(f"{path}:{line}: binary data, not an SBS text log")
    newlines = np.flatnonzero(buf == _NEWLINE)
    commas = np.flatnonzero(buf == _COMMA)
    per_line = np.diff(np.searchsorted(commas, np.concatenate([[-1], newlines, [len(buf)]])))
    n_columns = int(per_line.max()) + 1
    wanted = [k for k in (*_TEXT_FIELDS, *_NUMBER_FIELDS) if k < n_columns]

    def read(dtype):
        return pd.read_csv(
            io.BytesIO(block),
            header=None,
            names=range(n_columns),
            usecols=wanted,
            dtype=dtype,
            skip_blank_lines=False,
            keep_default_na=False,
            na_values=[""],
            quoting=csv.QUOTE_NONE,
            encoding="latin-1",
            lineterminator="\n",
        )

    try:  # fast path: every number reads
        fields = read(
            {
                **dict.fromkeys(_TEXT_FIELDS, STRING_DTYPE),
                **dict.fromkeys(_NUMBER_FIELDS, "float64"),
            }
        )
    except ValueError:
        fields = read(STRING_DTYPE)
    for k in (*_TEXT_FIELDS, *_NUMBER_FIELDS):
        if k >= n_columns:  # no line of the block is that long
            dtype = STRING_DTYPE if k in _TEXT_FIELDS else np.float64
            fields[k] = pd.Series(np.nan, index=fields.index, dtype=dtype)
    n_lines = len(newlines) + (not block.endswith(b"\n"))
    return fields.iloc[:n_lines], per_line[:n_lines] + 1


def _check_timezone(timezone, path):
    """Raise unless `timezone` is a zone name pandas knows."""
    try:
        pd.Timestamp("2025-01-01").tz_localize(timezone)
    except Exception as exc:  # pytz, zoneinfo and dateutil raise different errors
        raise ReadError(f"{path}: unknown timezone {timezone!r} ({exc})") from None


def _check_start(fields, path):
    """Raise unless the first non-blank line is an SBS message."""
    kinds = fields[0].fillna("").str.strip()
    filled = np.flatnonzero((kinds != "").to_numpy())
    if filled.size == 0:
        raise ReadError(f"{path}:1: the file is empty (blank lines only)")
    first = int(filled[0])
    if kinds.iloc[first] not in MESSAGE_TYPES:
        raise ReadError(
            f"{path}:{first + 1}: not an SBS log: the line starts with "
            f"{kinds.iloc[first][:20]!r}, not MSG/SEL/ID/AIR/STA/CLK"
        )


def _positions(msg, n_fields, line_no, report, carried, speed_max_age, timezone):
    """The raw chunk of the position lines among the MSG lines `msg`.

    Returns the chunk, what this and earlier chunks tell about each hex
    (see :func:`_attached`), and the count of position messages with
    neither lat nor lon (not fixes).
    """
    transmission = msg[1].fillna("").str.strip().to_numpy(dtype=object)
    is_position = np.isin(transmission, POSITION_TRANSMISSIONS)
    unplaced = (msg[14].isna() & msg[15].isna()).to_numpy(dtype=bool)
    no_position = is_position & unplaced & (n_fields >= _MIN_POSITION_FIELDS)
    is_position &= ~no_position
    report.rows_read += int(is_position.sum())
    parsed = pd.DataFrame(
        {
            "hex": msg[4].fillna("").str.strip().str.lower().to_numpy(dtype=object),
            "time_ns": _times_ns(msg, timezone),
            "callsign": msg[10].fillna("").str.strip().replace("", None).to_numpy(dtype=object),
            **{name: _numbers(msg[k]) for k, name in _NUMBER_FIELDS.items()},
            "on_ground": (transmission == "2")
            | msg[21].fillna("").str.strip().isin(("-1", "1")).to_numpy(dtype=bool),
            "line": line_no,
        }
    )
    garbled = np.zeros(len(msg), dtype=bool)
    for k, name in _NUMBER_FIELDS.items():
        if msg[k].dtype == STRING_DTYPE:
            written = (msg[k].fillna("").str.strip() != "").to_numpy(dtype=bool)
            garbled |= written & np.isnan(parsed[name].to_numpy())
    no_hex = (parsed["hex"] == "").to_numpy(dtype=bool)
    reasons = (
        ("truncated line (too few fields)", n_fields < _MIN_POSITION_FIELDS),
        ("no hex (aircraft address)", no_hex),
        ("unparseable time", parsed["time_ns"].to_numpy() == _NAT),
        ("unparseable number (altitude, speed, track, lat or lon)", garbled),
    )
    rejected = reject_by_reason(report, line_no, reasons, among=is_position)
    usable = ~rejected & ~no_hex
    parsed, carried = _attached(parsed[usable], carried, speed_max_age)
    fixes = parsed[is_position[usable]]
    hex_id = fixes["hex"]
    chunk = raw_chunk(
        hex_id.to_numpy(dtype=object),
        fixes["time_ns"].to_numpy(),
        fixes["lon"].to_numpy(),
        fixes["lat"].to_numpy(),
        fixes["alt_ft"].to_numpy() * FOOT_M,
        np.nan,
        fixes["line"].to_numpy(),
        callsign=fixes["callsign"].to_numpy(dtype=object),
        icao24=hex_id.where(hex_id.str.fullmatch(r"[0-9a-f]{6}")).to_numpy(dtype=object),
        ground_speed_mps=fixes["speed_kt"].to_numpy() * KNOT_MPS,
        track_deg=fixes["track_deg"].to_numpy(),
        on_ground=fixes["on_ground"].to_numpy(dtype=bool),
    )
    return chunk, carried, int(no_position.sum())


def _attached(messages, carried, speed_max_age):
    """`messages` with callsign, speed and track filled from earlier lines of the same hex.

    Parameters
    ----------
    messages : pandas.DataFrame
        This chunk's usable MSG lines (hex, time, callsign, speed_kt,
        track_deg, ...), in file order.
    carried : pandas.DataFrame or None
        From earlier chunks: per hex, its latest line with a callsign and its
        latest line with a speed.
    speed_max_age : pandas.Timedelta
        Oldest speed attached to a line without one.

    Returns
    -------
    filled : pandas.DataFrame
        `messages`, filled in, with a fresh index.
    carried : pandas.DataFrame
        The same as `carried`, for the next chunk.
    """
    both = pd.concat([carried, messages], ignore_index=True)  # concat drops a None
    by_hex = both["hex"].to_numpy()
    callsign = both["callsign"].groupby(by_hex, sort=False).ffill()
    has_speed = both["speed_kt"].notna().to_numpy()
    speed_row = pd.Series(np.where(has_speed, np.arange(len(both)), np.nan))
    speed_row = speed_row.groupby(by_hex, sort=False).ffill().to_numpy()
    found = ~np.isnan(speed_row)
    source = both.iloc[np.where(found, speed_row, 0).astype(np.int64)]
    time_ns, speed_time_ns = both["time_ns"].to_numpy(), source["time_ns"].to_numpy()
    age_ns = np.abs(time_ns - speed_time_ns)
    timed = (time_ns != _NAT) & (speed_time_ns != _NAT)
    fresh = found & timed & (age_ns <= speed_max_age.value)
    filled = both.assign(
        callsign=callsign,
        speed_kt=np.where(fresh, source["speed_kt"], np.nan),
        track_deg=np.where(fresh, source["track_deg"], np.nan),
    )
    latest_callsign = filled[callsign.notna().to_numpy()].groupby("hex", sort=False).tail(1)
    latest_speed = both[has_speed].groupby("hex", sort=False).tail(1)
    carried = pd.concat(
        [
            latest_callsign.assign(speed_kt=np.nan, track_deg=np.nan),
            latest_speed.assign(callsign=None),
        ],
        ignore_index=True,
    )
    return filled.iloc[len(both) - len(messages) :].reset_index(drop=True), carried


def _times_ns(msg, timezone):
    """Generated date and time (logged where generated is empty) as UTC nanoseconds.

    NaT's value (the least int64) where unreadable.
    """
    date = msg[6].fillna(msg[8]).fillna("").str.strip().str.replace("-", "/")
    clock = msg[7].fillna(msg[9]).fillna("").str.strip()
    text = date + " " + clock
    times = pd.to_datetime(text, format="%Y/%m/%d %H:%M:%S.%f", errors="coerce")
    whole = times.isna()
    times[whole] = pd.to_datetime(text[whole], format="%Y/%m/%d %H:%M:%S", errors="coerce")
    utc = times.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT").dt.tz_convert(None)
    return utc.to_numpy(dtype="datetime64[ns]").view(np.int64)


def _numbers(column):
    """Float64 values of a float or text column; NaN where empty or unreadable."""
    if column.dtype == STRING_DTYPE:
        column = pd.to_numeric(column.str.strip(), errors="coerce")
    return column.to_numpy(dtype=np.float64, na_value=np.nan)
