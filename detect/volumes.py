"""Airspace volumes made ready for detection, prepared part by part when tracks come near.

A :class:`Volume` holds one airspace row and its :class:`Part` s (its
polygons grouped by distance, :mod:`detect.parts`). A part is prepared (its
working frame, its polygon in that frame, its boundary grid) the first time
a track comes near it, and kept: parts that no track comes near cost
nothing. The parts of national airspace, the same in every run, are kept on
disk too (:mod:`detect.part_cache`), so that later processes load them.
A :class:`PreparedAirspace` holds the volumes and one lon/lat index
over all their parts (:class:`detect.prefilter.PartIndex`).
:func:`find_violations` prepares the airspace it is given, unless it is a
:class:`PreparedAirspace` or was prepared by a recent call
(:mod:`detect.recent`); the streaming replay prepares it once.
"""

from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from airspace import validate_airspace
from airspace.terrain import Terrain, read_terrain
from detect.cells import build_cells
from detect.frame import Frame, spherical_centre_deg
from detect.grid import build_grid
from detect.part_cache import load_part, part_key, store_part
from detect.parts import volume_parts
from detect.prefilter import PartIndex
from detect.shared_polygon import SharedPolygon
from detect.views import ViewLattice, cell_box_deg


class View:
    """One working frame of a part, with the part's polygon in it and its grid, made on first use.

    Parameters
    ----------
    part : Part
        The part seen.
    frame : detect.frame.Frame
        The working frame.
    cache_crs_key : str or None
        What names the frame in the disk cache's key: None for a part's
        default frame (centred on the part), else the frame's own key.
    cells_box_deg : tuple of float, optional
        The region the view's lon/lat cells cover (west, south, east,
        north; :mod:`detect.cells`), by default the whole part.

    Examples
    --------
    A box 11 km by 11 km, seen in the frame centred on it:

    >>> import shapely
    >>> from airspace import make_airspace
    >>> part = prepare_airspace(make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1))).parts[0]
    >>> view = part.views[0].prepare()
    >>> view.frame.key, round(view.polygon.area / 1e6, 1), view.grid.state.shape
    ('+proj=laea +lat_0=59.0400 +lon_0=24.1200 +ellps=WGS84', 127.9, (68, 70))
    >>> view.covers_xy(*view.frame.to_xy_m([24.1, 25.0], [59.05, 59.05])).tolist()
    [True, False]
    """

    def __init__(self, part, frame, cache_crs_key, cells_box_deg=None):
        self.part = part
        self.frame = frame
        self._cache_crs_key = cache_crs_key
        self._cells_box_deg = cells_box_deg
        self._prepare_lock = threading.Lock()
        self._ready = False

    def __getstate__(self):
        """What a pickle of the view holds (to ship an airspace to other processes): the view unprepared.

        Where it is unpickled, the view is made ready on first use again
        (:meth:`prepare`): a pickle stays as small as the airspace's
        geometry, however many grids were built here.

        Examples
        --------
        >>> import shapely
        >>> import pickle
        >>> from airspace import make_airspace
        >>> view = prepare_airspace(make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1))).parts[0].views[0]
        >>> copy = pickle.loads(pickle.dumps(view.prepare()))
        >>> hasattr(copy, "grid"), copy.prepare().covers_xy(*copy.frame.to_xy_m([24.1], [59.05])).tolist()
        (False, [True])
        """
        state = dict(self.__dict__)
        for name in ("_prepare_lock", "polygon", "_shared", "grid", "cells"):
            state.pop(name, None)
        return {**state, "_ready": False}

    def __setstate__(self, state):
        """A view from its pickle, unprepared, with a lock of its own."""
        self.__dict__.update(state)
        self._prepare_lock = threading.Lock()

    def prepare(self) -> "View":
        """Project the part and build its grid, once; safe to call from several threads.

        Examples
        --------
        >>> import shapely
        >>> from airspace import make_airspace
        >>> part = prepare_airspace(make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1))).parts[0]
        >>> view = part.views[0]
        >>> hasattr(view, "grid"), view.prepare() is view, hasattr(view, "grid")
        (False, True, True)
        """
        if not self._ready:
            with self._prepare_lock:
                if not self._ready:
                    self._build()
                    self._ready = True
        return self

    def _build(self) -> None:
        """Load the polygon, grid and cells from the disk cache (national airspace), or build them."""
        part = self.part
        key = part_key(part.geometry_lonlat, self._cache_crs_key) if part.row.kind == "national" else None
        cached = load_part(key) if key is not None else None
        if cached is not None:
            polygon, grid, cells = cached
        else:
            try:
                polygon = self.frame.polygon_to_frame(part.geometry_lonlat)
            except ValueError as error:
                raise ValueError(f"airspace {part.row.airspace_id!r}: {error}") from None
            grid = build_grid(polygon)
            cells = build_cells(part.geometry_lonlat, part.centre_deg[0], self.frame, grid, self._cells_box_deg)
            if key is not None:
                store_part(key, polygon, grid, cells)
        self._shared = SharedPolygon(polygon)
        self.polygon, self.grid, self.cells = polygon, grid, cells

    def covers_xy(self, x_m, y_m) -> np.ndarray:
        """Whether frame points lie inside the polygon or on its boundary.

        Safe to call from several threads (:class:`detect.shared_polygon.SharedPolygon`).

        Examples
        --------
        >>> import shapely
        >>> from airspace import make_airspace
        >>> part = prepare_airspace(make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1))).parts[0]
        >>> view = part.views[0].prepare()
        >>> view.covers_xy(*view.frame.to_xy_m([24.1, 24.0, 25.0], [59.05, 59.0, 59.05])).tolist()  # a corner counts
        [True, True, False]
        """
        return self._shared.intersects_xy(x_m, y_m)


