"""Reader for EU drone geographical zones: EUROCAE ED-269 and ED-318 (JSON).

:func:`read_geozones` turns a file of UAS geographical zones, as national
authorities publish them, into an airspace table and a
:class:`GeozoneReport`. The format is told by the structure:

- ED-269: an object with a list of zones in ``features`` (or, as some
  authorities write it, ``UASZoneList``); each zone has its volumes in
  ``geometry``, a list of ``uomDimensions``, ``lowerLimit``,
  ``lowerVerticalReference``, ``upperLimit``, ``upperVerticalReference``
  and a ``horizontalProjection`` (``Polygon``, ``MultiPolygon`` or
  ``Circle`` with ``center`` and ``radius``);
- ED-318: a GeoJSON ``FeatureCollection`` whose features carry the zone in
  ``properties`` and a GeoJSON geometry with a vertical ``layer`` (``upper``,
  ``upperReference``, ``lower``, ``lowerReference``, ``uom``): ``Polygon``,
  ``MultiPolygon``, a ``Point`` with a circular ``extent``, or a
  ``GeometryCollection`` of these (one volume each).

Mapping to the airspace table
-----------------------------
- ``airspace_id``: the zone's ``identifier``; a zone of several volumes
  gives ``<id>-1``, ``<id>-2``, ... (in file order), several activation
  windows likewise, and both ``<id>-<volume>-<window>``. The second zone
  with an identifier already used is ``<id>-2`` (the third ``<id>-3``, ...),
  with a note; a zone whose ids are still taken is rejected ("repeated
  identifier").
- ``name``: the ``name`` (ED-318: the English text if there is one, else
  the first); the identifier when there is none.
- ``country``: the ``country``, ISO 3166-1 alpha-3 in both formats; anything
  else is left unknown (``""``), counted in the notes.
- ``kind``: from the restriction (ED-269 ``restriction``, ED-318 ``type``),
  :data:`RESTRICTION_KINDS`: ``uas-prohibited``, ``uas-authorisation``
  (``REQ_AUTHORISATION``, or ``REQ_AUTHORIZATION`` as ED-318 spells it),
  ``uas-conditional``, ``uas-no-restriction``, ``uas-uspace`` (ED-318
  U-space airspace). The ``uas-`` prefix keeps drone zones apart from the
  kinds of manned aviation. The file's own words are kept in the columns
  ``restriction`` and ``zone_type`` (ED-269 ``type``, ED-318 ``variant``:
  ``COMMON`` or ``CUSTOMIZED``), and the identifier in ``geozone_id``.
- Horizontal projection: coordinates are ``[lon, lat]`` degrees, as in
  GeoJSON (an ED-269 circle's ``center`` too). A circle is drawn on the
  WGS84 ellipsoid by :func:`airspace.arcs.circle_polygon`, every vertex at
  the geodesic radius; its radius is in metres in ED-318 and in the
  volume's ``uomDimensions`` (``M`` or ``FT``) in ED-269.
- Vertical limits, in ``M`` or ``FT`` (any case), to ``floor_m``/``floor_ref``
  and ``ceiling_m``/``ceiling_ref`` through :func:`airspace.limits.parse_limit`:
  ``AGL`` is ``AGL``, ``AMSL`` is ``MSL``. ``WGS84`` (height above the
  ellipsoid, ED-318) is read as ``MSL`` with no geoid correction: ``MSL``
  limits are compared with the tracks' ``alt_geo_m``, the GNSS altitude,
  which ADS-B reports above the ellipsoid too; the geoid lies within about
  100 m of the ellipsoid (some 20 to 55 m above it over Europe), so where the GNSS
  altitude is over the geoid the limit is off by that much. Such limits are
  counted in the notes. A lower limit of 0 ``AGL``, a missing (null) lower
  limit or a ``SFC`` reference is the surface; a missing upper limit is
  unlimited.
- Applicability: :func:`airspace.geozone_times.applicability_windows` (ED-269
  ``applicability``, ED-318 ``limitedApplicability``); a zone that applies
  in several windows gives one row per window (``valid_from``,
  ``valid_to``).

Broken files
------------
A file that is not UTF-8 JSON raises :class:`ReadError` naming it and the
line; so does JSON that is neither format. A zone that cannot be used (see
:data:`REJECT_REASONS`) is rejected and counted, with its index (0-based,
in the list of zones) and identifier; with ``strict=True`` the first one
raises.
"""

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from airspace.arcs import MAX_CHORD_ERROR_M, circle_polygon
from airspace.geozone_times import MAX_WINDOWS, TimeCounts, TimeError, applicability_windows
from airspace.limits import parse_limit
from airspace.table import AIRSPACE_COLUMNS, OPTIONAL_AIRSPACE_COLUMNS, validate_airspace
from tracks.errors import ReadError
from tracks.opening import file_text
from tracks.units import FOOT_M

