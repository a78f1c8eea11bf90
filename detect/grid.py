"""A uniform grid over one airspace polygon, in the working frame.

Each cell is known to be fully inside, fully outside, or on the boundary
(a closed cell that meets an edge). A segment whose cells are all inside or
all outside is settled by a lookup; only segments that reach a boundary cell
are intersected exactly, and only with the edges registered in those cells.
The grid also carries, per cell, the distance from its centre to the nearest
boundary cell, which bounds the depth of any point in it.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba
import numpy as np
import shapely
from scipy import ndimage

OUTSIDE, INSIDE, BOUNDARY = 0, 1, 2


class BoundaryGrid(NamedTuple):
    """Cells over a polygon; see :func:`build_grid`.

    A named tuple, so that compiled code (:mod:`detect.lateral`,
    :mod:`detect.nearest`, :mod:`detect.depth`) takes it whole.

    Attributes
    ----------
    x0_m, y0_m : float
        Frame coordinates of the lower-left corner of cell (0, 0).
    cell_m : float
        Side of a square cell.
    state : ndarray of int8, shape (ny, nx)
        OUTSIDE, INSIDE or BOUNDARY.
    boundary_sat : ndarray of int32, shape (ny + 1, nx + 1)
        Summed-area table of boundary cells, for counting them in a box.
    edge_ptr, edge_ids : ndarray
        CSR lists of the edges meeting each (flattened) cell.
    edges_m : ndarray, shape (E, 4)
        Boundary edges as x1, y1, x2, y2.
    clearance_m : ndarray of float32, shape (ny, nx)
        Distance from each cell centre to the nearest boundary-cell centre.
    near_edge : ndarray of int32, shape (ny, nx)
        An edge of that nearest boundary cell: the distance to it bounds the
        depth of points in the cell from above, and, the distance to one edge
        being convex along a line, of whole pieces of path.
    """

    x0_m: float
    y0_m: float
    cell_m: float
    state: np.ndarray
    boundary_sat: np.ndarray
    edge_ptr: np.ndarray
    edge_ids: np.ndarray
    edges_m: np.ndarray
    clearance_m: np.ndarray
    near_edge: np.ndarray


@numba.njit(cache=True, nogil=True, no_cpython_wrapper=True)
def cell_index(x_m, y_m, x0_m, y0_m, cell_m, nx, ny):
    """Column and row of the grid cell holding point (x, y), clamped to the grid (compiled code).

    The outermost ring of cells lies wholly outside the polygon's bounds, so
    a point beyond the grid lands in an outside cell, and the cell box of a
    segment still covers every cell the segment crosses.
    """
    col = min(max(int(math.floor((x_m - x0_m) / cell_m)), 0), nx - 1)
    row = min(max(int(math.floor((y_m - y0_m) / cell_m)), 0), ny - 1)
    return col, row


def polygon_edges_m(polygon) -> np.ndarray:
    """All boundary edges (exterior and holes of every part) as rows x1, y1, x2, y2."""
    rings = shapely.get_rings(shapely.get_parts(polygon))
    coords, ring_index = shapely.get_coordinates(rings, return_index=True)
    same_ring = ring_index[1:] == ring_index[:-1]
    return np.column_stack([coords[:-1][same_ring], coords[1:][same_ring]])


def choose_cell_m(polygon, n_edges: int) -> float:
    """Cell size: about four cells per edge, within 64 x 64 and 2048 x 2048 cells."""
    minx, miny, maxx, maxy = shapely.bounds(polygon)
    area_m2 = max((maxx - minx) * (maxy - miny), 1.0)
    n_cells = float(np.clip(16 * n_edges, 64**2, 2048**2))
    cell_m = np.sqrt(area_m2 / n_cells)
    longest_side_m = max(maxx - minx, maxy - miny, 1.0)
    return float(max(cell_m, longest_side_m / 2048))


def build_grid(polygon, cell_m: float | None = None) -> BoundaryGrid:
    """Build the boundary grid of a valid (Multi)Polygon in frame metres.

    Parameters
    ----------
    polygon : shapely.Polygon or shapely.MultiPolygon
    cell_m : float, optional
        Cell side; chosen from the number of edges by default.
    """
    edges = polygon_edges_m(polygon)
    if cell_m is None:
        cell_m = choose_cell_m(polygon, len(edges))
    minx, miny, maxx, maxy = shapely.bounds(polygon)
    margin_cells = 2
    x0 = minx - margin_cells * cell_m
    y0 = miny - margin_cells * cell_m
    nx = int(np.ceil((maxx - x0) / cell_m)) + margin_cells
    ny = int(np.ceil((maxy - y0) / cell_m)) + margin_cells

    cell_ids, edge_ids = _edge_cell_pairs(edges, x0, y0, cell_m, nx, ny)
    order = np.argsort(cell_ids, kind="stable")
    cell_ids, edge_ids = cell_ids[order], edge_ids[order].astype(np.int32)
    edge_ptr = np.zeros(nx * ny + 1, np.int64)
    np.cumsum(np.bincount(cell_ids, minlength=nx * ny), out=edge_ptr[1:])

    is_boundary = (edge_ptr[1:] > edge_ptr[:-1]).reshape(ny, nx)
    state = _classify_cells(polygon, is_boundary, x0, y0, cell_m)
    sat = np.zeros((ny + 1, nx + 1), np.int32)
    sat[1:, 1:] = is_boundary.astype(np.int32).cumsum(0).cumsum(1)
    clearance, (near_row, near_col) = ndimage.distance_transform_edt(
        ~is_boundary, sampling=cell_m, return_indices=True
    )
    near_edge = edge_ids[edge_ptr[near_row * nx + near_col]].astype(np.int32)
    del near_row, near_col
    return BoundaryGrid(x0, y0, cell_m, state, sat, edge_ptr, edge_ids, edges, clearance.astype(np.float32), near_edge)


def _edge_cell_pairs(edges, x0, y0, cell_m, nx, ny):
    """(cell, edge) pairs where the closed, slightly inflated cell meets the edge."""
    x1, y1, x2, y2 = edges.T
    col0 = np.floor((np.minimum(x1, x2) - x0) / cell_m).astype(np.int64)
    col1 = np.floor((np.maximum(x1, x2) - x0) / cell_m).astype(np.int64)
    row0 = np.floor((np.minimum(y1, y2) - y0) / cell_m).astype(np.int64)
    row1 = np.floor((np.maximum(y1, y2) - y0) / cell_m).astype(np.int64)
    # Widen by one cell so that an edge lying on a cell side registers in both.
    col0, row0 = np.maximum(col0 - 1, 0), np.maximum(row0 - 1, 0)
    col1, row1 = np.minimum(col1 + 1, nx - 1), np.minimum(row1 + 1, ny - 1)
    ncols = col1 - col0 + 1
    counts = ncols * (row1 - row0 + 1)
    edge = np.repeat(np.arange(len(edges)), counts)
    k = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    col = col0[edge] + k % ncols[edge]
    row = row0[edge] + k // ncols[edge]
    eps = 1e-9 * cell_m
    hit = segments_meet_boxes(
        edges[edge],
        x0 + col * cell_m - eps,
        y0 + row * cell_m - eps,
        x0 + (col + 1) * cell_m + eps,
        y0 + (row + 1) * cell_m + eps,
    )
    return (row * nx + col)[hit], edge[hit]


def segments_meet_boxes(segments, xmin, ymin, xmax, ymax) -> np.ndarray:
    """Whether each segment (x1, y1, x2, y2) meets its closed box (Liang-Barsky)."""
    x1, y1, x2, y2 = segments.T
    t_enter = np.zeros(len(segments))
    t_leave = np.ones(len(segments))
    for start, delta, low, high in ((x1, x2 - x1, xmin, xmax), (y1, y2 - y1, ymin, ymax)):
        with np.errstate(divide="ignore", invalid="ignore"):
            ta = (low - start) / delta
            tb = (high - start) / delta
        moving = delta != 0
        t_enter = np.where(moving, np.maximum(t_enter, np.minimum(ta, tb)), t_enter)
        t_leave = np.where(moving, np.minimum(t_leave, np.maximum(ta, tb)), t_leave)
        still_outside = ~moving & ((start < low) | (start > high))
        t_leave = np.where(still_outside, -1.0, t_leave)
    return t_enter <= t_leave


def _classify_cells(polygon, is_boundary, x0, y0, cell_m) -> np.ndarray:
    """INSIDE/OUTSIDE for non-boundary cells, one point test per run in a row.

    Along a row, consecutive non-boundary cells share a side that no edge
    touches, so they are all inside or all outside.
    """
    ny, nx = is_boundary.shape
    flat_boundary = is_boundary.ravel()
    col = np.tile(np.arange(nx), ny)
    previous_boundary = np.concatenate([[True], flat_boundary[:-1]])
    run_start = ~flat_boundary & ((col == 0) | previous_boundary)
    first_cell = np.flatnonzero(run_start)
    run_id = np.cumsum(run_start) - 1
    centre_x = x0 + (first_cell % nx + 0.5) * cell_m
    centre_y = y0 + (first_cell // nx + 0.5) * cell_m
    shapely.prepare(polygon)
    run_inside = shapely.contains_xy(polygon, centre_x, centre_y)
    state = np.where(run_inside[run_id], INSIDE, OUTSIDE).astype(np.int8)
    state[flat_boundary] = BOUNDARY
    return state.reshape(ny, nx)
