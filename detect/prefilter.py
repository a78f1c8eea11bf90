"""Which pieces of path can come near which parts of airspace, judged in lon/lat.

Only the fixes of these pieces are projected into a part's working frame. A
piece is kept for a part when its lon/lat box, widened by a margin, meets the
part's lon/lat box, or when it is long (over half a degree), since a long
piece that is straight in the frame bows away from its lon/lat chord. For
pieces up to half a degree the bow stays under 1 km outside the polar caps,
well within the 0.05 degree (5.5 km) margin; parts reaching beyond 80 degrees
of latitude are tested on latitude only. Longitudes are taken relative to the
part's centre, so parts across the antimeridian work.

All parts of all volumes share one index: a one-degree lon/lat raster whose
cells list the parts whose widened boxes reach into them (for a part with a
large box, only the cells its polygons come near: a state's box can hold
half a continent). Each piece looks up the cells under its box and tests
only the parts listed there, so the cost grows with the pieces near
airspace, not with pieces times parts.
"""

from __future__ import annotations

import math

import numpy as np
import shapely

from detect.frame import spherical_centre_deg, wrap_lon_deg
from detect.jit import njit

MARGIN_DEG = 0.05
LONG_PIECE_DEG = 0.5
POLAR_LAT_DEG = 80.0
#: Room made for this many candidate parts a piece before they are counted (a second pass if short).
PAIRS_PER_PIECE_GUESS = 3
#: Side of the index's cells, degrees.
CELL_DEG = 1.0
#: A part whose widened box spans more cells than this is listed only in the cells its polygons come near.
TOUCH_TEST_CELLS = 400
_N_COLS, _N_ROWS = int(360 / CELL_DEG), int(180 / CELL_DEG)


