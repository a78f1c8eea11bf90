"""GeoJSON tracks: LineStrings with a time per vertex, or timed Points.

Accepted layouts (a FeatureCollection, a single Feature, or a bare
geometry):

- a ``LineString`` (or ``MultiLineString``) Feature whose properties give
  one time per vertex, under the first of: ``coordinateProperties.times``
  (togeojson), ``coordTimes`` (togeojson's older name; for a
  MultiLineString a list per line, or one flat list), ``times``. A line
  without times is ignored, with a note; a line whose count of times
  differs from its count of vertices is a broken file.
- ``Point`` Features with a ``time`` (or ``timestamp``) property.

Times are ISO 8601 text (UTC when it has no zone, with a note) or unix
numbers: seconds, or milliseconds when above 1e11 (that is, after the year
5138 in seconds). The third coordinate is geometric altitude, metres (to
``alt_geo_m``); properties ``alt_geo_m`` and ``alt_baro_m`` (metres) are
read too, the property winning over the coordinate. Other altitude-like
properties (``alt``, ``altitude``, ...) say neither unit nor reference and
are not read (a note says so). Properties ``callsign`` and ``icao24`` fill
those columns.

The aircraft key of a feature is its ``icao24`` property (lowercased), else
the Feature's ``id`` (or an ``id`` property), else ``callsign``, else
``name``, else the file stem. ``line`` is the 1-based number of the point
(vertex or Point) in the file, counted in document order.
"""

import numpy as np
import pandas as pd

from tracks.errors import ReadError
from tracks.formats._common import (json_numbers, json_object_head, json_text, load_json, raw_chunk, reject_by_reason,
                                    times_from_iso, unix_seconds_to_ns)

NAME = "geojson"
EXTENSIONS = (".geojson", ".json")

UNIX_MILLISECONDS_ABOVE = 1e11
"""Numeric times above this are unix milliseconds, below it unix seconds."""

_UNREAD_ALTITUDES = (
    "alt",
    "altitude",
    "ele",
    "elevation",
    "height",
    "baro_altitude",
    "geoaltitude",
)
_TYPES = (b"FeatureCollection", b"Feature", b"LineString", b"MultiLineString", b"Point")


def sniff(head, path):
    """Whether `head` starts a GeoJSON object (a ``type`` of Feature, FeatureCollection, ...).

    Examples
    --------
    >>> from pathlib import Path
    >>> yes, no = b'{"type": "FeatureCollection", "features": [', b'{"now": 1758274200, "aircraft": []}'
    >>> sniff(yes, Path("x.geojson")), sniff(no, Path("x.geojson"))
    (True, False)
    """
    if not json_object_head(head, b"type"):
        return False
    compact = head.replace(b" ", b"").replace(b"\n", b"").replace(b"\t", b"").replace(b"\r", b"")
    return any(b'"type":"' + name + b'"' in compact for name in _TYPES)


def read_chunks(stream, path, report, **options):
    """Read the timed points of a GeoJSON file, as one raw chunk.

    ``line`` is the point number (see the module docstring); ignored features
    are noted. Raises ReadError for a file that is not JSON or is truncated,
    that is not GeoJSON, or whose line has a count of times that differs from
    its count of vertices (``line`` 1, the feature named).

    Examples
    --------
    >>> from tracks.formats._common import sample_chunk
    >>> text = (b'{"type": "Feature", "id": "G", "geometry": {"type": "LineString", "coordinates": [[24.3, 59.8, 3000],'
    ...         b' [24.4, 59.8, 3100]]}, "properties": {"times": ["2025-09-19T09:30:00Z", "2025-09-19T09:31:00Z"]}}')
    >>> chunk, report = sample_chunk(read_chunks, text, "x.geojson")
    >>> chunk[["aircraft", "lat", "lon", "alt_geo_m", "line"]].values.tolist(), str(chunk["time"][1])
    ([['G', 59.8, 24.3, 3000.0, 1], ['G', 59.8, 24.4, 3100.0, 2]], '2025-09-19 09:31:00+00:00')
    """
    features = _features(load_json(stream, path, report), path)
    rows, skipped = [], {}
    for number, feature in enumerate(features, start=1):
        rows.extend(_feature_points(feature, number, path, skipped))
    for what, count in skipped.items():
        report.note(f"ignored {count} {what}")
    points = pd.DataFrame(
        rows,
        columns=["key", "time", "coordinates", "alt_baro_m", "alt_geo_m", "callsign", "icao24"],
        dtype=object,
    )
    report.rows_read += len(points)
    line = np.arange(1, len(points) + 1)
    coordinates = points["coordinates"].map(_coordinates)
    n_axes = coordinates.map(len).to_numpy(dtype=np.int64)
    lon, lat, z = (json_numbers(coordinates.map(lambda c, k=k: _item(c, k))) for k in range(3))
    time_ns = _times(points["time"], report)
    alt_baro_m, alt_geo_m = json_numbers(points["alt_baro_m"]), json_numbers(points["alt_geo_m"])
    bad_altitude = (points["alt_baro_m"].notna() & np.isnan(alt_baro_m)) | (
        points["alt_geo_m"].notna() & np.isnan(alt_geo_m)
    )
    reasons = (
        ("no time", points["time"].isna().to_numpy()),
        ("unparseable time", np.isnat(time_ns.view("datetime64[ns]"))),
        ("unparseable coordinates", (n_axes < 2) | np.isnan(lon) | np.isnan(lat)),
        ("unparseable altitude property", bad_altitude.to_numpy()),
    )
    keep = ~reject_by_reason(report, line, reasons)
    alt_geo_m = np.where(points["alt_geo_m"].isna(), z, alt_geo_m)
    icao24 = points["icao24"].map(lambda v: v.strip().lower() if isinstance(v, str) else None)
    yield raw_chunk(
        points["key"][keep].to_numpy(dtype=object),
        time_ns[keep],
        lon[keep],
        lat[keep],
        alt_baro_m[keep],
        alt_geo_m[keep],
        line[keep],
        callsign=points["callsign"].map(json_text)[keep].to_numpy(dtype=object),
        icao24=icao24[keep].to_numpy(dtype=object),
    )


