"""Depth on the WGS84 ellipsoid: the true distance to the boundary, at the truly deepest point.

The depth search (:mod:`detect.depth`) works in a part's planar frame, whose
scale varies a little from place to place and from direction to direction.
Two things follow, and this module settles both:

* The frame's nearest edge need not be the geodesically nearest one. Within a
  disc, the frame's scales lie between ``s`` and ``ratio * s``
  (:meth:`detect.frame.Frame.anisotropy_bound`), so every edge within
  ``ratio`` times the frame distance is measured on the ellipsoid
  (:func:`geodesic_depths`), and the least distance is the depth.
* The frame's deepest point need not be the truly deepest: their depths can
  differ by up to ``(ratio - 1)`` times the depth. Where that could exceed
  the tolerance, max(1 m, 0.1 %), the depth is searched again around it
  with each nearby edge's distance corrected by that edge's own scale
  (:func:`refine_deepest`).
"""

from __future__ import annotations

import math

import numpy as np
import pyproj

from detect.depth import DEPTH_TOLERANCE_M, DEPTH_TOLERANCE_REL
from detect.frame import EARTH_RADIUS_M
from detect.jit import njit
from detect.nearest import distance_to_edge_m, edges_within, nearest_edges

GEOD = pyproj.Geod(ellps="WGS84")
#: Depth tolerance: max(TOLERANCE_M, TOLERANCE_REL * depth).
TOLERANCE_M, TOLERANCE_REL = 1.0, 1e-3
#: Samples per piece, and golden-section steps (the bracket of two samples shrinks 0.618 times a step).
SAMPLES_PER_PIECE = 17
GOLDEN_STEPS = 30
#: Share of the tolerance an event's imbalance must exceed to be searched again (the rest is margin).
DOUBT_SHARE = 0.8
#: Search rounds at most; each measures the scales again from the best point so far.
REFINE_ROUNDS = 2
_INV_PHI = (np.sqrt(5.0) - 1.0) / 2.0
#: WGS84 semi-major axis and first eccentricity squared.
_A_M, _E2 = 6_378_137.0, 6.694379990141317e-3
#: Least radius of curvature of the WGS84 ellipsoid, a(1 - e^2) = 6,335,439 m at the equator, rounded down.
LEAST_CURVATURE_RADIUS_M = 6_335_000.0


