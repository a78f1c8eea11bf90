"""Exact lateral inside intervals of straight segments against one polygon.

For every segment P -> Q (frame metres) the set of parameters t in [0, 1]
where P + t (Q - P) lies inside the polygon or on its boundary is a union of
closed intervals. Segments that the grid settles are wholly inside or outside.
The others are cut at every parameter where they meet a nearby edge; each
piece between two cuts is then classified by its midpoint, and each cut by
its own point. Classifying pieces by midpoints makes touching a vertex,
running along an edge and crossing through a vertex come out right without
special cases.

Settling and cutting walk each segment's cells and their edges in compiled
loops (numba); classifying the pieces is one vectorised shapely call, made
through the volume (:meth:`detect.volumes.Part.covers_xy`), which lets one
thread at a time use its prepared polygon.
"""

from __future__ import annotations

import numpy as np

from detect.grid import BOUNDARY, INSIDE, BoundaryGrid, cell_index
from detect.jit import njit

#: Relative slack when accepting an intersection near an edge's end: a crossing
#: through a vertex must not slip between its two edges. A spurious cut is
#: harmless, because cuts only split pieces that are then classified.
PARAM_SLACK = 1e-9
#: An edge is cut against a segment only where their boxes, each widened by this share of its
#: own span (and the segment's by a micrometre and its coordinates' rounding), meet. A cut
#: needs the computed crossing within PARAM_SLACK of both; rounding moves it, for the least
#: angle between them that is not taken as parallel (1e-12 rad), by at most about 5e-4 of
#: their spans: boxes farther apart than this never give one.
BOX_SLACK_SHARE = 1e-2


def lateral_intervals(grid: BoundaryGrid, covers_xy, x_m, y_m, a, b):
    """Closed inside intervals of segments from point ``a`` to point ``b``.

    Parameters
    ----------
    grid : BoundaryGrid
        Grid of the airspace polygon.
    covers_xy : callable
        ``covers_xy(x_m, y_m)``: whether points lie inside the polygon or on
        its boundary (:meth:`detect.volumes.Part.covers_xy`).
    x_m, y_m : ndarray
        Points in frame metres.
    a, b : ndarray of int
        Indices of each segment's ends in `x_m`, `y_m`; ``a == b`` makes a
        zero-length segment, a single point.

    Returns
    -------
    segment : ndarray of int64
        Index of the segment each interval belongs to, ascending.
    t_lo, t_hi : ndarray of float64
        Interval ends as fractions of the segment, ``t_lo <= t_hi``, sorted
        by ``t_lo`` within a segment.

    Examples
    --------
    Across a square 1 km a side, from its corner outwards, and a single point inside:

    >>> import shapely
    >>> from detect.grid import build_grid
    >>> square = shapely.box(0.0, 0.0, 1000.0, 1000.0)
    >>> x, y = np.array([-500.0, 1500.0, 1000.0, 2000.0, 400.0]), np.array([500.0, 500.0, 1000.0, 2000.0, 400.0])
    >>> segment, t_lo, t_hi = lateral_intervals(build_grid(square), lambda x_m, y_m: shapely.intersects_xy(
    ...     square, x_m, y_m), x, y, np.array([0, 2, 4]), np.array([1, 3, 4]))
    >>> segment.tolist(), t_lo.tolist(), t_hi.tolist()  # the corner touched is an interval of its own
    ([0, 1, 2], [0.25, 0.0, 0.0], [0.75, 0.0, 1.0])
    """
    x_m, y_m = np.ascontiguousarray(x_m, np.float64), np.ascontiguousarray(y_m, np.float64)
    # Arrays are made here, not in compiled code, so that tracemalloc sees them.
    state = np.empty(len(a), np.int8)
    cut_ptr = np.zeros(len(a) + 1, np.int64)
    cut_t = np.empty(_settle(x_m, y_m, a, b, grid, state))
    cut_t = cut_t[:_cut(x_m, y_m, a, b, grid, state, cut_ptr, cut_t)]
    settled_inside = np.flatnonzero(state == INSIDE)
    del state
    seg_u, lo_u, hi_u = _exact_intervals(covers_xy, x_m, y_m, a, b, cut_ptr, cut_t)
    segment = np.concatenate([settled_inside, seg_u])
    t_lo = np.concatenate([np.zeros(len(settled_inside)), lo_u])
    t_hi = np.concatenate([np.ones(len(settled_inside)), hi_u])
    order = np.argsort(segment, kind="stable")
    return segment[order], t_lo[order], t_hi[order]


