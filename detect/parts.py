"""The parts of an airspace volume: its polygons near one another, each group with a frame of its own.

A state's airspace can hold polygons on several continents (France with
Réunion and French Guiana, the United States with Alaska and Hawaii). One
planar frame for all of them would be centred far from every one, and
distorted where the tracks are. So a volume is detected part by part: its
polygons are grouped by distance, each group gets its own working frame
centred on it, and a part is prepared only when a track comes near it.

A point's depth in a volume is its distance to the boundary of the polygon
holding it, and every polygon lies wholly in one part, so depth is found
part by part too. Polygons split at the antimeridian are kept in one part,
so that the seam is never taken for a boundary.
"""

from __future__ import annotations

import numpy as np
import shapely

from detect.frame import EARTH_RADIUS_M

#: Polygons whose centres lie within this distance of a part's first (largest) polygon join it.
PART_RADIUS_M = 1_000_000.0
#: Longitudes this close to +/-180 degrees are on the antimeridian seam.
SEAM_TOLERANCE_DEG = 1e-9


def volume_parts(geometry_lonlat) -> list:
    """Group the polygons of a volume into parts.

    Parameters
    ----------
    geometry_lonlat : shapely.Polygon or shapely.MultiPolygon
        The volume's lateral extent, EPSG:4326.

    Returns
    -------
    list of shapely.Polygon or shapely.MultiPolygon
        The parts, the one holding the largest polygon first. Polygons that
        reach the antimeridian and overlap in latitude are in one part;
        otherwise, taken from the largest, each polygon joins the first part
        whose first polygon's centre is within :data:`PART_RADIUS_M` of its
        own, or starts a new part.

    Examples
    --------
    >>> import shapely
    >>> mainland, island = shapely.box(2.0, 45.0, 6.0, 48.0), shapely.box(8.5, 41.5, 9.5, 43.0)
    >>> overseas = shapely.box(55.2, -21.4, 55.9, -20.8)
    >>> parts = volume_parts(shapely.MultiPolygon([mainland, island, overseas]))
    >>> [round(float(shapely.area(part)), 2) for part in parts]
    [13.5, 0.42]
    """
    components = shapely.get_parts(geometry_lonlat)
    if len(components) <= 1:
        return [geometry_lonlat]
    units = _seam_units(components)
    coords, owner = shapely.get_coordinates(components, return_index=True)
    unit_of_component = np.empty(len(components), np.int64)
    for u, members in enumerate(units):
        unit_of_component[members] = u
    centre = _unit_vector_centres(coords, unit_of_component[owner], len(units))
    size = np.bincount(unit_of_component[owner], minlength=len(units))
    seeds: list[int] = []
    part_of_unit = np.empty(len(units), np.int64)
    max_chord = 2.0 * np.sin(PART_RADIUS_M / EARTH_RADIUS_M / 2.0)
    for u in np.argsort(-size, kind="stable"):
        near = [k for k, seed in enumerate(seeds) if np.linalg.norm(centre[u] - centre[seed]) <= max_chord]
        if near:
            part_of_unit[u] = near[0]
        else:
            part_of_unit[u] = len(seeds)
            seeds.append(u)
    if len(seeds) == 1:
        return [geometry_lonlat]
    parts = []
    for k in range(len(seeds)):
        members = np.concatenate([units[u] for u in np.flatnonzero(part_of_unit == k)])
        chosen = components[np.sort(members)]
        parts.append(chosen[0] if len(chosen) == 1 else shapely.MultiPolygon(list(chosen)))
    return parts


def _seam_units(components) -> list[np.ndarray]:
    """Components as units: those reaching the antimeridian joined when their latitudes overlap."""
    minx, miny, maxx, maxy = shapely.bounds(components).T
    at_seam = (minx <= -180.0 + SEAM_TOLERANCE_DEG) | (maxx >= 180.0 - SEAM_TOLERANCE_DEG)
    units = [np.array([i]) for i in np.flatnonzero(~at_seam)]
    seam = np.flatnonzero(at_seam)
    seam = seam[np.argsort(miny[seam], kind="stable")]
    group: list[int] = []
    reach = -np.inf
    for i in seam:  # sweep by latitude: a component overlapping the group's span joins it
        if group and miny[i] > reach:
            units.append(np.array(group))
            group, reach = [], -np.inf
        group.append(i)
        reach = max(reach, maxy[i])
    if group:
        units.append(np.array(group))
    return units


def _unit_vector_centres(coords, unit_of_vertex, n_units) -> np.ndarray:
    """Mean unit vector of each unit's vertices, normalised (rows x, y, z)."""
    lon, lat = np.radians(coords[:, 0]), np.radians(coords[:, 1])
    xyz = np.column_stack([
        np.bincount(unit_of_vertex, np.cos(lat) * np.cos(lon), n_units),
        np.bincount(unit_of_vertex, np.cos(lat) * np.sin(lon), n_units),
        np.bincount(unit_of_vertex, np.sin(lat), n_units),
    ])
    norm = np.linalg.norm(xyz, axis=1, keepdims=True)
    return xyz / np.where(norm > 0, norm, 1.0)
