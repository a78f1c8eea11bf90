"""Reader for OpenAir airspace files (the WinPilot format and Naviter's extensions).

:func:`read_openair` turns a file into an airspace table and an
:class:`OpenAirReport` of what it did with each airspace block.

Records read
------------
An airspace is a block of records that begins with ``AC``; ``*`` starts a
comment that runs to the end of the line (except in ``AN`` and ``AG``, where
it is kept as text), blank lines are skipped. Record names are read in any
case (a repair, noted).

- ``AC class``: the class; its kind is :data:`OPENAIR_CLASS_KINDS` (an
  unknown class becomes a kind of its own in lower case, with a note). Kept
  as text in the column ``openair_class``.
- ``AY type`` (extension): the type, which sets the kind instead of ``AC``
  (:data:`OPENAIR_TYPE_KINDS`; unknown types likewise). Kept as text in the
  column ``openair_type``, apart from the class.
- ``AN name``, ``AI id`` (extension; the ``airspace_id`` when given).
- ``AL``/``AH``: floor and ceiling, read by :func:`airspace.limits.parse_limit`
  (FL, ft, m; MSL, AMSL, AGL, GND, SFC, STD, UNL; a bare number is feet).
- ``AA start/end`` (extension): activation window in ISO 8601, UTC, ``NONE``
  for an open end (``T24:00`` is the end of the day; read by
  :func:`airspace.activation.parse_interval`). An airspace with several
  ``AA`` records gives one row per window, with ids ``<id>-1``, ``<id>-2``,
  ... (windows that overlap or touch joined into one first, a repair);
  ``AA NONE`` alone means "only active when announced": the block is
  skipped and counted.
- ``AF frequency`` (``AR``, an older spelling), ``AG station``, ``AX code``
  (extension): kept as text in the columns ``frequency``, ``station`` and
  ``transponder_code`` (:data:`airspace.table.RADIO_COLUMNS`); several
  records of one kind are joined with ``"; "``.
- ``V X=point`` sets the centre, ``V D=+`` / ``V D=-`` the direction
  (clockwise / anticlockwise) of later arcs. Both start afresh at every
  ``AC``: clockwise, no centre.
- ``DP point``; ``DA radius, start, end`` (radius in NM, true bearings in
  degrees from the centre; equal bearings draw a full circle); ``DB point,
  point`` (an arc from the first point to the second around the centre);
  ``DC radius`` (a circle, NM; the only shape of its block). A radius must
  be more than 0 and less than 10,000 km (a quarter of the way round).
- Ignored, counted in the notes: ``TP`` (transponder code, old spelling),
  ``AT`` (label position), ``SP``/``SB`` (styling), ``TO``/``TC`` (terrain
  outlines), ``V W=``/``V Z=`` (airway width, zoom).
- ``DY`` (airway segments) is not drawn: its block is skipped and counted.

Points are ``DD:MM:SS[.s] N DDD:MM:SS[.s] E``, ``DD:MM.mmm N ...`` or
decimal degrees ``DD.ddd N``, with or without spaces around the hemisphere
letter, and an optional comma between latitude and longitude.

The header
----------
The comments before the first airspace may say the file's version and
author, as OpenAir v2 asks (``*VERSION: 2.0``, ``*WRITTEN_BY: SeeYou``) or
in other spellings (``* VERSION: 2.0``, ``*version= 72d5a6f 2026-07-30``):
they go into the report's ``version`` and ``written_by``.

Repairs
-------
Real files bend the format. What can be read without guessing is read, and
each repair is counted in the report (``repaired``) and said in its notes
with the file lines of the first ones (:data:`REPAIRS`): record names in
lower case; ``V`` records with no space (``VX=...``, ``VD=+``); an ``AC``
with no class (read as unclassified, its kind from ``AY``, or ``other``);
seconds or minutes of 60 (``42:00:60``, carried into the next minute or
degree); a limit written as two, "FL130 but min 1000ft GND" (the higher
of the two, :func:`airspace.limits.parse_higher_limit`), ``UNL FT`` (UNL),
``2900AMSL FT`` (2900 ft AMSL); ``AA NONE/NONE``, and ``AA NONE`` with
other ``AA`` records (read as ``AA NONE``, which overrides them). An ``AX``
that is not a four-digit octal code is kept as written, and said. Repairs
in blocks that are rejected are not counted.

Arcs and circles
----------------
Arcs are drawn on the WGS84 ellipsoid: every vertex is at the exact geodesic
distance of the radius from the centre (:class:`pyproj.Geod`), at bearings
evenly spaced over the arc, and the step is the largest for which the chord
error (sagitta) ``r (1 - cos(step / 2))`` stays within ``max_chord_error_m``
(50 m by default), and never more than 10 degrees. A ``DB`` arc starts and
ends exactly at its two points; if they are not at the same distance from
the centre, the radius of the vertices between goes linearly from one to the
other. Consecutive vertices are joined the short way round the globe, and a
polygon that crosses the antimeridian is split there into a MultiPolygon; an
airspace around a pole (a circle over it, an outline going round it) is not
supported: its block is rejected, counted as "around a pole".

Broken files
------------
An empty, binary or unreadable file, or one with no ``AC`` record, raises
:class:`ReadError` naming it. Text that is not UTF-8 is read as latin-1,
with a note. Within a file, a block that cannot be used (see
:data:`REJECT_REASONS`) is rejected and counted, with the file line of the
fault (of its ``AC`` when the fault is the whole block's), and reading goes
on at the next ``AC``; with ``strict=True`` the first one raises.
"""