def _features(document, path):
    """The features of the document (a bare geometry made a feature); raises if not GeoJSON."""
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "FeatureCollection" and isinstance(document.get("features"), list):
        return document["features"]
    if kind == "Feature":
        return [document]
    if kind in ("LineString", "MultiLineString", "Point", "MultiPoint"):
        return [{"type": "Feature", "geometry": document, "properties": {}}]
    raise ReadError(
        f"{path}:1: not GeoJSON: expected a FeatureCollection, a Feature or a geometry, "
        f"found {_describe(document)}"
    )


def _describe(document):
    """What a JSON document that is not GeoJSON is, in a few words."""
    if isinstance(document, dict):
        kind = document.get("type")
        return f"an object of type {kind!r}" if kind is not None else "an object with no 'type'"
    return f"a JSON {type(document).__name__}"


def _feature_points(feature, number, path, skipped):
    """Each point of a feature: key, time, coordinates, alt_baro_m, alt_geo_m, callsign, icao24."""
    if not isinstance(feature, dict):
        _count(skipped, "feature(s) that are not objects")
        return []
    geometry = feature.get("geometry") if isinstance(feature.get("geometry"), dict) else {}
    properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
    kind = geometry.get("type")
    shared = (
        _key(feature, properties, path),
        properties.get("callsign"),
        properties.get("icao24"),
    )
    unread = [name for name in _UNREAD_ALTITUDES if name in properties]
    if unread:
        _count(skipped, f"altitude propert(y/ies) {', '.join(unread)} (unit and reference unknown)")
    if kind == "Point":
        time = properties.get("time", properties.get("timestamp"))
        alts = (properties.get("alt_baro_m"), properties.get("alt_geo_m"))
        return [(shared[0], time, geometry.get("coordinates"), *alts, *shared[1:])]
    if kind not in ("LineString", "MultiLineString"):
        _count(skipped, f"{kind or 'empty'} feature(s) (no times per point)")
        return []
    lines = geometry.get("coordinates")
    lines = [lines] if kind == "LineString" else lines
    if not isinstance(lines, list) or not all(isinstance(part, list) for part in lines):
        raise ReadError(f"{path}:1: feature {number}: the {kind} has no list of coordinates")
    vertices = [vertex for part in lines for vertex in part]
    times = _vertex_times(properties, kind)
    if times is None:
        _count(skipped, "line(s) without a time per vertex")
        return []
    if len(times) != len(vertices):
        raise ReadError(
            f"{path}:1: feature {number}: the {kind} has {len(vertices)} vertices "
            f"but {len(times)} times"
        )
    return [
        (shared[0], time, vertex, None, None, *shared[1:])
        for time, vertex in zip(times, vertices, strict=True)
    ]


def _vertex_times(properties, kind):
    """The list of per-vertex times of a line's properties, flattened; None if there is none."""
    nested = properties.get("coordinateProperties")
    candidates = (
        nested.get("times") if isinstance(nested, dict) else None,
        properties.get("coordTimes"),
        properties.get("times"),
    )
    for times in candidates:
        if isinstance(times, list):
            if kind == "MultiLineString" and times and all(isinstance(t, list) for t in times):
                return [time for part in times for time in part]
            return times
    return None


def _key(feature, properties, path):
    """The aircraft key of a feature: icao24, id, callsign, name, else the file stem."""
    icao24 = properties.get("icao24")
    if isinstance(icao24, str) and icao24.strip():
        return icao24.strip().lower()
    candidates = (feature.get("id"), properties.get("id"), properties.get("callsign"))
    for value in (*candidates, properties.get("name")):
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return path.stem


def _times(values, report):
    """UTC nanoseconds (int64, NaT's value where unreadable) of ISO text or unix numbers."""
    numbers = json_numbers(values)
    seconds = np.where(numbers > UNIX_MILLISECONDS_ABOVE, numbers / 1000, numbers)
    ns = unix_seconds_to_ns(seconds)
    is_text = values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    if is_text.any():
        iso = times_from_iso(values[is_text], report)
        ns[is_text] = iso.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]").view(np.int64)
    return ns


def _coordinates(value):
    """A position as a list (empty if it is not a list)."""
    return value if isinstance(value, list) else []


def _item(position, k):
    """Axis `k` of a position, None if it has fewer axes."""
    return position[k] if len(position) > k else None


def _count(skipped, what):
    skipped[what] = skipped.get(what, 0) + 1
