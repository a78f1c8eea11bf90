"""Vertical limits and activation windows as intervals along segments.

Altitude is linear in time between fixes, so the part of a segment between a
floor and a ceiling is one interval of its parameter, as is the part inside
an activation window.

Which altitude meets which limit: flight levels (``STD``) compare with
``alt_baro_m``, ``MSL`` with ``alt_geo_m``; ``AGL`` compares with ``alt_geo_m``
taking the ground at mean sea level, as no terrain model is used, and a
warning says so. Gaps inside a track are filled by linear interpolation in
time (the track's polyline), its ends by the nearest value. A track with no
value at all in the needed column uses the other column throughout, and the
events say so in ``alt_source``; with neither, vertical limits cannot be
checked, the track is taken as inside them, and ``alt_source`` is
``missing``. References are never mixed within a track.
"""

from __future__ import annotations

import numpy as np

ALT_COLUMN_FOR_REF = {"STD": "alt_baro_m", "MSL": "alt_geo_m", "AGL": "alt_geo_m"}
OTHER_COLUMN = {"alt_baro_m": "alt_geo_m", "alt_geo_m": "alt_baro_m"}
SOURCE_NAMES = np.array(["baro", "geo", "geo_for_baro", "baro_for_geo", "missing"], dtype=object)
"""Names of the altitude sources, indexed by the codes :meth:`AltitudeSources.for_reference` returns."""
_SOURCE_CODE = {
    ("alt_baro_m", "own"): 0,
    ("alt_geo_m", "own"): 1,
    ("alt_baro_m", "other"): 2,
    ("alt_geo_m", "other"): 3,
}
_MISSING_CODE = 4


