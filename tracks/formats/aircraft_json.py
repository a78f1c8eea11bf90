"""readsb / dump1090 ``aircraft.json`` snapshots (and ``history_N.json``).

A snapshot is one JSON object: ``{"now": unix_s, "aircraft": [{...}, ...]}``.
The ADS-B Exchange API v2 form (readsb's ``jv2``: ``now`` in milliseconds,
the list under ``ac``) is read too.
A folder of snapshots is many files, each read by itself; the same fix seen
in two snapshots gets the same time (rounded to the microsecond) so that the
framework can recognise the repeat.

For each aircraft entry with ``lat`` and ``lon`` (read as in readsb's
README-json):

- time = ``now - seen_pos`` (``seen_pos``: seconds since the position was
  received); an entry with a position but no ``seen_pos`` is rejected, since
  its position may be up to a minute old;
- ``alt_baro`` (feet, or ``"ground"``: ``on_ground`` True and altitude
  unknown) to ``alt_baro_m``; ``alt_geom`` (feet) to ``alt_geo_m``;
  ``gs`` (knots) to ``ground_speed_mps``; ``track`` (degrees);
  ``flight`` to ``callsign``; ``type`` (``adsb_icao``, ``mlat``, ...) to
  ``source``. Older dump1090 names (``altitude``, ``speed``) are read when
  the newer ones are absent.
- the aircraft key is ``hex`` lowercased (``~`` addresses, not ICAO, kept
  as they are; ``icao24`` holds only real 24-bit addresses).

Entries without a position (Mode S only, or only ``lastPosition`` /
``rr_lat`` estimates) are not fixes: they are counted in a note, not in
``rows_read``; entries that are not objects are rejected. ``line`` is
the 1-based number of the entry in ``aircraft``.
"""

import numpy as np
import pandas as pd

from tracks.errors import ReadError
from tracks.formats._common import (json_numbers, json_object_head, json_text, load_json, raw_chunk, reject_by_reason,
                                    unix_seconds_to_ns)
from tracks.units import FOOT_M, KNOT_MPS

NAME = "aircraft-json"
EXTENSIONS = (".json",)

UNIX_MILLISECONDS_ABOVE = 1e11
"""A ``now`` above this is unix milliseconds (readsb ``jv2``, ADS-B Exchange API v2)."""


def sniff(head, path):
    """Whether `head` starts an aircraft.json snapshot (``now`` and ``aircraft`` or ``ac``).

    Examples
    --------
    >>> from pathlib import Path
    >>> yes, no = b'{"now": 1758274200.0, "messages": 10, "aircraft": []}', b'{"icao": "4ca2d6", "trace": []}'
    >>> sniff(yes, Path("aircraft.json")), sniff(no, Path("aircraft.json"))
    (True, False)
    """
    return json_object_head(head, b"now", b"aircraft") or json_object_head(head, b"now", b"ac")


def read_chunks(stream, path, report, **options):
    """Read the positions of one aircraft.json snapshot, as one raw chunk.

    ``line`` is the entry number in ``aircraft``; entries without a position
    are noted, not rejected. Raises ReadError if the file is not JSON, is
    truncated, or lacks a numeric ``now`` or an ``aircraft`` list.

    Examples
    --------
    >>> from tracks.formats._common import sample_chunk
    >>> text = (b'{"now": 1758274200, "aircraft": [{"hex": "4CA2D6", "lat": 59.8, "lon": 24.3, "seen_pos": 0.5,'
    ...         b' "alt_baro": 35000}, {"hex": "4ca2d7"}]}')
    >>> chunk, report = sample_chunk(read_chunks, text, "aircraft.json")
    >>> chunk[["aircraft", "lat", "lon", "alt_baro_m", "line"]].values.tolist(), report.notes
    ([['4ca2d6', 59.8, 24.3, 10668.0, 1]], ['1 aircraft entries without a position (not fixes)'])
    """
    document = load_json(stream, path, report)
    now_s, aircraft = _header(document, path)
    entry_no = np.arange(1, len(aircraft) + 1)
    is_entry = np.array([isinstance(entry, dict) for entry in aircraft], dtype=bool)
    report.rows_read += int((~is_entry).sum())
    report.reject("malformed aircraft entry (not an object)", entry_no[~is_entry])
    entries = pd.DataFrame([entry for entry in aircraft if isinstance(entry, dict)], dtype=object)
    entries = entries.reindex(columns=entries.columns.union(_KEYS, sort=False))
    line = entry_no[is_entry]
    positioned = (entries["lat"].notna() & entries["lon"].notna()).to_numpy(dtype=bool)
    n_without = int((~positioned).sum())
    if n_without:
        report.note(f"{n_without} aircraft entries without a position (not fixes)")
    entries, line = entries[positioned].reset_index(drop=True), line[positioned]
    report.rows_read += len(entries)

    hex_id = entries["hex"].map(lambda v: v.strip().lower() if isinstance(v, str) else "")
    reasons = (
        ("no hex (aircraft address)", (hex_id == "").to_numpy()),
        ("no seen_pos (age of the position unknown)", np.isnan(json_numbers(entries["seen_pos"]))),
    )
    keep = ~reject_by_reason(report, line, reasons)
    entries, hex_id, line = entries[keep].reset_index(drop=True), hex_id[keep], line[keep]

    altitude = entries["alt_baro"].fillna(entries["altitude"])
    on_ground = (altitude == "ground").to_numpy(dtype=bool)
    speed_kt = json_numbers(entries["gs"].fillna(entries["speed"]))
    yield raw_chunk(
        hex_id.to_numpy(dtype=object),
        unix_seconds_to_ns(now_s - json_numbers(entries["seen_pos"])),
        json_numbers(entries["lon"]),
        json_numbers(entries["lat"]),
        json_numbers(altitude) * FOOT_M,
        json_numbers(entries["alt_geom"]) * FOOT_M,
        line,
        callsign=entries["flight"].map(json_text).to_numpy(dtype=object),
        icao24=hex_id.map(lambda h: None if h.startswith("~") else h).to_numpy(dtype=object),
        source=entries["type"].map(json_text).to_numpy(dtype=object),
        ground_speed_mps=speed_kt * KNOT_MPS,
        track_deg=json_numbers(entries["track"]),
        on_ground=on_ground,
    )


_KEYS = [
    "hex", "lat", "lon", "seen_pos", "alt_baro", "altitude", "alt_geom",
    "gs", "speed", "track", "flight", "type",
]  # fmt: skip


def _header(document, path):
    """``now`` (unix s) and the ``aircraft`` (or ``ac``) list; raises if missing."""
    if not isinstance(document, dict):
        raise ReadError(f"{path}:1: not an aircraft.json snapshot: the JSON is not an object")
    now, aircraft = document.get("now"), document.get("aircraft", document.get("ac"))
    if not isinstance(now, (int, float)) or isinstance(now, bool):
        raise ReadError(f"{path}:1: not an aircraft.json snapshot: 'now' is not unix time")
    if not isinstance(aircraft, list):
        raise ReadError(f"{path}:1: not an aircraft.json snapshot: 'aircraft' is not a list")
    return (now / 1000 if now > UNIX_MILLISECONDS_ABOVE else float(now)), aircraft