import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod

from tracks.errors import ReadError
from airspace.activation import merge_windows, parse_interval
from airspace.limits import parse_higher_limit, parse_limit
from airspace.table import (
    AIRSPACE_COLUMNS,
    OPTIONAL_AIRSPACE_COLUMNS,
    RADIO_COLUMNS,
    floor_above_ceiling,
    validate_airspace,
)
from tracks.opening import file_bytes
from tracks.units import NAUTICAL_MILE_M
from airspace.arcs import LARGEST_RADIUS_M, MAX_CHORD_ERROR_M, arc_lonlat, split_at_antimeridian

_KINDS_OF_BOTH = {
    "R": "restricted",
    "Q": "danger",
    "P": "prohibited",
    **{code: code.lower() for code in ("CTR", "TMA", "CTA", "ATZ", "TMZ", "RMZ", "TRA", "TSA")},
    "GSEC": "glider",
    "UNCLASSIFIED": "other",
}
"""The codes that name the same kind as an ``AC`` class and as an ``AY`` type."""

OPENAIR_CLASS_KINDS = MappingProxyType(
    {
        **_KINDS_OF_BOTH,
        **{letter: f"class-{letter.lower()}" for letter in "ABCDEFG"},
        "GP": "glider-prohibited",
        "W": "wave",
        "UNC": "other",
        "UKN": "other",
    }
)
"""Kind of each ``AC`` class: R restricted, Q danger, P prohibited, A-G the
ICAO classes, GP glider prohibited, GSEC gliding sector, W wave window, ..."""

OPENAIR_TYPE_KINDS = MappingProxyType(
    {
        **_KINDS_OF_BOTH,
        "RESTRICTED": "restricted",
        "DANGER": "danger",
        "PROHIBITED": "prohibited",
        "GLIDING_SECTOR": "glider",
        "NONE": "other",
    }
)
"""Kind of each ``AY`` type; other types become their own kind in lower case
(``ACC_SECTOR`` -> ``acc-sector``)."""

REJECT_REASONS = (
    "no AC before this record",
    "unknown record",
    "bad coordinate",
    "bad arc or circle",
    "bad limit",
    "missing limit",
    "repeated record",
    "bad activation time",
    "fewer than 3 points",
    "no area",
    "around a pole",
)
"""Why a block is rejected: it cannot be turned into an airspace."""

SKIP_REASONS = ("airway (DY), not drawn", "never active (AA NONE)")
"""Why a well-formed block gives no airspace."""

REPAIRS = MappingProxyType(
    {
        "lower case": "record names in lower case, read in upper case",
        "V no space": "V records with no space after V (VX=, VD=), read as V X=, V D=",
        "AC empty": "AC with no class, read as unclassified",
        "sixty": "seconds or minutes of 60, carried into the next minute or degree",
        "two limits": "limits written as two, the higher kept",
        "UNL unit": "UNL with a unit (UNL FT), read as UNL",
        "unit last": "limits with the unit after the reference (2900AMSL FT), read as 2900 FT AMSL",
        "AA NONE and others": "AA NONE with other AA records, read as AA NONE (it overrides them)",
        "AA NONE/NONE": "AA NONE/NONE, read as AA NONE (active only when announced)",
        "AA overlapping": "AA windows of one airspace that overlap or touch, joined into one",
        "AX": "AX that is not a four-digit octal code, kept as written",
    }
)
"""What the reader repairs or remarks, each counted with its lines (see the module notes)."""

FIRST_LINES_KEPT = 5
"""How many file lines a report keeps per reason."""

_IGNORED = {"TP", "AT", "SP", "SB", "TO", "TC"}
_RADIO = {"AF": "frequency", "AR": "frequency", "AG": "station", "AX": "transponder_code"}
_TEXT_RECORDS = {"AN", "AG"}
_ONCE = {"AN", "AL", "AH", "AY", "AI"}
_UNL_UNIT = re.compile(r"(?:UNL|UNLIM|UNLTD|UNLIMITED)\s*(?:FT|F|M)")
_UNIT_LAST = re.compile(r"([+-]?\d+(?:\.\d*)?)\s*([A-Z]+)\s+(FT|F|M)")
_V_NO_SPACE = re.compile(r"V([A-Z])\s*=", re.IGNORECASE)
_HEADER = re.compile(r"\*+\s*(VERSION|WRITTEN_BY)\s*[:=]\s*(.*?)\s*\**\s*$", re.IGNORECASE)
_ANGLE = r"(\d{1,3}(?:\.\d+)?(?:\s*:\s*\d{1,2}(?:\.\d+)?){0,2})"
_POINT = rf"{_ANGLE}\s*([NS])\s*,?\s*{_ANGLE}\s*([EW])"
_POINT_RE = re.compile(_POINT, re.IGNORECASE)
_TWO_POINTS_RE = re.compile(rf"{_POINT}\s*,\s*{_POINT}", re.IGNORECASE)
_NUMBER = r"\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*"
_DA_RE = re.compile(rf"{_NUMBER},{_NUMBER},{_NUMBER}")
_DC_RE = re.compile(_NUMBER)
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x1f]")
_GEOD = Geod(ellps="WGS84")


