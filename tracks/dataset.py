"""Many recordings as one dask DataFrame of the tracks table, read in parallel (dask, an optional extra).

The steps, each a dask task:

1. each file is read on its own (:func:`tracks.reading.read_file`), its
   unusable rows counted by reason, its usable fixes a frame with the
   aircraft key, a 64-bit hash of it, and each row's place: the file's
   number and the row's line in one 64-bit integer (:func:`_places`). A
   text column that repeats the aircraft key on every row of the file
   (OpenSky's ``icao24``) is left empty: the key's text stands for it. Small
   neighbouring files are read by one task (:func:`_batches`), so that a
   dataset of many small files is not a graph of many small tasks;
2. the fixes are shuffled on the hash of the aircraft key (an integer is
   cheaper to split on than text), so that one partition holds every fix
   of its aircraft from every file;
3. each partition becomes a tracks table by the rules of :func:`tracks.read`
   over all files at once (:func:`tracks.assemble.tracks_table`: ordering,
   duplicates, flights split at ``split_gap_s``, track ids, suspect fixes).
   Every one of these rules looks at one aircraft at a time, so the table of
   the partitions together is that of :func:`tracks.read` on the same files,
   the same track ids included.

The columns of the table are those :func:`tracks.read` would give: the
columns of the first chunk of each file, found first, in parallel, by
reading that chunk (Parquet files of one schema give the same columns: the
chunk of one of them is read, the schema of the others). A column that
appears only in a later chunk of a file is not read, and the file's report
says so.

Memory: a task holds one file's fixes (or those of a run of small files,
64 MB of files at most), or one partition's; dask spills what waits to disk.
"""

import glob
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from tracks import clean
from tracks.allocator import large_arrays_from_heap
from tracks.assemble import decoded_text, tracks_table
from tracks.compact import CompactFixes
from tracks.errors import ReadError
from tracks.formats import format_names, format_specs
from tracks.formats.generic_csv import is_parquet, open_parquet
from tracks.opening import check_text, listed_paths, open_track_file
from tracks.reading import ReadReport, _append_usable, choose_format, files_kept, is_read, read_file
from tracks.report import TrackReadReport
from tracks.table import STRING_DTYPE

_FIXES = ("aircraft", "time", "lon", "lat")  # the columns of step 1 every file has
_PLACE = ("_key", "_at")  # the int64 columns of step 1 beyond the fixes: the hash of the aircraft key, the place
_LINE_BITS = 40  # a row's place: its file's number above these bits (8 million files), its line below
_HEAD_ROWS = 1000  # rows of each file read to learn its columns
_HEAD_FILES = 64  # files whose columns one task finds
_BATCH_BYTES = 64 << 20  # files read by one task, where the partitions allow: bytes at most
_DUPLICATE_REASONS = clean.REJECT_REASONS[4:]  # the reasons step 3 rejects for, in the order it counts them
_WHOLE_TRACKS = "whole_tracks_in_partitions"  # in the attrs of the table's meta: how many partitions it had


