"""Exact lateral inside intervals of straight segments against one polygon.

For every segment P -> Q (frame metres) the set of parameters t in [0, 1]
where P + t (Q - P) lies inside the polygon or on its boundary is a union of
closed intervals. Segments that the grid settles are wholly inside or outside.
The others are cut at every parameter where they meet a nearby edge; each
piece between two cuts is then classified by its midpoint, and each cut by
its own point. Classifying pieces by midpoints makes touching a vertex,
running along an edge and crossing through a vertex come out right without
special cases.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import shapely

from detect.grid import INSIDE, BoundaryGrid

#: Relative slack when accepting an intersection near an edge's end: a crossing
#: through a vertex must not slip between its two edges. A spurious cut is
#: harmless, because cuts only split pieces that are then classified.
PARAM_SLACK = 1e-9

#: Segments handled at once: bounds the memory of the (segment, edge) pairs.
SEGMENTS_PER_CHUNK = 1 << 15


def lateral_intervals(grid: BoundaryGrid, polygon, x_m, y_m, a, b):
    """Closed inside intervals of segments from point ``a`` to point ``b``.

    Parameters
    ----------
    grid : BoundaryGrid
        Grid of ``polygon``.
    polygon : shapely.Polygon or shapely.MultiPolygon
        Prepared airspace polygon in frame metres.
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
    """
    parts = []
    for first in range(0, len(a), SEGMENTS_PER_CHUNK):
        ia, ib = a[first:first + SEGMENTS_PER_CHUNK], b[first:first + SEGMENTS_PER_CHUNK]
        segment, t_lo, t_hi = _chunk_intervals(grid, polygon, x_m[ia], y_m[ia], x_m[ib], y_m[ib])
        parts.append((segment + first, t_lo, t_hi))
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
    segment, t_lo, t_hi = (np.concatenate(column) for column in zip(*parts))
    return segment, t_lo, t_hi


def _chunk_intervals(grid: BoundaryGrid, polygon, xa, ya, xb, yb):
    """:func:`lateral_intervals` of segments given by their end coordinates."""
    col_a, row_a = grid.cell_of(xa, ya)
    col_b, row_b = grid.cell_of(xb, yb)
    col0, col1 = np.minimum(col_a, col_b), np.maximum(col_a, col_b)
    row0, row1 = np.minimum(row_a, row_b), np.maximum(row_a, row_b)
    settled = grid.boundary_cells_in_box(col0, row0, col1, row1) == 0
    settled_inside = np.flatnonzero(settled & (grid.state[row_a, col_a] == INSIDE))

    open_ = np.flatnonzero(~settled)
    seg_u, lo_u, hi_u = _exact_intervals(
        grid, polygon, xa[open_], ya[open_], xb[open_], yb[open_],
        col0[open_], row0[open_], col1[open_], row1[open_],
    )
    segment = np.concatenate([settled_inside, open_[seg_u]])
    t_lo = np.concatenate([np.zeros(len(settled_inside)), lo_u])
    t_hi = np.concatenate([np.ones(len(settled_inside)), hi_u])
    order = np.lexsort((t_lo, segment))
    return segment[order], t_lo[order], t_hi[order]


def _exact_intervals(grid, polygon, xa, ya, xb, yb, col0, row0, col1, row1):
    """Inside intervals of segments that reach boundary cells."""
    cut_ptr, cut_t = _segment_cuts(xa, ya, xb, yb, col0, row0, col1, row1,
                                   grid.edge_ptr, grid.edge_ids, grid.edges_m, grid.shape[1])
    cut_seg = np.repeat(np.arange(len(xa)), np.diff(cut_ptr))

    # Pieces between consecutive cuts of the same segment.
    has_next = np.zeros(len(cut_t), bool)
    has_next[:-1] = cut_seg[1:] == cut_seg[:-1]
    piece = np.flatnonzero(has_next)
    t_mid = 0.5 * (cut_t[piece] + cut_t[piece + 1])
    dx, dy = xb - xa, yb - ya
    s = cut_seg[piece]
    piece_inside = shapely.intersects_xy(polygon, xa[s] + t_mid * dx[s], ya[s] + t_mid * dy[s])
    s = cut_seg
    cut_inside = shapely.intersects_xy(polygon, xa[s] + cut_t * dx[s], ya[s] + cut_t * dy[s])

    # A cut belongs to the inside set if it is inside or ends an inside piece.
    cut_inside[piece[piece_inside]] = True
    cut_inside[piece[piece_inside] + 1] = True
    # Walk cut, piece, cut, piece, ...: an interval is a run of inside cuts
    # joined by inside pieces. A run breaks at an outside piece or a new segment.
    joined_to_next = np.zeros(len(cut_t), bool)
    joined_to_next[piece[piece_inside]] = True
    joined_to_prev = np.concatenate([[False], joined_to_next[:-1]])
    starts = np.flatnonzero(cut_inside & ~joined_to_prev)
    ends = np.flatnonzero(cut_inside & ~joined_to_next)
    return cut_seg[starts], cut_t[starts], cut_t[ends]


@numba.njit(cache=True, nogil=True)
def _segment_cuts(xa, ya, xb, yb, col0, row0, col1, row1, edge_ptr, edge_ids, edges, nx):
    """Sorted, distinct cut parameters of each segment, as CSR (``ptr``, ``t``).

    Every segment is cut at its ends (a zero-length one too: its single piece
    is its point) and wherever it meets an edge registered in its cell box.
    """
    n = len(xa)
    capacity = 2 * n
    for i in range(n):
        for r in range(row0[i], row1[i] + 1):
            capacity += edge_ptr[r * nx + col1[i] + 1] - edge_ptr[r * nx + col0[i]]
    # A crossing gives one cut per pair, a collinear overlap up to two.
    t_out = np.empty(2 * capacity)
    ptr = np.zeros(n + 1, np.int64)
    m = 0
    for i in range(n):
        first = m
        t_out[m], t_out[m + 1] = 0.0, 1.0
        m += 2
        px, py = xa[i], ya[i]
        dx, dy = xb[i] - px, yb[i] - py
        if dx != 0.0 or dy != 0.0:
            for r in range(row0[i], row1[i] + 1):
                for j in range(edge_ptr[r * nx + col0[i]], edge_ptr[r * nx + col1[i] + 1]):
                    m = _add_cuts(px, py, dx, dy, edges, edge_ids[j], t_out, m)
        m = _sort_distinct(t_out, first, m)
        ptr[i + 1] = m
    return ptr, t_out[:m].copy()


@numba.njit(cache=True, nogil=True)
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


@numba.njit(cache=True, nogil=True)
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
    if abs(denom) > 1e-12 * math.hypot(dx, dy) * math.hypot(ex, ey):
        t = (rx * ey - ry * ex) / denom
        s = (rx * dy - ry * dx) / denom
        if lo <= t <= hi and lo <= s <= hi:
            t_out[m] = min(max(t, 0.0), 1.0)
            m += 1
    elif abs(rx * dy - ry * dx) <= 1e-12 * math.hypot(dx, dy) * max(math.hypot(rx, ry), 1.0):
        dd = dx * dx + dy * dy
        for end_x, end_y in ((ax, ay), (bx, by)):
            t = ((end_x - px) * dx + (end_y - py) * dy) / dd
            if lo <= t <= hi:
                t_out[m] = min(max(t, 0.0), 1.0)
                m += 1
    return m
