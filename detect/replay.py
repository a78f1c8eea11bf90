"""Streaming detection: fixes in time order in, events out as they open and close.

:class:`StreamingDetector` takes batches of fixes in time order across all
tracks and reports each event when it opens (its entry is known) and when it
closes (its exit is known). Each batch is detected with the batch core
(:func:`detect.core.events_in_threads`) on the new fixes of each track plus
the track's last fix before them (:mod:`detect.window`), so the path between batches is checked
exactly like any other piece; an event still open at a track's last fix is
kept and joined with its continuation in the next batch.

Given the same fixes, the events are those of :func:`detect.find_violations`:
the same tracks, volumes, faces, entry and exit times and fix counts, and the
same depth within the depth's tolerance, max(1 m, 0.1 %): a stay cut
between batches is searched for its deepest point in each part, which can
find a point deeper than the whole stay's search did. Two differences come
from not seeing the future: a missing altitude is filled only from fixes
already seen, and a track's fallback altitude (pressure for geometric or the
other way) is decided by its first batch. With complete altitudes there is
no difference.

The state is the last fix of each track and the open events; a replay that
knows where tracks end (:func:`time_batches` tells) forgets each track after
its last fix, so memory follows the tracks in the air at once, not the
length of the recording.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from detect.core import events_in_threads
from detect.events import event_dtypes, events_from_records
from detect.parallel import default_workers
from detect.pieces import is_gap
from detect.volumes import PreparedAirspace, prepare_airspace
from detect.window import Batch, LastFixes, TableColumns, sorted_records
from tracks import validate_tracks


FAST_BATCH_FIXES = 1 << 16
"""Fixes per batch of a replay that runs as fast as it can."""


@dataclass(frozen=True)
class Notice:
    """An event opening (``kind == "entry"``) or closing (``kind == "exit"``).

    ``event`` is a row of the events table (a dict); an entry notice holds
    the event as far as it is known (its exit is the last fix so far).
    """

    kind: str
    event: dict


class StreamingDetector:
    """Detect violations in fixes that arrive in time order.

    Parameters
    ----------
    airspace : geopandas.GeoDataFrame or PreparedAirspace
        The airspace table, prepared once here, or prepared already by
        :func:`detect.prepare_airspace`.
    crs : pyproj.CRS or str, optional
        As for :func:`detect.find_violations`.
    max_gap_s, min_duration_s, min_depth_m : float, optional
        As for :func:`detect.find_violations`; the filters apply to closed events.

    Examples
    --------
    >>> import shapely
    >>> from airspace import make_airspace
    >>> from tracks import make_tracks
    >>> zone = make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), airspace_id="R1")
    >>> fixes = make_tracks("MIG1", pd.to_datetime(["2025-09-19 09:00:00", "2025-09-19 09:01:00",
    ...                     "2025-09-19 09:02:00"], utc=True), lon=[23.9, 24.1, 24.3], lat=[59.05] * 3)
    >>> detector = StreamingDetector(zone)
    >>> [notice.kind for notice in detector.push(fixes.iloc[:2])]
    ['entry']
    >>> [(notice.kind, notice.event["exit_face"]) for notice in detector.push(fixes.iloc[2:])]
    [('exit', 'lateral')]
    >>> detector.finish()
    []
    """

    def __init__(self, airspace, *, crs=None, max_gap_s=None, min_duration_s=None, min_depth_m=None):
        if isinstance(airspace, PreparedAirspace):
            if crs is not None:
                raise ValueError("crs: the airspace is already prepared; give the crs to prepare_airspace")
            self.airspace = airspace
        else:
            self.airspace = prepare_airspace(airspace, crs)
        self.max_gap_s = max_gap_s
        self.min_duration_s = min_duration_s
        self.min_depth_m = min_depth_m
        self._last = LastFixes()
        self._open: dict[tuple[str, str], dict] = {}
        self._event_dtypes = event_dtypes()  # with the dtype of the track ids pushed

    def push(self, fixes: pd.DataFrame, *, validated: bool = False) -> list[Notice]:
        """Detect in the next fixes, later than every fix pushed before of the same track.

        Parameters
        ----------
        fixes : pandas.DataFrame
            Rows of a tracks table, in any order.
        validated : bool, default False
            The rows come from a table that :func:`tracks.validate_tracks`
            has checked already (as :func:`time_batches` yields them): they
            are not checked again.

        Returns
        -------
        list of Notice
            Entries and exits, in the order of their times.
        """
        if not validated:
            fixes = validate_tracks(fixes, source="replayed fixes")  # sorted by it where need be
        if not len(fixes):
            return []
        return self.push_batch(Batch.of(fixes))

    def push_batch(self, batch: Batch) -> list[Notice]:
        """:meth:`push` of rows of a validated table, taken as arrays (:func:`batches_of_rows`)."""
        self._event_dtypes = event_dtypes(batch.id_dtype)
        slot = self._last.slots(batch.track_names)
        known = slot >= 0
        step_ns = batch.first_time_ns()[known] - self._last.time_ns[slot[known]]
        if (step_ns <= 0).any():
            k = np.flatnonzero(known)[np.argmax(step_ns <= 0)]
            raise ValueError(f"replayed fixes: track {batch.track_names[k]!r} goes back in time at "
                             f"{pd.Timestamp(batch.first_time_ns()[k], tz='UTC')}")
        gapped = np.zeros(len(slot), bool)
        if self.max_gap_s is not None:
            gapped[known] = is_gap(step_ns, self.max_gap_s)
        notices, gap_s = [], {}
        for k in np.flatnonzero(gapped):
            gap_s[batch.track_names[k]] = (batch.first_time_ns()[k] - self._last.time_ns[slot[k]]) / 1e9
            notices += self._close_after_gap(batch.track_names[k], gap_s[batch.track_names[k]])
        carried = known & ~gapped
        window, altitudes_m = batch.after(self._last, np.where(carried, slot, -1))
        carried_ns = dict(zip(batch.track_names[carried].tolist(), self._last.time_ns[slot[carried]].tolist()))
        events = events_in_threads(window, altitudes_m, self.airspace, self.max_gap_s, default_workers())
        for event in sorted_records(events):
            notices += self._take(event, carried_ns, gap_s)
        self._last.update(batch)
        return sorted(notices, key=_notice_time)

    def end_tracks(self, track_ids) -> list[Notice]:
        """Close the open events of tracks that have no more fixes, and forget the tracks.

        A replay that knows where each track ends calls this after the batch
        with a track's last fix, so that its state does not outlive it.
        """
        ended = set(track_ids)
        notices = [Notice("exit", event) for key, event in self._open.items() if key[0] in ended]
        self._open = {key: event for key, event in self._open.items() if key[0] not in ended}
        self._last.forget(ended)
        return sorted((notice for notice in notices if self._kept(notice.event)), key=_notice_time)

    def finish(self) -> list[Notice]:
        """Close the events still open at the end of the recording (exit face ``end``)."""
        notices = [Notice("exit", event) for event in self._open.values() if self._kept(event)]
        self._open.clear()
        self._last = LastFixes()
        return sorted(notices, key=_notice_time)

    def open_events(self) -> pd.DataFrame:
        """The events open now, as an events table (exit at the last fix so far)."""
        return events_from_records(list(self._open.values()), self._event_dtypes["track_id"], ordered=False)

    def _take(self, event, carried_ns, gap_s) -> list[Notice]:
        """Join a batch's event with the open one it continues; notices of what changed.

        `carried_ns` holds the time of each track's fix carried from the batch before.
        """
        track_id = event["track_id"]
        key = (track_id, event["airspace_id"])
        notices = []
        continues = (
            key in self._open and event["entry_face"] == "start"
            and carried_ns.get(track_id) == event["entry_time"].value
        )
        if continues:
            event = _joined(self._open.pop(key), event)
        else:
            if event["entry_face"] == "start" and track_id in gap_s:
                event["entry_face"], event["entry_uncertainty_s"] = "gap", gap_s[track_id]
            notices.append(Notice("entry", event))
        if event["exit_face"] == "end":
            self._open[key] = event
        elif self._kept(event):
            notices.append(Notice("exit", event))
        return notices

    def _close_after_gap(self, track_id, gap_s) -> list[Notice]:
        """Close a track's open events at its last fix before an uninterpolated gap."""
        notices = []
        for key in [key for key in self._open if key[0] == track_id]:
            event = self._open.pop(key)
            event["exit_face"], event["exit_uncertainty_s"] = "gap", gap_s
            if self._kept(event):
                notices.append(Notice("exit", event))
        return notices

    def _kept(self, event) -> bool:
        """Whether a closed event passes the duration and depth filters."""
        return (self.min_duration_s is None or event["duration_s"] >= self.min_duration_s) and (
            self.min_depth_m is None or event["max_depth_m"] >= self.min_depth_m
        )