def read_dataset(paths, format=None, *, strict=False, split_gap_s=clean.SPLIT_GAP_S,
                 chunk_rows=1_000_000, npartitions=None, shuffle_method="tasks", **options):
    """Read recordings into a dask DataFrame of the tracks table, file by file in parallel.

    Parameters
    ----------
    paths : str, os.PathLike, or list of them
        Files, folders (their files, sorted) and glob patterns such as
        ``"states/*.csv.gz"`` (their matches, sorted; a file or folder of
        that very name is read as such).
    format, strict, split_gap_s, chunk_rows, **options
        As for :func:`tracks.read`.
    npartitions : int, optional
        Partitions of the table (default: one per file). Each holds whole
        aircraft, so whole tracks.
    shuffle_method : {"tasks", "p2p"}, default "tasks"
        How dask brings each aircraft's fixes together: its task-based
        shuffle, whose pieces spill to disk as any task's result, or its
        peer-to-peer shuffle (dask's own default on a cluster), made for
        shuffles many times larger than the cluster's memory. On 2 cores,
        4 million fixes in 29 files took 3.0 s of CPU with ``"tasks"``,
        7-9 s with ``"p2p"``.

    Returns
    -------
    tracks : dask.dataframe.DataFrame
        The tracks table of :func:`tracks.read` on the same files, its rows
        in partitions by aircraft, each partition sorted by ``track_id``
        then ``time``. The index means nothing.
    report : dask.delayed.Delayed
        The :class:`tracks.ReadReport` of :func:`tracks.read`, counted over
        all partitions. Compute it with the table, or with what is made of
        it (``dask.compute(events, report)``), to read the files once.

    Raises
    ------
    ReadError
        As :func:`tracks.read` (when computed, for errors inside a file);
        also for a glob that matches nothing.
    ImportError
        Without dask: how to install it.

    Examples
    --------
    >>> import dask, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "09.csv").write_text("time,icao24,lat,lon\\n1758272400,4ca2d6,59.8,24.3\\n"
    ...                                    "1758275990,4ca2d6,59.9,24.4\\n")
    >>> _ = (folder / "10.csv").write_text("time,icao24,lat,lon\\n1758276000,4ca2d6,60.0,24.5\\n"
    ...                                    "1758276010,4ca2d6,,24.5\\n")
    >>> table, report = read_dataset(str(folder / "*.csv"), split_gap_s=600)
    >>> table, report = dask.compute(table, report, scheduler="sync")
    >>> table[["track_id", "lat"]]
                    track_id   lat
    0  4ca2d6-20250919T0900Z  59.8
    1  4ca2d6-20250919T0959Z  59.9
    2  4ca2d6-20250919T0959Z  60.0
    >>> report.tracks, report.rows_read, report.rejected
    (2, 4, {'missing lon/lat': 1})
    """
    dask, dd = _dask()
    listed = _files(paths)
    if format is None and options.get("columns"):
        format = "csv"
    if format is not None and format not in format_specs():
        raise ReadError(f"unknown format {format!r}; formats are {', '.join(format_names())}")
    read_some = dask.delayed(_files_fixes, nout=2, pure=True)
    heads = [dask.delayed(_head_columns_or_error, pure=True)(listed[start:start + _HEAD_FILES], format, options)
             for start in range(0, len(listed), _HEAD_FILES)]
    found = [columns for batch in _first_error_raised(dask.compute(*heads)) for columns in batch]
    files, skipped = files_kept(listed, [columns is not None for columns in found])
    columns = _union(columns for columns in found if columns is not None)
    npartitions = npartitions or len(files)
    parts = [read_some(batch, first, format, columns, strict, chunk_rows, options)
             for first, batch in _batches(files, npartitions)]
    fixes = dd.from_delayed([part[0] for part in parts], meta=_fixes_meta(columns), verify_meta=False)
    by_aircraft = fixes.shuffle(on="_key", npartitions=npartitions, shuffle_method=shuffle_method)
    assemble = dask.delayed(_assembled, nout=2, pure=True)
    readings = dask.delayed(_joined, pure=True)([part[1] for part in parts])
    kinds = dask.delayed(_kinds, pure=True)(readings)
    no_file = _Reading(TrackReadReport(Path()), "", False, False)
    meta = _assembled(_fixes_meta(columns, rows=1), _kinds([no_file]), split_gap_s, strict)[0].iloc[:0]
    tables = [assemble(part, kinds, split_gap_s, strict, meta)
              for part in by_aircraft.to_delayed()]
    meta.attrs[_WHOLE_TRACKS] = len(tables)
    table = dd.from_delayed([part[0] for part in tables], meta=meta, verify_meta=False)
    report = dask.delayed(_report, pure=True)(readings, [part[1] for part in tables], skipped)
    return table, report


def holds_whole_tracks(frame):
    """Whether each partition of the dask DataFrame `frame` holds whole tracks, as :func:`read_dataset` makes them.

    A frame made from one of :func:`read_dataset` partition by partition
    (rows filtered, columns added, persisted) still does, and says so: the
    attrs of its meta hold how many partitions it was made with. A frame with
    another number of partitions (repartitioned, concatenated) is not
    trusted, nor is any other frame.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> from tracks import make_tracks
    >>> table = make_tracks("A", pd.to_datetime([0, 1], unit="s", utc=True), lon=[0.0, 1.0], lat=[0.0, 1.0])
    >>> holds_whole_tracks(dd.from_pandas(table, npartitions=1))
    False
    """
    return frame._meta.attrs.get(_WHOLE_TRACKS) == frame.npartitions


