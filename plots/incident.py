"""The incident map of one event: where the track went in, how deep, and where it came out."""

import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from plots.basemap import KEEP_CLEAR, draw_basemap, padded_bounds
from plots.decor import direction_offset, footer, illustrative_banner, map_furniture, title, watermark
from plots.legend import sovereign_limit_entry, track_entries
from plots.map_projection import axes_aspect, fitted_box, geometry_to_local, local_crs, lonlat_bounds, to_local
from plots.labels import (callsign_of, distance_label, doubts, duration_label, has_country, limit_label,
                          position_label, track_label, utc_clock, utc_date, volume_words)
from plots.locator import locator_map
from plots.placement import alignment, place_label
from plots.places import ATTRIBUTION as PLACES_ATTRIBUTION, name_places
from plots.shapes import fill_polygons, outline_polygons
from plots.selection import one_row
from plots.style import BOX_STYLE, COLOURS, FIGURE_SIZE_IN, ILLUSTRATIVE_TEXT
from plots.trackpath import gap_segments, gap_threshold_s, split_at_event, split_times_at_event, track_fixes
from tracks.units import FOOT_M

LABEL_FONT_SIZE = 10
"""Size of the entry, exit and depth labels, points."""

MIN_MARGIN_M = 3_000.0
MAX_MARGIN_M = 40_000.0
MIN_VIEW_M = 8_000.0
"""The view shows the inside part plus a margin of half its extent, within these bounds."""

_MAP_RECT = (0.02, 0.085, 0.68, 0.775)
_LOCATOR_RECT = (0.715, 0.545, 0.27, 0.33)
_INSET_IN_AXES = (0.68, 0.68, 1.0, 1.0)
_LEGEND_IN_AXES = (0.0, 0.0, 0.4, 0.3)


def airspace_row(airspace, airspace_id):
    """The row of the airspace table with this id.

    Raises
    ------
    ValueError
        If the airspace table has no such volume.

    Examples
    --------
    >>> from detect.example_data import example_tables
    >>> _, _, volumes = example_tables()
    >>> airspace_row(volumes, "EX-R1")["name"]
    'Example restricted area (illustrative)'
    """
    rows = airspace[airspace["airspace_id"] == airspace_id]
    if rows.empty:
        raise ValueError(f"airspace: no volume {airspace_id!r}, which the event names")
    return rows.iloc[0]


def incident_map(event, tracks, airspace, *, illustrative=False, ax=None):
    """Draw the map of one event.

    The violated volume (red outline, tinted) and the sovereign airspace of
    the states around it over land and sea, the territorial sea hatched; the
    track blue outside and red inside, cut at the exact entry and exit
    points; entry and exit labelled with their UTC times; the deepest point
    with its depth in km and NM and a dashed line to the nearest border; a
    scale bar in km and NM, a north arrow, a locator inset, the title and the
    data attribution. Drawn in an azimuthal equidistant projection centred
    on the deepest point, so that distances are true.

    A near approach (``event == "approach"``) is drawn alike, centred on its
    closest point: the track orange where it is near, the closest point with
    its distance and a line to the nearest border, and the approach band (a
    dashed outline at the distance asked for, which a crossing of the band
    tells: the distance of its entry or exit point from the volume).

    Parameters
    ----------
    event : pandas.Series
        One row of the events table (or a table of that row only).
    tracks : pandas.DataFrame
        The tracks table (at least the event's track).
    airspace : geopandas.GeoDataFrame
        The airspace table (at least the event's volume).
    ax : matplotlib.axes.Axes, optional
        Draw the map into these axes (inset, legend and facts inside them);
        by default a new figure with a side panel.

    Raises
    ------
    ValueError
        If the tracks table lacks the event's track, or the airspace table
        its volume, or `event` is a table of several rows.

    Examples
    --------
    >>> from detect.example_data import example_tables
    >>> events, fixes, volumes = example_tables()
    >>> fig = incident_map(events.iloc[2], fixes, volumes)
    >>> print(fig.texts[1].get_text())
    EX-FIGHTER1 in the airspace of Estonia — 19 Sep 2025
    >>> from detect import find_violations
    >>> near = find_violations(fixes, volumes, approach_m=5000.0).query("event == 'approach'").iloc[0]
    >>> print(incident_map(near, fixes, volumes).texts[1].get_text().split(" — ")[0])
    EX-DRONE1 near the airspace of Estonia
    """
    event = one_row(event, "event")
    fixes = track_fixes(tracks, event["track_id"])
    volume = airspace_row(airspace, event["airspace_id"])
    if ax is None:
        fig = Figure(figsize=FIGURE_SIZE_IN)
        ax = fig.add_axes(_MAP_RECT)
    else:
        fig = None
    view = _IncidentView.fit(event, fixes, volume, aspect=axes_aspect(ax))
    handles, named = _draw_incident(ax, view, event, fixes, volume, airspace, side_panel=fig is not None)
    heading, subheading = _headings(event, volume, fixes)
    if fig is not None:
        _side_panel(fig, view, handles, _facts(event, volume), heading, subheading, illustrative=illustrative,
                    credits=[PLACES_ATTRIBUTION] if named else [])
    else:
        _inside_axes(ax, view, handles, heading, subheading, illustrative=illustrative)
    if illustrative:
        watermark(ax)
    return ax.figure


