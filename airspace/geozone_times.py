"""When a drone geozone applies: ED-269 and ED-318 time periods to UTC windows.

A zone's applicability is a list of time periods, each with an optional
``startDateTime`` and ``endDateTime`` (ISO 8601) and an optional daily
``schedule`` (ED-269 also writes it ``dailyPeriod``): days of the week
(``MON`` ... ``SUN``, ``ANY``) with a ``startTime`` and an ``endTime``.
:func:`applicability_windows` turns them into ``(valid_from, valid_to)``
windows in UTC (``NaT`` for an open end):

- no period, or an ED-269 period with ``permanent`` ``"YES"``: always
  (one window ``(NaT, NaT)``);
- a period without a schedule: one window from its start to its end;
- a period with a schedule: one window per scheduled day between its start
  and its end, clipped to them; overlapping or touching windows are joined.
  An end time at or before the start time runs into the next day
  (``22:00``-``06:00``), ``24:00`` is the end of the day. A schedule with an
  open start or end, or one that gives more than `max_windows` windows, is
  not expanded: the zone is taken as active over the whole period, and
  the period is counted in ``not_expanded`` (too many events rather than
  a missed one).

Times of day are ``hh:mm``, ``hh:mm:ss`` or ``hh:mm:ss.ss``, with ``Z`` or
an offset (``+02:00``); without one they are taken as UTC and counted in
``times_without_zone``, as are dates and times without a zone. ED-318's
daylight events (``startEvent``/``endEvent``: sunrise, sunset, civil
twilight) are not computed: a missing start time with an event is the start
of the day, a missing end time the end of the day, counted in
``daylight_events``.
"""

import re
from dataclasses import dataclass

import pandas as pd

MAX_WINDOWS = 1000
"""Default largest number of windows one zone's schedules expand to."""

WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
"""Days of the week as the schedules write them (``ANY`` is every day)."""

_TIME_OF_DAY = re.compile(
    r"(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d*)?))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?", re.IGNORECASE
)
_DAY = pd.Timedelta(days=1)


class TimeError(ValueError):
    """A time period that cannot be read; its message says what and where.

    Examples
    --------
    >>> str(TimeError("startTime '25:00': not a time of day"))
    "startTime '25:00': not a time of day"
    """


@dataclass
class TimeCounts:
    """What :func:`applicability_windows` assumed, counted over a file.

    Examples
    --------
    >>> TimeCounts(not_expanded=1)
    TimeCounts(windows=0, not_expanded=1, times_without_zone=0, daylight_events=0)
    """

    windows: int = 0
    not_expanded: int = 0
    times_without_zone: int = 0
    daylight_events: int = 0


def applicability_windows(periods, *, counts=None, max_windows=MAX_WINDOWS):
    """The UTC windows in which a zone applies.

    Parameters
    ----------
    periods : list of dict or None
        ED-269 ``applicability`` or ED-318 ``limitedApplicability``.
    counts : TimeCounts, optional
        Added to: windows made by schedules, schedules not expanded, times
        read as UTC for want of a zone, daylight events.
    max_windows : int, default 1000
        Largest number of windows the zone's schedules expand to.

    Returns
    -------
    list of (pandas.Timestamp, pandas.Timestamp)
        Sorted, not overlapping; ``NaT`` for an open end; ``[(NaT, NaT)]``
        when the zone always applies.

    Raises
    ------
    TimeError
        For a period, date, time or day that cannot be read, or a start
        after the end.

    Examples
    --------
    >>> windows = applicability_windows([{
    ...     "startDateTime": "2025-06-02T00:00:00Z", "endDateTime": "2025-06-09T00:00:00Z",
    ...     "schedule": [{"day": ["SAT", "SUN"], "startTime": "08:00Z", "endTime": "18:00Z"}]}])
    >>> for valid_from, valid_to in windows:
    ...     print(valid_from, valid_to)
    2025-06-07 08:00:00+00:00 2025-06-07 18:00:00+00:00
    2025-06-08 08:00:00+00:00 2025-06-08 18:00:00+00:00
    >>> applicability_windows([{"permanent": "YES"}])
    [(NaT, NaT)]
    """
    counts = TimeCounts() if counts is None else counts
    if periods is None or periods == []:
        return [(pd.NaT, pd.NaT)]
    if not isinstance(periods, list):
        raise TimeError(f"applicability {_short(periods)}: expected a list of time periods")
    windows = []
    for k, period in enumerate(periods):
        if not isinstance(period, dict):
            raise TimeError(f"time period {k}: expected an object, found {_short(period)}")
        if str(period.get("permanent", "")).upper() == "YES":
            return [(pd.NaT, pd.NaT)]
        windows.extend(_period_windows(k, period, counts, max_windows))
    return _joined(windows)


