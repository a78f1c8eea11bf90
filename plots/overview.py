"""The overview map: every event's track over the basemap, each event numbered."""

import numpy as np
import shapely
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from plots.basemap import draw_basemap
from plots.decor import footer, illustrative_banner, map_furniture, title, watermark
from plots.legend import sovereign_limit_entry, track_entries
from plots.map_projection import axes_aspect, fitted_box, geometry_to_local, local_crs, lonlat_bounds, to_local
from plots.labels import distance_label, duration_label, utc_clock, utc_date
from plots.shapes import outline_polygons
from plots.style import COLOURS
from plots.trackpath import split_at_event, track_fixes

CLUSTER_FRACTION = 0.03
"""Events whose deepest points are closer than this fraction of the view share one numbered marker."""

LISTED_EVENTS = 40
"""The side list names at most this many events."""

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


def overview_map(events, tracks, airspace, *, illustrative=False):
    """Draw every event's track over the basemap, with a numbered marker per event.

    Tracks are blue, their inside parts red; each event gets a numbered
    marker at its deepest point (events closer than
    :data:`CLUSTER_FRACTION` of the view share one, numbered ``3-21``), and
    the side list gives each number's track, country, entry time, duration
    and depth. The violated volumes are outlined in red.

    Parameters
    ----------
    events : pandas.DataFrame
        The events table.
    tracks : pandas.DataFrame
        The tracks table (at least the events' tracks).
    airspace : geopandas.GeoDataFrame
        The airspace table (at least the events' volumes).

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
    """
    if len(events) == 0:
        raise ValueError("overview_map: no events to draw")
    events = events.reset_index(drop=True)
    numbers = event_numbers(events)
    fixes = {track_id: track_fixes(tracks, track_id) for track_id in dict.fromkeys(events["track_id"])}
    fig = Figure(figsize=(12.0, 8.5))
    ax = fig.add_axes(_MAP_RECT)
    crs, box_m = _draw_overview(ax, events, fixes, airspace)
    _numbered_markers(ax, crs, events, numbers, box_m)
    map_furniture(ax)
    title(fig, _heading(events, len(fixes)), f"violated: {', '.join(sorted(set(events['country'].astype(str))))}",
          illustrative=illustrative)
    fig.legend(
        handles=[
            *track_entries(("track", 1.2), ("inside a violated volume", 2.4)),
            Line2D([], [], color=COLOURS["volume_edge"], linewidth=1.8, label="violated volume"),
            sovereign_limit_entry(),
        ],
        loc="upper left", bbox_to_anchor=(0.635, 0.87), fontsize=8.5, frameon=False,
    )
    fig.text(0.64, 0.69, _event_list(events, numbers), fontsize=7.5, family="monospace", va="top", ha="left")
    footer(fig, "Azimuthal equidistant projection centred on the tracks.")
    if illustrative:
        illustrative_banner(fig)
        watermark(ax)
    return fig


def _draw_overview(ax, events, fixes, airspace):
    """Draw the basemap, the violated volumes and the tracks, in a view of them all; return its projection and box.

    The projection is centred on the tracks' lon/lat box, and the view holds
    them with a margin of 8 % of their extent (at least 20 km).
    """
    points = np.vstack([f[["lon", "lat"]].to_numpy(float) for f in fixes.values()])
    west, south = points.min(axis=0)
    east, north = points.max(axis=0)
    crs = local_crs((west + east) / 2, (south + north) / 2)
    x_m, y_m = to_local(crs, points[:, 0], points[:, 1])
    extent = max(np.ptp(x_m), np.ptp(y_m), 20_000.0)
    box_m = fitted_box(x_m, y_m, margin_m=0.08 * extent, aspect=axes_aspect(ax))
    lines = [np.column_stack(to_local(crs, f["lon"].to_numpy(float), f["lat"].to_numpy(float))) for f in fixes.values()]
    avoid = shapely.union_all([shapely.LineString(line) if len(line) > 1 else shapely.Point(line[0]) for line in lines])
    draw_basemap(ax, crs, box_m, label_states=True, avoid=shapely.buffer(avoid, 0.05 * extent))
    volumes = airspace[airspace["airspace_id"].isin(set(events["airspace_id"]))]
    clipped = shapely.clip_by_rect(volumes.geometry.values, *lonlat_bounds(crs, box_m))
    outline_polygons(ax, geometry_to_local(crs, clipped), color=COLOURS["volume_edge"], linewidth=1.8, zorder=4)
    for line in lines:
        ax.plot(line[:, 0], line[:, 1], color=COLOURS["track_outside"], linewidth=1.0, zorder=6)
    for _, event in events.iterrows():
        _, inside, _ = split_at_event(fixes[event["track_id"]], event)
        ax.plot(*to_local(crs, inside[:, 0], inside[:, 1]), color=COLOURS["track_inside"], linewidth=2.4, zorder=7)
    return crs, box_m


