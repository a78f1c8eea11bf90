"""The on-disk cache of approach bands of national parts, beside the cache of prepared parts.

A state's band (:func:`detect.band.approach_band`) takes up to a few
seconds to build (about 37 s for the 46 European states at 2 NM), although
the states' borders never change between runs. The band of each national
part is kept on disk at ``<cache dir>/approach-bands/<code>-<key>.wkb``
(:func:`airspace.cache_dir`), where ``<code>`` is a digest of the code that
makes a band (the source of :mod:`detect.band` and :mod:`detect.frame`, and
the versions of shapely, GEOS, pyproj and PROJ) and ``<key>`` one of the
part's geometry and the distance's bits. Entries of other code more than a
day old are removed, once per process, when one is stored. An entry is
written beside its place and renamed into it, so that a reader never sees
half of one; one that does not read back is logged as a WARNING on the
``airwarden`` logger and built again. A cache that cannot be written is a
WARNING, never an error.

Examples
--------
>>> import os, tempfile
>>> from unittest import mock
>>> box = shapely.box(24.0, 59.0, 24.2, 59.1)
>>> with mock.patch.dict(os.environ, {"AIRWARDEN_CACHE_DIR": tempfile.mkdtemp()}):
...     built = cached_band(box, 1000.0)  # built and stored
...     again = cached_band(box, 1000.0)  # read back
...     names = [path.suffix for path in band_root().iterdir()]
>>> again.equals(built), names
(True, ['.wkb'])
"""

from __future__ import annotations

import functools
import hashlib
import logging
import struct
import time
from pathlib import Path

import shapely

from airspace import cache_dir, write_atomically
from detect.part_cache import geometry_bytes

log = logging.getLogger("airwarden")

#: The entries' directory inside :func:`airspace.cache_dir`.
BAND_SUBDIR = "approach-bands"
_STALE_AFTER_S = 86_400.0
_pruned: set[Path] = set()


def cached_band(geometry_lonlat, approach_m: float):
    """The approach band of a part at `approach_m`, from the disk cache or built (and stored).

    Parameters
    ----------
    geometry_lonlat : shapely.Polygon or shapely.MultiPolygon
        The part, EPSG:4326.
    approach_m : float
        The distance, metres.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        As :func:`detect.band.approach_band` gives it.
    """
    from detect.band import approach_band

    path = band_root() / f"{_code_version()}-{_key(geometry_lonlat, approach_m)}.wkb"
    try:
        return shapely.from_wkb(path.read_bytes())
    except FileNotFoundError:
        pass
    except (OSError, shapely.errors.GEOSException) as error:
        log.warning("approach band %s unreadable (%s): built again", path, error)
    band = approach_band(geometry_lonlat, approach_m)
    _store(path, band)
    return band


def band_root() -> Path:
    """The directory of the cached bands (may not exist yet).

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"AIRWARDEN_CACHE_DIR": "/tmp/airwarden-cache"}):
    ...     band_root().as_posix()
    '/tmp/airwarden-cache/approach-bands'
    """
    return Path(cache_dir()) / BAND_SUBDIR


def _key(geometry_lonlat, approach_m: float) -> str:
    """A hex digest of the part's geometry and the distance."""
    digest = hashlib.blake2b(digest_size=20, person=b"airwarden-band")
    for item in (struct.pack("<d", float(approach_m)), *geometry_bytes(geometry_lonlat)):
        digest.update(memoryview(item).nbytes.to_bytes(8, "little"))
        digest.update(item)
    return digest.hexdigest()


@functools.cache
def _code_version() -> str:
    """A digest of the code that makes a band: its modules' source and the geometry libraries' versions."""
    import pyproj

    digest = hashlib.blake2b(digest_size=6)
    here = Path(__file__).resolve().parent
    for name in ("band.py", "frame.py"):
        digest.update((here / name).read_bytes())
    digest.update(repr((shapely.__version__, shapely.geos_version_string, pyproj.__version__,
                        pyproj.proj_version_str)).encode())
    return digest.hexdigest()


def _store(path: Path, band) -> None:
    """Write a band to `path` atomically (:func:`airspace.write_atomically`); a WARNING if it cannot be."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _prune_once(path.parent)
    except OSError:
        pass  # write_atomically says why the cache cannot be written
    write_atomically(path, lambda temporary: Path(temporary).write_bytes(shapely.to_wkb(band)))


def _prune_once(root: Path) -> None:
    """Remove the entries of other code, and abandoned temporary files, more than a day old, once per process."""
    if root in _pruned:
        return
    _pruned.add(root)
    now, current = time.time(), _code_version()
    for entry in root.iterdir():
        try:
            abandoned = entry.suffix == ".tmp" or not entry.name.startswith(current)
            if abandoned and now - entry.stat().st_mtime > _STALE_AFTER_S:
                entry.unlink()
        except OSError:
            continue