def _dask():
    """dask and dask.dataframe, or an ImportError that says how to install them."""
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as error:
        raise ImportError(
            f"reading a dataset needs dask ({error}); install it with "
            "pip install 'airwarden[dask]' (or 'dask[dataframe,distributed]')"
        ) from None
    return dask, dd


def _files(paths):
    """The files of `paths`: globs matched (sorted), folders expanded (:func:`tracks.opening.listed_paths`).

    A path that names a file or folder is that, even where it reads as a
    glob (``states[1].csv``). Each file comes with whether it was found (in
    a folder, or by a glob) rather than named.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    found, matched = [], set()
    for path in paths:
        if glob.has_magic(str(path)) and not Path(path).exists():
            matches = sorted(glob.glob(str(path)))
            if not matches:
                raise ReadError(f"{path}: no file matches")
            found.extend(matches)
            matched.update(map(Path, matches))
        else:
            found.append(path)
    return [(path, in_folder or path in matched) for path, in_folder in listed_paths(found)]


def _head_columns_or_error(listed, format, options):
    """:func:`_head_columns` of `listed`, or the :class:`ReadError` of the first of them that cannot be read."""
    try:
        return _head_columns(listed, format, options)
    except ReadError as error:
        return error


def _first_error_raised(batches):
    """The `batches` of :func:`_head_columns_or_error`, in order; the error of the first file there is raised.

    The batches are done side by side: the first to fail need not hold the
    first file that cannot be read, which :func:`tracks.read` would name.
    """
    for batch in batches:
        if isinstance(batch, ReadError):
            raise batch
    return batches


@large_arrays_from_heap()
def _head_columns(listed, format, options):
    """The compact columns of the first rows of each file, and their dtypes; None for a file left out.

    A file found in a folder or by a glob that is not a recording is left
    out (see :func:`tracks.reading.recordings`). A Parquet file read as a
    format already met with the same schema (its metadata too) has the
    columns found then: only its footer is read.
    """
    found = []
    by_schema = {}
    for path, in_folder in listed:
        report = TrackReadReport(path=path)
        if not is_read(path, in_folder, format):
            found.append(None)
            continue
        with open_track_file(path) as (stream, head):
            check_text(head, path)
            spec = choose_format(head, path, format, report)
            schema = (spec.name, open_parquet(stream, path).schema_arrow.serialize().to_pybytes()) \
                if is_parquet(stream) else None
            stream.seek(0)
            columns = by_schema.get(schema) if schema else None
            if columns is None:
                columns = _first_chunk_columns(spec, stream, path, report, options)
            if schema:
                by_schema[schema] = columns
            found.append(columns)
    return found


def _first_chunk_columns(spec, stream, path, report, options):
    """The compact columns of the first chunk of rows `spec` reads from `stream`, and their dtypes."""
    fixes = CompactFixes()
    for chunk in spec.read_chunks(stream, path, report, chunk_rows=_HEAD_ROWS, **options):
        if len(chunk):
            _append_usable(fixes, chunk, path, 0, report)
            break
    return {name: _kind(fixes, name) for name in fixes.names() + sorted(fixes.same_as_aircraft)}


def _kind(fixes, name):
    """The dtype of a compact column in the fixes frame: text as the string dtype."""
    if name in fixes.dictionaries or name in fixes.same_as_aircraft:
        return STRING_DTYPE
    return fixes.pop(name).dtype


def _union(column_sets):
    """The columns of all files, in the order first seen (float where files disagree)."""
    columns = {}
    for found in column_sets:
        for name, dtype in found.items():
            if name in ("time", "lon", "lat"):
                continue
            columns[name] = dtype if columns.get(name, dtype) == dtype else np.dtype(float)
    return columns


def _fixes_meta(columns, rows=0):
    """The frame of step 1 with `rows` rows (usable, all at time 0, at 0, 0, the rest missing)."""
    frame = {
        "aircraft": pd.array(["meta"] * rows, dtype=STRING_DTYPE),
        "time": np.zeros(rows, np.int64),
        "lon": np.zeros(rows),
        "lat": np.zeros(rows),
    }
    for name, dtype in columns.items():
        frame[name] = _missing_column(dtype, rows)
    for name in _PLACE:
        frame[name] = np.zeros(rows, np.int64)
    return pd.DataFrame(frame)


def _missing_column(dtype, rows):
    """A column of `rows` missing values, as the compact fixes hold them."""
    if dtype == STRING_DTYPE:
        return pd.array(pa.nulls(rows, pa.large_string()), dtype=STRING_DTYPE)
    return np.full(rows, {"f": np.nan, "b": False}.get(np.dtype(dtype).kind, -1), dtype=dtype)


def _batches(files, npartitions):
    """The files in runs of neighbours read by one task each: ``(number of the first, files)``.

    As many runs as `npartitions`, or more so that a run holds at most
    :data:`_BATCH_BYTES` of files (or one file), each about as large.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> files = [folder / f"{hour:02d}.csv" for hour in range(5)]
    >>> for path, size in zip(files, [10, 10, 40, 10, 30]):
    ...     _ = path.write_bytes(b"x" * size)
    >>> [(first, [path.name for path in run]) for first, run in _batches(files, 2)]
    [(0, ['00.csv', '01.csv', '02.csv']), (3, ['03.csv', '04.csv'])]
    """
    ends = np.cumsum([Path(path).stat().st_size for path in files])
    runs = min(len(files), max(npartitions, -(-int(ends[-1]) // _BATCH_BYTES)))
    cuts = np.searchsorted(ends, ends[-1] * np.arange(1, runs) / runs, side="left") + 1
    bounds = np.unique(np.concatenate([[0], np.minimum(cuts, len(files)), [len(files)]]))
    return [(int(first), files[first:end]) for first, end in zip(bounds[:-1], bounds[1:])]


def _joined(lists):
    """One list of the items of `lists`, in order."""
    return [item for items in lists for item in items]


@large_arrays_from_heap()
def _files_fixes(paths, first_index, format, columns, strict, chunk_rows, options):
    """Step 1 for a run of files numbered from `first_index`: their usable fixes as one frame, and their readings."""
    frames, readings = zip(*(_file_fixes(path, index, format, columns, strict, chunk_rows, options)
                             for index, path in enumerate(paths, start=first_index)))
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0], list(readings)


class _Reading(NamedTuple):
    """What step 1 tells of one file beyond its fixes (see :func:`tracks.reading.read_file`).

    ``copies`` are its text columns that repeat the aircraft key on every
    row: their text is not carried (missing in the frame), the aircraft
    key's stands for it.
    """

    report: TrackReadReport
    format_name: str
    keep_whole: bool
    legs_marked: bool
    copies: frozenset = frozenset()


def _file_fixes(path, file_index, format, columns, strict, chunk_rows, options):
    """Step 1: one file's usable fixes as a frame (columns `columns`), and its :class:`_Reading`."""
    rows = _UsableRows()
    report, format_name, _, keep_whole, legs_marked = read_file(
        rows, Path(path), file_index, format, strict=strict, chunk_rows=chunk_rows, **options)
    copies = frozenset(name for name, dtype in columns.items() if dtype == STRING_DTYPE and rows.chunks and all(
        name in chunk and _repeats(chunk[name], chunk["aircraft"]) for chunk, _ in rows.chunks))
    reading = _Reading(report, format_name, keep_whole, legs_marked, copies)
    if not rows.chunks:
        return _fixes_meta(columns), reading
    frames = [_chunk_frame({name: values for name, values in chunk.items() if name not in copies},
                           _places(file_index, lines)) for chunk, lines in rows.chunks]
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    late = [name for name in frame.columns if name not in columns and name not in (*_FIXES, *_PLACE)]
    if late:
        report.note(f"column(s) {', '.join(late)} not in the first rows of any file: not read in a dataset")
    data = {name: frame[name] for name in _FIXES}
    for name, dtype in columns.items():
        data[name] = frame[name].astype(dtype) if name in frame else _missing_column(dtype, len(frame))
    data.update((name, frame[name]) for name in _PLACE)
    return pd.DataFrame(data, copy=False), reading