RESTRICTION_KINDS = MappingProxyType(
    {
        "PROHIBITED": "uas-prohibited",
        "REQ_AUTHORISATION": "uas-authorisation",
        "REQ_AUTHORIZATION": "uas-authorisation",
        "CONDITIONAL": "uas-conditional",
        "NO_RESTRICTION": "uas-no-restriction",
        "USPACE": "uas-uspace",
    }
)
"""Kind of each restriction (ED-269 ``restriction``, ED-318 ``type``)."""

VERTICAL_REFS = MappingProxyType({"AGL": "AGL", "AMSL": "MSL", "WGS84": "MSL", "SFC": "SFC"})
"""Table reference of each vertical reference of the files."""

REJECT_REASONS = (
    "not a zone",
    "missing identifier",
    "unknown restriction",
    "missing geometry",
    "bad geometry",
    "bad radius",
    "unknown vertical reference",
    "bad vertical limit",
    "bad time",
    "repeated identifier",
)
"""Why a zone is rejected: it cannot be turned into airspace."""

FIRST_ZONES_KEPT = 5
"""How many zones a report names per reason."""

_MARKERS = re.compile(rb'"(?:UASZoneList|horizontalProjection|zoneAuthority|limitedApplicability)"\s*:')
_UNITS_M = {"M": 1.0, "FT": FOOT_M}
_EXTRA_COLUMNS = {"restriction": AIRSPACE_COLUMNS["name"], "zone_type": AIRSPACE_COLUMNS["name"],
                  "geozone_id": AIRSPACE_COLUMNS["name"]}


class GeozoneError(ReadError):
    """A zone that cannot be used, for one of :data:`REJECT_REASONS`.

    Examples
    --------
    >>> error = GeozoneError("zone 3 (LSZB003)", "bad radius", "radius -5 M")
    >>> print(error)
    zone 3 (LSZB003): bad radius: radius -5 M
    """

    def __init__(self, where, reason, detail):
        super().__init__(f"{where}: {reason}: {detail}")
        self.where, self.reason, self.detail = where, reason, detail


