"""Which pieces of path can come near an airspace, judged in lon/lat.

Only the fixes of these pieces are projected into the working frame. A piece
is kept when its lon/lat box, widened by a margin, meets the airspace's
lon/lat box, or when it is long (over half a degree), since a long piece that
is straight in the frame bows away from its lon/lat chord. For pieces up to
half a degree the bow stays under 1 km outside the polar caps, well within
the 0.05 degree (5.5 km) margin; airspaces reaching beyond 80 degrees of
latitude are tested on latitude only. Longitudes are taken relative to the
airspace's centre, so airspaces across the antimeridian work.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import shapely

from detect.frame import spherical_centre_deg, wrap_lon_deg

MARGIN_DEG = 0.05
LONG_PIECE_DEG = 0.5
POLAR_LAT_DEG = 80.0


def near_airspace(geometry_lonlat, lon_deg, lat_deg, a, b) -> np.ndarray:
    """Mask of pieces a -> b (fix indices) that may meet the airspace.

    Examples
    --------
    >>> import shapely
    >>> near_airspace(shapely.box(24, 58, 26, 59), np.array([20.0, 20.4, 25.0, 25.1]),
    ...               np.array([58.5, 58.5, 58.5, 58.5]), np.array([0, 1, 2]), np.array([1, 2, 3]))
    array([False,  True,  True])
    """
    lon0, _ = spherical_centre_deg(geometry_lonlat)
    coords = shapely.get_coordinates(geometry_lonlat)
    rel_lon_air = wrap_lon_deg(coords[:, 0] - lon0)
    lat_min, lat_max = coords[:, 1].min() - MARGIN_DEG, coords[:, 1].max() + MARGIN_DEG
    polar = max(abs(lat_min), abs(lat_max)) >= POLAR_LAT_DEG
    lon_margin = 0.0 if polar else MARGIN_DEG / np.cos(np.radians(max(abs(lat_min), abs(lat_max))))
    keep = np.empty(len(a), bool)
    _near_box(np.ascontiguousarray(lon_deg, np.float64), np.ascontiguousarray(lat_deg, np.float64), a, b,
              lon0, rel_lon_air.min() - lon_margin, rel_lon_air.max() + lon_margin, lat_min, lat_max, polar, keep)
    return keep


@numba.njit(cache=True, nogil=True)
def _near_box(lon_deg, lat_deg, a, b, lon0, rel_lon_min, rel_lon_max, lat_min, lat_max, latitude_only, keep):
    """Write into ``keep`` whether each piece is long or its box meets the widened airspace box."""
    for i in range(len(a)):
        lat_a, lat_b = lat_deg[a[i]], lat_deg[b[i]]
        rel_a = (lon_deg[a[i]] - lon0 + 180.0) % 360.0 - 180.0
        dlon = (lon_deg[b[i]] - lon_deg[a[i]] + 180.0) % 360.0 - 180.0
        rel_b = rel_a + dlon
        meets = max(lat_a, lat_b) >= lat_min and min(lat_a, lat_b) <= lat_max
        if not latitude_only:
            meets = meets and max(rel_a, rel_b) >= rel_lon_min and min(rel_a, rel_b) <= rel_lon_max
        keep[i] = meets or abs(lat_b - lat_a) > LONG_PIECE_DEG or (
            abs(dlon) * math.cos(math.radians(0.5 * (lat_a + lat_b))) > LONG_PIECE_DEG)