@dataclass
class _IncidentView:
    """What an incident map shows, in the metres of its local projection.

    Attributes
    ----------
    crs : pyproj.CRS
        Azimuthal equidistant, centred on `centre`.
    centre : tuple of float
        Lon and lat of the deepest point (the middle of the inside part if
        it is unknown).
    before, inside, after : numpy.ndarray
        The track's lon/lat outside before, inside and outside after.
    inside_xy, deepest_xy : numpy.ndarray
        The inside part and the deepest point.
    border_xy : numpy.ndarray or None
        The point of the volume's boundary nearest the deepest point.
    box_m : tuple of float
        The view, ``(xmin, ymin, xmax, ymax)``.
    bounds : tuple of float
        The view's lon/lat bounds.
    volume_local : shapely.Geometry
        The volume, clipped around the view.
    """

    crs: object
    centre: tuple
    before: np.ndarray
    inside: np.ndarray
    after: np.ndarray
    inside_xy: np.ndarray
    deepest_xy: np.ndarray
    border_xy: object
    box_m: tuple
    bounds: tuple
    volume_local: object
    times: tuple = ()
    in_gap: bool = False

    @classmethod
    def fit(cls, event, fixes, volume, *, aspect):
        """The view of the inside part, the deepest point and the nearest border, `aspect` wide over high.

        The margin is half the extent of what must be seen, within
        :data:`MIN_MARGIN_M` and :data:`MAX_MARGIN_M`, and the view at
        least :data:`MIN_VIEW_M` across.
        """
        before, inside, after = split_at_event(fixes, event)
        centre = (event["closest_lon"], event["closest_lat"]) if _is_approach(event) else (event["deepest_lon"],
                                                                                           event["deepest_lat"])
        if not (np.isfinite(centre[0]) and np.isfinite(centre[1])):
            centre = tuple(inside[len(inside) // 2])
        crs = local_crs(*centre)
        inside_xy = np.column_stack(to_local(crs, inside[:, 0], inside[:, 1]))
        deepest_xy = np.array(to_local(crs, centre[0], centre[1]), float)
        # The nearest border is max_depth_m from the deepest point: look for it
        # in a box well beyond that, so that no clipped edge comes nearer.
        reach_m = 1.2 * np.nan_to_num(event["closest_m" if _is_approach(event) else "max_depth_m"]) + 5_000.0
        near_volume = geometry_to_local(
            crs, shapely.clip_by_rect(volume.geometry, *lonlat_bounds(crs, _box_around(deepest_xy[None, :], reach_m)))
        )
        border_xy = _nearest_border(near_volume, deepest_xy)
        fit_points = np.vstack([inside_xy, deepest_xy] + ([border_xy] if border_xy is not None else []))
        extent = float(np.max(np.ptp(fit_points, axis=0)))
        margin = min(max(0.5 * extent, MIN_MARGIN_M, (MIN_VIEW_M - extent) / 2), MAX_MARGIN_M)
        box_m = fitted_box(fit_points[:, 0], fit_points[:, 1], margin_m=margin, aspect=aspect)
        bounds = lonlat_bounds(crs, box_m)
        near_view = padded_bounds(bounds, 0.2 * (box_m[2] - box_m[0]))
        volume_local = geometry_to_local(crs, shapely.clip_by_rect(volume.geometry, *near_view))
        times = split_times_at_event(fixes, event)
        return cls(crs, centre, before, inside, after, inside_xy, deepest_xy, border_xy, box_m, bounds, volume_local,
                   times, _deepest_in_gap(fixes, event))


def _is_approach(event) -> bool:
    """Whether the event is a near approach (a stay outside but near), not a violation."""
    return event.get("event", "violation") == "approach"


def approach_band_m(event, volume_local, crs):
    """The approach distance an approach event was found with, from a crossing of its band; None if none crossed.

    Measured in the map's azimuthal equidistant frame, whose distances are
    true around its centre: a picture's precision.
    """
    for which in ("entry", "exit"):
        if event[f"{which}_face"] == "lateral" and not volume_local.is_empty:
            point = shapely.Point(to_local(crs, event[f"{which}_lon"], event[f"{which}_lat"]))
            return float(shapely.distance(volume_local.boundary, point))
    return None


def _deepest_in_gap(fixes, event):
    """Whether the deepest point lies on a stretch across a gap in the recording (a guessed position)."""
    deepest = event["closest_time" if _is_approach(event) else "deepest_time"]
    if deepest is None or pd.isna(deepest):
        return False
    t_ns = fixes["time"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    at = pd.Timestamp(deepest).as_unit("ns").value
    i = np.searchsorted(t_ns, at)
    if i == 0 or i >= len(t_ns) or t_ns[i] == at:
        return False
    return bool((t_ns[i] - t_ns[i - 1]) / 1e9 > gap_threshold_s(t_ns))


def _draw_incident(ax, view, event, fixes, volume, airspace, *, side_panel):
    """Draw the basemap, the volumes, the track and its marks, place names and the map's furniture.

    Returns the legend's entries and the names of the places drawn.
    """
    crs = view.crs
    track_xy = np.column_stack(to_local(crs, fixes["lon"].to_numpy(float), fixes["lat"].to_numpy(float)))
    avoid = shapely.LineString(track_xy) if len(track_xy) > 1 else shapely.Point(track_xy[0])
    keep_clear = KEEP_CLEAR if side_panel else (*KEEP_CLEAR, _INSET_IN_AXES, _LEGEND_IN_AXES)
    basemap_entries = draw_basemap(ax, crs, view.box_m, highlight=volume["country"] if has_country(volume["country"])
                                   else None, avoid=avoid, keep_clear=keep_clear)
    fill_polygons(ax, view.volume_local, facecolor=COLOURS["volume_fill"], alpha=0.22, edgecolor="none", zorder=3)
    outline_polygons(ax, view.volume_local, color=COLOURS["volume_edge"], linewidth=2.2, zorder=4)
    other_entries = _other_volumes(ax, crs, airspace, volume["airspace_id"], view.bounds, avoid)

    band_entries = _draw_band(ax, view, event, volume) if _is_approach(event) else []
    for part in (view.before, view.after):
        if len(part):
            ax.plot(*to_local(crs, part[:, 0], part[:, 1]), color=COLOURS["track_outside"], linewidth=1.8, zorder=6)
    inside_colour = COLOURS["track_near" if _is_approach(event) else "track_inside"]
    ax.plot(view.inside_xy[:, 0], view.inside_xy[:, 1], color=inside_colour, linewidth=3.2, zorder=7,
            solid_capstyle="round", gid="track-inside")
    gaps_drawn = _dash_gaps(ax, view, fixes, event)
    fixes_shown = _draw_fixes(ax, crs, fixes, view.box_m)
    _direction_arrows(ax, crs, view.before, view.after)
    labels_avoid = _mark_crossings(ax, event, view.inside_xy, view.volume_local, avoid)
    _mark_deepest(ax, event, view.deepest_xy, view.border_xy, view.inside_xy, labels_avoid, view.in_gap)
    depth_line = shapely.LineString([view.deepest_xy, view.border_xy]) if view.border_xy is not None else None
    named = name_places(ax, crs, view.box_m, PLACE_NAMES, avoid=shapely.union_all([avoid, depth_line]),
                        keep_clear=keep_clear)
    map_furniture(ax)
    inside_entries = track_entries(("track outside", 1.8), (f"track inside {volume['name']}", 3.2))
    if _is_approach(event):
        inside_entries = [inside_entries[0], Line2D([], [], color=inside_colour, linewidth=3.2,
                                                    label=f"track near {volume['name']}")]
    return [
        *inside_entries,
        *band_entries,
        *([Line2D([], [], color=COLOURS["track_inside"], linewidth=2.4, linestyle=GAP_DASHES,
                  label="no data: straight line across a gap")] if gaps_drawn else []),
        *([Line2D([], [], linestyle="none", marker="o", markersize=3, color=COLOURS["fix"], label="recorded fix")]
          if fixes_shown else []),
        Patch(facecolor=COLOURS["volume_fill"], alpha=0.5, edgecolor=COLOURS["volume_edge"], linewidth=2,
              label=f"{volume['name']} ({volume['kind']})"),
        *other_entries,
        sovereign_limit_entry(),
        *basemap_entries,
    ], named


def _draw_band(ax, view, event, volume):
    """Outline the approach band, dashed, at the distance its crossing tells; its legend entry (none if unknown)."""
    band_m = approach_band_m(event, view.volume_local, view.crs)
    if band_m is None or not band_m > 0:
        return []
    reach = padded_bounds(view.bounds, 0.2 * (view.box_m[2] - view.box_m[0]) + 2.0 * band_m)
    near = geometry_to_local(view.crs, shapely.clip_by_rect(volume.geometry, *reach))
    outline_polygons(ax, shapely.buffer(near, band_m, quad_segs=32), color=COLOURS["track_near"], linewidth=1.4,
                     linestyles=(0, (5, 3)), zorder=5)
    return [Line2D([], [], color=COLOURS["track_near"], linewidth=1.4, linestyle=(0, (5, 3)),
                   label=f"approach band, {distance_label(band_m)}")]


PLACE_NAMES = 6
"""At most this many places are named on an incident map (the most populous in view that fit)."""

GAP_DASHES = (0, (2.5, 2.0))
"""How a stretch across a gap in the recording is drawn: dashed, the line only a guess between two fixes."""


def _dash_gaps(ax, view, fixes, event):
    """Draw dashed, and label, the stretches of the track that cross a gap in the recording; say if any.

    The solid line stays beneath (it is the track as interpolated); a white
    line and a dashed one over it show that nothing was recorded there.
    """
    threshold = gap_threshold_s(fixes["time"].to_numpy(dtype="datetime64[ns]").astype(np.int64))
    parts_xy = [view.before, view.inside, view.after]
    any_gap, longest = False, None
    for part, t_ns, colour, width in zip(parts_xy, view.times, ("track_outside", "track_inside", "track_outside"),
                                         (1.8, 3.2, 1.8)):
        if len(part) < 2:
            continue
        x_m, y_m = to_local(view.crs, part[:, 0], part[:, 1])
        for i in np.flatnonzero(gap_segments(t_ns, threshold)):
            any_gap = True
            xs, ys = [x_m[i], x_m[i + 1]], [y_m[i], y_m[i + 1]]
            ax.plot(xs, ys, color="white", linewidth=width + 0.6, zorder=7.1, solid_capstyle="butt")
            ax.plot(xs, ys, color=COLOURS[colour], linewidth=width * 0.8, linestyle=GAP_DASHES, zorder=7.2)
            seconds = (t_ns[i + 1] - t_ns[i]) / 1e9
            if longest is None or seconds > longest[0]:
                longest = (seconds, (np.mean(xs), np.mean(ys)))
    if longest is not None:
        ax.annotate(f"no data for {duration_label(longest[0])}", xy=longest[1], xytext=(0, -14),
                    textcoords="offset points", ha="center", va="top", fontsize=8.5, fontstyle="italic",
                    bbox=BOX_STYLE, zorder=12)
    return any_gap


def _headings(event, volume, fixes):
    """The title of the map and the line under it: who, where, when, how long and how deep."""
    name = track_label(event["track_id"], callsign_of(fixes))
    doubt = doubts(event)
    approach = _is_approach(event)
    heading = (f"{name} {'near' if approach else 'in'} {volume_words(volume)} \u2014 {utc_date(event['entry_time'])}"
               + (f" \u2014 {', '.join(doubt)}" if doubt else ""))
    how = (f", {duration_label(event['duration_s'])} near, closest {distance_label(event['closest_m'])}" if approach
           else f", {duration_label(event['duration_s'])} inside, {distance_label(event['max_depth_m'])} deep")
    subheading = (
        f"{volume['name']} ({volume['kind']} airspace, id {volume['airspace_id']}): "
        + ", ".join(crossing_label(which, event[f"{which}_face"], event[f"{which}_time"], near=approach)
                    .replace("\n", " ") for which in ("entry", "exit"))
        + how
    )
    return heading, subheading


def _side_panel(fig, view, handles, facts, heading, subheading, *, illustrative, credits):
    """The layout of a map of its own: locator, legend and facts in a side panel, title and footer with `credits`."""
    lon, lat = view.centre
    locator_map(fig.add_axes(_LOCATOR_RECT), view.crs, view.box_m)
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.71, 0.535), fontsize=8.5, frameon=False)
    fig.text(0.715, 0.085, facts, fontsize=8, va="bottom", ha="left", family="monospace", bbox=BOX_STYLE)
    title(fig, heading, subheading, illustrative=illustrative)
    footer(fig, f"Azimuthal equidistant projection centred on {position_label(lon, lat, decimals=3)}.", *credits)
    if illustrative:
        illustrative_banner(fig)


def _inside_axes(ax, view, handles, heading, subheading, *, illustrative):
    """The layout of a map in axes it is given: locator inset, legend and title inside them."""
    locator_map(ax.inset_axes([0.70, 0.70, 0.29, 0.29]), view.crs, view.box_m)  # in _INSET_IN_AXES
    ax.legend(handles=handles, loc="lower left", fontsize=7, framealpha=0.9)
    ax.set_title(textwrap.fill(heading, 90) + "\n" + textwrap.fill(subheading, 110), fontsize=9)
    if illustrative:
        ax.text(0.5, 0.98, ILLUSTRATIVE_TEXT, transform=ax.transAxes, ha="center", va="top", fontsize=10,
                fontweight="bold", color="white", bbox={"facecolor": COLOURS["banner"], "edgecolor": "none"},
                zorder=30)


def _box_around(xy, margin_m):
    return (xy[:, 0].min() - margin_m, xy[:, 1].min() - margin_m, xy[:, 0].max() + margin_m, xy[:, 1].max() + margin_m)


def _nearest_border(volume_local, point_xy):
    """The point of the volume's boundary nearest to `point_xy` (metres), or None."""
    if volume_local.is_empty:
        return None
    line = shapely.shortest_line(volume_local.boundary, shapely.Point(point_xy))
    return np.asarray(line.coords[0]) if line is not None and not line.is_empty else None


def _other_volumes(ax, crs, airspace, airspace_id, bounds, avoid):
    """Outline, and name, the other volumes of the airspace table that reach into the view; their legend entry."""
    others = airspace[(airspace["airspace_id"] != airspace_id) & airspace.intersects(shapely.box(*bounds))]
    if not len(others):
        return []
    clipped = geometry_to_local(crs, shapely.clip_by_rect(others.geometry.values, *padded_bounds(bounds, 5000.0)))
    outline_polygons(ax, clipped, color=COLOURS["other_volume"], linewidth=1.0, linestyles="--", zorder=4)
    (xmin, xmax), (ymin, ymax) = ax.get_xlim(), ax.get_ylim()
    view = shapely.box(xmin, ymin, xmax, ymax)
    named = 0
    for name, shape in zip(others["name"], clipped):
        seen = shapely.intersection(shape, view)
        if named >= OTHER_VOLUME_NAMES or seen.is_empty or seen.area < 0.01 * view.area:
            continue
        point = shapely.point_on_surface(seen)
        ax.text(point.x, point.y, str(name), ha="center", va="center", fontsize=8, color=COLOURS["other_volume"],
                fontstyle="italic", zorder=5, clip_on=True)
        named += 1
    label = "other volume" if len(others) == 1 else f"other volumes ({len(others)})"
    return [Line2D([], [], color=COLOURS["other_volume"], linewidth=1.0, linestyle="--", label=label)]


OTHER_VOLUME_NAMES = 12
"""At most this many other volumes are named on an incident map (all are outlined and in the legend)."""


def _draw_fixes(ax, crs, fixes, box_m):
    """Dot the recorded fixes if they are far enough apart to be seen one by one; say whether drawn."""
    x_m, y_m = to_local(crs, fixes["lon"].to_numpy(float), fixes["lat"].to_numpy(float))
    spacing_m = np.median(np.hypot(np.diff(x_m), np.diff(y_m))) if len(x_m) > 1 else np.inf
    if spacing_m < 0.012 * (box_m[2] - box_m[0]):
        return False
    ax.plot(x_m, y_m, linestyle="none", marker="o", markersize=2.6, color=COLOURS["fix"], zorder=8)
    return True


def _direction_arrows(ax, crs, before, after):
    """An arrowhead on the outside parts of the track, pointing the way it flew."""
    for part in (before, after):
        if len(part) < 2:
            continue
        x_m, y_m = to_local(crs, part[:, 0], part[:, 1])
        xmin, xmax = ax.get_xlim()
        ymin, ymax = ax.get_ylim()
        seen = np.flatnonzero((x_m > xmin) & (x_m < xmax) & (y_m > ymin) & (y_m < ymax))
        seen = seen[seen < len(x_m) - 1]
        if not len(seen):
            continue
        i = seen[len(seen) // 2]
        ax.annotate(
            "", xy=(x_m[i + 1], y_m[i + 1]), xytext=(x_m[i], y_m[i]),
            arrowprops={"arrowstyle": "-|>,head_width=0.45,head_length=0.9", "color": COLOURS["track_outside"],
                        "linewidth": 0},
            zorder=6,
        )


def _mark_crossings(ax, event, inside_xy, volume_local, avoid):
    """Mark the entry and exit points with their UTC times; return `avoid` with their labels added.

    Each label prefers the side of the track outside the volume, away from
    the inside part, and goes where it is clearest of `avoid` (the track).
    """
    middle = inside_xy.mean(axis=0)
    for which, point, neighbour, marker in (
        ("entry", inside_xy[0], inside_xy[1], "o"),
        ("exit", inside_xy[-1], inside_xy[-2], "s"),
    ):
        ax.plot(*point, marker=marker, markersize=9, markerfacecolor="white", markeredgecolor="black",
                markeredgewidth=1.6, zorder=9)
        preferred = np.add(direction_offset(middle, point, 0.6), _outside_side(volume_local, point, neighbour))
        text = crossing_label(which, event[f"{which}_face"], event[f"{which}_time"], near=_is_approach(event))
        offset, box = place_label(ax, point, text, LABEL_FONT_SIZE, avoid=avoid, preferred=preferred)
        avoid = shapely.union(avoid, box)
        ha, va = alignment(offset)
        ax.annotate(
            text, xy=point, xytext=offset, textcoords="offset points", ha=ha, va=va,
            fontsize=LABEL_FONT_SIZE, fontweight="bold", bbox=BOX_STYLE, zorder=12,
            arrowprops={"arrowstyle": "-", "color": "black", "linewidth": 0.8},
        )
    return avoid


_FACE_WORDS = {
    "floor": "through the floor",
    "ceiling": "through the ceiling",
    "activation": "volume activated",
    "deactivation": "volume deactivated",
    "gap": "at a gap in the recording",
}
_NEAR_FACE_WORDS = {**_FACE_WORDS, "lateral": "across the approach band", "volume": "at the volume's border"}


def crossing_label(which, face, time, near=False):
    r"""The label of an entry or exit: ``entry 16:00:59 Z``, with how it happened if not across the border.

    With `near`, of a near approach: ``near from``, ``near until``, with how.

    Examples
    --------
    >>> import pandas as pd
    >>> crossing_label("exit", "end", pd.Timestamp("2025-09-10 03:13:50Z"))
    'lost inside 03:13:50 Z\n(recording ends)'
    >>> crossing_label("entry", "floor", pd.Timestamp("2025-09-10 03:13:50Z"))
    'entry 03:13:50 Z\n(through the floor)'
    >>> crossing_label("exit", "volume", pd.Timestamp("2025-09-10 03:13:50Z"), near=True)
    "near until 03:13:50 Z\n(at the volume's border)"
    """
    clock = utc_clock(time)
    if near:
        words = {"start": "recording starts", "end": "recording ends"}.get(face, _NEAR_FACE_WORDS.get(face, face))
        return f"near {'from' if which == 'entry' else 'until'} {clock}\n({words})"
    if face == "start":
        return f"already inside {clock}\n(recording starts)"
    if face == "end":
        return f"lost inside {clock}\n(recording ends)"
    return f"{which} {clock}" + (f"\n({_FACE_WORDS[face]})" if face in _FACE_WORDS else "")


def _outside_side(volume_local, point, neighbour):
    """The unit vector across the track at `point` that points out of the volume (zero if unclear)."""
    along = np.subtract(point, neighbour)
    length = np.hypot(*along)
    if length == 0 or volume_local.is_empty:
        return np.zeros(2)
    across = np.array([-along[1], along[0]]) / length
    probe = max(0.25 * length, 1.0)
    left_inside = volume_local.contains(shapely.Point(point + probe * across))
    right_inside = volume_local.contains(shapely.Point(point - probe * across))
    if left_inside == right_inside:
        return np.zeros(2)
    return -across if left_inside else across


def _mark_deepest(ax, event, deepest_xy, border_xy, inside_xy, avoid, in_gap=False):
    """Mark the deepest point, its depth in km and NM, and the line to the nearest border."""
    if not np.all(np.isfinite(deepest_xy)):
        return
    if border_xy is not None:
        ax.plot([deepest_xy[0], border_xy[0]], [deepest_xy[1], border_xy[1]], linestyle=(0, (4, 2)),
                color=COLOURS["depth_line"], linewidth=1.4, zorder=8)
        avoid = shapely.union(avoid, shapely.LineString([deepest_xy, border_xy]))
    ax.plot(*deepest_xy, marker="D", markersize=8, markerfacecolor=COLOURS["deepest"], markeredgecolor="white",
            markeredgewidth=1.2, zorder=10)
    chord = inside_xy[-1] - inside_xy[0]
    away = np.array([-chord[1], chord[0]]) if np.hypot(*chord) > 0 else np.array([0.0, 1.0])
    if border_xy is not None and np.dot(away, deepest_xy - border_xy) < 0:
        away = -away
    if _is_approach(event):
        text = f"closest {distance_label(event['closest_m'])}\nat {utc_clock(event['closest_time'])}"
    else:
        text = f"deepest {distance_label(event['max_depth_m'])}\nat {utc_clock(event['deepest_time'])}"
    if in_gap:
        text += "\n(in a gap: interpolated)"
    offset, _ = place_label(ax, deepest_xy, text, LABEL_FONT_SIZE, avoid=avoid, preferred=away, distance_pt=48)
    ha, va = alignment(offset)
    ax.annotate(
        text, xy=deepest_xy, xytext=offset, textcoords="offset points", ha=ha, va=va,
        fontsize=LABEL_FONT_SIZE, color=COLOURS["depth_line"], fontweight="bold", bbox=BOX_STYLE, zorder=12,
        arrowprops={"arrowstyle": "-", "color": COLOURS["depth_line"], "linewidth": 0.8},
    )


def _facts(event, volume):
    """The event's figures, one per line, for the side panel."""
    low, high = event["min_alt_m"], event["max_alt_m"]
    lines = [
        f"volume    {volume['airspace_id']}",
        f"limits    {limit_label(volume['floor_m'], volume['floor_ref'])} \u2013 "
        f"{limit_label(volume['ceiling_m'], volume['ceiling_ref'])}",
        f"entry     {utc_clock(event['entry_time'])} {_uncertainty(event['entry_uncertainty_s'])} "
        f"({event['entry_face']})",
        f"exit      {utc_clock(event['exit_time'])} {_uncertainty(event['exit_uncertainty_s'])} ({event['exit_face']})",
        f"{'near ' if _is_approach(event) else 'inside'}    {duration_label(event['duration_s'])}, "
        f"{_fixes_label(int(event['n_fixes']))}",
        f"closest   {distance_label(event['closest_m'])}" if _is_approach(event)
        else f"deepest   {distance_label(event['max_depth_m'])}",
    ]
    if np.isfinite(low) and np.isfinite(high):
        lines += [
            f"altitude  {low:,.0f}\u2013{high:,.0f} m ({event['alt_source']})",
            f"          {low / FOOT_M:,.0f}\u2013{high / FOOT_M:,.0f} ft",
        ]
    else:
        lines.append("altitude  unknown")
    if bool(event.get("suspect", False)):
        lines.append("SUSPECT   rests on fixes flagged suspect")
    if any(text.startswith("LOW CERTAINTY") for text in doubts(event)):
        lines.append(f"DOUBT     crossing times known to \u00b1{_loosest(event):.0f} s")
    return "\n".join(lines)


def _loosest(event):
    values = [event.get(f"{which}_uncertainty_s", np.nan) for which in ("entry", "exit")]
    return float(np.nanmax(np.asarray(values, float)))


def _uncertainty(seconds):
    return f"\u00b1{seconds:.0f} s" if np.isfinite(seconds) else "       "


def _fixes_label(count):
    return "1 fix" if count == 1 else f"{count} fixes"
