"""All files together: the compact fixes read become one tracks table.

The steps (rules in :mod:`tracks.clean` and :mod:`tracks.quality`): order
the usable fixes by aircraft and time, reject duplicates, count reordered
fixes, split aircraft into flights, build track ids, flag suspect fixes,
and count what became of each file's rows in its report.

Speed and memory: each chunk's fixes are stored grouped by aircraft
(:mod:`tracks.compact`), so the order is made by sorting the runs of one
aircraft's fixes, not the fixes, and time is sorted only for the aircraft
out of time order. Each column is then moved into order once (runs of
fixes, not scattered ones), in two threads, its input freed as soon as its
ordered copy is made. Beyond the returned table, memory holds the order (8
bytes a fix), the aircraft codes and keys (6 or 8 bytes a fix) and the
columns being moved, all freed before the text columns are made; the file of
a fix is found from its position, and its line only for the first few
rejected duplicates of each file. A text column that repeats the aircraft key
(OpenSky's ``icao24``, not stored by :mod:`tracks.compact`) is made from the
ordered keys, and shares the text of the track ids where each aircraft is
one flight named by its key. Columns are put in the table as they are, not
copied.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from tracks import clean, quality
from tracks.report import FIRST_LINES_KEPT, SUSPECT_NOTE
from tracks.table import OPTIONAL_TRACK_COLUMNS, STRING_DTYPE, TIME_DTYPE, TRACK_COLUMNS

_WORKERS = 2  # threads that order columns and decode text at once (numpy and pyarrow free the GIL)


def tracks_table(fixes, reports, accepted, keep_whole, split_gap_s, strict, legs_marked=None):
    """The tracks table of the usable fixes of all files.

    Parameters
    ----------
    fixes : tracks.compact.CompactFixes
        The fixes of all files, with an int32 ``aircraft`` column (-1 for
        fixes already rejected) and int64 ``time``, float64 ``lon``, ``lat``.
    reports : list of tracks.report.TrackReadReport
        One per file: told the duplicates rejected, the fixes reordered,
        accepted and flagged suspect.
    accepted : numpy.ndarray of int64
        Usable fixes of each file (before duplicates).
    keep_whole : numpy.ndarray of bool
        Files whose aircraft keys are already flights (never split).
    split_gap_s : float
        A gap longer than this starts a new flight.
    strict : bool
        Raise for the first rejected duplicate.
    legs_marked : numpy.ndarray of bool, optional
        Files whose fixes mark where each flight starts (a ``flight_start``
        column): split there, not at gaps.

    Returns
    -------
    table : pandas.DataFrame
        The tracks table, sorted by ``track_id``, then ``time``.
    counts : dict
        ``tracks``, ``suspect``, ``suspect_jump``, ``suspect_frozen``.

    Examples
    --------
    One file, one aircraft, a fix out of time order and a duplicate:

    >>> from pathlib import Path
    >>> from tracks.compact import CompactFixes
    >>> from tracks.report import TrackReadReport
    >>> fixes = CompactFixes()
    >>> times = pd.to_datetime("2025-09-19 06:00") + pd.to_timedelta([0, 60, 60, 30], unit="s")
    >>> fixes.append({"aircraft": pd.Categorical(["mig1"] * 4), "time": times.as_unit("ns").asi8,
    ...               "lon": np.array([26.0, 26.2, 26.2, 26.1]), "lat": np.full(4, 59.8)},
    ...              lines=np.array([2, 3, 4, 5]), file_index=0)
    >>> reports = [TrackReadReport(Path("mig.csv"), rows_read=4)]
    >>> table, counts = tracks_table(fixes, reports, np.array([4]), np.array([False]), 600.0, False)
    >>> table[["track_id", "time", "lon"]]
      track_id                      time   lon
    0     mig1 2025-09-19 06:00:00+00:00  26.0
    1     mig1 2025-09-19 06:00:30+00:00  26.1
    2     mig1 2025-09-19 06:01:00+00:00  26.2
    >>> counts["tracks"], reports[0].rows_accepted, reports[0].reordered, reports[0].rejected
    (1, 3, 1, {'duplicate (aircraft, time)': 1})
    """
    if fixes.n_rows == 0 or accepted.sum() == 0:
        return _empty_table(), dict.fromkeys(("tracks", "suspect", "suspect_jump", "suspect_frozen"), 0)
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        rows, rejected = _unique_rows(fixes, reports, strict, pool)
        rows.data.update(_ordered(pool, fixes, fixes.names(), rows.order))
        names, dictionaries, copies = _flights(rows, fixes, keep_whole, split_gap_s, legs_marked)
        counts = {"tracks": len(names), **_flag_suspect(rows, fixes, reports)}
        for report, count in zip(reports, accepted - rejected):
            report.rows_accepted = int(count)
        data = rows.release()
        return _table(data, {**dictionaries, "track_id": names}, copies, pool), counts


@dataclass
class _Rows:
    """The usable fixes in table order, while the table is being made.

    Attributes
    ----------
    order : numpy.ndarray of int64
        Each row's position among the fixes read (its file and line).
    keys : numpy.ndarray of int16 or int32
        Each row's aircraft: the rank of its key among all keys.
    data : dict of str to numpy.ndarray
        The columns ordered so far, in row order.
    flight : numpy.ndarray of int32 or None
        Each row's flight, numbered in the order of the track ids, once known.
    starts : numpy.ndarray of bool or None
        Whether each row begins a flight, once known.
    """

    order: np.ndarray
    keys: np.ndarray
    data: dict
    flight: np.ndarray = None
    starts: np.ndarray = None

    def keep(self, mask):
        """Keep only the rows where `mask` is True."""
        self.order, self.keys = self.order[mask], self.keys[mask]
        self.data = {name: values[mask] for name, values in self.data.items()}

    def reorder(self, permutation):
        """Put the rows in the order `permutation` gives (its flights and their starts too)."""
        self.order = self.order[permutation]
        self.data = {name: values[permutation] for name, values in self.data.items()}
        self.flight = self.flight[permutation]
        self.starts = np.diff(self.flight, prepend=-1) != 0

    def release(self):
        """The columns with ``track_id`` (the flight of each row, a code into the track ids), all else let go."""
        data, self.data = self.data, None
        data["track_id"] = self.flight
        self.order = self.keys = self.flight = self.starts = None
        return data


def _unique_rows(fixes, reports, strict, pool):
    """The rows in aircraft and time order without duplicates, and the duplicates rejected in each file.

    Each file's report is told its duplicates (by reason) and its reordered
    fixes; with `strict`, the first duplicate raises. The rows hold
    ``time``, ``lon`` and ``lat``; `fixes` keeps its other columns.
    """
    rows, duplicate, rejected = _rows_and_duplicates(fixes, reports, strict, pool)
    if duplicate.any():
        rows.keep(~duplicate)
    return rows, rejected


def _rows_and_duplicates(fixes, reports, strict, pool):
    """The rows in order, which of them are duplicates, and how many each file has (reports told)."""
    rows, resorted = _sorted_rows(fixes)
    rows.data.update(_ordered(pool, fixes, ["lon", "lat"], rows.order))
    duplicate, rejected = _reject_duplicates(rows, fixes, reports)
    if strict:
        for report in reports:
            report.refuse_rejected()
    fixes.pop("aircraft")  # the lines of rejected fixes are all found
    moved = clean.reordered(rows.keys[resorted], rows.order[resorted]) & ~duplicate[resorted]
    for report, count in zip(reports, _per_file(fixes, rows.order[resorted[moved]], len(reports))):
        report.reordered += int(count)
    return rows, duplicate, rejected


def _sorted_rows(fixes):
    """The rows in aircraft and time order, with their times; and the rows of the aircraft sorted in time."""
    codes, starts, sizes = fixes.aircraft_runs()
    order, keys, time, resorted = clean.sort_order(
        _aircraft_keys(codes, fixes.dictionaries["aircraft"]), starts, sizes, fixes.pop("time"))
    return _Rows(order, keys, {"time": time}), resorted


def _reject_duplicates(rows, fixes, reports):
    """Which rows repeat a fix, and how many each file has; each file's report told them by reason."""
    same, conflicting = clean.duplicates(rows.keys, rows.data["time"], rows.data["lon"], rows.data["lat"])
    rejected = 0
    for reason, found in zip(clean.REJECT_REASONS[4:], (same, conflicting)):
        _count_by_file(reports, fixes, rows.order[found], reason=reason)
        rejected = rejected + _per_file(fixes, rows.order[found], len(reports))
    return same | conflicting, rejected


