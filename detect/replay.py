"""Streaming detection: fixes in time order in, events out as they open and close.

:class:`StreamingDetector` takes batches of fixes in time order across all
tracks and reports each event when it opens (its entry is known) and when it
closes (its exit is known). A batch is seen as a window: the new fixes of
each track plus the track's last fix before them (:mod:`detect.window`), so
the path between batches is checked exactly like any other piece.

Most tracks, most of the time, neither enter nor leave anything: the lon/lat
cells of the parts near them settle every new piece wholly inside the
volumes they are in, or wholly outside (:mod:`detect.settled`). Those tracks
are not detected in that batch. The others are detected by the batch core
(:func:`detect.core.events_in_threads`), without depth: that gives the
entries and exits. When an event closes, it is completed over all its fixes,
kept meanwhile (:mod:`detect.stays`), by the core on its volume alone: its
depth, altitude range, fix count and suspect flag.

Given the same fixes, the events are those of :func:`detect.find_violations`:
the same tracks, volumes, faces, entry and exit times, fix counts and depths.
One difference comes from not seeing the future: where altitudes are
missing, an entry or exit through a vertical limit is found with the
altitudes filled from the batch's window, and the altitude range from the
stay's fixes, where the batch fills them from the whole track. With
complete altitudes there is no difference.

An entry notice holds the event as far as it is known then: its exit is the
batch's last fix, and its depth is not searched yet (NaN). The state is the
last fix of each track, the open events, and the fixes of their stays; a
replay that knows where tracks end (:func:`time_batches` tells) forgets each
track after its last fix, so memory follows the tracks in the air at once,
not the length of the recording.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from detect.core import events_in_threads, events_of_fixes
from detect.events import event_dtypes, events_from_records
from detect.filters import EventFilters, option_number
from detect.parallel import default_workers
from detect.pieces import build_pieces, is_gap
from detect.settled import PartVolumes, settled_tracks
from detect.stays import StayFixes
from detect.volumes import PreparedAirspace, prepare_airspace, refuse_preparing_options
from detect.window import FIX_VALUES, Batch, LastFixes, TableColumns, record_of, sorted_records
from tracks import track_registries, validate_tracks


FAST_BATCH_FIXES = 1 << 16
"""Fixes per batch of a replay that runs as fast as it can."""


@dataclass(frozen=True)
class Notice:
    """An event opening (``kind == "entry"``) or closing (``kind == "exit"``).

    ``event`` is a row of the events table (a dict); an entry notice holds
    the event as far as it is known (its exit is the last fix so far, its
    depth NaN).

    Examples
    --------
    >>> notice = Notice("entry", {"track_id": "MIG1", "entry_time": pd.Timestamp("2025-09-19 09:00", tz="UTC")})
    >>> notice.kind, notice.event["track_id"]
    ('entry', 'MIG1')
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
    crs, terrain : optional
        As for :func:`detect.find_violations`.
    max_gap_s, min_duration_s, min_depth_m : float, optional
        As for :func:`detect.find_violations`; the filters apply to closed
        events. With either filter, an event's entry notice waits until it
        closes and passes them, and comes with its exit (holding the whole
        event): every entry announced is of an event kept, and has its exit.
    time_from, time_to, foreign_only, exclude_registry : optional
        As for :func:`detect.find_violations` (:mod:`detect.filters`): fixes
        outside the time range are not detected; the registry filters apply
        to entries and exits alike.
    registries : dict, optional
        The state of registry of each track (:func:`tracks.track_registries`),
        for fixes pushed as arrays (:meth:`push_batch`); tables pushed with
        an ``icao24`` column add their tracks' own.
    approach_m, approach_vertical_m : float, optional
        As for :func:`detect.find_violations`: near approaches too, the same
        as the batch's. An approach's entry notice has no closest approach
        yet (NaN); its exit notice has.

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

    def __init__(self, airspace, *, crs=None, terrain=None, max_gap_s=None, min_duration_s=None,
                 min_depth_m=None, time_from=None, time_to=None, foreign_only=False, exclude_registry=None,
                 registries=None, approach_m=None, approach_vertical_m=None):
        if isinstance(airspace, PreparedAirspace):
            refuse_preparing_options(crs=crs, terrain=terrain, approach_m=approach_m,
                                     approach_vertical_m=approach_vertical_m)
            self.airspace = airspace
        else:
            self.airspace = prepare_airspace(airspace, crs, terrain, approach_m=approach_m,
                                             approach_vertical_m=approach_vertical_m)
        self.max_gap_s = option_number(max_gap_s, "max_gap_s", zero=False)
        self.min_duration_s = option_number(min_duration_s, "min_duration_s")
        self.min_depth_m = option_number(min_depth_m, "min_depth_m")
        self._entries_wait = self.min_duration_s is not None or self.min_depth_m is not None
        self._filters = EventFilters.of(time_from, time_to, foreign_only, exclude_registry)
        self._registries = dict(registries or {})
        self._volumes = PartVolumes.of(self.airspace)
        self._volume_number = {(volume.row.airspace_id, volume.event): v
                               for v, volume in enumerate(self.airspace.volumes)}
        self._event_dtypes = event_dtypes()  # with the dtype of the track ids pushed
        self._reset()

    def _reset(self) -> None:
        """Forget every track and open event."""
        self._last = LastFixes()
        self._stays = StayFixes()
        # Open events as known at their entry, by track then airspace; how many per slot, and their codes.
        self._open: dict = {}
        self._open_count = np.zeros(64, np.int64)
        self._open_codes: set[int] = set()
        self._pushed = False  # since the detector was made or finished

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
        for track_id, registry in track_registries(fixes).items():
            self._registries.setdefault(track_id, registry)
        return self.push_batch(Batch.of(fixes))

    def push_batch(self, batch: Batch) -> list[Notice]:
        """:meth:`push` of rows of a validated table, taken as arrays (:func:`batches_of_rows`)."""
        self._event_dtypes = self._same_kind_of_ids(batch.id_dtype)
        self._pushed = True
        batch = self._filters.batch(batch)
        if not len(batch.time_ns):
            return []
        names = batch.track_names
        slot = self._last.slots(names)
        known = slot >= 0
        step_ns = batch.first_time_ns()[known] - self._last.time_ns[slot[known]]
        if (step_ns <= 0).any():
            k = np.flatnonzero(known)[np.argmax(step_ns <= 0)]
            raise ValueError(f"replayed fixes: track {names[k]!r} goes back in time at "
                             f"{pd.Timestamp(batch.first_time_ns()[k], tz='UTC')}")
        gapped = np.zeros(len(slot), bool)
        if self.max_gap_s is not None:
            gapped[known] = is_gap(step_ns, self.max_gap_s)
        closing, gap_s = [], {}
        for k in np.flatnonzero(gapped):
            gap_s[names[k]] = (batch.first_time_ns()[k] - self._last.time_ns[slot[k]]) / 1e9
            closing += self._closing(names[k], int(self._last.time_ns[slot[k]]), gap_s[names[k]])
        carried = known & ~gapped
        window, altitudes_m = batch.after(self._last, np.where(carried, slot, -1))
        slot = self._last.assign(names, slot)
        self._stays.append(np.repeat(slot, batch.count), {name: getattr(batch, name) for name in FIX_VALUES})

        detected, only = self._to_detect(window, slot, carried)
        notices, events = [], None
        if detected.any():
            rows = detected[window.track_code]
            events = events_in_threads(window.of_tracks_where(detected),
                                       {name: column[rows] for name, column in altitudes_m.items()},
                                       self.airspace, self.max_gap_s, default_workers(), depth="closed", only=only)
        joins = carried & detected
        carried_ns = dict(zip(names[joins].tolist(), self._last.time_ns[slot[joins]].tolist()))
        for event in sorted_records(events):
            notices += self._take(event, carried_ns, gap_s, closing)
        self._last.update(batch, slot)
        notices += self._closed(closing)
        no_stay = self._open_count[slot] == 0
        self._stays.keep_from(slot[no_stay], self._last.time_ns[slot[no_stay]])
        self._stays.compact_if_grown()
        return self._filters.notices(sorted(notices, key=_in_order_key), self._registries)

    def _same_kind_of_ids(self, id_dtype) -> dict:
        """The events' dtypes for track ids of `id_dtype`; refused if the ids pushed before were of another kind.

        Text ids after integer ones (or the reverse) would give one track two
        names, and the events a column of mixed types.
        """
        dtypes = event_dtypes(id_dtype)
        before, now = self._event_dtypes["track_id"], dtypes["track_id"]
        if self._pushed and _id_kind(before) != _id_kind(now):
            raise ValueError(f"replayed fixes: track_id of dtype {now}, where the fixes pushed before had {before}; "
                             "push the ids of one dtype throughout")
        return dtypes

    def _to_detect(self, window, slot: np.ndarray, carried: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Which tracks of a batch's window to detect, and in which parts, as :func:`events_of_fixes` takes them.

        A track is detected in every part where it was not seen before,
        where its new pieces have a gap, or where the lon/lat cells do not
        settle them (:func:`detect.settled.settled_tracks`) inside exactly
        the volumes it has open events in. Otherwise it is detected only in
        the parts where some piece is not settled; in the others it stays
        where it was.

        Returns
        -------
        detected : ndarray of bool
            Per track of the window.
        only : tuple or None
            For the detected tracks, as :func:`detect.core.events_of_fixes`
            takes it; None for every part of every one.
        """
        pieces = build_pieces(window, self.max_gap_s)
        settled = settled_tracks(self.airspace, self._volumes, window, pieces)
        whole = ~carried
        whole[window.track_code[pieces.gap_fix]] = True
        n_volumes = len(self._volumes.lateral_only)
        codes = slot[settled.inside_track] * n_volumes + settled.inside_volume
        is_open = np.isin(codes, np.fromiter(self._open_codes, np.int64, len(self._open_codes)))
        whole[settled.inside_track[~is_open]] = True
        whole |= np.bincount(settled.inside_track[is_open], minlength=len(slot)) != self._open_count_of(slot)
        detected = whole.copy()
        detected[settled.unsettled_track] = True
        if whole[detected].all():
            return detected, None
        number = np.cumsum(detected) - 1  # among the detected tracks
        some = ~whole[settled.unsettled_track]
        pairs = number[settled.unsettled_track[some]] * len(self.airspace.parts) + settled.unsettled_part[some]
        return detected, (whole[detected], pairs)

    def end_tracks(self, track_ids) -> list[Notice]:
        """Close the open events of tracks that have no more fixes, and forget the tracks.

        A replay that knows where each track ends calls this after the batch
        with a track's last fix, so that its state does not outlive it.
        """
        closing = []
        for track_id in track_ids:
            if track_id in self._open:
                slot = self._last.slots([track_id])[0]
                closing += self._closing(track_id, int(self._last.time_ns[slot]))
        notices = self._closed(closing)
        freed = np.array(self._last.forget(track_ids), np.int64)
        self._stays.forget(freed)
        return self._filters.notices(sorted(notices, key=_in_order_key), self._registries)

    def finish(self) -> list[Notice]:
        """Close the events still open at the end of the recording (exit face ``end``)."""
        notices = self.end_tracks(list(self._open))
        self._reset()
        return notices

    def open_events(self) -> pd.DataFrame:
        """The events open now, as an events table (exit at the last fix so far)."""
        requests = []
        for track_id, events in self._open.items():
            slot = self._last.slots([track_id])[0]
            requests += [(event, None, int(self._last.time_ns[slot]), None) for event in events.values()]
        notices = self._filters.notices([Notice("exit", event) for event in self._completed(requests)],
                                        self._registries)
        return events_from_records([notice.event for notice in notices], self._event_dtypes["track_id"],
                                   ordered=False)

    def _take(self, event, carried_ns, gap_s, closing) -> list[Notice]:
        """The entry notice of a batch's event; one that ends in the batch goes to `closing`.

        `carried_ns` holds the time of each track's fix carried from the batch before.
        """
        track_id, key = event["track_id"], _volume_key(event)
        continues = (
            key in self._open.get(track_id, {}) and event["entry_face"] == "start"
            and carried_ns.get(track_id) == event["entry_time"].value
        )
        if continues:
            if event["exit_face"] != "end":
                closing.append((self._pop_open(track_id, key), event, None, None))
            return []
        if event["entry_face"] == "start" and track_id in gap_s:
            event["entry_face"], event["entry_uncertainty_s"] = "gap", gap_s[track_id]
        notices = [] if self._entries_wait else [Notice("entry", event)]
        if event["exit_face"] == "end":
            self._add_open(event)
        elif np.isnan(event["max_depth_m" if event["event"] == "violation" else "closest_m"]):
            # begun at the window's first fix: completed over its stay
            closing.append((event, event, None, None))
        elif self._kept(event):  # begun and ended within the window: complete, depth and all
            notices += self._closing_notices(event)
        return notices

    def _closing(self, track_id, last_ns: int, gap_s: float | None = None) -> list:
        """Close a track's open events at its last fix (before an uninterpolated gap of `gap_s`, if given)."""
        return [(self._pop_open(track_id, key), None, last_ns, gap_s) for key in list(self._open.get(track_id, {}))]

    def _closed(self, closing: list) -> list[Notice]:
        """Exit notices of the events in `closing` that pass the filters."""
        return [notice for event in self._completed(closing) if self._kept(event)
                for notice in self._closing_notices(event)]

    def _closing_notices(self, event: dict) -> list[Notice]:
        """The exit notice of a kept event; its entry notice before it where entries wait for the filters."""
        if self._entries_wait:
            return [Notice("entry", event), Notice("exit", event)]
        return [Notice("exit", event)]

    def _completed(self, requests: list) -> list[dict]:
        """Events open across batches, completed over all their fixes.

        Each request is (the event as known at its entry, the batch's event
        that ends it or None, else the time of the track's last fix, and the
        gap after it or None). Depth, altitudes, fix count and suspect flag
        are those of the stay detected whole in its volume; the entry is the
        event's, the exit the ending event's, or the last fix's.
        """
        if not requests:
            return []
        entered = [request[0] for request in requests]
        ending = [request[1] for request in requests]
        fixes, altitudes_m = self._stays.fixes_of(
            self._last.slots([event["track_id"] for event in entered]),
            [event["entry_time"].value for event in entered],
            [end["exit_time"].value if end is not None else request[2] for end, request in zip(ending, requests)],
            [event["entry_face"] not in ("start", "gap") for event in entered],
            [end is not None and end["exit_face"] not in ("end", "gap") for end in ending])
        # Each stretch is detected in the parts of its event's volume only.
        n_parts = len(self.airspace.parts)
        pairs = [k * n_parts + np.flatnonzero(self._volumes.volume_of_part == self._volume_number[
            _volume_key(entered[i])]) for k, i in enumerate(fixes.track_names)]
        only = (np.zeros(len(fixes.track_names), bool), np.concatenate(pairs) if pairs else np.empty(0, np.int64))
        whole = events_of_fixes(fixes, altitudes_m, self.airspace, self.max_gap_s, only=only)
        completed, rows_of_stretch = [], _rows_by_stretch(whole, len(requests))
        for i, (event, end, _, gap) in enumerate(requests):
            completed_event = dict(_stay_of(whole, rows_of_stretch[i], event) or event)
            completed_event["track_id"] = event["track_id"]
            for name in ENTRY_FIELDS:
                completed_event[name] = event[name]
            if end is not None:
                for name in EXIT_FIELDS:
                    completed_event[name] = end[name]
            if gap is not None:
                completed_event["exit_face"], completed_event["exit_uncertainty_s"] = "gap", gap
            completed_event["duration_s"] = (completed_event["exit_time"] - completed_event["entry_time"]).value / 1e9
            completed.append(completed_event)
        return completed

    def _add_open(self, event: dict) -> None:
        track_id = event["track_id"]
        slot = int(self._last.slots([track_id])[0])
        self._open.setdefault(track_id, {})[_volume_key(event)] = event
        self._open_count[slot] += 1  # grown to hold every slot of the batch (_to_detect)
        self._open_codes.add(self._code(slot, _volume_key(event)))
        self._stays.keep_from([slot], [min(e["entry_time"].value for e in self._open[track_id].values())])

    def _pop_open(self, track_id, key) -> dict:
        slot = int(self._last.slots([track_id])[0])
        events = self._open[track_id]
        event = events.pop(key)
        if not events:
            del self._open[track_id]
        else:
            self._stays.keep_from([slot], [min(e["entry_time"].value for e in events.values())])
        self._open_count[slot] -= 1
        self._open_codes.discard(self._code(slot, key))
        return event

    def _code(self, slot: int, key) -> int:
        return slot * len(self._volumes.lateral_only) + self._volume_number[key]

    def _open_count_of(self, slot: np.ndarray) -> np.ndarray:
        """The number of open events of each track in `slot` (the counts grown to hold every slot)."""
        if len(slot) and slot.max() >= len(self._open_count):
            grown = np.zeros(2 * int(slot.max()) + 2, np.int64)
            grown[:len(self._open_count)] = self._open_count
            self._open_count = grown
        return self._open_count[slot]

    def _kept(self, event) -> bool:
        """Whether a closed event passes the duration and depth filters."""
        return (self.min_duration_s is None or event["duration_s"] >= self.min_duration_s) and (
            self.min_depth_m is None or event["max_depth_m"] >= self.min_depth_m or event["event"] == "approach"
        )


#: The fields of an event that its entry, and its exit, set.
ENTRY_FIELDS = ("entry_time", "entry_face", "entry_uncertainty_s", "entry_lon", "entry_lat")
EXIT_FIELDS = ("exit_time", "exit_face", "exit_uncertainty_s", "exit_lon", "exit_lat")


def _id_kind(dtype) -> str:
    """Integer, text, or the dtype's own name: ids of one kind name the same tracks."""
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    return "text" if dtype == "string" or isinstance(dtype, pd.StringDtype) else str(dtype)


def _rows_by_stretch(columns, n: int) -> list[np.ndarray]:
    """The rows of event columns of each of `n` stretches (numbered by ``track_id``)."""
    if columns is None:
        return [np.empty(0, np.int64)] * n
    stretch = columns["track_id"].astype(np.int64)
    order = np.argsort(stretch, kind="stable")
    bounds = np.searchsorted(stretch[order], np.arange(n + 1))
    return [order[lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:])]


