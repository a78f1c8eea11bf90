"""The overview map: every event's track over the basemap, each event numbered."""

import numpy as np
import pandas as pd
import shapely
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from plots.basemap import KEEP_CLEAR, draw_basemap, padded_bounds
from plots.decor import footer, illustrative_banner, map_furniture, title, watermark
from plots.legend import sovereign_limit_entry, track_entries
from plots.placement import alignment, place_label
from plots.places import ATTRIBUTION as PLACES_ATTRIBUTION, name_places
from plots.map_projection import (axes_aspect, centre_of_lonlat, fitted_box, geometry_to_local, local_crs,
                                  lonlat_bounds, to_local)
from plots.labels import country_name, distance_label, doubts, duration_label, has_country, utc_date, where_key
from plots.shapes import outline_polygons
from plots.style import COLOURS

CLUSTER_FRACTION = 0.03
"""Events whose deepest points are closer than this fraction of the view share one numbered marker."""

LISTED_EVENTS = 40
"""The side list names at most this many events (the deepest, when there are more)."""

NUMBERED_EVENTS = 60
"""Up to this many events, each gets a numbered marker; beyond, the deepest points are dots, counted by cluster."""

COUNTED_CLUSTERS = 15
"""Beyond :data:`NUMBERED_EVENTS`, the largest clusters of deepest points, at most this many, carry their count."""

PLACE_NAMES = 4
"""At most this many places are named on the overview (the most populous in view that fit)."""

NAMED_VOLUMES = 15
"""At most this many violated volumes are named on the overview (the most violated first)."""

AVOID_POINTS = 2_000
"""State names keep clear of at most this many points sampled along the tracks: the cost does not grow with them."""

_MAP_RECT = (0.02, 0.07, 0.60, 0.80)


def event_numbers(events):
    """The number each event carries on the pictures and in file names: 1, 2, ... in table order.

    Examples
    --------
    >>> import pandas as pd
    >>> event_numbers(pd.DataFrame({"track_id": ["SU30-1", "IL78-1", "SU30-1"]}))
    [1, 2, 3]
    """
    return list(range(1, len(events) + 1))


def overview_map(events, tracks, airspace, *, illustrative=False, numbers=None):
    """Draw every event's track over the basemap, the events marked at their deepest points.

    Tracks are blue, their inside parts red, their near parts (near
    approaches, ``event == "approach"``) orange, marked at the closest point. Up to :data:`NUMBERED_EVENTS`
    events, each gets a numbered marker at its deepest point (events closer
    than :data:`CLUSTER_FRACTION` of the view share one, numbered
    ``3-21``); beyond, every deepest point is a dot and the largest
    clusters carry their count. The side list gives the number, track,
    where, entry, duration and depth of each event (the deepest
    :data:`LISTED_EVENTS` when there are more). The violated volumes are
    outlined in red, custom ones named. The work grows linearly with the
    number of events: clusters are cells of a grid, and names avoid a
    fixed-size sample of the tracks.

    Parameters
    ----------
    events : pandas.DataFrame
        The events table.
    tracks : pandas.DataFrame
        The tracks table (at least the events' tracks).
    airspace : geopandas.GeoDataFrame
        The airspace table (at least the events' volumes).
    numbers : sequence of int, optional
        The events' numbers (default 1, 2, ... in table order).

    Raises
    ------
    ValueError
        If `events` is empty, or a track it names is not in `tracks`.

    Examples
    --------
    >>> from detect.example_data import example_tables
    >>> events, fixes, volumes = example_tables()
    >>> print(overview_map(events, fixes, volumes).texts[0].get_text())
    5 airspace violations by 4 tracks — 19 Sep 2025
    >>> from detect import find_violations
    >>> near = find_violations(fixes, volumes, approach_m=5000.0)
    >>> print(overview_map(near, fixes, volumes).texts[0].get_text())
    5 airspace violations and 6 near approaches by 4 tracks — 19 Sep 2025
    """
    if len(events) == 0:
        raise ValueError("overview_map: no events to draw")
    events = events.reset_index(drop=True)
    numbers = event_numbers(events) if numbers is None else list(numbers)
    paths = _track_paths(events, tracks)
    fig = Figure(figsize=(12.0, 8.5))
    ax = fig.add_axes(_MAP_RECT)
    crs, box_m, volume_entries, basemap_entries, tracks_sample = _draw_overview(ax, events, paths, airspace)
    if len(events) <= NUMBERED_EVENTS:
        _numbered_markers(ax, crs, events, numbers, box_m)
    else:
        _counted_markers(ax, crs, events, box_m)
    named = name_places(ax, crs, box_m, PLACE_NAMES, avoid=tracks_sample, keep_clear=KEEP_CLEAR)
    map_furniture(ax)
    title(fig, _heading(events, len(paths)), f"violated: {_violated(events, airspace)}", illustrative=illustrative)
    fig.legend(
        handles=[
            *track_entries(("track", 1.2), ("inside a violated volume", 2.4)),
            *([Line2D([], [], color=COLOURS["track_near"], linewidth=2.4, label="near a volume")]
              if _approaches(events).any() else []),
            Line2D([], [], color=COLOURS["volume_edge"], linewidth=1.8, label="violated volume"),
            *volume_entries,
            *([Line2D([], [], linestyle="none", marker="o", markersize=4, color=COLOURS["volume_edge"],
                      label="deepest point of an event")] if len(events) > NUMBERED_EVENTS else []),
            sovereign_limit_entry(),
            *basemap_entries,
        ],
        loc="upper left", bbox_to_anchor=(0.635, 0.87), fontsize=8.5, frameon=False,
    )
    fig.text(0.64, 0.69, _event_list(events, numbers), fontsize=7.0, family="monospace", va="top", ha="left")
    footer(fig, "Azimuthal equidistant projection centred on the tracks.", *([PLACES_ATTRIBUTION] if named else []))
    if illustrative:
        illustrative_banner(fig)
        watermark(ax)
    return fig


