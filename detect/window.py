"""The fixes a streaming batch is detected in, as arrays: the batch, and each track's last fix before it.

A streaming replay pushes many small batches; building tables for each would
cost more than detecting in it. A :class:`Batch` takes a batch's columns
once, sorted by track then time; :class:`LastFixes` keeps each track's last
fix between batches; :meth:`Batch.after` joins them into the
:class:`detect.pieces.Fixes` of the window the core detects in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from detect.events import EVENT_COLUMNS
from detect.pieces import Fixes

#: The per-fix values a window is made of, besides the track, and their dtypes.
FIX_VALUES = {"time_ns": np.int64, "lon_deg": np.float64, "lat_deg": np.float64, "alt_baro_m": np.float64,
              "alt_geo_m": np.float64, "suspect": bool}


@dataclass(frozen=True)
class FixColumns:
    """Per-fix arrays of :data:`FIX_VALUES`; ``has_suspect`` says whether their table had a ``suspect``
    column (else ``suspect`` is all False), ``id_dtype`` is the dtype of its ``track_id``.

    Examples
    --------
    >>> columns = FixColumns(*(np.zeros(2, dtype) for dtype in FIX_VALUES.values()), False, np.dtype(object))
    >>> columns.time_ns.dtype, columns.suspect.tolist()
    (dtype('int64'), [False, False])
    """

    time_ns: np.ndarray
    lon_deg: np.ndarray
    lat_deg: np.ndarray
    alt_baro_m: np.ndarray
    alt_geo_m: np.ndarray
    suspect: np.ndarray
    has_suspect: bool
    id_dtype: object


@dataclass(frozen=True)
class TableColumns(FixColumns):
    """The columns of a validated tracks table as arrays, once, for taking batches of rows from.

    ``track_code`` numbers each row's track (an index into ``track_names``).

    Examples
    --------
    >>> from tracks import make_tracks
    >>> table = TableColumns.of(make_tracks(["B", "A", "B"], pd.date_range("2025-09-19", periods=3, freq="min",
    ...                         tz="UTC"), lon=[1.0, 2.0, 3.0], lat=[0.0] * 3))
    >>> table.track_names[table.track_code].tolist(), table.has_suspect
    (['A', 'B', 'B'], False)
    """

    track_code: np.ndarray
    track_names: np.ndarray

    @classmethod
    def of(cls, tracks: pd.DataFrame) -> "TableColumns":
        """The arrays of a validated tracks table (its rows in any order)."""
        codes, names = pd.factorize(tracks["track_id"].to_numpy(object))
        has_suspect = "suspect" in tracks.columns
        return cls(
            track_code=codes,
            track_names=np.asarray(names, dtype=object),
            time_ns=tracks["time"].to_numpy(dtype="datetime64[ns]").view(np.int64),
            lon_deg=tracks["lon"].to_numpy(float),
            lat_deg=tracks["lat"].to_numpy(float),
            alt_baro_m=tracks["alt_baro_m"].to_numpy(float),
            alt_geo_m=tracks["alt_geo_m"].to_numpy(float),
            suspect=tracks["suspect"].to_numpy(bool) if has_suspect else np.zeros(len(tracks), bool),
            has_suspect=has_suspect,
            id_dtype=tracks["track_id"].dtype,
        )


@dataclass(frozen=True)
class Batch(FixColumns):
    """A batch of fixes as arrays, sorted by track (in order of first appearance in the table), then time.

    ``track_names`` holds the batch's tracks, ``first`` the position of each
    one's first fix and ``count`` its number of fixes.

    Examples
    --------
    >>> from tracks import make_tracks
    >>> table = TableColumns.of(make_tracks(["A", "A", "B"], pd.date_range("2025-09-19", periods=3, freq="min",
    ...                         tz="UTC"), lon=[1.0, 2.0, 3.0], lat=[0.0] * 3))
    >>> batch = Batch.take(table, np.array([2, 0]))
    >>> batch.track_names.tolist(), batch.first.tolist(), batch.lon_deg.tolist()
    (['A', 'B'], [0, 1], [1.0, 3.0])
    """

    track_names: np.ndarray
    first: np.ndarray
    count: np.ndarray

    @classmethod
    def of(cls, fixes: pd.DataFrame) -> "Batch":
        """The arrays of rows of a validated tracks table, in any order.

        Examples
        --------
        >>> from tracks import make_tracks
        >>> rows = make_tracks(["B", "A", "B"], pd.to_datetime(["2025-09-19 09:00:10", "2025-09-19 09:00:00",
        ...                    "2025-09-19 09:00:00"], utc=True), lon=[1.0, 2.0, 3.0], lat=[0.0] * 3)
        >>> batch = Batch.of(rows.iloc[[2, 1, 0]])
        >>> batch.track_names.tolist(), batch.lon_deg.tolist(), batch.count.tolist()
        (['B', 'A'], [3.0, 1.0, 2.0], [2, 1])
        """
        return cls.take(TableColumns.of(fixes), np.arange(len(fixes)))

    @classmethod
    def take(cls, table: "TableColumns", rows: np.ndarray) -> "Batch":
        """The rows `rows` (positions, in any order) of a table's columns."""
        codes, local = np.unique(table.track_code[rows], return_inverse=True)
        time_ns = table.time_ns[rows]
        order = rows[np.lexsort((time_ns, local))]
        count = np.bincount(local, minlength=len(codes))
        return cls(
            track_names=table.track_names[codes],
            first=np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64),
            count=count,
            **{name: getattr(table, name)[order] for name in FIX_VALUES},
            has_suspect=table.has_suspect,
            id_dtype=table.id_dtype,
        )

    def first_time_ns(self) -> np.ndarray:
        """Time of each track's first fix in the batch."""
        return self.time_ns[self.first]

    def after(self, last: "LastFixes", slot: np.ndarray) -> tuple[Fixes, dict]:
        """The window: each track's fixes, after its fix in `last` at `slot` where that is not -1.

        Returns the window's fixes and its altitude columns.
        """
        carried = slot >= 0
        length = self.count + carried
        start = np.concatenate([[0], np.cumsum(length)])
        n = int(start[-1])
        track = np.repeat(np.arange(len(length)), self.count)
        position = start[track] + carried[track] + (np.arange(len(track)) - self.first[track])
        at_carried = start[:-1][carried]
        values = {}
        for name in FIX_VALUES:
            column = np.empty(n, getattr(self, name).dtype)
            column[position] = getattr(self, name)
            column[at_carried] = getattr(last, name)[slot[carried]]
            values[name] = column
        track_start = np.zeros(n, bool)
        track_start[start[:-1]] = True
        track_end = np.zeros(n, bool)
        track_end[start[1:] - 1] = True
        origin_ns = int(values["time_ns"].min())
        fixes = Fixes(
            lon_deg=values["lon_deg"], lat_deg=values["lat_deg"], time_ns=values["time_ns"],
            time_s=(values["time_ns"] - origin_ns) / 1e9, origin_ns=origin_ns,
            track_start=track_start, track_end=track_end,
            track_code=np.repeat(np.arange(len(length)), length), track_names=self.track_names,
            suspect=values["suspect"] if self.has_suspect else None,
        )
        return fixes, {"alt_baro_m": values["alt_baro_m"], "alt_geo_m": values["alt_geo_m"]}


