"""The on-disk cache of prepared parts: each part's polygon in its frame, its boundary grid and its cells.

What is cached, and why
-----------------------
Preparing a part of an airspace volume (:meth:`detect.volumes.Part.prepare`)
projects its lon/lat polygon into its working frame and builds its
:class:`detect.grid.BoundaryGrid` and :class:`detect.cells.LonLatCells`.
For the national airspace of the 46 European states (91 parts, 7.9 M grid
cells, 1.9 M vertices) that costs about 2 s per process, on every run of the
command line, although the states' borders never change between runs. This
module keeps the costly results on disk, beside the national-airspace cache, so that a run loads them
instead: the 46 states load in 0.12 s (0.4 s from disk rather than the
page cache; see :func:`load_part`). The frame itself is cheap to make and is
not cached.

Where
-----
``<cache dir>/prepared-airspace/<key>/``, where ``<cache dir>`` is
:func:`airspace.cache_dir` (``$AIRWARDEN_CACHE_DIR``, or the user's cache
directory). Each entry is a directory holding one ``.npy`` file per array of
the grid (``state.npy``, ``boundary_sat.npy``, ...: plain numpy files that
``numpy.load`` reads) and of the cells (``cells_settled.npy``, ...), the
projected polygon as ``polygon.wkb``, and ``meta.json``: the key,
:data:`CACHE_VERSION`, the code fingerprint, the float fields of the grid
and the cells (``"cells": null`` for a part without cells), every array's
dtype and shape, and the polygon's size.
The 46 European states take 270 MB (257 MiB): 239 MB of grid arrays (a quarter of it
``edge_ptr``, int64 per cell) and 31 MB of polygons.

Keyed how
---------
:func:`part_key` is a BLAKE2b digest of everything the result depends on:
the part's lon/lat geometry (its type, every coordinate's bits, and its
polygons' numbers of vertices and holes: the data's version), the working
CRS asked for (None for the default frame centred on the part), and the
code's version: :data:`CACHE_VERSION`, a digest of the source of the modules
that make the result (:mod:`detect.grid`, :mod:`detect.frame` and this one),
and the versions of numpy, scipy, numba, shapely, GEOS, pyproj and PROJ. A
change to any of them gives a new key, so a stale entry is never found; the
entries of other code versions are removed (once per process, when an entry
is stored, if they are more than a day old).

Rebuilt when corrupt
--------------------
An entry is written to a temporary directory and renamed into place, so a
reader never sees half an entry. An entry that does not read back exactly as
described by its ``meta.json`` (missing or truncated file, other dtype or
shape, key or version mismatch, undecodable polygon) is logged as a
WARNING on the ``airwarden`` logger, removed, and reported missing: the
caller builds the part again and stores it. Contents are not checksummed
(hashing 270 MB would cost more than the load); every file's size is
checked against its header, which catches truncation, and the arrays'
shapes against one another, so that the compiled kernels never index
past an array. A cache that cannot be written (read-only, full disk) is a
WARNING, never an error.

Examples
--------
The cache here is a fresh directory (``$AIRWARDEN_CACHE_DIR``):

>>> import os, tempfile
>>> from unittest import mock
>>> import shapely
>>> from detect.frame import Frame
>>> from detect.grid import build_grid
>>> lonlat = shapely.box(24.0, 59.0, 24.2, 59.1)
>>> polygon = Frame.centred_on(lonlat).polygon_to_frame(lonlat)
>>> key = part_key(lonlat, None)
>>> with mock.patch.dict(os.environ, {"AIRWARDEN_CACHE_DIR": tempfile.mkdtemp()}):
...     if load_part(key) is None:  # not cached yet: build and store
...         store_part(key, polygon, build_grid(polygon))
...     polygon_m, grid, cells = load_part(key)
>>> polygon_m.equals(polygon), grid.state.dtype, cells is None
(True, dtype('int8'), True)
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

from airspace import cache_dir
from detect.cells import LonLatCells
from detect.grid import BoundaryGrid

log = logging.getLogger("airwarden")

CACHE_VERSION = "2"
"""The cache's format and code version: bump when the frame, grid or polygon code changes.