class Part:
    """A part of one airspace volume, seen through one working frame or, if it is vast, several.

    Parameters
    ----------
    row : namedtuple
        The volume's row of a validated airspace table (its columns as attributes).
    geometry_lonlat : shapely.Polygon or shapely.MultiPolygon
        The part's polygons, EPSG:4326.
    crs : pyproj.CRS or str, optional
        One working projection; by default a frame centred on the part
        (:func:`detect.working_crs` of its geometry), or, for a part that
        reaches farther than :data:`detect.views.VAST_RADIUS_M` from its
        centre, one frame per cell of a lattice (:mod:`detect.views`): each
        piece of track is then seen in the frame of the cell it starts in.
        The depth is searched in those frames of the part's own
        (:attr:`depth_views`) whatever the working projection: one far from
        the part distorts distances, and the geodesic search would have more
        to correct.
    terrain : airspace.terrain.Terrain, optional
        The ground under the volume's AGL limits (:mod:`detect.ground`);
        None where it has none, or no terrain model was given.

    Examples
    --------
    A small part is seen in one frame; one 2000 km wide in six:

    >>> import shapely
    >>> from airspace import make_airspace
    >>> small = prepare_airspace(make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1))).parts[0]
    >>> [round(value, 2) for value in small.centre_deg], len(small.views), small.lattice is None
    ([24.12, 59.04], 1, True)
    >>> vast = prepare_airspace(make_airspace(shapely.box(30.0, 50.0, 60.0, 56.0))).parts[0]
    >>> len(vast.views), vast.view_of(np.array([31.0, 45.0]), np.array([51.0, 53.0])).tolist()
    (6, [0, 2])
    """

    #: The part whose approach band this is (:class:`detect.approach.ApproachPart`), None for a volume's own.
    approach_of = None

    def __init__(self, row, geometry_lonlat, crs=None, terrain=None):
        self.row = row
        self.terrain = terrain
        self.geometry_lonlat = geometry_lonlat
        self.centre_deg = spherical_centre_deg(geometry_lonlat)
        self.depth_lattice = ViewLattice.of(geometry_lonlat, self.centre_deg)
        self.depth_views = self._default_views()
        if crs is None:
            self.lattice, self.views = self.depth_lattice, self.depth_views
        else:
            frame = Frame(crs)
            self.lattice, self.views = None, (View(self, frame, frame.key),)

    def _default_views(self) -> tuple["View", ...]:
        """The part's own frames: one centred on it, or one per lattice cell for a vast part."""
        if self.depth_lattice is None:
            # The default frame keeps the key of a part seen whole; a cell's frame is named by its own.
            return (View(self, Frame.centred_at(*self.centre_deg), None),)
        # Each frame's cells cover the lattice cell it is centred on: most pieces seen in it start there.
        views = []
        for lon, lat in self.depth_lattice.centres_deg:
            frame = Frame.centred_at(lon, lat)
            views.append(View(self, frame, frame.key, cells_box_deg=cell_box_deg(lon, lat)))
        return tuple(views)

    def view_of(self, lon_deg, lat_deg) -> np.ndarray:
        """The view (index into :attr:`views`) to see each point in.

        Examples
        --------
        A part 2000 km wide, in its own frames and in one fixed CRS:

        >>> import shapely
        >>> from airspace import make_airspace
        >>> vast = make_airspace(shapely.box(30.0, 50.0, 60.0, 56.0))
        >>> lon, lat = np.array([31.0, 45.0]), np.array([51.0, 53.0])
        >>> prepare_airspace(vast).parts[0].view_of(lon, lat).tolist()
        [0, 2]
        >>> prepare_airspace(vast, crs="EPSG:3035").parts[0].view_of(lon, lat).tolist()
        [0, 0]
        """
        return _view_of(self.lattice, lon_deg, lat_deg)

    def depth_view_of(self, lon_deg, lat_deg) -> np.ndarray:
        """The view (index into :attr:`depth_views`) to search depth from each point in.

        Examples
        --------
        Depth is searched in the part's own frames, even where it is seen in one fixed CRS:

        >>> import shapely
        >>> from airspace import make_airspace
        >>> vast = make_airspace(shapely.box(30.0, 50.0, 60.0, 56.0))
        >>> lon, lat = np.array([31.0, 45.0]), np.array([51.0, 53.0])
        >>> prepare_airspace(vast, crs="EPSG:3035").parts[0].depth_view_of(lon, lat).tolist()
        [0, 2]
        """
        return _view_of(self.depth_lattice, lon_deg, lat_deg)

    def prepare(self) -> "Part":
        """Prepare every view now; returns itself.

        Examples
        --------
        >>> import shapely
        >>> from airspace import make_airspace
        >>> part = prepare_airspace(make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1))).parts[0]
        >>> part.prepare() is part, [hasattr(view, "grid") for view in part.views]
        (True, [True])
        """
        for view in {id(view): view for view in self.views + self.depth_views}.values():
            view.prepare()
        return self