class LastFixes:
    """Each track's last fix so far, in slots of growing arrays, found by track id.

    Examples
    --------
    >>> from tracks import make_tracks
    >>> last = LastFixes()
    >>> last.update(Batch.of(make_tracks("A", pd.to_datetime(["2025-09-19 09:00"], utc=True), lon=[1.0], lat=[2.0])))
    >>> slot = last.slots(np.array(["A", "B"], dtype=object))
    >>> slot.tolist(), last.lon_deg[slot[0]]
    ([0, -1], np.float64(1.0))
    >>> last.forget(["A"])
    [0]
    >>> last.slots(np.array(["A"], dtype=object)).tolist()
    [-1]
    """

    def __init__(self, capacity: int = 64):
        self._slot: dict = {}
        self._free = list(range(capacity - 1, -1, -1))  # popped from the end: slot 0 first
        for name, dtype in FIX_VALUES.items():
            setattr(self, name, np.zeros(capacity, dtype))

    def slots(self, track_names) -> np.ndarray:
        """The slot of each track's last fix; -1 for a track not seen (or forgotten)."""
        get = self._slot.get
        return np.fromiter((get(name, -1) for name in track_names), np.int64, len(track_names))

    def assign(self, track_names, slot: np.ndarray) -> np.ndarray:
        """`slot` (from :meth:`slots`) with a new slot given to each track that had none."""
        slot = slot.copy()
        for k in np.flatnonzero(slot < 0):
            slot[k] = self._new_slot(track_names[k])
        return slot

    def update(self, batch: Batch, slot: np.ndarray | None = None) -> None:
        """Keep the last fix of each track of `batch`, in its slot (:meth:`assign`) if given."""
        slot = self.assign(batch.track_names, self.slots(batch.track_names) if slot is None else slot)
        last = batch.first + batch.count - 1
        for name in FIX_VALUES:
            getattr(self, name)[slot] = getattr(batch, name)[last]

    def forget(self, track_names) -> list[int]:
        """Drop the tracks' last fixes; returns the slots freed."""
        freed = []
        for name in track_names:
            slot = self._slot.pop(name, None)
            if slot is not None:
                self._free.append(slot)
                freed.append(slot)
        return freed

    def _new_slot(self, name) -> int:
        if not self._free:
            size = len(self.time_ns)
            for value in FIX_VALUES:
                setattr(self, value, np.concatenate([getattr(self, value), np.zeros_like(getattr(self, value))]))
            self._free = list(range(2 * size - 1, size - 1, -1))
        self._slot[name] = slot = self._free.pop()
        return slot