class OpenAirError(ReadError):
    """A fault in an OpenAir block, at a file line, for one of :data:`REJECT_REASONS`.

    Examples
    --------
    >>> error = OpenAirError(7, "bad coordinate", "'59:xx N'")
    >>> print(error)
    line 7: bad coordinate: '59:xx N'
    >>> error.line, error.reason
    (7, 'bad coordinate')
    """

    def __init__(self, line, reason, detail):
        super().__init__(f"line {line}: {reason}: {detail}")
        self.line, self.reason, self.detail = line, reason, detail


@dataclass
class OpenAirReport:
    """What :func:`read_openair` did with each airspace block of a file.

    Attributes
    ----------
    path : pathlib.Path
        The file read.
    encoding : str
        ``"utf-8"``, or ``"latin-1"`` when the file is not UTF-8.
    blocks_read : int
        Blocks (from one ``AC`` to the next, and any records before the first).
    blocks_accepted : int
        Blocks that became airspace (``blocks_read == blocks_accepted +
        blocks_rejected + blocks_skipped``). A block with several ``AA``
        windows gives several rows.
    rejected, skipped : dict of str to int
        Blocks by reason (:data:`REJECT_REASONS`, :data:`SKIP_REASONS`).
    first_rejected_lines, first_skipped_lines : dict of str to list of int
        The file lines (1-based) of the first (up to 5) of each reason.
    problems : list of str
        The first messages of rejected blocks, ``"line 7: bad coordinate: ..."``.
    repaired, first_repaired_lines : dict of str to int, dict of str to list of int
        Repairs by kind (the keys of :data:`REPAIRS`) and the file lines of
        the first (up to 5) of each; also said in the notes.
    version, written_by : str or None
        What the header comments say of the file (``*VERSION: 2.0``,
        ``*WRITTEN_BY: SeeYou``), None when they say nothing.
    notes : list of str
        Everything else a person should know (ignored records, encoding,
        repairs, ...).

    Examples
    --------
    >>> report = OpenAirReport(Path("zones.txt"), blocks_read=3, blocks_accepted=1)
    >>> report.reject(OpenAirError(7, "bad coordinate", "'59:xx N'"))
    >>> report.skip("airway (DY), not drawn", 12)
    >>> report.note("ignored 1 record(s) that draw nothing: SP 1")
    >>> report.version = "2.0"
    >>> print(report)
    zones.txt: 3 airspace blocks read, 1 accepted, 1 rejected, 1 skipped
      version 2.0
      rejected 1: bad coordinate (line 7)
      skipped 1: airway (DY), not drawn (line 12)
      problem: line 7: bad coordinate: '59:xx N'
      note: ignored 1 record(s) that draw nothing: SP 1
    """

    path: Path
    encoding: str = "utf-8"
    blocks_read: int = 0
    blocks_accepted: int = 0
    rejected: dict = field(default_factory=dict)
    first_rejected_lines: dict = field(default_factory=dict)
    skipped: dict = field(default_factory=dict)
    first_skipped_lines: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    repaired: dict = field(default_factory=dict)
    first_repaired_lines: dict = field(default_factory=dict)
    version: str = None
    written_by: str = None
    notes: list = field(default_factory=list)

    @property
    def blocks_rejected(self):
        """Blocks rejected, all reasons together.

        Examples
        --------
        >>> OpenAirReport(Path("zones.txt"), rejected={"bad limit": 2, "no area": 1}).blocks_rejected
        3
        """
        return sum(self.rejected.values())

    @property
    def blocks_skipped(self):
        """Blocks skipped, all reasons together.

        Examples
        --------
        >>> OpenAirReport(Path("zones.txt"), skipped={"never active (AA NONE)": 2}).blocks_skipped
        2
        """
        return sum(self.skipped.values())

    def reject(self, error):
        """Count a rejected block from its :class:`OpenAirError`.

        Examples
        --------
        >>> report = OpenAirReport(Path("zones.txt"))
        >>> report.reject(OpenAirError(7, "bad limit", "'FL9x'"))
        >>> report.rejected, report.first_rejected_lines, report.problems
        ({'bad limit': 1}, {'bad limit': [7]}, ["line 7: bad limit: 'FL9x'"])
        """
        _count(self.rejected, self.first_rejected_lines, error.reason, error.line)
        if len(self.problems) < 4 * FIRST_LINES_KEPT:
            self.problems.append(str(error))

    def skip(self, reason, line):
        """Count a block skipped for `reason`, beginning at file `line`.

        Examples
        --------
        >>> report = OpenAirReport(Path("zones.txt"))
        >>> report.skip("airway (DY), not drawn", 12)
        >>> report.skipped, report.first_skipped_lines
        ({'airway (DY), not drawn': 1}, {'airway (DY), not drawn': [12]})
        """
        _count(self.skipped, self.first_skipped_lines, reason, line)

    def repair(self, kind, line):
        """Count a repair of `kind` (a key of :data:`REPAIRS`) at file `line`.

        Examples
        --------
        >>> report = OpenAirReport(Path("zones.txt"))
        >>> report.repair("sixty", 12)
        >>> report.repaired, report.first_repaired_lines
        ({'sixty': 1}, {'sixty': [12]})
        """
        _count(self.repaired, self.first_repaired_lines, kind, line)

    def note(self, text):
        """Record something a person should know about the file.

        Examples
        --------
        >>> report = OpenAirReport(Path("zones.txt"))
        >>> report.note("read as latin-1: the file is not UTF-8")
        >>> report.notes
        ['read as latin-1: the file is not UTF-8']
        """
        self.notes.append(text)

    def __str__(self):
        lines = [
            (
                f"{self.path}: {self.blocks_read} airspace blocks read, {self.blocks_accepted} "
                f"accepted, {self.blocks_rejected} rejected, {self.blocks_skipped} skipped"
            )
        ]
        if self.version or self.written_by:
            by = f" written by {self.written_by}" if self.written_by else ""
            lines.append(f"  version {self.version or 'not given'}{by}")
        for verb, counts, first in (
            ("rejected", self.rejected, self.first_rejected_lines),
            ("skipped", self.skipped, self.first_skipped_lines),
        ):
            for reason, count in counts.items():
                shown = ", ".join(map(str, first[reason]))
                more = ", ..." if count > len(first[reason]) else ""
                lines.append(f"  {verb} {count}: {reason} (line {shown}{more})")
        lines.extend(f"  problem: {problem}" for problem in self.problems)
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


