"""KML tracks: ``gx:Track`` (KML 2.2 extension, or KML 2.3 ``Track``) and ``gx:MultiTrack``.

A track is a list of ``<when>`` times (ISO 8601, UTC when they have no
zone, with a note) and as many ``<gx:coord>`` positions ``"lon lat alt"``
(degrees, metres), paired in order; a track whose counts differ is a broken
file. Altitude is geometric (above mean sea level) and goes to
``alt_geo_m`` when the track's ``altitudeMode`` (its own, or its
MultiTrack's) is ``absolute`` or absent (absent: read as above sea level,
with a note, as most flight exports mean it); with ``relativeToGround``,
``clampToGround`` or the sea-floor modes it is not an altitude above sea
level and is dropped (NaN), with a note.

The aircraft key is the ``name`` of the enclosing ``Placemark``, else the
file stem. Placemarks with a ``LineString`` or ``Point`` have no times and
are ignored, with a note. ``line`` is the file line of each ``gx:coord``.
KMZ (zipped KML) is not read: unzip it first.
"""

import numpy as np
import pandas as pd

from tracks.errors import ReadError
from tracks.formats._common import raw_chunk, reject_by_reason, text_numbers, times_from_iso, xml_events, xml_root

NAME = "kml"
EXTENSIONS = (".kml",)

_ABOVE_SEA_LEVEL = ("absolute", None)
_UNTIMED = ("LineString", "Point", "LinearRing")


def sniff(head, path):
    """Whether `head` holds a ``<kml`` root element.

    Examples
    --------
    >>> from pathlib import Path
    >>> yes, no = b'<kml xmlns="http://www.opengis.net/kml/2.2">', b"<gpx>"
    >>> sniff(yes, Path("x.kml")), sniff(no, Path("x.kml"))
    (True, False)
    """
    return xml_root(head, b"kml")


def read_chunks(stream, path, report, **options):
    """Read the fixes of the tracks of a KML file, as one raw chunk.

    ``line`` is the file line of each ``gx:coord``; ignored geometries and
    altitude modes are noted. Raises ReadError for an empty file, malformed or
    truncated XML, a root element other than ``kml``, or a track with more
    times than positions (or fewer).

    Examples
    --------
    >>> from tracks.formats._common import sample_chunk
    >>> text = (b'<kml xmlns:gx="http://www.google.com/kml/ext/2.2"><Placemark><name>K1</name><gx:Track>\\n'
    ...         b"<when>2025-09-19T09:30:00Z</when><gx:coord>24.35 59.82 9000</gx:coord></gx:Track></Placemark></kml>")
    >>> chunk, report = sample_chunk(read_chunks, text, "x.kml")
    >>> chunk[["aircraft", "lat", "lon", "alt_geo_m", "line"]].values.tolist(), report.rows_read
    ([['K1', 59.82, 24.35, 9000.0, 2]], 1)
    """
    tracks, n_untimed = _tracks(stream, path)
    if n_untimed:
        report.note(f"ignored {n_untimed} LineString/Point geometr(y/ies) without times")
    fixes = pd.DataFrame(
        [
            (track["name"] or path.stem, track["mode"], when, coord, line)
            for track in tracks
            for when, coord, line in zip(track["when"], track["coord"], track["line"], strict=True)
        ],
        columns=["aircraft", "mode", "when", "coord", "line"],
        dtype=object,
    )
    report.rows_read += len(fixes)
    line = fixes["line"].to_numpy(dtype=np.int64)
    parts = fixes["coord"].str.split().map(lambda p: p if isinstance(p, list) else [])
    n_parts = parts.map(len).to_numpy(dtype=np.int64)
    lon, lat, alt = (text_numbers(parts.map(lambda p, k=k: _item(p, k))) for k in range(3))
    time = times_from_iso(fixes["when"], report)
    bad_coord = (n_parts < 2) | (n_parts > 3) | np.isnan(lon) | np.isnan(lat)
    reasons = (
        ("unparseable time", time.isna().to_numpy()),
        ("unparseable gx:coord", bad_coord | ((n_parts == 3) & np.isnan(alt))),
    )
    rejected = reject_by_reason(report, line, reasons)
    above_sea_level = fixes["mode"].map(lambda mode: mode in _ABOVE_SEA_LEVEL).to_numpy(dtype=bool)
    keep = ~rejected
    _note_modes(fixes["mode"][keep], report)
    yield raw_chunk(
        fixes["aircraft"][keep].to_numpy(dtype=object),
        time[keep].array,
        lon[keep],
        lat[keep],
        np.nan,
        np.where(above_sea_level, alt, np.nan)[keep],
        line[keep],
    )


def _tracks(stream, path):
    """Each track as a dict (name, mode, when, coord, line lists), and the untimed geometries."""
    tracks = []
    placemark_name = multi_mode = track = None
    n_untimed = 0
    for event, name, parent, payload, line in xml_events(stream, path):
        if event == "start":
            if parent == "" and name != "kml":
                raise ReadError(f"{path}:{line}: not a KML file: the root element is <{name}>")
            if name == "Placemark":
                placemark_name = None
            elif name == "MultiTrack":
                multi_mode = None
            elif name == "Track":
                track = {"name": placemark_name, "mode": multi_mode}
                track.update(when=[], coord=[], line=[])
            elif name in _UNTIMED:
                n_untimed += 1
        elif name == "name" and parent == "Placemark":
            placemark_name = payload
        elif name == "altitudeMode" and parent == "MultiTrack":
            multi_mode = payload
        elif track is not None and parent == "Track":
            if name == "when":
                track["when"].append(payload)
            elif name == "coord":
                track["coord"].append(payload)
                track["line"].append(line)
            elif name == "altitudeMode":
                track["mode"] = payload
        elif name == "Placemark":
            placemark_name = None
        elif name == "Track" and track is not None:
            if len(track["when"]) != len(track["coord"]):
                raise ReadError(
                    f"{path}:{line}: a gx:Track has {len(track['when'])} <when> times "
                    f"but {len(track['coord'])} <gx:coord> positions"
                )
            tracks.append(track)
            track = None
    return tracks, n_untimed


def _item(parts, k):
    """Part `k` of a split coordinate, None if it has fewer parts."""
    return parts[k] if len(parts) > k else None


def _note_modes(modes, report):
    """Tell how many fixes had their altitude read as above sea level by default, or dropped."""
    counts = modes.fillna("(none)").value_counts()
    if "(none)" in counts.index:
        report.note(
            f"{counts['(none)']} fix(es) with no altitudeMode: altitude read as above sea level"
        )
    for mode, count in counts.items():
        if mode not in ("absolute", "(none)"):
            report.note(
                f"{count} fix(es) with altitudeMode {mode}: altitude not above sea level, dropped"
            )