@dataclass
class GeozoneReport:
    """What :func:`read_geozones` did with each zone of a file.

    Attributes
    ----------
    path : pathlib.Path
        The file read.
    format : str
        ``"ED-269"`` or ``"ED-318"``.
    zones_read, zones_accepted : int
        Zones in the file, and those that became airspace rows
        (``zones_read == zones_accepted + zones_rejected``).
    rows : int
        Airspace rows: one per volume and activation window.
    rejected : dict of str to int
        Zones by reason (:data:`REJECT_REASONS`).
    first_rejected : dict of str to list of str
        The first (up to 5) zones of each reason, ``"zone 3 (LSZB003)"``.
    problems : list of str
        The first messages of rejected zones.
    times : TimeCounts
        Windows made from daily schedules, schedules not expanded, times
        without a zone, daylight events.
    notes : list of str
        Everything else a person should know.

    Examples
    --------
    >>> report = GeozoneReport(Path("zones.json"), "ED-269", zones_read=2, zones_accepted=1, rows=1)
    >>> report.reject(GeozoneError("zone 1 (EE12)", "bad radius", "radius 0 M"))
    >>> print(report)
    zones.json: 2 drone geozones read (ED-269), 1 accepted as 1 airspace rows, 1 rejected
      rejected 1: bad radius (zone 1 (EE12))
      problem: zone 1 (EE12): bad radius: radius 0 M
    """

    path: Path
    format: str = ""
    zones_read: int = 0
    zones_accepted: int = 0
    rows: int = 0
    rejected: dict = field(default_factory=dict)
    first_rejected: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    times: TimeCounts = field(default_factory=TimeCounts)
    notes: list = field(default_factory=list)

    @property
    def zones_rejected(self):
        """Zones rejected, all reasons together.

        Examples
        --------
        >>> GeozoneReport(Path("z.json"), rejected={"bad time": 2, "bad radius": 1}).zones_rejected
        3
        """
        return sum(self.rejected.values())

    def reject(self, error):
        """Count a rejected zone from its :class:`GeozoneError`.

        Examples
        --------
        >>> report = GeozoneReport(Path("z.json"))
        >>> report.reject(GeozoneError("zone 0 (A1)", "missing geometry", "no volume"))
        >>> report.rejected, report.first_rejected
        ({'missing geometry': 1}, {'missing geometry': ['zone 0 (A1)']})
        """
        self.rejected[error.reason] = self.rejected.get(error.reason, 0) + 1
        kept = self.first_rejected.setdefault(error.reason, [])
        if len(kept) < FIRST_ZONES_KEPT:
            kept.append(error.where)
        if len(self.problems) < 4 * FIRST_ZONES_KEPT:
            self.problems.append(str(error))

    def __str__(self):
        lines = [
            f"{self.path}: {self.zones_read} drone geozones read ({self.format}), "
            f"{self.zones_accepted} accepted as {self.rows} airspace rows, "
            f"{self.zones_rejected} rejected"
        ]
        for reason, count in self.rejected.items():
            more = ", ..." if count > len(self.first_rejected[reason]) else ""
            lines.append(f"  rejected {count}: {reason} ({', '.join(self.first_rejected[reason])}{more})")
        lines.extend(f"  problem: {problem}" for problem in self.problems)
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


def looks_like_geozones(head):
    """Whether the start of a file reads as an ED-269 or ED-318 zone file.

    Parameters
    ----------
    head : bytes
        The first bytes of the file.

    Returns
    -------
    bool
        True for a JSON object with a member only these formats have
        (``UASZoneList``, ``horizontalProjection``, ``zoneAuthority``,
        ``limitedApplicability``).

    Examples
    --------
    >>> looks_like_geozones(b'{"features": [{"identifier": "A", "zoneAuthority": []}]}')
    True
    >>> looks_like_geozones(b'{"type": "FeatureCollection", "features": []}')
    False
    """
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and _MARKERS.search(head) is not None


