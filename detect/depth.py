"""Depth: the greatest distance inside the lateral boundary over an event's path.

The distance to the boundary along a straight piece of path is the lower
envelope of distances to edges, so its maximum can lie between fixes. It is
found by branch and bound, in compiled loops over the pieces of all events:

* bounds from the grid alone give every piece an upper bound and every event
  a lower bound; each event's piece of greatest upper bound is taken first,
  then the others, and one that cannot beat its event's best value by more
  than the tolerance is dropped without being measured;
* a piece that can is measured exactly at its ends (nearest edge through the
  grid, :mod:`detect.nearest`) and bounded above twice: by the 1-Lipschitz
  bound ``(d(P) + d(Q) + |PQ|) / 2``, and, because the distance to any one
  edge is convex along a line, by ``max(dist(P, e), dist(Q, e))`` for the
  nearest edges e of P and of Q;
* while its bound beats the best by more than the tolerance, it is split
  where the edges nearest its two ends are equally far (the peak of their
  lower envelope), measured there, and both halves are bounded again.

The result is within the tolerance of the exact maximum in the frame: the
greater of ``tolerance_m`` and ``tolerance_rel`` times the depth;
:mod:`detect.geodesic` then measures it on the WGS84 ellipsoid.
"""

from __future__ import annotations

import math

import numpy as np

from detect.grid import BOUNDARY, MARGIN_CELLS, cell_index
from detect.jit import njit
from detect.nearest import distance_to_edge_m, nearest_edge

DEPTH_TOLERANCE_M = 0.05
#: And this share of the depth: a tenth of what the reported depth may be off (detect.geodesic.TOLERANCE_REL).
DEPTH_TOLERANCE_REL = 1e-4
MAX_SPLIT_LEVELS = 200
#: Halvings that place a split where two edges are equally far (to 1e-6 of the piece: the
#: bounds of the halves then settle as often as with more, at fewer distance evaluations).
SPLIT_HALVINGS = 20


def deepest_points(grid, event, xa, ya, xb, yb, n_events, tolerance_m=DEPTH_TOLERANCE_M,
                   tolerance_rel=DEPTH_TOLERANCE_REL):
    """Deepest point of each event over its straight pieces.

    Parameters
    ----------
    grid : BoundaryGrid
    event : ndarray of int
        Event index of each piece.
    xa, ya, xb, yb : ndarray
        Piece ends in frame metres.
    n_events : int
    tolerance_m, tolerance_rel : float
        How far below the exact maximum the result may be: the greater of
        these metres and this share of the depth.

    Returns
    -------
    depth_m : ndarray
        Greatest distance to the boundary in the frame, per event.
    piece, frac : ndarray
        The piece holding the deepest point and the point's fraction along it.
    edge : ndarray
        Nearest edge of the deepest point.

    Examples
    --------
    Two events in a square 1 km a side: one crossing it, one a short piece near a corner:

    >>> import shapely
    >>> from detect.grid import build_grid
    >>> grid = build_grid(shapely.box(0.0, 0.0, 1000.0, 1000.0))
    >>> xa, xb, y = np.array([100.0, 100.0]), np.array([900.0, 200.0]), np.array([500.0, 100.0])
    >>> depth, piece, frac, edge = deepest_points(grid, np.array([0, 1]), xa, y, xb, y, n_events=2)
    >>> depth.round(1).tolist(), piece.tolist(), frac.round(3).tolist()  # within 5 cm of 500 m and 100 m
    ([500.0, 100.0], [0, 1], [0.5, 0.0])
    >>> grid.edges_m[edge[0]].tolist()  # the western side (the eastern is as near)
    [0.0, 1000.0, 0.0, 0.0]
    """
    best = np.full(n_events, -np.inf)
    found_piece = np.zeros(n_events, np.int64)
    found_frac = np.zeros(n_events)
    found_edge = np.zeros(n_events, np.int64)
    upper = np.empty(len(xa))
    best_lower = np.full(n_events, -np.inf)
    _grid_upper_bounds(event, xa, ya, xb, yb, grid, upper, best_lower)
    order = np.empty(len(xa), np.int64)
    _processing_order(event, upper, n_events, order)
    _branch_and_bound(order, upper, best_lower, event, xa, ya, xb, yb, grid, float(tolerance_m), float(tolerance_rel),
                      best, found_piece, found_frac, found_edge)
    return best, found_piece, found_frac, found_edge


