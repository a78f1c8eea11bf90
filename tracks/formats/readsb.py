"""readsb / ADS-B Exchange trace files (``trace_full_<icao>.json``, gzipped or not).

A trace file is one JSON object for one aircraft::

    {"icao": "4ca2d6", "timestamp": 1758275892.0, "r": "EI-DCL", "t": "B738",
     "trace": [[dt_s, lat, lon, alt_ft, gs_kt, track_deg, flags, vrate_fpm,
                detail, source, geom_alt_ft, geom_vrate_fpm, ias_kt, roll_deg], ...]}

Each trace entry is a fix at ``timestamp + dt_s`` (unix seconds). The
``line`` of a fix is its 1-based entry number in ``trace`` (the file is
usually one line). How the fields are read (after readsb's README-json):

- altitude (index 3): feet, barometric unless flag 8 says it is geometric
  (then it goes to ``alt_geo_m``, unless index 10 gives the geometric
  altitude too); ``"ground"`` makes ``on_ground`` True with both altitudes
  unknown; ``null`` is unknown; any other text rejects the entry.
- ground speed (knots), track (degrees; NaN on the ground, where readsb
  writes the true heading instead), geometric altitude (index 10, feet).
- flags: 1 the position is stale (no position for 20 s before it; kept, and
  counted in a note), 2 start of a new leg, 8 altitude geometric. A new
  leg starts a new flight (track), as in readsb's own tools; the trace is
  not split at gaps in time within a leg.
- detail (index 8): an aircraft.json-like object or null; its ``flight`` is
  the callsign, carried forward to later entries of the same leg until the
  next detail; its ``type`` is the source when index 9 is missing.
- source (index 9): ``adsb_icao``, ``mlat``, ... (files since 2022).

The aircraft key is ``icao`` lowercased (``~``-prefixed non-ICAO addresses
kept as they are); the ``icao24`` column holds it only for real 24-bit
addresses.
"""

import numpy as np
import pandas as pd

from tracks.errors import ReadError
from tracks.formats._common import (json_numbers, json_object_head, json_text, load_json, raw_chunk, reject_by_reason,
                                    unix_seconds_to_ns)
from tracks.units import FOOT_M, KNOT_MPS

NAME = "readsb-trace"
EXTENSIONS = (".json",)

STALE_FLAG = 1
"""Flag bit: no position was received for 20 s before this one."""
NEW_LEG_FLAG = 2
"""Flag bit: readsb's guess of the start of a new flight (leg)."""
GEOMETRIC_ALTITUDE_FLAG = 8
"""Flag bit: the altitude at index 3 is geometric, not barometric."""

_MIN_ENTRY_FIELDS = 8
_ENTRY_FIELDS = 14


def sniff(head, path):
    """Whether `head` starts a readsb trace object (``icao``, ``timestamp``, ``trace``).

    Examples
    --------
    >>> from pathlib import Path
    >>> yes, no = b'{"icao": "4ca2d6", "timestamp": 1758274200.0, "trace": [[0, 59.8', b'{"now": 1758274200.0}'
    >>> sniff(yes, Path("trace.json")), sniff(no, Path("trace.json"))
    (True, False)
    """
    return json_object_head(head, b"icao", b"timestamp", b"trace")


