"""Writing pictures: one figure to PNG, SVG or PDF, and every picture of an events table to a folder."""

import re
from pathlib import Path

from plots.incident import airspace_row, incident_map
from plots.overview import event_numbers, overview_map
from plots.profile import altitude_profile
from plots.style import DPI
from plots.event_timeline import timeline

FORMATS = ("png", "svg", "pdf")
"""File formats :func:`save` writes, named by the path's ending."""


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


def event_file_stem(number, event):
    """The file name (no ending) of an event's pictures: ``event-003_SU30-01_LTU``.

    Examples
    --------
    >>> event_file_stem(3, {"track_id": "SU30 1", "country": "LTU"})
    'event-003_SU30_1_LTU'
    """
    return f"event-{number:03d}_{safe_name(event['track_id'])}_{safe_name(event['country'])}"


def write_event_maps(events, tracks, airspace, out_dir, *, formats=("png",), illustrative=False, progress=None,
                     numbers=None):
    """Write an incident map and an altitude profile per event, a timeline and an overview.

    Parameters
    ----------
    events : pandas.DataFrame
        The events table; event N (1, 2, ... in table order, as numbered on
        the overview) gets ``event-NNN_<track>_<country>.<fmt>`` and
        ``event-NNN_<track>_<country>_profile.<fmt>``.
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

    Returns
    -------
    list of pathlib.Path
        The files written, in order; none for an empty events table.

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
    written = []

    def write(figure, stem):
        for fmt in formats:
            path = save(figure, out_dir / f"{stem}.{fmt}")
            written.append(path)
            if progress is not None:
                progress(path)

    events = events.reset_index(drop=True)
    numbers = event_numbers(events) if numbers is None else list(numbers)
    if len(numbers) != len(events):
        raise ValueError(f"{len(numbers)} event numbers for {len(events)} events")
    for number, (_, event) in zip(numbers, events.iterrows()):
        stem = event_file_stem(number, event)
        write(incident_map(event, tracks, airspace, illustrative=illustrative), stem)
        volume = airspace_row(airspace, event["airspace_id"])
        write(altitude_profile(event, tracks, volume, illustrative=illustrative), f"{stem}_profile")
    if len(events):
        write(timeline(events, illustrative=illustrative), "timeline")
        write(overview_map(events, tracks, airspace, illustrative=illustrative), "overview")
    return written