@njit(cache=True, nogil=True)
def _grid_upper_bounds(event, xa, ya, xb, yb, grid, upper, best_lower):
    """Write each piece's upper bound of depth, and raise each event's lower bound, from the grid alone."""
    edges = grid.edges_m
    for p in range(len(xa)):
        lower_a, upper_a, edge_a = _grid_bounds(xa[p], ya[p], grid)
        lower_b, upper_b, edge_b = _grid_bounds(xb[p], yb[p], grid)
        best_lower[event[p]] = max(best_lower[event[p]], lower_a, lower_b)
        length = math.hypot(xb[p] - xa[p], yb[p] - ya[p])
        upper[p] = min(
            (upper_a + upper_b + length) / 2,
            min(upper_a, upper_b) + length,
            max(distance_to_edge_m(xa[p], ya[p], edges, edge_a), distance_to_edge_m(xb[p], yb[p], edges, edge_a)),
            max(distance_to_edge_m(xa[p], ya[p], edges, edge_b), distance_to_edge_m(xb[p], yb[p], edges, edge_b)),
        )


@njit(cache=True, nogil=True)
def _processing_order(event, upper, n_events, order):
    """Write the order to refine pieces in: each event's piece of greatest upper bound, then the rest.

    The most promising piece of an event, measured first, gives it a best
    value that most of its other pieces cannot beat. The order, and so the
    deepest point chosen among equally deep ones, depends only on the event's
    own pieces.
    """
    top = np.full(n_events, -1, np.int64)
    for p in range(len(event)):
        if top[event[p]] < 0 or upper[p] > upper[top[event[p]]]:
            top[event[p]] = p
    m = 0
    for ev in range(n_events):
        order[m] = top[ev]
        m += 1
    for p in range(len(event)):
        if top[event[p]] != p:
            order[m] = p
            m += 1


@njit(cache=True, nogil=True)
def _branch_and_bound(order, upper, best_lower, event, xa, ya, xb, yb, grid, tolerance_m, tolerance_rel,
                      best, found_piece, found_frac, found_edge):
    """Write each event's deepest point: best value, piece, fraction and nearest edge.

    Pieces are taken in ``order`` (:func:`_processing_order`); one that
    cannot beat its event's best value (exact, or the grid's lower
    bound ``best_lower``) by more than the tolerance is dropped unmeasured.
    Otherwise its ends are measured exactly and it is refined depth first:
    split where its ends' nearest edges are equally far, measure there, and
    keep the halves whose bound still beats the best.
    """
    edges = grid.edges_m
    # Depth first, a stack of sub-pieces: fraction, distance and nearest edge at both ends.
    frac = np.empty((MAX_SPLIT_LEVELS + 2, 2))
    dist = np.empty((MAX_SPLIT_LEVELS + 2, 2))
    near = np.empty((MAX_SPLIT_LEVELS + 2, 2), np.int64)
    level = np.empty(MAX_SPLIT_LEVELS + 2, np.int64)
    # The ends measured so far: consecutive pieces of an event mostly share a fix, measured once.
    end_dist = np.full((len(xa), 2), np.nan)
    end_edge = np.empty((len(xa), 2), np.int64)
    for p in order:
        ev = event[p]
        if upper[p] < best_lower[ev] or upper[p] <= best[ev] + max(tolerance_m, tolerance_rel * best[ev]):
            continue
        da, ea = _measured_end(p, 0, xa, ya, xb, yb, event, end_dist, end_edge, grid)
        db, eb = _measured_end(p, 1, xa, ya, xb, yb, event, end_dist, end_edge, grid)
        _record(ev, da, p, 0.0, ea, best, found_piece, found_frac, found_edge)
        _record(ev, db, p, 1.0, eb, best, found_piece, found_frac, found_edge)
        dx, dy = xb[p] - xa[p], yb[p] - ya[p]
        frac[0, 0], frac[0, 1] = 0.0, 1.0
        dist[0, 0], dist[0, 1] = da, db
        near[0, 0], near[0, 1] = ea, eb
        level[0] = 0
        top = 1
        while top > 0:
            top -= 1
            fa, fb = frac[top, 0], frac[top, 1]
            da, db = dist[top, 0], dist[top, 1]
            ea, eb = near[top, 0], near[top, 1]
            bound = _upper_bound(p, fa, fb, da, db, ea, eb, xa, ya, xb, yb, edges)
            if bound <= best[ev] + max(tolerance_m, tolerance_rel * best[ev]) or level[top] >= MAX_SPLIT_LEVELS:
                continue
            fm = _split_fraction(xa[p], ya[p], dx, dy, fa, fb, edges, ea, eb)
            dm, em = nearest_edge(xa[p] + fm * dx, ya[p] + fm * dy, grid)
            _record(ev, dm, p, fm, em, best, found_piece, found_frac, found_edge)
            next_level = level[top] + 1
            for fa_, fb_, da_, db_, ea_, eb_ in ((fa, fm, da, dm, ea, em), (fm, fb, dm, db, em, eb)):
                frac[top, 0], frac[top, 1] = fa_, fb_
                dist[top, 0], dist[top, 1] = da_, db_
                near[top, 0], near[top, 1] = ea_, eb_
                level[top] = next_level
                top += 1


