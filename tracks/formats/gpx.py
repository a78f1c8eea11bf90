"""GPX 1.0 and 1.1 tracks (``gpx/trk/trkseg/trkpt``).

Each ``trkpt`` is a fix: ``lat`` and ``lon`` attributes (degrees), ``time``
(ISO 8601; GPX times are UTC, so times without a zone are read as UTC, with
a note), ``ele`` (metres above mean sea level, to ``alt_geo_m``: GPS
altitude, never pressure altitude), and GPX 1.0's ``speed`` (m/s) and
``course`` (degrees) where present. A ``trkpt`` without a time is rejected.

Route points (``rte/rtept``) are read as fixes only if they carry a time;
a route without times is a plan, not a recording, and is ignored with a
note, as are waypoints (``wpt``).

The aircraft key is the track's (or route's) ``name``, else the file stem.
``line`` is the file line where the point's element starts.
"""

import numpy as np
import pandas as pd

from tracks.errors import ReadError
from tracks.formats._common import raw_chunk, reject_by_reason, text_numbers, times_from_iso, xml_events, xml_root

NAME = "gpx"
EXTENSIONS = (".gpx",)

_POINT_VALUES = ("time", "ele", "speed", "course")
_CONTAINERS = {"trk": "trkpt", "rte": "rtept"}


def sniff(head, path):
    """Whether `head` holds a ``<gpx`` root element.

    Examples
    --------
    >>> from pathlib import Path
    >>> yes, no = b'<?xml version="1.0"?>\\n<gpx version="1.1">', b"<kml>"
    >>> sniff(yes, Path("x.gpx")), sniff(no, Path("x.gpx"))
    (True, False)
    """
    return xml_root(head, b"gpx")


def read_chunks(stream, path, report, **options):
    """Read the track points of a GPX file, as one raw chunk.

    ``line`` is the file line where each point's element starts; ignored routes
    and waypoints are noted. Raises ReadError for an empty file, malformed or
    truncated XML, or a root element other than ``gpx``.

    Examples
    --------
    >>> from tracks.formats._common import sample_chunk
    >>> text = (b'<gpx><trk><name>G1</name><trkseg>\\n<trkpt lat="54.2" lon="23.4"><ele>3000</ele><time>'
    ...         b'2025-10-23T16:00:00Z</time></trkpt>\\n<trkpt lat="54.3" lon="23.5"></trkpt>\\n</trkseg></trk></gpx>')
    >>> chunk, report = sample_chunk(read_chunks, text, "x.gpx")
    >>> chunk[["aircraft", "lat", "lon", "alt_geo_m", "line"]].values.tolist(), report.rejected
    ([['G1', 54.2, 23.4, 3000.0, 2]], {'no time': 1})
    """
    points, names, n_waypoints = _points(stream, path)
    if n_waypoints:
        report.note(f"ignored {n_waypoints} waypoint(s) (wpt): places, not fixes")
    untimed_route = (points["kind"] == "rtept") & points["time"].isna()
    if untimed_route.any():
        report.note(f"ignored {int(untimed_route.sum())} route point(s) without a time (a plan)")
    points = points[~untimed_route].reset_index(drop=True)
    report.rows_read += len(points)

    line = points["line"].to_numpy(dtype=np.int64)
    lat, lon = text_numbers(points["lat"]), text_numbers(points["lon"])
    ele = text_numbers(points["ele"])
    time = times_from_iso(points["time"], report)
    reasons = (
        ("no time", points["time"].isna()),
        ("unparseable time", time.isna()),
        ("missing or unparseable lat/lon", np.isnan(lat) | np.isnan(lon)),
        ("unparseable ele", points["ele"].notna() & np.isnan(ele)),
    )
    keep = ~reject_by_reason(report, line, reasons)
    aircraft = points["container"].map(lambda k: names.get(k) or path.stem)
    yield raw_chunk(
        aircraft[keep].to_numpy(dtype=object),
        time[keep].array,
        lon[keep],
        lat[keep],
        np.nan,
        ele[keep],
        line[keep],
        ground_speed_mps=text_numbers(points["speed"])[keep],
        track_deg=text_numbers(points["course"])[keep],
    )


def _points(stream, path):
    """The points as text columns, the name of each track or route, and the waypoint count."""
    rows, names = [], {}
    point = None
    n_waypoints = n_containers = 0
    for event, name, parent, payload, line in xml_events(stream, path):
        if event == "start":
            if parent == "" and name != "gpx":
                raise ReadError(f"{path}:{line}: not a GPX file: the root element is <{name}>")
            if name in _CONTAINERS and parent == "gpx":
                n_containers += 1
            elif name in _CONTAINERS.values():
                point = {"kind": name, "container": n_containers, "line": line}
                point.update(lat=payload.get("lat"), lon=payload.get("lon"))
            elif name == "wpt" and parent == "gpx":
                n_waypoints += 1
        elif point is not None and parent == point["kind"] and name in _POINT_VALUES:
            point[name] = payload
        elif name == "name" and parent in _CONTAINERS:
            names[n_containers] = payload
        elif point is not None and name == point["kind"]:
            rows.append(point)
            point = None
    columns = ["kind", "container", "line", "lat", "lon", *_POINT_VALUES]
    return pd.DataFrame(rows, columns=columns, dtype=object), names, n_waypoints