def fill_within_tracks(alt_m: np.ndarray, time_s: np.ndarray, track_start: np.ndarray) -> np.ndarray:
    """Fill NaN altitudes linearly in time within each track; NaN if a track has none.

    Parameters
    ----------
    alt_m : ndarray
        Altitudes, tracks contiguous and in time order.
    time_s : ndarray
        Fix times in seconds.
    track_start : ndarray of bool
        True at the first fix of each track.

    Examples
    --------
    >>> fill_within_tracks(np.array([np.nan, 10.0, np.nan, 30.0, np.nan]),
    ...                    np.array([0.0, 1.0, 2.0, 3.0, 0.0]),
    ...                    np.array([True, False, False, False, True]))
    array([10., 10., 20., 30., nan])
    """
    n = len(alt_m)
    known = np.isfinite(alt_m)
    if known.all():
        return alt_m
    track = np.cumsum(track_start) - 1
    index = np.arange(n)
    prev_known = np.maximum.accumulate(np.where(known, index, -1))
    next_known = np.minimum.accumulate(np.where(known, index, n)[::-1])[::-1]
    has_prev = (prev_known >= 0) & (track[np.maximum(prev_known, 0)] == track)
    has_next = (next_known < n) & (track[np.minimum(next_known, n - 1)] == track)
    p, q = np.maximum(prev_known, 0), np.minimum(next_known, n - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = np.where(time_s[q] > time_s[p], (time_s - time_s[p]) / (time_s[q] - time_s[p]), 0.0)
    between = alt_m[p] + weight * (alt_m[q] - alt_m[p])
    filled = np.where(has_prev & has_next, between, np.where(has_prev, alt_m[p], np.where(has_next, alt_m[q], np.nan)))
    return np.where(known, alt_m, filled)


class AltitudeSources:
    """Filled altitude columns per reference, each computed once, when first needed.

    Parameters
    ----------
    columns : dict of str to ndarray
        ``alt_baro_m`` and ``alt_geo_m`` per fix.
    time_s, track_start : ndarray
        As for :func:`fill_within_tracks`.

    Examples
    --------
    Two tracks: the first with pressure altitude, the second with GNSS altitude only:

    >>> sources = AltitudeSources({"alt_baro_m": np.array([1000.0, np.nan, 1200.0, np.nan, np.nan]),
    ...                            "alt_geo_m": np.array([1100.0, 1150.0, np.nan, 500.0, 600.0])},
    ...                           np.array([0.0, 10.0, 20.0, 0.0, 10.0]), np.array([True, False, False, True, False]))
    >>> alt_m, source = sources.for_reference("STD")  # flight levels: pressure altitude
    >>> alt_m.tolist(), SOURCE_NAMES[source].tolist()
    ([1000.0, 1100.0, 1200.0, 500.0, 600.0], ['baro', 'baro', 'baro', 'geo_for_baro', 'geo_for_baro'])
    """

    def __init__(self, columns: dict, time_s: np.ndarray, track_start: np.ndarray):
        self._columns = columns
        self._time_s = time_s
        self._track_start_mask = track_start
        self._track_start = np.flatnonzero(track_start)
        self._track_length = np.diff(np.append(self._track_start, len(time_s)))
        self._filled: dict[str, np.ndarray] = {}
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def for_reference(self, ref: str) -> tuple[np.ndarray, np.ndarray]:
        """Altitude per fix for a limit reference, and its source per fix.

        Returns
        -------
        alt_m : ndarray
            NaN where the track has neither altitude.
        source : ndarray of int8
            Index into :data:`SOURCE_NAMES`: ``baro``, ``geo``,
            ``geo_for_baro``, ``baro_for_geo`` or ``missing``.

        Examples
        --------
        >>> sources = AltitudeSources({"alt_baro_m": np.array([1000.0, 1010.0, np.nan]),
        ...                            "alt_geo_m": np.array([1100.0, np.nan, np.nan])},
        ...                           np.array([0.0, 10.0, 0.0]), np.array([True, False, True]))
        >>> alt_m, source = sources.for_reference("MSL")  # the second track has no altitude at all
        >>> alt_m.tolist(), SOURCE_NAMES[source].tolist()
        ([1100.0, 1100.0, nan], ['geo', 'geo', 'missing'])
        """
        if ref not in self._cache:
            own_column = ALT_COLUMN_FOR_REF[ref]
            own = self._filled_column(own_column)
            track_has_own = np.repeat(np.isfinite(own[self._track_start]), self._track_length)
            if track_has_own.all():
                alt = own
                source = np.full(len(own), _SOURCE_CODE[(own_column, "own")], dtype=np.int8)
            else:
                other = self._filled_column(OTHER_COLUMN[own_column])
                alt = np.where(track_has_own, own, other)
                source = np.where(
                    track_has_own,
                    _SOURCE_CODE[(own_column, "own")],
                    np.where(np.isfinite(other), _SOURCE_CODE[(own_column, "other")], _MISSING_CODE),
                ).astype(np.int8)
            self._cache[ref] = (alt, source)
        return self._cache[ref]

    def _filled_column(self, name: str) -> np.ndarray:
        if name not in self._filled:
            self._filled[name] = fill_within_tracks(self._columns[name], self._time_s, self._track_start_mask)
        return self._filled[name]


_JUST_ABOVE_0, _JUST_BELOW_1 = np.nextafter(0.0, 1.0), np.nextafter(1.0, 0.0)


def is_open_limit(ref: str, limit_m: float) -> bool:
    """Whether a floor or ceiling limits nothing: the surface (``SFC``, or ``-inf``) or unlimited (``+inf``).

    Examples
    --------
    >>> is_open_limit("SFC", 0.0), is_open_limit("STD", np.inf), is_open_limit("MSL", 3000.0)
    (True, True, False)
    """
    return not np.isfinite(limit_m) or ref == "SFC"


def at_least_interval(alt_a, alt_b, limit):
    """Interval of t in [0, 1] where a + t (b - a) >= limit; NaN altitude counts as meeting it.

    Returns ``(t_lo, t_hi)``; an empty interval has ``t_lo > t_hi``.

    Examples
    --------
    >>> at_least_interval(np.array([0.0, 200.0, 0.0]), np.array([200.0, 0.0, 50.0]), 100.0)
    (array([0.5, 0. , inf]), array([ 1. ,  0.5, -inf]))
    """
    alt_a, alt_b = np.broadcast_arrays(np.asarray(alt_a, float), np.asarray(alt_b, float))
    a_ok = (alt_a >= limit) | np.isnan(alt_a)
    b_ok = (alt_b >= limit) | np.isnan(alt_b)
    # Where the limit is crossed it lies strictly between the fixes, one of
    # which is on the other side: the clip keeps a quotient that rounds to
    # 0 or 1 (or overflows, for subnormal differences) off that fix.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t_cross = np.clip((limit - alt_a) / (alt_b - alt_a), _JUST_ABOVE_0, _JUST_BELOW_1)
    t_lo = np.where(a_ok, 0.0, np.where(b_ok, t_cross, np.inf))
    t_hi = np.where(b_ok, 1.0, np.where(a_ok, t_cross, -np.inf))
    return t_lo, t_hi


def window_interval(time_a_s, time_b_s, valid_from_s, valid_to_s):
    """Interval of t in [0, 1] of a segment inside an activation window.

    ``valid_from_s``/``valid_to_s`` may be -inf/+inf for an open side. A
    zero-length segment is wholly inside or wholly outside.

    Examples
    --------
    Segments 0-100 s, 0-100 s, a single fix at 50 s and 30-40 s, against four windows:

    >>> t_lo, t_hi = window_interval(np.array([0.0, 0.0, 50.0, 30.0]), np.array([100.0, 100.0, 50.0, 40.0]),
    ...                              np.array([25.0, -np.inf, 0.0, 50.0]), np.array([75.0, 50.0, 60.0, np.inf]))
    >>> t_lo.tolist(), t_hi.tolist()  # the last is empty: t_lo > t_hi
    ([0.25, 0.0, 0.0, 2.0], [0.75, 0.5, 1.0, 1.0])
    """
    duration = time_b_s - time_a_s
    with np.errstate(divide="ignore", invalid="ignore"):
        t_from = np.where(duration > 0, (valid_from_s - time_a_s) / duration,
                          np.where(time_a_s >= valid_from_s, 0.0, np.inf))
        t_to = np.where(duration > 0, (valid_to_s - time_a_s) / duration,
                        np.where(time_a_s <= valid_to_s, 1.0, -np.inf))
    return np.maximum(t_from, 0.0), np.minimum(t_to, 1.0)
