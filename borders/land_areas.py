"""Land and coastline from Natural Earth 1:10m admin 0: basemaps and over-land tests.

Land here is the union of Natural Earth's admin 0 polygons: the land areas
of every state and territory, including the lakes inside them (the Great
Lakes, Lake Victoria) but not the Caspian Sea. Its outline at sea is the
1:10m coastline, generalised to a few hundred metres.
"""

import functools

import geopandas as gpd
import numpy as np
import shapely

from borders.natural_earth import natural_earth_units


def land():
    """The world's land, one row per Natural Earth admin 0 unit.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326, 250 rows, columns ``iso_a2``, ``iso_a3`` (``""`` for
        units without an ISO code, such as the Sovereign Base Areas in
        Cyprus), ``name`` (English) and a valid Polygon or MultiPolygon
        ``geometry`` in lon/lat degrees, split at the antimeridian. A fresh
        copy on each call.

    Examples
    --------
    >>> world = land()
    >>> world.loc[world["iso_a3"] == "EST", "name"].tolist()
    ['Estonia']
    """
    units = natural_earth_units(geometry=True)
    return gpd.GeoDataFrame(
        units[["iso_a2", "iso_a3", "name", "geometry"]], geometry="geometry", crs="EPSG:4326"
    )


@functools.cache
def _land_index():
    """Every land polygon, prepared, and an STRtree over them."""
    parts = shapely.get_parts(natural_earth_units(geometry=True).geometry.values)
    shapely.prepare(parts)
    return parts, shapely.STRtree(parts)


def over_land(lon_deg, lat_deg):
    """Whether each point is over land (Natural Earth 1:10m), its coastline included.

    Parameters
    ----------
    lon_deg, lat_deg : array_like of float
        WGS84 degrees, broadcast against each other; longitudes in
        [-180, 180].

    Returns
    -------
    numpy.ndarray of bool
        The broadcast shape; True over land or on the coastline, False over
        the sea and for NaN coordinates.

    Examples
    --------
    >>> over_land([24.75, 24.75], [59.43, 59.70])  # Tallinn, the Gulf of Finland
    array([ True, False])
    """
    lon_deg, lat_deg = np.broadcast_arrays(
        np.asarray(lon_deg, dtype=float), np.asarray(lat_deg, dtype=float)
    )
    lon, lat = lon_deg.ravel(), lat_deg.ravel()
    inside = np.zeros(lon.shape, dtype=bool)
    parts, tree = _land_index()
    finite = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
    point_index, part_index = tree.query(shapely.points(lon[finite], lat[finite]))
    order = np.argsort(part_index, kind="stable")
    point_index, part_index = finite[point_index[order]], part_index[order]
    candidate_parts, starts = np.unique(part_index, return_index=True)
    for part, start, stop in zip(candidate_parts, starts, np.r_[starts[1:], len(part_index)]):
        points = point_index[start:stop]
        inside[points] |= shapely.intersects_xy(parts[part], lon[points], lat[points])
    return inside.reshape(lon_deg.shape)
