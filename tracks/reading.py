"""Files in any known format to one tracks table, with a report.

The steps, for each file: open it (:mod:`tracks.opening`: folders, gzip,
empty or binary files), recognise its format from its content
(:func:`choose_format`), let the format's reader yield raw chunks
(:mod:`tracks.formats`), and reject unusable fixes chunk by chunk. Then, over
all files at once (:mod:`tracks.clean`, :mod:`tracks.quality`): order by
aircraft and time, reject duplicates, split aircraft into flights, build
track ids, flag suspect fixes.

Memory: raw chunks are converted to compact columns as they arrive
(:mod:`tracks.compact`: codes for text, int64 nanoseconds for times, where
each row came from as runs of lines), so beyond the returned table the
reader holds two chunks at most while reading (one parsed ahead in a thread,
for CSV), then a few bytes a fix while ordering (:mod:`tracks.assemble`).
"""

import inspect
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from tracks import clean
from tracks.errors import ReadError
from tracks.assemble import tracks_table
from tracks.compact import CompactFixes
from tracks.formats import format_names, format_specs
from tracks.opening import check_text, is_empty_file, listed_paths, open_track_file
from tracks.report import TrackReadReport
from tracks.table import STRING_DTYPE, TIME_DTYPE

_TEXT = ("aircraft", "track_id", "callsign", "icao24", "source")
_MEASURES = ("alt_baro_m", "alt_geo_m", "ground_speed_mps", "track_deg")
_TRUE_WORDS = ("true", "t", "1", "1.0", "yes", "y")
_FALSE_WORDS = ("false", "f", "0", "0.0", "no", "n")
_SKIPPED_SHOWN = 5  # names of skipped files a report shows

format_specs()  # the format modules imported with this one, not in the first call to read


@dataclass
class ReadReport:
    """What :func:`read` did with every file, and the totals.

    Attributes
    ----------
    files : list of TrackReadReport
        One per file, in the order read.
    formats : list of str
        The format each file was read as.
    tracks : int
        Tracks (flights) in the returned table.
    suspect_jump, suspect_frozen : int
        Fixes flagged suspect for an impossible jump, or a frozen position
        (a fix may be both).
    suspect : int
        Fixes flagged suspect, for any reason.
    skipped : list of pathlib.Path
        Files found in folders that are not recordings, left out (see
        :func:`recordings`).

    Examples
    --------
    >>> from tracks.report import TrackReadReport
    >>> first = TrackReadReport(Path("a.csv"), rows_read=3, rows_accepted=2, reordered=1)
    >>> first.reject("unparseable time", [4])
    >>> second = TrackReadReport(Path("b.csv"), rows_read=2, rows_accepted=2)
    >>> report = ReadReport([first, second], ["opensky", "opensky"], tracks=2)
    >>> report.rows_read, report.rows_accepted, report.rows_rejected, report.reordered, report.rejected
    (5, 4, 1, 1, {'unparseable time': 1})
    """

    files: list = field(default_factory=list)
    formats: list = field(default_factory=list)
    tracks: int = 0
    suspect: int = 0
    suspect_jump: int = 0
    suspect_frozen: int = 0
    skipped: list = field(default_factory=list)

    @property
    def rows_read(self):
        """Rows (records) read, all files.

        Examples
        --------
        >>> from tracks.report import TrackReadReport
        >>> files = [TrackReadReport(Path("a.csv"), rows_read=3), TrackReadReport(Path("b.csv"), rows_read=2)]
        >>> ReadReport(files).rows_read
        5
        """
        return sum(r.rows_read for r in self.files)

    @property
    def rows_accepted(self):
        """Fixes in the returned table.

        Examples
        --------
        >>> from tracks.report import TrackReadReport
        >>> files = [TrackReadReport(Path("a.csv"), rows_accepted=3), TrackReadReport(Path("b.csv"), rows_accepted=2)]
        >>> ReadReport(files).rows_accepted
        5
        """
        return sum(r.rows_accepted for r in self.files)

    @property
    def rows_rejected(self):
        """Rows rejected, all reasons and files.

        Examples
        --------
        >>> from tracks.report import TrackReadReport
        >>> first, second = TrackReadReport(Path("a.csv")), TrackReadReport(Path("b.csv"))
        >>> first.reject("unparseable time", [4, 7])
        >>> second.reject("missing lon/lat", [2])
        >>> ReadReport([first, second]).rows_rejected
        3
        """
        return sum(r.rows_rejected for r in self.files)

    @property
    def reordered(self):
        """Fixes that came earlier in time than an earlier fix of their aircraft.

        Examples
        --------
        >>> from tracks.report import TrackReadReport
        >>> files = [TrackReadReport(Path("a.csv"), reordered=1), TrackReadReport(Path("b.csv"), reordered=2)]
        >>> ReadReport(files).reordered
        3
        """
        return sum(r.reordered for r in self.files)

    @property
    def rejected(self):
        """Rows rejected by reason, all files.

        Examples
        --------
        >>> from tracks.report import TrackReadReport
        >>> first, second = TrackReadReport(Path("a.csv")), TrackReadReport(Path("b.csv"))
        >>> first.reject("unparseable time", [4, 7])
        >>> second.reject("unparseable time", [2])
        >>> second.reject("no hex", [3])
        >>> ReadReport([first, second]).rejected
        {'unparseable time': 3, 'no hex': 1}
        """
        totals = {}
        for report in self.files:
            for reason, count in report.rejected.items():
                totals[reason] = totals.get(reason, 0) + count
        return totals

    def __str__(self):
        lines = [f"[{name}] {report}" for name, report in zip(self.formats, self.files)]
        lines.append(
            f"total: {len(self.files)} file(s), {self.rows_read} rows read, "
            f"{self.rows_accepted} fixes in {self.tracks} track(s), {self.rows_rejected} "
            f"rejected, {self.reordered} reordered, {self.suspect} suspect "
            f"({self.suspect_jump} at impossible jumps, {self.suspect_frozen} frozen)"
        )
        lines.extend(f"  rejected {count}: {reason}" for reason, count in self.rejected.items())
        if self.skipped:
            lines.append(f"  skipped {len(self.skipped)} file(s) found in folders, not recordings "
                         f"(empty, or no format recognised): {_names(self.skipped)}")
        return "\n".join(lines)