def read_openair(path, *, strict=False, max_chord_error_m=MAX_CHORD_ERROR_M):
    """Read an OpenAir file into an airspace table.

    Parameters
    ----------
    path : str or os.PathLike
        An OpenAir file (see the module notes for the records read).
    strict : bool, default False
        Raise on the first unusable block instead of rejecting and counting it.
    max_chord_error_m : float, default 50.0
        Largest distance, in metres, between an arc or circle and the chords
        that draw it.

    Returns
    -------
    airspace : geopandas.GeoDataFrame
        The airspace table (validated, EPSG:4326), in file order, with the
        text columns ``frequency``, ``station``, ``transponder_code`` (``AF``,
        ``AG``, ``AX``; NaN where not given) and three more:
        ``openair_class`` and ``openair_type`` (the ``AC`` and ``AY`` text,
        ``""`` when not given) and ``openair_line`` (the file line of the ``AC``). ``country`` is ``""``.
        ``airspace_id`` is the ``AI`` when given, otherwise a slug of the
        name (``"CTR Tallinn"`` -> ``"ctr-tallinn"``), with ``-2``, ``-3``,
        ... on repeats.
    report : OpenAirReport
        Blocks read, accepted, rejected and skipped by reason with their file
        lines, and notes.

    Raises
    ------
    ReadError
        ``"{path}: ..."`` for a missing, unreadable, empty or binary file,
        or one that is not OpenAir (no ``AC`` record); with `strict`,
        ``"{path}: line {n}: {reason}: ..."`` for the first unusable block.

    Examples
    --------
    >>> import tempfile, os
    >>> openair_path = os.path.join(tempfile.mkdtemp(), "vaindloo.txt")
    >>> with open(openair_path, "w") as f:
    ...     _ = f.write("AC R\\nAN Vaindloo\\nAL GND\\nAH FL95\\n"
    ...                 "V X=59:48:50 N 026:21:43 E\\nDC 3\\n"
    ...                 "AC Q\\nAN Broken\\nAL GND\\nAH 3000ft\\nDP 59:xx N 026:00 E\\n")
    >>> airspace, report = read_openair(openair_path)
    >>> airspace[["airspace_id", "kind", "floor_ref", "ceiling_m", "ceiling_ref"]]
      airspace_id        kind floor_ref  ceiling_m ceiling_ref
    0    vaindloo  restricted       SFC     2895.6         STD
    >>> report.rejected, report.first_rejected_lines
    ({'bad coordinate': 1}, {'bad coordinate': [11]})
    """
    if not max_chord_error_m > 0:
        raise ReadError(f"max_chord_error_m must be more than 0 m, not {max_chord_error_m}")
    path = Path(path)
    report = OpenAirReport(path=path)
    text = _read_text(path, report)
    records = _records(text, report)
    if not any(key == "AC" for _, key, _ in records):
        raise ReadError(
            f"{path}: not an OpenAir airspace file: no AC record "
            "(every airspace begins with a line 'AC <class>')"
        )
    ignored = {}
    rows = []
    for block in _blocks(records):
        report.blocks_read += 1
        repairs = []
        try:
            drawn = _airspace(block, ignored, repairs, max_chord_error_m)
        except OpenAirError as error:
            if strict:
                raise ReadError(f"{path}: {error}") from None
            report.reject(error)
            continue
        for kind, line in repairs:
            report.repair(kind, line)
        if isinstance(drawn, str):
            report.skip(drawn, block[0][0])
            continue
        report.blocks_accepted += 1
        rows.extend(drawn)
    if ignored:
        counts = ", ".join(f"{key} {count}" for key, count in sorted(ignored.items()))
        report.note(f"ignored {sum(ignored.values())} record(s) that draw nothing: {counts}")
    for kind, count in report.repaired.items():
        lines = ", ".join(map(str, report.first_repaired_lines[kind]))
        more = ", ..." if count > len(report.first_repaired_lines[kind]) else ""
        report.note(f"{REPAIRS[kind]}: {count} (line {lines}{more})")
    _note_kinds(rows, report)
    return _table(rows, path, report), report