def geodesic_depths(frame, grid, x_m, y_m, frame_depth_m):
    """Geodesic distance from points inside to the boundary, and their lon/lat.

    Parameters
    ----------
    frame : detect.frame.Frame
    grid : detect.grid.BoundaryGrid
    x_m, y_m : ndarray
        Points in frame metres.
    frame_depth_m : ndarray
        Their distance to the boundary in the frame.

    Returns
    -------
    depth_m : ndarray
        WGS84 geodesic distance to the nearest boundary point.
    imbalance_m : ndarray
        How much farther, on the ellipsoid, the farthest of the edges nearest
        in the frame (within :func:`frame_tie_m` of the frame distance) is
        than the nearest: where the frame's deepest point lies where two
        edges are equally far in the frame, the truly deepest point lies
        where they are equally far on the ellipsoid, and is deeper by up to
        about this much.

    Notes
    -----
    Each candidate edge's nearest point is placed in the frame and measured
    on the ellipsoid; the distance along an edge is flat at its minimum, so
    placing it in the frame costs a second-order error only.

    Examples
    --------
    The middle of a square one degree a side, 39 km from its western and eastern sides:

    >>> import shapely
    >>> from detect.frame import Frame
    >>> from detect.grid import build_grid
    >>> frame = Frame.centred_at(5.5, 45.5)
    >>> grid = build_grid(frame.polygon_to_frame(shapely.box(5.0, 45.0, 6.0, 46.0)))
    >>> x, y = np.zeros(1), np.zeros(1)
    >>> frame_depth, _ = nearest_edges(grid, x, y)
    >>> depth, imbalance = geodesic_depths(frame, grid, x, y, frame_depth)
    >>> round(float(frame_depth[0]), 1), round(float(depth[0]), 1), float(imbalance[0])
    (39077.6, 39077.7, 0.0)
    """
    lon, lat = frame.to_lonlat_deg(x_m, y_m)
    radius = frame_depth_m * frame.anisotropy_bound(lon, lat, frame_depth_m)
    ptr, edge = edges_within(grid, x_m, y_m, radius)
    owner = np.repeat(np.arange(len(x_m)), np.diff(ptr))
    shore_x, shore_y = closest_point_on_edges_m(x_m[owner], y_m[owner], grid.edges_m[edge])
    # Edges that meet at the nearest vertex give one shore point: each is placed and measured once.
    distinct, same_as = distinct_rows(owner, shore_x, shore_y)
    owner, shore_x, shore_y = owner[distinct], shore_x[distinct], shore_y[distinct]
    shore_lon, shore_lat = frame.to_lonlat_deg(shore_x, shore_y)
    chord_m = chord_m_between(lon[owner], lat[owner], shore_lon, shore_lat)
    frame_m = np.hypot(shore_x - x_m[owner], shore_y - y_m[owner])
    tied = frame_m <= frame_depth_m[owner] + frame_tie_m(frame_depth_m)[owner]
    least_longest = np.full(len(x_m), np.inf)
    np.minimum.at(least_longest, owner, longest_geodesic_m(chord_m))
    # Only a shore no farther than the nearest can be the nearest.
    measured = tied | (chord_m <= least_longest[owner])
    distance = np.full(len(owner), np.inf)
    distance[measured] = GEOD.inv(lon[owner[measured]], lat[owner[measured]],
                                  shore_lon[measured], shore_lat[measured])[2]
    owner, distance, tied = owner[same_as], distance[same_as], tied[same_as]
    depth = np.full(len(x_m), np.inf)
    np.minimum.at(depth, owner, distance)
    imbalance = np.zeros(len(x_m))
    np.maximum.at(imbalance, owner[tied], distance[tied] - depth[owner[tied]])
    return depth, imbalance


def distinct_rows(*columns) -> tuple[np.ndarray, np.ndarray]:
    """The first of each set of equal rows of some columns, and for each row the place of its first.

    Rows are equal when every column's values are equal bit for bit
    (so ``0.0`` and ``-0.0`` differ, and ``NaN`` equals only the same ``NaN``).

    Returns
    -------
    distinct : ndarray of int64
        Ascending positions of the first row of each set.
    same_as : ndarray of int64
        For each row, the place in `distinct` of the first row equal to it.

    Examples
    --------
    >>> distinct, same_as = distinct_rows(np.array([0, 0, 1, 0]), np.array([2.0, 3.0, 2.0, 2.0]))
    >>> distinct.tolist(), same_as.tolist()
    ([0, 1, 2], [0, 1, 2, 0])
    """
    bits = [np.ascontiguousarray(column).view(np.int64) for column in columns]
    order = np.lexsort(bits[::-1])  # stable: within a set, rows in their order
    starts_set = np.zeros(len(order), bool)
    starts_set[:1] = True
    for column in bits:
        ordered = column[order]
        starts_set[1:] |= ordered[1:] != ordered[:-1]
    first = order[starts_set]
    rank = np.argsort(first, kind="stable")
    place = np.empty(len(rank), np.int64)
    place[rank] = np.arange(len(rank))
    same_as = np.empty(len(order), np.int64)
    same_as[order] = place[np.cumsum(starts_set) - 1]
    return first[rank], same_as


def frame_tie_m(frame_depth_m):
    """How near in the frame two edges must be to a point found by the depth search to be taken as tied.

    Twice the search's tolerance (:data:`detect.depth.DEPTH_TOLERANCE_M`,
    :data:`detect.depth.DEPTH_TOLERANCE_REL` of the depth): the point it
    finds where two edges are equally far may lie that far from the tie.

    Examples
    --------
    >>> frame_tie_m(np.array([100.0, 69_000.0])).round(2).tolist()
    [0.1, 13.8]
    """
    return 2.0 * np.maximum(DEPTH_TOLERANCE_M, DEPTH_TOLERANCE_REL * np.asarray(frame_depth_m, float))