def read(paths, format=None, *, strict=False, split_gap_s=clean.SPLIT_GAP_S,
         chunk_rows=1_000_000, progress=False, **options):
    """Read track files in any known format into one tracks table.

    Parameters
    ----------
    paths : str, os.PathLike, or list of them
        Files and folders (a folder stands for its files, sorted; see
        :func:`tracks.opening.listed_paths`). Gzipped files are recognised
        by their content. A file found in a folder that is not a recording
        is left out, and the report names it (see :func:`recordings`).
    format : str, optional
        The format of every file (one of :func:`tracks.formats.format_names`);
        by default recognised from each file's content. Giving ``columns=``
        alone implies ``"csv"``.
    strict : bool, optional
        Raise on the first rejected row instead of counting it.
    split_gap_s : float, optional
        A gap longer than this (seconds) between two fixes of one aircraft
        starts a new flight (default 1800 s; see :mod:`tracks.clean`).
    chunk_rows : int, optional
        Rows per chunk for formats read in chunks: memory beyond the table
        is bounded by it.
    progress : bool, optional
        Show a progress bar over the files on stderr.
    **options
        Passed to the format reader (``columns=``, ``units=``,
        ``delimiter=`` for format ``"csv"``).

    Returns
    -------
    tracks : pandas.DataFrame
        The tracks table (passes :func:`tracks.validate_tracks`), sorted by
        ``track_id``, then ``time``, with a bool ``suspect`` column, the
        optional columns the files had, and ``on_ground`` (nullable boolean)
        where a file had it. Track ids follow :mod:`tracks.clean`.
    report : ReadReport
        Per file and total: rows read, accepted, rejected by reason (with
        their first lines), reordered, suspect.

    Raises
    ------
    ReadError
        A one-line message naming the file (and line) for a missing,
        empty, binary, truncated or unrecognised file, a file broken for its
        format, and in strict mode any rejected row.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "sv.csv").write_text(
    ...     "time,icao24,lat,lon,baroaltitude\\n"
    ...     "1758274200,4CA2D6,59.82,24.35,10668\\n"
    ...     "1758274210,4CA2D6,59.82,,10668\\n")
    >>> table, report = read(folder)
    >>> table[["track_id", "lon", "alt_baro_m"]]
      track_id    lon  alt_baro_m
    0   4ca2d6  24.35     10668.0
    >>> report.rejected
    {'missing lon/lat': 1}
    """
    if format is None and options.get("columns"):
        format = "csv"
    if format is not None and format not in format_specs():
        raise ReadError(f"unknown format {format!r}; formats are {', '.join(format_names())}")
    files, skipped = recordings(listed_paths(paths), format)
    result = ReadReport(skipped=skipped)
    fixes = CompactFixes()
    accepted = np.zeros(len(files), dtype=np.int64)
    keep_whole = np.zeros(len(files), dtype=bool)
    legs_marked = np.zeros(len(files), dtype=bool)
    for file_index, path in enumerate(_with_progress(files) if progress else files):
        report, name, accepted[file_index], keep_whole[file_index], legs_marked[file_index] = read_file(
            fixes, path, file_index, format, strict=strict, chunk_rows=chunk_rows, **options)
        result.files.append(report)
        result.formats.append(name)
    pa.default_memory_pool().release_unused()  # what the parsers held for their chunks
    table, counts = tracks_table(fixes, result.files, accepted, keep_whole, split_gap_s, strict,
                                 legs_marked=legs_marked)
    for name, count in counts.items():
        setattr(result, name, count)
    return table, result


