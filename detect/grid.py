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

import numpy as np
import shapely

from detect.jit import njit

OUTSIDE, INSIDE, BOUNDARY = 0, 1, 2
#: Rings of cells around the polygon's bounds, outside it.
MARGIN_CELLS = 2


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

    Examples
    --------
    A square 1 km a side in cells of 250 m, two rings of them outside it:

    >>> grid = build_grid(shapely.box(0.0, 0.0, 1000.0, 1000.0), cell_m=250.0)
    >>> float(grid.x0_m), float(grid.y0_m), grid.state.shape, len(grid.edges_m)
    (-500.0, -500.0, (8, 8), 4)
    >>> grid.state[3].tolist()  # a row across the middle: OUTSIDE, BOUNDARY, INSIDE
    [0, 2, 2, 1, 1, 2, 2, 0]
    >>> grid.clearance_m[3].tolist()
    [250.0, 0.0, 0.0, 250.0, 250.0, 0.0, 0.0, 250.0]
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


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def cell_index(x_m, y_m, x0_m, y0_m, cell_m, nx, ny):
    """Column and row of the grid cell holding point (x, y), clamped to the grid (compiled code).

    The outermost ring of cells lies wholly outside the polygon's bounds, so
    a point beyond the grid lands in an outside cell, and the cell box of a
    segment still covers every cell the segment crosses.

    Examples
    --------
    Called from Python it needs a compiled caller (it has no Python wrapper):

    >>> index = njit(lambda x_m, y_m: cell_index(x_m, y_m, 0.0, 0.0, 10.0, 4, 3))
    >>> index(25.0, 5.0), index(-5.0, 99.0)  # (col, row); the second clamped to the grid
    ((2, 0), (0, 2))
    """
    col = min(max(int(math.floor((x_m - x0_m) / cell_m)), 0), nx - 1)
    row = min(max(int(math.floor((y_m - y0_m) / cell_m)), 0), ny - 1)
    return col, row


def polygon_edges_m(polygon) -> np.ndarray:
    """All boundary edges (exterior and holes of every part) as rows x1, y1, x2, y2.

    Examples
    --------
    >>> polygon_edges_m(shapely.box(0.0, 0.0, 10.0, 10.0)).tolist()
    [[10.0, 0.0, 10.0, 10.0], [10.0, 10.0, 0.0, 10.0], [0.0, 10.0, 0.0, 0.0], [0.0, 0.0, 10.0, 0.0]]
    >>> polygon_edges_m(shapely.box(0.0, 0.0, 10.0, 10.0) - shapely.box(4.0, 4.0, 6.0, 6.0)).shape  # with a hole
    (8, 4)
    """
    rings = shapely.get_rings(shapely.get_parts(polygon))
    coords, ring_index = shapely.get_coordinates(rings, return_index=True)
    same_ring = ring_index[1:] == ring_index[:-1]
    return np.column_stack([coords[:-1][same_ring], coords[1:][same_ring]])