def chord_m_between(lon1_deg, lat1_deg, lon2_deg, lat2_deg) -> np.ndarray:
    """Straight-line (3-D) distance between points on the WGS84 ellipsoid: never more than the geodesic.

    Examples
    --------
    >>> round(float(chord_m_between(0.0, 0.0, 90.0, 0.0)), 3) == round(6_378_137.0 * 2 ** 0.5, 3)
    True
    """
    x1, y1, z1 = _ecef_m(lon1_deg, lat1_deg)
    x2, y2, z2 = _ecef_m(lon2_deg, lat2_deg)
    return np.sqrt((x1 - x2) ** 2 + (y1 - y2) ** 2 + (z1 - z2) ** 2)


def longest_geodesic_m(chord_m):
    """The most a geodesic can measure between points `chord_m` apart (3-D): the arc of the tightest circle.

    No curve on the ellipsoid's surface bends more tightly than a circle of
    :data:`LEAST_CURVATURE_RADIUS_M`; the normal section joining two near
    points is no longer than that circle's arc over the same chord (Schur's
    comparison theorem), and the geodesic is no longer than the section. The
    bound exceeds the chord by about ``chord^3 / (24 R^2)``: 1 m at 100 km.

    Examples
    --------
    >>> round(float(longest_geodesic_m(100_000.0)), 1)
    100001.0
    """
    half_angle = np.arcsin(np.minimum(np.asarray(chord_m) / (2 * LEAST_CURVATURE_RADIUS_M), 1.0))
    return 2 * LEAST_CURVATURE_RADIUS_M * half_angle * (1 + 1e-9) + 1e-6


def _arc_m(chord_m):
    """Length of the arc of a sphere of the Earth's mean radius over a chord."""
    return 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(chord_m / (2 * EARTH_RADIUS_M), 1.0))


def _ecef_m(lon_deg, lat_deg):
    """Earth-centred coordinates of points on the WGS84 ellipsoid (height 0)."""
    lon, lat = np.radians(lon_deg), np.radians(lat_deg)
    sin_lat, cos_lat = np.sin(lat), np.cos(lat)
    normal_m = _A_M / np.sqrt(1 - _E2 * sin_lat * sin_lat)
    return normal_m * cos_lat * np.cos(lon), normal_m * cos_lat * np.sin(lon), normal_m * (1 - _E2) * sin_lat


def closest_point_on_edges_m(x_m, y_m, edges_m) -> tuple[np.ndarray, np.ndarray]:
    """The point of each edge (rows x1, y1, x2, y2) nearest to each point.

    Examples
    --------
    >>> edges = np.array([[0.0, 0.0, 10.0, 0.0], [0.0, 0.0, 10.0, 0.0]])
    >>> x, y = closest_point_on_edges_m(np.array([3.0, 13.0]), np.array([4.0, 4.0]), edges)
    >>> x.tolist(), y.tolist()  # the foot of the perpendicular; the end of the edge
    ([3.0, 10.0], [0.0, 0.0])
    """
    x1, y1, x2, y2 = edges_m.T
    ex, ey = x2 - x1, y2 - y1
    length2 = ex * ex + ey * ey
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.clip(((x_m - x1) * ex + (y_m - y1) * ey) / length2, 0.0, 1.0)
    u = np.where(length2 > 0, u, 0.0)
    return x1 + u * ex, y1 + u * ey