def read_chunks(stream, path, report, **options):
    """Read the fixes of a readsb trace file, in raw chunks of ``chunk_rows`` entries.

    ``line`` is the entry number in ``trace``; stale positions are noted.
    Raises ReadError if the file is not JSON, is truncated, or lacks ``icao``,
    a numeric ``timestamp`` or a ``trace`` list.

    Examples
    --------
    >>> from tracks.formats._common import sample_chunk
    >>> text = (b'{"icao": "4CA2D6", "timestamp": 1758274200, "trace": [[0, 59.8, 24.3, 35000, 450, 90, 2, 0, null],'
    ...         b' [10, 59.8, 24.33, "ground", 10, null, 0, 0, null]]}')
    >>> chunk, report = sample_chunk(read_chunks, text, "trace_full_4ca2d6.json")
    >>> chunk[["aircraft", "lon", "alt_baro_m", "on_ground", "flight_start"]].values.tolist(), report.rows_read
    ([['4ca2d6', 24.3, 10668.0, False, True], ['4ca2d6', 24.33, nan, True, False]], 2)
    """
    document = load_json(stream, path, report)
    icao, start_s, trace = _header(document, path)
    report.rows_read += len(trace)
    entry_no = np.arange(1, len(trace) + 1)
    is_entry = np.array(
        [isinstance(e, list) and len(e) >= _MIN_ENTRY_FIELDS for e in trace], dtype=bool
    )
    report.reject("malformed trace entry (not a list of at least 8 fields)", entry_no[~is_entry])
    entries = [_padded(e) for e, ok in zip(trace, is_entry, strict=True) if ok]
    fields = pd.DataFrame(entries, columns=range(_ENTRY_FIELDS), dtype=object)
    line = entry_no[is_entry]

    dt_s = json_numbers(fields[0])
    altitude = fields[3]
    on_ground = (altitude == "ground").to_numpy(dtype=bool)
    altitude_ft = json_numbers(altitude.where(~on_ground))
    flags = json_numbers(fields[6])
    flags = np.where(np.isnan(flags), 0, flags).astype(np.int64)
    bad_altitude = altitude.notna().to_numpy() & ~on_ground & np.isnan(altitude_ft)
    reasons = (
        ("unparseable time (dt not a number)", np.isnan(dt_s)),
        ("unparseable altitude", bad_altitude),
    )
    keep = ~reject_by_reason(report, line, reasons)
    fields, line, dt_s = fields[keep].reset_index(drop=True), line[keep], dt_s[keep]
    on_ground, altitude_ft, flags = on_ground[keep], altitude_ft[keep], flags[keep]
    n_stale = int(((flags & STALE_FLAG) != 0).sum())
    if n_stale:
        report.note(f"{n_stale} fix(es) flagged stale (no position for 20 s before them), kept")

    geometric = (flags & GEOMETRIC_ALTITUDE_FLAG) != 0
    geom_alt_ft = json_numbers(fields[10])
    geom_alt_ft = np.where(np.isnan(geom_alt_ft) & geometric, altitude_ft, geom_alt_ft)
    details = fields[8].map(lambda d: d if isinstance(d, dict) else {})
    callsign = _carried_forward(details.map(lambda d: json_text(d.get("flight"))), flags)
    source = fields[9].map(json_text).fillna(details.map(lambda d: json_text(d.get("type"))))
    chunk = raw_chunk(
        icao,
        unix_seconds_to_ns(start_s + dt_s),
        json_numbers(fields[2]),
        json_numbers(fields[1]),
        np.where(geometric, np.nan, altitude_ft) * FOOT_M,
        geom_alt_ft * FOOT_M,
        line,
        callsign=callsign,
        icao24=None if icao.startswith("~") else icao,
        source=source,
        ground_speed_mps=json_numbers(fields[4]) * KNOT_MPS,
        track_deg=np.where(on_ground, np.nan, json_numbers(fields[5])),
        on_ground=on_ground,
        flight_start=(flags & NEW_LEG_FLAG) != 0,
    )
    chunk_rows = int(options.get("chunk_rows", 1_000_000))
    for start in range(0, max(len(chunk), 1), chunk_rows):
        yield chunk.iloc[start : start + chunk_rows].reset_index(drop=True)


def _header(document, path):
    """The aircraft key, the start time (unix s) and the trace list; raises if missing."""
    if not isinstance(document, dict):
        raise ReadError(f"{path}:1: not a readsb trace: the JSON is not an object")
    icao, start_s, trace = (document.get(key) for key in ("icao", "timestamp", "trace"))
    if not isinstance(icao, str) or not icao.strip():
        raise ReadError(f"{path}:1: not a readsb trace: no 'icao' text")
    if not isinstance(start_s, (int, float)) or isinstance(start_s, bool):
        raise ReadError(f"{path}:1: not a readsb trace: 'timestamp' is not unix seconds")
    if not isinstance(trace, list):
        raise ReadError(f"{path}:1: not a readsb trace: 'trace' is not a list")
    return icao.strip().lower(), float(start_s), trace


def _padded(entry):
    """The first 14 fields of a trace entry, None for those it lacks (older files)."""
    return entry[:_ENTRY_FIELDS] + [None] * (_ENTRY_FIELDS - len(entry))


def _carried_forward(values, flags):
    """`values` forward-filled within each leg (a leg starts at flag 2)."""
    leg = np.cumsum((flags & NEW_LEG_FLAG) != 0)
    return values.groupby(leg).ffill()
