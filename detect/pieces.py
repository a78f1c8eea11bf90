"""Fix arrays and the straight pieces of path between them.

A piece joins two consecutive fixes of one track, unless the time between
them exceeds ``max_gap_s``: then the path is not interpolated across the gap.
A fix with no piece on either side (a one-fix track, or a fix between two
gaps) becomes a zero-length piece of its own, so that it can still be an
event.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tracks.runs import run_codes, run_starts


@dataclass(frozen=True)
class Fixes:
    """The columns of a tracks table as arrays, tracks contiguous, in time order.

    ``track_code`` numbers the tracks in table order; ``track_names`` holds
    their ``track_id`` by code, as a numpy array of the ids' values (for
    categories, the categories, not their codes). ``time_s`` counts seconds
    from ``origin_ns``.

    Examples
    --------
    >>> from tracks import make_tracks
    >>> times = pd.Timestamp("2025-09-19 09:00", tz="UTC") + pd.to_timedelta([0, 10, 300, 0], unit="s")
    >>> fixes = Fixes.from_tracks(make_tracks(["A", "A", "A", "B"], times, lon=[1.0, 2, 3, 4], lat=[0.0] * 4))
    >>> fixes.time_s.tolist(), fixes.track_code.tolist(), fixes.track_names.tolist()
    ([0.0, 10.0, 300.0, 0.0], [0, 0, 0, 1], ['A', 'B'])
    >>> fixes.track_start.tolist(), fixes.track_end.tolist()
    ([True, False, False, True], [False, False, True, True])
    """

    lon_deg: np.ndarray
    lat_deg: np.ndarray
    time_ns: np.ndarray
    time_s: np.ndarray
    origin_ns: int
    track_start: np.ndarray
    track_end: np.ndarray
    track_code: np.ndarray
    track_names: np.ndarray
    suspect: np.ndarray | None

    @classmethod
    def from_tracks(cls, tracks: pd.DataFrame, origin_ns: int | None = None) -> "Fixes":
        """Arrays from a validated tracks table (no copy of the coordinates).

        Seconds count from `origin_ns`, by default the earliest fix; parts of
        one table detected apart share their table's origin, so that their
        seconds, and all that is computed from them, are the same to the bit.

        Examples
        --------
        >>> from tracks import make_tracks
        >>> times = pd.Timestamp("2025-09-19 09:00", tz="UTC") + pd.to_timedelta([0, 10, 300, 0], unit="s")
        >>> fixes = Fixes.from_tracks(make_tracks(["A", "A", "A", "B"], times, lon=[1.0, 2, 3, 4], lat=[0.0] * 4))
        >>> fixes.time_s.tolist(), fixes.track_names.tolist()
        ([0.0, 10.0, 300.0, 0.0], ['A', 'B'])
        >>> Fixes.from_tracks(make_tracks(["A"], times[1:2], lon=[1.0], lat=[0.0]), origin_ns=times[0].value).time_s
        array([10.])
        """
        time_ns = tracks["time"].to_numpy(dtype="datetime64[ns]").view(np.int64)
        n = len(tracks)
        starts = run_starts(tracks["track_id"])
        change = np.zeros(n + 1, bool)
        change[starts] = change[n] = True
        suspect = tracks["suspect"].to_numpy(bool) if "suspect" in tracks else None
        if origin_ns is None:
            origin_ns = int(time_ns.min()) if n else 0
        return cls(
            lon_deg=tracks["lon"].to_numpy(float),
            lat_deg=tracks["lat"].to_numpy(float),
            time_ns=time_ns,
            time_s=(time_ns - origin_ns) / 1e9,
            origin_ns=origin_ns,
            track_start=change[:-1],
            track_end=change[1:],
            track_code=run_codes(starts, n),
            track_names=tracks["track_id"].iloc[starts].to_numpy(),
            suspect=suspect,
        )

    def rows_of_tracks(self, track_lo: int, track_hi: int) -> slice:
        """The rows of tracks ``track_lo`` to ``track_hi`` (excluded).

        Examples
        --------
        >>> from tracks import make_tracks
        >>> times = pd.Timestamp("2025-09-19 09:00", tz="UTC") + pd.to_timedelta([0, 10, 300, 0], unit="s")
        >>> fixes = Fixes.from_tracks(make_tracks(["A", "A", "A", "B"], times, lon=[1.0, 2, 3, 4], lat=[0.0] * 4))
        >>> fixes.rows_of_tracks(0, 1), fixes.rows_of_tracks(1, 2)
        (slice(0, 3, None), slice(3, 4, None))
        """
        first = np.flatnonzero(self.track_start)
        return slice(int(first[track_lo]), int(first[track_hi]) if track_hi < len(first) else len(self.time_ns))

    def of_tracks(self, track_lo: int, track_hi: int) -> "Fixes":
        """The fixes of tracks ``track_lo`` to ``track_hi`` (excluded), with the same time origin.

        Examples
        --------
        >>> from tracks import make_tracks
        >>> table = make_tracks(["A", "A", "B", "C"], pd.to_datetime(["2025-09-19 09:00", "2025-09-19 09:01",
        ...                     "2025-09-19 09:00", "2025-09-19 09:00"], utc=True), lon=[1.0, 2, 3, 4], lat=[0.0] * 4)
        >>> part = Fixes.from_tracks(table).of_tracks(1, 3)
        >>> part.lon_deg.tolist(), part.track_names.tolist(), part.track_code.tolist()
        ([3.0, 4.0], ['B', 'C'], [0, 1])
        """
        rows = self.rows_of_tracks(track_lo, track_hi)
        return Fixes(
            lon_deg=self.lon_deg[rows], lat_deg=self.lat_deg[rows], time_ns=self.time_ns[rows],
            time_s=self.time_s[rows], origin_ns=self.origin_ns, track_start=self.track_start[rows],
            track_end=self.track_end[rows], track_code=self.track_code[rows] - track_lo,
            track_names=self.track_names[track_lo:track_hi],
            suspect=None if self.suspect is None else self.suspect[rows],
        )

    def of_tracks_where(self, keep: np.ndarray) -> "Fixes":
        """The fixes of the tracks where `keep` (a bool per track) is True, with the same time origin.

        Examples
        --------
        >>> from tracks import make_tracks
        >>> table = make_tracks(["A", "A", "B", "C"], pd.to_datetime(["2025-09-19 09:00", "2025-09-19 09:01",
        ...                     "2025-09-19 09:00", "2025-09-19 09:00"], utc=True), lon=[1.0, 2, 3, 4], lat=[0.0] * 4)
        >>> part = Fixes.from_tracks(table).of_tracks_where(np.array([True, False, True]))
        >>> part.lon_deg.tolist(), part.track_names.tolist(), part.track_code.tolist()
        ([1.0, 2.0, 4.0], ['A', 'C'], [0, 0, 1])
        """
        rows = keep[self.track_code]
        return Fixes(
            lon_deg=self.lon_deg[rows], lat_deg=self.lat_deg[rows], time_ns=self.time_ns[rows],
            time_s=self.time_s[rows], origin_ns=self.origin_ns, track_start=self.track_start[rows],
            track_end=self.track_end[rows], track_code=(np.cumsum(keep) - 1)[self.track_code[rows]],
            track_names=self.track_names[keep], suspect=None if self.suspect is None else self.suspect[rows],
        )


@dataclass(frozen=True)
class Pieces:
    """Pieces of path as fix indices ``a`` -> ``b`` (``a == b`` for a lone fix), in fix order.

    ``gap_fix`` holds, ascending, the fixes followed by an uninterpolated gap
    (the next fix is of the same track), and ``gap_s`` the gaps' lengths.

    Examples
    --------
    Fixes 0 and 1 joined, a 290 s gap after fix 1, fix 2 alone before it, fix 3 alone:

    >>> pieces = Pieces(a=np.array([0, 2, 3]), b=np.array([1, 2, 3]), gap_fix=np.array([1]), gap_s=np.array([290.0]))
    >>> pieces.gap_after_s([0, 1, 2]).tolist(), pieces.gap_before_s([0, 1, 2]).tolist()
    ([nan, 290.0, nan], [nan, nan, 290.0])
    """

    a: np.ndarray
    b: np.ndarray
    gap_fix: np.ndarray
    gap_s: np.ndarray

    def gap_after_s(self, fix: np.ndarray) -> np.ndarray:
        """Length of the uninterpolated gap after each fix; NaN where there is none.

        Examples
        --------
        >>> pieces = Pieces(a=np.array([0, 2]), b=np.array([1, 3]), gap_fix=np.array([1]), gap_s=np.array([290.0]))
        >>> pieces.gap_after_s([0, 1, 2]).tolist()
        [nan, 290.0, nan]
        """
        fix = np.asarray(fix, dtype=np.int64)
        if not len(self.gap_fix):
            return np.full(fix.shape, np.nan)
        at = np.minimum(np.searchsorted(self.gap_fix, fix), len(self.gap_fix) - 1)
        return np.where(self.gap_fix[at] == fix, self.gap_s[at], np.nan)

    def gap_before_s(self, fix: np.ndarray) -> np.ndarray:
        """Length of the uninterpolated gap before each fix; NaN where there is none.

        Examples
        --------
        >>> pieces = Pieces(a=np.array([0, 2]), b=np.array([1, 3]), gap_fix=np.array([1]), gap_s=np.array([290.0]))
        >>> pieces.gap_before_s([1, 2, 3]).tolist()
        [nan, 290.0, nan]
        """
        return self.gap_after_s(np.asarray(fix, dtype=np.int64) - 1)


def is_gap(step_ns, max_gap_s: float):
    """Whether steps between fixes (integer nanoseconds) are longer than ``max_gap_s``.

    Compared in nanoseconds, not in float seconds, so that a step of exactly
    ``max_gap_s`` is never taken for a longer one by rounding.

    Examples
    --------
    >>> is_gap(np.array([1_999_999_999, 2_000_000_000, 2_000_000_001]), 2.0).tolist()
    [False, False, True]
    """
    return np.asarray(step_ns) > max_gap_s * 1e9


def build_pieces(fixes: Fixes, max_gap_s: float | None) -> Pieces:
    """Pieces of path of all tracks; see the module docstring.

    Examples
    --------
    Track A has a 290 s gap between its fixes 1 and 2; track B has one fix:

    >>> from tracks import make_tracks
    >>> times = pd.Timestamp("2025-09-19 09:00", tz="UTC") + pd.to_timedelta([0, 10, 300, 0], unit="s")
    >>> fixes = Fixes.from_tracks(make_tracks(["A", "A", "A", "B"], times, lon=[1.0, 2, 3, 4], lat=[0.0] * 4))
    >>> pieces = build_pieces(fixes, max_gap_s=60.0)
    >>> pieces.a.tolist(), pieces.b.tolist(), pieces.gap_fix.tolist(), pieces.gap_s.tolist()
    ([0, 2, 3], [1, 2, 3], [1], [290.0])
    >>> build_pieces(fixes, max_gap_s=None).a.tolist()  # no gap: every step of a track is a piece
    [0, 1, 3]
    """
    step_ns = np.diff(fixes.time_ns)
    step_s = step_ns / 1e9
    same_track = ~fixes.track_end[:-1]
    joined = same_track if max_gap_s is None else same_track & ~is_gap(step_ns, max_gap_s)
    broken = same_track & ~joined
    gap_fix = np.flatnonzero(broken)
    joined_before = np.concatenate([[False], joined])
    joined_after = np.concatenate([joined, [False]])
    lone = np.flatnonzero(~joined_before & ~joined_after)
    start = np.flatnonzero(joined)
    end = start + 1
    if len(lone):
        order = np.argsort(np.concatenate([start, lone]), kind="stable")
        start, end = np.concatenate([start, lone])[order], np.concatenate([end, lone])[order]
    return Pieces(start, end, gap_fix, step_s[gap_fix])