def refine_deepest(frame, grid, event, xa, ya, xb, yb, piece, frac, depth_m, imbalance_m, frame_depth_m):
    """Search the geodesic depth around each event's frame-deepest point, where the frame could mislead.

    Parameters
    ----------
    frame, grid
        The part's frame and boundary grid.
    event : ndarray of int
        Event of each inside piece (pieces of an event are consecutive).
    xa, ya, xb, yb : ndarray
        Inside pieces' ends in frame metres.
    piece, frac, depth_m, imbalance_m, frame_depth_m : ndarray
        Per event: the deepest point found in the frame (piece and fraction),
        its geodesic depth and imbalance (:func:`geodesic_depths`), and its
        frame depth. Events whose imbalance is at most :data:`DOUBT_SHARE`
        of the tolerance are left as they are: near the frame's deepest
        point, the true depth exceeds the measured one by at most the
        imbalance (moving along the path, one of the tied edges comes no
        nearer in the frame, so no nearer on the ellipsoid than it is at the
        point, to first order in the distance moved).

    Returns
    -------
    piece, frac, depth_m : ndarray
        The deepest point and its geodesic depth, where a deeper one was found.

    Notes
    -----
    Around the frame's deepest point ``P``, the distance to each edge that
    can be nearest is corrected by that edge's own scale, the ratio of its
    geodesic to its frame distance from ``P``: near ``P`` the corrected
    distances are geodesic to first order. Their lower envelope is maximised
    along the event's pieces within :func:`_search_reach_m` of ``P`` by
    sampling and golden-section search in compiled code, and the point found
    is measured on the ellipsoid; it replaces ``P`` if deeper. While a round
    gains more than a tenth of the tolerance, the scales are measured again
    from the better point (at most :data:`REFINE_ROUNDS` rounds).

    Examples
    --------
    A path across a square one degree a side, seen in a frame centred 3000 km west of it:

    >>> import shapely
    >>> from detect.depth import deepest_points
    >>> from detect.frame import Frame
    >>> from detect.grid import build_grid
    >>> frame, event = Frame.centred_at(0.0, 45.0), np.array([0])
    >>> grid = build_grid(frame.polygon_to_frame(shapely.box(40.0, 45.0, 41.0, 46.0)))
    >>> x, y = frame.to_xy_m([40.0, 41.0], [45.5, 45.5])
    >>> frame_depth, piece, frac, _ = deepest_points(grid, event, x[:1], y[:1], x[1:], y[1:], 1)
    >>> depth, imbalance = geodesic_depths(frame, grid, x[:1] + frac * np.diff(x), y[:1] + frac * np.diff(y),
    ...                                    frame_depth)
    >>> round(float(depth[0])), round(float(imbalance[0]))  # too little imbalance to doubt the frame
    (39081, 18)

    Searched as if the frame could mislead by 1 km, it finds the point 9 m
    deeper that a fine sampling of the path finds (39,089.5 m):

    >>> _, _, deeper = refine_deepest(frame, grid, event, x[:1], y[:1], x[1:], y[1:], piece, frac, depth,
    ...                               np.array([1000.0]), frame_depth)
    >>> round(float(deeper[0]))
    39090
    """
    piece, frac, depth_m = piece.copy(), frac.copy(), depth_m.copy()
    x, y = _at(xa, ya, xb, yb, piece, frac)
    lon, lat = frame.to_lonlat_deg(x, y)
    ratio = frame.anisotropy_bound(lon, lat, frame_depth_m)
    doubtful = np.flatnonzero(imbalance_m > DOUBT_SHARE * np.maximum(TOLERANCE_M, TOLERANCE_REL * depth_m))
    event = np.asarray(event, np.int64)
    for _ in range(REFINE_ROUNDS):
        if not len(doubtful):
            break
        found_piece, found_frac, found_depth = _corrected_round(
            frame, grid, event, xa, ya, xb, yb, piece[doubtful], frac[doubtful], depth_m[doubtful], ratio[doubtful])
        gain = found_depth - depth_m[doubtful]
        better = gain > 0
        chosen = doubtful[better]
        piece[chosen], frac[chosen], depth_m[chosen] = found_piece[better], found_frac[better], found_depth[better]
        # Scales measured again from the better point: another round where it gained much.
        doubtful = doubtful[gain > 0.1 * np.maximum(TOLERANCE_M, TOLERANCE_REL * depth_m[doubtful])]
    return piece, frac, depth_m


