"""The closest approach of each approach event to its volume: geodesic, between fixes too.

Each piece of an approach event is a segment in a frame of the approached
part's own (:attr:`detect.volumes.Part.depth_views`). The part, its edges
straight in lon/lat (cut every :data:`detect.band.EDGE_STEP_DEG` degrees), is
put in the same frame once (:func:`closest_target`). The distances of the
pieces' ends to the boundary (:func:`detect.nearest.nearest_edges`, through
the view's grid) bound each piece's distance: pieces that cannot hold their
event's closest point are left out. The nearest stretch of boundary (a
polyline of :data:`CHUNK_EDGES` edges) to each other piece is found in an
R-tree of the stretches, the closest pair of points between the two exactly (:func:`shapely.shortest_line`), and the
distance between that pair measured on the ellipsoid. The pieces whose frame
distance lies within :data:`CANDIDATE_SHARE` of their event's least are all
measured so, and the least geodesic taken: the frame's scale varies by far
less than that across an event, and the pair a frame picks is off the
ellipsoid's by second-order amounts only, well within max(1 m, 0.1 %).

A path laterally inside the volume (below its floor or above its ceiling,
within the vertical margin) is 0 m from it, at the first such point.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import shapely

from detect.band import EDGE_STEP_DEG
from detect.geodesic import GEOD
from detect.nearest import nearest_edges
from detect.shared_polygon import SharedPolygon

#: Pieces within this share (and :data:`CANDIDATE_M`) of their event's least frame distance are measured.
CANDIDATE_SHARE, CANDIDATE_M = 0.01, 1.0


#: Boundary edges per polyline of the R-tree: far fewer geometries to make and index than one per edge.
CHUNK_EDGES = 32
#: Edges shorter than this many degrees bow by well under a millimetre, and are not measured.
SHORT_EDGE_DEG = 0.001


class ClosestTarget(NamedTuple):
    """A part in a view's frame: its polygon (shared by threads), its boundary cut into polylines of
    :data:`CHUNK_EDGES` edges and their R-tree, and how far the view's own polygon (its grid's) strays
    from it, metres."""

    shared: SharedPolygon
    chunks: np.ndarray
    tree: shapely.STRtree
    stray_m: float


class PartOutline(NamedTuple):
    """A part as :func:`closest_target` takes it in any frame: joined across the antimeridian, as stored
    (``joined``) and with its edges cut every :data:`detect.band.EDGE_STEP_DEG` degrees (``dense``)."""

    joined: object
    dense: object


def part_outline(geometry_lonlat) -> PartOutline:
    """A part made ready once for the frames of all its views.

    Examples
    --------
    >>> outline = part_outline(shapely.box(24.0, 59.0, 24.2, 59.1))
    >>> int(shapely.get_num_coordinates(outline.joined)), int(shapely.get_num_coordinates(outline.dense))
    (5, 123)
    """
    from detect.frame import _joined_at_seam

    joined = _joined_at_seam(geometry_lonlat)
    return PartOutline(joined, shapely.segmentize(joined, EDGE_STEP_DEG))


def closest_target(outline: PartOutline, view) -> ClosestTarget:
    """A part made ready, in a view's frame, for :func:`closest_points`.

    Examples
    --------
    >>> from airspace import make_airspace
    >>> from detect.volumes import prepare_airspace
    >>> box = shapely.box(24.0, 59.0, 24.2, 59.1)
    >>> view = prepare_airspace(make_airspace(box)).parts[0].depth_views[0].prepare()
    >>> target = closest_target(part_outline(box), view)
    >>> int(shapely.get_num_coordinates(target.chunks).sum()) > 4, round(target.shared.polygon.area / 1e6, 1)
    (True, 127.9)
    >>> round(target.stray_m, 1)  # its 11.5 km long sides along parallels bow 4.3 m
    4.3
    """
    polygon = view.frame.polygon_to_frame(outline.dense)
    chunks = _chunks(shapely.get_parts(shapely.boundary(polygon)))
    stray_m = _bow_m(outline.joined, view.frame)
    return ClosestTarget(SharedPolygon(polygon), chunks, shapely.STRtree(chunks), stray_m)


def _chunks(rings) -> np.ndarray:
    """Rings cut into polylines of at most :data:`CHUNK_EDGES` edges, each sharing its last vertex with the next.

    Examples
    --------
    >>> ring = shapely.LinearRing([(0, 0), (1, 0), (2, 0), (2, 1), (0, 1)])
    >>> [len(chunk.coords) for chunk in _chunks(np.array([ring]))]  # 5 edges: one polyline of 6 vertices
    [6]
    """
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    starts = np.flatnonzero(np.r_[True, ring[1:] != ring[:-1]])
    local = np.arange(len(coords)) - np.repeat(starts, np.diff(np.r_[starts, len(coords)]))
    edge = np.flatnonzero(np.r_[ring[1:] == ring[:-1], False])  # each edge's first vertex
    key_ring, key_step = ring[edge], local[edge] // CHUNK_EDGES  # both ascending along the rings
    chunk = np.cumsum(np.r_[True, (key_ring[1:] != key_ring[:-1]) | (key_step[1:] != key_step[:-1])]) - 1
    last = np.r_[chunk[1:] != chunk[:-1], True]
    points = np.concatenate([coords[edge], coords[edge[last] + 1]])
    ids = np.concatenate([chunk, chunk[last]])
    order = np.argsort(ids, kind="stable")  # each polyline's edges' first vertices, then its last vertex
    return shapely.linestrings(points[order], indices=ids[order])


def _bow_m(geometry_lonlat, frame) -> float:
    """How far a polygon's edges, straight in lon/lat, bow away from the same edges straight in `frame`, metres.

    The polygon is joined across the antimeridian (:attr:`PartOutline.joined`).

    Each edge's lon/lat midpoint is measured from the midpoint of its ends
    in the frame: the bow of an edge short against the frame's reach is
    greatest there. Bounds how far the view's polygon (edges straight in
    the frame) strays from the part (edges straight in lon/lat), in time
    linear in the vertices (a Hausdorff distance is quadratic).

    Examples
    --------
    Edges shorter than :data:`SHORT_EDGE_DEG` are not measured. A parallel
    0.2 degrees long at 59 N bows 4.3 m north of its chord
    (the box's sides, on meridians, do not bow):

    >>> from detect.frame import Frame
    >>> round(_bow_m(shapely.box(24.0, 59.0, 24.2, 59.1), Frame.centred_at(24.1, 59.05)), 1)
    4.3
    """
    rings = shapely.get_parts(shapely.boundary(geometry_lonlat))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same = np.flatnonzero(ring[1:] == ring[:-1])
    a, b = coords[same], coords[same + 1]
    long = np.hypot(*(b - a).T) > SHORT_EDGE_DEG
    if not long.any():
        return 0.0
    a, b = a[long], b[long]
    ax, ay = frame.to_xy_m(a[:, 0], a[:, 1])
    bx, by = frame.to_xy_m(b[:, 0], b[:, 1])
    mx, my = frame.to_xy_m((a[:, 0] + b[:, 0]) / 2, (a[:, 1] + b[:, 1]) / 2)
    return float(np.nanmax(np.hypot(mx - (ax + bx) / 2, my - (ay + by) / 2)))


def closest_points(part, lon_lo, lat_lo, lon_hi, lat_hi, event, n_events):
    """Each event's closest approach to the part `part` approaches, over its pieces.

    Parameters
    ----------
    part : detect.approach.ApproachPart
    lon_lo, lat_lo, lon_hi, lat_hi : ndarray
        Each piece's ends, degrees.
    event : ndarray of int
        The event of each piece, in ``0 .. n_events - 1``.
    n_events : int

    Returns
    -------
    closest_m : ndarray
        Geodesic distance, metres.
    piece : ndarray of int64
        The piece holding the closest point.
    frac : ndarray
        Where along it, 0 to 1.
    lon, lat : ndarray
        The closest point, degrees.

    Examples
    --------
    A path along a meridian 0.0175 degrees west of a box: closest at its
    northern end, where a degree of longitude is shortest:

    >>> import shapely
    >>> from airspace import make_airspace
    >>> from detect.volumes import prepare_airspace
    >>> part = prepare_airspace(make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1)), approach_m=2000.0).parts[1]
    >>> lon = 24.0 - 0.0175
    >>> found = closest_points(part, np.array([lon]), np.array([59.02]), np.array([lon]), np.array([59.08]),
    ...                        np.array([0]), 1)
    >>> round(float(found[0][0])), round(float(found[4][0]), 6)
    (1003, 59.08)
    """
    best = np.full(n_events, np.inf)
    piece_of, frac_of = np.zeros(n_events, np.int64), np.zeros(n_events)
    lon_of, lat_of = np.full(n_events, np.nan), np.full(n_events, np.nan)
    volume = part.approach_of
    view_of = volume.depth_view_of(lon_lo, lat_lo)
    for v in np.unique(view_of):
        view, target = volume.depth_views[v].prepare(), part.closest_target(int(v))
        frame = view.frame
        seen = np.flatnonzero(view_of == v)
        xa, ya = frame.to_xy_m(lon_lo[seen], lat_lo[seen])
        xb, yb = frame.to_xy_m(lon_hi[seen], lat_hi[seen])
        kept = _may_be_closest(view, target, event[seen], n_events, xa, ya, xb, yb)
        seen, xa, ya, xb, yb = seen[kept], xa[kept], ya[kept], xb[kept], yb[kept]
        lines = shapely.linestrings(np.stack([np.column_stack([xa, ya]), np.column_stack([xb, yb])], axis=1))
        pairs, nearest_m = target.tree.query_nearest(lines, return_distance=True, all_matches=False)
        chunk, frame_m = np.empty(len(seen), np.int64), np.empty(len(seen))
        chunk[pairs[0]], frame_m[pairs[0]] = pairs[1], nearest_m
        inside = _inside(view, target, lines, frame_m, xa, ya)
        wholly_inside = inside & (frame_m > 0.0)  # closest at its first end; the others meet the boundary
        frame_m[inside] = 0.0
        least = np.full(n_events, np.inf)
        np.minimum.at(least, event[seen], frame_m)
        measured = np.flatnonzero(frame_m <= least[event[seen]] * (1.0 + CANDIDATE_SHARE) + CANDIDATE_M)
        is_in, at_start = inside[measured], wholly_inside[measured]
        ends = np.empty((len(measured), 2, 2))
        short = shapely.shortest_line(lines[measured[~at_start]], target.chunks[chunk[measured[~at_start]]])
        ends[~at_start] = shapely.get_coordinates(short).reshape(-1, 2, 2)
        first = np.column_stack([xa[measured[at_start]], ya[measured[at_start]]])
        ends[at_start] = np.stack([first, first], axis=1)
        p_lon, p_lat = frame.to_lonlat_deg(ends[:, 0, 0], ends[:, 0, 1])
        q_lon, q_lat = frame.to_lonlat_deg(ends[:, 1, 0], ends[:, 1, 1])
        geodesic_m = np.where(is_in, 0.0, GEOD.inv(p_lon, p_lat, q_lon, q_lat)[2])
        k = measured
        dx, dy = xb[k] - xa[k], yb[k] - ya[k]
        length2 = dx * dx + dy * dy
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(length2 > 0, ((ends[:, 0, 0] - xa[k]) * dx + (ends[:, 0, 1] - ya[k]) * dy) / length2, 0.0)
        frac = np.clip(frac, 0.0, 1.0)
        # The least per event: earliest piece first among equals.
        order = np.lexsort((seen[k], geodesic_m, event[seen[k]]))
        ev = event[seen[k]][order]
        firsts = order[np.concatenate([[True], ev[1:] != ev[:-1]])] if len(order) else order
        chosen_event = event[seen[k[firsts]]]
        better = geodesic_m[firsts] < best[chosen_event]
        chosen, rows = chosen_event[better], firsts[better]
        best[chosen], piece_of[chosen], frac_of[chosen] = geodesic_m[rows], seen[k[rows]], frac[rows]
        lon_of[chosen], lat_of[chosen] = p_lon[rows], p_lat[rows]
    return best, piece_of, frac_of, lon_of, lat_of


def _inside(view, target, lines, frame_m, xa, ya) -> np.ndarray:
    """Which pieces meet the target's polygon, given their distances `frame_m` to its boundary.

    A piece that meets the boundary does; one that does not lies wholly
    inside or outside, as its first end does. An end farther from the
    boundary than the view's polygon strays from the target's
    (:attr:`ClosestTarget.stray_m`) is inside both or neither, and the
    view's grid tells which; the few nearer are tested on the target's
    polygon itself.
    """
    inside = frame_m == 0.0
    far = np.flatnonzero(frame_m > target.stray_m)
    inside[far] = view.covers_xy(xa[far], ya[far])
    near = np.flatnonzero((frame_m > 0.0) & (frame_m <= target.stray_m))
    inside[near] = target.shared.intersects(lines[near])
    return inside


def _may_be_closest(view, target, event, n_events, xa, ya, xb, yb) -> np.ndarray:
    """Which pieces may hold their event's closest point, bounded by their ends' distances to the boundary.

    A piece ``a`` -> ``b`` of length ``L`` comes no nearer than
    ``(d_a + d_b - L) / 2`` and at least as near as ``min(d_a, d_b)`` (0 at
    an end laterally inside); the grid's polygon strays from the target's by
    :attr:`ClosestTarget.stray_m`, allowed for on both sides.
    """
    d_a, _ = nearest_edges(view.grid, xa, ya)
    d_b, _ = nearest_edges(view.grid, xb, yb)
    d_a[view.covers_xy(xa, ya)] = 0.0
    d_b[view.covers_xy(xb, yb)] = 0.0
    lower = (d_a + d_b - np.hypot(xb - xa, yb - ya)) / 2 - target.stray_m
    upper = np.minimum(d_a, d_b) + target.stray_m
    least = np.full(n_events, np.inf)
    np.minimum.at(least, event, upper)
    return lower <= least[event] * (1.0 + CANDIDATE_SHARE) + CANDIDATE_M