class _UsableRows:
    """The usable rows of the chunks of one file, as :func:`tracks.reading.read_file` hands them over.

    It takes the place of :class:`tracks.compact.CompactFixes` there (its
    :meth:`append`): the rows of each chunk are kept as they came, without
    the unusable ones, the text as categoricals.

    Attributes
    ----------
    chunks : list of (dict, numpy.ndarray)
        The columns of each chunk's usable rows, and their lines.

    Examples
    --------
    >>> rows = _UsableRows()
    >>> rows.append({"aircraft": pd.Categorical(["b", "a"]), "lon": np.array([1.0, 2.0])}, np.array([2, 3]), 0,
    ...             unusable=np.array([True, False]))
    >>> columns, lines = rows.chunks[0]
    >>> columns["aircraft"].tolist(), columns["lon"].tolist(), lines.tolist()
    (['a'], [2.0], [3])
    """

    def __init__(self):
        self.chunks = []

    def append(self, columns, lines, file_index, unusable=None):
        """Keep the usable rows of one chunk (`file_index` is the reader's: one file, known already)."""
        if unusable is not None and unusable.any():
            usable = ~unusable
            columns = {name: values[usable] for name, values in columns.items()}
            lines = lines[usable]
        if len(lines):
            self.chunks.append((columns, lines))


