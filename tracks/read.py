"""``tracks.read``: files in any known format to one tracks table, with a report.

The steps, for each file: open it (:mod:`tracks.opening`: folders, gzip,
empty or binary files), recognise its format from its content
(:func:`choose_format`), let the format's reader yield raw chunks
(:mod:`tracks.formats`), and reject unusable fixes chunk by chunk. Then, over
all files at once (:mod:`tracks.clean`, :mod:`tracks.quality`): order by
aircraft and time, reject duplicates, split aircraft into flights, build
track ids, flag suspect fixes.

Memory: raw chunks are converted to compact columns (categorical codes for
text, int64 nanoseconds for times) as they arrive, so beyond the returned
table the reader holds one chunk, then one column and a permutation while
ordering.
"""

import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.api.types import union_categoricals
from tqdm import tqdm

from tracks import clean, quality
from tracks.formats import format_names, format_specs
from tracks.opening import check_text, expand_paths, open_track_file
from tracks.report import TrackReadReport
from tracks.table import OPTIONAL_TRACK_COLUMNS, STRING_DTYPE, TIME_DTYPE, TRACK_COLUMNS

_NAT = np.iinfo(np.int64).min
_TEXT = ("aircraft", "track_id", "callsign", "icao24", "source")
_INTERNAL = ("aircraft", "line", "file", "keep_whole", "track_id")


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
    """

    files: list = field(default_factory=list)
    formats: list = field(default_factory=list)
    tracks: int = 0
    suspect: int = 0
    suspect_jump: int = 0
    suspect_frozen: int = 0

    @property
    def rows_read(self):
        """Rows (records) read, all files."""
        return sum(r.rows_read for r in self.files)

    @property
    def rows_accepted(self):
        """Fixes in the returned table."""
        return sum(r.rows_accepted for r in self.files)

    @property
    def rows_rejected(self):
        """Rows rejected, all reasons and files."""
        return sum(r.rows_rejected for r in self.files)

    @property
    def reordered(self):
        """Fixes that came earlier in time than an earlier fix of their aircraft."""
        return sum(r.reordered for r in self.files)

    @property
    def rejected(self):
        """Rows rejected by reason, all files."""
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
        return "\n".join(lines)


def read(paths, format=None, *, strict=False, split_gap_s=clean.SPLIT_GAP_S,
         chunk_rows=1_000_000, progress=False, **options):
    """Read track files in any known format into one tracks table.

    Parameters
    ----------
    paths : str, os.PathLike, or list of them
        Files and folders (a folder stands for its files, sorted; see
        :func:`tracks.opening.expand_paths`). Gzipped files are recognised
        by their content.
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
    ValueError
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
    files = expand_paths(paths)
    if format is None and options.get("columns"):
        format = "csv"
    if format is not None and format not in format_specs():
        raise ValueError(f"unknown format {format!r}; formats are {', '.join(format_names())}")
    result = ReadReport()
    columns = {}
    for file_index, path in enumerate(
        tqdm(files, disable=not progress, file=sys.stderr, unit="file", desc="reading")
    ):
        report = TrackReadReport(path=path)
        result.files.append(report)
        with open_track_file(path) as (stream, head):
            check_text(head, path)
            spec = choose_format(head, path, format, report)
            result.formats.append(spec.name)
            motion_known = False
            for chunk in spec.read_chunks(stream, path, report, chunk_rows=chunk_rows, **options):
                motion_known |= "ground_speed_mps" in chunk or "on_ground" in chunk
                _append(columns, _usable(chunk, path, file_index, report))
            if not motion_known and report.rows_read:
                report.note("no ground speed or on-ground flag: frozen positions not checked")
        if strict:
            _refuse_rejections(report)
    table = _finish(columns, result, split_gap_s, strict)
    return table, result


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
    ValueError
        ``"cannot recognise the format of FILE; give --format (one of ...)"``.
    """
    specs = format_specs()
    if format is not None:
        return specs[format]
    matches = [spec for spec in specs.values() if _sniffs(spec, head, path)]
    if not matches:
        raise ValueError(
            f"cannot recognise the format of {path}; give --format "
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


def _refuse_rejections(report):
    """Strict mode: a ValueError naming the file and line of the first rejected row."""
    for reason, count in report.rejected.items():
        line = report.first_rejected_lines[reason][0]
        raise ValueError(
            f"{report.path}:{line}: rejected ({reason}); {count} row(s) rejected for this "
            "reason (strict mode)"
        )


# --- chunks to compact columns ------------------------------------------------


def _usable(chunk, path, file_index, report):
    """Compact columns of a raw chunk's usable rows; the others counted by reason."""
    missing = [name for name in ("aircraft", "time", "lon", "lat", "line") if name not in chunk]
    if missing:
        raise RuntimeError(f"{path}: the reader gave no column(s) {missing} (a reader bug)")
    n_rows = len(chunk)
    out = {}
    if "track_id" in chunk:
        chunk = chunk.assign(aircraft=chunk["track_id"])
    for name in chunk.columns:
        values = chunk[name]
        if name == "time":
            out[name] = _time_ns(values, path)
        elif name in _TEXT or isinstance(values.dtype, pd.CategoricalDtype):
            out[name] = _categorical(values)
        elif name == "on_ground":
            known = values.astype("boolean").to_numpy(dtype=np.float64, na_value=-1.0)
            out[name] = known.astype(np.int8)
        elif name == "suspect":
            out[name] = values.to_numpy(dtype=bool)
        elif pd.api.types.is_string_dtype(values.dtype) or values.dtype == object:
            out[name] = _categorical(values)
        else:
            out[name] = values.to_numpy()
    for name in ("alt_baro_m", "alt_geo_m"):
        if name not in out:
            out[name] = np.full(n_rows, np.nan)
    out["lon"] = out["lon"].astype(np.float64, copy=False)
    out["lat"] = out["lat"].astype(np.float64, copy=False)
    out["line"] = out["line"].astype(np.int64, copy=False)
    out["file"] = np.full(n_rows, file_index, dtype=np.int32)
    out["keep_whole"] = np.full(n_rows, "track_id" in chunk, dtype=bool)
    out.pop("track_id", None)
    reason = clean.usable_rows(out["time"], out["aircraft"].codes, out["lon"], out["lat"])
    for code, name in enumerate(clean.REJECT_REASONS[:4]):
        report.reject(name, out["line"][reason == code])
    at_180 = out["lon"] == 180.0
    if at_180.any():
        out["lon"] = np.where(at_180, -180.0, out["lon"])
    keep = reason < 0
    if not keep.all():
        out = {name: values[keep] for name, values in out.items()}
    return out


