"""Depth: the greatest distance inside the lateral boundary over an event's path.

The distance to the boundary along a straight piece of path is the lower
envelope of distances to edges, so its maximum can lie between fixes. It is
found by branch and bound over all pieces of all events at once:

* cheap bounds from the grid (:meth:`BoundaryGrid.depth_bounds_m`) drop the
  pieces that cannot hold an event's maximum;
* the others are evaluated exactly at their ends (nearest edge through the
  grid, :mod:`detect.nearest`) and bounded above twice: by the 1-Lipschitz bound
  ``(d(P) + d(Q) + |PQ|) / 2``, and, because the distance to any one edge is
  convex along a line, by ``max(dist(P, e), dist(Q, e))`` for the nearest
  edges e of P and of Q;
* pieces whose bound exceeds the event's best value by more than the
  tolerance are halved, and so on until none is left.

The result is within ``tolerance_m`` of the exact maximum in the frame. The
depth reported is then measured geodesically on the WGS84 ellipsoid between
the deepest point and its nearest boundary point.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from detect.nearest import distance_to_edge_m, nearest_edge, search_arrays

DEPTH_TOLERANCE_M = 0.05
MAX_SPLIT_LEVELS = 200
#: Halvings that place a split where two edges are equally far.
SPLIT_HALVINGS = 30


def distance_to_edges_m(x_m, y_m, edges_m) -> np.ndarray:
    """Distance from points to segments (broadcasting; edges' last axis x1, y1, x2, y2)."""
    x1, y1, x2, y2 = (edges_m[..., i] for i in range(4))
    ex, ey = x2 - x1, y2 - y1
    length2 = ex * ex + ey * ey
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.clip(((x_m - x1) * ex + (y_m - y1) * ey) / length2, 0.0, 1.0)
    u = np.where(length2 > 0, u, 0.0)
    return np.hypot(x_m - (x1 + u * ex), y_m - (y1 + u * ey))


def closest_point_on_edges_m(x_m, y_m, edges_m) -> tuple[np.ndarray, np.ndarray]:
    """The point of each edge nearest to each point."""
    x1, y1, x2, y2 = edges_m.T
    ex, ey = x2 - x1, y2 - y1
    length2 = ex * ex + ey * ey
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.clip(((x_m - x1) * ex + (y_m - y1) * ey) / length2, 0.0, 1.0)
    u = np.where(length2 > 0, u, 0.0)
    return x1 + u * ex, y1 + u * ey


def deepest_points(grid, event, xa, ya, xb, yb, n_events, tolerance_m=DEPTH_TOLERANCE_M):
    """Deepest point of each event over its straight pieces.

    Parameters
    ----------
    grid : BoundaryGrid
    event : ndarray of int
        Event index of each piece.
    xa, ya, xb, yb : ndarray
        Piece ends in frame metres.
    n_events : int

    Returns
    -------
    depth_m : ndarray
        Greatest distance to the boundary in the frame, per event.
    piece, frac : ndarray
        The piece holding the deepest point and the point's fraction along it.
    edge : ndarray
        Nearest edge of the deepest point.
    """
    length = np.hypot(xb - xa, yb - ya)
    lb_a, ub_a = grid.depth_bounds_m(xa, ya)
    lb_b, ub_b = grid.depth_bounds_m(xb, yb)
    best_lb = np.full(n_events, -np.inf)
    np.maximum.at(best_lb, event, np.maximum(lb_a, lb_b))
    del lb_a, lb_b
    upper = np.minimum((ub_a + ub_b + length) / 2, np.minimum(ub_a, ub_b) + length)
    del ub_a, ub_b
    for edge in (grid.near_edge_of(xa, ya), grid.near_edge_of(xb, yb)):
        edge_m = grid.edges_m[edge]
        np.minimum(upper, np.maximum(distance_to_edges_m(xa, ya, edge_m), distance_to_edges_m(xb, yb, edge_m)),
                   out=upper)
        del edge_m
    alive = np.flatnonzero(upper >= best_lb[event])
    del upper, best_lb

    best = np.full(n_events, -np.inf)
    found_piece = np.zeros(n_events, np.int64)
    found_frac = np.zeros(n_events)
    found_edge = np.zeros(n_events, np.int64)
    _refine(alive, event, xa, ya, xb, yb, search_arrays(grid), float(tolerance_m),
            best, found_piece, found_frac, found_edge)
    return best, found_piece, found_frac, found_edge


@numba.njit(cache=True, nogil=True)
def _refine(alive, event, xa, ya, xb, yb, arrays, tolerance_m, best, found_piece, found_frac, found_edge):
    """Branch and bound over the pieces ``alive``, writing each event's best point.

    First the exact distance at both ends of every piece (a piece often
    starts where the one before ended), which gives each event a good value
    early; then each piece depth first, the most promising first: split where its ends' nearest edges
    are equally far, measure there, and keep the halves whose upper bound
    beats the event's value by more than the tolerance.
    """
    edges = arrays[7]
    n = len(alive)
    end_distance = np.empty((n, 2))
    end_edge = np.empty((n, 2), np.int64)
    upper = np.empty(n)
    for k in range(n):
        p = alive[k]
        q = alive[k - 1]
        if k > 0 and xa[p] == xb[q] and ya[p] == yb[q]:
            end_distance[k, 0], end_edge[k, 0] = end_distance[k - 1, 1], end_edge[k - 1, 1]
        else:
            end_distance[k, 0], end_edge[k, 0] = nearest_edge(xa[p], ya[p], arrays)
        end_distance[k, 1], end_edge[k, 1] = nearest_edge(xb[p], yb[p], arrays)
        for side in range(2):
            _record(event[p], end_distance[k, side], p, float(side), end_edge[k, side],
                    best, found_piece, found_frac, found_edge)
        upper[k] = _upper_bound(p, 0.0, 1.0, end_distance[k, 0], end_distance[k, 1],
                                end_edge[k, 0], end_edge[k, 1], xa, ya, xb, yb, edges)

    # Depth first, a stack of sub-pieces: fraction, distance and nearest edge at both ends.
    frac = np.empty((MAX_SPLIT_LEVELS + 2, 2))
    dist = np.empty((MAX_SPLIT_LEVELS + 2, 2))
    near = np.empty((MAX_SPLIT_LEVELS + 2, 2), np.int64)
    level = np.empty(MAX_SPLIT_LEVELS + 2, np.int64)
    for k in np.argsort(-upper):
        p = alive[k]
        ev = event[p]
        dx, dy = xb[p] - xa[p], yb[p] - ya[p]
        frac[0, 0], frac[0, 1] = 0.0, 1.0
        dist[0, 0], dist[0, 1] = end_distance[k, 0], end_distance[k, 1]
        near[0, 0], near[0, 1] = end_edge[k, 0], end_edge[k, 1]
        level[0] = 0
        top = 1
        while top > 0:
            top -= 1
            fa, fb = frac[top, 0], frac[top, 1]
            da, db = dist[top, 0], dist[top, 1]
            ea, eb = near[top, 0], near[top, 1]
            bound = _upper_bound(p, fa, fb, da, db, ea, eb, xa, ya, xb, yb, edges)
            if bound <= best[ev] + tolerance_m or level[top] >= MAX_SPLIT_LEVELS:
                continue
            fm = _split_fraction(xa[p], ya[p], dx, dy, fa, fb, edges, ea, eb)
            dm, em = nearest_edge(xa[p] + fm * dx, ya[p] + fm * dy, arrays)
            _record(ev, dm, p, fm, em, best, found_piece, found_frac, found_edge)
            next_level = level[top] + 1
            for fa_, fb_, da_, db_, ea_, eb_ in ((fa, fm, da, dm, ea, em), (fm, fb, dm, db, em, eb)):
                frac[top, 0], frac[top, 1] = fa_, fb_
                dist[top, 0], dist[top, 1] = da_, db_
                near[top, 0], near[top, 1] = ea_, eb_
                level[top] = next_level
                top += 1


@numba.njit(cache=True, nogil=True)
def _upper_bound(p, fa, fb, da, db, ea, eb, xa, ya, xb, yb, edges):
    """Upper bound of the depth over fractions ``fa``..``fb`` of piece ``p``.

    ``da``, ``db`` are the exact distances at the ends and ``ea``, ``eb`` their
    nearest edges: the distance is 1-Lipschitz, and at most the distance to
    either edge, which is convex along the piece.
    """
    dx, dy = xb[p] - xa[p], yb[p] - ya[p]
    return min(
        (da + db + (fb - fa) * math.hypot(dx, dy)) / 2,
        max(da, distance_to_edge_m(xa[p] + fb * dx, ya[p] + fb * dy, edges, ea)),
        max(db, distance_to_edge_m(xa[p] + fa * dx, ya[p] + fa * dy, edges, eb)),
    )


@numba.njit(cache=True, nogil=True)
def _record(ev, value, piece, frac, edge, best, found_piece, found_frac, found_edge):
    """Keep (piece, frac, edge) as event ``ev``'s deepest point if ``value`` beats its best."""
    if value > best[ev]:
        best[ev] = value
        found_piece[ev], found_frac[ev], found_edge[ev] = piece, frac, edge


@numba.njit(cache=True, nogil=True)
def _split_fraction(x0, y0, dx, dy, fa, fb, edges, edge_a, edge_b):
    """Where to split a piece: where its ends' nearest edges are equally far.

    Along a piece, the distance to the boundary is at most the distance to the
    edge nearest its start (``edge_a``) and to the edge nearest its end
    (``edge_b``); the lower envelope of those two peaks where they are equal,
    so splitting there settles most pieces at the next bound. The crossing
    is found by halving (``d_a - d_b`` goes from <= 0 to >= 0) and kept within
    the middle half of the piece, so that every split at least quarters off.
    """
    lo, hi = fa, fb
    for _ in range(SPLIT_HALVINGS):
        mid = 0.5 * (lo + hi)
        px, py = x0 + mid * dx, y0 + mid * dy
        if distance_to_edge_m(px, py, edges, edge_a) >= distance_to_edge_m(px, py, edges, edge_b):
            hi = mid
        else:
            lo = mid
    span = fb - fa
    return min(max(0.5 * (lo + hi), fa + 0.25 * span), fb - 0.25 * span)
