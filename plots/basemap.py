"""The basemap: sea, land, and the states' sovereign airspace with its territorial sea, in a local frame.

Land comes from :func:`borders.land` (Natural Earth 1:10m), sovereign
airspace from :func:`borders.sovereign_airspace` for every state whose land
lies within :data:`NEIGHBOUR_REACH_M` of the view (far enough to catch a
territorial sea of 12 NM reaching into it). The territorial sea is drawn as
what it is: the sovereign airspace minus the land, hatched.
"""

import functools
import logging
import textwrap

import numpy as np
import shapely
from matplotlib.patches import Patch

import borders
from plots.map_projection import geometry_to_local, lonlat_bounds
from plots.shapes import fill_polygons, outline_polygons
from plots.style import COLOURS
from tracks.units import METRES_PER_DEGREE

log = logging.getLogger("airwarden")

NEIGHBOUR_REACH_M = 40_000.0
"""States whose land is this close to the view get their airspace drawn."""

TERRITORIAL_SEA_HATCH = "///"
"""How the territorial sea is hatched (matplotlib hatch pattern)."""

KEEP_CLEAR = ((0.0, 0.72, 0.14, 1.0), (0.72, 0.0, 1.0, 0.2))
"""Axes-fraction boxes left free of state names: the north arrow (top left), the scale bar (bottom right)."""

_SLIVER_DEG = 0.001

@functools.cache
def _land_units():
    units = borders.land()
    return units, shapely.STRtree(units.geometry.values)


@functools.lru_cache(maxsize=64)
def _sovereign_geometry(cache_directory, iso_a3):
    """One state's sovereign airspace polygon (None if it has none), kept per cache directory."""
    try:
        return borders.sovereign_airspace(iso_a3).geometry.iloc[0]
    except ValueError as error:
        log.info("no sovereign airspace drawn for %s: %s", iso_a3, error)
        return None


def padded_bounds(bounds, pad_m):
    """Lon/lat bounds widened by about `pad_m` metres on every side.

    Examples
    --------
    >>> [round(float(value), 3) for value in padded_bounds((26.2, 59.7, 26.5, 59.9), 1000.0)]
    [26.182, 59.691, 26.518, 59.909]
    """
    west, south, east, north = bounds
    pad_lat = pad_m / METRES_PER_DEGREE
    pad_lon = pad_lat / max(np.cos(np.radians(max(abs(south), abs(north)))), 0.05)
    return (max(west - pad_lon, -180.0), max(south - pad_lat, -90.0),
            min(east + pad_lon, 180.0), min(north + pad_lat, 90.0))


def states_near(bounds, *, reach_m=NEIGHBOUR_REACH_M):
    """Alpha-3 codes of the states whose land is within `reach_m` of lon/lat `bounds`.

    Examples
    --------
    >>> states_near((26.2, 59.7, 26.5, 59.9))  # Vaindloo
    ['EST', 'FIN', 'RUS']
    """
    units, tree = _land_units()
    hits = tree.query(shapely.box(*padded_bounds(bounds, reach_m)), predicate="intersects")
    codes = units["iso_a3"].to_numpy()[np.sort(hits)]
    return sorted({str(code) for code in codes if code})


def sovereign_airspace_near(bounds, *, reach_m=NEIGHBOUR_REACH_M):
    """The sovereign airspace of the states near lon/lat `bounds`, clipped to them padded.

    Returns
    -------
    dict
        Alpha-3 code to clipped lon/lat geometry (states without a polygon,
        or with none in the box, left out).

    Examples
    --------
    >>> sorted(sovereign_airspace_near((26.2, 59.7, 26.5, 59.9)))  # Vaindloo
    ['EST', 'FIN', 'RUS']
    """
    clip = padded_bounds(bounds, reach_m / 2)
    directory = str(borders.cache_dir())
    clipped = {}
    for code in states_near(bounds, reach_m=reach_m):
        geometry = _sovereign_geometry(directory, code)
        if geometry is None:
            continue
        part = shapely.clip_by_rect(geometry, *clip)
        if not part.is_empty:
            clipped[code] = part
    return clipped