def read_geozones(path, *, strict=False, max_windows=MAX_WINDOWS, max_chord_error_m=MAX_CHORD_ERROR_M):
    """Read an ED-269 or ED-318 drone geozone file into an airspace table.

    Parameters
    ----------
    path : str or os.PathLike
        The JSON file.
    strict : bool, default False
        Raise on the first unusable zone instead of rejecting and counting it.
    max_windows : int, default 1000
        Largest number of activation windows one zone's daily schedules
        expand to; a longer (or open-ended) schedule makes the zone active
        over its whole period, counted in ``report.times.not_expanded``.
    max_chord_error_m : float, default 50.0
        Largest distance, in metres, between a circle and its chords.

    Returns
    -------
    airspace : geopandas.GeoDataFrame
        The airspace table (validated, EPSG:4326), in file order, with the
        text columns ``restriction``, ``zone_type`` and ``geozone_id``.
    report : GeozoneReport

    Raises
    ------
    ReadError
        ``"{path}: ..."`` for a missing or unreadable file, text that is
        not UTF-8, JSON that is not a zone file; ``"{path}:{line}: ..."``
        for text that is not JSON; with
        `strict`, ``"{path}: zone {k} ({id}): {reason}: ..."``.

    Examples
    --------
    >>> import tempfile, os
    >>> zone = {"identifier": "EE12", "country": "EST", "name": "Tallinn port", "type": "COMMON",
    ...         "restriction": "PROHIBITED", "zoneAuthority": [], "applicability": [{"permanent": "YES"}],
    ...         "geometry": [{"uomDimensions": "FT", "lowerLimit": 0, "lowerVerticalReference": "AGL",
    ...                       "upperLimit": 400, "upperVerticalReference": "AGL",
    ...                       "horizontalProjection": {"type": "Circle", "center": [24.77, 59.45],
    ...                                                "radius": 3000}}]}
    >>> zones_path = os.path.join(tempfile.mkdtemp(), "zones.json")
    >>> with open(zones_path, "w") as f:
    ...     json.dump({"title": "Estonia", "features": [zone]}, f)
    >>> airspace, report = read_geozones(zones_path)
    >>> airspace[["airspace_id", "kind", "floor_ref", "ceiling_m", "ceiling_ref", "restriction"]]
      airspace_id            kind floor_ref  ceiling_m ceiling_ref restriction
    0        EE12  uas-prohibited       SFC     121.92         AGL  PROHIBITED
    """
    path = Path(path)
    text = file_text(path, "a JSON geozone file")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise ReadError(f"{path}: JSON nested too deep to read (arrays or objects inside each other)") from None
    report = GeozoneReport(path)
    report.format, zones = _format_and_zones(document, path)
    read_zone = _ed318_zone if report.format == "ED-318" else _ed269_zone
    counts = {"wgs84": 0, "country": 0}
    rows, taken, seen = [], set(), {}
    for index, zone in enumerate(zones):
        report.zones_read += 1
        where = _where(index, zone)
        try:
            zone_rows = read_zone(zone, where, counts, report.times, max_windows, max_chord_error_m)
            _number_ids(zone_rows, where, taken, seen)
        except GeozoneError as error:
            if strict:
                raise ReadError(f"{path}: {error}") from None
            report.reject(error)
            continue
        taken.update(row["airspace_id"] for row in zone_rows)
        report.zones_accepted += 1
        rows.extend(zone_rows)
    _note_counts(report, counts, seen)
    report.rows = len(rows)
    return _table(rows, path), report


# --- the document -------------------------------------------------------------


def _format_and_zones(document, path):
    """("ED-269" or "ED-318", the list of zones); raises ReadError for other JSON."""
    if isinstance(document, dict):
        if isinstance(document.get("UASZoneList"), list):
            return "ED-269", document["UASZoneList"]
        features = document.get("features")
        if isinstance(features, list):
            objects = [feature for feature in features if isinstance(feature, dict)]
            if document.get("type") == "FeatureCollection" or any("properties" in f for f in objects):
                return "ED-318", features
            if not objects or any(isinstance(f.get("geometry"), list) for f in objects):
                return "ED-269", features
    raise ReadError(
        f"{path}: JSON that is not a drone geozone file: expected ED-269 (an object with "
        "'features' or 'UASZoneList', a list of zones with a 'geometry' list) or ED-318 "
        "(a GeoJSON FeatureCollection of zones)"
    )


def _where(index, zone):
    """'zone 3 (LSZB003)': the zone's index and identifier, for messages."""
    properties = zone.get("properties") if isinstance(zone, dict) else None
    holder = properties if isinstance(properties, dict) else zone
    identifier = holder.get("identifier") if isinstance(holder, dict) else None
    return f"zone {index} ({identifier})" if identifier not in (None, "") else f"zone {index}"


# --- one zone -----------------------------------------------------------------


def _ed269_zone(zone, where, counts, time_counts, max_windows, max_chord_error_m):
    if not isinstance(zone, dict):
        raise GeozoneError(where, "not a zone", f"expected an object, found {_short(zone)}")
    labels = _labels(zone, zone.get("restriction"), zone.get("type"), zone.get("name"), where, counts)
    volumes = zone.get("geometry")
    if not isinstance(volumes, list) or not volumes:
        raise GeozoneError(where, "missing geometry", f"geometry {_short(volumes)}: expected a list of volumes")
    drawn = []
    for k, volume in enumerate(volumes):
        here = f"{where}: volume {k}"
        if not isinstance(volume, dict):
            raise GeozoneError(here, "missing geometry", f"expected an object, found {_short(volume)}")
        unit = _unit(volume.get("uomDimensions"), here)
        limits = _limits(volume.get("lowerLimit"), volume.get("lowerVerticalReference"),
                         volume.get("upperLimit"), volume.get("upperVerticalReference"), unit, here, counts)
        geometry = _ed269_projection(volume.get("horizontalProjection"), unit, here, max_chord_error_m)
        drawn.append((geometry, limits))
    windows = _windows(zone.get("applicability"), where, time_counts, max_windows)
    return _rows(labels, drawn, windows)