def _exact_intervals(covers_xy, x_m, y_m, a, b, cut_ptr, cut_t):
    """Inside intervals of the segments that have cuts, from their cuts (CSR by segment)."""
    cut_seg = np.repeat(np.arange(len(a)), np.diff(cut_ptr))

    # Pieces between consecutive cuts of the same segment.
    has_next = np.zeros(len(cut_t), bool)
    has_next[:-1] = cut_seg[1:] == cut_seg[:-1]
    piece = np.flatnonzero(has_next)
    xa, ya = x_m[a[cut_seg]], y_m[a[cut_seg]]
    dx, dy = x_m[b[cut_seg]] - xa, y_m[b[cut_seg]] - ya
    t_mid = 0.5 * (cut_t[piece] + cut_t[piece + 1])
    piece_inside = covers_xy(xa[piece] + t_mid * dx[piece], ya[piece] + t_mid * dy[piece])

    # A cut belongs to the inside set if it ends an inside piece, or else is inside itself.
    cut_inside = np.zeros(len(cut_t), bool)
    cut_inside[piece[piece_inside]] = True
    cut_inside[piece[piece_inside] + 1] = True
    alone = np.flatnonzero(~cut_inside)
    cut_inside[alone] = covers_xy(xa[alone] + cut_t[alone] * dx[alone], ya[alone] + cut_t[alone] * dy[alone])
    del xa, ya, dx, dy
    # Walk cut, piece, cut, piece, ...: an interval is a run of inside cuts
    # joined by inside pieces. A run breaks at an outside piece or a new segment.
    joined_to_next = np.zeros(len(cut_t), bool)
    joined_to_next[piece[piece_inside]] = True
    joined_to_prev = np.concatenate([[False], joined_to_next[:-1]])
    starts = np.flatnonzero(cut_inside & ~joined_to_prev)
    ends = np.flatnonzero(cut_inside & ~joined_to_next)
    return cut_seg[starts], cut_t[starts], cut_t[ends]


@njit(cache=True, nogil=True)
def _settle(x_m, y_m, a, b, grid, state):
    """Settle segments by the grid; return how many cuts the others may have.

    Writes into ``state`` INSIDE or OUTSIDE for a segment whose box of cells
    holds no boundary cell, else BOUNDARY. A BOUNDARY segment is cut at its
    two ends, and at most twice (a collinear overlap) per edge registered in
    its box.
    """
    x0, y0, cell, cell_state, boundary_sat, edge_ptr = (
        grid.x0_m, grid.y0_m, grid.cell_m, grid.state, grid.boundary_sat, grid.edge_ptr)
    ny, nx = cell_state.shape
    capacity = 0
    for i in range(len(a)):
        col0, row0, col1, row1, col_a, row_a = _cell_box(x_m[a[i]], y_m[a[i]], x_m[b[i]], y_m[b[i]],
                                                         x0, y0, cell, nx, ny)
        in_box = (boundary_sat[row1 + 1, col1 + 1] - boundary_sat[row0, col1 + 1]
                  - boundary_sat[row1 + 1, col0] + boundary_sat[row0, col0])
        if in_box == 0:
            state[i] = cell_state[row_a, col_a]
            continue
        state[i] = BOUNDARY
        capacity += 2
        for r in range(row0, row1 + 1):
            capacity += 2 * (edge_ptr[r * nx + col1 + 1] - edge_ptr[r * nx + col0])
    return capacity


