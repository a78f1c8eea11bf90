"""The on-disk cache of built borders: where it is, and reading and writing it safely.

Each cached item is one GeoParquet file of keyed geometries with a
``build_stamp`` column (see :func:`borders.sources.build_stamp`). A file is
used only if it reads and its stamp is the current one; a missing, stale or unreadable file is rebuilt (an
unreadable one with a warning), never a crash. Files are written to a
temporary name and renamed into place, so that another process never reads
half a file.
"""

import json
import logging
import os
import tempfile
from pathlib import Path

import geopandas as gpd
import platformdirs
import pyarrow.parquet as pq
import shapely

CACHE_DIR_VARIABLE = "AIRWARDEN_CACHE_DIR"
"""The environment variable that, when set, names the cache directory."""

log = logging.getLogger("airwarden")


def cache_dir():
    """The directory where airwarden caches what it builds.

    Returns
    -------
    pathlib.Path
        ``$AIRWARDEN_CACHE_DIR`` if set and not empty, else the user's cache
        directory for ``airwarden`` (``~/.cache/airwarden`` on Linux). It may
        not exist yet.

    Examples
    --------
    >>> cache_dir().is_absolute()
    True
    """
    override = os.environ.get(CACHE_DIR_VARIABLE, "").strip()
    return Path(override) if override else Path(platformdirs.user_cache_dir("airwarden"))


def read_cached(path, stamp):
    """The geometries cached at `path`, or None if they must be built.

    Parameters
    ----------
    path : pathlib.Path
        A file written by :func:`write_cached`.
    stamp : str
        The current build stamp.

    Returns
    -------
    dict of str to shapely.Geometry, or None
        The geometries by key; None when the file is missing, stale (another
        stamp; logged at INFO) or unreadable (logged as a WARNING with the
        reason).

    Notes
    -----
    The file is read with pyarrow and its WKB decoded by shapely, without
    geopandas: parsing the CRS stored in each GeoParquet file costs pyproj
    about 0.1 s, more than reading the rest. The CRS is always EPSG:4326,
    since :func:`write_cached` writes nothing else.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "squares.parquet"
    >>> write_cached({"AAA": shapely.box(0, 0, 1, 1)}, path, "stamp 1")
    >>> read_cached(path, "stamp 1")["AAA"].area
    1.0
    >>> read_cached(path, "stamp 2") is None  # stale: built with another stamp
    True
    """
    if not path.exists():
        return None
    try:
        columns = pq.read_table(path, columns=["key", "geometry", "build_stamp"]).to_pydict()
        stamps = set(columns["build_stamp"])
        geometries = dict(zip(columns["key"], shapely.from_wkb(columns["geometry"])))
    except Exception as exc:  # noqa: BLE001 - any unreadable file is rebuilt, whatever broke
        reason = (str(exc).splitlines() or [""])[0]
        log.warning(
            "cache file %s is unreadable (%s: %s); rebuilding it", path, type(exc).__name__, reason
        )
        return None
    if stamps != {stamp}:
        found = ", ".join(sorted(map(str, stamps))) or "none"
        log.info("cache file %s is stale (built with %s); rebuilding it", path, found)
        return None
    return geometries


def write_cached(geometries, path, stamp):
    """Write geometries to `path` as GeoParquet with their build stamp, atomically.

    Parameters
    ----------
    geometries : dict of str to shapely.Geometry
        Lon/lat degrees, by key (an ISO 3166-1 alpha-3 code, say).
    path : pathlib.Path
        Its directory is created if missing.
    stamp : str
        The build stamp to store.

    Notes
    -----
    The file is ordinary GeoParquet (columns ``key``, ``build_stamp``,
    ``geometry``, EPSG:4326) that any GIS reads. A cache that cannot be
    written (read-only home, full disk) is not an error: a warning says why
    it could not be kept, and the caller still has its result.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "new" / "squares.parquet"
    >>> write_cached({"AAA": shapely.box(0, 0, 1, 1), "BBB": shapely.box(1, 0, 3, 1)}, path, "stamp 1")
    >>> gpd.read_parquet(path)[["key", "build_stamp"]]
       key build_stamp
    0  AAA     stamp 1
    1  BBB     stamp 1
    """
    table = gpd.GeoDataFrame(
        {"key": list(geometries), "build_stamp": stamp},
        geometry=list(geometries.values()),
        crs="EPSG:4326",
    )
    write_atomically(path, lambda temporary: table.to_parquet(temporary, index=False))


def read_cached_json(path, stamp):
    """The value cached at `path` by :func:`write_cached_json`, or None if it must be built.

    None when the file is missing, stale (another stamp) or unreadable, as
    for :func:`read_cached`.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "codes.json"
    >>> write_cached_json({"EE": "EST"}, path, "stamp 1")
    >>> read_cached_json(path, "stamp 1"), read_cached_json(path, "stamp 2")
    ({'EE': 'EST'}, None)
    """
    if not path.exists():
        return None
    try:
        with open(path, encoding="utf-8") as file:
            cached = json.load(file)
        found, value = cached["build_stamp"], cached["value"]
    except Exception as exc:  # noqa: BLE001 - any unreadable file is rebuilt, whatever broke
        log.warning("cache file %s is unreadable (%s: %s); rebuilding it", path, type(exc).__name__, exc)
        return None
    if found != stamp:
        log.info("cache file %s is stale (built with %s); rebuilding it", path, found)
        return None
    return value


def write_cached_json(value, path, stamp):
    """Write a JSON value to `path` with its build stamp, atomically; a warning if it cannot be kept."""
    text = json.dumps({"build_stamp": stamp, "value": value}, ensure_ascii=False)
    write_atomically(path, lambda temporary: Path(temporary).write_text(text, encoding="utf-8"))


def write_atomically(path, write):
    """``write(temporary)`` to a file beside `path`, then renamed to it; a warning if that fails.

    A reader never sees half a file; a cache that cannot be written is a
    WARNING on the ``airwarden`` logger, never an error.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "entry.txt"
    >>> write_atomically(path, lambda temporary: Path(temporary).write_text("kept"))
    >>> path.read_text(), [name.name for name in path.parent.iterdir()]
    ('kept', ['entry.txt'])
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
        os.close(handle)
        try:
            write(temporary)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
    except OSError as exc:
        log.warning(
            "could not write the cache file %s (%s); it will be built again next time", path, exc
        )