def _ed318_zone(feature, where, counts, time_counts, max_windows, max_chord_error_m):
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(properties, dict):
        raise GeozoneError(where, "not a zone", f"expected a Feature with properties, found {_short(feature)}")
    labels = _labels(properties, properties.get("type"), properties.get("variant"),
                     _text_of(properties.get("name")), where, counts)
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        raise GeozoneError(where, "missing geometry", f"geometry {_short(geometry)}")
    members = geometry.get("geometries") if geometry.get("type") == "GeometryCollection" else [geometry]
    if not isinstance(members, list) or not members:
        raise GeozoneError(where, "missing geometry", "an empty GeometryCollection")
    drawn = []
    for k, member in enumerate(members):
        here = where if len(members) == 1 else f"{where}: geometry {k}"
        if not isinstance(member, dict):
            raise GeozoneError(here, "missing geometry", f"expected an object, found {_short(member)}")
        layer = member.get("layer", geometry.get("layer"))
        if not isinstance(layer, dict):
            raise GeozoneError(here, "bad vertical limit", f"no vertical layer (found {_short(layer)})")
        unit = _unit(layer.get("uom", "m"), here)
        limits = _limits(layer.get("lower"), layer.get("lowerReference"), layer.get("upper"),
                         layer.get("upperReference"), unit, here, counts)
        drawn.append((_geojson_shape(member, here, max_chord_error_m), limits))
    windows = _windows(properties.get("limitedApplicability"), where, time_counts, max_windows)
    return _rows(labels, drawn, windows)


def _labels(zone, restriction, zone_type, name, where, counts):
    """The columns every row of a zone shares."""
    identifier = zone.get("identifier")
    if isinstance(identifier, (int, float)) and not isinstance(identifier, bool):
        identifier = str(identifier)
    if not isinstance(identifier, str) or not identifier.strip():
        raise GeozoneError(where, "missing identifier", f"identifier {_short(identifier)}")
    kind = RESTRICTION_KINDS.get(str(restriction).strip().upper()) if restriction is not None else None
    if kind is None:
        raise GeozoneError(
            where, "unknown restriction", f"{_short(restriction)}; expected one of {', '.join(RESTRICTION_KINDS)}"
        )
    country = zone.get("country")
    country = country.strip().upper() if isinstance(country, str) else ""
    if not re.fullmatch(r"[A-Z]{3}", country):
        counts["country"] += 1
        country = ""
    return {
        "geozone_id": identifier.strip(),
        "name": name if isinstance(name, str) and name.strip() else identifier.strip(),
        "country": country,
        "kind": kind,
        "restriction": str(restriction),
        "zone_type": zone_type if isinstance(zone_type, str) else pd.NA,
    }


def _text_of(texts):
    """The text of an ED-318 list of {text, lang}: English if there is one, else the first."""
    if isinstance(texts, str) or not isinstance(texts, list):
        return texts
    entries = [entry for entry in texts if isinstance(entry, dict) and entry.get("text")]
    english = [entry for entry in entries if str(entry.get("lang", "")).lower().startswith("en")]
    return (english or entries or [{"text": None}])[0]["text"]


def _windows(periods, where, time_counts, max_windows):
    try:
        return applicability_windows(periods, counts=time_counts, max_windows=max_windows)
    except TimeError as exc:
        raise GeozoneError(where, "bad time", str(exc)) from None


def _rows(labels, drawn, windows):
    """One row per volume and window, with ids <id>, <id>-v, <id>-w or <id>-v-w."""
    rows = []
    for v, (geometry, (floor_m, floor_ref, ceiling_m, ceiling_ref)) in enumerate(drawn, start=1):
        for w, (valid_from, valid_to) in enumerate(windows, start=1):
            suffix = "".join(f"-{n}" for n, many in ((v, len(drawn) > 1), (w, len(windows) > 1)) if many)
            rows.append({**labels, "airspace_id": labels["geozone_id"] + suffix, "geometry": geometry,
                         "floor_m": floor_m, "floor_ref": floor_ref, "ceiling_m": ceiling_m,
                         "ceiling_ref": ceiling_ref, "valid_from": valid_from, "valid_to": valid_to})
    return rows


