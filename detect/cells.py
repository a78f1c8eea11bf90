"""Lon/lat cells over a part: pieces of path settled, and their depth bounded, without projecting them.

Projecting a fix into a working frame costs about as much as testing it
against a prepared polygon, and most pieces of path lie far from any
boundary. A raster of lon/lat cells over a part (:class:`LonLatCells`, at
most :data:`MAX_CELLS`) is made once per view of the part, from its frame
and boundary grid:

* The frame image of the 3 x 3 block of cells around a cell lies within a
  disc about the cell's reference point (the mean of the images of its
  corners); its radius is the farthest image of the block's corners,
  widened by :data:`RADIUS_SLACK` for the bow of the images of meridians
  and parallels (second order over a block, well under a per cent of it).
* A piece of path from a fix in a cell to a fix in the same block is, in the
  frame, a segment between two points of that disc, so it lies in the disc
  (a disc is convex). When the grid shows the whole disc inside the polygon,
  or the whole disc outside, the piece is settled without being projected.
* The grid's bounds of the distance to the boundary at the reference point,
  less or plus the cell's radius, bound the depth of any point in the cell;
  a point of a piece lies within half the piece's frame length (bounded by
  its length on the sphere and the frame's greatest scale) of one of its
  fixes. So the depth search (:mod:`detect.depth`) need not look at pieces
  that cannot beat the depth their event is known to reach.

Longitudes are taken relative to the part's centre, so a part across the
antimeridian is covered; parts reaching near the poles, or across more than
half the globe in longitude, get no cells (every piece is then projected),
and a view of a vast part (:mod:`detect.views`) gets cells over the lattice
cell it is centred on.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import shapely

from detect.depth import grid_bounds_at
from detect.frame import EARTH_RADIUS_M, wrap_lon_deg
from detect.grid import BOUNDARY, INSIDE
from detect.jit import njit
from detect.prefilter import MARGIN_DEG as PREFILTER_MARGIN_DEG, wrapped_lon_deg

#: Cells in a part's raster at most.
MAX_CELLS = 128 * 128
#: Radii of cell and block images are widened by this share, and by RADIUS_SLACK_M.
RADIUS_SLACK = 0.05
RADIUS_SLACK_M = 1.0
#: The greatest frame scale seen over the cells' sides and diagonals is widened by this share.
SCALE_SLACK = 0.02
#: Parts reaching beyond this latitude, or wider than this in longitude, get no cells.
MAX_LAT_DEG = 85.0
MAX_LON_SPAN_DEG = 180.0
#: The raster covers the part's box widened by this on every side (at least a cell), beyond the
#: margin of the lon/lat index (:data:`detect.prefilter.MARGIN_DEG`), so that the pieces it passes
#: near a part are on the raster.
MARGIN_DEG = 2 * PREFILTER_MARGIN_DEG


class LonLatCells(NamedTuple):
    """A raster of lon/lat cells over one part, seen in one view; see :func:`build_cells`.

    Attributes
    ----------
    lon0_deg : float
        The part's centre longitude; columns count from ``lon0_deg + rel_lon_min_deg``.
    rel_lon_min_deg, lat_min_deg : float
        West and south edges of cell (0, 0), the longitude relative to ``lon0_deg``.
    cell_lon_deg, cell_lat_deg : float
        Cell sides.
    settled : ndarray of int8, shape (ny, nx)
        INSIDE or OUTSIDE where every piece from a fix in the cell to a fix
        in its 3 x 3 block lies wholly on that side; BOUNDARY elsewhere.
    depth_lo_m : ndarray of float32, shape (ny, nx)
        A lower bound of the depth (frame metres) of any point in the cell
        that is inside.
    depth_hi_m : ndarray of float32, shape (ny, nx)
        An upper bound of the depth of any point in the cell.
    scale : float
        A bound of frame metres per metre on the sphere over the raster,
        for pieces within a block.

    Examples
    --------
    The cell at the middle of a square one degree a side, 39 km from its nearest sides:

    >>> from detect.frame import Frame
    >>> from detect.grid import build_grid
    >>> square, frame = shapely.box(5.0, 45.0, 6.0, 46.0), Frame.centred_at(5.5, 45.5)
    >>> cells = build_cells(square, 5.5, frame, build_grid(frame.polygon_to_frame(square)))
    >>> row = int((45.5 - cells.lat_min_deg) // cells.cell_lat_deg)
    >>> col = int((5.5 - cells.lon0_deg - cells.rel_lon_min_deg) // cells.cell_lon_deg)
    >>> bool(cells.settled[row, col] == INSIDE), bool(cells.depth_lo_m[row, col] < 39_000 < cells.depth_hi_m[row, col])
    (True, True)
    """

    lon0_deg: float
    rel_lon_min_deg: float
    lat_min_deg: float
    cell_lon_deg: float
    cell_lat_deg: float
    settled: np.ndarray
    depth_lo_m: np.ndarray
    depth_hi_m: np.ndarray
    scale: float


def build_cells(geometry_lonlat, lon0_deg: float, frame, grid, box_deg=None) -> LonLatCells | None:
    """The lon/lat cells of a part seen in a frame, or None where they would reach too wide or too near a pole.

    Parameters
    ----------
    geometry_lonlat : shapely.Geometry
        The part, EPSG:4326.
    lon0_deg : float
        Its centre longitude (:func:`detect.frame.spherical_centre_deg`).
    frame : detect.frame.Frame
        The view's frame.
    grid : detect.grid.BoundaryGrid
        The part's boundary grid in that frame.
    box_deg : tuple of float, optional
        West, south, east, north: cover only this much of the part (the
        region a view of a vast part serves, :func:`detect.views.cell_box_deg`);
        by default the whole part.

    Examples
    --------
    >>> from detect.frame import Frame
    >>> from detect.grid import OUTSIDE, build_grid
    >>> square = shapely.box(5.0, 45.0, 6.0, 46.0)
    >>> frame = Frame.centred_at(5.5, 45.5)
    >>> cells = build_cells(square, 5.5, frame, build_grid(frame.polygon_to_frame(square)))
    >>> state = settle_pieces(cells, np.array([5.5, 5.501, 6.05, 6.051]), np.array([45.5, 45.5, 45.5, 45.5]),
    ...                       np.array([0, 2]), np.array([1, 3]))
    >>> state.tolist() == [INSIDE, OUTSIDE]
    True
    """
    if box_deg is None:
        coords = shapely.get_coordinates(geometry_lonlat)
        rel_lon = wrap_lon_deg(coords[:, 0] - lon0_deg)
        lat_min, lat_max = float(coords[:, 1].min()), float(coords[:, 1].max())
        rel_min, rel_max = float(rel_lon.min()), float(rel_lon.max())
    else:
        west, lat_min, east, lat_max = box_deg
        rel_min = float(wrap_lon_deg(west - lon0_deg))
        rel_max = rel_min + (east - west)
    if max(abs(lat_min), abs(lat_max)) > MAX_LAT_DEG or rel_max - rel_min > MAX_LON_SPAN_DEG:
        return None
    # Cells about square on the ground, at most MAX_CELLS of them over the widened box.
    cos_mid = max(math.cos(math.radians(0.5 * (lat_min + lat_max))), 0.05)
    rel_min, rel_max = rel_min - MARGIN_DEG / cos_mid, rel_max + MARGIN_DEG / cos_mid
    lat_min, lat_max = lat_min - MARGIN_DEG, lat_max + MARGIN_DEG
    cell_lat = max((rel_max - rel_min) * cos_mid, lat_max - lat_min) / (math.sqrt(MAX_CELLS) - 2)
    cell_lon = cell_lat / cos_mid
    nx = int(math.ceil((rel_max - rel_min) / cell_lon)) + 2
    ny = int(math.ceil((lat_max - lat_min) / cell_lat)) + 2
    rel_lon0, lat0 = rel_min - cell_lon, lat_min - cell_lat

    # Frame images of the cells' corners; each cell's reference point is the mean of its four.
    corner_lon = lon0_deg + rel_lon0 + cell_lon * np.arange(nx + 1)
    corner_lat = lat0 + cell_lat * np.arange(ny + 1)
    lon, lat = np.meshgrid(corner_lon, corner_lat)
    corner_x, corner_y = (value.reshape(ny + 1, nx + 1) for value in frame.to_xy_m(lon.ravel(), lat.ravel()))
    ref_x = 0.25 * (corner_x[:-1, :-1] + corner_x[:-1, 1:] + corner_x[1:, :-1] + corner_x[1:, 1:])
    ref_y = 0.25 * (corner_y[:-1, :-1] + corner_y[:-1, 1:] + corner_y[1:, :-1] + corner_y[1:, 1:])

    def farthest_corner(rows, cols):
        """Greatest distance from each cell's reference point to the corners (row + r, col + c), r in rows, c in
        cols; NaN where one is off the raster or does not project."""
        far = np.zeros((ny, nx))
        for r in rows:
            for c in cols:
                dx = _shifted(corner_x, r, c, ny, nx) - ref_x
                dy = _shifted(corner_y, r, c, ny, nx) - ref_y
                far = np.maximum(far, np.hypot(dx, dy))
        return far * (1.0 + RADIUS_SLACK) + RADIUS_SLACK_M

    cell_radius = farthest_corner((0, 1), (0, 1))
    block_radius = farthest_corner((-1, 2), (-1, 2))
    side, lower, upper = grid_bounds_at(grid, ref_x.ravel(), ref_y.ravel())
    side, lower, upper = side.reshape(ny, nx), lower.reshape(ny, nx), upper.reshape(ny, nx)

    interior = np.zeros((ny, nx), bool)
    interior[1:-1, 1:-1] = True
    known = interior & np.isfinite(block_radius) & (side != BOUNDARY)
    settled = np.where(known & (lower > block_radius), side, BOUNDARY).astype(np.int8)
    depth_lo = np.where(np.isfinite(cell_radius) & (side == INSIDE), np.maximum(lower - cell_radius, 0.0), 0.0)
    depth_hi = np.where(np.isfinite(cell_radius), upper + cell_radius, np.inf)
    return LonLatCells(float(lon0_deg), rel_lon0, lat0, cell_lon, cell_lat, settled,
                       depth_lo.astype(np.float32), depth_hi.astype(np.float32),
                       _scale_bound(corner_lon, corner_lat, corner_x, corner_y))


def _scale_bound(corner_lon, corner_lat, corner_x, corner_y) -> float:
    """Frame metres per metre on the sphere, at most, from the cells' sides and diagonals, with SCALE_SLACK."""
    lon, lat = np.meshgrid(corner_lon, corner_lat)
    ratios = []
    for (r0, c0), (r1, c1) in (((0, 0), (0, 1)), ((0, 0), (1, 0)), ((0, 0), (1, 1)), ((0, 1), (1, 0))):
        start = slice(r0, lat.shape[0] - 1 + r0), slice(c0, lat.shape[1] - 1 + c0)
        end = slice(r1, lat.shape[0] - 1 + r1), slice(c1, lat.shape[1] - 1 + c1)
        frame_m = np.hypot(corner_x[end] - corner_x[start], corner_y[end] - corner_y[start])
        ratios.append(frame_m / sphere_distance_m(lon[start], lat[start], lon[end], lat[end]))
    top = np.nanmax(np.concatenate([ratio.ravel() for ratio in ratios]))
    return float(top * (1.0 + SCALE_SLACK)) if np.isfinite(top) else math.inf


def sphere_distance_m(lon1_deg, lat1_deg, lon2_deg, lat2_deg):
    """Great-circle distance on the sphere of radius :data:`detect.frame.EARTH_RADIUS_M` (haversine).

    Examples
    --------
    >>> round(float(sphere_distance_m(0.0, 0.0, 0.0, 1.0)))
    111195
    """
    lat1, lat2 = np.radians(lat1_deg), np.radians(lat2_deg)
    half_dlat, half_dlon = 0.5 * (lat2 - lat1), 0.5 * np.radians(np.asarray(lon2_deg) - lon1_deg)
    h = np.sin(half_dlat) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(half_dlon) ** 2
    return 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _shifted(corners, r, c, ny, nx):
    """``corners[row + r, col + c]`` for every cell (row, col); NaN where that corner is off the raster."""
    out = np.full((ny, nx), np.nan)
    rows = slice(max(-r, 0), min(ny, ny + 1 - r))
    cols = slice(max(-c, 0), min(nx, nx + 1 - c))
    out[rows, cols] = corners[rows.start + r:rows.stop + r, cols.start + c:cols.stop + c]
    return out


def piece_cells(cells: LonLatCells, lon_deg, lat_deg, a, b) -> tuple[np.ndarray, np.ndarray]:
    """The flat cell of each piece's first fix, and of its last fix if in the first's block.

    Examples
    --------
    >>> from airspace import make_airspace
    >>> from detect.volumes import prepare_airspace
    >>> zone = prepare_airspace(make_airspace(shapely.box(5.0, 45.0, 6.0, 46.0), airspace_id="R"))
    >>> lon, lat = np.array([5.5, 5.501, 5.9, 30.0]), np.full(4, 45.5)
    >>> cell_a, cell_b = piece_cells(zone.parts[0].views[0].prepare().cells, lon, lat, [0, 0, 3], [1, 2, 3])
    >>> bool(cell_a[0] == cell_b[0]), int(cell_b[1]), int(cell_a[2])  # same cell; too far apart; off the raster
    (True, -1, -1)

    Returns
    -------
    cell_a : ndarray of int64
        -1 where fix ``a`` lies off the raster.
    cell_b : ndarray of int64
        -1 where fix ``b`` lies off the raster or outside the 3 x 3 block of ``cell_a``.
    """
    cell_a, cell_b = np.empty(len(a), np.int64), np.empty(len(a), np.int64)
    ny, nx = cells.settled.shape
    _piece_cells(np.asarray(lon_deg, np.float64), np.asarray(lat_deg, np.float64), np.asarray(a, np.int64),
                 np.asarray(b, np.int64), cells.lon0_deg, cells.rel_lon_min_deg, cells.lat_min_deg,
                 cells.cell_lon_deg, cells.cell_lat_deg, nx, ny, cell_a, cell_b)
    return cell_a, cell_b


def settle_pieces(cells: LonLatCells, lon_deg, lat_deg, a, b) -> np.ndarray:
    """INSIDE or OUTSIDE for each piece a -> b (fix indices) that its cells settle, else BOUNDARY.

    Examples
    --------
    Three short pieces: in the middle of a square, east of it, and across its western side:

    >>> from detect.frame import Frame
    >>> from detect.grid import OUTSIDE, build_grid
    >>> square, frame = shapely.box(5.0, 45.0, 6.0, 46.0), Frame.centred_at(5.5, 45.5)
    >>> cells = build_cells(square, 5.5, frame, build_grid(frame.polygon_to_frame(square)))
    >>> lon, lat = np.array([5.5, 5.501, 6.05, 6.051, 4.9995, 5.0005]), np.full(6, 45.5)
    >>> settle_pieces(cells, lon, lat, np.array([0, 2, 4]), np.array([1, 3, 5])).tolist() == [INSIDE, OUTSIDE, BOUNDARY]
    True
    """
    cell_a, cell_b = piece_cells(cells, lon_deg, lat_deg, a, b)
    state = np.full(len(cell_a), BOUNDARY, np.int8)
    near = cell_b >= 0
    state[near] = cells.settled.ravel()[cell_a[near]]
    return state


def depth_bounds(cells: LonLatCells, lon_deg, lat_deg, fa, fb, lo, hi) -> tuple[np.ndarray, np.ndarray]:
    """Bounds of the depth over inside parts ``lo``..``hi`` of pieces ``fa`` -> ``fb``.

    Examples
    --------
    A piece at the middle of a square one degree a side, 39 km from its
    nearest sides:

    >>> from airspace import make_airspace
    >>> from detect.volumes import prepare_airspace
    >>> zone = prepare_airspace(make_airspace(shapely.box(5.0, 45.0, 6.0, 46.0), airspace_id="R"))
    >>> view = zone.parts[0].views[0].prepare()
    >>> lower, upper = depth_bounds(view.cells, np.array([5.5, 5.501]), np.full(2, 45.5), np.array([0]),
    ...                             np.array([1]), np.zeros(1), np.ones(1))
    >>> bool(lower[0] < 39_000 < upper[0])
    True

    Returns
    -------
    lower_m : ndarray
        A depth the inside part reaches (0 when its cells do not tell): that
        of its first fix if ``lo`` is 0, or of its last if ``hi`` is 1.
    upper_m : ndarray
        A depth no point of it exceeds (infinite when its cells do not tell).
    """
    args, lower = _lower_bounds(cells, lon_deg, lat_deg, fa, fb, lo, hi)
    upper = np.empty(len(lower))
    _upper_bounds(*args, upper)
    return lower, upper


def may_reach(cells: LonLatCells, lon_deg, lat_deg, fa, fb, lo, hi, event, n_events: int, share: float,
              margin_m: float) -> np.ndarray:
    """Whether each inside part's upper bound of depth reaches what its event is known to reach.

    That is, ``upper_m >= reached * (1 - share) - margin_m`` with the bounds of
    :func:`depth_bounds`, where ``reached`` is the greatest lower bound of
    the event's parts (`event`: the event of each, numbered below
    `n_events`). The same answer, without the trigonometry of the exact
    upper bound where the cells alone, or a piece's length bounded from its
    degrees, already give it.

    Examples
    --------
    Two pieces of one event, in the middle of a square one degree a side and near its western side:

    >>> from airspace import make_airspace
    >>> from detect.volumes import prepare_airspace
    >>> zone = prepare_airspace(make_airspace(shapely.box(5.0, 45.0, 6.0, 46.0), airspace_id="R"))
    >>> cells = zone.parts[0].views[0].prepare().cells
    >>> lon, lat = np.array([5.5, 5.501, 5.02, 5.021]), np.full(4, 45.5)
    >>> may_reach(cells, lon, lat, np.array([0, 2]), np.array([1, 3]), np.zeros(2), np.ones(2), np.array([0, 0]),
    ...           1, 0.01, 1.0).tolist()
    [True, False]
    """
    args, lower = _lower_bounds(cells, lon_deg, lat_deg, fa, fb, lo, hi)
    reached = np.zeros(n_events)
    np.maximum.at(reached, event, lower)
    reaches = np.empty(len(lower), bool)
    _reaches(*args, reached[event] * (1.0 - share) - margin_m, reaches)
    return reaches


def _lower_bounds(cells: LonLatCells, lon_deg, lat_deg, fa, fb, lo, hi):
    """The arguments the compiled upper bounds take, and the lower bounds of :func:`depth_bounds`."""
    cell_a, cell_b = piece_cells(cells, lon_deg, lat_deg, fa, fb)
    args = (np.asarray(lon_deg, np.float64), np.asarray(lat_deg, np.float64), np.asarray(fa, np.int64),
            np.asarray(fb, np.int64), cell_a, cell_b, cells.depth_hi_m.ravel(), cells.scale)
    lower = np.empty(len(cell_a))
    _lower(np.asarray(lo, np.float64), np.asarray(hi, np.float64), cell_a, cell_b, cells.depth_lo_m.ravel(), lower)
    return args, lower


@njit(cache=True, nogil=True)
def _lower(lo, hi, cell_a, cell_b, depth_lo, lower):
    for i in range(len(lo)):
        lower[i] = depth_lo[cell_a[i]] if cell_a[i] >= 0 and lo[i] == 0.0 else 0.0
        if cell_b[i] >= 0 and hi[i] == 1.0:
            lower[i] = max(lower[i], depth_lo[cell_b[i]])


@njit(cache=True, nogil=True)
def _upper_bounds(lon_deg, lat_deg, fa, fb, cell_a, cell_b, depth_hi, scale, upper):
    for i in range(len(fa)):
        upper[i] = _upper_bound(i, lon_deg, lat_deg, fa, fb, cell_a, cell_b, depth_hi, scale)


@njit(cache=True, nogil=True)
def _reaches(lon_deg, lat_deg, fa, fb, cell_a, cell_b, depth_hi, scale, needed, reaches):
    for i in range(len(fa)):
        if cell_b[i] >= 0:
            deepest_fix = max(depth_hi[cell_a[i]], depth_hi[cell_b[i]])
            if deepest_fix >= needed[i]:  # the length only adds to it
                reaches[i] = True
                continue
            # Along a meridian, then a parallel: no shorter than the great circle.
            path_m = EARTH_RADIUS_M * math.radians(abs(lat_deg[fb[i]] - lat_deg[fa[i]])
                                                   + abs(wrapped_lon_deg(lon_deg[fb[i]] - lon_deg[fa[i]])))
            if deepest_fix + 0.5 * (scale * path_m * (1.0 + 1e-9) + 1e-9) < needed[i]:
                reaches[i] = False
                continue
        reaches[i] = _upper_bound(i, lon_deg, lat_deg, fa, fb, cell_a, cell_b, depth_hi, scale) >= needed[i]


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def _upper_bound(i, lon_deg, lat_deg, fa, fb, cell_a, cell_b, depth_hi, scale):
    """Piece ``i``'s upper bound of :func:`depth_bounds` (compiled code)."""
    if cell_b[i] < 0:
        return math.inf
    # Every point of a piece lies within half its frame length of one of its fixes.
    length_m = scale * _sphere_distance_m(lon_deg[fa[i]], lat_deg[fa[i]], lon_deg[fb[i]], lat_deg[fb[i]])
    return max(depth_hi[cell_a[i]], depth_hi[cell_b[i]]) + 0.5 * length_m


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def _sphere_distance_m(lon1_deg, lat1_deg, lon2_deg, lat2_deg):
    """:func:`sphere_distance_m` of one pair (compiled code)."""
    lat1, lat2 = math.radians(lat1_deg), math.radians(lat2_deg)
    h = (math.sin(0.5 * (lat2 - lat1)) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin(0.5 * math.radians(lon2_deg - lon1_deg)) ** 2)
    return 2.0 * EARTH_RADIUS_M * math.asin(math.sqrt(min(max(h, 0.0), 1.0)))


@njit(cache=True, nogil=True)
def _piece_cells(lon_deg, lat_deg, a, b, lon0, rel_lon0, lat0, cell_lon, cell_lat, nx, ny, cell_a, cell_b):
    col_b, row_b = 0, 0
    for i in range(len(a)):
        if i > 0 and a[i] == b[i - 1]:  # consecutive pieces share a fix
            col_a, row_a = col_b, row_b
        else:
            col_a, row_a = _cell(lon_deg[a[i]], lat_deg[a[i]], lon0, rel_lon0, lat0, cell_lon, cell_lat)
        col_b, row_b = _cell(lon_deg[b[i]], lat_deg[b[i]], lon0, rel_lon0, lat0, cell_lon, cell_lat)
        on_raster = 0 <= col_a < nx and 0 <= row_a < ny
        cell_a[i] = row_a * nx + col_a if on_raster else -1
        near = (on_raster and 0 <= col_b < nx and 0 <= row_b < ny
                and abs(col_b - col_a) <= 1 and abs(row_b - row_a) <= 1)
        cell_b[i] = row_b * nx + col_b if near else -1


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def _cell(lon, lat, lon0, rel_lon0, lat0, cell_lon, cell_lat):
    """Column and row of a point (may lie off the raster); far off for non-finite coordinates."""
    rel = wrapped_lon_deg(lon - lon0)
    x, y = (rel - rel_lon0) / cell_lon, (lat - lat0) / cell_lat
    if not (abs(x) < 1e9 and abs(y) < 1e9):
        return -10, -10
    return int(math.floor(x)), int(math.floor(y))