def _stay_of(columns, rows: np.ndarray, entered: dict) -> dict | None:
    """Of the events at `rows` of event columns, the one whose entry is nearest `entered`'s; None if none."""
    if len(rows):
        same = (columns["airspace_id"][rows] == entered["airspace_id"]) & (columns["event"][rows] == entered["event"])
        rows = rows[same]
    if not len(rows):
        return None
    row = rows[np.argmin(np.abs(columns["entry_time"][rows] - entered["entry_time"].value))]
    return record_of(columns, row)


def _volume_key(event: dict) -> tuple:
    """What an open event is kept by, with its track: its volume and whether it is a violation or an approach."""
    return event["airspace_id"], event["event"]


def notice_time(notice):
    """When a notice happens: the entry time of an entry, the exit time of an exit.

    Examples
    --------
    >>> notice_time(Notice("exit", {"entry_time": pd.Timestamp("2025-09-19 09:00Z"),
    ...                             "exit_time": pd.Timestamp("2025-09-19 09:12Z")}))
    Timestamp('2025-09-19 09:12:00+0000', tz='UTC')
    """
    return notice.event["entry_time" if notice.kind == "entry" else "exit_time"]


def in_time_order(notices):
    """Notices sorted by when they happen, entries before exits at the same moment (stable otherwise).

    A batch's notices come from several calls (the batch, then the tracks
    that ended in it); an exit at the end of a recording must not be
    printed after later entries.

    Examples
    --------
    >>> at = lambda minute: pd.Timestamp(f"2025-09-19 09:{minute:02d}Z")
    >>> lost = Notice("exit", {"entry_time": at(0), "exit_time": at(5), "exit_face": "end"})
    >>> later = Notice("entry", {"entry_time": at(7), "exit_time": at(9)})
    >>> [notice.kind for notice in in_time_order([later, lost])]
    ['exit', 'entry']
    """
    return sorted(notices, key=_in_order_key)


