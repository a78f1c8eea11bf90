"""Raw fixes of many chunks and files, kept compact until they become one tracks table.

Raw chunks (the format-reader contract) arrive one after another; what stays
of each is compact: numbers as float64, times as int64 nanoseconds, text as
int32 codes into one dictionary per column (the same text has the same code
in every chunk and file, -1 where missing), ``on_ground`` as int8 (1, 0, -1
unknown), ``suspect`` as bool.

Rows are stored grouped by aircraft within each chunk (a stable sort of the
chunk by its aircraft codes, cheap while the chunk is small), so that the
fixes of one aircraft lie in one run per chunk: putting all fixes in order
later moves runs, not scattered rows, which is cheaper for big inputs. A
row's *position* is its index in this stored order. Between the fixes of
one aircraft, stored order is input order (files in the order read,
rows in file order).

Where a row came from is not kept as a number per row, so that memory
beyond the columns does not grow with the rows: the file of each chunk is
kept, the lines as runs of consecutive lines (a run starts with each chunk
and at each gap in the line numbers, rows a reader dropped), and the
aircraft codes in input order, from which the grouping of a chunk is found
again when the line of some of its rows is asked for.

Memory: each column is one array, written chunk by chunk and grown fourfold
when full (the room not yet written costs address space, not memory), so
that no column is ever a list of pieces to be joined, and an array freed
goes back to the system at once. A text column that repeats the aircraft
key (OpenSky's ``icao24``) is not stored at all while it does so in every
chunk (:attr:`CompactFixes.same_as_aircraft`).
"""

import numpy as np
import pandas as pd

from tracks.runs import small_codes

_FIRST_ROOM = 1 << 22  # rows a column has room for at first (address space only, until written)


