"""The timeline of all events: one bar per event over UTC time, a row per track, a panel per UTC day."""

import numpy as np
import pandas as pd
from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from plots.decor import illustrative_banner, title, watermark
from plots.labels import country_name, duration_label, utc_date, where_key
from plots.style import COLOURS

MIN_BAR_FRACTION = 0.006
"""A bar is drawn at least this fraction of its panel's width, so an 18 s stay can be seen."""

PANEL_GAP_IN = 0.75
"""Space between two days' panels, inches (room for the time axis and the next title)."""

LABEL_INSIDE_FRACTION = 0.1
"""A bar this wide (fraction of its panel) carries its duration inside; a narrower one beside it."""

_PALETTE = ("#d7191c", "#2c7bb6", "#fdae61", "#1a9641", "#7b3294", "#a6611a", "#e7298a", "#4d4d4d")


def colours_by_country(codes):
    """A colour for each country code, in the order first seen (cycling after eight).

    Examples
    --------
    >>> colours_by_country(["POL", "LTU", "POL"])
    {'POL': '#d7191c', 'LTU': '#2c7bb6'}
    """
    unique = list(dict.fromkeys(str(code) for code in codes))
    return {code: _PALETTE[i % len(_PALETTE)] for i, code in enumerate(unique)}


MAX_ROWS = 45
"""Up to this many rows (tracks, summed over the days), a bar per event; beyond, counts over time."""

MAX_DAYS = 8
"""Events over more UTC days than this are drawn as counts over time, whatever their number."""


def timeline(events, *, illustrative=False):
    """Draw every event as a bar from entry to exit, grouped by track, coloured by country, near approaches hatched.

    Events on different UTC days go to separate panels that share one time
    scale (each starting at its own first event), so that an 18 s bar is
    shorter than an 11 min one in any panel; each bar is labelled with its
    duration where the label has room, and drawn at least
    :data:`MIN_BAR_FRACTION` of its panel wide. With more than
    :data:`MAX_ROWS` tracks or :data:`MAX_DAYS` days, the events are
    counted instead: how many began in each interval, stacked by where, and
    how many aircraft were inside at each moment.

    Parameters
    ----------
    events : pandas.DataFrame
        The events table.

    Raises
    ------
    ValueError
        If `events` is empty.

    Examples
    --------
    >>> from detect.example_data import example_tables
    >>> events, _, _ = example_tables()
    >>> timeline(events).texts[0].get_text()
    'Timeline of 5 airspace violations'

    Near approaches (``event == "approach"``) are paler, hatched bars:

    >>> from detect import find_violations
    >>> timeline(find_violations(*example_tables()[1:], approach_m=5000.0)).texts[0].get_text()
    'Timeline of 5 airspace violations and 6 near approaches'
    """
    if len(events) == 0:
        raise ValueError("timeline: no events to draw")
    events = events.reset_index(drop=True)
    events = events.assign(country=[where_key(event) for _, event in events[["country", "airspace_id"]].iterrows()])
    day = events["entry_time"].dt.floor("D")
    days = sorted(day.unique())
    colours = colours_by_country(events["country"])
    rows_per_day = events.groupby(day)["track_id"].nunique().to_list()
    if sum(rows_per_day) > MAX_ROWS or len(days) > MAX_DAYS:
        return _counted_timeline(events, illustrative=illustrative)
    span = max(max(events.loc[day == d, "exit_time"].max() - events.loc[day == d, "entry_time"].min()
                   for d in days), pd.Timedelta(minutes=2))
    height_in = 2.2 + sum(0.32 * n + 0.9 for n in rows_per_day)
    fig = Figure(figsize=(11.0, min(max(height_in, 4.0), 30.0)))
    top = 1 - (1.0 if illustrative else 0.6) / fig.get_figheight()
    bottom = 0.8 / fig.get_figheight()
    panel_in = (top - bottom) * fig.get_figheight() / len(days)
    grid = fig.add_gridspec(
        len(days), 1, height_ratios=[n + 1.2 for n in rows_per_day], top=top, bottom=bottom,
        left=0.17, right=0.97, hspace=PANEL_GAP_IN / max(panel_in - PANEL_GAP_IN, 0.5),
    )
    for panel, d in enumerate(days):
        _draw_day(fig.add_subplot(grid[panel]), events[day == d], colours, d, span)
    near = ([Patch(facecolor="white", edgecolor="black", label="near approach", **NEAR_BAR)]
            if "event" in events and (events["event"] == "approach").any() else [])
    fig.legend(
        handles=[Patch(color=colour, label=_place_name(code)) for code, colour in colours.items()] + near,
        loc="lower center", bbox_to_anchor=(0.5, 0.02 / fig.get_figheight()), ncol=min(len(colours), 5), fontsize=9,
        frameon=False,
    )
    title(fig, _heading(events), None, illustrative=illustrative)
    if illustrative:
        illustrative_banner(fig)
        watermark(fig.axes[0])
    return fig