def recordings(listed, format=None):
    """The files to read: those found in folders that are not recordings left out.

    A file found in a folder is left out when it is empty (no byte), binary
    (not Parquet) or no format recognises its content: a folder of
    recordings may hold a README, a script, an airspace file, an hour with
    no data. A file named on its own is always read, and refused with a
    message naming it if it is not a recording. With a `format`, every
    non-empty file is read as it.

    Parameters
    ----------
    listed : list of (pathlib.Path, bool)
        The files, each with whether it was found in a folder (see
        :func:`tracks.opening.listed_paths`).
    format : str, optional
        The user's format.

    Returns
    -------
    files : list of pathlib.Path
        The files to read, in order.
    skipped : list of pathlib.Path
        The files left out.

    Raises
    ------
    ReadError
        When every file is left out, naming them; as
        :func:`tracks.opening.open_track_file` for a file that cannot be
        opened or is empty.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "sv.csv").write_text("time,icao24,lat,lon\\n1758274200,4ca2d6,59.82,24.35\\n")
    >>> _ = (folder / "README").write_text("Recorded at Tallinn.\\n")
    >>> files, skipped = recordings([(folder / "README", True), (folder / "sv.csv", True)])
    >>> [path.name for path in files], [path.name for path in skipped]
    (['sv.csv'], ['README'])
    >>> recordings([(folder / "README", True)])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tracks.errors.ReadError: no recording to read: no format recognises the 1 file(s) found in folders ...
    """
    return files_kept(listed, [is_read(path, in_folder, format) for path, in_folder in listed])


def is_read(path, in_folder, format=None) -> bool:
    """Whether a listed file is read (see :func:`recordings`): named on its own, or a recording found in a folder.

    Examples
    --------
    >>> import tempfile
    >>> notes = Path(tempfile.mkdtemp()) / "notes.txt"
    >>> _ = notes.write_text("Recorded at Tallinn.\\n")
    >>> is_read(notes, True), is_read(notes, False), is_read(notes, True, format="csv")
    (False, True, True)
    """
    if not in_folder:
        return True
    if is_empty_file(path):
        return False
    if format is not None:
        return True
    with open_track_file(path) as (_, head):
        return is_recording(head, path)


def files_kept(listed, kept):
    """The files of `listed` that `kept` says to read, and those left out; ReadError if none is kept.

    The last step of :func:`recordings`, also for files whose heads were
    read elsewhere (in tasks, :mod:`tracks.dataset`).

    Examples
    --------
    >>> files, skipped = files_kept([(Path("a.csv"), True), (Path("notes.txt"), True)], [True, False])
    >>> files, skipped
    ([PosixPath('a.csv')], [PosixPath('notes.txt')])
    """
    files = [path for (path, _), keep in zip(listed, kept) if keep]
    skipped = [path for (path, _), keep in zip(listed, kept) if not keep]
    if not files:
        raise ReadError(
            f"no recording to read: no format recognises the {len(skipped)} file(s) found in folders "
            f"({_names(skipped)}); give --format"
        )
    return files, skipped


def is_recording(head, path):
    """Whether some format recognises `head`, the first bytes of the file at `path` (text, or Parquet).

    Examples
    --------
    >>> is_recording(b"time,icao24,lat,lon\\n", Path("sv.csv")), is_recording(b"# notes\\n", Path("sv.csv"))
    (True, False)
    """
    try:
        check_text(head, path)
    except ReadError:
        return False
    return any(_sniffs(spec, head, path) for spec in format_specs().values())