class CompactFixes:
    """The compact columns of the fixes read so far, and where each row came from.

    Attributes
    ----------
    n_rows : int
        Rows appended so far, all files.
    dictionaries : dict of str to pandas.Index
        For each text column, its distinct values (object dtype): code ``k``
        stands for ``dictionaries[name][k]``.
    same_as_aircraft : set of str
        Text columns that held the aircraft key on every row of every chunk
        so far: not stored (the aircraft column stands for them), and not in
        :meth:`names`. Such a column is stored from the first chunk where it
        differs or is absent.

    Examples
    --------
    Rows are stored grouped by aircraft in each chunk (``a`` has code 0, ``b`` code 1):

    >>> fixes = CompactFixes()
    >>> fixes.append({"aircraft": pd.Categorical(["b", "a", "b"]),
    ...               "lon": np.array([1.0, 2.0, 3.0])}, lines=np.array([2, 3, 4]), file_index=0)
    >>> fixes.append({"aircraft": pd.Categorical(["a", None])}, lines=np.array([7, 8]),
    ...              file_index=1)
    >>> fixes.dictionaries["aircraft"].tolist()
    ['a', 'b']
    >>> [values.tolist() for values in fixes.aircraft_runs()]
    [[0, 1, -1, 0], [0, 1, 3, 4], [1, 2, 1, 1]]
    >>> fixes.pop("lon").tolist()
    [2.0, 1.0, 3.0, nan, nan]
    >>> fixes.files(np.array([2, 3])).tolist()
    [0, 1]
    >>> fixes.lines(np.array([4, 2, 1, 0])).tolist()
    [7, 4, 2, 3]
    >>> fixes.first_lines(np.array([2, 1, 0]), 2).tolist()
    [2, 3]

    A column that repeats the aircraft key is stored only once it differs:

    >>> fixes = CompactFixes()
    >>> key = pd.Categorical(["b", "a", "b"])
    >>> fixes.append({"aircraft": key, "icao24": key}, lines=np.array([2, 3, 4]), file_index=0)
    >>> fixes.same_as_aircraft, fixes.names()
    ({'icao24'}, [])
    >>> fixes.append({"aircraft": pd.Categorical(["a"]), "icao24": pd.Categorical(["c"])},
    ...              lines=np.array([5]), file_index=0)
    >>> fixes.same_as_aircraft, fixes.pop("icao24").tolist()
    (set(), [0, 1, 1, 2])
    """

    def __init__(self):
        self.n_rows = 0
        self.dictionaries = {}
        self.same_as_aircraft = set()
        self._columns = {}
        self._chunk_starts = []
        self._chunk_files = []
        self._run_codes = []  # runs of rows of one aircraft, in stored order
        self._run_starts = []
        self._line_positions = []  # runs of rows on consecutive lines, in input order
        self._line_starts = []

    def append(self, columns, lines, file_index, unusable=None):
        """Add the rows of one chunk.

        Parameters
        ----------
        columns : dict of str to array_like
            Compact columns (numpy arrays) or text (:class:`pandas.Categorical`,
            coded here against the column's dictionary); ``aircraft`` (text)
            is required. A column the chunk lacks gets missing values (float
            NaN, int -1, bool False).
        lines : numpy.ndarray of int
            The line (or record number) of each row.
        file_index : int
            The file the rows came from.
        unusable : numpy.ndarray of bool, optional
            Rows rejected already: they get no aircraft (code -1), and are
            stored all the same (so that no column is filtered).

        Examples
        --------
        >>> fixes = CompactFixes()
        >>> fixes.append({"aircraft": pd.Categorical(["b", "a", "b"]), "lon": np.array([1.0, 2.0, 3.0])},
        ...              lines=np.array([2, 3, 4]), file_index=0)
        >>> fixes.append({"aircraft": pd.Categorical(["a"])}, lines=np.array([9]), file_index=1)
        >>> fixes.n_rows, fixes.pop("lon").tolist()  # grouped by aircraft; NaN where a chunk had no lon
        (4, [2.0, 1.0, 3.0, nan])
        """
        lines = np.asarray(lines, dtype=np.int64)
        if len(lines) == 0:
            return
        end = self.n_rows + len(lines)
        columns = self._without_aircraft_copies(columns)
        aircraft = self._codes("aircraft", columns["aircraft"])
        if unusable is not None and unusable.any():
            aircraft[unusable] = -1
        self._room("aircraft", aircraft.dtype, end)[self.n_rows : end] = aircraft
        grouped = _grouping(aircraft)
        stored = aircraft[grouped]
        firsts = np.flatnonzero(np.diff(stored, prepend=stored[0] - 1))
        self._run_codes.append(stored[firsts])
        self._run_starts.append(self.n_rows + firsts)
        for name, values in columns.items():
            if name == "aircraft":
                continue
            if isinstance(values, pd.Categorical):
                values = self._codes(name, values)
            column = self._room(name, values.dtype, end)
            np.take(np.asarray(values, dtype=column.dtype), grouped,
                    out=column[self.n_rows : end], mode="clip")  # "raise" would buffer `out`
        for name in self._columns.keys() - columns.keys():
            column = self._room(name, None, end)
            column[self.n_rows : end] = _missing(column.dtype)
        self._chunk_starts.append(self.n_rows)
        self._chunk_files.append(file_index)
        starts = np.flatnonzero(np.diff(lines, prepend=lines[:1] - 2) != 1)
        self._line_positions.append(self.n_rows + starts)
        self._line_starts.append(lines[starts])
        self.n_rows = end

    def _without_aircraft_copies(self, columns):
        """`columns` without the text columns not stored, as they repeat the aircraft key.

        A column repeats it if it did so in every chunk before (or this is
        the first chunk). One that stops doing so is stored from here on,
        its rows so far made from the aircraft column (rows already rejected
        get no value: they never reach the table).
        """
        key = columns["aircraft"]
        same = {name for name, values in columns.items()
                if name != "aircraft" and (self.n_rows == 0 or name in self.same_as_aircraft)
                and _same_text(values, key)}
        for name in self.same_as_aircraft - same:
            self._store_aircraft_copy(name)
        self.same_as_aircraft = same
        return {name: values for name, values in columns.items() if name not in same}

    def _store_aircraft_copy(self, name):
        """Store the column `name` for the rows so far: a copy of the aircraft column, as stored."""
        codes = self._columns["aircraft"]
        column = self._room(name, codes.dtype, self.n_rows)
        for start, end in self._chunks():
            column[start:end] = codes[start:end][_grouping(codes[start:end])]
        self.dictionaries[name] = self.dictionaries["aircraft"]

    def names(self):
        """The names of the columns not popped yet (``aircraft`` aside), in the order first seen.

        Examples
        --------
        >>> fixes = CompactFixes()
        >>> fixes.append({"aircraft": pd.Categorical(["b", "a", "b"]), "lon": np.array([1.0, 2.0, 3.0])},
        ...              lines=np.array([2, 3, 4]), file_index=0)
        >>> fixes.append({"aircraft": pd.Categorical(["a"]), "alt": np.array([5.0])}, lines=np.array([9]),
        ...              file_index=1)
        >>> fixes.names()
        ['lon', 'alt']
        """
        return [name for name in self._columns if name != "aircraft"]

    def pop(self, name):
        """One column over all rows, in stored order (no longer held here).

        Returns
        -------
        numpy.ndarray
            float64 (NaN where missing), int64 times, int32 codes (-1 where
            missing), int8 (-1 where missing) or bool (False where missing).

        Examples
        --------
        >>> fixes = CompactFixes()
        >>> fixes.append({"aircraft": pd.Categorical(["b", "a", "b"]), "lon": np.array([1.0, 2.0, 3.0])},
        ...              lines=np.array([2, 3, 4]), file_index=0)
        >>> fixes.pop("lon").tolist(), fixes.names()
        ([2.0, 1.0, 3.0], [])
        """
        return self._columns.pop(name)[: self.n_rows]

    def aircraft_runs(self):
        """The runs of rows of one aircraft, chunk after chunk, as stored.

        Returns
        -------
        codes : numpy.ndarray of int32
            The aircraft code of each run (-1: no aircraft, or unusable).
        starts, sizes : numpy.ndarray of int64
            Where each run starts (its position) and how many rows it has.

        Examples
        --------
        >>> fixes = CompactFixes()
        >>> fixes.append({"aircraft": pd.Categorical(["b", "a", "b"]), "lon": np.array([1.0, 2.0, 3.0])},
        ...              lines=np.array([2, 3, 4]), file_index=0)
        >>> [values.tolist() for values in fixes.aircraft_runs()]  # one "a" (code 0), then two "b"
        [[0, 1], [0, 1], [1, 2]]
        """
        codes = np.concatenate(self._run_codes)
        starts = np.concatenate(self._run_starts)
        return codes, starts, np.diff(starts, append=self.n_rows)

    def files(self, positions):
        """The file of the rows at `positions` (stored order).

        Returns
        -------
        numpy.ndarray of int

        Examples
        --------
        >>> fixes = CompactFixes()
        >>> fixes.append({"aircraft": pd.Categorical(["b", "a", "b"]), "lon": np.array([1.0, 2.0, 3.0])},
        ...              lines=np.array([2, 3, 4]), file_index=0)
        >>> fixes.append({"aircraft": pd.Categorical(["a"])}, lines=np.array([9]), file_index=1)
        >>> fixes.files(np.array([0, 3])).tolist()
        [0, 1]
        """
        chunk = np.searchsorted(self._chunk_starts, positions, side="right") - 1
        return np.asarray(self._chunk_files)[chunk]

    def lines(self, positions):
        """The line (or record number) of the rows at `positions` (stored order).

        Returns
        -------
        numpy.ndarray of int64

        Examples
        --------
        >>> fixes = CompactFixes()
        >>> fixes.append({"aircraft": pd.Categorical(["b", "a", "b"]), "lon": np.array([1.0, 2.0, 3.0])},
        ...              lines=np.array([2, 3, 4]), file_index=0)
        >>> fixes.lines(np.array([0, 1, 2])).tolist()  # "a" (line 3) is stored first
        [3, 2, 4]
        """
        positions = np.asarray(positions, dtype=np.int64)
        inputs = np.empty_like(positions)
        by_position = np.argsort(positions, kind="stable")
        ordered = positions[by_position]
        codes = self._columns["aircraft"]
        for start, end in self._chunks():
            first, last = np.searchsorted(ordered, [start, end])
            if first < last:
                grouped = _grouping(codes[start:end])
                inputs[by_position[first:last]] = start + grouped[ordered[first:last] - start]
        run_positions = np.concatenate(self._line_positions)
        run = np.searchsorted(run_positions, inputs, side="right") - 1
        return np.concatenate(self._line_starts)[run] + (inputs - run_positions[run])

    def first_lines(self, positions, count):
        """The lines of the first `count` (in input order) of the rows at `positions`, sorted.

        Only the chunks up to the one holding the `count`-th row in stored
        order are looked at: they hold the first rows in input order.

        Examples
        --------
        >>> fixes = CompactFixes()
        >>> fixes.append({"aircraft": pd.Categorical(["b", "a", "b"]), "lon": np.array([1.0, 2.0, 3.0])},
        ...              lines=np.array([2, 3, 4]), file_index=0)
        >>> fixes.first_lines(np.array([0, 1, 2]), 2).tolist()
        [2, 3]
        """
        positions = np.sort(positions)
        last = positions[min(count, len(positions)) - 1]
        chunk_end = np.append(self._chunk_starts[1:], self.n_rows)[
            np.searchsorted(self._chunk_starts, last, side="right") - 1]
        return np.sort(self.lines(positions[positions < chunk_end]))[:count]

    def _chunks(self):
        """(start, end) of each chunk."""
        return zip(self._chunk_starts, self._chunk_starts[1:] + [self.n_rows])

    def _room(self, name, dtype, end):
        """The column `name`, with room for `end` rows: made (missing so far) or grown as needed."""
        column = self._columns.get(name)
        if column is None:
            column = np.empty(max(4 * end, _FIRST_ROOM), dtype=dtype)
            column[: self.n_rows] = _missing(column.dtype)
        elif len(column) < end:
            grown = np.empty(max(end, 4 * len(column)), dtype=column.dtype)
            grown[: self.n_rows] = column[: self.n_rows]
            column = grown
        self._columns[name] = column
        return column

    def _codes(self, name, categorical):
        """Codes of a categorical in the column's dictionary, which grows with new values."""
        known = self.dictionaries.get(name, pd.Index([], dtype=object))
        values = pd.Index(np.asarray(categorical.categories, dtype=object))
        at = known.get_indexer(values)
        new = at < 0
        if new.any():
            at[new] = len(known) + np.arange(np.count_nonzero(new))
            known = known.append(values[new])
        self.dictionaries[name] = known
        return np.append(at, -1).astype(np.int32)[categorical.codes]


def _grouping(codes):
    """The stable order that groups a chunk's rows by aircraft code."""
    return np.argsort(small_codes(codes), kind="stable")


def _same_text(values, key):
    """Whether the categorical `values` holds the same text as `key` on every row."""
    return (isinstance(values, pd.Categorical) and len(values.categories) == len(key.categories)
            and values.categories.equals(key.categories) and np.array_equal(values.codes, key.codes))


def _missing(dtype):
    """The missing value of a compact column of `dtype`."""
    return {"f": np.nan, "b": False}.get(dtype.kind, -1)
