"""The approach band of an airspace part: every point within a geodesic distance of it, as a lon/lat polygon.

The band is the part's polygon joined with a buffer of its boundary. A
planar buffer is only as true as its frame's scale, so the boundary is cut
(its edges straight in lon/lat, as stored, cut every :data:`EDGE_STEP_DEG`)
into stretches of at most :data:`STRETCH_M`, each buffered in a frame centred
on it (Lambert azimuthal equal-area, whose scale within the stretch's reach
is true to a few parts in a hundred thousand), then brought back to lon/lat,
densified first so that its edges are straight in any working frame to the
centimetre. The buffer's arcs are polygons drawn around the true circles
(:data:`QUAD_SEGMENTS`), so the band holds every point within the distance
and reaches at most :data:`OVERREACH_SHARE` of it farther: the tolerance of
an approach's entry and exit, within the depth's max(1 m, 0.1 %).

A part split at the antimeridian (as GeoJSON requires) is joined across it
first, and its band split there again.
"""

from __future__ import annotations

import numpy as np
import shapely

from detect.frame import Frame, _joined_at_seam, wrap_lon_deg
from detect.geodesic import chord_m_between

#: Longest stretch of boundary buffered in one frame.
STRETCH_M = 200_000.0
#: The part's edges are straight in lon/lat (as the airspace table stores them): cut into pieces of at
#: most this many degrees before buffering, each then as straight in the frame as the lon/lat line.
EDGE_STEP_DEG = 0.005
#: Segments per quarter circle of the buffer's arcs.
QUAD_SEGMENTS = 32
#: How much farther than the distance the band may reach (the arcs' polygons drawn around the circles).
OVERREACH_SHARE = 1.0 / np.cos(np.pi / (4 * QUAD_SEGMENTS)) - 1.0
#: Longest edge of the band in its stretch's frame, as a share of the distance, and at most this many metres.
EDGE_SHARE, LONGEST_EDGE_M = 0.1, 1_000.0


def approach_band(geometry_lonlat, approach_m: float):
    """Every point within `approach_m` (geodesic, WGS84) of a polygon, as a lon/lat polygon.

    Parameters
    ----------
    geometry_lonlat : shapely.Polygon or shapely.MultiPolygon
        An airspace part, EPSG:4326.
    approach_m : float
        The distance, metres, positive.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon

    Raises
    ------
    ValueError
        For a distance that is not positive, or a part that reaches the antimeridian.

    Examples
    --------
    A box and its band 1 km wide: the band's edge is 1 km out (to
    :data:`OVERREACH_SHARE`), measured on the ellipsoid:

    >>> from detect.geodesic import GEOD
    >>> band = approach_band(shapely.box(24.0, 59.0, 24.2, 59.1), 1_000.0)
    >>> west = shapely.intersection(band.boundary, shapely.LineString([(23.9, 59.05), (24.0, 59.05)]))
    >>> round(GEOD.inv(west.x, west.y, 24.0, 59.05)[2], 1)
    1000.3
    """
    if not approach_m > 0:
        raise ValueError(f"approach distance must be positive, not {approach_m!r}")
    radius_m = approach_m * (1.0 + OVERREACH_SHARE)  # the arcs' chords touch the circle
    edge_m = min(LONGEST_EDGE_M, EDGE_SHARE * approach_m)
    joined = _joined_at_seam(geometry_lonlat)  # longitudes up to 540 where it reaches across
    dense = shapely.segmentize(joined, EDGE_STEP_DEG)
    buffers = [_stretch_buffer(stretch, radius_m, edge_m) for ring in _rings(dense) for stretch in _stretches(ring)]
    return _split_at_seam(shapely.make_valid(shapely.union_all([joined, *buffers])))


def _split_at_seam(geometry):
    """A polygon with longitudes beyond +/-180 cut there, each side brought back into [-180, 180]."""
    minx, _, maxx, _ = shapely.bounds(geometry)
    if minx >= -180.0 and maxx <= 180.0:
        return geometry
    sides = [shapely.transform(shapely.clip_by_rect(geometry, west, -90.0, west + 360.0, 90.0),
                               lambda xy, shift=shift: xy + np.array([shift, 0.0]))
             for west, shift in ((-540.0, 360.0), (-180.0, 0.0), (180.0, -360.0))]
    polygons = shapely.get_parts(np.array(sides, object))
    polygons = polygons[np.isin(shapely.get_type_id(polygons), (3,))]  # Polygons only
    return shapely.multipolygons(polygons)


def _rings(geometry_lonlat) -> list[np.ndarray]:
    """Coordinates of every ring (shells and holes) of a polygon or multipolygon."""
    rings = []
    for polygon in shapely.get_parts(geometry_lonlat):
        rings.append(shapely.get_coordinates(polygon.exterior))
        rings += [shapely.get_coordinates(hole) for hole in polygon.interiors]
    return rings


def _stretches(ring: np.ndarray) -> list[np.ndarray]:
    """A ring's vertices cut into runs at most :data:`STRETCH_M` long, each sharing its last vertex with the next."""
    step_m = chord_m_between(ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1])
    along_m = np.concatenate([[0.0], np.cumsum(step_m)])
    stretch = np.floor(along_m / STRETCH_M).astype(np.int64)
    starts = np.flatnonzero(np.diff(stretch, prepend=-1))
    ends = np.append(starts[1:], len(ring) - 1)
    return [ring[lo:max(hi, lo + 1) + 1] for lo, hi in zip(starts, ends)]


def _stretch_buffer(stretch: np.ndarray, radius_m: float, edge_m: float):
    """The buffer of one stretch of boundary, made in a frame centred on it, in lon/lat."""
    middle = stretch[len(stretch) // 2]
    frame = Frame.centred_at(middle[0], middle[1])
    x_m, y_m = frame.to_xy_m(stretch[:, 0], stretch[:, 1])
    line = shapely.linestrings(x_m, y_m) if len(stretch) > 1 else shapely.points(x_m[0], y_m[0])
    buffer = shapely.segmentize(shapely.buffer(line, radius_m, quad_segs=QUAD_SEGMENTS), edge_m)

    def to_lonlat(xy):  # longitudes kept near the stretch's, not wrapped at +/-180
        lon, lat = frame.to_lonlat_deg(xy[:, 0], xy[:, 1])
        return np.column_stack([middle[0] + wrap_lon_deg(lon - middle[0]), lat])

    return shapely.transform(buffer, to_lonlat)