def grid_bounds_at(grid, x_m, y_m) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The grid's state at points, and bounds of their distance to the boundary, from the grid alone.

    Returns
    -------
    side : ndarray of int8
        OUTSIDE, INSIDE or BOUNDARY: the state of the grid cell each point
        lies in (BOUNDARY for a point that is not finite).
    lower_m, upper_m : ndarray
        Bounds of the distance from each point to the boundary (0 and
        infinity for a point that is not finite).

    Examples
    --------
    >>> import shapely
    >>> from detect.grid import build_grid
    >>> grid = build_grid(shapely.box(0, 0, 1000, 1000))
    >>> side, lower, upper = grid_bounds_at(grid, np.array([500.0]), np.array([500.0]))
    >>> int(side[0]), bool(lower[0] <= 500.0 <= upper[0])
    (1, True)
    """
    x_m, y_m = np.ascontiguousarray(x_m, np.float64), np.ascontiguousarray(y_m, np.float64)
    side, lower, upper = np.empty(len(x_m), np.int8), np.empty(len(x_m)), np.empty(len(x_m))
    _grid_bounds_many(x_m, y_m, grid, side, lower, upper)
    return side, lower, upper


@njit(cache=True, nogil=True)
def _grid_bounds_many(x_m, y_m, grid, side, lower, upper):
    ny, nx = grid.state.shape
    for i in range(len(x_m)):
        if not (math.isfinite(x_m[i]) and math.isfinite(y_m[i])):
            side[i], lower[i], upper[i] = BOUNDARY, 0.0, math.inf
            continue
        lower[i], upper[i], _ = _grid_bounds(x_m[i], y_m[i], grid)
        col, row = cell_index(x_m[i], y_m[i], grid.x0_m, grid.y0_m, grid.cell_m, nx, ny)
        side[i] = grid.state[row, col]
        # The polygon lies within the grid less its outermost rings of cells.
        margin = MARGIN_CELLS * grid.cell_m
        away_x = max(grid.x0_m + margin - x_m[i], x_m[i] - (grid.x0_m + nx * grid.cell_m - margin), 0.0)
        away_y = max(grid.y0_m + margin - y_m[i], y_m[i] - (grid.y0_m + ny * grid.cell_m - margin), 0.0)
        lower[i] = max(lower[i], math.hypot(away_x, away_y))


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def _measured_end(p, side, xa, ya, xb, yb, event, end_dist, end_edge, grid):
    """Distance to the boundary and nearest edge at the start (side 0) or end (side 1) of piece ``p``.

    Taken from the neighbouring piece of the same event when that one has
    the same point as an end and has measured it; else measured, and kept.
    """
    x, y = (xa[p], ya[p]) if side == 0 else (xb[p], yb[p])
    q = p - 1 if side == 0 else p + 1
    if 0 <= q < len(xa) and event[q] == event[p]:
        qx, qy = (xb[q], yb[q]) if side == 0 else (xa[q], ya[q])
        if qx == x and qy == y and not math.isnan(end_dist[q, 1 - side]):
            end_dist[p, side], end_edge[p, side] = end_dist[q, 1 - side], end_edge[q, 1 - side]
            return end_dist[p, side], end_edge[p, side]
    d, e = nearest_edge(x, y, grid)
    end_dist[p, side], end_edge[p, side] = d, e
    return d, e


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def _grid_bounds(x, y, grid):
    """Bounds of the distance from (x, y) to the boundary, from the grid alone, and an edge near it.

    The nearest boundary point lies in some boundary cell, within half a cell
    diagonal of that cell's centre, and every boundary cell holds a boundary
    point; so for a point in cell c at distance r from c's centre the
    distance lies within clearance(c) -/+ (r + half diagonal). The edge is
    one of c's nearest boundary cell (:attr:`BoundaryGrid.near_edge`).
    """
    x0, y0, cell, clearance, near_edge = grid.x0_m, grid.y0_m, grid.cell_m, grid.clearance_m, grid.near_edge
    ny, nx = clearance.shape
    col, row = cell_index(x, y, x0, y0, cell, nx, ny)
    slack = math.hypot(x - (x0 + (col + 0.5) * cell), y - (y0 + (row + 0.5) * cell)) + cell * math.sqrt(0.5)
    return max(clearance[row, col] - slack, 0.0), clearance[row, col] + slack, near_edge[row, col]


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
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


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def _record(ev, value, piece, frac, edge, best, found_piece, found_frac, found_edge):
    """Keep (piece, frac, edge) as event ``ev``'s deepest point if ``value`` beats its best."""
    if value > best[ev]:
        best[ev] = value
        found_piece[ev], found_frac[ev], found_edge[ev] = piece, frac, edge


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
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