def _flights(rows, fixes, keep_whole, split_gap_s, legs_marked=None):
    """Split the rows into flights and name them; rows regrouped where names sort otherwise than aircraft.

    Sets the rows' ``flight`` and ``starts``, and adds the text columns that
    repeat the aircraft key.

    Returns
    -------
    names : numpy.ndarray of str
        The track id of each flight, sorted.
    dictionaries : dict
        The text of each text column's codes.
    copies : dict
        The columns that repeat ``track_id`` (see :func:`_table`).
    """
    whole = keep_whole[fixes.files(rows.order)] if keep_whole.any() else None
    marked = rows.data.pop("flight_start", None)
    no_gap_split = whole
    if legs_marked is not None and legs_marked.any():
        no_gap_split = legs_marked[fixes.files(rows.order)] | (False if whole is None else whole)
    rows.starts = clean.flight_starts(rows.keys, rows.data["time"], split_gap_s, no_gap_split, marked)
    first = np.flatnonzero(rows.starts)
    rows.flight = np.cumsum(rows.starts, dtype=np.int32) - 1
    aircraft_sorted = np.sort(np.asarray(fixes.dictionaries["aircraft"], dtype=object))
    names = clean.flight_track_ids(aircraft_sorted[rows.keys[first]], rows.data["time"][first],
                                   np.zeros(len(first), bool) if whole is None else whole[first])
    dictionaries = dict(fixes.dictionaries)
    # a column the fixes did not store as it repeats the aircraft key: the
    # key itself, or the track id where each aircraft is one flight named so
    repeats_track_id = len(names) == len(aircraft_sorted) and np.array_equal(names, aircraft_sorted)
    copies = dict.fromkeys(fixes.same_as_aircraft, "track_id") if repeats_track_id else {}
    for name in fixes.same_as_aircraft - copies.keys():
        rows.data[name], dictionaries[name] = rows.keys, aircraft_sorted
    rows.keys = None
    if np.any(names[1:] < names[:-1]):  # a suffix sorts flights otherwise than their keys
        by_name = np.argsort(names, kind="stable")
        rank = np.empty_like(by_name)
        rank[by_name] = np.arange(len(by_name))
        rows.flight = rank[rows.flight]
        rows.reorder(np.argsort(rows.flight, kind="stable"))
        names = names[by_name]
    return names, dictionaries, copies