def _track_paths(events, tracks):
    """Each event's track as times (int64 ns) and lon/lat arrays, by track id."""
    wanted = pd.unique(events["track_id"])
    positions = tracks.groupby("track_id", sort=False, observed=True).indices
    paths = {}
    for track_id in wanted:
        if track_id not in positions:
            raise ValueError(f"tracks: no fix of track {track_id!r}, which the event names")
        fixes = tracks.iloc[np.sort(positions[track_id])]
        paths[track_id] = (fixes["time"].to_numpy(dtype="datetime64[ns]").astype(np.int64),
                           fixes[["lon", "lat"]].to_numpy(float))
    return paths


def _inside_parts(events, paths):
    """The lon/lat of each event's inside part: entry point, the fixes between, exit point."""
    entry_ns = events["entry_time"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    exit_ns = events["exit_time"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    parts = []
    for i, track_id in enumerate(events["track_id"]):
        t_ns, lonlat = paths[track_id]
        ends = []
        for at, which in ((entry_ns[i], "entry"), (exit_ns[i], "exit")):
            lon, lat = events[f"{which}_lon"].iat[i], events[f"{which}_lat"].iat[i]
            if not (np.isfinite(lon) and np.isfinite(lat)):
                lon, lat = np.interp(at, t_ns, lonlat[:, 0]), np.interp(at, t_ns, lonlat[:, 1])
            ends.append([lon, lat])
        first, last = np.searchsorted(t_ns, entry_ns[i], side="right"), np.searchsorted(t_ns, exit_ns[i], side="left")
        parts.append(np.vstack([ends[0], lonlat[first:last], ends[1]]))
    return parts


def _draw_overview(ax, events, paths, airspace):
    """Draw the basemap, the violated volumes and the tracks, in a view of them all.

    The projection is centred on the tracks' lon/lat box, and the view holds
    them with a margin of 8 % of their extent (at least 20 km). Returns the
    projection, the box, the legend entries of the volumes named and those
    of the basemap, and the points sampled along the tracks for labels to
    avoid.
    """
    points = np.vstack([lonlat for _, lonlat in paths.values()])
    crs = local_crs(*centre_of_lonlat(points[:, 0], points[:, 1]))
    x_m, y_m = to_local(crs, points[:, 0], points[:, 1])
    extent = max(np.ptp(x_m), np.ptp(y_m), 20_000.0)
    box_m = fitted_box(x_m, y_m, margin_m=0.08 * extent, aspect=axes_aspect(ax))
    step = max(len(x_m) // AVOID_POINTS, 1)
    avoid = shapely.multipoints(np.column_stack([x_m[::step], y_m[::step]]))
    basemap_entries = draw_basemap(ax, crs, box_m, label_states=True, avoid=avoid)
    volumes = airspace[airspace["airspace_id"].isin(set(events["airspace_id"]))]
    # Clipped beyond the view, so that the cut's edge is not drawn along the view's.
    reach = padded_bounds(lonlat_bounds(crs, box_m), 0.05 * (box_m[2] - box_m[0]))
    clipped = geometry_to_local(crs, shapely.clip_by_rect(volumes.geometry.values, *reach))
    outline_polygons(ax, clipped, color=COLOURS["volume_edge"], linewidth=1.8, zorder=4)
    entries = _name_volumes(ax, events, volumes, clipped, box_m)
    lines, start = [], 0
    for _, lonlat in paths.values():
        lines.append(np.column_stack([x_m[start:start + len(lonlat)], y_m[start:start + len(lonlat)]]))
        start += len(lonlat)
    ax.add_collection(LineCollection(lines, colors=COLOURS["track_outside"], linewidths=1.0, zorder=6),
                      autolim=False)
    inside = [np.column_stack(to_local(crs, part[:, 0], part[:, 1])) for part in _inside_parts(events, paths)]
    colours = np.where(_approaches(events), COLOURS["track_near"], COLOURS["track_inside"])
    ax.add_collection(LineCollection(inside, colors=list(colours), linewidths=2.4, zorder=7), autolim=False)
    return crs, box_m, entries, basemap_entries, avoid


def _name_volumes(ax, events, volumes, clipped, box_m):
    """Name the violated volumes that have no state (custom airspace) in the view; their legend entry, if any.

    The :data:`NAMED_VOLUMES` most violated are named on the map; when
    there are more, the legend says how many are not.
    """
    custom = ~volumes["country"].map(has_country).to_numpy(bool)
    if not custom.any():
        return []
    counts = events["airspace_id"].value_counts()
    order = np.argsort(-volumes["airspace_id"].map(counts).fillna(0).to_numpy(), kind="stable")
    view = shapely.box(*box_m)
    named = 0
    for i in order:
        if not custom[i] or named >= NAMED_VOLUMES:
            continue
        seen = shapely.intersection(clipped[i], view)
        if seen.is_empty:
            continue
        point = shapely.point_on_surface(seen)
        ax.text(point.x, point.y, str(volumes["name"].iloc[i]), ha="center", va="center", fontsize=8,
                color=COLOURS["volume_edge"], fontweight="bold", zorder=9, clip_on=True,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.7})
        named += 1
    unnamed = int(custom.sum()) - named
    if unnamed <= 0:
        return []
    return [Line2D([], [], color="none", label=f"({unnamed} more violated volume{'s' if unnamed != 1 else ''}"
                                               " not named)")]


def _violated(events, airspace):
    """The states and volumes violated, each with its count of events, most first (at most six named)."""
    names = dict(zip(airspace["airspace_id"], airspace["name"]))
    where = [country_name(code) if has_country(code) else str(names.get(airspace_id, airspace_id))
             for code, airspace_id in zip(events["country"], events["airspace_id"])]
    counts = pd.Series(where).value_counts()
    shown = [f"{name} ({count})" if len(counts) > 1 else name for name, count in counts.head(6).items()]
    if len(counts) > 6:
        shown.append(f"and {len(counts) - 6} more")
    return ", ".join(shown)


def _approaches(events) -> np.ndarray:
    """Whether each event is a near approach (tables written before approaches have no ``event``: none)."""
    if "event" not in events:
        return np.zeros(len(events), bool)
    return (events["event"] == "approach").to_numpy(bool)


def _heading(events, n_tracks):
    """How many violations (and near approaches) by how many tracks, and on which UTC dates."""
    first, last = events["entry_time"].min(), events["exit_time"].max()
    dates = utc_date(first) if utc_date(first) == utc_date(last) else f"{utc_date(first)} to {utc_date(last)}"
    n_near = int(_approaches(events).sum())
    n_violations = len(events) - n_near
    near = f" and {n_near:,} near approach{'es' if n_near != 1 else ''}" if n_near else ""
    return (f"{n_violations:,} airspace violation{'s' if n_violations != 1 else ''}{near} by {n_tracks:,} "
            f"track{'s' if n_tracks != 1 else ''} \u2014 {dates}")


def _deepest_xy(crs, events):
    """Where each event is marked: its deepest point, a near approach's closest, else its entry."""
    closest_lon = events["closest_lon"] if "closest_lon" in events else np.nan
    closest_lat = events["closest_lat"] if "closest_lat" in events else np.nan
    lon = events["deepest_lon"].fillna(closest_lon).fillna(events["entry_lon"]).to_numpy(float)
    lat = events["deepest_lat"].fillna(closest_lat).fillna(events["entry_lat"]).to_numpy(float)
    return to_local(crs, lon, lat)


def grid_clusters(x, y, cell):
    """Group points by the cell of a square grid they fall in: linear in the number of points.

    Returns
    -------
    list of numpy.ndarray
        The indices of the points of each cluster, in order of their first point.

    Examples
    --------
    >>> [members.tolist() for members in grid_clusters([0.0, 1.0, 50.0, 2.0], [0.0, 1.0, 50.0, 0.5], 10.0)]
    [[0, 1, 3], [2]]
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    keys = np.column_stack([np.floor(np.nan_to_num(x) / cell), np.floor(np.nan_to_num(y) / cell)])
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    order = np.argsort(first)
    members = [np.flatnonzero(inverse == group) for group in order] if len(first) < 2_000 else None
    if members is None:
        by_group = np.argsort(inverse, kind="stable")
        splits = np.split(by_group, np.cumsum(np.bincount(inverse))[:-1])
        members = [splits[group] for group in order]
    return members


def _numbered_markers(ax, crs, events, numbers, box_m):
    """A numbered circle at each event's deepest point, events in one cell of a grid merged into one.

    Each number is set beside its point in the direction that keeps it
    clearest of the other points and of the numbers already set, farther out
    (:data:`NUMBER_DISTANCES_PT`) where every direction near it would cover
    a number, and where every distance would, where it covers least. There
    are at most :data:`NUMBERED_EVENTS` of them, so placing them one by one
    is cheap.
    """
    x_m, y_m = _deepest_xy(crs, events)
    clusters = grid_clusters(x_m, y_m, CLUSTER_FRACTION * (box_m[2] - box_m[0]))
    centres = [(float(np.nanmean(x_m[members])), float(np.nanmean(y_m[members]))) for members in clusters]
    points = [shapely.Point(centre) for centre in centres]
    boxes = []
    for index, (members, (x, y)) in enumerate(zip(clusters, centres)):
        label = _number_ranges([numbers[i] for i in members])
        avoid = shapely.GeometryCollection(points[:index] + points[index + 1:] + boxes)
        tries = []
        for distance_pt in NUMBER_DISTANCES_PT:
            offset, box = place_label(ax, (x, y), label, 9, avoid=avoid, preferred=(1.0, 1.0),
                                      distance_pt=distance_pt)
            tries.append((sum(box.intersection(other).area for other in boxes), offset, box))
            if tries[-1][0] == 0:
                break
        _, offset, box = min(tries, key=lambda one_try: one_try[0])
        boxes.append(box)
        ha, va = alignment(offset)
        ax.annotate(
            label, xy=(x, y), xytext=offset, textcoords="offset points",
            ha=ha, va=va, fontsize=9, fontweight="bold", color="white",
            bbox={"boxstyle": "round,pad=0.25", "facecolor": COLOURS["volume_edge"], "edgecolor": "white"},
            arrowprops={"arrowstyle": "-", "color": COLOURS["volume_edge"], "linewidth": 1.0}, zorder=12,
        )
        ax.plot(x, y, marker="o", markersize=5, color=COLOURS["volume_edge"], markeredgecolor="white", zorder=11)


NUMBER_DISTANCES_PT = (16.0, 30.0, 44.0, 60.0)
"""How far an event's number is set from its deepest point on the overview, points: the nearest that is clear."""


def _counted_markers(ax, crs, events, box_m):
    """Every deepest point a dot (one artist), the largest clusters labelled with their count of events."""
    x_m, y_m = _deepest_xy(crs, events)
    ax.scatter(x_m, y_m, s=6, color=COLOURS["volume_edge"], edgecolors="none", alpha=0.6, zorder=10)
    clusters = grid_clusters(x_m, y_m, 2 * CLUSTER_FRACTION * (box_m[2] - box_m[0]))
    clusters.sort(key=len, reverse=True)
    for members in clusters[:COUNTED_CLUSTERS]:
        x, y = float(np.nanmean(x_m[members])), float(np.nanmean(y_m[members]))
        ax.annotate(
            f"{len(members):,}", xy=(x, y), ha="center", va="center", fontsize=8, fontweight="bold",
            color="white", bbox={"boxstyle": "circle,pad=0.25", "facecolor": COLOURS["volume_edge"],
                                 "edgecolor": "white", "alpha": 0.85}, zorder=12,
        )


def _depth_or_near(event):
    """The side list's last column: a violation's depth, or ``near 1.20 km`` for a near approach."""
    if event.get("event") == "approach":
        return "near " + distance_label(event["closest_m"]).split(" (")[0]
    return distance_label(event["max_depth_m"]).split(" (")[0]


def _number_ranges(numbers):
    """Numbers as runs: ``[3, 4, 5, 9]`` as ``'3-5, 9'`` (with an en dash); many runs are cut short."""
    numbers = sorted(numbers)
    runs = [[numbers[0], numbers[0]]]
    for number in numbers[1:]:
        if number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    text = [str(a) if a == b else f"{a}\u2013{b}" for a, b in runs]
    if len(text) > 4:
        return ", ".join(text[:3]) + f" +{len(numbers) - sum(b - a + 1 for a, b in runs[:3])}"
    return ", ".join(text)


def _event_list(events, numbers):
    """One line per event for the side list: number, track, where, entry, duration, depth, doubt.

    The whole table when short, else the :data:`LISTED_EVENTS` deepest;
    entry times carry the date when the events span more than one day.
    """
    shown = events.assign(number=numbers)
    title_line = ""
    if len(events) > LISTED_EVENTS:
        shown = shown.sort_values("max_depth_m", ascending=False, kind="stable").head(LISTED_EVENTS)
        title_line = f"the {LISTED_EVENTS} deepest of {len(events):,} events\n"
    one_day = events["entry_time"].min().floor("D") == events["exit_time"].max().floor("D")
    clock = "%H:%M:%S" if one_day else "%d %b %H:%M"
    width = min(max(shown["track_id"].astype(str).str.len().max(), 5), 22)
    places = [where_key(event) for _, event in shown.iterrows()]
    where_width = min(max(len(place) for place in places), 10) if len(set(places)) > 1 else 0
    where_head = f" {'where':<{where_width}}" if where_width else ""
    lines = [title_line + f"{'#':>4} {'track':<{width}}{where_head} {'entry (UTC)':<12} {'inside':>10}  depth"]
    for place, (_, event) in zip(places, shown.iterrows()):
        flag = " ?" if doubts(event) else ""
        where = f" {place[:where_width]:<{where_width}}" if where_width else ""
        lines.append(
            f"{event['number']:>4} {str(event['track_id'])[:width]:<{width}}{where} "
            f"{event['entry_time'].tz_convert('UTC').strftime(clock):<12} {duration_label(event['duration_s']):>10}  "
            f"{_depth_or_near(event)}{flag}"
        )
    if any(doubts(event) for _, event in shown.iterrows()):
        lines.append("? suspect or low-certainty event")
    return "\n".join(lines)