def _chunk_frame(chunk, places):
    """The fixes frame of one chunk's usable rows, text decoded (a column repeating the aircraft key shares its text).

    Examples
    --------
    >>> key = pd.Categorical(["4ca2d6", "3c6444"])
    >>> frame = _chunk_frame({"aircraft": key, "icao24": key, "lon": np.array([24.3, 24.4])}, np.array([2, 3]))
    >>> frame[["aircraft", "icao24", "lon", "_at"]].values.tolist()
    [['4ca2d6', '4ca2d6', 24.3, 2], ['3c6444', '3c6444', 24.4, 3]]
    """
    key = chunk["aircraft"]
    aircraft = _text(key.codes, key.categories)
    frame = {"aircraft": aircraft}
    for name, values in chunk.items():
        if isinstance(values, pd.Categorical):
            frame[name] = aircraft if _repeats(values, key) else _text(values.codes, values.categories)
        else:
            frame[name] = values
    frame["_key"] = _aircraft_keys(key.categories)[key.codes]
    frame["_at"] = places
    return pd.DataFrame(frame, copy=False)


def _repeats(values, key):
    """Whether the categorical `values` holds the text of `key` on every row."""
    return values is key or (values.categories.equals(key.categories) and np.array_equal(values.codes, key.codes))


def _places(file_index, lines):
    """Each row's place: its file's number and its line, in one int64 that sorts files first, then lines.

    Examples
    --------
    >>> at = _places(3, np.array([2, 7]))
    >>> (at >> _LINE_BITS).tolist(), (at & ((1 << _LINE_BITS) - 1)).tolist()
    ([3, 3], [2, 7])
    """
    return (np.int64(file_index) << _LINE_BITS) | lines.astype(np.int64, copy=False)


def _aircraft_keys(dictionary):
    """A 64-bit hash of each aircraft key, the same in every process: the fixes are shuffled on it.

    Examples
    --------
    >>> keys = _aircraft_keys(np.array(["4ca2d6", "3c6444", "4ca2d6"], dtype=object))
    >>> keys.dtype, keys[0] == keys[2] != keys[1]
    (dtype('int64'), np.True_)
    """
    return pd.util.hash_array(np.asarray(dictionary, dtype=object)).view(np.int64)


def _text(codes, dictionary):
    """Text of codes into a dictionary (-1 missing), in the string dtype.

    Examples
    --------
    >>> _text(np.array([1, -1, 0]), pd.Index(["4ca2d6", "3c6444"])).tolist()
    ['3c6444', nan, '4ca2d6']
    """
    return pd.array(decoded_text(codes, dictionary), dtype=STRING_DTYPE)


class _Kinds(NamedTuple):
    """What step 3 needs to know of every file, for each file (in order): see :class:`_Reading`."""

    paths: list
    keep_whole: np.ndarray
    legs_marked: np.ndarray
    copies: dict  # name of a text column to whether it repeats the aircraft key in each file


def _kinds(readings):
    """The :class:`_Kinds` of the files of `readings`, small enough to go to every partition.

    Examples
    --------
    >>> kinds = _kinds([_Reading(TrackReadReport(Path("a.csv")), "opensky", False, False, frozenset({"icao24"})),
    ...                 _Reading(TrackReadReport(Path("b.csv")), "airwarden", True, False)])
    >>> kinds.keep_whole.tolist(), {name: copy.tolist() for name, copy in kinds.copies.items()}
    ([False, True], {'icao24': [True, False]})
    """
    names = sorted(set().union(*(reading.copies for reading in readings)))
    return _Kinds([reading.report.path for reading in readings],
                  np.array([reading.keep_whole for reading in readings], dtype=bool),
                  np.array([reading.legs_marked for reading in readings], dtype=bool),
                  {name: np.array([name in reading.copies for reading in readings], dtype=bool) for name in names})