def takes_units(spec) -> bool:
    """Whether the readers of a format read numbers in the units a user gives (``units=``, ``--unit``).

    Examples
    --------
    >>> takes_units(format_specs()["opensky"]), takes_units(format_specs()["igc"])
    (True, False)
    """
    return "units" in inspect.signature(spec.read_chunks).parameters


def _names(paths):
    """The first paths of `paths`, and how many more, for a message."""
    shown = ", ".join(map(str, paths[:_SKIPPED_SHOWN]))
    more = len(paths) - _SKIPPED_SHOWN
    return f"{shown} and {more} more" if more > 0 else shown


def read_file(fixes, path, file_index, format=None, *, strict=False, chunk_rows=1_000_000, **options):
    """Read one file's fixes into `fixes`, rows it cannot use counted by reason (the per-file step of :func:`read`).

    Parameters
    ----------
    fixes : tracks.compact.CompactFixes
        Given the file's rows, chunk by chunk (unusable ones marked so).
    path : pathlib.Path
        The file.
    file_index : int
        Its number among the files read together.
    format, strict, chunk_rows, **options
        As for :func:`read`.

    Returns
    -------
    report : TrackReadReport
        Rows read and rejected so far (duplicates are found over all files later).
    format_name : str
        The format the file was read as.
    accepted : int
        Its usable rows.
    keep_whole : bool
        Whether its aircraft keys are flights already (a ``track_id`` column).
    legs_marked : bool
        Whether it marks where flights start.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sv.csv"
    >>> _ = path.write_text("time,icao24,lat,lon\\n1758274200,4ca2d6,59.82,24.35\\n1758274210,4ca2d6,,24.4\\n")
    >>> fixes = CompactFixes()
    >>> report, name, accepted, keep_whole, legs_marked = read_file(fixes, path, 0)
    >>> name, accepted, keep_whole, fixes.n_rows, report.rejected
    ('opensky', 1, False, 2, {'missing lon/lat': 1})
    """
    report = TrackReadReport(path=path)
    accepted = 0
    keep_whole = legs_marked = False
    with open_track_file(path) as (stream, head):
        check_text(head, path)
        spec = choose_format(head, path, format, report)
        if options.get("units") and not takes_units(spec):
            report.note(f"--unit not used: {spec.name} files give their own units")
        motion_known = False
        for chunk in spec.read_chunks(stream, path, report, chunk_rows=chunk_rows, **options):
            motion_known |= "ground_speed_mps" in chunk or "on_ground" in chunk
            keep_whole |= "track_id" in chunk
            legs_marked |= "flight_start" in chunk
            accepted += _append_usable(fixes, chunk, path, file_index, report)
        if not motion_known and report.rows_read:
            report.note("no ground speed or on-ground flag: frozen positions not checked")
    if strict:
        report.refuse_rejected()
    return report, spec.name, accepted, keep_whole, legs_marked


def choose_format(head, path, format=None, report=None):
    """The format of a file: `format` if given, else the one whose sniffer knows the content.

    Parameters
    ----------
    head : bytes
        The first bytes of the (decompressed) file.
    path : pathlib.Path
        Its extension (``.gz`` ignored) breaks a tie between sniffers.
    format : str, optional
        The user's choice.
    report : TrackReadReport, optional
        Told when several formats matched.

    Returns
    -------
    tracks.formats.FormatSpec

    Raises
    ------
    ReadError
        ``"FILE: cannot recognise the format; give --format (one of ...)"``.

    Examples
    --------
    >>> from tracks.report import TrackReadReport
    >>> choose_format(b"time,icao24,lat,lon\\n", Path("states.csv")).name
    'opensky'
    >>> report = TrackReadReport(Path("mixed.csv"))
    >>> choose_format(b"track_id,time,lon,lat,icao24\\n", report.path, report=report).name, report.notes
    ('airwarden', ['looks like airwarden, opensky: read as airwarden (give format= to choose)'])
    >>> choose_format(b"time,icao24,lat,lon\\n", Path("states.csv"), format="csv").name
    'csv'
    """
    specs = format_specs()
    if format is not None:
        return specs[format]
    matches = [spec for spec in specs.values() if _sniffs(spec, head, path)]
    if not matches:
        raise ReadError(
            f"{path}: cannot recognise the format; give --format "
            f"(one of {', '.join(format_names())})"
        )
    suffixes = [s.lower() for s in Path(path).suffixes if s.lower() != ".gz"]
    extension = suffixes[-1] if suffixes else ""
    by_extension = [spec for spec in matches if extension in spec.extensions]
    chosen = (by_extension or matches)[0]
    if len(matches) > 1 and report is not None:
        report.note(
            f"looks like {', '.join(s.name for s in matches)}: read as {chosen.name} "
            "(give format= to choose)"
        )
    return chosen