class PartIndex:
    """A lon/lat index of the boxes of airspace parts.

    Parameters
    ----------
    geometries_lonlat : sequence of shapely.Geometry
        The parts, EPSG:4326; a part's number is its place here.
    centre_lon_deg : sequence of float, optional
        Their centres' longitudes (:func:`detect.frame.spherical_centre_deg`),
        if known already.

    Examples
    --------
    >>> import shapely
    >>> index = PartIndex([shapely.box(24, 58, 26, 59), shapely.box(10, 40, 11, 41)])
    >>> lon, lat = np.array([20.0, 20.2, 24.9, 25.1, 10.4, 10.6]), np.array([58.5, 58.5, 58.5, 58.5, 40.5, 40.5])
    >>> index.candidates(lon, lat, np.array([0, 2, 4]), np.array([1, 3, 5]))
    (array([1, 2]), array([0, 1], dtype=int32))
    """

    def __init__(self, geometries_lonlat, centre_lon_deg=None):
        n = len(geometries_lonlat)
        if centre_lon_deg is None:
            centre_lon_deg = [spherical_centre_deg(geometry)[0] for geometry in geometries_lonlat]
        self.lon0 = np.empty(n)
        self.rel_lon_min, self.rel_lon_max = np.empty(n), np.empty(n)
        self.lat_min, self.lat_max = np.empty(n), np.empty(n)
        self.polar = np.empty(n, bool)
        for k, geometry in enumerate(geometries_lonlat):
            self.lon0[k] = centre_lon_deg[k]
            coords = shapely.get_coordinates(geometry)
            rel_lon = wrap_lon_deg(coords[:, 0] - self.lon0[k])
            lat_min, lat_max = coords[:, 1].min() - MARGIN_DEG, coords[:, 1].max() + MARGIN_DEG
            self.polar[k] = max(abs(lat_min), abs(lat_max)) >= POLAR_LAT_DEG
            lon_margin = 0.0 if self.polar[k] else MARGIN_DEG / np.cos(np.radians(max(abs(lat_min), abs(lat_max))))
            self.rel_lon_min[k], self.rel_lon_max[k] = rel_lon.min() - lon_margin, rel_lon.max() + lon_margin
            self.lat_min[k], self.lat_max[k] = lat_min, lat_max
        self.cell_ptr, self.cell_parts = self._raster(geometries_lonlat)

    def _raster(self, geometries_lonlat):
        """CSR of the parts that may come within the margin of each one-degree cell (row-major, from -90, -180).

        A part is listed in the cells its widened box reaches into; where
        that box spans more than :data:`TOUCH_TEST_CELLS` cells, only in
        those its polygons meet and their neighbours (a cell is wider than
        the margin), and in every cell of the polar caps, where a short
        piece can bow farther from its lon/lat chord.
        """
        cells, parts = [], []
        for k in range(len(self.lon0)):
            row0 = min(max(int(math.floor(self.lat_min[k] + 90)), 0), _N_ROWS - 1)
            row1 = min(max(int(math.floor(self.lat_max[k] + 90)), 0), _N_ROWS - 1)
            if self.polar[k] or self.rel_lon_max[k] - self.rel_lon_min[k] >= 360 - CELL_DEG:
                cols = np.arange(_N_COLS)
            else:
                col0 = int(math.floor(self.lon0[k] + self.rel_lon_min[k] + 180))
                col1 = int(math.floor(self.lon0[k] + self.rel_lon_max[k] + 180))
                cols = np.arange(col0, col1 + 1) % _N_COLS
            rows = np.arange(row0, row1 + 1)
            listed = np.ones((len(rows), len(cols)), bool)
            if listed.size > TOUCH_TEST_CELLS:
                listed = _near_cells(geometries_lonlat[k], rows, cols, wraps=len(cols) == _N_COLS)
            cells.append((rows[:, None] * _N_COLS + cols[None, :])[listed])
            parts.append(np.full(cells[-1].size, k, np.int32))
        cells = np.concatenate(cells) if cells else np.empty(0, np.int64)
        parts = np.concatenate(parts) if parts else np.empty(0, np.int32)
        order = np.argsort(cells, kind="stable")
        ptr = np.zeros(_N_ROWS * _N_COLS + 1, np.int64)
        np.cumsum(np.bincount(cells, minlength=_N_ROWS * _N_COLS), out=ptr[1:])
        return ptr, parts[order]

    def candidates(self, lon_deg, lat_deg, a, b) -> tuple[np.ndarray, np.ndarray]:
        """The (piece, part) pairs where piece a -> b (fix indices) may meet the part.

        Returns
        -------
        piece : ndarray of int64
            Ascending.
        part : ndarray of int32
            Ascending within a piece.

        Examples
        --------
        A short piece near the first box's western side, a long one across it (kept for every part: it
        may bow in the frame), a short one far from both:

        >>> import shapely
        >>> index = PartIndex([shapely.box(24, 58, 26, 59), shapely.box(10, 40, 11, 41)])
        >>> lon, lat = np.array([23.9, 23.98, 25.0, 27.0, 0.0, 0.1]), np.array([58.5, 58.5, 57.0, 60.0, 0.0, 0.0])
        >>> piece, part = index.candidates(lon, lat, np.array([0, 2, 4]), np.array([1, 3, 5]))
        >>> piece.tolist(), part.tolist()
        ([0, 1, 1], [0, 0, 1])
        """
        lon_deg = np.ascontiguousarray(lon_deg, np.float64)
        lat_deg = np.ascontiguousarray(lat_deg, np.float64)
        a, b = np.ascontiguousarray(a, np.int64), np.ascontiguousarray(b, np.int64)
        args = (lon_deg, lat_deg, a, b, self.cell_ptr, self.cell_parts, self.lon0, self.rel_lon_min,
                self.rel_lon_max, self.lat_min, self.lat_max, self.polar)
        # One pass writes the pairs when they fit in a first guess of room; a second, when not.
        room = PAIRS_PER_PIECE_GUESS * len(a)
        piece, part = np.empty(room, np.int64), np.empty(room, np.int32)
        n = _pairs(*args, piece, part)
        if n > len(piece):
            piece, part = np.empty(n, np.int64), np.empty(n, np.int32)
            _pairs(*args, piece, part)
        return piece[:n], part[:n]


