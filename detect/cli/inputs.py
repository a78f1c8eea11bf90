"""What the commands read: recordings, airspace files and national airspace, with reports on stderr.

Imported by the commands when they run: it imports the readers when called.
"""


import click

from borders import ATTRIBUTION
from detect.cli.say import say
from detect.cli.errors import InputError


_CSV_MAPPING = ("columns", "units", "delimiter")


def read_recordings(paths, reading):
    """The tracks table of recordings, read as the reading options say; the report on stderr.

    Parameters
    ----------
    paths : sequence of pathlib.Path
        Track files and folders.
    reading : dict
        The values of :data:`detect.cli.options.reading_options`. Those not
        given leave :func:`tracks.read`'s defaults; ``delimiter`` counts only
        with a column mapping (``columns`` or ``units``).

    Returns
    -------
    tracks : pandas.DataFrame
    report : tracks.ReadReport

    Raises
    ------
    ValueError
        A missing, empty, unrecognised or broken file, naming it (and the
        line); in strict mode, any rejected row.

    Examples
    --------
    >>> import contextlib, io
    >>> from detect.example_data import EXAMPLE_TRACKS
    >>> with contextlib.redirect_stderr(io.StringIO()):
    ...     fixes, report = read_recordings([EXAMPLE_TRACKS], {"format": None, "columns": {}, "units": {},
    ...                                     "delimiter": ",", "split_gap_s": None, "strict": False})
    >>> fixes["track_id"].nunique(), report.rows_rejected
    (4, 0)
    """
    from tracks.reading import read

    progress = len(paths) > 1 or any(path.is_dir() for path in paths)
    table, report = read(list(paths), progress=progress, **reading_keywords(reading))
    say(str(report))
    return table, report


def reading_keywords(reading):
    """The keyword options of :func:`tracks.read` that the reading options give.

    Those not given are left out (:func:`tracks.read`'s defaults apply);
    ``delimiter`` counts only with a column mapping (``columns`` or ``units``).

    Examples
    --------
    >>> reading_keywords({"format": None, "columns": {}, "units": {}, "delimiter": ";",
    ...                   "split_gap_s": 600.0, "strict": False})
    {'split_gap_s': 600.0, 'strict': False}
    """
    mapped = bool(reading["columns"] or reading["units"])
    return {
        name: value for name, value in reading.items()
        if value is not None and (mapped or name not in _CSV_MAPPING)
    }


def airspace_table(paths, countries, *, dependencies=True):
    """The airspace table of airspace files and national airspace, reports on stderr.

    Parameters
    ----------
    paths : sequence of pathlib.Path
        Airspace files (OpenAir or any vector file GDAL reads).
    countries : str or None
        Codes for :func:`airspace.national` (``"EST,FIN"``, ``"EU"``, ``"all"``).
    dependencies : bool, optional
        Count the territories ISO lists apart with their state.

    Returns
    -------
    geopandas.GeoDataFrame
        One airspace table, EPSG:4326.

    Raises
    ------
    InputError
        A file with no usable volume.
    ValueError
        An unknown code, an unreadable file, or an airspace id twice.

    Examples
    --------
    >>> import contextlib, io
    >>> from detect.example_data import EXAMPLE_AIRSPACE
    >>> with contextlib.redirect_stderr(io.StringIO()):
    ...     zones = airspace_table([EXAMPLE_AIRSPACE], None)
    >>> sorted(zones["kind"])
    ['danger', 'restricted']
    """
    import geopandas as gpd
    import pandas as pd

    from airspace import national
    from airspace import read as read_airspace

    parts = []
    if countries:
        parts.append(national(countries, dependencies=dependencies))
        say(f"national airspace of {_listed(list(parts[-1]['name']))}")
        say(ATTRIBUTION)
    for path in paths:
        table, report = read_airspace(path)
        say(str(report))
        if table.empty:
            raise InputError(f"{path}: no usable airspace volume in the file")
        parts.append(table)
    table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    duplicated = table["airspace_id"][table["airspace_id"].duplicated()]
    if len(duplicated):
        raise ValueError(f"airspace id {duplicated.iloc[0]!r} comes more than once; ids must be unique")
    return gpd.GeoDataFrame(table, geometry="geometry", crs="EPSG:4326")


def _listed(names, most=40, shown=8):
    """`names` joined for a message; a list longer than `most` (``--against all``) shortened."""
    if len(names) <= most:
        return ", ".join(names)
    first = ", ".join(names[:shown])
    return f"{len(names)} states and territories: {first}, ... and {len(names) - shown} more"


def terrain_model(airspace, terrain_path):
    """The terrain model under the AGL limits of `airspace`, read from `terrain_path`; None without one.

    Only the window over the volumes with AGL limits is read; with no such
    volume a warning says the model is not used, and it is not read
    (:func:`detect.volumes.terrain_under`).

    Examples
    --------
    >>> from airspace import read
    >>> from detect.example_data import EXAMPLE_AIRSPACE
    >>> zones, _ = read(EXAMPLE_AIRSPACE)
    >>> terrain_model(zones, None) is None
    True
    """
    if terrain_path is None:
        return None
    from detect.volumes import terrain_under

    return terrain_under(airspace, terrain_path)


def activated(airspace, activation):
    """`airspace` with the windows of ``--active`` or ``--activation``; a message on stderr.

    Parameters
    ----------
    airspace : geopandas.GeoDataFrame
    activation : dict
        The values of :data:`detect.cli.options.activation_options`:
        ``interval`` (a window for every volume) and ``table_path`` (an
        activation CSV file, :func:`airspace.read_activation`); at most one.

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    click.UsageError
        When both are given.
    ValueError
        A bad activation file, naming it and the line.

    Examples
    --------
    >>> import contextlib, io
    >>> from airspace import read, parse_interval
    >>> from detect.example_data import EXAMPLE_AIRSPACE
    >>> zones, _ = read(EXAMPLE_AIRSPACE)
    >>> window = parse_interval("2025-09-19T06:00Z/2025-09-19T09:00Z")
    >>> with contextlib.redirect_stderr(io.StringIO()):
    ...     active = activated(zones, {"interval": window, "table_path": None})
    >>> active["valid_to"].astype(str).unique().tolist()
    ['2025-09-19 09:00:00+00:00']
    """
    interval, table_path = activation["interval"], activation["table_path"]
    if interval is not None and table_path is not None:
        raise click.UsageError("give --active or --activation, not both")
    if interval is None and table_path is None:
        return airspace
    from airspace.activation import activate, activate_all, merge_windows, read_activation

    if interval is not None:
        say(f"every volume active from {_when(interval[0])} to {_when(interval[1])}")
        return activate_all(airspace, *interval)
    windows = read_activation(table_path, airspace["airspace_id"])
    say(f"{table_path}: {len(windows)} activation window(s) for "
        f"{windows['airspace_id'].nunique()} of {len(airspace)} volume(s)")
    merged = merge_windows(windows)
    if len(merged) < len(windows):
        before, after = windows["airspace_id"].value_counts(), merged["airspace_id"].value_counts()
        joined = sorted(before.index[before > after.reindex(before.index)])
        say(f"{table_path}: joined the windows of {len(joined)} volume(s) that overlap or touch, "
            f"{len(windows)} window(s) into {len(merged)}: {', '.join(joined[:8])}{', ...' if len(joined) > 8 else ''}")
    return activate(airspace, merged)


def _when(time):
    """A window's end for a message: ISO 8601, or 'open' for NaT."""
    return "open" if time is None or time != time else time.isoformat()