def _flag_suspect(rows, fixes, reports):
    """Flag the suspect rows (the ``suspect`` column), note them in the reports; count them by reason."""
    data = rows.data
    jump = quality.impossible_jumps(data["lon"], data["lat"], data["time"], rows.starts)
    frozen = quality.frozen_positions(
        data["lon"], data["lat"], data["time"], rows.starts,
        data.get("ground_speed_mps"), data.get("on_ground"),
    )
    suspect = jump | frozen
    if "suspect" in data:
        suspect |= data["suspect"]
    data["suspect"] = suspect
    _note_suspect(reports, fixes, rows.order, jump, frozen)
    return {"suspect": int(suspect.sum()), "suspect_jump": int(jump.sum()), "suspect_frozen": int(frozen.sum())}


def _ordered(pool, fixes, names, order):
    """The columns `names` of `fixes`, put in `order` in the threads of `pool`.

    Each column is taken from `fixes` by the thread that orders it, so that
    only as many unordered columns are alive at once as there are threads.
    """
    def ordered(name):
        return np.take(fixes.pop(name), order)

    return dict(zip(names, pool.map(ordered, names)))


def _aircraft_keys(codes, aircraft):
    """The rank of each aircraft code's key among all keys (-1 stays -1), int16 where it fits."""
    dtype = np.int16 if len(aircraft) < np.iinfo(np.int16).max else np.int32
    rank = np.empty(len(aircraft) + 1, dtype=dtype)
    rank[np.argsort(np.asarray(aircraft, dtype=object), kind="stable")] = np.arange(len(aircraft))
    rank[-1] = -1  # code -1 picks the last entry
    return rank[codes]