def looks_like_openair(text):
    """Whether `text` (the start of a file) reads as OpenAir.

    Parameters
    ----------
    text : str

    Returns
    -------
    bool
        True if a line (after spaces) begins with an ``AC`` or ``AN`` record.

    Examples
    --------
    >>> looks_like_openair("* airspace\\nAC R\\nAN ED-R10\\n"), looks_like_openair('{"type": 1}')
    (True, False)
    """
    return re.search(r"^[ \t]*A[CN][ \t]", text, re.MULTILINE | re.IGNORECASE) is not None


# --- file and records ---------------------------------------------------------


_BYTE_ORDER_MARK = b"\xef\xbb\xbf"


def _read_text(path, report):
    """The file's text, checked not to be empty or binary; latin-1 if not UTF-8 (a byte-order mark dropped)."""
    raw = file_bytes(path, "an OpenAir file")
    if not raw.strip():
        raise ReadError(f"{path}: the file is empty (no airspace)")
    binary = _BINARY.search(raw)
    if binary:
        raise ReadError(
            f"{path}: line {_line_of(raw, binary.start())}: binary data "
            f"(byte 0x{raw[binary.start()]:02x}), not an OpenAir text file"
        )
    raw = raw.removeprefix(_BYTE_ORDER_MARK)  # not text, in UTF-8 or Latin-1
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        report.encoding = "latin-1"
        report.note(
            f"not UTF-8 (byte 0x{raw[exc.start]:02x} on line "
            f"{_line_of(raw, exc.start)}): read as latin-1"
        )
        return raw.decode("latin-1")


def _line_of(raw, offset):
    """1-based line number of byte `offset` in `raw`."""
    return raw.count(b"\n", 0, offset) + 1


def _records(text, report):
    """(line number, record name, value) of every line that is not blank or a comment.

    Record names in lower case and ``V`` records with no space are repaired
    (counted in `report`); the header comments before the first record fill
    its ``version`` and ``written_by``.
    """
    records = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line.startswith("*") and not records:
            _header(line, report)
        if not line or line.startswith("*"):
            continue
        if _V_NO_SPACE.match(line):
            report.repair("V no space", line_no)
            line = f"{line[0]} {line[1:]}"
        key, _, value = line.replace("\t", " ").partition(" ")
        if key != key.upper():
            report.repair("lower case", line_no)
            key = key.upper()
        if key not in _TEXT_RECORDS:
            value = value.partition("*")[0]
        records.append((line_no, key, value.strip()))
    return records


def _header(comment, report):
    """Fill the report's version or author from a header comment such as ``*VERSION: 2.0``."""
    found = _HEADER.fullmatch(comment)
    if found and found[2]:
        name = "version" if found[1].upper() == "VERSION" else "written_by"
        if getattr(report, name) is None:
            setattr(report, name, found[2])


def _blocks(records):
    """The records split before every AC (records before the first AC form a block too)."""
    starts = [k for k, (_, key, _) in enumerate(records) if key == "AC"]
    if starts[0] > 0:
        starts.insert(0, 0)
    return [records[a:b] for a, b in zip(starts, [*starts[1:], len(records)])]


# --- one airspace -------------------------------------------------------------


