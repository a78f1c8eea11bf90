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
  turnaround), unless their file marks where its flights start (readsb's
  new-leg flag): then there, and not at gaps.
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
    usable = np.abs(lon) <= 180  # NaN compares False
    usable &= np.abs(lat) <= 90
    usable &= time_ns != _NAT
    usable &= aircraft_codes >= 0
    reason = np.full(len(usable), -1, dtype=np.int8)
    bad = np.flatnonzero(~usable)
    if len(bad):
        lon, lat = lon[bad], lat[bad]
        reason[bad] = np.select(
            [time_ns[bad] == _NAT, aircraft_codes[bad] < 0, np.isnan(lon) | np.isnan(lat)],
            [0, 1, 2],
            default=3,
        )
    return reason


def sort_order(run_keys, run_starts, run_sizes, time_ns):
    """Order by aircraft, then time (input order breaks ties), from runs of one aircraft's fixes.

    Parameters
    ----------
    run_keys : numpy.ndarray of int
        The key of each run of fixes of one aircraft; the keys' order is the
        aircraft's order, -1 for fixes not to be ordered (rejected).
    run_starts, run_sizes : numpy.ndarray of int64
        Where each run starts among all fixes, and how many fixes it has.
        The runs of one aircraft are in input order, as are the fixes of a
        run.
    time_ns : numpy.ndarray of int64
        The time of every fix.

    Returns
    -------
    order : numpy.ndarray of int64
        Positions of the fixes with a key, in sorted order.
    keys_sorted, time_sorted : numpy.ndarray
        The key and time of each fix in sorted order.
    resorted : numpy.ndarray of int64
        Where (in sorted order) the fixes of the aircraft that were not in
        time order in the input are: only these can be reordered fixes.

    Examples
    --------
    Fixes 0 and 1 of aircraft 1, fix 2 of aircraft 0, fix 3 rejected, fix 4
    of aircraft 0, earlier than fix 2:

    >>> order, keys, time, resorted = sort_order(
    ...     np.array([1, 0, -1, 0]), np.array([0, 2, 3, 4]), np.array([2, 1, 1, 1]),
    ...     np.array([5, 5, 7, 0, 6]))
    >>> order.tolist(), keys.tolist(), time.tolist(), resorted.tolist()
    ([4, 2, 0, 1], [0, 0, 1, 1], [6, 7, 5, 5], [0, 1])
    """
    # put the runs in order of their keys (stably), which orders the fixes by
    # aircraft; recordings are mostly in time order within each aircraft: sort
    # by time only the aircraft left out of time order
    usable = run_keys >= 0
    by_key = np.argsort(run_keys[usable], kind="stable")
    keys, starts, sizes = (values[usable][by_key] for values in (run_keys, run_starts, run_sizes))
    order = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes) + np.arange(sizes.sum())
    keys = np.repeat(keys, sizes)
    time_sorted = np.take(time_ns, order)
    back = np.flatnonzero((time_sorted[1:] < time_sorted[:-1]) & (keys[1:] == keys[:-1]))
    if len(back) == 0:
        return order, keys, time_sorted, back
    out_of_order = np.zeros(int(keys[-1]) + 1, dtype=bool)
    out_of_order[keys[back]] = True
    resorted = np.flatnonzero(out_of_order[keys])
    within = resorted[np.lexsort((time_sorted[resorted], keys[resorted]))]
    order[resorted] = order[within]
    time_sorted[resorted] = time_sorted[within]
    return order, keys, time_sorted, resorted


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
    repeat[1:] = (time_ns[1:] == time_ns[:-1]) & (aircraft_codes[1:] == aircraft_codes[:-1])
    # the fix kept is the one before each run of repeats
    at = np.flatnonzero(repeat)
    run_start = np.where(np.diff(at, prepend=-2) != 1, at, 0)
    kept_at = np.maximum.accumulate(run_start) - 1
    moved = (lon[at] != lon[kept_at]) | (lat[at] != lat[kept_at])
    same = np.zeros(len(time_ns), dtype=bool)
    conflicting = np.zeros(len(time_ns), dtype=bool)
    same[at[~moved]] = True
    conflicting[at[moved]] = True
    return same, conflicting


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
    span = int(input_position.max()) + 1  # keys of one aircraft all below the next's
    key = input_position.astype(np.int64) - (codes.max() - codes) * span
    backwards = np.minimum.accumulate(key[::-1])[::-1]
    later_min = np.append(backwards[1:], np.iinfo(np.int64).max)
    same_next = np.append(codes[1:] == codes[:-1], False)
    return same_next & (key > later_min)


def flight_starts(aircraft_codes, time_ns, split_gap_s, keep_whole=None, marked=None):
    """Where a new flight starts, in sorted fixes.

    Parameters
    ----------
    aircraft_codes, time_ns : numpy.ndarray
        Sorted by aircraft, then time.
    split_gap_s : float
        A gap longer than this starts a new flight.
    keep_whole : numpy.ndarray of bool, optional
        Fixes not split at gaps (their aircraft key is already a flight, or
        their file marks where flights start).
    marked : numpy.ndarray of bool, optional
        Fixes their file marks as the first of a flight (readsb's new leg):
        a flight starts there.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> s = 1_000_000_000
    >>> flight_starts(np.array([0, 0, 0, 1]), np.array([0, 60, 4000, 4000]) * s, 1800).tolist()
    [True, False, True, True]

    A file that marks its flights is split where it says, not at the gap:

    >>> flight_starts(np.array([0, 0, 0]), np.array([0, 60, 4000]) * s, 1800,
    ...               keep_whole=np.ones(3, bool), marked=np.array([False, True, False])).tolist()
    [True, True, False]
    """
    starts = np.ones(len(time_ns), dtype=bool)
    gap = np.diff(time_ns) > split_gap_s * 1e9
    if keep_whole is not None:
        gap &= ~keep_whole[1:]
    starts[1:] = (aircraft_codes[1:] != aircraft_codes[:-1]) | gap
    if marked is not None:
        starts |= marked
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
