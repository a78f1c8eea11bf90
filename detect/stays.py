"""The fixes a streaming detector keeps: each track's fixes since the earliest of its open stays began.

When a stay that spans batches closes, its depth, altitude range, fix count
and suspect flag are computed over all its fixes at once, by the batch core,
so that they are those :func:`detect.find_violations` gives; the batches in
between, whose pieces the lon/lat cells settle inside (:mod:`detect.settled`),
are not detected at all. :class:`StayFixes` keeps those fixes.

Rows are appended in the order they arrive, every fix once; each row points
to the previous row of its track, so a track's stretch is read by walking
back from its last row. The detector tells from what time on each track's
rows are needed (:meth:`StayFixes.keep_from`: its earliest open stay's
entry, or its last fix when it has none); the rows before, but the last of
them, are dropped once the rows have doubled since they last were
(:meth:`StayFixes.compact_if_grown`). So memory follows the tracks in the
air and the length of their stays, not the length of the recording.
"""

from __future__ import annotations

import numpy as np

from detect.jit import njit
from detect.pieces import Fixes
from detect.window import FIX_VALUES
_ALWAYS_NS = np.iinfo(np.int64).min
#: Rows added beyond twice those kept at the last compaction before the next one.
COMPACT_ROWS = 1 << 16


class StayFixes:
    """Each track's recent fixes, by slot (:class:`detect.window.LastFixes` numbers the tracks).

    Examples
    --------
    >>> stays = StayFixes()
    >>> stays.append(np.array([0, 0, 1]), {"time_ns": np.array([10, 20, 15]), "lon_deg": np.array([1.0, 2.0, 9.0]),
    ...              "lat_deg": np.zeros(3), "alt_baro_m": np.zeros(3), "alt_geo_m": np.zeros(3),
    ...              "suspect": np.zeros(3, bool)})
    >>> fixes, _ = stays.fixes_of(np.array([0]), np.array([10]), np.array([20]))
    >>> fixes.lon_deg.tolist(), fixes.time_ns.tolist()
    ([1.0, 2.0], [10, 20])
    """

    def __init__(self, capacity: int = 1024):
        self._n = 0
        self._compacted_at = 0
        for name, dtype in FIX_VALUES.items():
            setattr(self, name, np.zeros(capacity, dtype))
        self._slot = np.zeros(capacity, np.int64)
        self._serial = np.zeros(capacity, np.int64)
        self._prev = np.zeros(capacity, np.int64)
        # Per slot: its last row, the time its rows are kept from, and the serial of the track holding it.
        self._last_row = np.full(64, -1, np.int64)
        self._keep_from_ns = np.full(64, _ALWAYS_NS, np.int64)
        self._slot_serial = np.zeros(64, np.int64)
        self._next_serial = 1

    def append(self, slot: np.ndarray, values: dict) -> None:
        """Add fixes, grouped by slot and each slot's in time order, later than any kept of their slot."""
        slot = np.asarray(slot, np.int64)
        k = len(slot)
        if not k:
            return
        self._grow_slots(int(slot.max()) + 1)
        self._grow_rows(self._n + k)
        rows = np.arange(self._n, self._n + k)
        first = np.ones(k, bool)
        first[1:] = slot[1:] != slot[:-1]
        prev = rows - 1
        prev[first] = self._last_row[slot[first]]
        for name in FIX_VALUES:
            getattr(self, name)[rows] = values[name]
        self._slot[rows], self._serial[rows], self._prev[rows] = slot, self._slot_serial[slot], prev
        last = np.concatenate([np.flatnonzero(first[1:]), [k - 1]])
        self._last_row[slot[last]] = rows[last]
        self._n += k

    def compact_if_grown(self) -> None:
        """Drop the rows no track keeps, once the rows have doubled since this was last done."""
        if self._n > 2 * self._compacted_at + COMPACT_ROWS:
            self._compact()

    def keep_from(self, slot: np.ndarray, time_ns: np.ndarray) -> None:
        """Keep the fixes of the tracks in `slot` from `time_ns` on, and the last before it; drop the rest later."""
        slot = np.asarray(slot, np.int64)
        if len(slot):
            self._grow_slots(int(slot.max()) + 1)
            self._keep_from_ns[slot] = time_ns

    def forget(self, slot: np.ndarray) -> None:
        """Drop every fix of the tracks in `slot`: the slots may be given to other tracks."""
        slot = np.asarray(slot, np.int64)
        slot = slot[slot < len(self._last_row)]
        self._last_row[slot] = -1
        self._keep_from_ns[slot] = _ALWAYS_NS
        self._slot_serial[slot] = self._next_serial + np.arange(len(slot))
        self._next_serial += len(slot)

    def fixes_of(self, slot, from_ns, to_ns, one_before=False, one_after=False) -> tuple[Fixes, dict]:
        """The fixes of each track `slot` from `from_ns` to `to_ns` (included), each stretch a track of its own.

        Parameters
        ----------
        slot, from_ns, to_ns : array_like of int
            A stretch each.
        one_before, one_after : array_like of bool
            Also take the last kept fix before `from_ns`, or the first after
            `to_ns`, where there is one (the fixes beyond a stay's entry and
            exit between fixes).

        Returns
        -------
        fixes : detect.pieces.Fixes
            The stretches as tracks; ``track_names`` holds each one's place
            in `slot` (an empty stretch is left out).
        altitudes_m : dict
            Their altitude columns, as :func:`detect.core.events_of_fixes` takes them.
        """
        slot, from_ns, to_ns = (np.atleast_1d(np.asarray(value, np.int64)) for value in (slot, from_ns, to_ns))
        before, after = (np.broadcast_to(np.asarray(value, bool), slot.shape) for value in (one_before, one_after))
        count = np.zeros(len(slot), np.int64)
        walk = (self._last_row, self._prev, self.time_ns, slot, from_ns, to_ns, before, after, count)
        _walk(*walk, np.empty(0, np.int64), False)
        rows = np.empty(int(count.sum()), np.int64)
        _walk(*walk, rows, True)
        n = len(rows)
        start = np.concatenate([[0], np.cumsum(count)])
        nonempty = np.flatnonzero(count > 0)
        track_start = np.zeros(n, bool)
        track_start[start[nonempty]] = True
        track_end = np.zeros(n, bool)
        track_end[start[nonempty + 1] - 1] = True
        time_ns = self.time_ns[rows]
        origin_ns = int(time_ns.min()) if n else 0
        fixes = Fixes(
            lon_deg=self.lon_deg[rows], lat_deg=self.lat_deg[rows], time_ns=time_ns,
            time_s=(time_ns - origin_ns) / 1e9, origin_ns=origin_ns, track_start=track_start, track_end=track_end,
            track_code=np.repeat(np.arange(len(nonempty)), count[nonempty]), track_names=nonempty,
            suspect=self.suspect[rows],
        )
        return fixes, {"alt_baro_m": self.alt_baro_m[rows], "alt_geo_m": self.alt_geo_m[rows]}

    def _compact(self) -> None:
        """Drop the rows no track keeps; the kept ones keep their order and their links."""
        n = self._n
        slot = self._slot[:n]
        held = self._serial[:n] == self._slot_serial[slot]
        kept = held & (self.time_ns[:n] >= self._keep_from_ns[slot])
        # And each track's last row before its time, the fix before a stay's entry.
        before = np.flatnonzero(held & ~kept)
        last_before = np.full(len(self._last_row), -1, np.int64)
        np.maximum.at(last_before, slot[before], before)
        kept[last_before[last_before >= 0]] = True
        new_row = np.full(n, -1, np.int64)
        new_row[kept] = np.arange(int(kept.sum()))
        prev = self._prev[:n][kept]
        prev = np.where(prev >= 0, new_row[np.maximum(prev, 0)], -1)
        for name in (*FIX_VALUES, "_slot", "_serial"):
            column = getattr(self, name)
            kept_values = column[:n][kept]
            column[:len(kept_values)] = kept_values
        self._prev[:len(prev)] = prev
        live = self._last_row >= 0
        self._last_row[live] = new_row[self._last_row[live]]
        self._n = self._compacted_at = int(kept.sum())

    def _grow_rows(self, n: int) -> None:
        size = len(self.time_ns)
        if n <= size:
            return
        size = max(n, 2 * size)
        for name in (*FIX_VALUES, "_slot", "_serial", "_prev"):
            column = getattr(self, name)
            grown = np.zeros(size, column.dtype)
            grown[:self._n] = column[:self._n]
            setattr(self, name, grown)

    def _grow_slots(self, n: int) -> None:
        size = len(self._last_row)
        if n <= size:
            return
        extra = max(n, 2 * size) - size
        self._last_row = np.concatenate([self._last_row, np.full(extra, -1, np.int64)])
        self._keep_from_ns = np.concatenate([self._keep_from_ns, np.full(extra, _ALWAYS_NS, np.int64)])
        self._slot_serial = np.concatenate([self._slot_serial, np.zeros(extra, np.int64)])


@njit(cache=True, nogil=True)
def _walk(last_row, prev, time_ns, slot, from_ns, to_ns, one_before, one_after, count, rows, fill):
    """Count (``fill`` False), or write in time order (``fill`` True), the rows of each stretch."""
    end = 0
    for i in range(len(slot)):
        end += count[i] if fill else 0
        j, n = end - 1, 0
        row, after = last_row[slot[i]] if slot[i] < len(last_row) else -1, -1
        while row >= 0 and time_ns[row] > to_ns[i]:
            row, after = prev[row], row
        if one_after[i] and after >= 0:
            n += 1
            if fill:
                rows[j] = after
                j -= 1
        while row >= 0 and time_ns[row] >= from_ns[i]:
            n += 1
            if fill:
                rows[j] = row
                j -= 1
            row = prev[row]
        if one_before[i] and row >= 0:
            n += 1
            if fill:
                rows[j] = row
        if not fill:
            count[i] = n