def _joined(before: dict, after: dict) -> dict:
    """One event from its part up to a batch's last fix and its part from there on."""
    joined = dict(before)
    for name in ("exit_time", "exit_face", "exit_uncertainty_s", "exit_lon", "exit_lat"):
        joined[name] = after[name]
    joined["duration_s"] = (joined["exit_time"] - joined["entry_time"]).value / 1e9
    if after["max_depth_m"] > before["max_depth_m"]:
        for name in ("max_depth_m", "deepest_time", "deepest_lon", "deepest_lat"):
            joined[name] = after[name]
    joined["min_alt_m"] = np.fmin(before["min_alt_m"], after["min_alt_m"])
    joined["max_alt_m"] = np.fmax(before["max_alt_m"], after["max_alt_m"])
    joined["n_fixes"] = before["n_fixes"] + after["n_fixes"] - 1  # the shared fix counts once
    joined["suspect"] = bool(before["suspect"] or after["suspect"])
    return joined


def _notice_time(notice: Notice):
    return notice.event["entry_time" if notice.kind == "entry" else "exit_time"]


def replay_events(tracks: pd.DataFrame, airspace, *, batch_s: float | None = None,
                  batch_fixes: int | None = FAST_BATCH_FIXES, **options) -> pd.DataFrame:
    """All events of a tracks table, detected by streaming it in time order.

    Parameters
    ----------
    tracks : pandas.DataFrame
        The tracks table.
    airspace : geopandas.GeoDataFrame
        The airspace table.
    batch_s, batch_fixes : optional
        Recording time, or fixes, per batch (see :func:`time_batches`);
        by default :data:`FAST_BATCH_FIXES` fixes.
    **options
        As for :class:`StreamingDetector`.

    Returns
    -------
    pandas.DataFrame
        The events table, sorted as :func:`detect.find_violations` sorts it.
    """
    tracks = validate_tracks(tracks)
    detector = StreamingDetector(airspace, **options)
    closed = []
    for batch, ended in batches_of_rows(tracks, batch_s, None if batch_s else batch_fixes):
        closed += [notice.event for notice in detector.push_batch(batch) if notice.kind == "exit"]
        closed += [notice.event for notice in detector.end_tracks(ended)]
    closed += [notice.event for notice in detector.finish()]
    return events_from_records(closed, tracks["track_id"].dtype)


