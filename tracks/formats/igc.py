"""IGC flight logs (FAI gliding loggers, hang-gliders, paragliders).

Read:

- the date from ``HFDTE``, in the old form ``HFDTE280709`` or the new
  ``HFDTEDATE:280709,01`` (two-digit years 80-99 are 1980-1999, the rest
  2000-2079); it is the UTC date of the first fix;
- B records, ``B HHMMSS DDMMmmmN DDDMMmmmE V PPPPP GGGGG`` (spaces only for
  reading here): UTC time, latitude and longitude in degrees and thousandths
  of minutes, validity (``A`` 3D fix; ``V`` no valid GPS fix: rejected and
  counted), pressure altitude (ISA 1013.25 hPa, metres, to ``alt_baro_m``)
  and GNSS altitude (metres, to ``alt_geo_m``). Bytes after the 35th are the
  extensions that the I record declares: the extra digits of latitude and
  longitude (``LAD``, ``LOD``: decimals of the minute after the three of
  the B record) are read; the others (fix accuracy, engine noise, ...)
  are ignored. When a time of day is more than 12 hours earlier than
  the fix before it, the flight has crossed midnight UTC: it and the fixes
  after it are on the next day. (A smaller step back is a fix out of order,
  left for the framework to count.)
- the aircraft key from ``HFGID`` (``HFGIDGLIDERID:D-1234``, registration),
  else ``HFCID`` (``HFCIDCOMPETITIONID:XY``), else the file stem;
  ``H[OP]`` forms of those records are read too.

A pressure or GNSS altitude that is zero on every fix of the file means the
logger has no such sensor: it becomes NaN, with a note. A, H (others), I, J,
C, L, E, F, K, D and G records are skipped. ``line`` is the file line.
"""

import re

import numpy as np
import pandas as pd

from tracks.errors import ReadError
from tracks.formats._common import raw_chunk, reject_by_reason

NAME = "igc"
EXTENSIONS = (".igc",)

_B_RECORD = (
    r"^B(?P<hh>\d{2})(?P<mm>\d{2})(?P<ss>\d{2})"
    r"(?P<lat_deg>\d{2})(?P<lat_min>\d{5})(?P<ns>[NS])"
    r"(?P<lon_deg>\d{3})(?P<lon_min>\d{5})(?P<ew>[EW])"
    r"(?P<validity>[AV])(?P<pressure>-\d{4}|\d{5})(?P<gnss>-\d{4}|\d{5})"
)
_DATE = re.compile(r"^H[FOP]DTE(?:DATE)?:?\s*(\d{2})(\d{2})(\d{2})")
_AIRCRAFT = (
    re.compile(r"^H[FOP]GID(?:[^:]*:)?\s*(.*)$"),
    re.compile(r"^H[FOP]CID(?:[^:]*:)?\s*(.*)$"),
)
_UNKNOWN_IDS = ("", "NKN", "NIL", "NONE", "NOT SET", "UNKNOWN", "-")
_MIDNIGHT_STEP_S = -12 * 3600


def sniff(head, path):
    """Whether `head` looks like an IGC file: an A record first, then H or B records.

    Examples
    --------
    >>> from pathlib import Path
    >>> yes, no = b"AXXXABC\\nHFDTE190925\\n", b"HFDTE190925\\n"
    >>> sniff(yes, Path("x.igc")), sniff(no, Path("x.igc"))
    (True, False)
    """
    if not re.match(rb"A[A-Z0-9]{3}", head.lstrip()):
        return False
    return bool(re.search(rb"^H[FOP]DTE|^B\d{6}\d{7}[NS]\d{8}[EW][AV]", head, re.M))


def read_chunks(stream, path, report, **options):
    """Read the B records (fixes) of an IGC file, as one raw chunk.

    Raises ReadError for an empty or binary file, a file with no B record, or
    with no (or an impossible) HFDTE date.

    Examples
    --------
    >>> from tracks.formats._common import sample_chunk
    >>> text = (b"AXXXABC\\nHFDTE190925\\nHFGIDGLIDERID:D-1234\\n"
    ...         b"B0930005948000N02418000EA0106701090\\n")
    >>> chunk, report = sample_chunk(read_chunks, text, "x.igc")
    >>> chunk[["aircraft", "lat", "lon", "alt_baro_m", "alt_geo_m", "line"]].values.tolist(), str(chunk["time"][0])
    ([['D-1234', 59.8, 24.3, 1067.0, 1090.0, 4]], '2025-09-19 09:30:00+00:00')
    """
    text = _text(stream.read(), path)
    lines = pd.Series(text.splitlines(), dtype=object)
    line_no = np.arange(1, len(lines) + 1)
    is_b = lines.str.startswith("B").to_numpy(dtype=bool)
    if not is_b.any():
        raise ReadError(f"{path}:{len(lines)}: not an IGC flight log: no B records (fixes)")
    headers = lines[lines.str.startswith("H").to_numpy(dtype=bool)]
    day_ns = _date_ns(headers, path)
    aircraft = _aircraft(headers, path)

    records, b_line = lines[is_b], line_no[is_b]
    report.rows_read += len(records)
    fields = records.str.extract(_B_RECORD).reset_index(drop=True)
    numbers = fields.drop(columns=["ns", "ew", "validity"]).apply(pd.to_numeric)
    seconds = numbers["hh"] * 3600 + numbers["mm"] * 60 + numbers["ss"]
    bad = (
        fields["hh"].isna()
        | (numbers["hh"] > 23) | (numbers["mm"] > 59) | (numbers["ss"] > 59)
        | (numbers["lat_min"] >= 60_000) | (numbers["lon_min"] >= 60_000)
    ).to_numpy()  # fmt: skip
    reasons = (
        ("unparseable B record", bad),
        ("V fix (no valid GPS fix)", (fields["validity"] == "V").to_numpy()),
    )
    keep = ~reject_by_reason(report, b_line, reasons)
    fields, numbers, seconds, b_line = fields[keep], numbers[keep], seconds[keep], b_line[keep]

    seconds = seconds.to_numpy().astype(np.int64)
    step_s = np.diff(seconds, prepend=seconds[:1])
    day = np.cumsum(step_s < _MIDNIGHT_STEP_S)
    if day.size and day[-1]:
        report.note(f"the flight crosses midnight UTC {int(day[-1])} time(s); later fixes dated on")
    extensions = _extensions(lines[lines.str.startswith("I").to_numpy(dtype=bool)])
    b_records = records.reset_index(drop=True)[keep]
    lat_min = _minutes(numbers["lat_min"], b_records, extensions.get("LAD"), report, "latitude")
    lon_min = _minutes(numbers["lon_min"], b_records, extensions.get("LOD"), report, "longitude")
    lat = _degrees(numbers["lat_deg"], lat_min, fields["ns"] == "S")
    lon = _degrees(numbers["lon_deg"], lon_min, fields["ew"] == "W")
    yield raw_chunk(
        aircraft,
        day_ns + (day * 86_400 + seconds) * 1_000_000_000,
        lon,
        lat,
        _sensor_altitude(numbers["pressure"], "pressure", report),
        _sensor_altitude(numbers["gnss"], "GNSS", report),
        b_line,
    )