def _period_windows(k, period, counts, max_windows):
    start = _datetime(period.get("startDateTime"), f"time period {k}: startDateTime", counts)
    end = _datetime(period.get("endDateTime"), f"time period {k}: endDateTime", counts)
    if pd.notna(start) and pd.notna(end) and start > end:
        raise TimeError(f"time period {k}: starts ({start}) after it ends ({end})")
    schedule = period.get("schedule", period.get("dailyPeriod"))
    if not isinstance(schedule, (list, type(None))):
        raise TimeError(f"time period {k}: schedule {_short(schedule)}: expected a list")
    daily = [
        _daily(f"time period {k}: schedule {j}", entry, counts)
        for j, entry in enumerate(schedule or [])
        if not _placeholder(entry)
    ]
    if not daily:
        return [(start, end)]
    if pd.isna(start) or pd.isna(end):
        counts.not_expanded += 1
        return [(start, end)]
    days = pd.date_range(start.floor("D") - _DAY, end.floor("D"), freq="D")
    scheduled = [days[days.day_of_week.isin(weekdays)] for weekdays, _, _ in daily]
    if sum(map(len, scheduled)) > max_windows + 2 * len(daily):  # a day at each end may fall outside
        counts.not_expanded += 1
        return [(start, end)]
    windows = []
    for (_, opens, closes), on_days in zip(daily, scheduled):
        for day in on_days:
            window = (max(day + opens, start), min(day + closes, end))
            if window[0] < window[1]:
                windows.append(window)
    if len(windows) > max_windows:
        counts.not_expanded += 1
        return [(start, end)]
    counts.windows += len(windows)
    return windows


def _placeholder(entry):
    """Whether a schedule entry says nothing (no days, no times), as some files write."""
    return isinstance(entry, dict) and not entry.get("day") and not any(
        entry.get(key) for key in ("startTime", "endTime", "startEvent", "endEvent")
    )


def _daily(where, entry, counts):
    """(weekday numbers, opening offset, closing offset) of one schedule entry."""
    if not isinstance(entry, dict):
        raise TimeError(f"{where}: expected an object, found {_short(entry)}")
    days = entry.get("day")
    days = [days] if isinstance(days, str) else days
    if not isinstance(days, list) or not days:
        raise TimeError(f"{where}: day {_short(days)}: expected a list such as ['MON', 'TUE']")
    names = [str(day).upper() for day in days]
    unknown = [day for day in names if day not in (*WEEKDAYS, "ANY")]
    if unknown:
        raise TimeError(f"{where}: unknown day {unknown[0]!r}; expected {', '.join(WEEKDAYS)} or ANY")
    weekdays = list(range(7)) if "ANY" in names else sorted({WEEKDAYS.index(day) for day in names})
    opens = _time_of_day(entry, "startTime", "startEvent", pd.Timedelta(0), where, counts)
    closes = _time_of_day(entry, "endTime", "endEvent", _DAY, where, counts)
    if closes <= opens:
        closes += _DAY
    return weekdays, opens, closes


def _time_of_day(entry, key, event_key, default, where, counts):
    """Offset from midnight UTC of a schedule time; `default` for a daylight event."""
    text = entry.get(key)
    if text is None or text == "":
        if entry.get(event_key):
            counts.daylight_events += 1
            return default
        raise TimeError(f"{where}: no {key}")
    match = _TIME_OF_DAY.fullmatch(str(text).strip())
    hours, minutes = (int(match[1]), int(match[2])) if match else (99, 99)
    seconds = float(match[3] or 0) if match else 0.0
    if minutes > 59 or seconds >= 60 or hours > 24 or (hours == 24 and minutes + seconds > 0):
        raise TimeError(f"{where}: {key} {text!r}: not a time of day (hh:mm, hh:mm:ss, with Z)")
    zone = match[4]
    if zone is None:
        counts.times_without_zone += 1
    offset = pd.Timedelta(0)
    if zone and zone.upper() != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * pd.Timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    return pd.Timedelta(hours=hours, minutes=minutes, seconds=seconds) - offset


def _datetime(value, where, counts):
    """A UTC time from ISO 8601 text; NaT for null; naive times are taken as UTC, counted."""
    if value is None or value == "":
        return pd.NaT
    try:
        time = pd.Timestamp(str(value))
    except ValueError:
        raise TimeError(f"{where} {value!r}: not an ISO 8601 date and time") from None
    if pd.isna(time):
        raise TimeError(f"{where} {value!r}: not an ISO 8601 date and time")
    if time.tzinfo is None:
        counts.times_without_zone += 1
        return time.tz_localize("UTC")
    return time.tz_convert("UTC")


def _joined(windows):
    """`windows` sorted, with overlapping or touching ones joined; NaT ends are open."""
    low, high = pd.Timestamp.min.tz_localize("UTC"), pd.Timestamp.max.tz_localize("UTC")
    spans = sorted(
        (low if pd.isna(a) else a, high if pd.isna(b) else b) for a, b in windows
    )
    joined = []
    for start, end in spans:
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return [(pd.NaT if a == low else a, pd.NaT if b == high else b) for a, b in joined]


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."