def _in_order_key(notice):
    return notice_time(notice), notice.kind != "entry"


def notices_of(events: pd.DataFrame) -> list[Notice]:
    """The entry and exit notices of a whole events table, in the order of their times.

    What a streaming replay announces, for events detected at once
    (:func:`detect.find_violations`): a replay that need not keep pace with
    the recording gets its notices so, at the batch's speed.

    Examples
    --------
    >>> import shapely
    >>> from airspace import make_airspace
    >>> from detect import find_violations
    >>> from tracks import make_tracks
    >>> zone = make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), airspace_id="R1")
    >>> fixes = make_tracks(["A", "A", "B", "B"], pd.to_datetime(["2025-09-19 09:00:00", "2025-09-19 09:02:00",
    ...                     "2025-09-19 09:00:30", "2025-09-19 09:01:30"], utc=True),
    ...                     lon=[23.9, 24.3, 23.9, 24.3], lat=[59.05] * 4)
    >>> [(notice.kind, notice.event["track_id"]) for notice in notices_of(find_violations(fixes, zone))]
    [('entry', 'A'), ('entry', 'B'), ('exit', 'B'), ('exit', 'A')]
    """
    records = events.to_dict("records")
    return in_time_order([Notice(kind, event) for event in records for kind in ("entry", "exit")])


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

    Examples
    --------
    >>> from detect.example_data import example_tables
    >>> events, fixes, zones = example_tables()
    >>> replayed = replay_events(fixes, zones, batch_s=30)
    >>> replayed[["track_id", "entry_face", "exit_face", "n_fixes"]].equals(events[["track_id", "entry_face",
    ...                                                                            "exit_face", "n_fixes"]])
    True
    >>> float((replayed["max_depth_m"] - events["max_depth_m"]).abs().max())
    0.0
    """
    tracks = validate_tracks(tracks)
    detector = StreamingDetector(airspace, registries=track_registries(tracks), **options)
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

    Examples
    --------
    >>> from tracks import make_tracks
    >>> fixes = make_tracks(["A", "A", "B"], pd.to_datetime(["2025-09-19 09:00:00", "2025-09-19 09:01:30",
    ...                     "2025-09-19 09:00:10"], utc=True), lon=[1.0, 2.0, 3.0], lat=[0.0] * 3)
    >>> [(batch["track_id"].tolist(), ended) for batch, ended in time_batches(fixes, batch_s=60)]
    [(['A', 'B'], ['B']), (['A'], ['A'])]
    """
    track_id = tracks["track_id"]
    for rows, ended_rows in _batch_rows(tracks, batch_s, batch_fixes):
        yield tracks.iloc[rows], track_id.iloc[ended_rows].tolist()


def batches_of_rows(tracks: pd.DataFrame, batch_s: float | None = None, batch_fixes: int | None = None):
    """:func:`time_batches`, each batch as a :class:`detect.window.Batch` of arrays (no table per batch).

    Examples
    --------
    >>> from tracks import make_tracks
    >>> fixes = make_tracks(["A", "A", "B"], pd.to_datetime(["2025-09-19 09:00:00", "2025-09-19 09:01:30",
    ...                     "2025-09-19 09:00:10"], utc=True), lon=[1.0, 2.0, 3.0], lat=[0.0] * 3)
    >>> [(batch.track_names.tolist(), batch.count.tolist()) for batch, _ in batches_of_rows(fixes, batch_fixes=2)]
    [(['A', 'B'], [1, 1]), (['A'], [1])]
    """
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
