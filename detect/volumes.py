"""Airspace volumes made ready for detection once, and reused across calls.

A :class:`Volume` holds one airspace row with what detection needs of it:
its working frame, its polygon in that frame and its boundary grid.
:func:`find_violations` prepares the volumes of every call, unless it is
given a :class:`PreparedAirspace`; the streaming replay prepares them once.
"""

from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass

import numpy as np
import shapely

from airspace import validate_airspace
from detect.frame import Frame, working_crs
from detect.grid import build_grid


class Volume:
    """One airspace row, prepared: frame, polygon in frame metres, grid.

    Parameters
    ----------
    row : namedtuple
        A row of a validated airspace table (``itertuples``).
    crs : pyproj.CRS or str, optional
        Working projection; by default :func:`detect.working_crs` of the row's geometry.
    """

    def __init__(self, row, crs=None):
        self.row = row
        try:
            self.frame = Frame(crs if crs is not None else working_crs(row.geometry))
            self.polygon = self.frame.polygon_to_frame(row.geometry)
        except ValueError as error:
            raise ValueError(f"airspace {row.airspace_id!r}: {error}") from None
        shapely.prepare(self.polygon)
        self.grid = build_grid(self.polygon)
        self._polygon_lock = threading.Lock()

    def covers_xy(self, x_m, y_m) -> np.ndarray:
        """Whether frame points lie inside the polygon or on its boundary.

        Safe to call from several threads: they take turns, because GEOS
        prepared geometries are not thread-safe (libgeos/geos#825).
        """
        with self._polygon_lock:
            return shapely.intersects_xy(self.polygon, x_m, y_m)


def prepare_volumes(airspace, crs=None) -> list[Volume]:
    """Validate an airspace table and prepare each of its rows.

    Parameters
    ----------
    airspace : geopandas.GeoDataFrame
        The airspace table.
    crs : pyproj.CRS or str, optional
        One working projection for all volumes.

    Returns
    -------
    list of Volume
        In table order.
    """
    airspace = validate_airspace(airspace)
    _warn_agl(airspace)
    return [Volume(row, crs) for row in airspace.itertuples(index=False)]


@dataclass(frozen=True)
class PreparedAirspace:
    """An airspace table prepared once for many calls of :func:`detect.find_violations`.

    Made by :func:`prepare_airspace`. Like a prepared shapely geometry, it
    moves the one-off work (projecting each polygon into its working frame,
    building its boundary grid) out of the calls that use it.
    """

    volumes: tuple[Volume, ...]


def prepare_airspace(airspace, crs=None) -> PreparedAirspace:
    """Prepare an airspace table once, for many calls of :func:`detect.find_violations`.

    Parameters
    ----------
    airspace : geopandas.GeoDataFrame
        The airspace table.
    crs : pyproj.CRS or str, optional
        One working projection for all volumes; by default each gets its own
        (:func:`detect.working_crs`).

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
    return PreparedAirspace(tuple(prepare_volumes(airspace, crs)))


def _warn_agl(airspace) -> None:
    agl = (airspace["floor_ref"].eq("AGL") & np.isfinite(airspace["floor_m"])) | (
        airspace["ceiling_ref"].eq("AGL") & np.isfinite(airspace["ceiling_m"])
    )
    if agl.any():
        names = ", ".join(airspace.loc[agl, "airspace_id"].astype(str))
        warnings.warn(
            f"AGL limits compared with geometric altitude taking the ground at sea level "
            f"(no terrain model): {names}",
            UserWarning,
            stacklevel=4,
        )