def _heading(events, n_tracks):
    """How many violations by how many tracks, and on which UTC dates."""
    first, last = events["entry_time"].min(), events["exit_time"].max()
    dates = utc_date(first) if utc_date(first) == utc_date(last) else f"{utc_date(first)} to {utc_date(last)}"
    return (f"{len(events)} airspace violation{'s' if len(events) != 1 else ''} by {n_tracks} "
            f"track{'s' if n_tracks != 1 else ''} \u2014 {dates}")


def _numbered_markers(ax, crs, events, numbers, box_m):
    """A numbered circle at each event's deepest point, nearby events merged into one."""
    lon = events["deepest_lon"].fillna(events["entry_lon"]).to_numpy(float)
    lat = events["deepest_lat"].fillna(events["entry_lat"]).to_numpy(float)
    x_m, y_m = to_local(crs, lon, lat)
    radius = CLUSTER_FRACTION * (box_m[2] - box_m[0])
    clusters = []
    for i in range(len(events)):
        for cluster in clusters:
            if np.hypot(x_m[i] - cluster["x"], y_m[i] - cluster["y"]) < radius:
                cluster["members"].append(i)
                break
        else:
            clusters.append({"x": x_m[i], "y": y_m[i], "members": [i]})
    for cluster in clusters:
        label = _number_ranges([numbers[i] for i in cluster["members"]])
        ax.annotate(
            label, xy=(cluster["x"], cluster["y"]), xytext=(10, 10), textcoords="offset points",
            ha="left", va="bottom", fontsize=9, fontweight="bold", color="white",
            bbox={"boxstyle": "round,pad=0.25", "facecolor": COLOURS["volume_edge"], "edgecolor": "white"},
            arrowprops={"arrowstyle": "-", "color": COLOURS["volume_edge"], "linewidth": 1.0}, zorder=12,
        )
        ax.plot(cluster["x"], cluster["y"], marker="o", markersize=5, color=COLOURS["volume_edge"],
                markeredgecolor="white", zorder=11)


def _number_ranges(numbers):
    """Numbers as runs: ``[3, 4, 5, 9]`` as ``'3-5, 9'`` (with an en dash)."""
    numbers = sorted(numbers)
    runs = [[numbers[0], numbers[0]]]
    for number in numbers[1:]:
        if number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}\u2013{b}" for a, b in runs)


def _event_list(events, numbers):
    """One line per event for the side list: number, track, country, entry, duration, depth."""
    lines = [f"{'#':>3} {'track':<12} {'ctry':<4} {'entry (UTC)':<11} {'inside':>10}  depth"]
    for number, event in zip(numbers[:LISTED_EVENTS], events.head(LISTED_EVENTS).itertuples()):
        lines.append(
            f"{number:>3} {str(event.track_id)[:12]:<12} {event.country!s:<4} {utc_clock(event.entry_time)[:8]:<11} "
            f"{duration_label(event.duration_s):>10}  {distance_label(event.max_depth_m).split(' (')[0]}"
        )
    if len(events) > LISTED_EVENTS:
        lines.append(f"... and {len(events) - LISTED_EVENTS} more")
    return "\n".join(lines)