def land_near(bounds, *, pad_m):
    """The land within lon/lat `bounds` padded, as (codes, clipped lon/lat geometries).

    Examples
    --------
    >>> codes, parts = land_near((26.2, 59.7, 26.5, 59.9), pad_m=10_000.0)
    >>> sorted(set(codes))
    ['EST']
    """
    units, tree = _land_units()
    clip = padded_bounds(bounds, pad_m)
    hits = np.sort(tree.query(shapely.box(*clip), predicate="intersects"))
    parts = shapely.clip_by_rect(units.geometry.values[hits], *clip)
    keep = ~shapely.is_empty(parts)
    return units["iso_a3"].to_numpy()[hits][keep], parts[keep]


def draw_basemap(ax, crs, box_m, *, highlight=None, label_states=True, avoid=None, keep_clear=KEEP_CLEAR):
    """Draw sea, land, sovereign airspace and territorial sea in a local frame.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Axes in the metres of `crs`; their limits are set to `box_m`.
    crs : pyproj.CRS
        The local projection (:func:`plots.map_projection.local_crs`).
    box_m : tuple of float
        ``(xmin, ymin, xmax, ymax)`` of the view, metres.
    highlight : str, optional
        Alpha-3 code of the state to tint (the violated one).
    label_states : bool
        Write each state's name on its land in view.
    avoid : shapely.Geometry, optional
        What the names should keep clear of (the track, in metres of `crs`).
    keep_clear : sequence of tuple
        Boxes ``(x0, y0, x1, y1)`` in axes fractions where no name goes
        (by default the corners of the north arrow and the scale bar).

    Returns
    -------
    list of matplotlib.artist.Artist
        Legend handles of what is in view: land, the sea outside every
        state's airspace, territorial sea, and the highlighted state's
        territorial sea.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from plots.map_projection import local_crs
    >>> ax = Figure().add_subplot()
    >>> entries = draw_basemap(ax, local_crs(26.36, 59.81), (-20_000.0, -15_000.0, 20_000.0, 15_000.0))
    >>> [entry.get_label() for entry in entries], [float(x) for x in ax.get_xlim()]
    (['land', 'sea: international airspace', 'territorial sea'], [-20000.0, 20000.0])
    """
    bounds = lonlat_bounds(crs, box_m)
    ax.set_facecolor(COLOURS["sea"])
    view = shapely.box(*box_m)
    # The view's lon/lat bounds come from its edges; land is taken well beyond
    # them, so that no strip of sea shows along an edge where land goes on.
    _, land_parts = land_near(bounds, pad_m=max(10_000.0, 0.1 * (box_m[2] - box_m[0])))
    # Natural Earth's neighbouring units do not quite share their borders:
    # a closing (out, then in by as much) removes the slivers between them.
    land_union = shapely.buffer(shapely.buffer(shapely.union_all(land_parts), _SLIVER_DEG, quad_segs=2),
                                -_SLIVER_DEG, quad_segs=2)
    land_outline = geometry_to_local(crs, land_union)
    fill_polygons(ax, land_outline, facecolor=COLOURS["land"], edgecolor="none", zorder=1)
    outline_polygons(ax, land_outline, color=COLOURS["coast"], linewidth=0.6, zorder=1.5)
    seen_area = _VISIBLE_FRACTION * view.area
    sea_seen = {False: False, True: False}  # territorial sea in view: of another state, of the highlighted one
    states = {}
    for code, airspace in sovereign_airspace_near(bounds).items():
        mine = code == highlight
        sea = geometry_to_local(crs, shapely.difference(airspace, land_union))
        sea_seen[mine] |= bool(shapely.area(_in_view(sea, box_m)) > seen_area)
        fill_polygons(
            ax, sea,
            facecolor=COLOURS["territorial_sea_violated" if mine else "territorial_sea"],
            edgecolor=COLOURS["hatch"], hatch=TERRITORIAL_SEA_HATCH, hatch_linewidth=0.6, linewidth=0.0, zorder=2,
        )
        states[code] = geometry_to_local(crs, airspace)
        outline_polygons(ax, states[code], color=COLOURS["state_border"], linewidth=1.0, zorder=3)
    claimed = shapely.union_all(_in_view([land_outline, *states.values()], box_m))
    open_sea_seen = shapely.area(shapely.difference(view, claimed)) > seen_area
    ax.set_xlim(box_m[0], box_m[2])
    ax.set_ylim(box_m[1], box_m[3])
    ax.set_aspect("equal")
    if label_states:
        _label_states(ax, states, box_m, avoid, keep_clear)
    return [
        Patch(facecolor=COLOURS["land"], edgecolor=COLOURS["coast"], label="land"),
        *([Patch(facecolor=COLOURS["sea"], edgecolor="none", label="sea: international airspace")]
          if open_sea_seen else []),
        *([Patch(facecolor=COLOURS["territorial_sea"], edgecolor=COLOURS["hatch"], hatch=TERRITORIAL_SEA_HATCH,
                 label="territorial sea")] if sea_seen[False] else []),
        *([Patch(facecolor=COLOURS["territorial_sea_violated"], edgecolor=COLOURS["hatch"],
                 hatch=TERRITORIAL_SEA_HATCH, label=f"territorial sea of {borders.lookup(highlight)['name']}")]
          if sea_seen[True] else []),
    ]