def _number_ids(rows, where, taken, seen):
    """Set the zone's ids: ``<id>-<n>`` on the n-th zone with one identifier; raises if still taken."""
    identifier = rows[0]["geozone_id"]
    seen[identifier] = seen.get(identifier, 0) + 1
    if seen[identifier] > 1:
        for row in rows:
            row["airspace_id"] = f"{identifier}-{seen[identifier]}{row['airspace_id'][len(identifier):]}"
    repeated = sorted({row["airspace_id"] for row in rows} & taken)
    if repeated:
        raise GeozoneError(where, "repeated identifier", f"{repeated[0]!r} is taken by an earlier zone")


# --- vertical limits ----------------------------------------------------------


def _unit(uom, where):
    """Metres per unit of `uom` ('M' or 'FT', any case)."""
    metres = _UNITS_M.get(uom.strip().upper()) if isinstance(uom, str) else None
    if metres is None:
        raise GeozoneError(where, "bad vertical limit", f"unit {_short(uom)}: expected M or FT")
    return metres


def _limits(lower, lower_ref, upper, upper_ref, unit_m, where, counts):
    """(floor_m, floor_ref, ceiling_m, ceiling_ref) of one volume."""
    floor_m, floor_ref = _limit(lower, lower_ref, unit_m, "lower", where, counts)
    ceiling_m, ceiling_ref = _limit(upper, upper_ref, unit_m, "upper", where, counts)
    comparable = floor_ref == ceiling_ref or math.isinf(floor_m) or math.isinf(ceiling_m)
    if comparable and floor_m > ceiling_m:
        raise GeozoneError(where, "bad vertical limit", f"lower limit {lower} above the upper limit {upper}")
    return floor_m, floor_ref, ceiling_m, ceiling_ref


def _limit(value, reference, unit_m, which, where, counts):
    """(metres, table reference) of one limit."""
    ref = VERTICAL_REFS.get(reference.strip().upper()) if isinstance(reference, str) else None
    if ref is None:
        raise GeozoneError(
            where, "unknown vertical reference",
            f"{which} reference {_short(reference)}; expected {', '.join(VERTICAL_REFS)}",
        )
    if value is None or value == "":
        return (-math.inf, "SFC") if which == "lower" else (math.inf, "STD")
    number = _number(value)
    if number is None:
        raise GeozoneError(where, "bad vertical limit", f"{which} limit {_short(value)}: not a number")
    if ref == "SFC":
        if which == "upper":
            raise GeozoneError(where, "bad vertical limit", "upper limit at the surface (SFC)")
        return -math.inf, "SFC"
    if which == "lower" and number == 0 and ref == "AGL":
        return -math.inf, "SFC"
    if reference.strip().upper() == "WGS84":
        counts["wgs84"] += 1
    metres, table_ref = parse_limit(f"{number * unit_m:.6f} m {'AGL' if ref == 'AGL' else 'AMSL'}")
    return metres, table_ref