def _view_of(lattice, lon_deg, lat_deg) -> np.ndarray:
    """The view of each point: its lattice cell's, or the only one."""
    if lattice is None:
        return np.zeros(len(lon_deg), np.int64)
    return lattice.view_of(lon_deg, lat_deg)


@dataclass(frozen=True)
class Volume:
    """One airspace row and its parts, and the kind of event a stay in them is (``violation`` or ``approach``).

    Examples
    --------
    A volume of two islands far apart has two parts:

    >>> import shapely
    >>> from airspace import make_airspace
    >>> islands = shapely.box(24.0, 59.0, 24.2, 59.1) | shapely.box(10.0, 40.0, 10.1, 40.1)
    >>> volume = prepare_airspace(make_airspace(islands, airspace_id="M1")).volumes[0]
    >>> volume.row.airspace_id, len(volume.parts)
    ('M1', 2)
    """

    row: object
    parts: tuple[Part, ...]
    event: str = "violation"


@dataclass(frozen=True)
class PreparedAirspace:
    """An airspace table made ready once for many calls of :func:`detect.find_violations`.

    Made by :func:`prepare_airspace`. Like a prepared shapely geometry, it
    moves the one-off work out of the calls that use it: the volumes' parts
    and their lon/lat index at once, each part's frame and grid when a track
    first comes near it.

    Examples
    --------
    >>> import shapely
    >>> from airspace import make_airspace
    >>> islands = shapely.box(24.0, 59.0, 24.2, 59.1) | shapely.box(10.0, 40.0, 10.1, 40.1)
    >>> prepared = prepare_airspace(make_airspace([islands, shapely.box(20.0, 50.0, 20.1, 50.1)]))
    >>> len(prepared.volumes), len(prepared.parts)
    (2, 3)
    >>> prepared.index.candidates(np.array([20.05, 20.06]), np.array([50.05, 50.05]), [0], [1])  # near part 2
    (array([0]), array([2], dtype=int32))
    """

    volumes: tuple[Volume, ...]
    parts: tuple[Part, ...]
    index: PartIndex

    def prepare_all(self) -> "PreparedAirspace":
        """Prepare every part now, not on first use; returns itself.

        Examples
        --------
        >>> import shapely
        >>> from airspace import make_airspace
        >>> prepared = prepare_airspace(make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1)))
        >>> prepared.prepare_all() is prepared, hasattr(prepared.parts[0].views[0], "grid")
        (True, True)
        """
        for part in self.parts:
            part.prepare()
        return self


