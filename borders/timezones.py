"""Time-zone polygons from timezonefinder, and dissolving them into one territory.

timezonefinder stores each zone as boundary polygons (with holes) whose
coordinates are int32 multiples of 1e-7 degree, already split at the
antimeridian (longitudes in [-180, 180]). ``TimezoneFinder.get_geometry``
returns them as Python lists of floats, which costs about 30 s for the whole
world; :func:`zone_polygons` reads the same arrays through the finder's public
per-polygon accessors (``zone_ids``, ``coords_of``, ``holes.ids_of``,
``holes.coords_of``) and builds the polygons from numpy arrays in about 1.5 s.
A test checks that both give the same coordinates.
"""

import functools

import numpy as np
import shapely
from timezonefinder.configs import INT2COORD_FACTOR


@functools.cache
def finder():
    """The process's one :class:`timezonefinder.TimezoneFinder` (its data memory-mapped).

    timezonefinder is imported here, on the first build: it loads numba
    functions, which a process reading sovereign airspace from the cache
    never needs.

    Returns
    -------
    timezonefinder.TimezoneFinder

    Examples
    --------
    >>> finder() is finder()
    True
    >>> finder().timezone_at(lng=24.75, lat=59.44)  # Tallinn
    'Europe/Tallinn'
    """
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_polygons(zone_name):
    """The polygons of one time zone, in lon/lat degrees.

    Parameters
    ----------
    zone_name : str
        A zone of the dataset, e.g. ``"Europe/Tallinn"``.

    Returns
    -------
    numpy.ndarray of shapely.Polygon
        One polygon per boundary polygon of the zone, with its holes.

    Raises
    ------
    ValueError
        If the dataset has no zone of that name.

    Examples
    --------
    >>> polygons = zone_polygons("Europe/Tallinn")
    >>> len(polygons), bool(shapely.contains_xy(polygons[0], 24.75, 59.44))  # Tallinn
    (1, True)
    >>> zone_polygons("Europe/Atlantis")
    Traceback (most recent call last):
    ...
    ValueError: timezonefinder-data has no time zone 'Europe/Atlantis'
    """
    tf = finder()
    try:
        zone_id = tf.timezone_names.index(zone_name)
    except ValueError:
        raise ValueError(f"timezonefinder-data has no time zone {zone_name!r}") from None
    polygons = []
    for boundary_id in np.flatnonzero(np.asarray(tf.zone_ids) == zone_id).tolist():
        shell = tf.coords_of(boundary_id).T * INT2COORD_FACTOR
        holes = [
            tf.holes.coords_of(hole_id).T * INT2COORD_FACTOR
            for hole_id in tf.holes.ids_of(boundary_id)
        ]
        polygons.append(shapely.Polygon(shell, holes))
    return np.array(polygons, dtype=object)


def dissolve(polygons):
    """The union of polygons that touch but do not overlap, as one valid geometry.

    Time zones of one country share their borders, so their union is a
    coverage union (fast); if GEOS finds the edges not noded alike, or the
    result is invalid or has lost area, the general (slower) union is used.

    Parameters
    ----------
    polygons : array_like of shapely.Polygon or shapely.MultiPolygon
        Invalid ones are repaired with :func:`shapely.make_valid` first.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon

    Examples
    --------
    >>> squares = [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)]
    >>> dissolve(squares).normalize().wkt
    'POLYGON ((0 0, 0 1, 1 1, 2 1, 2 0, 1 0, 0 0))'
    """
    parts = _polygon_parts(shapely.make_valid(np.asarray(polygons, dtype=object)))
    if len(parts) == 1:
        return parts[0]
    area = shapely.area(parts).sum()
    try:
        union = shapely.coverage_union_all(parts)
    except shapely.errors.GEOSException:
        union = None
    if union is None or not union.is_valid or not np.isclose(union.area, area, rtol=1e-9, atol=0):
        union = shapely.union_all(parts)
    return union if union.geom_type in ("Polygon", "MultiPolygon") else _polygonal(union)


def _polygon_parts(geometries):
    """The non-empty polygons within `geometries` (collections and multipolygons opened)."""
    parts = shapely.get_parts(shapely.get_parts(geometries))
    keep = (shapely.get_type_id(parts) == shapely.GeometryType.POLYGON) & ~shapely.is_empty(parts)
    return parts[keep]


def _polygonal(geometry):
    """The polygonal part of a union that came back as a collection."""
    return shapely.multipolygons(_polygon_parts(np.array([geometry], dtype=object)))