NEAR_BAR = {"alpha": 0.45, "hatch": "////"}
"""How a near approach's bar differs from a violation's: paler, hatched."""


def _heading(events):
    """``Timeline of 5 airspace violations``, and the near approaches when there are any."""
    n_near = int((events["event"] == "approach").sum()) if "event" in events else 0
    n_violations = len(events) - n_near
    near = f" and {n_near} near approach{'es' if n_near != 1 else ''}" if n_near else ""
    return f"Timeline of {n_violations} airspace violation{'s' if n_violations != 1 else ''}{near}"


def _place_name(code):
    """A legend label: ``Lithuania (LTU)`` for a state, the volume's id for custom airspace."""
    name = country_name(code)
    return f"{name} ({code})" if name != code else code


def _draw_day(ax, events, colours, day, span):
    """One UTC day: a row per track, a bar per event, on a time axis `span` long (the same for every day)."""
    tracks = {track_id: row for row, track_id in enumerate(dict.fromkeys(events.sort_values("entry_time")["track_id"]))}
    start = events["entry_time"].min().tz_localize(None)
    pad = span * 0.08
    left, right = start - pad, start + span + pad
    minimum = (right - left) * MIN_BAR_FRACTION
    position = ax.get_position()
    seconds_per_pt = (right - left).total_seconds() / (position.width * ax.figure.get_figwidth() * 72)
    label_end = {}
    for event in events.sort_values(["track_id", "entry_time"]).itertuples():
        row = tracks[event.track_id]
        begin = event.entry_time.tz_localize(None)
        width = max(event.exit_time.tz_localize(None) - begin, minimum)
        near = getattr(event, "event", "violation") == "approach"
        ax.barh(row, width, left=begin, height=0.6, color=colours[str(event.country)], edgecolor="black", linewidth=0.5,
                **(NEAR_BAR if near else {}))
        label = duration_label(event.duration_s)
        label_s = pd.Timedelta(seconds=(len(label) * 0.62 * 7.5 + 6) * seconds_per_pt)
        if width > max((right - left) * LABEL_INSIDE_FRACTION, label_s):
            ax.text(begin + width / 2, row, label, va="center", ha="center", fontsize=7.5, color="white",
                    fontweight="bold")
            label_end[row] = begin + width
            continue
        if row in label_end and begin + width < label_end[row]:
            continue  # the row's previous label covers this place: the bar alone
        ax.annotate(label, xy=(begin + width, row), xytext=(3, 0), textcoords="offset points", va="center",
                    ha="left", fontsize=7.5)
        label_end[row] = begin + width + label_s
    ax.set_yticks(np.arange(len(tracks)), list(tracks), fontsize=8)
    ax.set_ylim(len(tracks) - 0.4, -0.6)
    ax.set_xlim(left, right + (right - left) * 0.06)
    locator = AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(DateFormatter("%H:%M" if span > pd.Timedelta(minutes=20) else "%H:%M:%S"))
    ax.set_title(f"{utc_date(pd.Timestamp(day))} (UTC)", loc="left", fontsize=10, fontweight="bold")
    ax.grid(True, axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


_STEPS = ("1min", "5min", "15min", "1h", "3h", "6h", "1D", "7D")
_MAX_PLACES = 8
_LEGEND_COLUMNS = 5
_AXIS_BELOW_IN = 0.75  # below the counted timeline's axes: its tick labels (two lines) and its axis label
_LEGEND_ROW_IN = 0.25  # and a row of its legend
_HOURS_SHOWN_WITHIN = pd.Timedelta(days=14)
"""A counted timeline spanning longer than this shows dates and years on its time axis, not hours."""


def _counted_timeline(events, *, illustrative):
    """Many events: entries per interval stacked by where (the top eight, the rest as "other"), and aircraft inside.

    Each of the eight places has a colour of its own; the time axis names
    the year when the events span more than :data:`_HOURS_SHOWN_WITHIN`; the
    legend, on as many rows as it needs, stays below the axis label.
    """
    first, last = events["entry_time"].min(), events["exit_time"].max()
    total = max(last - first, pd.Timedelta(minutes=10))
    step = next((pd.Timedelta(step) for step in _STEPS if total / pd.Timedelta(step) <= 150), pd.Timedelta("30D"))
    edges = pd.date_range(first.floor(step), last.ceil(step) + step, freq=step)
    places = events["country"].value_counts().index[:_MAX_PLACES]
    place = events["country"].where(events["country"].isin(places), "other")
    colours = colours_by_country(places)
    legend_rows = -(-(len(places) + (place == "other").any()) // _LEGEND_COLUMNS)
    fig = Figure(figsize=(11.0, 7.0))
    top = 1 - (1.1 if illustrative else 0.75) / fig.get_figheight()
    bottom = (_AXIS_BELOW_IN + _LEGEND_ROW_IN * legend_rows) / fig.get_figheight()
    counts_ax, inside_ax = fig.subplots(2, 1, sharex=True, gridspec_kw={"top": top, "bottom": bottom, "left": 0.08,
                                                                          "right": 0.97, "hspace": 0.25})
    edges_naive = edges.tz_localize(None)
    bottom = np.zeros(len(edges) - 1)
    handles = []
    for name in [*places, *(["other"] if (place == "other").any() else [])]:
        counts, _ = np.histogram(events.loc[place == name, "entry_time"].dt.tz_localize(None).to_numpy(),
                                 bins=edges_naive.to_numpy())
        colour = colours.get(name, "#999999")
        counts_ax.bar(edges_naive[:-1], counts, width=step, bottom=bottom, align="edge", color=colour,
                      edgecolor="none")
        bottom += counts
        handles.append(Patch(color=colour, label=_place_name(name)))
    counts_ax.set_ylabel(f"events begun per {_step_words(step)}")
    counts_ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    counts_ax.grid(True, axis="y", color="#dddddd", linewidth=0.6)
    moments = np.concatenate([events["entry_time"].to_numpy(dtype="datetime64[ns]"),
                              events["exit_time"].to_numpy(dtype="datetime64[ns]")])
    change = np.concatenate([np.ones(len(events)), -np.ones(len(events))])
    order = np.argsort(moments, kind="stable")
    inside_ax.step(moments[order], np.cumsum(change[order]), where="post", color=COLOURS["track_inside"], linewidth=1.0)
    inside_ax.set_ylabel("stays in progress")
    inside_ax.set_ylim(bottom=0)
    inside_ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    inside_ax.grid(True, color="#dddddd", linewidth=0.6)
    one_day = first.floor("D") == last.floor("D")
    inside_ax.xaxis.set_major_locator(AutoDateLocator(minticks=4, maxticks=10))
    hours_shown = "%H:%M" if one_day else "%d %b\n%H:%M" if total <= _HOURS_SHOWN_WITHIN else "%d %b\n%Y"
    inside_ax.xaxis.set_major_formatter(DateFormatter(hours_shown))
    inside_ax.set_xlabel("time (UTC)" + (f", {utc_date(first)}" if one_day else ""))
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), _LEGEND_COLUMNS), fontsize=9,
               frameon=False, bbox_to_anchor=(0.5, 0.0))
    dates = utc_date(first) if one_day else f"{utc_date(first)} to {utc_date(last)}"
    title(fig, f"Timeline of {len(events):,} airspace violations by {events['track_id'].nunique():,} tracks",
          f"{dates}; too many for a bar each: counted per {_step_words(step)}", illustrative=illustrative)
    if illustrative:
        illustrative_banner(fig)
        watermark(counts_ax)
    return fig


def _step_words(step):
    minutes = step / pd.Timedelta(minutes=1)
    if minutes < 60:
        return f"{minutes:.0f} min"
    if minutes < 1440:
        return "hour" if minutes == 60 else f"{minutes / 60:.0f} h"
    return "day" if minutes == 1440 else f"{minutes / 1440:.0f} days"