def _corrected_round(frame, grid, event, xa, ya, xb, yb, piece, frac, depth_m, ratio):
    """One search round of :func:`refine_deepest` from the points given (and their geodesic depths).

    Returns the point found and its geodesic depth.
    """
    x, y = _at(xa, ya, xb, yb, piece, frac)
    lon, lat = frame.to_lonlat_deg(x, y)
    frame_depth_m = nearest_edges(grid, x, y)[0]
    reach = _search_reach_m(depth_m)
    # An edge nearest to a point within reach of P lies within this frame distance of P.
    radius = ratio * (frame_depth_m + reach) + reach
    ptr, edge = edges_within(grid, x, y, radius)
    owner = np.repeat(np.arange(len(x)), np.diff(ptr))
    shore_x, shore_y = closest_point_on_edges_m(x[owner], y[owner], grid.edges_m[edge])
    shore_lon, shore_lat = frame.to_lonlat_deg(shore_x, shore_y)
    # Each edge's scale, from P's distance to it over the ellipsoid (the arc of a sphere over the
    # 3-D chord, within 1e-7 of the geodesic at 100 km: enough to place the search).
    arc_m = _arc_m(chord_m_between(lon[owner], lat[owner], shore_lon, shore_lat))
    frame_m = np.hypot(shore_x - x[owner], shore_y - y[owner])
    scale = np.where(frame_m > 0, arc_m / np.where(frame_m > 0, frame_m, 1.0), 1.0)
    # Within reach of P an edge's corrected distance changes by at most its scale times the reach:
    # an edge can be the nearest somewhere in reach only if it starts that close to P's depth.
    top_scale = np.zeros(len(x))
    np.maximum.at(top_scale, owner, scale)
    kept = arc_m - scale * reach[owner] <= (depth_m + top_scale * reach)[owner] * (1 + 1e-4)
    owner, edge, scale = owner[kept], edge[kept], scale[kept]
    ptr = np.zeros(len(x) + 1, np.int64)
    np.cumsum(np.bincount(owner, minlength=len(x)), out=ptr[1:])
    found_piece = np.empty(len(x), np.int64)
    found_frac = np.empty(len(x))
    event_first = np.searchsorted(event, event[piece], side="left")
    event_last = np.searchsorted(event, event[piece], side="right") - 1
    _corrected_search(np.ascontiguousarray(xa, np.float64), np.ascontiguousarray(ya, np.float64),
                      np.ascontiguousarray(xb, np.float64), np.ascontiguousarray(yb, np.float64),
                      event_first, event_last, piece, frac, reach,
                      ptr, edge, scale, grid.edges_m, found_piece, found_frac)
    fx, fy = _at(xa, ya, xb, yb, found_piece, found_frac)
    found_depth, _ = geodesic_depths(frame, grid, fx, fy, nearest_edges(grid, fx, fy)[0])
    return found_piece, found_frac, found_depth


def _search_reach_m(depth_m):
    """How far from the frame's deepest point the geodesic one is looked for, in frame metres.

    A hundredth of the depth, at least a kilometre: the frame's deepest point
    lies that close to the true one wherever the frame's distortion is under
    a few percent.
    """
    return np.maximum(1_000.0, 0.01 * depth_m)


def _at(xa, ya, xb, yb, piece, frac):
    """Frame points at fractions along pieces."""
    return xa[piece] + frac * (xb[piece] - xa[piece]), ya[piece] + frac * (yb[piece] - ya[piece])