def _per_file(fixes, positions, n_files):
    """How many of the fixes at `positions` each file has."""
    return np.bincount(fixes.files(positions), minlength=n_files)


def _count_by_file(reports, fixes, positions, reason):
    """Count rejected fixes (by position) in their files' reports, with their first lines."""
    files = fixes.files(positions)
    for index in np.unique(files):
        mine = positions[files == index]
        lines = fixes.first_lines(mine, FIRST_LINES_KEPT)
        reports[index].reject(reason, lines, count=len(mine))


def _note_suspect(reports, fixes, order, jump, frozen):
    jumps = _per_file(fixes, order[jump], len(reports))
    frozens = _per_file(fixes, order[frozen], len(reports))
    for report, n_jump, n_frozen in zip(reports, jumps, frozens):
        if n_jump or n_frozen:
            report.note(SUSPECT_NOTE.format(jump=n_jump, frozen=n_frozen))


def _table(data, dictionaries, copies, pool):
    """The tracks table from sorted compact columns (each freed as it is used), in column order.

    Text columns are codes into `dictionaries` (``track_id`` is one of
    them), decoded in the threads of `pool`; a column of `copies` (name to
    the name of the text column it repeats) shares that column's decoded
    text.
    """
    time = pd.Series(data.pop("time"), copy=False).astype(TIME_DTYPE)  # a view, no copy
    n_rows = len(time)
    text = [name for name in data if name in dictionaries]
    codes = {name: data.pop(name) for name in text}  # each freed by the thread that decodes it
    decoded = pool.map(lambda name: decoded_text(codes.pop(name), dictionaries[name]), text)
    table = {"track_id": None, "time": time}
    for name in ("lon", "lat", "alt_baro_m", "alt_geo_m"):
        table[name] = pd.Series(data.pop(name) if name in data else np.full(n_rows, np.nan),
                                copy=False)
    for name in OPTIONAL_TRACK_COLUMNS:
        table[name] = None
    table.update((name, _text_series(values)) for name, values in zip(text, decoded))
    table.update((name, _text_series(table[of].array)) for name, of in copies.items())
    for name in sorted(data):
        values = data.pop(name)
        if name == "on_ground":
            table[name] = pd.Series(pd.arrays.BooleanArray(values == 1, values < 0), copy=False)
        else:
            table[name] = pd.Series(values, copy=False)
    return pd.DataFrame({name: column for name, column in table.items() if column is not None},
                        copy=False)  # no copy into one block of floats


def decoded_text(codes, categories):
    """Text of codes into categories, decoded by pyarrow (a large string array); a code of -1 is missing.

    Examples
    --------
    >>> decoded_text(np.array([1, -1, 0]), ["a", "b"]).to_pylist()
    ['b', None, 'a']
    """
    categories = pa.array(np.asarray(categories, dtype=object), type=pa.large_string())
    coded = pa.array(codes, mask=codes < 0 if codes.min(initial=0) < 0 else None)
    return pa.DictionaryArray.from_arrays(coded, categories).dictionary_decode()


def _text_series(text):
    """A Series of the table's string dtype over `text` (pyarrow's buffers shared, never written)."""
    return pd.Series(pd.array(text, dtype=STRING_DTYPE), copy=False)


def _empty_table():
    columns = {name: pd.Series(dtype=dtype) for name, dtype in TRACK_COLUMNS.items()}
    columns["suspect"] = pd.Series(dtype=bool)
    columns["time"] = pd.Series(dtype=TIME_DTYPE)
    return pd.DataFrame(columns)