def _airspace(block, ignored, repairs, max_chord_error_m):
    """The table rows of one block, or the reason it is skipped; raises OpenAirError.

    The repairs made are appended to `repairs` as (kind, line).
    """
    ac_line, first_key, openair_class = block[0]
    if first_key != "AC":
        raise OpenAirError(
            ac_line, "no AC before this record", f"{first_key} {openair_class}".strip()
        )
    if not openair_class:
        repairs.append(("AC empty", ac_line))
    seen = {}
    radio = {}
    shape = _Shape(max_chord_error_m, repairs)
    windows = []
    skip = None
    for line_no, key, value in block[1:]:
        if key in _ONCE:
            if key in seen:
                raise OpenAirError(
                    line_no,
                    "repeated record",
                    f"a second {key} (first at line {seen[key][0]}; "
                    "is an AC missing between two airspaces?)",
                )
            seen[key] = (line_no, value)
        elif key in _IGNORED:
            ignored[key] = ignored.get(key, 0) + 1
        elif key in _RADIO:
            if key == "AX" and not re.fullmatch(r"[0-7]{4}", value):
                repairs.append(("AX", line_no))
            radio.setdefault(_RADIO[key], []).append(value)
        elif key == "AA":
            windows.append(_window(line_no, value, repairs))
        elif key == "DY":
            skip = SKIP_REASONS[0]
        elif key == "V":
            shape.variable(line_no, value, ignored)
        elif key in ("DP", "DA", "DB", "DC"):
            shape.draw(line_no, key, value)
        else:
            raise OpenAirError(line_no, "unknown record", f"{key} {value}".strip())
    if skip:
        return skip
    floor_m, floor_ref, ceiling_m, ceiling_ref = _limits(ac_line, seen, repairs)
    if any(window is None for window in windows):
        if len(windows) > 1:
            repairs.append(("AA NONE and others", ac_line))
        return SKIP_REASONS[1]
    windows = _joined(windows, ac_line, repairs)
    geometry = shape.polygon(ac_line, block[-1][0])
    name = seen.get("AN", (None, ""))[1]
    openair_type = seen.get("AY", (None, ""))[1]
    row = {
        "airspace_id": seen.get("AI", (None, None))[1],
        "name": name,
        "kind": _kind(openair_class.upper() or "UNC", openair_type.upper()),
        "floor_m": floor_m,
        "floor_ref": floor_ref,
        "ceiling_m": ceiling_m,
        "ceiling_ref": ceiling_ref,
        "geometry": geometry,
        **{column: "; ".join(radio[column]) if column in radio else None for column in RADIO_COLUMNS},
        "openair_class": openair_class,
        "openair_type": openair_type,
        "openair_line": ac_line,
        "_window": None,
    }
    if len(windows) < 2:
        start, end = windows[0] if windows else (pd.NaT, pd.NaT)
        return [{**row, "valid_from": start, "valid_to": end}]
    return [
        {**row, "valid_from": start, "valid_to": end, "_window": k}
        for k, (start, end) in enumerate(windows, start=1)
    ]


def _limits(ac_line, seen, repairs):
    """Floor and ceiling (metres, ref) from the AL and AH records; raises if unusable."""
    limits = []
    for key, what in (("AL", "floor"), ("AH", "ceiling")):
        if key not in seen:
            raise OpenAirError(ac_line, "missing limit", f"no {key} record (the {what})")
        line_no, text = seen[key]
        try:
            limits.append((line_no, *parse_limit(text)))
        except ValueError as exc:
            try:
                limits.append((line_no, *_repaired_limit(text, line_no, repairs)))
            except ValueError:
                raise OpenAirError(line_no, "bad limit", str(exc)) from None
    (floor_line, floor_m, floor_ref), (ceiling_line, ceiling_m, ceiling_ref) = limits
    if ceiling_ref == "SFC":
        raise OpenAirError(ceiling_line, "bad limit", f"ceiling at the surface ({seen['AH'][1]!r})")
    if floor_m == math.inf:
        raise OpenAirError(floor_line, "bad limit", f"floor unlimited ({seen['AL'][1]!r})")
    if floor_above_ceiling(floor_m, floor_ref, ceiling_m, ceiling_ref):
        raise OpenAirError(
            floor_line,
            "bad limit",
            f"floor {seen['AL'][1]!r} above the ceiling {seen['AH'][1]!r}",
        )
    return floor_m, floor_ref, ceiling_m, ceiling_ref


def _repaired_limit(text, line_no, repairs):
    """(metres, ref) of a limit that only a repair reads (see :data:`REPAIRS`); raises ValueError."""
    word = " ".join(text.upper().split())
    unit_last = _UNIT_LAST.fullmatch(word)
    if _UNL_UNIT.fullmatch(word):
        kind, limit = "UNL unit", parse_limit("UNL")
    elif unit_last:
        kind, limit = "unit last", parse_limit(f"{unit_last[1]} {unit_last[3]} {unit_last[2]}")
    else:
        kind, limit = "two limits", parse_higher_limit(text)[:2]
    repairs.append((kind, line_no))
    return limit


def _window(line_no, value, repairs):
    """(valid_from, valid_to) of an AA record, NaT for NONE; None for 'AA NONE' alone."""
    if value.upper() == "NONE":
        return None
    try:
        start, end = parse_interval(value)
    except ValueError as exc:
        raise OpenAirError(line_no, "bad activation time", str(exc)) from None
    if pd.isna(start) and pd.isna(end):
        repairs.append(("AA NONE/NONE", line_no))
        return None
    return start, end


def _joined(windows, ac_line, repairs):
    """The (valid_from, valid_to) windows with those that overlap or touch joined (a repair)."""
    if len(windows) < 2:
        return windows
    starts, ends = zip(*windows)
    joined = merge_windows(pd.DataFrame({"airspace_id": "", "valid_from": starts, "valid_to": ends}))
    if len(joined) < len(windows):
        repairs.append(("AA overlapping", ac_line))
    return list(zip(joined["valid_from"], joined["valid_to"]))