def time_batches(tracks: pd.DataFrame, batch_s: float | None = None, batch_fixes: int | None = None):
    """The fixes of a tracks table in time order, in batches of recording time or of fixes.

    Parameters
    ----------
    tracks : pandas.DataFrame
        A validated tracks table.
    batch_s : float, optional
        Recording time per batch (for a replay paced like the recording).
    batch_fixes : int, optional
        Fixes per batch (for a replay as fast as it can: few large batches).

    Yields
    ------
    batch : pandas.DataFrame
        Rows of `tracks`.
    ended : list of str
        The tracks whose last fix is in this batch.
    """
    track_id = tracks["track_id"]
    for rows, ended_rows in _batch_rows(tracks, batch_s, batch_fixes):
        yield tracks.iloc[rows], track_id.iloc[ended_rows].tolist()


def batches_of_rows(tracks: pd.DataFrame, batch_s: float | None = None, batch_fixes: int | None = None):
    """:func:`time_batches`, each batch as a :class:`detect.window.Batch` of arrays (no table per batch)."""
    table = TableColumns.of(tracks)
    for rows, ended_rows in _batch_rows(tracks, batch_s, batch_fixes):
        yield Batch.take(table, rows), table.track_names[table.track_code[ended_rows]].tolist()


def _batch_rows(tracks: pd.DataFrame, batch_s: float | None, batch_fixes: int | None):
    """Positions of each batch's rows in time order, and of the rows that end their track."""
    if not len(tracks):
        return
    # The index over the whole recording is kept small: 32-bit row numbers, and
    # for each row only whether it is its track's last fix.
    time_ns = tracks["time"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    row_type = np.int32 if len(tracks) < 2**31 else np.int64
    order = np.argsort(time_ns, kind="stable").astype(row_type)
    if batch_s is not None:
        batch = (time_ns[order] - time_ns[order[0]]) // max(int(batch_s * 1e9), 1)
        bounds = np.flatnonzero(np.diff(batch)) + 1
        del batch
    else:
        bounds = np.arange(batch_fixes or len(order), len(order), batch_fixes or len(order))
    del time_ns
    last_fix = np.ones(len(tracks), bool)
    last_fix[:-1] = _changes(tracks["track_id"])
    for rows in np.split(order, bounds):
        yield rows, rows[last_fix[rows]]


def _changes(track_id: pd.Series) -> np.ndarray:
    """Whether each row's next row is of another track (tracks contiguous)."""
    codes = pd.factorize(track_id, sort=False)[0]
    return codes[1:] != codes[:-1]