def _text(raw, path):
    """The file as text; raises for an empty or binary file."""
    if not raw.strip():
        raise ReadError(f"{path}:1: the file is empty")
    nul_at = raw.find(b"\x00")
    if nul_at >= 0:
        line = raw.count(b"\n", 0, nul_at) + 1
        raise ReadError(f"{path}:{line}: binary data, not an IGC text file")
    return raw.decode("latin-1")


def _date_ns(headers, path):
    """Midnight UTC of the HFDTE date, as nanoseconds since 1970; raises if absent or impossible."""
    for k, header in headers.items():
        found = _DATE.match(header)
        if found:
            day, month, year = (int(part) for part in found.groups())
            year += 1900 if year >= 80 else 2000
            try:
                midnight = pd.Timestamp(year=year, month=month, day=day)
            except ValueError:
                raise ReadError(f"{path}:{k + 1}: impossible date in {header.strip()!r}") from None
            return midnight.value
    raise ReadError(f"{path}:1: no date: the IGC file has no HFDTE record")


def _aircraft(headers, path):
    """The glider id, else the competition id, else the file stem (``NKN``, ``0`` and such are no id)."""
    for pattern in _AIRCRAFT:
        for header in headers:
            found = pattern.match(header.strip())
            if found and not _placeholder(found.group(1)):
                return found.group(1).strip()
    return path.stem


def _placeholder(text):
    """Whether a glider or competition id is no id: empty, ``NKN`` and such, or only zeros and dashes (``0``)."""
    text = text.strip().upper()
    return text in _UNKNOWN_IDS or set(text) <= set("0-_. ")


def _extensions(i_records):
    """The B-record extensions the first I record declares: code to (first, last) byte, 1-based.

    Examples
    --------
    >>> _extensions(pd.Series(["I023638FXA3940LAD"]))
    {'FXA': (36, 38), 'LAD': (39, 40)}
    """
    found = {}
    if len(i_records):
        record = i_records.iloc[0].strip()
        for at in range(3, len(record) - 6, 7):
            first, last, code = record[at : at + 2], record[at + 2 : at + 4], record[at + 4 : at + 7]
            if first.isdigit() and last.isdigit() and int(first) <= int(last):
                found[code.upper()] = (int(first), int(last))
    return found


def _minutes(thousandths, records, extension, report, what):
    """Minutes of arc from thousandths and the extra digits of a LAD or LOD extension, where declared.

    The extra digits follow the three decimals of the B record
    (``5206343`` with LAD ``7``: 06.3437 minutes). A record whose extra
    digits are missing or not digits keeps its three decimals (counted in
    a note).
    """
    minutes = thousandths.to_numpy(dtype=np.float64) / 1000
    if extension is None:
        return minutes
    first, last = extension
    digits = records.str.slice(first - 1, last)
    readable = digits.str.fullmatch(r"\d+").fillna(False).to_numpy(dtype=bool)
    readable = readable & (digits.str.len() == last - first + 1).to_numpy(dtype=bool)
    extra = pd.to_numeric(digits.where(readable)).to_numpy(dtype=np.float64)
    minutes = np.where(readable, minutes + extra / 1000 / 10 ** (last - first + 1), minutes)
    if not readable.all():
        report.note(f"{int((~readable).sum())} B record(s) without the declared extra {what} digits: "
                    "read to the thousandth of a minute")
    return minutes


def _degrees(whole, minutes, negative):
    """Degrees from whole degrees and minutes; negative for S and W."""
    degrees = whole.to_numpy() + np.asarray(minutes) / 60
    return np.where(negative.to_numpy(dtype=bool), -degrees, degrees)


def _sensor_altitude(metres, sensor, report):
    """`metres` as float64, or all NaN (with a note) if every value is zero (no sensor)."""
    metres = metres.to_numpy(dtype=np.float64)
    if metres.size and not metres.any():
        report.note(f"{sensor} altitude is 0 on every fix: no {sensor} sensor, read as unknown")
        return np.full(metres.size, np.nan)
    return metres