def _kind(openair_class, openair_type):
    if openair_type:
        return OPENAIR_TYPE_KINDS.get(openair_type) or _slug(openair_type)
    return OPENAIR_CLASS_KINDS.get(openair_class) or _slug(openair_class)


def _note_kinds(rows, report):
    """Note classes and types that are not in the mapping tables."""
    unknown = sorted(
        {
            row["kind"]
            for row in rows
            if row["kind"] not in OPENAIR_CLASS_KINDS.values()
            and row["kind"] not in OPENAIR_TYPE_KINDS.values()
        }
    )
    if unknown:
        report.note(f"classes or types without a known kind, kept as kind: {', '.join(unknown)}")


class _Shape:
    """The points of one block's outline, drawn record by record."""

    def __init__(self, max_chord_error_m, repairs):
        self.max_chord_error_m = max_chord_error_m
        self.repairs = repairs
        self.lon, self.lat = [], []
        self.centre = None
        self.clockwise = True
        self.circle_line = None
        self.first_line = None

    def variable(self, line_no, value, ignored):
        name, _, setting = value.partition("=")
        name, setting = name.strip().upper(), setting.strip()
        if name == "X":
            self.centre = _point(line_no, setting, self.repairs)
        elif name == "D" and setting in ("+", "-"):
            self.clockwise = setting == "+"
        elif name in ("W", "Z"):
            ignored[f"V {name}"] = ignored.get(f"V {name}", 0) + 1
        else:
            raise OpenAirError(line_no, "unknown record", f"V {value}")

    def draw(self, line_no, key, value):
        if self.circle_line is not None or (key == "DC" and self.first_line is not None):
            raise OpenAirError(
                line_no,
                "bad arc or circle",
                f"a circle (DC) and other points in one airspace "
                f"(lines {self.circle_line or self.first_line} and {line_no})",
            )
        self.first_line = self.first_line or line_no
        if key == "DP":
            lon, lat = _point(line_no, value, self.repairs)
            self.lon.append([lon])
            self.lat.append([lat])
            return
        if self.centre is None:
            raise OpenAirError(
                line_no, "bad arc or circle", f"{key} with no centre (V X=) before it"
            )
        if key == "DB":
            lon, lat = self._arc_between(line_no, value)
        else:
            lon, lat = self._arc(line_no, key, value)
        self.lon.append(lon)
        self.lat.append(lat)

    def _arc(self, line_no, key, value):
        numbers = (_DC_RE if key == "DC" else _DA_RE).fullmatch(value)
        if numbers is None:
            expected = "a radius in NM" if key == "DC" else "radius (NM), start, end (degrees)"
            raise OpenAirError(
                line_no, "bad arc or circle", f"{key} {value!r}: expected {expected}"
            )
        radius_nm = float(numbers[1])
        if not 0 < radius_nm * NAUTICAL_MILE_M < LARGEST_RADIUS_M:
            raise OpenAirError(line_no, "bad arc or circle", f"{key} radius {radius_nm} NM")
        if key == "DC":
            self.circle_line = line_no
            lon, lat = arc_lonlat(
                *self.centre, radius_nm * NAUTICAL_MILE_M, 0.0, 360.0, max_chord_error_m=self.max_chord_error_m
            )
            return lon[:-1], lat[:-1]
        start, end = float(numbers[2]), float(numbers[3])
        sweep = ((end - start) if self.clockwise else (start - end)) % 360.0 or 360.0
        return arc_lonlat(
            *self.centre,
            radius_nm * NAUTICAL_MILE_M,
            start,
            sweep if self.clockwise else -sweep,
            max_chord_error_m=self.max_chord_error_m,
        )

    def _arc_between(self, line_no, value):
        points = _TWO_POINTS_RE.fullmatch(value)
        if points is None:
            raise OpenAirError(line_no, "bad coordinate", f"DB {value!r}: expected two points")
        ends = [_degrees(line_no, value, points.groups()[k : k + 4], self.repairs) for k in (0, 4)]
        (lon1, lat1), (lon2, lat2) = ends
        centre_lon, centre_lat = self.centre
        azimuths, _, radii = _GEOD.inv(
            [centre_lon] * 2, [centre_lat] * 2, [lon1, lon2], [lat1, lat2]
        )
        if not min(radii) > 0:
            raise OpenAirError(line_no, "bad arc or circle", f"DB {value!r}: a point at the centre")
        turn = (azimuths[1] - azimuths[0]) % 360.0
        sweep = turn if self.clockwise else turn - 360.0 if turn else 0.0
        lon, lat = arc_lonlat(
            centre_lon,
            centre_lat,
            radii[0],
            azimuths[0],
            sweep,
            end_radius_m=radii[1],
            max_chord_error_m=self.max_chord_error_m,
        )
        lon[[0, -1]], lat[[0, -1]] = [lon1, lon2], [lat1, lat2]
        return lon, lat

    def polygon(self, ac_line, last_line):
        """The block's Polygon (MultiPolygon if split at the antimeridian)."""
        lines = f"in the airspace at lines {ac_line}-{last_line}"
        if not self.lon:
            raise OpenAirError(
                ac_line, "fewer than 3 points", f"no DP, DA, DB or DC record {lines}"
            )
        lon = np.unwrap(np.concatenate(self.lon), period=360.0)
        lat = np.concatenate(self.lat)
        turns = round((np.unwrap(np.append(lon, lon[0]), period=360.0)[-1] - lon[0]) / 360.0)
        if turns:
            pole = "north" if lat.mean() > 0 else "south"
            raise OpenAirError(
                ac_line, "around a pole", f"the outline goes round the {pole} pole {lines}; not supported"
            )
        ring = np.column_stack([lon, lat])
        keep = np.any(ring != np.roll(ring, 1, axis=0), axis=1)
        ring = ring[keep] if keep.any() else ring[:1]
        if len(ring) < 3:
            raise OpenAirError(
                ac_line, "fewer than 3 points", f"{len(ring)} distinct point(s) {lines}"
            )
        polygon = shapely.Polygon(ring)
        if not (polygon.is_valid or shapely.area(shapely.make_valid(polygon)) > 0):
            raise OpenAirError(ac_line, "no area", f"the outline encloses no area {lines}")
        return split_at_antimeridian(polygon)


