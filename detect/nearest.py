"""Exact nearest boundary edge of points, searched through the boundary grid.

For a point in cell c, the edge registered at c's nearest boundary cell
(:attr:`BoundaryGrid.near_edge`) gives a first distance ``d``. The nearest
boundary point lies in a boundary cell whose closed square is within ``d``
of the point, and no boundary cell has its centre closer to c's centre than
c's clearance (the grid's exact distance transform). So only the cells of an
annulus a few cells wide need looking at, row by row; the edges registered
in a row's run of cells are one slice of the row-major cell-to-edge table,
and are measured exactly. A point deep inside a wide airspace costs a few hundred
row lookups, where a k-d tree of boundary samples visits much of the
boundary around it.

The search loop is compiled with numba: it walks cells and edges per point,
which numpy cannot express without building every (point, cell) pair.
"""

from __future__ import annotations

import math

import numpy as np

from detect.grid import BoundaryGrid, cell_index
from detect.jit import njit

#: Room made for this many edges a point before they are counted (a second pass if short).
EDGES_PER_POINT_GUESS = 8


def nearest_edges(grid: BoundaryGrid, x_m: np.ndarray, y_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance to the boundary and index of the nearest edge, per point.

    Parameters
    ----------
    grid : BoundaryGrid
    x_m, y_m : ndarray of float64
        Points in frame metres.

    Returns
    -------
    distance_m : ndarray of float64
    edge : ndarray of int64
        Row of ``grid.edges_m``; among edges equally near, any one.

    Examples
    --------
    >>> import shapely
    >>> from detect.grid import build_grid
    >>> grid = build_grid(shapely.box(0.0, 0.0, 1000.0, 1000.0))
    >>> distance, edge = nearest_edges(grid, np.array([100.0, 1500.0]), np.array([500.0, 500.0]))
    >>> distance.tolist(), grid.edges_m[edge].tolist()  # inside and outside alike
    ([100.0, 500.0], [[0.0, 1000.0, 0.0, 0.0], [1000.0, 0.0, 1000.0, 1000.0]])
    """
    x_m = np.ascontiguousarray(x_m, dtype=np.float64)
    y_m = np.ascontiguousarray(y_m, dtype=np.float64)
    distance = np.empty(len(x_m))
    edge = np.empty(len(x_m), np.int64)
    _search_all(x_m, y_m, grid, distance, edge)
    return distance, edge


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def distance_to_edge_m(x, y, edges, e):
    """Distance from point (x, y) to edge ``e`` of ``edges`` (rows x1, y1, x2, y2).

    Examples
    --------
    Called from Python it needs a compiled caller (it has no Python wrapper):

    >>> distance = njit(lambda x, y, edges: distance_to_edge_m(x, y, edges, 0))
    >>> edges = np.array([[0.0, 0.0, 10.0, 0.0]])
    >>> distance(3.0, 4.0, edges), distance(13.0, 4.0, edges)  # to the edge, then to its end
    (4.0, 5.0)
    """
    return math.sqrt(_squared_distance_to_edge_m2(x, y, edges, e))


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def _squared_distance_to_edge_m2(x, y, edges, e):
    x1, y1, x2, y2 = edges[e, 0], edges[e, 1], edges[e, 2], edges[e, 3]
    ex, ey = x2 - x1, y2 - y1
    length2 = ex * ex + ey * ey
    u = 0.0
    if length2 > 0:
        u = min(max(((x - x1) * ex + (y - y1) * ey) / length2, 0.0), 1.0)
    dx, dy = x - (x1 + u * ex), y - (y1 + u * ey)
    return dx * dx + dy * dy


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def _row_runs(x, y, reach, r, row, col, inner2, x0, y0, cell, nx):
    """The runs of cells of grid row ``r`` within ``reach`` of (x, y), as two (first, last) column pairs.

    The cells around (``row``, ``col``) whose centres lie within the
    annulus ``inner2`` (squared, in cells) hold no boundary and are left
    out, which splits the row's run in two; an empty run has first > last.
    """
    gap_y = max(y0 + r * cell - y, y - (y0 + (r + 1) * cell), 0.0)
    if gap_y > reach:
        return (1, 0), (1, 0)
    half = math.sqrt(reach * reach - gap_y * gap_y)
    c0 = max(int(math.floor((x - half - x0) / cell)), 0)
    c1 = min(int(math.floor((x + half - x0) / cell)), nx - 1)
    room = inner2 - (r - row) ** 2
    if room > 0:
        skip = int(math.ceil(math.sqrt(room))) - 1
        return (c0, min(c1, col - skip - 1)), (max(c0, col + skip + 1), c1)
    return (c0, c1), (1, 0)


@njit(cache=True, nogil=True)
def _search_all(px, py, grid, out_distance, out_edge):
    for k in range(len(px)):
        out_distance[k], out_edge[k] = nearest_edge(px[k], py[k], grid)


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def nearest_edge(x, y, grid):
    """Distance from (x, y) to the boundary of ``grid`` and its nearest edge (compiled code only).

    Examples
    --------
    >>> import shapely
    >>> from detect.grid import build_grid
    >>> grid = build_grid(shapely.box(0.0, 0.0, 1000.0, 1000.0))
    >>> nearest = njit(lambda x, y, grid: nearest_edge(x, y, grid))
    >>> distance, edge = nearest(100.0, 500.0, grid)
    >>> distance, grid.edges_m[edge].tolist()
    (100.0, [0.0, 1000.0, 0.0, 0.0])
    """
    x0, y0, cell, clearance, near_edge = grid.x0_m, grid.y0_m, grid.cell_m, grid.clearance_m, grid.near_edge
    edge_ptr, edge_ids, edges = grid.edge_ptr, grid.edge_ids, grid.edges_m
    ny, nx = clearance.shape
    col, row = cell_index(x, y, x0, y0, cell, nx, ny)
    best_edge = near_edge[row, col]
    best2 = _squared_distance_to_edge_m2(x, y, edges, best_edge)
    # Cells whose centre lies strictly closer to this cell's centre than
    # its clearance hold no boundary: squared distances in cells are
    # integers, and the clearance squared is one up to float32 rounding.
    inner2 = (clearance[row, col] / cell) ** 2 * (1 - 1e-6) - 0.5
    reach = math.sqrt(best2) * (1 + 1e-12) + 1e-9 * cell
    r0 = max(int(math.floor((y - reach - y0) / cell)), 0)
    r1 = min(int(math.floor((y + reach - y0) / cell)), ny - 1)
    for r in range(r0, r1 + 1):
        reach = math.sqrt(best2) * (1 + 1e-12) + 1e-9 * cell
        for a, b in _row_runs(x, y, reach, r, row, col, inner2, x0, y0, cell, nx):
            if a > b:
                continue
            # The edges of a row's run of cells lie together in the row-major CSR.
            for j in range(edge_ptr[r * nx + a], edge_ptr[r * nx + b + 1]):
                e = edge_ids[j]
                d2 = _squared_distance_to_edge_m2(x, y, edges, e)
                if d2 < best2:
                    best2, best_edge = d2, e
    return math.sqrt(best2), np.int64(best_edge)


def edges_within(grid: BoundaryGrid, x_m: np.ndarray, y_m: np.ndarray, radius_m: np.ndarray):
    """The edges within a distance of each point, as a CSR table.

    Parameters
    ----------
    grid : BoundaryGrid
    x_m, y_m, radius_m : ndarray of float64
        Points in frame metres and the distance to search each within.

    Returns
    -------
    ptr : ndarray of int64, shape (n + 1,)
    edge : ndarray of int64
        The edges of point ``i`` are ``edge[ptr[i]:ptr[i + 1]]``, each once;
        every edge whose distance is at most the radius is there (and some a
        little further, from the cells searched).

    Examples
    --------
    >>> import shapely
    >>> from detect.grid import build_grid
    >>> grid = build_grid(shapely.box(0.0, 0.0, 1000.0, 1000.0))
    >>> ptr, edge = edges_within(grid, np.array([100.0]), np.array([500.0]), np.array([150.0]))
    >>> grid.edges_m[edge][:, [0, 2]].tolist()  # the edge along x = 0 only
    [[0.0, 0.0]]
    """
    x_m = np.ascontiguousarray(x_m, np.float64)
    y_m = np.ascontiguousarray(y_m, np.float64)
    radius_m = np.ascontiguousarray(radius_m, np.float64)
    # One pass writes the edges when they fit in a first guess of room; a second, when not.
    seen = np.full(len(grid.edges_m), -1, np.int64)
    counts = np.zeros(len(x_m), np.int64)
    edge = np.empty(EDGES_PER_POINT_GUESS * len(x_m), np.int64)
    n = _within(x_m, y_m, radius_m, grid, seen, counts, edge)
    if n > len(edge):
        edge = np.empty(n, np.int64)
        seen[:] = -1
        _within(x_m, y_m, radius_m, grid, seen, counts, edge)
    ptr = np.zeros(len(x_m) + 1, np.int64)
    np.cumsum(counts, out=ptr[1:])
    return ptr, edge[:n]


@njit(cache=True, nogil=True)
def _within(px, py, radius, grid, seen, counts, out):
    """Write the edges registered in the cells within each point's radius, as far as ``out`` has room.

    Returns how many there are; ``counts`` gets each point's number.

    As in :func:`nearest_edge`, the cells that the distance transform shows
    to hold no boundary (an annulus around the point's cell) are skipped.
    """
    x0, y0, cell, clearance = grid.x0_m, grid.y0_m, grid.cell_m, grid.clearance_m
    edge_ptr, edge_ids, edges = grid.edge_ptr, grid.edge_ids, grid.edges_m
    ny, nx = clearance.shape
    m = 0
    for k in range(len(px)):
        x, y = px[k], py[k]
        col, row = cell_index(x, y, x0, y0, cell, nx, ny)
        inner2 = (clearance[row, col] / cell) ** 2 * (1 - 1e-6) - 0.5
        reach = radius[k] * (1 + 1e-12) + 1e-9 * cell
        n = 0
        r0 = max(int(math.floor((y - reach - y0) / cell)), 0)
        r1 = min(int(math.floor((y + reach - y0) / cell)), ny - 1)
        for r in range(r0, r1 + 1):
            for a, b in _row_runs(x, y, reach, r, row, col, inner2, x0, y0, cell, nx):
                if a > b:
                    continue
                for j in range(edge_ptr[r * nx + a], edge_ptr[r * nx + b + 1]):
                    e = edge_ids[j]
                    if seen[e] == k:
                        continue
                    seen[e] = k
                    if _squared_distance_to_edge_m2(x, y, edges, e) <= reach * reach:
                        if m + n < len(out):
                            out[m + n] = e
                        n += 1
        counts[k] = n
        m += n
    return m
