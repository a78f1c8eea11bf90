"""The inset locator map: the region around the view, with the view's box drawn on it."""

import functools
import math

import numpy as np
import shapely
from matplotlib.patches import Polygon

from plots.basemap import land_near
from plots.map_projection import geometry_to_local, local_crs, lonlat_bounds, to_lonlat
from plots.shapes import fill_polygons, outline_polygons
from plots.style import COLOURS

REGION_MIN_HALF_WIDTH_M = 300_000.0
"""The locator shows at least this far from the centre of the view."""

FRAME_STEP_DEG = 1.0
"""The locator is drawn in the azimuthal equidistant frame of the nearest whole degree to the view's centre.

Its land is then projected once for every view near that point, not once
per view; at the locator's scale the view's box is drawn as it projects.
"""

_REGION_STEP_M = 100_000.0


def locator_map(ax, crs, box_m):
    """Draw the region around `box_m` (metres in `crs`) on `ax`, the box outlined in red.

    The region is centred on the box and at least six times its size,
    at least :data:`REGION_MIN_HALF_WIDTH_M` each way; north is up at the
    whole degree nearest to the box (:data:`FRAME_STEP_DEG`).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from plots.map_projection import local_crs
    >>> ax = Figure().add_subplot()
    >>> locator_map(ax, local_crs(26.36, 59.81), (-20_000.0, -15_000.0, 20_000.0, 15_000.0))
    >>> len(ax.collections) > 0, ax.get_xticks().size
    (True, 0)
    """
    xmin, ymin, xmax, ymax = box_m
    half = max(REGION_MIN_HALF_WIDTH_M, 3 * max(xmax - xmin, ymax - ymin))
    half = math.ceil(half / _REGION_STEP_M) * _REGION_STEP_M
    centre_lon, centre_lat = to_lonlat(crs, (xmin + xmax) / 2, (ymin + ymax) / 2)
    frame_crs, land_local = _region_land(round(float(centre_lon) / FRAME_STEP_DEG) * FRAME_STEP_DEG,
                                         round(float(centre_lat) / FRAME_STEP_DEG) * FRAME_STEP_DEG, half)
    fill_polygons(ax, land_local, facecolor=COLOURS["land"], edgecolor="none", zorder=1)
    outline_polygons(ax, land_local, color=COLOURS["coast"], linewidth=0.4, zorder=2)  # coasts and land borders
    ax.set_facecolor(COLOURS["sea"])
    view = shapely.segmentize(shapely.box(*box_m), max(xmax - xmin, ymax - ymin) / 16)
    outline = np.column_stack(to_lonlat(crs, *shapely.get_coordinates(view).T))
    outline = np.column_stack(geometry_to_local(frame_crs, shapely.linestrings(outline)).xy)
    cx, cy = outline.mean(axis=0)
    if max(np.ptp(outline, axis=0)) < 0.04 * 2 * half:
        ax.plot(cx, cy, marker="s", markersize=7, markerfacecolor="none", markeredgecolor=COLOURS["volume_edge"],
                markeredgewidth=1.8, zorder=4)
    ax.add_patch(Polygon(outline, closed=True, fill=False, edgecolor=COLOURS["volume_edge"], linewidth=1.5, zorder=3))
    ax.set_xlim(cx - half, cx + half)
    ax.set_ylim(cy - half, cy + half)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])


@functools.lru_cache(maxsize=8)
def _region_land(lon_deg, lat_deg, half_m):
    """The frame centred on a whole-degree point, and the land within `half_m` of anywhere half a step from it."""
    crs = local_crs(lon_deg, lat_deg)
    reach_m = half_m + FRAME_STEP_DEG * 111_000.0
    _, land = land_near(lonlat_bounds(crs, (-reach_m, -reach_m, reach_m, reach_m)), pad_m=50_000.0)
    return crs, geometry_to_local(crs, land)
