"""Views of a vast part: one working frame per cell of a lattice over it.

A planar frame is true to a few parts in ten thousand within a few hundred
kilometres of its centre, but a part of a state can span a continent
(Russia's mainland reaches across 170 degrees of longitude). Such a part is
seen through several frames, centred on the cells of a lattice of
:data:`CELL_DEG`-degree bands of latitude, each band cut into cells about as
wide as they are tall. Each frame holds the whole part, so that lateral
crossings and depth are found in it exactly as in a single frame; a piece of
track is seen in the frame of the cell its first fix lies in, and a stay that
passes from cell to cell is joined at the fix where it changes frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from detect.frame import EARTH_RADIUS_M, spherical_centre_deg, unit_vectors

#: A part reaching farther than this from its centre gets a lattice of frames.
VAST_RADIUS_M = 800_000.0
#: The part's reach from its centre is measured on every this many vertices.
REACH_SAMPLE = 8
#: Height of a lattice band, and about the width of its cells, in degrees.
CELL_DEG = 6.0
_N_ROWS = int(180 / CELL_DEG)


def _columns(row):
    """Cells in each band: about CELL_DEG wide at the band's middle latitude."""
    lat = np.radians(-90.0 + CELL_DEG * (np.asarray(row) + 0.5))
    return np.maximum(1, np.floor(360.0 * np.cos(lat) / CELL_DEG)).astype(np.int64)


_COLUMNS = _columns(np.arange(_N_ROWS))
_FIRST_CELL = np.concatenate([[0], np.cumsum(_COLUMNS)])


def lattice_cells(lon_deg, lat_deg) -> np.ndarray:
    """The lattice cell (a flat index) of each point.

    Examples
    --------
    >>> cells = lattice_cells(np.array([10.0, 10.5, 30.0, -179.9]), np.array([50.0, 50.5, 50.0, 50.0]))
    >>> bool(cells[0] == cells[1]), bool(cells[0] == cells[2]), bool(cells[3] < cells[0])
    (True, False, True)
    """
    lon_deg, lat_deg = np.asarray(lon_deg, float), np.asarray(lat_deg, float)
    row = np.clip(np.floor((lat_deg + 90.0) / CELL_DEG).astype(np.int64), 0, _N_ROWS - 1)
    col = np.floor(((lon_deg + 180.0) % 360.0) / 360.0 * _COLUMNS[row]).astype(np.int64)
    return _FIRST_CELL[row] + np.minimum(col, _COLUMNS[row] - 1)


def cell_box_deg(lon_deg: float, lat_deg: float) -> tuple[float, float, float, float]:
    """West, south, east and north edges of the lattice cell holding a point (east may pass 180).

    Examples
    --------
    >>> west, south, east, north = cell_box_deg(10.0, 50.0)
    >>> west <= 10.0 < east, (south, north)
    (True, (48.0, 54.0))
    """
    cell = int(lattice_cells(np.array([lon_deg]), np.array([lat_deg]))[0])
    row = int(np.searchsorted(_FIRST_CELL, cell, side="right") - 1)
    width = 360.0 / _COLUMNS[row]
    west = -180.0 + (cell - _FIRST_CELL[row]) * width
    south = -90.0 + CELL_DEG * row
    return float(west), float(south), float(west + width), float(south + CELL_DEG)


def _cell_centres_deg(cells) -> tuple[np.ndarray, np.ndarray]:
    row = np.searchsorted(_FIRST_CELL, cells, side="right") - 1
    col = cells - _FIRST_CELL[row]
    return -180.0 + (col + 0.5) * 360.0 / _COLUMNS[row], -90.0 + CELL_DEG * (row + 0.5)


@dataclass(frozen=True)
class ViewLattice:
    """The frames of a vast part: their centres, and which one each lattice cell is seen in.

    Attributes
    ----------
    centres_deg : list of (lon, lat)
        Centres of the cells that hold a vertex of the part or lie inside it.
    view_of_cell : ndarray of int64
        For every lattice cell, the nearest of those centres.

    Examples
    --------
    A part 2000 km wide gets six frames:

    >>> lattice = ViewLattice.of(shapely.box(30.0, 50.0, 60.0, 56.0))
    >>> [(round(lon, 2), lat) for lon, lat in lattice.centres_deg]
    [(29.19, 51.0), (38.92, 51.0), (48.65, 51.0), (58.38, 51.0), (28.12, 57.0), (61.88, 57.0)]
    >>> lattice.view_of(np.array([31.0, 45.0]), np.array([51.0, 53.0])).tolist()
    [0, 2]
    """

    centres_deg: list
    view_of_cell: np.ndarray

    @classmethod
    def of(cls, geometry_lonlat, centre_deg=None) -> "ViewLattice | None":
        """The lattice of a part, or None when one frame centred on it serves.

        `centre_deg` is the part's centre (:func:`detect.frame.spherical_centre_deg`), if known already.

        Examples
        --------
        >>> import shapely
        >>> ViewLattice.of(shapely.box(5.0, 45.0, 8.0, 47.0)) is None
        True
        >>> len(ViewLattice.of(shapely.box(30.0, 50.0, 90.0, 65.0)).centres_deg) > 10
        True
        """
        coords = shapely.get_coordinates(geometry_lonlat)
        # Every REACH_SAMPLE-th vertex is enough to tell a vast part: the threshold is no sharp line.
        xyz = unit_vectors(coords[::REACH_SAMPLE, 0], coords[::REACH_SAMPLE, 1])
        centre = unit_vectors(*(centre_deg or spherical_centre_deg(geometry_lonlat)))
        reach_m = np.arccos(np.clip(xyz @ centre, -1.0, 1.0)).max() * EARTH_RADIUS_M
        if reach_m <= VAST_RADIUS_M:
            return None
        every = np.arange(_FIRST_CELL[-1])
        lon, lat = _cell_centres_deg(every)
        inside = shapely.contains_xy(geometry_lonlat, lon, lat)
        kept = np.union1d(np.unique(lattice_cells(coords[:, 0], coords[:, 1])), every[inside])
        centres = unit_vectors(lon[kept], lat[kept])
        view_of_cell = np.argmax(unit_vectors(lon, lat) @ centres.T, axis=1)
        return cls(list(zip(lon[kept].tolist(), lat[kept].tolist())), view_of_cell)

    def view_of(self, lon_deg, lat_deg) -> np.ndarray:
        """The view each point is seen in: the nearest kept centre to its cell's.

        Examples
        --------
        >>> lattice = ViewLattice.of(shapely.box(30.0, 50.0, 60.0, 56.0))
        >>> views = lattice.view_of(np.array([31.0, 59.0]), np.array([51.0, 55.0]))
        >>> [lattice.centres_deg[view] for view in views]  # (59, 55) lies in the cell centred on (61.875, 57)
        [(29.189189189189193, 51.0), (61.875, 57.0)]
        """
        return self.view_of_cell[lattice_cells(lon_deg, lat_deg)]