def prepare_airspace(airspace, crs=None, terrain=None, *, approach_m: float | None = None,
                     approach_vertical_m: float | None = None) -> PreparedAirspace:
    """Make an airspace table ready once, for many calls of :func:`detect.find_violations`.

    Parameters
    ----------
    airspace : geopandas.GeoDataFrame
        The airspace table.
    crs : pyproj.CRS or str, optional
        One working projection for all volumes; by default each part of each
        volume gets its own (:func:`detect.working_crs`).
    terrain : airspace.terrain.Terrain or str or pathlib.Path, optional
        The ground under ``AGL`` limits: a terrain model, or a raster file
        to read one from (:func:`airspace.terrain.read_terrain`, the window
        over the volumes with AGL limits). Without one, AGL limits take the
        ground at sea level, a warning says so, and the events in those
        volumes say ``ground_assumed``.
    approach_m : float, optional
        Also find near approaches: stays outside a volume within this
        geodesic distance of it (:mod:`detect.approach`). Off by default.
    approach_vertical_m : float, optional
        With `approach_m`, how far below a volume's floor and above its
        ceiling an approach reaches; 0 by default.

    Returns
    -------
    PreparedAirspace

    Examples
    --------
    >>> import shapely
    >>> from airspace import make_airspace
    >>> prepared = prepare_airspace(make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), airspace_id="R1"))
    >>> [volume.row.airspace_id for volume in prepared.volumes]
    ['R1']
    """
    airspace = validate_airspace(airspace)
    agl = _has_agl_limit(airspace)
    terrain = terrain_under(airspace, terrain)
    if terrain is None:
        _warn_agl(airspace, agl)
    if crs is not None:
        Frame(crs)  # a bad CRS is refused here, not at the first track near a part
    volumes = []
    for values, has_agl in zip(airspace.itertuples(index=False), agl):
        row = SimpleNamespace(**values._asdict())  # as the named tuple, but a pickle ships it to other processes
        ground = terrain if has_agl else None
        volumes.append(Volume(row, tuple(Part(row, geometry, crs, ground) for geometry in volume_parts(row.geometry))))
    if approach_m is not None:
        from detect.approach import approach_volumes

        volumes += approach_volumes(volumes, approach_m, approach_vertical_m, crs)
    elif approach_vertical_m is not None:
        raise ValueError("approach_vertical_m: give approach_m too")
    parts = tuple(part for volume in volumes for part in volume.parts)
    index = PartIndex([part.geometry_lonlat for part in parts], [part.centre_deg[0] for part in parts])
    return PreparedAirspace(tuple(volumes), parts, index)


def terrain_under(airspace, terrain):
    """The terrain model under the AGL limits of an airspace table; None where there is none to use.

    Parameters
    ----------
    airspace : geopandas.GeoDataFrame
        A validated airspace table.
    terrain : airspace.terrain.Terrain or str or pathlib.Path or None
        A terrain model, or a raster file: then only the window over the
        volumes with AGL limits is read (:func:`airspace.terrain.read_terrain`).

    Returns
    -------
    airspace.terrain.Terrain or None
        None when no terrain is given, or when no volume has an AGL limit
        (a warning says the model is not used).

    Examples
    --------
    >>> import shapely
    >>> import warnings
    >>> from airspace import make_airspace
    >>> zone = validate_airspace(make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), ceiling_m=150.0,
    ...                                        ceiling_ref="AGL"))
    >>> plateau = Terrain(np.full((2, 2), 60.0), west=23.0, north=60.0, cell_x=1.0, cell_y=1.0)
    >>> terrain_under(zone, plateau) is plateau
    True
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     terrain_under(zone.assign(ceiling_ref="MSL"), plateau)
    >>> str(caught[0].message)
    'no volume has an AGL limit: the terrain model terrain is not used'
    """
    if terrain is None:
        return None
    agl = _has_agl_limit(airspace)
    if not agl.any():
        name = terrain.source if isinstance(terrain, Terrain) else str(terrain)
        warnings.warn(f"no volume has an AGL limit: the terrain model {name} is not used", UserWarning, stacklevel=3)
        return None
    if isinstance(terrain, Terrain):
        return terrain
    return read_terrain(terrain, bounds_deg=tuple(airspace.geometry[agl].total_bounds))


def refuse_preparing_options(**options) -> None:
    """Refuse options of :func:`prepare_airspace` given with an airspace that is prepared already.

    Examples
    --------
    >>> refuse_preparing_options(crs=None, terrain=None)
    >>> refuse_preparing_options(crs="EPSG:3035", terrain=None)
    Traceback (most recent call last):
    ...
    ValueError: crs: the airspace is already prepared; give the crs to prepare_airspace
    """
    for name, value in options.items():
        if value is not None:
            raise ValueError(f"{name}: the airspace is already prepared; give the {name} to prepare_airspace")


def _has_agl_limit(airspace) -> np.ndarray:
    """Per volume, whether its floor or ceiling is a finite height above the ground."""
    return ((airspace["floor_ref"].eq("AGL") & np.isfinite(airspace["floor_m"])) | (
        airspace["ceiling_ref"].eq("AGL") & np.isfinite(airspace["ceiling_m"])
    )).to_numpy(bool)


def _warn_agl(airspace, agl) -> None:
    if agl.any():
        names = ", ".join(airspace.loc[agl, "airspace_id"].astype(str))
        warnings.warn(
            f"AGL limits compared with geometric altitude taking the ground at sea level "
            f"(no terrain model; the events say ground_assumed): {names}",
            UserWarning,
            stacklevel=4,
        )
