"""The timeline of all events: one bar per event over UTC time, a row per track, a panel per UTC day."""

import numpy as np
import pandas as pd
from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from plots.decor import illustrative_banner, title, watermark
from plots.labels import country_name, duration_label, utc_date

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


def timeline(events, *, illustrative=False):
    """Draw every event as a bar from entry to exit, grouped by track, coloured by country.

    Events on different UTC days go to separate panels, each with its own
    time axis, so that a night of drone crossings and a fighter's 18 s a
    month later both read; each bar is labelled with its duration and
    drawn at least :data:`MIN_BAR_FRACTION` of its panel wide.

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
    """
    if len(events) == 0:
        raise ValueError("timeline: no events to draw")
    events = events.reset_index(drop=True)
    day = events["entry_time"].dt.floor("D")
    days = sorted(day.unique())
    colours = colours_by_country(events["country"])
    rows_per_day = [events.loc[day == d, "track_id"].nunique() for d in days]
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
        _draw_day(fig.add_subplot(grid[panel]), events[day == d], colours, d)
    fig.legend(
        handles=[Patch(color=colour, label=f"{country_name(code)} ({code})") for code, colour in colours.items()],
        loc="lower center", bbox_to_anchor=(0.5, 0.02 / fig.get_figheight()), ncol=min(len(colours), 5), fontsize=9,
        frameon=False,
    )
    title(fig, f"Timeline of {len(events)} airspace violation{'s' if len(events) != 1 else ''}", None,
          illustrative=illustrative)
    if illustrative:
        illustrative_banner(fig)
        watermark(fig.axes[0])
    return fig


def _draw_day(ax, events, colours, day):
    """One UTC day: a row per track, a bar per event."""
    tracks = list(dict.fromkeys(events.sort_values("entry_time")["track_id"]))
    start = events["entry_time"].min().tz_localize(None)
    stop = events["exit_time"].max().tz_localize(None)
    span = max(stop - start, pd.Timedelta(minutes=2))
    pad = span * 0.08
    left, right = start - pad, stop + pad
    minimum = (right - left) * MIN_BAR_FRACTION
    events = events.sort_values(["track_id", "entry_time"])
    next_entry = events.groupby("track_id")["entry_time"].shift(-1)
    for event, following in zip(events.itertuples(), next_entry):
        row = tracks.index(event.track_id)
        begin = event.entry_time.tz_localize(None)
        width = max(event.exit_time.tz_localize(None) - begin, minimum)
        ax.barh(row, width, left=begin, height=0.6, color=colours[str(event.country)], edgecolor="black", linewidth=0.5)
        label = duration_label(event.duration_s)
        if width > (right - left) * LABEL_INSIDE_FRACTION:
            ax.text(begin + width / 2, row, label, va="center", ha="center", fontsize=7.5, color="white",
                    fontweight="bold")
            continue
        gap_after = following.tz_localize(None) - (begin + width) if not pd.isna(following) else None
        room_right = gap_after is None or gap_after > (right - left) * LABEL_INSIDE_FRACTION
        ax.annotate(
            label, xy=(begin + width, row) if room_right else (begin, row), xytext=(3 if room_right else -3, 0),
            textcoords="offset points", va="center", ha="left" if room_right else "right", fontsize=7.5,
        )
    ax.set_yticks(np.arange(len(tracks)), tracks, fontsize=8)
    ax.set_ylim(len(tracks) - 0.4, -0.6)
    ax.set_xlim(left, right + (right - left) * 0.06)
    locator = AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(DateFormatter("%H:%M" if span > pd.Timedelta(minutes=20) else "%H:%M:%S"))
    ax.set_title(f"{utc_date(pd.Timestamp(day))} (UTC)", loc="left", fontsize=10, fontweight="bold")
    ax.grid(True, axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
