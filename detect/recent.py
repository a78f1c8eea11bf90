"""The airspaces prepared by the last few unprepared calls, kept for the next ones.

A user who calls :func:`detect.find_violations` again and again with the same
airspace table, unprepared, should not pay for its preparation each time.
The table's content (every column, the geometry's exact bytes, its CRS) and
the working CRS name a prepared airspace; the last :data:`RECENT_AIRSPACES`
are kept in this process. A table changed in place has other content, so it
is prepared afresh. Shapely geometries never change, so the digest of each
geometry of the kept tables is kept too, with the geometry itself (its
identity then names it): the same table again costs a lookup per row, not a
pass over every vertex.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import pandas as pd

from detect.part_cache import geometry_bytes

#: Prepared airspaces kept in the process, the most recently used first to stay.
RECENT_AIRSPACES = 2

_recent: OrderedDict[str, tuple[object, list]] = OrderedDict()  # key -> (prepared, its (geometry, digest)s)
_digests: dict[int, tuple[object, bytes]] = {}  # id -> (geometry, digest) of the geometries of the tables kept
_lock = threading.Lock()


def recently_prepared(airspace, crs, prepare, **options):
    """``prepare(airspace, crs, **options)``, or the same airspace prepared so by a recent call.

    Parameters
    ----------
    airspace : geopandas.GeoDataFrame
        The airspace table as given.
    crs : pyproj.CRS or str or None
        The working CRS as given.
    prepare : callable
        Makes the prepared airspace (:func:`detect.prepare_airspace`).
    **options
        Passed to `prepare` (such as ``approach_m``), and part of what must match.

    Examples
    --------
    >>> from airspace import read
    >>> from detect import prepare_airspace
    >>> from detect.example_data import EXAMPLE_AIRSPACE
    >>> zone, _ = read(EXAMPLE_AIRSPACE)
    >>> first = recently_prepared(zone, None, prepare_airspace)
    >>> first is recently_prepared(zone.copy(), None, prepare_airspace)
    True
    >>> zone.loc[0, "airspace_id"] = "R2"
    >>> first is recently_prepared(zone, None, prepare_airspace)
    False
    """
    geometry_digests = []
    key = content_key(airspace, (crs, sorted(options.items())) if options else crs, geometry_digests)
    if key is None:
        return prepare(airspace, crs, **options)
    with _lock:
        if key in _recent:
            _recent.move_to_end(key)
            return _recent[key][0]
    prepared = prepare(airspace, crs, **options)
    with _lock:
        _recent[key] = (prepared, geometry_digests)
        while len(_recent) > RECENT_AIRSPACES:
            _recent.popitem(last=False)
        _digests.clear()
        _digests.update((id(geometry), (geometry, digest)) for _, kept in _recent.values()
                        for geometry, digest in kept)
    return prepared


def forget_recent() -> None:
    """Drop the prepared airspaces kept (to free their memory, or to measure a cold call).

    Examples
    --------
    >>> import shapely
    >>> from airspace import make_airspace
    >>> from detect import prepare_airspace
    >>> zone = make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), airspace_id="R1")
    >>> first = recently_prepared(zone, None, prepare_airspace)
    >>> forget_recent()
    >>> first is recently_prepared(zone, None, prepare_airspace)  # prepared afresh
    False
    """
    with _lock:
        _recent.clear()
        _digests.clear()


def content_key(airspace, crs, geometry_digests: list | None = None) -> str | None:
    """A digest of an airspace table's content and a working CRS; None when a column cannot be hashed.

    Each geometry's own digest (:func:`geometry_digest`) is appended to
    `geometry_digests`, if given, with the geometry.

    Examples
    --------
    >>> import shapely
    >>> from airspace import make_airspace
    >>> zone = make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), airspace_id="R1")
    >>> key, digests = content_key(zone, None), []
    >>> len(key), key == content_key(zone.copy(), None, digests), key == content_key(zone, "EPSG:3301")
    (40, True, False)
    >>> len(digests), digests[0][0] is zone.geometry.iloc[0]
    (1, True)
    >>> content_key(zone.assign(notes=[["a list"]]), None) is None  # a column pandas cannot hash
    True
    """
    digest = hashlib.blake2b(digest_size=20, person=b"airwarden-recent")
    digest.update(repr((str(crs), str(getattr(airspace, "crs", None)), list(airspace.columns))).encode())
    try:
        for name in airspace.columns:
            column = airspace[name]
            if column.dtype.name == "geometry":
                for geometry in column.to_numpy():
                    item = geometry_digest(geometry)
                    digest.update(item)
                    if geometry_digests is not None:
                        geometry_digests.append((geometry, item))
            else:
                digest.update(pd.util.hash_pandas_object(column, index=False).to_numpy().tobytes())
    except (TypeError, ValueError, AttributeError):
        return None
    return digest.hexdigest()


def geometry_digest(geometry) -> bytes:
    """A digest of a geometry's exact bytes (:func:`detect.part_cache.geometry_bytes`); kept ones looked up.

    Examples
    --------
    >>> import shapely
    >>> geometry_digest(shapely.box(0, 0, 1, 1)) == geometry_digest(shapely.box(0, 0, 1, 1))
    True
    >>> geometry_digest(shapely.box(0, 0, 1, 1)) == geometry_digest(shapely.box(0, 0, 1, 2))
    False
    """
    with _lock:
        kept = _digests.get(id(geometry))
    if kept is not None and kept[0] is geometry:
        return kept[1]
    digest = hashlib.blake2b(digest_size=20, person=b"airwarden-geom")
    for item in geometry_bytes(geometry):
        digest.update(memoryview(item).nbytes.to_bytes(8, "little"))
        digest.update(item)
    return digest.digest()
