"""The altitude profile of one event: altitude against UTC time, with the volume's floor and ceiling."""

import math

import numpy as np
import pandas as pd
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure

from plots.decor import illustrative_banner, title, watermark
from plots.incident import crossing_label
from plots.labels import (callsign_of, duration_label, limit_label, track_label, utc_date,
                          volume_words)
from plots.placement import label_box_pt
from plots.selection import one_row
from plots.style import COLOURS
from plots.trackpath import track_fixes
from tracks.units import FOOT_M

MIN_PAD_S = 120.0
MAX_PAD_S = 600.0
"""Time shown either side of the event: half its duration, within these bounds."""

_ALTITUDES = (
    ("alt_baro_m", "pressure altitude (baro)", "-"),
    ("alt_geo_m", "geometric altitude (GNSS)", "--"),
)


def altitude_profile(event, tracks, airspace_row, *, illustrative=False):
    """Draw the altitude of an event's track against UTC time.

    The time axis runs over the event with a few minutes either side (half
    its duration, 2 to 10 min). Pressure (baro) and geometric (GNSS)
    altitude are drawn solid and dashed, in feet with metres on the right
    axis, red while inside; the stay inside is shaded, its entry and exit
    marked; the volume's floor and ceiling are drawn and labelled as on
    charts (``SFC``, ``UNL``, ``FL95``, ``1500 ft MSL``). Where the tracks
    carry the ground under each fix (a column ``ground_m``, metres above sea
    level, from a terrain model), the ground is drawn and AGL limits follow
    it; else an AGL limit is drawn above sea level.

    Parameters
    ----------
    event : pandas.Series
        One row of the events table (or a table of that row only).
    tracks : pandas.DataFrame
        The tracks table (at least the event's track).
    airspace_row : pandas.Series
        The event's volume: a row of the airspace table (or a table of that row only).

    Raises
    ------
    ValueError
        If the tracks table has no fix of the event's track, or `event` or
        `airspace_row` is a table of several rows.

    Examples
    --------
    >>> from detect.example_data import example_tables
    >>> events, fixes, volumes = example_tables()
    >>> climb = events.iloc[4]  # EX-HIGH leaves through the ceiling
    >>> fig = altitude_profile(climb, fixes, volumes.set_index("airspace_id").loc[climb["airspace_id"]])
    >>> fig.axes[0].get_ylabel()
    'altitude (ft)'
    """
    event, airspace_row = one_row(event, "event"), one_row(airspace_row, "airspace_row")
    fixes = track_fixes(tracks, event["track_id"])
    entry, exit_ = event["entry_time"], event["exit_time"]
    pad = pd.Timedelta(seconds=min(max(0.5 * event["duration_s"], MIN_PAD_S), MAX_PAD_S))
    start, stop = entry - pad, exit_ + pad
    shown = fixes[(fixes["time"] >= start) & (fixes["time"] <= stop)]

    fig = Figure(figsize=(11.0, 6.0))
    top = 1 - (1.5 if illustrative else 1.1) / fig.get_figheight()  # room for the banner, title and entry/exit labels
    ax = fig.add_axes((0.08, 0.12, 0.80, top - 0.12))
    ax.axvspan(entry, exit_, color=COLOURS["track_inside"], alpha=0.10, zorder=0, label="inside (lateral and vertical)")
    times = shown["time"].dt.tz_localize(None)
    drawn = []
    for column, label, style in _ALTITUDES:
        feet = shown[column].to_numpy(float) / FOOT_M
        if not np.isfinite(feet).any():
            continue
        drawn.append(feet[np.isfinite(feet)])
        ax.plot(times, feet, linestyle=style, color=COLOURS["track_outside"], linewidth=1.6, label=label, zorder=3)
        inside_times, inside_feet = _inside_part(fixes, column, entry, exit_)
        ax.plot(inside_times, inside_feet, linestyle=style, color=COLOURS["track_inside"], linewidth=2.8, zorder=4)
    axes_pt = ax.get_position().width * fig.get_figwidth() * 72
    near = event.get("event", "violation") == "approach"
    for when, which, side in ((entry, "entry", "right"), (exit_, "exit", "left")):
        ax.axvline(when.tz_localize(None), color="black", linewidth=0.9, linestyle=":", zorder=2)
        text = crossing_label(which, event[f"{which}_face"], when, near=near).split("\n")[0]  # as on the map
        room = (when - start) if side == "right" else (stop - when)
        if label_box_pt(text, 9)[0] > room / (stop - start) * axes_pt:  # it would stick out of the axes: turn it
            side = "left" if side == "right" else "right"
        ax.annotate(
            text, xy=(when.tz_localize(None), 1.0), xycoords=("data", "axes fraction"),
            xytext=(-3 if side == "right" else 3, 4), textcoords="offset points", ha=side, va="bottom",
            fontsize=9, fontweight="bold",
        )
    ground_ft = shown["ground_m"].to_numpy(float) / FOOT_M if "ground_m" in shown else None
    low, high = _limits_band(ax, airspace_row, drawn, times, ground_ft)
    ax.set_xlim(start.tz_localize(None), stop.tz_localize(None))
    ax.set_ylim(low, high)
    ax.xaxis.set_major_formatter(DateFormatter("%H:%M:%S"))
    ax.set_xlabel("time (UTC)")
    ax.set_ylabel("altitude (ft)")
    ax.grid(True, color="#dddddd", linewidth=0.6)
    metres = ax.secondary_yaxis("right", functions=(lambda ft: ft * FOOT_M, lambda m: m / FOOT_M))
    metres.set_ylabel("altitude (m)")
    ax.legend(loc="lower left", fontsize=8.5, framealpha=0.9)

    name = track_label(event["track_id"], callsign_of(fixes))
    title(
        fig,
        f"{name}: altitude in {volume_words(airspace_row)} \u2014 {utc_date(entry)}",
        f"{airspace_row['name']} ({airspace_row['kind']}), "
        f"{limit_label(airspace_row['floor_m'], airspace_row['floor_ref'])} to "
        f"{limit_label(airspace_row['ceiling_m'], airspace_row['ceiling_ref'])}; "
        f"{duration_label(event['duration_s'])} inside, altitude used: {event['alt_source']}",
        illustrative=illustrative,
    )
    if illustrative:
        illustrative_banner(fig)
        watermark(ax)
    return fig