@njit(cache=True, nogil=True)
def _cut(x_m, y_m, a, b, grid, state, ptr, t_out):
    """Cut the BOUNDARY segments; return the number of cuts written.

    Writes CSR by segment (``ptr``, ``t_out``) of the sorted, distinct cut
    parameters: a segment's ends (a zero-length segment's single piece is
    its point) and wherever it meets an edge registered in its box (an edge
    whose own box lies apart from the segment's is not tried:
    :data:`BOX_SLACK_SHARE`).
    """
    x0, y0, cell, cell_state, edge_ptr, edge_ids, edges = (
        grid.x0_m, grid.y0_m, grid.cell_m, grid.state, grid.edge_ptr, grid.edge_ids, grid.edges_m)
    ny, nx = cell_state.shape
    m = 0
    for i in range(len(a)):
        if state[i] == BOUNDARY:
            first = m
            t_out[m], t_out[m + 1] = 0.0, 1.0
            m += 2
            px, py, qx, qy = x_m[a[i]], y_m[a[i]], x_m[b[i]], y_m[b[i]]
            dx, dy = qx - px, qy - py
            if dx != 0.0 or dy != 0.0:
                slack = BOX_SLACK_SHARE * (abs(dx) + abs(dy)) + 1e-9 * (abs(px) + abs(py)) + 1e-6
                box = (min(px, qx) - slack, min(py, qy) - slack, max(px, qx) + slack, max(py, qy) + slack)
                col0, row0, col1, row1, _, _ = _cell_box(px, py, qx, qy, x0, y0, cell, nx, ny)
                for r in range(row0, row1 + 1):
                    for j in range(edge_ptr[r * nx + col0], edge_ptr[r * nx + col1 + 1]):
                        if _edge_meets_box(edges, edge_ids[j], box):
                            m = _add_cuts(px, py, dx, dy, edges, edge_ids[j], t_out, m)
            m = _sort_distinct(t_out, first, m)
        ptr[i + 1] = m
    return m


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def _edge_meets_box(edges, e, box):
    """Whether edge ``e``'s box, widened by :data:`BOX_SLACK_SHARE` of its span, meets `box` (x0, y0, x1, y1)."""
    ax, ay, bx, by = edges[e, 0], edges[e, 1], edges[e, 2], edges[e, 3]
    slack = BOX_SLACK_SHARE * (abs(bx - ax) + abs(by - ay))
    return (max(ax, bx) + slack >= box[0] and min(ax, bx) - slack <= box[2]
            and max(ay, by) + slack >= box[1] and min(ay, by) - slack <= box[3])


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def _cell_box(xa, ya, xb, yb, x0, y0, cell, nx, ny):
    """The box of cells of segment A -> B (col0, row0, col1, row1), and A's cell (col, row)."""
    col_a, row_a = cell_index(xa, ya, x0, y0, cell, nx, ny)
    col_b, row_b = cell_index(xb, yb, x0, y0, cell, nx, ny)
    return min(col_a, col_b), min(row_a, row_b), max(col_a, col_b), max(row_a, row_b), col_a, row_a


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def _sort_distinct(values, first, stop):
    """Sort ``values[first:stop]`` in place, drop repeats, return the new stop.

    Insertion sort: a segment has a handful of cuts.
    """
    for k in range(first + 1, stop):
        value = values[k]
        j = k - 1
        while j >= first and values[j] > value:
            values[j + 1] = values[j]
            j -= 1
        values[j + 1] = value
    end = first
    for k in range(first, stop):
        if k == first or values[k] != values[end - 1]:
            values[end] = values[k]
            end += 1
    return end


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def _add_cuts(px, py, dx, dy, edges, e, t_out, m):
    """Write the parameters where segment P + t D meets edge ``e`` at ``t_out[m:]``; the new end.

    A crossing gives its t; a collinear overlap gives the t of the edge's
    ends that lie on the segment; all clipped to [0, 1].
    """
    ax, ay, bx, by = edges[e, 0], edges[e, 1], edges[e, 2], edges[e, 3]
    ex, ey = bx - ax, by - ay
    rx, ry = ax - px, ay - py
    denom = dx * ey - dy * ex
    lo, hi = -PARAM_SLACK, 1 + PARAM_SLACK
    dd = dx * dx + dy * dy
    # Not parallel: |D x E| > 1e-12 |D| |E|, compared squared.
    if denom * denom > 1e-24 * dd * (ex * ex + ey * ey):
        t = (rx * ey - ry * ex) / denom
        if lo <= t <= hi:
            s = (rx * dy - ry * dx) / denom
            if lo <= s <= hi:
                t_out[m] = min(max(t, 0.0), 1.0)
                m += 1
    elif (rx * dy - ry * dx) ** 2 <= 1e-24 * dd * max(rx * rx + ry * ry, 1.0):
        for end_x, end_y in ((ax, ay), (bx, by)):
            t = ((end_x - px) * dx + (end_y - py) * dy) / dd
            if lo <= t <= hi:
                t_out[m] = min(max(t, 0.0), 1.0)
                m += 1
    return m