def _in_view(geometry, box_m):
    """The part of `geometry` (projected; one or an array) in the box `box_m`, made valid.

    A state projected far from the projection's centre (Alaska in a view of
    the Atlantic) can cross itself; clipped first, then made valid, it is
    cheap to mend and safe to measure.

    Examples
    --------
    >>> bow_tie = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])  # crosses itself at (1, 1)
    >>> float(shapely.area(_in_view(bow_tie, (0.0, 0.0, 1.0, 2.0))))  # its left triangle
    1.0
    """
    return shapely.make_valid(shapely.clip_by_rect(geometry, *box_m))


_VISIBLE_FRACTION = 0.002
"""Sea or territorial sea covering less of the view than this gets no legend entry."""

MIN_LABELLED_FRACTION = 0.012
"""A state whose airspace covers less of the view than this is not named."""


def _label_states(ax, states, box_m, avoid, keep_clear):
    """Write each state's name in its airspace in view, if it fits there, clear of `avoid` and of `keep_clear`.

    The name goes where the state's sovereign airspace (the borders drawn)
    has room for the whole name, away from `avoid`; a long name is written
    on two lines, and smaller if it does not fit. Natural Earth's land
    borders, which can differ from it by a few kilometres, are not used.
    The work is a fixed grid of candidate places per state, whatever the
    number of tracks.
    """
    from plots.placement import label_box_pt

    view = shapely.box(*box_m)
    xmin, ymin, xmax, ymax = box_m
    width, height = xmax - xmin, ymax - ymin
    grid_x, grid_y = np.meshgrid(np.linspace(xmin, xmax, 17)[1:-1], np.linspace(ymin, ymax, 13)[1:-1])
    grid_x, grid_y = grid_x.ravel(), grid_y.ravel()
    clear = [shapely.box(xmin + x0 * width, ymin + y0 * height, xmin + x1 * width, ymin + y1 * height)
             for x0, y0, x1, y1 in keep_clear]
    taken = shapely.union_all(clear) if clear else shapely.Point()
    position = ax.get_position()
    units_per_pt = width / (position.width * ax.figure.get_figwidth() * 72)
    for code, airspace in states.items():
        pieces = shapely.get_parts(_in_view(airspace, box_m))
        pieces = pieces[shapely.area(pieces) > 0] if len(pieces) else pieces
        if not len(pieces):
            continue
        largest = pieces[np.argmax(shapely.area(pieces))]
        if largest.area < MIN_LABELLED_FRACTION * view.area:
            continue
        name = textwrap.fill(str(borders.lookup(code)["name"]).upper(), 16)
        shapely.prepare(largest)
        inside = shapely.contains_xy(largest, grid_x, grid_y)
        points = shapely.points(grid_x[inside], grid_y[inside])
        if avoid is not None and len(points):
            order = np.argsort(-shapely.distance(points, avoid))
        else:
            order = np.arange(len(points))
        for size in (11, 8.5):
            w_pt, h_pt = label_box_pt(name, size)
            half_w, half_h = w_pt * units_per_pt / 2, h_pt * units_per_pt / 2
            boxes = shapely.box(shapely.get_x(points) - half_w, shapely.get_y(points) - half_h,
                                shapely.get_x(points) + half_w, shapely.get_y(points) + half_h)
            fits = shapely.contains(largest, boxes) & ~shapely.intersects(boxes, taken)
            chosen = next((i for i in order if fits[i]), None)
            if chosen is not None:
                point = points[chosen]
                taken = shapely.union(taken, boxes[chosen])
                ax.text(point.x, point.y, name, ha="center", va="center", fontsize=size, color=COLOURS["state_label"],
                        fontweight="bold", alpha=0.8, zorder=4, linespacing=1.0)
                break
