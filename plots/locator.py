"""The inset locator map: the region around the view, with the view's box drawn on it."""

from matplotlib.patches import Rectangle

from plots.basemap import land_near
from plots.map_projection import geometry_to_local, lonlat_bounds
from plots.shapes import fill_polygons, outline_polygons
from plots.style import COLOURS

REGION_MIN_HALF_WIDTH_M = 300_000.0
"""The locator shows at least this far from the centre of the view."""


def locator_map(ax, crs, box_m):
    """Draw the region around `box_m` (metres in `crs`) on `ax`, the box outlined in red.

    The region is centred on the box and at least six times its size,
    at least :data:`REGION_MIN_HALF_WIDTH_M` each way.

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
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    half = max(REGION_MIN_HALF_WIDTH_M, 3 * max(xmax - xmin, ymax - ymin))
    region = (cx - half, cy - half, cx + half, cy + half)
    _, land = land_near(lonlat_bounds(crs, region), pad_m=50_000.0)
    land_local = geometry_to_local(crs, land)
    fill_polygons(ax, land_local, facecolor=COLOURS["land"], edgecolor="none", zorder=1)
    outline_polygons(ax, land_local, color=COLOURS["coast"], linewidth=0.4, zorder=2)  # coasts and land borders
    ax.set_facecolor(COLOURS["sea"])
    width, height = xmax - xmin, ymax - ymin
    smallest = 0.04 * 2 * half
    if max(width, height) < smallest:
        ax.plot(cx, cy, marker="s", markersize=7, markerfacecolor="none", markeredgecolor=COLOURS["volume_edge"],
                markeredgewidth=1.8, zorder=4)
    ax.add_patch(Rectangle((xmin, ymin), width, height, fill=False, edgecolor=COLOURS["volume_edge"], linewidth=1.5,
                           zorder=3))
    ax.set_xlim(region[0], region[2])
    ax.set_ylim(region[1], region[3])
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