def _inside_part(fixes, column, entry, exit_):
    """Times (naive UTC) and altitudes (ft) from entry to exit, interpolated at both ends."""
    t_ns = fixes["time"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    values = fixes[column].to_numpy(float)
    known = np.isfinite(values)
    ends = np.array([entry.value, exit_.value], dtype=np.int64)
    between = (t_ns > ends[0]) & (t_ns < ends[1])
    times = np.concatenate([ends[:1], t_ns[between], ends[1:]])
    feet = np.interp(times, t_ns[known], values[known]) / FOOT_M if known.any() else np.full(len(times), np.nan)
    return pd.to_datetime(times), feet


def _limits_band(ax, volume, altitudes_ft, times, ground_ft=None):
    """Draw the floor and ceiling (following the ground, if given, where AGL); return the y range (ft) shown.

    `ground_ft` is the ground under the fixes at `times`, in feet; NaN where unknown.
    """
    has_ground = ground_ft is not None and np.isfinite(ground_ft).any()

    def limit_ft(limit_m, ref):
        """The limit in feet: one value, or one per fix where it follows the ground."""
        if has_ground and ref == "AGL" and math.isfinite(limit_m):
            return limit_m / FOOT_M + np.nan_to_num(ground_ft)
        return limit_m / FOOT_M

    floor_ft = limit_ft(volume["floor_m"], volume["floor_ref"])
    ceiling_ft = limit_ft(volume["ceiling_m"], volume["ceiling_ref"])
    values = np.concatenate(altitudes_ft) if altitudes_ft else np.array([0.0])
    finite_limits = [np.ravel(v) for v in (floor_ft, ceiling_ft) if np.isfinite(v).all()]
    ground = [ground_ft[np.isfinite(ground_ft)]] if has_ground else []
    span = np.concatenate([values, *finite_limits, *ground, [0.0]])  # the ground is always in view
    low, high = float(np.min(span)), float(np.max(span))
    pad = max(0.12 * (high - low), 500.0)
    low, high = (low - pad if low < 0 else 0.0), high + pad
    band_low = floor_ft if np.isfinite(floor_ft).all() else low
    band_high = ceiling_ft if np.isfinite(ceiling_ft).all() else high
    label = f"{volume['name']} (volume)"
    if np.ndim(band_low) == 0 and np.ndim(band_high) == 0:
        ax.axhspan(band_low, band_high, color=COLOURS["volume_fill"], alpha=0.12, zorder=0, label=label)
    else:
        ax.fill_between(times, band_low, band_high, color=COLOURS["volume_fill"], alpha=0.12, zorder=0, label=label)
    if has_ground:
        ax.fill_between(times, low, ground_ft, color=COLOURS["ground"], alpha=0.8, zorder=1,
                        label="ground (terrain model)")
    for value_ft, limit_m, ref, which, va in (
        (floor_ft, volume["floor_m"], volume["floor_ref"], "floor", "bottom"),
        (ceiling_ft, volume["ceiling_m"], volume["ceiling_ref"], "ceiling", "top"),
    ):
        text = f"{which} {limit_label(limit_m, ref)}"
        if np.ndim(value_ft):
            ax.plot(times, value_ft, color=COLOURS["volume_edge"], linewidth=1.8, zorder=2)
            y, offset = value_ft[-1], (4 if va == "bottom" else -4)
        elif math.isfinite(value_ft):
            ax.axhline(value_ft, color=COLOURS["volume_edge"], linewidth=1.8, zorder=2)
            y, offset = value_ft, (4 if va == "bottom" else -4)
        else:
            y, offset = (0.0, 4) if which == "floor" else (high, -4)
            if which == "floor":
                ax.axhline(0.0, color=COLOURS["volume_edge"], linewidth=1.2, linestyle="--", zorder=2)
        ax.annotate(
            text, xy=(0.995, y), xycoords=("axes fraction", "data"), xytext=(0, offset), textcoords="offset points",
            ha="right", va=va, fontsize=9.5, fontweight="bold", color=COLOURS["volume_edge"],
        )
    return low, high
