"""Cleaning raw fixes, vectorised: reject unusable rows, order, deduplicate, split into flights.

Rules
-----
- A fix with no time, no aircraft key, a NaN ``lon``/``lat``, ``lon``
  outside [-180, 180] or ``lat`` outside [-90, 90] is rejected, counted by
  reason (:data:`REJECT_REASONS`). ``lon`` 180 is written as -180.
- Fixes are ordered by aircraft, then time; among fixes of one aircraft at
  the same time the first in input order (files in the order given, rows in
  file order) is kept, the others are rejected as duplicates (with a
  different position: "conflicting duplicate").
- A fix earlier in time than an earlier fix of the same aircraft is
  *reordered*: counted, not lost.
- One aircraft's fixes are split into flights where two consecutive fixes
  are more than ``split_gap_s`` apart (default :data:`SPLIT_GAP_S`, 30 min:
  longer than any radar or ADS-B coverage hole in cruise, shorter than any
  turnaround).
- Track ids (:func:`flight_track_ids`): the aircraft key alone when it has a
  single flight in the input, else ``<aircraft>-<UTC start YYYYmmddTHHMMZ>``
  (``4ca2d6-20250919T0930Z``), with ``-2``, ``-3``, ... added in the rare case
  of two flights of one aircraft starting in the same minute. Stable for the
  same input, readable, and sorted the way the flights are.
"""

import numpy as np
import pandas as pd

SPLIT_GAP_S = 1800.0
"""Default gap (seconds) between two fixes of one aircraft that starts a new flight."""

REJECT_REASONS = (
    "no time",
    "missing aircraft id",
    "missing lon/lat",
    "lon/lat out of range",
    "duplicate (aircraft, time)",
    "conflicting duplicate (aircraft, time), other position",
)
"""Why the framework rejects a fix; a fix with several faults counts under the first."""

_NAT = np.iinfo(np.int64).min


def usable_rows(time_ns, aircraft_codes, lon, lat):
    """The reject reason of each raw fix (index into :data:`REJECT_REASONS`, -1 if usable).

    Parameters
    ----------
    time_ns : numpy.ndarray of int64
        Nanoseconds since 1970 UTC; the minimum int64 for NaT.
    aircraft_codes : numpy.ndarray of int
        Categorical codes of the aircraft key, -1 where missing.
    lon, lat : numpy.ndarray of float64
        Degrees.

    Returns
    -------
    numpy.ndarray of int8

    Examples
    --------
    >>> usable_rows(np.array([0, 0, 0]), np.array([0, 0, 0]),
    ...             np.array([10.0, np.nan, 200.0]), np.array([50.0, 50.0, 50.0])).tolist()
    [-1, 2, 3]
    """
    out_of_range = (lon < -180) | (lon > 180) | (lat < -90) | (lat > 90)
    return np.select(
        [time_ns == _NAT, aircraft_codes < 0, np.isnan(lon) | np.isnan(lat), out_of_range],
        [0, 1, 2, 3],
        default=-1,
    ).astype(np.int8)


def sort_order(aircraft_codes, time_ns):
    """Stable order by aircraft, then time: input order breaks ties.

    Parameters
    ----------
    aircraft_codes : numpy.ndarray of int
        Codes whose order is the aircraft keys' order.
    time_ns : numpy.ndarray of int64

    Returns
    -------
    numpy.ndarray of int64
        Positions in input order.

    Examples
    --------
    >>> sort_order(np.array([1, 0, 1, 0]), np.array([5, 7, 5, 6])).tolist()
    [3, 1, 0, 2]
    """
    # recordings are mostly in time order within each aircraft: sort stably by
    # aircraft alone (radix sort for codes of up to 16 bits), and only if that
    # leaves some aircraft out of time order, sort by both keys
    by_aircraft = np.argsort(aircraft_codes, kind="stable")
    codes, times = aircraft_codes[by_aircraft], time_ns[by_aircraft]
    if np.all((times[1:] >= times[:-1]) | (codes[1:] != codes[:-1])):
        return by_aircraft
    return np.lexsort((time_ns, aircraft_codes))