The source of :mod:`detect.grid`, :mod:`detect.frame`, :mod:`detect.cells` and this module is
part of every key too (:func:`code_version`), so an edit that forgets the
bump still never reads a stale entry.
"""

CACHE_SUBDIR = "prepared-airspace"
"""The cache entries' directory inside :func:`airspace.cache_dir`."""

GRID_DTYPES = {
    "state": np.dtype(np.int8),
    "boundary_sat": np.dtype(np.int32),
    "edge_ptr": np.dtype(np.int64),
    "edge_ids": np.dtype(np.int32),
    "edges_m": np.dtype(np.float64),
    "clearance_m": np.dtype(np.float32),
    "near_edge": np.dtype(np.int32),
}
"""The dtype of each array of a freshly built grid (:func:`detect.grid.build_grid`).

A loaded grid has exactly these, so that the compiled kernels
(:mod:`detect.lateral`, :mod:`detect.nearest`) reuse their compiled code
rather than compile another specialisation.
"""

FLOAT_FIELDS = ("x0_m", "y0_m", "cell_m")
"""The grid's scalar fields, kept in ``meta.json``."""

CELLS_DTYPES = {
    "settled": np.dtype(np.int8),
    "depth_lo_m": np.dtype(np.float32),
    "depth_hi_m": np.dtype(np.float32),
}
"""The arrays of the part's lon/lat cells (:class:`detect.cells.LonLatCells`), kept as ``cells_<name>.npy``."""

CELLS_FLOAT_FIELDS = ("lon0_deg", "rel_lon_min_deg", "lat_min_deg", "cell_lon_deg", "cell_lat_deg", "scale")
"""The cells' scalar fields, kept in ``meta.json`` (``scale`` may be infinite)."""

KEY_HEX_LENGTH = 40  # blake2b, 20 bytes
_STALE_AFTER_S = 86_400.0
_pruned_roots: set[Path] = set()