def sorted_records(columns: dict | None) -> list[dict]:
    """Event columns as rows (dicts of plain values and UTC timestamps), by track, entry time and airspace.

    Examples
    --------
    >>> import shapely
    >>> from airspace import make_airspace
    >>> from detect.core import events_of_fixes
    >>> from detect.volumes import prepare_airspace
    >>> from tracks import make_tracks
    >>> fixes = make_tracks(["B", "A"], pd.date_range("2025-09-19", periods=2, freq="min", tz="UTC"),
    ...                     lon=[5.5, 5.6], lat=[45.5, 45.5])
    >>> zone = prepare_airspace(make_airspace(shapely.box(5.0, 45.0, 6.0, 46.0), airspace_id="R"))
    >>> columns = events_of_fixes(Fixes.from_tracks(fixes), {name: fixes[name].to_numpy() for name in
    ...                           ("alt_baro_m", "alt_geo_m")}, zone, None)
    >>> [(row["track_id"], str(row["entry_time"])) for row in sorted_records(columns)]
    [('A', '2025-09-19 00:01:00+00:00'), ('B', '2025-09-19 00:00:00+00:00')]
    >>> record_of(columns, 0)["airspace_id"]
    'R'
    """
    if columns is None:
        return []
    values = {}
    for name, dtype in EVENT_COLUMNS.items():
        values[name] = columns[name].tolist()
        if dtype.startswith("datetime"):
            values[name] = [pd.Timestamp(value, tz="UTC") for value in values[name]]
    rows = [dict(zip(values, row)) for row in zip(*values.values())]
    # A batch's events are few: sorted here in Python, ids in their own order.
    return sorted(rows, key=lambda row: (row["track_id"], row["entry_time"], row["airspace_id"]))


def record_of(columns: dict, row: int) -> dict:
    """Row `row` of event columns, as :func:`sorted_records` gives it (an example there).

    Examples
    --------
    >>> columns = {name: np.zeros(1, "int64" if dtype.startswith("datetime") else object)
    ...            for name, dtype in EVENT_COLUMNS.items()}
    >>> record_of(columns, 0)["entry_time"]
    Timestamp('1970-01-01 00:00:00+0000', tz='UTC')
    """
    return {name: pd.Timestamp(int(columns[name][row]), tz="UTC") if dtype.startswith("datetime")
            else columns[name][row].item() if hasattr(columns[name][row], "item") else columns[name][row]
            for name, dtype in EVENT_COLUMNS.items()}