def _number(value):
    """A finite float from a JSON number or numeric text; None otherwise."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


# --- horizontal projection ----------------------------------------------------


def _ed269_projection(projection, unit_m, where, max_chord_error_m):
    if not isinstance(projection, dict):
        raise GeozoneError(where, "missing geometry", f"horizontalProjection {_short(projection)}")
    if str(projection.get("type", "")).upper() == "CIRCLE":
        return _circle(projection.get("center"), projection.get("radius"), unit_m, where, max_chord_error_m)
    return _geojson_shape(projection, where, max_chord_error_m)


def _geojson_shape(geometry, where, max_chord_error_m):
    """A Polygon or MultiPolygon from GeoJSON, or a circle from an ED-318 Point with an extent."""
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Point":
        extent = geometry.get("extent")
        if not isinstance(extent, dict) or str(extent.get("subType", "")).upper() != "CIRCLE":
            raise GeozoneError(where, "bad geometry", "a Point without a circular extent has no area")
        return _circle(coordinates, extent.get("radius"), 1.0, where, max_chord_error_m)
    if kind == "Polygon":
        return _polygon(coordinates, where)
    if kind == "MultiPolygon" and isinstance(coordinates, list) and coordinates:
        return shapely.MultiPolygon([_polygon(part, where) for part in coordinates])
    raise GeozoneError(
        where, "bad geometry" if kind else "missing geometry",
        f"type {_short(kind)}: expected Polygon, MultiPolygon or a circle",
    )


def _polygon(rings, where):
    if not isinstance(rings, list) or not rings:
        raise GeozoneError(where, "bad geometry", f"polygon coordinates {_short(rings)}")
    drawn = [_lonlat(ring, where) for ring in rings]
    if len(np.unique(drawn[0], axis=0)) < 3:
        raise GeozoneError(where, "bad geometry", "fewer than 3 distinct points in the outline")
    polygon = shapely.Polygon(drawn[0], drawn[1:])
    if not shapely.area(shapely.make_valid(polygon)) > 0:
        raise GeozoneError(where, "bad geometry", "the outline encloses no area")
    return polygon


def _lonlat(points, where):
    """An (n, 2) array of [lon, lat] points, checked to be degrees."""
    try:
        array = np.array(points, dtype=float)
    except (TypeError, ValueError):
        array = None
    if array is None or array.ndim != 2 or array.shape[1] < 2 or len(array) == 0:
        raise GeozoneError(where, "bad geometry", f"coordinates {_short(points)}: expected [[lon, lat], ...]")
    lonlat = array[:, :2]
    if not (np.isfinite(lonlat).all() and (np.abs(lonlat[:, 0]) <= 180).all()
            and (np.abs(lonlat[:, 1]) <= 90).all()):
        raise GeozoneError(where, "bad geometry", "coordinates outside lon [-180, 180], lat [-90, 90]")
    return lonlat


def _circle(centre, radius, unit_m, where, max_chord_error_m):
    if not isinstance(centre, list):
        raise GeozoneError(where, "bad geometry", f"circle centre {_short(centre)}: expected [lon, lat]")
    ((lon, lat),) = _lonlat([centre], where)
    radius_number = _number(radius)
    if radius_number is None:
        raise GeozoneError(where, "bad radius", f"radius {_short(radius)}: not a number")
    try:
        return circle_polygon(lon, lat, radius_number * unit_m, max_chord_error_m=max_chord_error_m)
    except ValueError as exc:
        raise GeozoneError(where, "bad radius", str(exc)) from None


# --- the table ----------------------------------------------------------------


def _note_counts(report, counts, seen):
    repeated = [identifier for identifier, count in seen.items() if count > 1]
    if repeated:
        report.notes.append(
            f"identifier(s) of several zones, numbered -2, -3, ...: {', '.join(repeated[:10])}"
            + (", ..." if len(repeated) > 10 else "")
        )
    if counts["wgs84"]:
        report.notes.append(
            f"{counts['wgs84']} limit(s) are heights above the WGS84 ellipsoid, read as MSL "
            "(compared with the GNSS altitude) with no geoid correction"
        )
    if counts["country"]:
        report.notes.append(f"{counts['country']} zone(s) without an ISO alpha-3 country: left unknown")
    times = report.times
    for count, text in (
        (times.not_expanded, "daily schedule(s) open-ended or longer than max_windows windows: "
                             "the zone is taken as active over the whole period"),
        (times.times_without_zone, "time(s) without a time zone read as UTC"),
        (times.daylight_events, "daylight event(s) (sunrise, sunset, twilight) taken as the start "
                                "or end of the day"),
    ):
        if count:
            report.notes.append(f"{count} {text}")


def _table(rows, path):
    dtypes = {
        **{name: dtype for name, dtype in AIRSPACE_COLUMNS.items() if name != "geometry"},
        **OPTIONAL_AIRSPACE_COLUMNS,
        **_EXTRA_COLUMNS,
    }
    data = pd.DataFrame(
        {name: pd.Series([row[name] for row in rows], dtype=dtype) for name, dtype in dtypes.items()}
    )
    table = gpd.GeoDataFrame(data, geometry=[row["geometry"] for row in rows], crs="EPSG:4326")
    return validate_airspace(table, source=str(path))


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."
