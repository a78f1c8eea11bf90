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

import numpy as np

from detect.nearest import nearest_edges

DEPTH_TOLERANCE_M = 0.05
MAX_SPLIT_LEVELS = 200


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

    # Exact values at the ends of surviving pieces.
    piece = alive
    fa = np.zeros(len(piece))
    fb = np.ones(len(piece))
    # Consecutive pieces share ends: query each distinct point once.
    ends = np.concatenate([np.column_stack([xa[piece], ya[piece]]), np.column_stack([xb[piece], yb[piece]])])
    distinct, back = np.unique(ends, axis=0, return_inverse=True)
    d_distinct, e_distinct = nearest_edges(grid, distinct[:, 0], distinct[:, 1])
    back = back.ravel()
    da, db = d_distinct[back[: len(piece)]], d_distinct[back[len(piece):]]
    ea, eb = e_distinct[back[: len(piece)]], e_distinct[back[len(piece):]]
    best = np.full(n_events, -np.inf)
    found_piece = np.zeros(n_events, np.int64)
    found_frac = np.zeros(n_events)
    found_edge = np.zeros(n_events, np.int64)

    def record(ev, value, pc, frac, edge):
        order = np.lexsort((-value, ev))
        ev, value, pc, frac, edge = ev[order], value[order], pc[order], frac[order], edge[order]
        first = np.ones(len(ev), bool)
        first[1:] = ev[1:] != ev[:-1]
        ev, value, pc, frac, edge = ev[first], value[first], pc[first], frac[first], edge[first]
        better = value > best[ev]
        ev = ev[better]
        best[ev] = value[better]
        found_piece[ev], found_frac[ev], found_edge[ev] = pc[better], frac[better], edge[better]

    ev = event[piece]
    record(np.concatenate([ev, ev]), np.concatenate([da, db]), np.concatenate([piece, piece]),
           np.concatenate([fa, fb]), np.concatenate([ea, eb]))

    dx, dy = xb - xa, yb - ya
    for _ in range(MAX_SPLIT_LEVELS):
        if not len(piece):
            break
        pxa, pya = xa[piece] + fa * dx[piece], ya[piece] + fa * dy[piece]
        pxb, pyb = xa[piece] + fb * dx[piece], ya[piece] + fb * dy[piece]
        span = (fb - fa) * length[piece]
        bound = np.minimum.reduce([
            (da + db + span) / 2,
            np.maximum(da, distance_to_edges_m(pxb, pyb, grid.edges_m[ea])),
            np.maximum(db, distance_to_edges_m(pxa, pya, grid.edges_m[eb])),
        ])
        keep = bound > best[event[piece]] + tolerance_m
        piece, fa, fb, da, db, ea, eb = (v[keep] for v in (piece, fa, fb, da, db, ea, eb))
        if not len(piece):
            break
        fm = _split_fraction(xa[piece], ya[piece], dx[piece], dy[piece], fa, fb,
                             grid.edges_m[ea], grid.edges_m[eb])
        dm, em = nearest_edges(grid, xa[piece] + fm * dx[piece], ya[piece] + fm * dy[piece])
        record(event[piece], dm, piece, fm, em)
        piece = np.concatenate([piece, piece])
        fa, fb = np.concatenate([fa, fm]), np.concatenate([fm, fb])
        da, db = np.concatenate([da, dm]), np.concatenate([dm, db])
        ea, eb = np.concatenate([ea, em]), np.concatenate([em, eb])
    return best, found_piece, found_frac, found_edge


def _split_fraction(x0, y0, dx, dy, fa, fb, edge_a, edge_b, n_halvings=30):
    """Where to split pieces: where their ends' nearest edges are equally far.

    Along a piece, the distance to the boundary is at most the distance to the
    edge nearest its start (``edge_a``) and to the edge nearest its end
    (``edge_b``); the lower envelope of those two peaks where they are equal,
    so splitting there settles most pieces at the next bound. The crossing
    is found by halving (``d_a - d_b`` goes from <= 0 to >= 0) and kept within
    the middle half of the piece, so that every split at least quarters off.
    """
    lo, hi = fa.copy(), fb.copy()
    for _ in range(n_halvings):
        mid = 0.5 * (lo + hi)
        px, py = x0 + mid * dx, y0 + mid * dy
        past = distance_to_edges_m(px, py, edge_a) >= distance_to_edges_m(px, py, edge_b)
        hi = np.where(past, mid, hi)
        lo = np.where(past, lo, mid)
    span = fb - fa
    return np.clip(0.5 * (lo + hi), fa + 0.25 * span, fb - 0.25 * span)