def part_key(geometry_lonlat, crs_key: str | None) -> str:
    """The cache key of a part: a hex digest of its geometry, its frame and the code's version.

    Parameters
    ----------
    geometry_lonlat : shapely.Polygon or shapely.MultiPolygon
        The part's polygons, EPSG:4326 (:attr:`detect.volumes.Part.geometry_lonlat`).
    crs_key : str or None
        The working CRS as a text key (a CRS as given, or its WKT); None for
        the default frame centred on the part.

    Returns
    -------
    str
        40 hexadecimal digits (BLAKE2b, 20 bytes) of :data:`CACHE_VERSION`,
        :func:`code_version`, `crs_key` and the geometry (its type, every
        coordinate's bits, and each polygon's number of vertices and of
        holes). About 60 ms for 2 M vertices.

    Examples
    --------
    >>> import shapely
    >>> box = shapely.box(24.0, 59.0, 24.2, 59.1)
    >>> key = part_key(box, None)
    >>> len(key), key == part_key(shapely.box(24.0, 59.0, 24.2, 59.1), None)
    (40, True)
    >>> key == part_key(box, "EPSG:3301"), key == part_key(shapely.box(24.0, 59.0, 24.2, 59.10001), None)
    (False, False)
    """
    digest = hashlib.blake2b(digest_size=KEY_HEX_LENGTH // 2, person=b"airwarden-part")
    crs_text = b"\x00default" if crs_key is None else b"\x01" + str(crs_key).encode()
    for item in (CACHE_VERSION.encode(), code_version().encode(), crs_text, *geometry_bytes(geometry_lonlat)):
        digest.update(memoryview(item).nbytes.to_bytes(8, "little"))
        digest.update(item)
    return digest.hexdigest()


def geometry_bytes(geometry) -> list:
    """A polygonal geometry as byte strings that change whenever it does.

    Its type, its number of dimensions, the number of vertices and of holes
    of each of its polygons, and every coordinate's bits in order. Where the
    rings of a polygon start and end is not stored: it is where each ring
    first returns to its first vertex, unless a ring passes through its own
    first vertex again, which only a repeated vertex does in a valid polygon
    (and changes nothing). Reading the rings themselves would cost shapely
    a copy of them, 30 ms for 2 M vertices; this costs about 60 ms for
    2 M vertices, most of it hashing their 32 MB (140 ms through the WKB,
    which shapely writes vertex by vertex).

    Examples
    --------
    >>> structure, coords = geometry_bytes(shapely.box(0.0, 0.0, 1.0, 1.0))
    >>> np.frombuffer(structure, "<i8").tolist(), coords.shape  # a 2-D Polygon (3): 1 part, 5 vertices, no hole
    ([3, 2, 1, 5, 0], (5, 2))
    """
    if shapely.get_type_id(geometry) not in (3, 6):  # not a (Multi)Polygon: its WKB
        return [b"wkb", shapely.to_wkb(geometry, output_dimension=3, byte_order=1)]
    ndim = 3 if shapely.has_z(geometry) else 2
    coords = np.ascontiguousarray(shapely.get_coordinates(geometry, include_z=ndim == 3), "<f8")
    polygons = shapely.get_parts(geometry)
    structure = np.concatenate([
        [shapely.get_type_id(geometry), ndim, len(polygons)],
        shapely.get_num_coordinates(polygons),
        shapely.get_num_interior_rings(polygons),
    ]).astype("<i8")
    return [structure.tobytes(), coords]


@functools.cache
def code_version() -> str:
    """A digest of the code that makes a prepared part: sources of the modules and library versions.

    Returns
    -------
    str
        A hex digest of the source files of :mod:`detect.grid`,
        :mod:`detect.frame`, :mod:`detect.cells` and :mod:`detect.part_cache`, and of the versions
        of numpy, scipy, numba, shapely, GEOS, pyproj and PROJ; computed once
        per process.

    Examples
    --------
    >>> version = code_version()
    >>> len(version), all(digit in "0123456789abcdef" for digit in version), version is code_version()
    (32, True, True)
    """
    import numba
    import pyproj
    import scipy

    digest = hashlib.blake2b(digest_size=16)
    here = Path(__file__).resolve().parent
    for name in ("grid.py", "frame.py", "cells.py", "part_cache.py"):
        try:
            digest.update((here / name).read_bytes())
        except OSError:  # pragma: no cover - a frozen install without sources: the versions still count
            digest.update(f"no source {name}".encode())
    versions = (np.__version__, scipy.__version__, numba.__version__, shapely.__version__,
                shapely.geos_version_string, pyproj.__version__, pyproj.proj_version_str)
    digest.update(repr(versions).encode())
    return digest.hexdigest()


def cache_root() -> Path:
    """The directory of the prepared parts: ``<cache dir>/prepared-airspace`` (may not exist yet).

    Examples
    --------
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"AIRWARDEN_CACHE_DIR": "/tmp/airwarden-cache"}):
    ...     cache_root().as_posix()
    '/tmp/airwarden-cache/prepared-airspace'
    """
    return Path(cache_dir()) / CACHE_SUBDIR


def load_part(key: str) -> tuple[shapely.Geometry, BoundaryGrid, LonLatCells | None] | None:
    """The projected polygon, grid and lon/lat cells cached under `key`, or None.

    Parameters
    ----------
    key : str
        A key made by :func:`part_key`.

    Returns
    -------
    (shapely.Polygon or shapely.MultiPolygon, BoundaryGrid, LonLatCells or None) or None
        The polygon in frame metres (not yet :func:`shapely.prepare` d), the
        grid and the cells (None if the part has none), equal to those
        stored, their arrays of exactly the dtypes of freshly built ones.
        None when no entry is cached, or when the entry is unreadable or
        corrupt: then a WARNING on the ``airwarden`` logger gives the
        reason, and the entry is removed, for the caller to build and store
        again. Never raises for a bad entry.

    Raises
    ------
    ValueError
        If `key` is not a key made by :func:`part_key`.

    Notes
    -----
    The arrays are read into fresh arrays, not memory-mapped. A memory map
    keeps a file descriptor open while its array lives (Python before 3.13
    duplicates the file's), seven per part: the 304 parts of every state
    would hold over 2,000, past the usual limit of 1,024 (256 on macOS).
    Reading is no slower here: the 46 European states (91 parts, 7.9 M
    cells, 270 MB) load in 0.12 s with the files in the page cache (a third
    of it decoding the polygons' WKB), 0.4 s with the files evicted from it,
    against 1.8 s to build them. Fresh arrays are writeable, aligned and
    contiguous like built ones, so the compiled kernels take them with the
    code already compiled (a read-only memory map is another numba type,
    compiled anew).

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"AIRWARDEN_CACHE_DIR": tempfile.mkdtemp()}):  # an empty cache
    ...     load_part(part_key(shapely.box(24.0, 59.0, 24.2, 59.1), "EPSG:3301")) is None
    True
    """
    directory = cache_root() / _checked(key)
    if not directory.exists():
        return None
    try:
        return _read_entry(directory, key)
    except Exception as exc:  # noqa: BLE001 - any bad entry is rebuilt, whatever broke
        reason = (str(exc).splitlines() or [""])[0]
        log.warning("prepared-airspace cache entry %s is unreadable (%s: %s); rebuilding it",
                    directory, type(exc).__name__, reason)
        shutil.rmtree(directory, ignore_errors=True)
        return None


def store_part(key: str, polygon_m, grid: BoundaryGrid, cells: LonLatCells | None = None) -> None:
    """Cache a part's projected polygon, grid and lon/lat cells under `key`, atomically.

    Parameters
    ----------
    key : str
        A key made by :func:`part_key` from the part's lon/lat geometry.
    polygon_m : shapely.Polygon or shapely.MultiPolygon
        The part's polygon in frame metres.
    grid : BoundaryGrid
        Its grid (:func:`detect.grid.build_grid`).
    cells : LonLatCells, optional
        Its lon/lat cells in the same frame (:func:`detect.cells.build_cells`), if it has any.

    Notes
    -----
    The entry is written to a temporary directory beside its place and
    renamed into place, so that a reader never sees half an entry; an entry
    already there (from another process) is replaced. A cache that cannot be
    written (read-only, full disk) is logged as a WARNING, and nothing is
    raised: the caller has its part and builds it again next time. So is a
    grid whose fields or dtypes are not those this module knows
    (:data:`GRID_DTYPES`, :data:`FLOAT_FIELDS`): it is not stored.

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> from detect.grid import build_grid
    >>> polygon = shapely.box(0.0, 0.0, 1000.0, 500.0)
    >>> key = part_key(shapely.box(24.0, 59.0, 24.2, 59.1), None)
    >>> with mock.patch.dict(os.environ, {"AIRWARDEN_CACHE_DIR": tempfile.mkdtemp()}):
    ...     store_part(key, polygon, build_grid(polygon))
    ...     sorted(path.name for path in cache_root().iterdir()) == [key], load_part(key)[0].equals(polygon)
    (True, True)
    """
    root = cache_root()
    directory = root / _checked(key)
    if set(grid._fields) != set(GRID_DTYPES) | set(FLOAT_FIELDS):
        log.warning("prepared part %s not cached: a grid of fields %s, unknown to detect.part_cache", key, grid._fields)
        return
    wrong = {name: str(np.asarray(getattr(grid, name)).dtype) for name, dtype in GRID_DTYPES.items()
             if np.asarray(getattr(grid, name)).dtype != dtype}
    if cells is not None:
        wrong.update({f"cells {name}": str(np.asarray(getattr(cells, name)).dtype)
                      for name, dtype in CELLS_DTYPES.items() if np.asarray(getattr(cells, name)).dtype != dtype})
    if wrong:
        log.warning("prepared part %s not cached: arrays of unexpected dtype %s", key, wrong)
        return
    temporary = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        _prune_once(root)
        temporary = Path(tempfile.mkdtemp(dir=root, prefix=f".{key}.", suffix=".tmp"))
        _write_entry(temporary, key, polygon_m, grid, cells)
        try:
            os.rename(temporary, directory)
        except OSError:  # an entry is there already (another process's, or one that would not go): replace it
            if not directory.exists():
                raise
            aside = Path(tempfile.mkdtemp(dir=root, prefix=f".{key}.", suffix=".old"))
            try:
                os.rename(directory, aside / "entry")
                os.rename(temporary, directory)
            except OSError:
                if not directory.exists():
                    raise
                # another process has just put its entry in place: keep that one
            finally:
                shutil.rmtree(aside, ignore_errors=True)
        temporary = None
        log.debug("prepared part cached in %s", directory)
    except OSError as exc:
        log.warning("could not write the prepared-airspace cache entry %s (%s); it will be built again next time",
                    directory, exc)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def _checked(key: str) -> str:
    if not (isinstance(key, str) and len(key) == KEY_HEX_LENGTH and all(c in "0123456789abcdef" for c in key)):
        raise ValueError(f"not a prepared-part cache key: {key!r}")
    return key


def _write_entry(directory: Path, key: str, polygon_m, grid: BoundaryGrid, cells: LonLatCells | None) -> None:
    arrays = {name: _save_npy(directory / f"{name}.npy", getattr(grid, name)) for name in GRID_DTYPES}
    cells_meta = None
    if cells is not None:
        cells_meta = {
            "floats": {name: float(getattr(cells, name)) for name in CELLS_FLOAT_FIELDS},
            "arrays": {name: _save_npy(directory / f"cells_{name}.npy", getattr(cells, name)) for name in CELLS_DTYPES},
        }
    wkb = shapely.to_wkb(polygon_m)
    (directory / "polygon.wkb").write_bytes(wkb)
    meta = {
        "key": key,
        "cache_version": CACHE_VERSION,
        "code_version": code_version(),
        "fields": list(BoundaryGrid._fields),
        "floats": {name: float(getattr(grid, name)) for name in FLOAT_FIELDS},
        "arrays": arrays,
        "polygon_bytes": len(wkb),
        "cells": cells_meta,
    }
    (directory / "meta.json").write_text(json.dumps(meta, indent=1))  # last: an entry without it is incomplete


def _save_npy(path: Path, array) -> dict:
    """Save an array as a ``.npy`` file; its dtype and shape, as ``meta.json`` describes them."""
    array = np.ascontiguousarray(array)
    np.save(path, array, allow_pickle=False)
    return {"dtype": array.dtype.str, "shape": list(array.shape)}


def _read_entry(directory: Path, key: str) -> tuple[shapely.Geometry, BoundaryGrid, LonLatCells | None]:
    meta = json.loads((directory / "meta.json").read_text())
    if not isinstance(meta, dict):
        raise ValueError("meta.json is not an object")
    if meta.get("key") != key:
        raise ValueError(f"meta.json is of key {meta.get('key')!r}")
    if meta.get("cache_version") != CACHE_VERSION or meta.get("code_version") != code_version():
        raise ValueError(f"written by another version ({meta.get('cache_version')!r}, {meta.get('code_version')!r})")
    if meta.get("fields") != list(BoundaryGrid._fields):
        raise ValueError(f"grid fields {meta.get('fields')!r}")
    values = {}
    for name in FLOAT_FIELDS:
        value = meta["floats"][name]
        if not isinstance(value, float) or not np.isfinite(value):
            raise ValueError(f"{name} is {value!r}")
        values[name] = value
    for name, dtype in GRID_DTYPES.items():
        values[name] = _read_described(directory / f"{name}.npy", meta["arrays"][name], dtype)
    _check_shapes(values)
    cells = None if meta["cells"] is None else _read_cells(directory, meta["cells"])
    wkb = (directory / "polygon.wkb").read_bytes()
    if len(wkb) != meta["polygon_bytes"]:
        raise ValueError(f"polygon.wkb is {len(wkb)} bytes, expected {meta['polygon_bytes']}")
    polygon = shapely.from_wkb(wkb)
    if shapely.get_type_id(polygon) not in (3, 6) or polygon.is_empty:  # Polygon, MultiPolygon
        raise ValueError(f"polygon.wkb holds a {polygon.geom_type}")
    return polygon, BoundaryGrid(**values), cells


def _read_described(path: Path, described: dict, dtype: np.dtype) -> np.ndarray:
    """An array of a ``.npy`` file as ``meta.json`` describes it."""
    if described["dtype"] != dtype.str:
        raise ValueError(f"meta.json gives {path.stem} the dtype {described['dtype']}, expected {dtype.str}")
    return _read_npy(path, dtype, tuple(described["shape"]))


def _read_cells(directory: Path, meta: dict) -> LonLatCells:
    """The lon/lat cells of an entry, checked like the grid."""
    values = {}
    for name in CELLS_FLOAT_FIELDS:
        value = meta["floats"][name]
        if not isinstance(value, float) or np.isnan(value) or (name != "scale" and not np.isfinite(value)):
            raise ValueError(f"cells {name} is {value!r}")
        values[name] = value
    if not (values["cell_lon_deg"] > 0 and values["cell_lat_deg"] > 0 and values["scale"] > 0):
        raise ValueError("cells of no size")
    for name, dtype in CELLS_DTYPES.items():
        values[name] = _read_described(directory / f"cells_{name}.npy", meta["arrays"][name], dtype)
    shape = values["settled"].shape
    if len(shape) != 2 or any(values[name].shape != shape for name in CELLS_DTYPES):
        raise ValueError(f"cells arrays of shapes {[values[name].shape for name in CELLS_DTYPES]}")
    return LonLatCells(**values)


def _read_npy(path: Path, dtype: np.dtype, shape: tuple) -> np.ndarray:
    """The array of a ``.npy`` file, checked to be of `dtype` and `shape` and exactly as long as that.

    Read into a fresh array, not memory-mapped: see :func:`load_part`.
    """
    with open(path, "rb") as file:
        version = np.lib.format.read_magic(file)
        if version not in ((1, 0), (2, 0)):
            raise ValueError(f"{path.name} is a .npy file of format {version}")
        header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        found_shape, fortran_order, found_dtype = header(file)
        if found_dtype != dtype or found_shape != shape or fortran_order:
            raise ValueError(f"{path.name} holds {found_dtype}{list(found_shape)}{' (Fortran order)' * fortran_order}, "
                             f"expected {dtype}{list(shape)}")
        array = np.empty(shape, dtype)
        size = os.fstat(file.fileno()).st_size
        if size != file.tell() + array.nbytes:
            raise ValueError(f"{path.name} is {size} bytes, expected {file.tell() + array.nbytes}")
        if file.readinto(memoryview(array).cast("B")) != array.nbytes:
            raise ValueError(f"{path.name} is shorter than its header says")
    return array


def _check_shapes(values: dict) -> None:
    """The arrays fit one another, so that the compiled kernels never index past one."""
    state = values["state"]
    if state.ndim != 2 or not values["cell_m"] > 0:
        raise ValueError(f"state of shape {state.shape}, cells of {values['cell_m']} m")
    ny, nx = state.shape
    expected = {"boundary_sat": (ny + 1, nx + 1), "edge_ptr": (ny * nx + 1,), "clearance_m": (ny, nx),
                "near_edge": (ny, nx), "edges_m": (len(values["edges_m"]), 4)}
    for name, shape in expected.items():
        if values[name].shape != shape:
            raise ValueError(f"{name} has shape {values[name].shape}, expected {shape}")
    edge_ptr = values["edge_ptr"]
    if edge_ptr[0] != 0 or values["edge_ids"].shape != (edge_ptr[-1],):
        raise ValueError(f"edge_ids has {len(values['edge_ids'])} entries, edge_ptr ends at {edge_ptr[-1]}")


def _prune_once(root: Path) -> None:
    """Remove entries of other code versions and abandoned temporary directories, once per process.

    Only those more than a day old: two installations of different versions
    sharing one cache do not remove each other's fresh entries.
    """
    if root in _pruned_roots:
        return
    _pruned_roots.add(root)
    now = time.time()
    current = code_version()
    for entry in root.iterdir():
        try:
            if now - entry.stat().st_mtime < _STALE_AFTER_S:
                continue
            if entry.name.startswith("."):
                stale = True
            else:
                meta = json.loads((entry / "meta.json").read_text())
                stale = meta.get("cache_version") != CACHE_VERSION or meta.get("code_version") != current
        except (OSError, ValueError, AttributeError):
            stale = True
        if stale:
            log.debug("removing the stale prepared-airspace cache entry %s", entry)
            shutil.rmtree(entry, ignore_errors=True)