@large_arrays_from_heap()
def _assembled(part, kinds, split_gap_s, strict, meta=None):
    """Step 3: the tracks table of one partition of whole aircraft, and its files' reports (by file number).

    `kinds` tells of every file (:class:`_Kinds`). The table has the
    columns of `meta` in its order (all partitions alike), if given.
    """
    n_files = len(kinds.keep_whole)
    at = part["_at"].to_numpy()
    order = None if np.all(at[1:] >= at[:-1]) else np.argsort(at, kind="stable")  # files in order, each in its order
    if order is not None:
        at = at[order]
    file_of = at >> _LINE_BITS
    lines = at & ((1 << _LINE_BITS) - 1)
    starts = np.flatnonzero(np.diff(file_of, prepend=-1))
    columns = {name: _compact(part[name], order) for name in part.columns.drop(list(_PLACE))}
    fixes = CompactFixes()
    for start, end in zip(starts, np.append(starts[1:], len(at))):
        copies = {name for name, copy in kinds.copies.items() if copy[file_of[start]]}
        fixes.append({name: (columns["aircraft"] if name in copies else values)[start:end]
                      for name, values in columns.items()}, lines[start:end], int(file_of[start]))
    files = file_of[starts]
    reports = [TrackReadReport(path=path) for path in kinds.paths]
    accepted = np.bincount(file_of, minlength=n_files).astype(np.int64)
    table, counts = tracks_table(fixes, reports, accepted, kinds.keep_whole, split_gap_s, strict,
                                 legs_marked=kinds.legs_marked)
    if meta is not None:
        table = table[meta.columns] if len(table) else meta.copy()
    return table, ({int(index): reports[index] for index in files}, counts)


def _compact(values, order=None):
    """A column of the fixes frame in `order` (if given), as :class:`tracks.compact.CompactFixes` takes it (text as
    categorical).

    Examples
    --------
    >>> text = _compact(pd.Series(["b", "a", None, "b"], dtype=STRING_DTYPE), np.array([3, 2, 1, 0]))
    >>> text.codes.tolist(), text.categories.tolist()
    ([0, -1, 1, 0], ['b', 'a'])
    """
    if values.dtype == STRING_DTYPE:
        codes, categories = pd.factorize(values)
        return pd.Categorical.from_codes(codes if order is None else codes[order],
                                         dtype=pd.CategoricalDtype(categories))
    return values.to_numpy() if order is None else values.to_numpy()[order]


def _report(readings, partitions, skipped):
    """The :class:`tracks.ReadReport` of all files: each file's reading, each partition's part of it, those left out."""
    result = ReadReport(files=[reading.report for reading in readings],
                        formats=[reading.format_name for reading in readings], skipped=skipped)
    for reports, counts in partitions:
        for index, report in reports.items():
            result.files[index].add(report)
        for name, count in counts.items():
            setattr(result, name, getattr(result, name) + count)
    for report in result.files:
        _reasons_in_order(report)
    return result


def _reasons_in_order(report):
    """Order the rejections of `report` as one :func:`tracks.read` counts them: duplicates last, in their order.

    The partitions tell a file's duplicates in the order they come in, not
    that of the reasons.

    Examples
    --------
    >>> report = TrackReadReport(Path("a.csv"))
    >>> for reason in (clean.REJECT_REASONS[5], "missing lon/lat", clean.REJECT_REASONS[4]):
    ...     report.reject(reason, [2])
    >>> _reasons_in_order(report)
    >>> list(report.rejected) == ["missing lon/lat", *_DUPLICATE_REASONS]
    True
    """
    order = [reason for reason in report.rejected if reason not in _DUPLICATE_REASONS]
    order += [reason for reason in _DUPLICATE_REASONS if reason in report.rejected]
    report.rejected = {reason: report.rejected[reason] for reason in order}
    report.first_rejected_lines = {reason: report.first_rejected_lines[reason] for reason in order
                                   if reason in report.first_rejected_lines}