def _near_cells(geometry_lonlat, rows, cols, wraps: bool) -> np.ndarray:
    """Which cells (rows x cols of the raster) the geometry meets, or neighbours, or lie in a polar cap."""
    lon_w, lat_s = np.meshgrid(cols * CELL_DEG - 180.0, rows * CELL_DEG - 90.0)
    # A prepared copy: the part's own geometry may be used by other threads, which a prepared one must not.
    geometry = shapely.from_wkb(shapely.to_wkb(geometry_lonlat))
    shapely.prepare(geometry)
    meets = shapely.intersects(geometry, shapely.box(lon_w, lat_s, lon_w + CELL_DEG, lat_s + CELL_DEG))
    near = meets.copy()
    near[1:] |= meets[:-1]
    near[:-1] |= meets[1:]
    sideways = near.copy()
    if wraps:
        near |= np.roll(sideways, 1, axis=1) | np.roll(sideways, -1, axis=1)
    else:
        near[:, 1:] |= sideways[:, :-1]
        near[:, :-1] |= sideways[:, 1:]
    polar = (lat_s + CELL_DEG > POLAR_LAT_DEG - MARGIN_DEG) | (lat_s < -POLAR_LAT_DEG + MARGIN_DEG)
    return near | polar


@njit(cache=True, nogil=True, no_cpython_wrapper=True)
def wrapped_lon_deg(lon_deg):
    """``(lon_deg + 180) % 360 - 180``, to the bit, without the division where it changes nothing (compiled code).

    Examples
    --------
    >>> wrap = njit(lambda lon: wrapped_lon_deg(lon))
    >>> wrap(190.0), wrap(-180.0), wrap(25.5), wrap(1e-20) == (1e-20 + 180.0) % 360.0 - 180.0
    (-170.0, -180.0, 25.5, True)
    """
    shifted = lon_deg + 180.0
    if 0.0 <= shifted < 360.0:
        return shifted - 180.0
    return shifted % 360.0 - 180.0


@njit(cache=True, nogil=True)
def _pairs(lon_deg, lat_deg, a, b, cell_ptr, cell_parts, lon0, rel_lon_min, rel_lon_max, lat_min, lat_max,
           polar, out_piece, out_part):
    """Write the candidate pairs as far as the outputs have room; returns how many there are."""
    n_parts = len(lon0)
    seen = np.full(n_parts, -1, np.int64)
    found = np.empty(n_parts, np.int32)
    count = 0
    for i in range(len(a)):
        lat_a, lat_b = lat_deg[a[i]], lat_deg[b[i]]
        lon_a = lon_deg[a[i]]
        dlon = wrapped_lon_deg(lon_deg[b[i]] - lon_a)
        # cos <= 1: a piece less than LONG_PIECE_DEG apart in longitude is short without it.
        is_long = abs(lat_b - lat_a) > LONG_PIECE_DEG or (abs(dlon) > LONG_PIECE_DEG and (
            abs(dlon) * math.cos(math.radians(0.5 * (lat_a + lat_b))) > LONG_PIECE_DEG))
        n_found = 0
        if is_long:
            for k in range(n_parts):
                found[n_found] = k
                n_found += 1
        else:
            row0 = min(max(int(math.floor(min(lat_a, lat_b) + 90.0)), 0), 179)
            row1 = min(max(int(math.floor(max(lat_a, lat_b) + 90.0)), 0), 179)
            col0 = int(math.floor(min(lon_a, lon_a + dlon) + 180.0))
            col1 = int(math.floor(max(lon_a, lon_a + dlon) + 180.0))
            for row in range(row0, row1 + 1):
                for col in range(col0, col1 + 1):
                    cell = row * 360 + col % 360
                    for j in range(cell_ptr[cell], cell_ptr[cell + 1]):
                        k = cell_parts[j]
                        if seen[k] == i:
                            continue
                        seen[k] = i
                        rel_a = wrapped_lon_deg(lon_a - lon0[k])
                        rel_b = rel_a + dlon
                        meets = max(lat_a, lat_b) >= lat_min[k] and min(lat_a, lat_b) <= lat_max[k]
                        if not polar[k]:
                            meets = (meets and max(rel_a, rel_b) >= rel_lon_min[k]
                                     and min(rel_a, rel_b) <= rel_lon_max[k])
                        if meets:  # kept in ascending order: insert among the few found so far
                            j = n_found
                            while j > 0 and found[j - 1] > k:
                                found[j] = found[j - 1]
                                j -= 1
                            found[j] = k
                            n_found += 1
        if count + n_found <= len(out_piece):
            for j in range(n_found):
                out_piece[count + j] = i
                out_part[count + j] = found[j]
        count += n_found
    return count