def duplicates(aircraft_codes, time_ns, lon, lat):
    """Fixes (in sorted order) that repeat the aircraft and time of the fix before.

    Parameters
    ----------
    aircraft_codes, time_ns, lon, lat : numpy.ndarray
        Sorted by :func:`sort_order`.

    Returns
    -------
    same : numpy.ndarray of bool
        Duplicates with the same position as the kept fix.
    conflicting : numpy.ndarray of bool
        Duplicates with another position.

    Examples
    --------
    >>> same, other = duplicates(np.array([0, 0, 0]), np.array([1, 1, 1]),
    ...                          np.array([5.0, 5.0, 6.0]), np.zeros(3))
    >>> same.tolist(), other.tolist()
    ([False, True, False], [False, False, True])
    """
    repeat = np.zeros(len(time_ns), dtype=bool)
    repeat[1:] = (aircraft_codes[1:] == aircraft_codes[:-1]) & (time_ns[1:] == time_ns[:-1])
    # the fix kept is the first of each run of repeats
    kept_at = np.maximum.accumulate(np.where(repeat, 0, np.arange(len(repeat))))
    moved = (lon != lon[kept_at]) | (lat != lat[kept_at])
    return repeat & ~moved, repeat & moved


def reordered(aircraft_codes, input_position):
    """Fixes (in sorted order) that came after a later fix of the same aircraft in the input.

    Parameters
    ----------
    aircraft_codes : numpy.ndarray of int
        Sorted by aircraft.
    input_position : numpy.ndarray of int64
        Each fix's position in the input (the sort order).

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> reordered(np.array([0, 0, 0, 1]), np.array([1, 0, 2, 3])).tolist()
    [True, False, False, False]
    """
    n_rows = len(input_position)
    if n_rows == 0:
        return np.zeros(0, dtype=bool)
    # suffix minimum of input positions within each aircraft: run backwards, with
    # each aircraft's values shifted below all of those seen before it
    codes = aircraft_codes.astype(np.int64)
    key = input_position.astype(np.int64) - (codes.max() - codes) * (n_rows + 1)
    backwards = np.minimum.accumulate(key[::-1])[::-1]
    later_min = np.append(backwards[1:], np.iinfo(np.int64).max)
    same_next = np.append(codes[1:] == codes[:-1], False)
    return same_next & (key > later_min)


def flight_starts(aircraft_codes, time_ns, split_gap_s, keep_whole=None):
    """Where a new flight starts, in sorted fixes.

    Parameters
    ----------
    aircraft_codes, time_ns : numpy.ndarray
        Sorted by aircraft, then time.
    split_gap_s : float
        A gap longer than this starts a new flight.
    keep_whole : numpy.ndarray of bool, optional
        Fixes whose aircraft key is already a flight: never split.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> s = 1_000_000_000
    >>> flight_starts(np.array([0, 0, 0, 1]), np.array([0, 60, 4000, 4000]) * s, 1800).tolist()
    [True, False, True, True]
    """
    starts = np.ones(len(time_ns), dtype=bool)
    gap = np.diff(time_ns) > split_gap_s * 1e9
    if keep_whole is not None:
        gap &= ~keep_whole[1:]
    starts[1:] = (aircraft_codes[1:] != aircraft_codes[:-1]) | gap
    return starts


def flight_track_ids(aircraft, start_ns, keep_whole):
    """Track ids of flights by the rule of this module.

    Parameters
    ----------
    aircraft : array_like of str
        The aircraft key of each flight, flights of one aircraft together in
        time order.
    start_ns : numpy.ndarray of int64
        The first fix time of each flight.
    keep_whole : numpy.ndarray of bool
        Flights whose key is kept as it is.

    Returns
    -------
    numpy.ndarray of object (str)

    Examples
    --------
    >>> s = 1_000_000_000
    >>> flight_track_ids(["4ca2d6", "4ca2d6", "a1"],
    ...                  np.array([1758274200, 1758360600, 0]) * s, np.zeros(3, bool)).tolist()
    ['4ca2d6-20250919T0930Z', '4ca2d6-20250920T0930Z', 'a1']
    """
    names = pd.Series(np.asarray(aircraft, dtype=object))
    several = names.duplicated(keep=False).to_numpy() & ~np.asarray(keep_whole)
    if several.any():
        stamps = pd.to_datetime(start_ns[several], unit="ns").strftime("%Y%m%dT%H%MZ")
        names[several] = names[several] + "-" + np.asarray(stamps, dtype=object)
        clash = names.groupby(names).cumcount().to_numpy()
        names[clash > 0] = names[clash > 0] + "-" + (clash[clash > 0] + 1).astype(str)
    return names.to_numpy(dtype=object)