def choose_cell_m(polygon, n_edges: int) -> float:
    """Cell size: about four cells per edge, within 64 x 64 and 2048 x 2048 cells.

    Finer grids settle a few more segments by lookup, but cost more to build
    (the distance transform grows with the cells) than they save in detection.

    Examples
    --------
    >>> square = shapely.box(0.0, 0.0, 1000.0, 1000.0)
    >>> choose_cell_m(square, 4), choose_cell_m(square, 100_000)  # 64 x 64 cells at least; then 4 per edge
    (15.625, 1.5811388300841898)
    >>> choose_cell_m(square, 2_000_000)  # 2048 x 2048 cells at most
    0.48828125
    """
    minx, miny, maxx, maxy = shapely.bounds(polygon)
    area_m2 = max((maxx - minx) * (maxy - miny), 1.0)
    n_cells = float(np.clip(4 * n_edges, 64**2, 2048**2))
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

    Notes
    -----
    scipy.ndimage is imported here: a grid read from the cache
    (:mod:`detect.part_cache`) never needs it, and it is slow to import.

    Examples
    --------
    >>> grid = build_grid(shapely.box(0.0, 0.0, 1000.0, 1000.0))
    >>> grid.cell_m, grid.state.shape  # 64 x 64 cells over the square, 2 rings around
    (15.625, (68, 68))
    >>> [int(grid.state[row, col]) for row, col in ((34, 34), (2, 2), (0, 0))] == [INSIDE, BOUNDARY, OUTSIDE]
    True
    """
    from scipy import ndimage

    edges = polygon_edges_m(polygon)
    if cell_m is None:
        cell_m = choose_cell_m(polygon, len(edges))
    minx, miny, maxx, maxy = shapely.bounds(polygon)
    x0 = minx - MARGIN_CELLS * cell_m
    y0 = miny - MARGIN_CELLS * cell_m
    nx = int(np.ceil((maxx - x0) / cell_m)) + MARGIN_CELLS
    ny = int(np.ceil((maxy - y0) / cell_m)) + MARGIN_CELLS

    edge_ptr, edge_ids = edge_cell_table(edges, x0, y0, cell_m, nx, ny)

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


def edge_cell_table(edges, x0, y0, cell_m, nx, ny) -> tuple[np.ndarray, np.ndarray]:
    """The edges meeting each cell, as a CSR table over the row-major cells.

    A cell registers an edge when its closed box, inflated by ``1e-9`` of a
    cell, meets the edge (an edge along a cell side registers on both sides).

    Returns
    -------
    edge_ptr : ndarray of int64, shape (nx * ny + 1,)
    edge_ids : ndarray of int32
        The edges of cell ``c`` are ``edge_ids[edge_ptr[c]:edge_ptr[c + 1]]``, ascending.

    Examples
    --------
    >>> ptr, ids = edge_cell_table(np.array([[0.5, 0.5, 2.5, 0.5]]), 0.0, 0.0, 1.0, 3, 2)
    >>> np.diff(ptr).reshape(2, 3).tolist()
    [[1, 1, 1], [0, 0, 0]]
    """
    edges = np.ascontiguousarray(edges, np.float64)
    counts = np.zeros(nx * ny, np.int64)
    _register_edges(edges, float(x0), float(y0), float(cell_m), nx, ny, counts, np.empty(0, np.int32),
                    np.empty(0, np.int64))
    edge_ptr = np.zeros(nx * ny + 1, np.int64)
    np.cumsum(counts, out=edge_ptr[1:])
    edge_ids = np.empty(edge_ptr[-1], np.int32)
    _register_edges(edges, float(x0), float(y0), float(cell_m), nx, ny, counts, edge_ids, edge_ptr[:-1].copy())
    return edge_ptr, edge_ids


@njit(cache=True, nogil=True)
def _register_edges(edges, x0, y0, cell_m, nx, ny, counts, edge_ids, fill_at):
    """Count (when ``edge_ids`` is empty) or write each edge into the cells it meets, in edge order.

    The cells tried are the edge's box widened by one cell; each is tested
    exactly (Liang-Barsky on the inflated closed cell).
    """
    counting = len(edge_ids) == 0
    eps = 1e-9 * cell_m
    for e in range(len(edges)):
        x1, y1, x2, y2 = edges[e, 0], edges[e, 1], edges[e, 2], edges[e, 3]
        col0 = max(int(math.floor((min(x1, x2) - x0) / cell_m)) - 1, 0)
        col1 = min(int(math.floor((max(x1, x2) - x0) / cell_m)) + 1, nx - 1)
        row0 = max(int(math.floor((min(y1, y2) - y0) / cell_m)) - 1, 0)
        row1 = min(int(math.floor((max(y1, y2) - y0) / cell_m)) + 1, ny - 1)
        for row in range(row0, row1 + 1):
            for col in range(col0, col1 + 1):
                if _segment_meets_box(x1, y1, x2, y2, x0 + col * cell_m - eps, y0 + row * cell_m - eps,
                                      x0 + (col + 1) * cell_m + eps, y0 + (row + 1) * cell_m + eps):
                    cell = row * nx + col
                    if counting:
                        counts[cell] += 1
                    else:
                        edge_ids[fill_at[cell]] = e
                        fill_at[cell] += 1


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def _segment_meets_box(x1, y1, x2, y2, xmin, ymin, xmax, ymax):
    """Whether segment (x1, y1) -> (x2, y2) meets the closed box (Liang-Barsky)."""
    t_enter, t_leave = 0.0, 1.0
    for start, delta, low, high in ((x1, x2 - x1, xmin, xmax), (y1, y2 - y1, ymin, ymax)):
        if delta != 0:
            ta = (low - start) / delta
            tb = (high - start) / delta
            t_enter = max(t_enter, min(ta, tb))
            t_leave = min(t_leave, max(ta, tb))
        elif start < low or start > high:
            return False
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
