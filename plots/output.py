"""Writing pictures: one figure to PNG, SVG or PDF, and every picture of an events table to a folder."""

import itertools
import multiprocessing
import os
import re
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

import matplotlib
import numpy as np

import borders

from plots.incident import airspace_row, incident_map
from plots.overview import event_numbers, overview_map
from plots.png import write_png
from plots.profile import altitude_profile
from plots.style import DPI
from plots.event_timeline import timeline
from plots.labels import where_key

FORMATS = ("png", "svg", "pdf")
"""File formats :func:`save` writes, named by the path's ending."""

TEXT_HINTING = "no_hinting"
"""How glyphs are rendered (matplotlib's ``text.hinting``): unhinted text looks the same at 150 dpi, drawn faster."""


def save(figure, path):
    """Write a figure to `path` as PNG, SVG or PDF (by its ending).

    The figure is left as it is: one made without pyplot is freed with its
    last reference, and can be written again in another format.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    path : str or pathlib.Path
        Ending ``.png``, ``.svg`` or ``.pdf`` (any case).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        For any other ending (nothing is written).

    Examples
    --------
    >>> import tempfile
    >>> from matplotlib.figure import Figure
    >>> figure = Figure()
    >>> _ = figure.add_subplot().plot([0, 1], [0, 1])
    >>> path = save(figure, Path(tempfile.mkdtemp()) / "line.SVG")
    >>> path.name, path.read_text().startswith("<?xml")
    ('line.SVG', True)
    """
    path = Path(path)
    ending = path.suffix.lower().lstrip(".")
    if ending not in FORMATS:
        ending_text = path.suffix or "a file without an ending"
        raise ValueError(f"{path}: cannot write pictures as {ending_text!r}; use .png, .svg or .pdf")
    with matplotlib.rc_context({"text.hinting": TEXT_HINTING}):
        if ending == "png":
            write_png(figure, path, DPI)
        else:
            figure.savefig(path, format=ending, dpi=DPI, facecolor="white")
    return path


def safe_name(text):
    """`text` with anything but letters, digits, ``-`` and ``_`` replaced by ``_``.

    Examples
    --------
    >>> safe_name("SU30 / RFF7012:1")
    'SU30_RFF7012_1'
    """
    return re.sub(r"_+", "_", re.sub(r"[^A-Za-z0-9_-]", "_", str(text))).strip("_") or "track"


def event_file_stem(number, event, digits=3):
    """The file name (no ending) of an event's pictures: ``event-003_SU30-01_LTU``.

    The last part is the state, or for a volume with no state (custom
    airspace) its id; the number has `digits` digits (more for a table of
    thousands of events, so that the names sort in order).

    Examples
    --------
    >>> event_file_stem(3, {"track_id": "SU30 1", "country": "LTU", "airspace_id": "national-LTU"})
    'event-003_SU30_1_LTU'
    >>> event_file_stem(12, {"track_id": "D-KXYZ", "country": float("nan"), "airspace_id": "LF-R 45 A"})
    'event-012_D-KXYZ_LF-R_45_A'
    """
    return f"event-{number:0{digits}d}_{safe_name(event['track_id'])}_{safe_name(where_key(event))}"


SECONDS_PER_PICTURE = 0.25
"""About how long one incident map or profile takes one worker to draw and write, for estimates."""

PARALLEL_FROM_EVENTS = 12
"""Fewer events than this are drawn in the calling process: starting workers would cost more."""

EVENTS_PER_TASK = 8
"""A worker is handed at most this many events of one track at a time."""


def picture_count(n_events, formats=("png",)):
    """How many files :func:`write_event_maps` writes for `n_events`: a map and a profile each, timeline, overview.

    Examples
    --------
    >>> picture_count(2782), picture_count(0)
    (5566, 0)
    """
    return (2 * n_events + 2) * len(formats) if n_events else 0


def default_workers():
    """The worker processes to draw with: the cores this process may use.

    Examples
    --------
    >>> default_workers() >= 1
    True
    """
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def estimated_seconds(n_pictures, workers):
    """Roughly how long `n_pictures` take with `workers` processes (:data:`SECONDS_PER_PICTURE` each).

    Examples
    --------
    >>> round(estimated_seconds(5566, 2))
    698
    """
    return n_pictures * SECONDS_PER_PICTURE / max(workers, 1) + (2.0 if workers > 1 else 0.0)