@njit(cache=True, nogil=True)
def _corrected_search(xa, ya, xb, yb, event_first, event_last, piece, frac, reach, ptr, edge, scale, edges,
                      out_piece, out_frac):
    """Write, per event, the point of greatest scale-corrected depth near its frame-deepest point.

    Every piece of the event that comes within reach is sampled there, and
    the best sample of each is refined by golden-section search, against
    only the edges that can be nearest within a sample step of it.
    """
    nearby = np.empty(max(np.max(ptr[1:] - ptr[:-1]), 1), np.int64)
    for i in range(len(piece)):
        p0 = piece[i]
        x0 = xa[p0] + frac[i] * (xb[p0] - xa[p0])
        y0 = ya[p0] + frac[i] * (yb[p0] - ya[p0])
        candidates = np.arange(ptr[i], ptr[i + 1])
        n_all = len(candidates)
        top_scale = 0.0
        for j in candidates:
            top_scale = max(top_scale, scale[j])
        best_value = _corrected_depth(x0, y0, candidates, n_all, edge, scale, edges)
        out_piece[i], out_frac[i] = p0, frac[i]
        for p in range(event_first[i], event_last[i] + 1):
            dx, dy = xb[p] - xa[p], yb[p] - ya[p]
            length2 = dx * dx + dy * dy
            u = 0.0 if length2 == 0 else min(max(((x0 - xa[p]) * dx + (y0 - ya[p]) * dy) / length2, 0.0), 1.0)
            if math.hypot(xa[p] + u * dx - x0, ya[p] + u * dy - y0) > reach[i]:
                continue
            # Sample the piece where it lies within reach of the point, then refine the best sample.
            best_t, best_here = -1.0, -1.0
            for k in range(SAMPLES_PER_PIECE):
                t = k / (SAMPLES_PER_PIECE - 1)
                px, py = xa[p] + t * dx, ya[p] + t * dy
                if math.hypot(px - x0, py - y0) > reach[i]:
                    continue
                value = _corrected_depth(px, py, candidates, n_all, edge, scale, edges)
                if value > best_here:
                    best_t, best_here = t, value
            if best_t < 0:
                continue
            step = 1.0 / (SAMPLES_PER_PIECE - 1)
            lo, hi = max(best_t - step, 0.0), min(best_t + step, 1.0)
            # Within the bracket an edge's corrected distance moves by at most its scale times the
            # bracket's length: only edges that close to the best sample's value can be the nearest.
            bx, by = xa[p] + best_t * dx, ya[p] + best_t * dy
            limit = best_here + 2.0 * (hi - lo) * math.sqrt(length2) * top_scale
            n_near = 0
            for j in candidates:
                if scale[j] * distance_to_edge_m(bx, by, edges, edge[j]) <= limit:
                    nearby[n_near] = j
                    n_near += 1
            t1 = hi - _INV_PHI * (hi - lo)
            t2 = lo + _INV_PHI * (hi - lo)
            v1 = _corrected_depth(xa[p] + t1 * dx, ya[p] + t1 * dy, nearby, n_near, edge, scale, edges)
            v2 = _corrected_depth(xa[p] + t2 * dx, ya[p] + t2 * dy, nearby, n_near, edge, scale, edges)
            for _ in range(GOLDEN_STEPS):
                if v1 >= v2:  # the maximum lies in [lo, t2]
                    hi, t2, v2 = t2, t1, v1
                    t1 = hi - _INV_PHI * (hi - lo)
                    v1 = _corrected_depth(xa[p] + t1 * dx, ya[p] + t1 * dy, nearby, n_near, edge, scale, edges)
                else:
                    lo, t1, v1 = t1, t2, v2
                    t2 = lo + _INV_PHI * (hi - lo)
                    v2 = _corrected_depth(xa[p] + t2 * dx, ya[p] + t2 * dy, nearby, n_near, edge, scale, edges)
            t, value = (t1, v1) if v1 >= v2 else (t2, v2)
            if best_here > value:
                t, value = best_t, best_here
            if value > best_value:
                best_value, out_piece[i], out_frac[i] = value, p, t


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def _corrected_depth(x, y, ids, n, edge, scale, edges):
    """Least scale-corrected distance from (x, y) to the candidate edges ``edge[ids[:n]]``."""
    best = math.inf
    for k in range(n):
        j = ids[k]
        best = min(best, scale[j] * distance_to_edge_m(x, y, edges, edge[j]))
    return best