def _time_ns(values, path):
    if not isinstance(values.dtype, pd.DatetimeTZDtype):
        raise RuntimeError(f"{path}: the reader gave times of dtype {values.dtype} (a reader bug)")
    return values.dt.tz_convert("UTC").dt.as_unit("ns").array.asi8.copy()


def _categorical(values):
    """A categorical of text with categories of the table's string dtype."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        cat = values.array
    else:
        cat = pd.Categorical(values.astype(STRING_DTYPE))
    if cat.categories.dtype != STRING_DTYPE:
        cat = pd.Categorical.from_codes(
            cat.codes, categories=pd.Index(cat.categories.astype(str), dtype=STRING_DTYPE))
    return cat


def _append(columns, chunk_columns):
    """Add a chunk's columns to the lists of parts; columns a chunk lacks are filled later."""
    n_before = columns.setdefault("_rows", [0])
    for name, values in chunk_columns.items():
        parts = columns.setdefault(name, [])
        parts.append((n_before[-1], values))
    n_before.append(n_before[-1] + len(chunk_columns["line"]))


def _joined(parts, n_rows):
    """One column from its parts (position, values), gaps filled as missing."""
    first = parts[0][1]
    pieces = []
    at = 0
    for start, values in parts:
        if start > at:
            pieces.append(_filler(first, start - at))
        pieces.append(values)
        at = start + len(values)
    if at < n_rows:
        pieces.append(_filler(first, n_rows - at))
    if isinstance(first, pd.Categorical):
        return union_categoricals(pieces, sort_categories=True)
    return np.concatenate(pieces)


def _filler(like, n_rows):
    if isinstance(like, pd.Categorical):
        return pd.Categorical.from_codes(np.full(n_rows, -1, dtype=np.int8),
                                         categories=like.categories[:0])
    if like.dtype == np.int8:
        return np.full(n_rows, -1, dtype=np.int8)
    if like.dtype == bool:
        return np.zeros(n_rows, dtype=bool)
    return np.full(n_rows, np.nan)


# --- all files together -------------------------------------------------------


