"""A track cut at an event's entry and exit: the part outside before, the part inside, the part after.

The inside part runs from the exact entry point to the exact exit point
(the event's ``entry_lon``/``entry_lat`` and ``exit_lon``/``exit_lat``)
through the fixes recorded strictly between the two times, so that a
segment that cuts a corner of the airspace with no fix inside still shows
its inside piece. Where the event has no crossing position (a recording
that begins or ends inside), the position at that time is interpolated
linearly in time between the fixes around it.
"""

import numpy as np
import pandas as pd


def _time_ns(times):
    """UTC times (a tz-aware Series) as int64 nanoseconds."""
    return times.to_numpy(dtype="datetime64[ns]").astype(np.int64)


def track_fixes(tracks, track_id):
    """The fixes of one track, in time order.

    Raises
    ------
    ValueError
        If the tracks table has no fix of `track_id`.

    Examples
    --------
    >>> from detect.example_data import example_tables
    >>> _, fixes, _ = example_tables()
    >>> len(track_fixes(fixes, "EX-FIGHTER1"))
    40
    """
    fixes = tracks[tracks["track_id"] == track_id]
    if fixes.empty:
        raise ValueError(f"tracks: no fix of track {track_id!r}, which the event names")
    return fixes


def position_at(fixes, time):
    """Lon/lat of a track at a UTC time, linear in time between fixes (clamped at the ends).

    Examples
    --------
    >>> from detect.example_data import example_tables
    >>> _, fixes, _ = example_tables()
    >>> position_at(track_fixes(fixes, "EX-DRONE1"), "2025-09-19 08:00Z")  # before the first fix: clamped
    (25.45, 59.7)
    """
    t_ns = _time_ns(fixes["time"])
    at_ns = pd.Timestamp(time).tz_convert("UTC").as_unit("ns").value
    return (
        float(np.interp(at_ns, t_ns, fixes["lon"].to_numpy(float))),
        float(np.interp(at_ns, t_ns, fixes["lat"].to_numpy(float))),
    )


def crossing_point(fixes, event, which):
    """Lon/lat where the event begins (`which` ``"entry"``) or ends (``"exit"``).

    Examples
    --------
    >>> from detect.example_data import example_tables
    >>> events, fixes, _ = example_tables()
    >>> event = events.iloc[0]  # the recording starts inside: no crossing position
    >>> event["entry_face"], crossing_point(track_fixes(fixes, event["track_id"]), event, "entry")
    ('start', (25.45, 59.7))
    """
    lon, lat = event[f"{which}_lon"], event[f"{which}_lat"]
    if pd.notna(lon) and pd.notna(lat):
        return float(lon), float(lat)
    return position_at(fixes, event[f"{which}_time"])


LONG_GAP_S = 60.0
"""A stretch between two fixes this long (s), and several times the track's usual spacing, is a gap."""

GAP_SPACINGS = 6.0
"""A gap is also at least this many times the track's median spacing between fixes."""


def gap_threshold_s(times_ns):
    """The shortest stretch between two fixes of a track that counts as a gap in its recording.

    :data:`LONG_GAP_S`, or :data:`GAP_SPACINGS` times the median spacing of
    the fixes if that is longer (a logger that records once a minute has no
    gap every minute).

    Examples
    --------
    >>> import numpy as np
    >>> gap_threshold_s(np.arange(0, 100, 5) * 10**9), gap_threshold_s(np.arange(0, 3600, 60) * 10**9)
    (60.0, 360.0)
    """
    times_ns = np.asarray(times_ns, np.int64)
    spacing_s = float(np.median(np.diff(times_ns))) / 1e9 if len(times_ns) > 1 else 0.0
    return max(LONG_GAP_S, GAP_SPACINGS * spacing_s)


def gap_segments(times_ns, threshold_s):
    """Which segments of a polyline (point i to i + 1) span more than `threshold_s` seconds.

    Examples
    --------
    >>> gap_segments([0, 10**9, 2 * 10**9, 300 * 10**9], 60.0).tolist()
    [False, False, True]
    """
    return np.diff(np.asarray(times_ns, np.int64)) > threshold_s * 1e9


def split_times_at_event(fixes, event):
    """The UTC times (int64 ns) of the points :func:`split_at_event` returns, part by part.

    Examples
    --------
    >>> from detect.example_data import example_tables
    >>> events, fixes, _ = example_tables()
    >>> event = events.iloc[2]
    >>> before, inside, after = split_times_at_event(track_fixes(fixes, event["track_id"]), event)
    >>> int(inside[0]) == event["entry_time"].value, len(before), len(inside), len(after)
    (True, 6, 30, 8)
    """
    t_ns = _time_ns(fixes["time"])
    entry_ns = pd.Timestamp(event["entry_time"]).as_unit("ns").value
    exit_ns = pd.Timestamp(event["exit_time"]).as_unit("ns").value
    earlier, between, later = t_ns < entry_ns, (t_ns > entry_ns) & (t_ns < exit_ns), t_ns > exit_ns
    before = np.append(t_ns[earlier], entry_ns) if earlier.any() else np.empty(0, np.int64)
    after = np.insert(t_ns[later], 0, exit_ns) if later.any() else np.empty(0, np.int64)
    return before, np.concatenate([[entry_ns], t_ns[between], [exit_ns]]), after


def split_at_event(fixes, event):
    """Cut a track's fixes at an event's entry and exit.

    Parameters
    ----------
    fixes : pandas.DataFrame
        One track's rows of the tracks table, in time order.
    event : pandas.Series
        One row of the events table.

    Returns
    -------
    before, inside, after : tuple of numpy.ndarray
        Each an ``(n, 2)`` array of lon/lat degrees. ``before`` ends at the
        entry point, ``inside`` runs from the entry point to the exit point,
        ``after`` starts at the exit point; ``before`` and ``after`` are
        empty when the recording begins or ends inside.

    Examples
    --------
    >>> from detect.example_data import example_tables
    >>> events, fixes, _ = example_tables()
    >>> event = events.iloc[2]
    >>> before, inside, after = split_at_event(track_fixes(fixes, event["track_id"]), event)
    >>> len(before), len(inside), len(after)
    (6, 30, 8)
    >>> bool((inside[0] == before[-1]).all())  # both end at the entry point
    True
    """
    t_ns = _time_ns(fixes["time"])
    entry_ns = pd.Timestamp(event["entry_time"]).as_unit("ns").value
    exit_ns = pd.Timestamp(event["exit_time"]).as_unit("ns").value
    lonlat = fixes[["lon", "lat"]].to_numpy(float)
    entry = np.array([crossing_point(fixes, event, "entry")])
    exit_ = np.array([crossing_point(fixes, event, "exit")])
    earlier, between, later = t_ns < entry_ns, (t_ns > entry_ns) & (t_ns < exit_ns), t_ns > exit_ns
    before = np.vstack([lonlat[earlier], entry]) if earlier.any() else np.empty((0, 2))
    after = np.vstack([exit_, lonlat[later]]) if later.any() else np.empty((0, 2))
    return before, np.vstack([entry, lonlat[between], exit_]), after
