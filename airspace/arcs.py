"""Arcs and circles on the WGS84 ellipsoid, drawn as polygon vertices.

Every vertex is at the exact geodesic distance of the radius from the centre
(:class:`pyproj.Geod`), at bearings evenly spaced over the arc; the step is
the largest for which the chord error (sagitta) ``r (1 - cos(step / 2))``
stays within ``max_chord_error_m``, and never more than 10 degrees. Shared
by the airspace readers that draw arcs and circles (OpenAir, drone
geozones).
"""

import math

import numpy as np
import shapely
from pyproj import Geod

MAX_CHORD_ERROR_M = 50.0
"""Default largest distance between a drawn arc and its chords, in metres."""

LARGEST_RADIUS_M = 10_000_000.0
"""Largest radius drawn: a quarter of the way round the Earth."""

_MAX_STEP_RAD = math.radians(10.0)
_GEOD = Geod(ellps="WGS84")


def arc_lonlat(
    centre_lon,
    centre_lat,
    radius_m,
    start_deg,
    sweep_deg,
    *,
    end_radius_m=None,
    max_chord_error_m=MAX_CHORD_ERROR_M,
):
    """Vertices of a geodesic arc around a centre, dense enough for a chord error bound.

    Parameters
    ----------
    centre_lon, centre_lat : float
        The centre, degrees.
    radius_m : float
        Geodesic distance of the first vertex from the centre, metres.
    start_deg : float
        True bearing of the first vertex from the centre, degrees.
    sweep_deg : float
        Angle swept, degrees: positive clockwise, negative anticlockwise.
    end_radius_m : float, optional
        Distance of the last vertex; the radius goes linearly from
        `radius_m` to it. Default: `radius_m`.
    max_chord_error_m : float, default 50.0
        Largest sagitta ``r (1 - cos(step / 2))`` allowed; the step is never
        more than 10 degrees either.

    Returns
    -------
    lon, lat : numpy.ndarray
        The vertices from the start bearing to the end bearing, both
        included; longitudes in [-180, 180].

    Examples
    --------
    >>> from tracks.units import NAUTICAL_MILE_M
    >>> lon, lat = arc_lonlat(0.0, 0.0, 10 * NAUTICAL_MILE_M, 0.0, 90.0)
    >>> len(lon), round(float(lat[0]), 4), round(float(lon[-1]), 4)
    (12, 0.1675, 0.1664)
    """
    end_radius_m = radius_m if end_radius_m is None else end_radius_m
    largest = max(radius_m, end_radius_m)
    step = (
        2 * math.acos(1 - max_chord_error_m / largest) if largest > max_chord_error_m else math.pi
    )
    n_steps = max(1, math.ceil(abs(math.radians(sweep_deg)) / min(step, _MAX_STEP_RAD) - 1e-9))
    fraction = np.arange(n_steps + 1) / n_steps
    azimuth = start_deg + sweep_deg * fraction
    distance = radius_m + (end_radius_m - radius_m) * fraction
    lon, lat, _ = _GEOD.fwd(
        np.full(n_steps + 1, float(centre_lon)),
        np.full(n_steps + 1, float(centre_lat)),
        azimuth,
        distance,
    )
    return lon, lat


def circle_polygon(centre_lon, centre_lat, radius_m, *, max_chord_error_m=MAX_CHORD_ERROR_M):
    """A geodesic circle as a Polygon (a MultiPolygon where it crosses the antimeridian).

    Parameters
    ----------
    centre_lon, centre_lat : float
        The centre, degrees.
    radius_m : float
        Geodesic radius, metres: more than 0 and less than
        :data:`LARGEST_RADIUS_M`.
    max_chord_error_m : float, default 50.0
        Largest distance between the circle and its chords.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon

    Raises
    ------
    ValueError
        For a radius out of range, or a circle around a pole (not supported).

    Examples
    --------
    >>> circle = circle_polygon(179.99, 0.0, 5000.0)
    >>> circle.geom_type, [round(b, 3) for b in circle.bounds]
    ('MultiPolygon', [-180.0, -0.045, 180.0, 0.045])
    """
    if not 0 < radius_m < LARGEST_RADIUS_M:
        raise ValueError(
            f"radius {radius_m} m: expected more than 0 and less than {LARGEST_RADIUS_M:g} m"
        )
    lon, lat = arc_lonlat(
        centre_lon, centre_lat, radius_m, 0.0, 360.0, max_chord_error_m=max_chord_error_m
    )
    lon = np.unwrap(lon, period=360.0)
    if abs(lon[-1] - lon[0]) > 180.0:
        pole = "north" if centre_lat > 0 else "south"
        raise ValueError(f"the circle goes round the {pole} pole; not supported")
    return split_at_antimeridian(shapely.Polygon(np.column_stack([lon[:-1], lat[:-1]])))


def split_at_antimeridian(polygon):
    """`polygon` with longitudes beyond +-180 cut there and moved back into [-180, 180].

    Parameters
    ----------
    polygon : shapely.Polygon
        Longitudes unwrapped, possibly beyond -180 or 180.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        `polygon` itself when it is within [-180, 180].

    Examples
    --------
    >>> split_at_antimeridian(shapely.box(179, 0, 181, 1)).geom_type
    'MultiPolygon'
    """
    min_lon, _, max_lon, _ = polygon.bounds
    if min_lon >= -180.0 and max_lon <= 180.0:
        return polygon
    parts = [
        shapely.transform(
            shapely.clip_by_rect(polygon, -180.0 + shift, -90.0, 180.0 + shift, 90.0),
            lambda xy, shift=shift: xy - [shift, 0.0],
        )
        for shift in (-360.0, 0.0, 360.0)
    ]
    return shapely.union_all([part for part in parts if not part.is_empty])
