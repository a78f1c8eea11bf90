"""Terrain: the ground under AGL limits, from a digital elevation model.

A :class:`Terrain` holds a grid of ground heights in metres above mean sea
level and says how high the ground is at any lon/lat point
(:meth:`Terrain.ground_m`), by bilinear interpolation between the centres of
its cells. :func:`read_terrain` reads any raster GDAL reads (GeoTIFF, SRTM
``.hgt``, ...) through rasterio, an optional dependency
(``pip install 'airwarden[terrain]'``), in whatever projection it is in.

Heights are taken as they are: a model of orthometric heights (SRTM,
Copernicus DEM, EU-DEM: metres above the geoid) compares with the tracks'
``alt_geo_m`` as an ``MSL`` limit does. Where the model has no value (outside
it, or its nodata cells), :meth:`Terrain.ground_m` gives NaN and the
detection takes the ground at sea level there, and says so on the event
(``ground_assumed``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tracks.errors import ReadError

#: Samples per DEM cell along a path, where the ground between them is taken as linear.
SAMPLES_PER_CELL = 2


@dataclass(frozen=True)
class Terrain:
    """Ground heights on a regular grid, north-up.

    Parameters
    ----------
    heights_m : ndarray of float, shape (rows, columns)
        Ground height of each cell in metres above mean sea level, NaN where
        unknown; row 0 is the northernmost.
    west, north : float
        Coordinates of the grid's north-west corner, in `crs` units.
    cell_x, cell_y : float
        Width and height of a cell, in `crs` units (both positive).
    crs : str or pyproj.CRS
        The grid's coordinate reference system (default ``"EPSG:4326"``:
        ``west``/``north`` and cell sizes in degrees).
    source : str
        Where the heights came from (a file name), for messages.

    Attributes
    ----------
    height_range_m : tuple of float
        The lowest and highest height the model has.

    Examples
    --------
    Ground rising from 0 m in the west to 300 m in the east, over 0.3 degrees:

    >>> heights = np.tile([0.0, 100.0, 200.0, 300.0], (3, 1))
    >>> slope = Terrain(heights, west=24.0, north=59.1, cell_x=0.1, cell_y=0.1)
    >>> slope.ground_m(np.array([24.05, 24.1, 24.35, 30.0]), np.array([59.0, 59.0, 59.0, 59.0])).round(6).tolist()
    [0.0, 50.0, 300.0, nan]
    """

    heights_m: np.ndarray
    west: float
    north: float
    cell_x: float
    cell_y: float
    crs: object = "EPSG:4326"
    source: str = "terrain"
    height_range_m: tuple = field(default=(0.0, 0.0), init=False, compare=False)
    _to_grid: object = field(default=None, init=False, repr=False, compare=False)
    _metres_per_unit: object = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self):
        heights = np.asarray(self.heights_m, dtype=float)
        if heights.ndim != 2 or min(heights.shape) < 1:
            raise ValueError(f"{self.source}: terrain heights must be a 2-D grid, got shape {heights.shape}")
        if not (self.cell_x > 0 and self.cell_y > 0):
            raise ValueError(f"{self.source}: terrain cells must have a positive size")
        object.__setattr__(self, "heights_m", heights)
        known = heights[np.isfinite(heights)]
        object.__setattr__(self, "height_range_m", (float(known.min()), float(known.max())) if len(known)
                           else (0.0, 0.0))
        from pyproj import CRS, Transformer

        crs = CRS.from_user_input(self.crs)
        if crs != CRS.from_epsg(4326):
            object.__setattr__(self, "_to_grid", Transformer.from_crs("EPSG:4326", crs, always_xy=True))
        if not crs.is_geographic:  # None: cells in degrees
            object.__setattr__(self, "_metres_per_unit", crs.axis_info[0].unit_conversion_factor)

    def ground_m(self, lon_deg, lat_deg) -> np.ndarray:
        """Ground height in metres above mean sea level at lon/lat points; NaN where the model has none.

        Bilinear between the four nearest cell centres; at the model's outer
        half-cells, the nearest row or column is repeated.

        Examples
        --------
        >>> flat = Terrain(np.full((2, 2), 120.0), west=10.0, north=47.0, cell_x=0.5, cell_y=0.5)
        >>> flat.ground_m([10.0, 10.99, 11.01], [46.5, 46.01, 46.5]).tolist()
        [120.0, 120.0, nan]
        """
        x, y = np.asarray(lon_deg, float), np.asarray(lat_deg, float)
        if self._to_grid is not None:
            x, y = self._to_grid.transform(x, y)
        rows, columns = self.heights_m.shape
        column = (x - self.west) / self.cell_x - 0.5  # in cell-centre units
        row = (self.north - y) / self.cell_y - 0.5
        inside = (column >= -0.5) & (column <= columns - 0.5) & (row >= -0.5) & (row <= rows - 0.5)
        column = np.clip(np.where(inside, column, 0.0), 0.0, columns - 1.0)
        row = np.clip(np.where(inside, row, 0.0), 0.0, rows - 1.0)
        c0 = np.minimum(np.floor(column).astype(np.int64), max(columns - 2, 0))
        r0 = np.minimum(np.floor(row).astype(np.int64), max(rows - 2, 0))
        c1, r1 = np.minimum(c0 + 1, columns - 1), np.minimum(r0 + 1, rows - 1)
        fc, fr = column - c0, row - r0
        h = self.heights_m
        top = h[r0, c0] + fc * (h[r0, c1] - h[r0, c0])
        bottom = h[r1, c0] + fc * (h[r1, c1] - h[r1, c0])
        return np.where(inside, top + fr * (bottom - top), np.nan)

    def sample_step_m(self, lat_deg: float) -> float:
        """Spacing in metres of ground samples along a path near latitude `lat_deg`.

        :data:`SAMPLES_PER_CELL` samples per cell of the model, in its
        smaller dimension (cells in degrees are measured on a sphere of
        6,371 km at that latitude).

        Examples
        --------
        >>> one_arcsecond = Terrain(np.zeros((2, 2)), west=0.0, north=1.0, cell_x=1 / 3600, cell_y=1 / 3600)
        >>> round(one_arcsecond.sample_step_m(0.0), 1)
        15.4
        """
        if self._metres_per_unit is None:
            metres_per_degree = 6_371_000.0 * np.pi / 180.0
            size_m = min(self.cell_x * np.cos(np.radians(lat_deg)), self.cell_y) * metres_per_degree
        else:
            size_m = min(self.cell_x, self.cell_y) * self._metres_per_unit
        return float(size_m) / SAMPLES_PER_CELL


def read_terrain(path, bounds_deg=None) -> Terrain:
    """Read a digital elevation model (any raster GDAL reads) as :class:`Terrain`.

    Parameters
    ----------
    path : str or pathlib.Path
        The raster; its first band holds heights in metres.
    bounds_deg : tuple of float, optional
        ``(west, south, east, north)`` in degrees: read only the window that
        covers them (with a cell to spare), so that a continental model costs
        what the region costs. By default the whole raster.

    Raises
    ------
    tracks.errors.ReadError
        The file cannot be read as a raster, or has no cell in `bounds_deg`.
    ImportError
        rasterio is not installed.

    Examples
    --------
    >>> import tempfile, rasterio
    >>> from rasterio.transform import Affine
    >>> path = Path(tempfile.mkdtemp()) / "dem.tif"
    >>> with rasterio.open(path, "w", driver="GTiff", width=4, height=3, count=1, dtype="float32",
    ...                    crs="EPSG:4326", transform=Affine(0.1, 0, 24.0, 0, -0.1, 59.1), nodata=-9999) as out:
    ...     out.write(np.tile(np.float32([0, 100, 200, -9999]), (3, 1)), 1)
    >>> terrain = read_terrain(path)
    >>> terrain.heights_m.shape, terrain.ground_m([24.1, 24.35], [59.0, 59.0]).round(6).tolist()
    ((3, 4), [50.0, nan])
    """
    try:
        import rasterio
        from rasterio.windows import Window, from_bounds
    except ImportError:
        raise ImportError("reading a terrain model needs rasterio: pip install 'airwarden[terrain]'") from None
    path = Path(path)
    if not path.exists():
        raise ReadError(f"{path}: no such file")
    try:
        with rasterio.open(path) as raster:
            if raster.crs is None:
                raise ReadError(f"{path}: the raster has no coordinate reference system")
            if raster.transform.b != 0 or raster.transform.d != 0 or raster.transform.e >= 0:
                raise ReadError(f"{path}: the raster is rotated or not north-up")
            window = Window(0, 0, raster.width, raster.height)
            if bounds_deg is not None:
                window = _window_of(raster, bounds_deg, from_bounds)
            heights = raster.read(1, window=window, masked=True).astype(float).filled(np.nan)
            grid = raster.transform
            west, north = grid.c + window.col_off * grid.a, grid.f + window.row_off * grid.e
            cell_x, cell_y = grid.a, -grid.e
            crs = raster.crs.to_wkt()
    except rasterio.errors.RasterioError as error:
        raise ReadError(f"{path}: cannot read as a terrain raster: {error}") from None
    return Terrain(heights, west=west, north=north, cell_x=cell_x, cell_y=cell_y, crs=crs, source=path.name)


def _window_of(raster, bounds_deg, from_bounds):
    """The raster window (whole cells, one to spare on each side) covering lon/lat `bounds_deg`."""
    from pyproj import Transformer

    west, south, east, north = bounds_deg
    lon = np.linspace(west, east, 21)
    lat = np.linspace(south, north, 21)
    lon, lat = np.meshgrid(lon, lat)
    x, y = Transformer.from_crs("EPSG:4326", raster.crs, always_xy=True).transform(lon.ravel(), lat.ravel())
    window = from_bounds(np.min(x), np.min(y), np.max(x), np.max(y), transform=raster.transform)
    col_off, row_off = int(np.floor(window.col_off)) - 1, int(np.floor(window.row_off)) - 1
    col_end = int(np.ceil(window.col_off + window.width)) + 1
    row_end = int(np.ceil(window.row_off + window.height)) + 1
    col_off, row_off = max(col_off, 0), max(row_off, 0)
    col_end, row_end = min(col_end, raster.width), min(row_end, raster.height)
    if col_end <= col_off or row_end <= row_off:
        raise ReadError(f"{raster.name}: no terrain within {tuple(round(v, 4) for v in bounds_deg)}")
    return type(window)(col_off, row_off, col_end - col_off, row_end - row_off)
