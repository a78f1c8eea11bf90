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
    n = len(xa)
    seg, edge = _candidate_edges(grid, col0, row0, col1, row1)
    moving = (xa != xb) | (ya != yb)
    keep = moving[seg]
    seg, edge = seg[keep], edge[keep]
    pair, cut_t = _cut_parameters(
        xa[seg], ya[seg], xb[seg] - xa[seg], yb[seg] - ya[seg], grid.edges_m[edge]
    )
    cut_seg = seg[pair]
    # Every segment is cut at its ends (a zero-length one too: its single
    # piece is its point); the cuts of one segment, sorted and unique.
    all_seg = np.concatenate([np.arange(n), np.arange(n), cut_seg])
    all_t = np.concatenate([np.zeros(n), np.ones(n), cut_t])
    order = np.lexsort((all_t, all_seg))
    all_seg, all_t = all_seg[order], all_t[order]
    distinct = np.ones(len(all_t), bool)
    distinct[1:] = (all_seg[1:] != all_seg[:-1]) | (all_t[1:] != all_t[:-1])
    cut_seg, cut_t = all_seg[distinct], all_t[distinct]

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


def _candidate_edges(grid: BoundaryGrid, col0, row0, col1, row1):
    """(segment, edge) pairs for all edges registered in each segment's cell box."""
    ny, nx = grid.shape
    ncols = (col1 - col0 + 1).astype(np.int64)
    counts = ncols * (row1 - row0 + 1)
    seg = np.repeat(np.arange(len(col0)), counts)
    k = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    cell = (row0[seg] + k // ncols[seg]) * nx + col0[seg] + k % ncols[seg]
    start, stop = grid.edge_ptr[cell], grid.edge_ptr[cell + 1]
    n_edges = stop - start
    busy = n_edges > 0
    seg, start, n_edges = seg[busy], start[busy], n_edges[busy]
    pair_seg = np.repeat(seg, n_edges)
    j = np.arange(n_edges.sum()) - np.repeat(np.cumsum(n_edges) - n_edges, n_edges)
    pair_edge = grid.edge_ids[np.repeat(start, n_edges) + j]
    return pair_seg, pair_edge


def _cut_parameters(px, py, dx, dy, edges):
    """Parameters t on segments P + t D where they meet edges (A, B).

    Returns the index of each pair that meets and its t, clipped to [0, 1]. Collinear overlaps give the parameters of the edge's ends.
    """
    ax, ay, bx, by = edges.T
    ex, ey = bx - ax, by - ay
    rx, ry = ax - px, ay - py
    denom = dx * ey - dy * ex
    scale = np.hypot(dx, dy) * np.hypot(ex, ey)
    crossing = np.abs(denom) > 1e-12 * scale
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (rx * ey - ry * ex) / denom
        s = (rx * dy - ry * dx) / denom
    lo, hi = -PARAM_SLACK, 1 + PARAM_SLACK
    meets = crossing & (t >= lo) & (t <= hi) & (s >= lo) & (s <= hi)
    index = np.arange(len(px))
    result_index = [index[meets]]
    result_t = [t[meets]]

    # Parallel pairs: only collinear ones meet; cut at the edge ends on the segment.
    rxd = rx * dy - ry * dx
    collinear = ~crossing & (np.abs(rxd) <= 1e-12 * np.hypot(dx, dy) * np.maximum(np.hypot(rx, ry), 1.0))
    dd = dx * dx + dy * dy
    for end_x, end_y in ((ax, ay), (bx, by)):
        with np.errstate(divide="ignore", invalid="ignore"):
            t_end = ((end_x - px) * dx + (end_y - py) * dy) / dd
        on = collinear & (t_end >= lo) & (t_end <= hi)
        result_index.append(index[on])
        result_t.append(t_end[on])
    return np.concatenate(result_index), np.clip(np.concatenate(result_t), 0.0, 1.0)