def write_event_maps(events, tracks, airspace, out_dir, *, formats=("png",), illustrative=False, progress=None,
                     numbers=None, workers=1, all_events=None):
    """Write an incident map and an altitude profile per event, a timeline and an overview.

    The incident maps and profiles are drawn by `workers` processes (a
    ``concurrent.futures.ProcessPoolExecutor``), each handed one track's
    fixes and a few of its events at a time, so that memory stays bounded
    however many events there are; the timeline and the overview are drawn
    meanwhile in the calling process.

    Parameters
    ----------
    events : pandas.DataFrame
        The events table; event N (1, 2, ... in table order, as numbered on
        the overview) gets ``event-NNN_<track>_<where>.<fmt>`` and
        ``event-NNN_<track>_<where>_profile.<fmt>``, where is the state or,
        for custom airspace, the volume's id.
    tracks : pandas.DataFrame
        The tracks table.
    airspace : geopandas.GeoDataFrame
        The airspace table.
    out_dir : str or pathlib.Path
        Created if missing.
    formats : iterable of str
        Any of ``"png"``, ``"svg"``, ``"pdf"``.
    illustrative : bool
        Label every picture "ILLUSTRATIVE SCENARIO — not recorded data".
    progress : callable, optional
        Called with each path written (for a progress bar).
    numbers : sequence of int, optional
        The events' numbers in the file names, when `events` is a selection
        from a larger table (default 1, 2, ... in table order).
    workers : int
        Processes drawing the incident maps and profiles; 1 (or fewer than
        :data:`PARALLEL_FROM_EVENTS` events) draws them in this process.
    all_events : pandas.DataFrame, optional
        The whole table, when `events` is a selection: the timeline and the
        overview show it all (default `events`).

    Returns
    -------
    list of pathlib.Path
        The files written, events in order then timeline and overview;
        none when `all_events` is empty (the timeline and the overview
        alone when `events` is an empty selection of it).

    Raises
    ------
    ValueError
        For an unknown format, or an event whose track or volume is missing.

    Examples
    --------
    >>> import tempfile
    >>> from detect.example_data import example_tables
    >>> events, fixes, volumes = example_tables()
    >>> [path.name for path in write_event_maps(events.head(1), fixes, volumes, tempfile.mkdtemp())]
    ['event-001_EX-DRONE1_EST.png', 'event-001_EX-DRONE1_EST_profile.png', 'timeline.png', 'overview.png']
    """
    formats = [str(fmt).lower().lstrip(".") for fmt in formats]
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"unknown picture format(s) {', '.join(unknown) or '(none given)'}; use {', '.join(FORMATS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    events = events.reset_index(drop=True)
    numbers = event_numbers(events) if numbers is None else list(numbers)
    if len(numbers) != len(events):
        raise ValueError(f"{len(numbers)} event numbers for {len(events)} events")
    all_events = events if all_events is None else all_events
    if not len(all_events):
        return []
    missing = sorted(set(all_events["airspace_id"]) - set(airspace["airspace_id"]))
    if missing:
        raise ValueError(f"airspace: no volume {missing[0]!r}, which the event names")
    report = progress if progress is not None else (lambda path: None)
    digits = max(3, len(str(max(numbers, default=0))), len(str(len(all_events))))
    settings = (formats, illustrative, out_dir, digits)
    tasks = _tasks(events, numbers, tracks)
    if workers <= 1 or len(events) < PARALLEL_FROM_EVENTS:
        written = []
        for fixes, batch in tasks:
            for path in _draw_batch(fixes, batch, airspace, settings):
                report(path)
                written.append(path)
        written += _summary_pictures(all_events, tracks, airspace, settings, report)
        return written
    return _write_in_workers(tasks, tracks, airspace, settings, report, workers, all_events)


def _tasks(events, numbers, tracks):
    """One track's fixes and up to :data:`EVENTS_PER_TASK` of its events (number, row), lazily, in event order."""
    rows_of = {}
    for row, track_id in enumerate(events["track_id"]):
        rows_of.setdefault(track_id, []).append(row)
    positions = tracks.groupby("track_id", sort=False, observed=True).indices
    for track_id, rows in rows_of.items():
        if track_id not in positions:
            raise ValueError(f"tracks: no fix of track {track_id!r}, which the event names")
        fixes = tracks.iloc[np.sort(positions[track_id])]
        for start in range(0, len(rows), EVENTS_PER_TASK):
            chunk = rows[start:start + EVENTS_PER_TASK]
            yield fixes, [(numbers[row], events.iloc[row]) for row in chunk]


def _write(figure, stem, settings):
    formats, _, out_dir, _ = settings
    return [save(figure, out_dir / f"{stem}.{fmt}") for fmt in formats]


def _draw_batch(fixes, batch, airspace, settings):
    """Draw and write the incident map and profile of a few events of one track; the paths written."""
    _, illustrative, _, digits = settings
    written = []
    for number, event in batch:
        stem = event_file_stem(number, event, digits)
        written += _write(incident_map(event, fixes, airspace, illustrative=illustrative), stem, settings)
        volume = airspace_row(airspace, event["airspace_id"])
        written += _write(altitude_profile(event, fixes, volume, illustrative=illustrative), f"{stem}_profile",
                          settings)
    return written


def _summary_pictures(events, tracks, airspace, settings, report):
    _, illustrative, _, _ = settings
    written = []
    for figure, stem in ((timeline(events, illustrative=illustrative), "timeline"),
                         (overview_map(events, tracks, airspace, illustrative=illustrative), "overview")):
        for path in _write(figure, stem, settings):
            report(path)
            written.append(path)
    return written


_worker_airspace = None


def _start_worker(airspace, cache_dir):
    """Keep the airspace table in the worker, and use the same cache of sovereign airspace as the caller."""
    global _worker_airspace
    _worker_airspace = airspace
    if cache_dir is not None:
        os.environ[borders.CACHE_DIR_VARIABLE] = cache_dir


def _worker_batch(fixes, batch, settings):
    return _draw_batch(fixes, batch, _worker_airspace, settings)


def _write_in_workers(tasks, tracks, airspace, settings, report, workers, all_events):
    """Hand the tasks to `workers` processes, a few in flight per worker; draw timeline and overview meanwhile."""
    context = multiprocessing.get_context("spawn")
    cache_dir = os.environ.get(borders.CACHE_DIR_VARIABLE)
    done = {}
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                             initargs=(airspace, cache_dir)) as pool:
        pending = {}
        tasks = enumerate(tasks)
        try:
            summary = None
            for index, (fixes, batch) in itertools.islice(tasks, 3 * workers):
                pending[pool.submit(_worker_batch, fixes, batch, settings)] = index
            summary = _summary_pictures(all_events, tracks, airspace, settings, report)
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    index = pending.pop(future)
                    done[index] = future.result()
                    for path in done[index]:
                        report(path)
                for index, (fixes, batch) in itertools.islice(tasks, len(finished)):
                    pending[pool.submit(_worker_batch, fixes, batch, settings)] = index
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return [path for index in sorted(done) for path in done[index]] + summary