def _finish(columns, result, split_gap_s, strict):
    """Order, deduplicate, split into flights, flag suspect fixes; the table."""
    n_rows = columns.pop("_rows", [0])[-1]
    data = {}
    for name in list(columns):
        data[name] = _joined(columns.pop(name), n_rows)  # frees the parts as it goes
    if n_rows == 0:
        return _empty_table()

    # order by aircraft and time; find duplicates on the two sort keys and the
    # position, then move every other column once, duplicates left out
    order = clean.sort_order(data["aircraft"].codes, data["time"])
    codes = data["aircraft"].codes[order]
    keys = ("time", "lon", "lat")  # put in order first: duplicates are judged on them
    for name in keys:
        data[name] = data[name][order]  # one column at a time: the old one is freed
    same, conflicting = clean.duplicates(codes, data["time"], data["lon"], data["lat"])
    for reason, rows in zip(clean.REJECT_REASONS[4:], (same, conflicting)):
        _reject_by_file(result, reason, data["file"][order[rows]], data["line"][order[rows]])
    if strict:
        for report in result.files:
            _refuse_rejections(report)
    keep = ~(same | conflicting)
    del same, conflicting
    if not keep.all():
        order, codes = order[keep], codes[keep]
        for name in keys:
            data[name] = data[name][keep]
    del keep
    n_files = len(result.files)
    moved = order[clean.reordered(codes, order)]
    for report, count in zip(result.files, np.bincount(data["file"][moved], minlength=n_files)):
        report.reordered += int(count)
    del moved, data["line"]
    for name in list(data):
        if name == "aircraft":
            data[name] = pd.Categorical.from_codes(codes, dtype=data[name].dtype)
        elif name not in keys:
            data[name] = data[name][order]
    del order

    starts = clean.flight_starts(codes, data["time"], split_gap_s, data["keep_whole"])
    first = np.flatnonzero(starts)
    flight_of_row = np.cumsum(starts) - 1
    aircraft_names = np.asarray(data["aircraft"].categories, dtype=object)[codes[first]]
    names = clean.flight_track_ids(aircraft_names, data["time"][first], data["keep_whole"][first])
    if np.any(names[1:] < names[:-1]):  # a suffix sorts flights otherwise than their keys
        by_name = np.argsort(names, kind="stable")
        rank = np.empty_like(by_name)
        rank[by_name] = np.arange(len(by_name))
        order = np.argsort(rank[flight_of_row], kind="stable")
        for name in list(data):
            data[name] = data[name][order]
        flight_of_row = rank[flight_of_row][order]
        names = names[by_name]
        starts = np.diff(flight_of_row, prepend=-1) != 0
    result.tracks = len(names)

    jump = quality.impossible_jumps(data["lon"], data["lat"], data["time"], starts)
    frozen = quality.frozen_positions(
        data["lon"], data["lat"], data["time"], starts,
        data.get("ground_speed_mps"), data.get("on_ground"),
    )
    suspect = jump | frozen
    if "suspect" in data:
        suspect |= data["suspect"]
    data["suspect"] = suspect
    result.suspect_jump, result.suspect_frozen = int(jump.sum()), int(frozen.sum())
    result.suspect = int(suspect.sum())
    _note_per_file(result, data["file"], jump, frozen)
    for report, count in zip(result.files, np.bincount(data["file"], minlength=n_files)):
        report.rows_accepted = int(count)
    track_id = pd.Categorical.from_codes(flight_of_row, categories=pd.Index(names, dtype=STRING_DTYPE))
    return _table(data, track_id)


def _reject_by_file(result, reason, files, lines):
    if len(files) == 0:
        return
    order = np.argsort(files, kind="stable")
    files, lines = files[order], lines[order]
    bounds = np.flatnonzero(np.diff(files)) + 1
    for file_lines, file_index in zip(np.split(lines, bounds), files[np.r_[0, bounds]]):
        result.files[file_index].reject(reason, np.sort(file_lines))


def _note_per_file(result, files, jump, frozen):
    n_files = len(result.files)
    jumps = np.bincount(files[jump], minlength=n_files)
    frozens = np.bincount(files[frozen], minlength=n_files)
    for report, n_jump, n_frozen in zip(result.files, jumps, frozens):
        if n_jump or n_frozen:
            report.note(
                f"flagged suspect: {n_jump} fix(es) at impossible jumps, {n_frozen} frozen"
            )


def _table(data, track_id):
    """The tracks table from sorted compact columns, in table column order."""
    table = {"track_id": _text_series(track_id)}
    table["time"] = pd.Series(pd.DatetimeIndex(data.pop("time").view("datetime64[ns]"))
                              .tz_localize("UTC"))
    for name in ("lon", "lat", "alt_baro_m", "alt_geo_m"):
        table[name] = pd.Series(data.pop(name))
    for name in list(OPTIONAL_TRACK_COLUMNS) + sorted(set(data) - set(OPTIONAL_TRACK_COLUMNS)):
        if name not in data or name in _INTERNAL:
            continue
        values = data.pop(name)
        if name == "on_ground":
            table[name] = pd.Series(pd.arrays.BooleanArray(values == 1, values < 0))
        elif isinstance(values, pd.Categorical):
            table[name] = _text_series(values)
        else:
            table[name] = pd.Series(values)
    return pd.DataFrame(table, copy=False)  # no copy into one block of floats


def _text_series(categorical):
    """A text Series (the table's string dtype) from a categorical, decoded by pyarrow."""
    categories = pa.array(np.asarray(categorical.categories, dtype=object), type=pa.string())
    codes = pa.array(categorical.codes, mask=categorical.codes < 0)
    decoded = pa.DictionaryArray.from_arrays(codes, categories).dictionary_decode()
    return pd.Series(pd.array(decoded, dtype=STRING_DTYPE))


def _empty_table():
    columns = {name: pd.Series(dtype=dtype) for name, dtype in TRACK_COLUMNS.items()}
    columns["suspect"] = pd.Series(dtype=bool)
    columns["time"] = pd.Series(dtype=TIME_DTYPE)
    return pd.DataFrame(columns)