def _sniffs(spec, head, path):
    try:
        return bool(spec.sniff(head, path))
    except Exception:  # a sniffer must not raise; one that does says no
        return False


# --- chunks to compact columns ------------------------------------------------


def _append_usable(fixes, chunk, path, file_index, report):
    """Add a raw chunk's rows to `fixes` as compact columns; count the unusable ones by reason.

    Unusable rows are added too, marked so (see
    :meth:`tracks.compact.CompactFixes.append`), so that no column is
    filtered here.

    Returns
    -------
    int
        The usable rows.
    """
    missing = [name for name in ("aircraft", "time", "lon", "lat", "line") if name not in chunk]
    if missing:
        raise RuntimeError(f"{path}: the reader gave no column(s) {missing} (a reader bug)")
    if len(chunk) == 0:
        return 0
    out = {}
    if "track_id" in chunk:
        chunk = chunk.assign(aircraft=chunk["track_id"]).drop(columns="track_id")
    for name in chunk.columns.drop("line"):
        values = chunk[name]
        if name == "time":
            out[name] = _time_ns(values, path)
        elif name in _TEXT or isinstance(values.dtype, pd.CategoricalDtype):
            out[name] = _categorical(values)
        elif name == "on_ground":
            out[name] = _flags(values)
        elif name in ("suspect", "flight_start"):
            out[name] = values.to_numpy(dtype=bool)
        elif pd.api.types.is_string_dtype(values.dtype) or values.dtype == object:
            out[name] = _categorical(values)
        else:
            out[name] = values.to_numpy()
    out["lon"] = out["lon"].astype(np.float64, copy=False)
    out["lat"] = out["lat"].astype(np.float64, copy=False)
    lines = chunk["line"].to_numpy()
    for name in _MEASURES:
        if name in out:
            out[name] = _finite(out[name], name, lines, report)
    reason = clean.usable_rows(out["time"], out["aircraft"].codes, out["lon"], out["lat"])
    for code, name in enumerate(clean.REJECT_REASONS[:4]):
        report.reject(name, lines[reason == code])
    at_180 = out["lon"] == 180.0
    if at_180.any():
        out["lon"] = np.where(at_180, -180.0, out["lon"])
    fixes.append(out, lines, file_index, unusable=reason >= 0)
    return int(np.count_nonzero(reason < 0))


def _finite(values, name, lines, report):
    """`values` (float) with infinite ones as NaN, and a note of how many there were."""
    values = values.astype(np.float64, copy=False)
    infinite = np.isinf(values)
    if infinite.any():
        report.note(f"{int(infinite.sum())} infinite {name} value(s) set to NaN (first at line "
                    f"{lines[infinite][0]})")
        values = np.where(infinite, np.nan, values)
    return values


def _flags(values):
    """Nullable flags as int8 (1 true, 0 false, -1 unknown), from booleans or their words."""
    if not (pd.api.types.is_bool_dtype(values.dtype) or isinstance(values.dtype, pd.BooleanDtype)):
        words = values.astype(STRING_DTYPE).str.strip().str.lower()
        values = pd.Series(np.where(words.isin(_TRUE_WORDS), 1, np.where(words.isin(_FALSE_WORDS), 0, -1)))
        return values.to_numpy(dtype=np.int8)
    return values.astype("boolean").to_numpy(dtype=np.int8, na_value=-1)


def _time_ns(values, path):
    if not isinstance(values.dtype, pd.DatetimeTZDtype):
        raise RuntimeError(f"{path}: the reader gave times of dtype {values.dtype} (a reader bug)")
    if values.dtype != TIME_DTYPE:
        values = values.dt.tz_convert("UTC").dt.as_unit("ns")
    return values.array.asi8


def _categorical(values):
    """A categorical of text (categories of any text dtype)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.array
    return pd.Categorical(values.astype(STRING_DTYPE))


def _with_progress(files):
    """`files`, with a progress bar on stderr as they are read (tqdm imported only then)."""
    from tqdm import tqdm

    return tqdm(files, file=sys.stderr, unit="file", desc="reading")