def _point(line_no, text, repairs):
    """(lon, lat) degrees of one point; raises OpenAirError('bad coordinate')."""
    match = _POINT_RE.fullmatch(text)
    if match is None:
        raise OpenAirError(line_no, "bad coordinate", f"cannot read the point {text!r}")
    return _degrees(line_no, text, match.groups(), repairs)


def _degrees(line_no, text, groups, repairs):
    """(lon, lat) from the regex groups (lat, N/S, lon, E/W); checks minutes, seconds, range.

    Minutes or seconds of exactly 60 carry into the next unit (a repair).
    """
    lat_text, north_south, lon_text, east_west = groups
    values = []
    sixty = False
    for angle, limit in ((lat_text, 90.0), (lon_text, 180.0)):
        parts = [part.strip() for part in angle.split(":")]
        numbers = [float(part) for part in parts]
        if any("." in part for part in parts[:-1]) or any(n > 60 for n in numbers[1:]):
            raise OpenAirError(line_no, "bad coordinate", f"{angle!r} in {text!r}")
        sixty = sixty or any(n == 60 for n in numbers[1:])
        degrees = sum(n / 60**k for k, n in enumerate(numbers))
        if degrees > limit:
            raise OpenAirError(line_no, "bad coordinate", f"{angle!r} beyond {limit:g} in {text!r}")
        values.append(degrees)
    if sixty:
        repairs.append(("sixty", line_no))
    lat = -values[0] if north_south.upper() == "S" else values[0]
    lon = -values[1] if east_west.upper() == "W" else values[1]
    return lon, lat


# --- the table ----------------------------------------------------------------


def _table(rows, path, report):
    """The validated airspace table of the accepted rows, with unique ids."""
    taken = set()
    given = [row["airspace_id"] for row in rows if row["airspace_id"]]
    repeated_ai = sorted({ai for ai in given if given.count(ai) > 1})
    if repeated_ai:
        report.note(
            f"AI given to several airspaces, numbered -2, -3, ...: {', '.join(repeated_ai)}"
        )
    for row in rows:
        base = row["airspace_id"] or _slug(row["name"]) or "airspace"
        if row["_window"] is not None:
            base = f"{base}-{row['_window']}"
        row["airspace_id"] = _unique(base, taken)
        if not row["name"]:
            row["name"] = row["airspace_id"]
            report.note(f"airspace without AN at line {row['openair_line']} named {row['name']!r}")
    dtypes = {
        **{name: dtype for name, dtype in AIRSPACE_COLUMNS.items() if name != "geometry"},
        **OPTIONAL_AIRSPACE_COLUMNS,
        **RADIO_COLUMNS,
        "openair_class": AIRSPACE_COLUMNS["name"],
        "openair_type": AIRSPACE_COLUMNS["name"],
        "openair_line": np.dtype("int64"),
    }
    rows = [{**row, "country": ""} for row in rows]
    data = pd.DataFrame(
        {
            name: pd.Series([row[name] for row in rows], dtype=dtype)
            for name, dtype in dtypes.items()
        }
    )
    table = gpd.GeoDataFrame(data, geometry=[row["geometry"] for row in rows], crs="EPSG:4326")
    return validate_airspace(table, source=str(path))


def _unique(base, taken):
    candidate, k = base, 1
    while candidate in taken:
        k += 1
        candidate = f"{base}-{k}"
    taken.add(candidate)
    return candidate


def _slug(text):
    """ASCII lower-case words joined by '-': 'CTR Tallinn (Ülemiste)' -> 'ctr-tallinn-ulemiste'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _count(counts, first_lines, reason, line):
    counts[reason] = counts.get(reason, 0) + 1
    kept = first_lines.setdefault(reason, [])
    if len(kept) < FIRST_LINES_KEPT:
        kept.append(int(line))
