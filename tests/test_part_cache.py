"""The on-disk cache of prepared parts (:mod:`detect.part_cache`).

A part's projected polygon and boundary grid come back from the cache equal
to those stored, bit for bit and dtype for dtype, and the compiled kernels
take the loaded grid as they take a fresh one. The key changes with the
geometry and the working CRS, and with nothing else. A corrupt entry and an
unwritable cache are warnings, never errors.
"""

from __future__ import annotations

import json
import logging
import os

import numpy as np
import pytest
import shapely

import airspace
from detect import nearest, part_cache
from detect.cells import LonLatCells, build_cells
from detect.frame import Frame, spherical_centre_deg
from detect.grid import BoundaryGrid, build_grid
from detect.lateral import lateral_intervals
from detect.part_cache import load_part, part_key, store_part
from detect.volumes import prepare_airspace

SMALL_LONLAT = shapely.Polygon(
    [(24.0, 59.0), (24.3, 59.0), (24.3, 59.2), (24.15, 59.1), (24.0, 59.2)],
    holes=[[(24.05, 59.02), (24.1, 59.02), (24.1, 59.05), (24.05, 59.05)]],
)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache directory of the test's own, set in AIRWARDEN_CACHE_DIR."""
    monkeypatch.setenv("AIRWARDEN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def estonia_view():
    """The prepared (only) view of the (first) part of Estonia's national airspace."""
    part = prepare_airspace(airspace.national("EST")).parts[0]
    return part.views[0].prepare()


def _prepared(geometry_lonlat):
    """A part's polygon in its default frame, its grid and its cells, as a view builds them."""
    frame = Frame.centred_on(geometry_lonlat)
    polygon = frame.polygon_to_frame(geometry_lonlat)
    grid = build_grid(polygon)
    return polygon, grid, build_cells(geometry_lonlat, spherical_centre_deg(geometry_lonlat)[0], frame, grid)


def _assert_same(loaded, polygon, grid, cells):
    loaded_polygon, loaded_grid, loaded_cells = loaded
    assert shapely.equals_exact(loaded_polygon, polygon, tolerance=0.0)
    assert type(loaded_cells) is type(cells)
    if cells is not None:
        _assert_same_fields(loaded_cells, cells)
    _assert_same_fields(loaded_grid, grid)


def _assert_same_fields(loaded, built):
    """Every field of a loaded named tuple is that of the built one: same type, dtype, shape and values."""
    assert type(loaded) is type(built)
    for name in built._fields:
        fresh, back = getattr(built, name), getattr(loaded, name)
        if isinstance(fresh, np.ndarray):
            assert type(back) is np.ndarray, name
            assert back.dtype == fresh.dtype and back.shape == fresh.shape, name
            assert back.flags.c_contiguous and back.flags.writeable and back.flags.aligned, name
            np.testing.assert_array_equal(back, fresh, err_msg=name)
        else:
            assert back == fresh, name


def _stored_small(cache):
    key = part_key(SMALL_LONLAT, None)
    store_part(key, *_prepared(SMALL_LONLAT))
    return key, cache / "prepared-airspace" / key


def test_round_trip_of_a_small_polygon_with_a_hole(cache):
    prepared = _prepared(SMALL_LONLAT)
    key = part_key(SMALL_LONLAT, None)
    assert load_part(key) is None
    store_part(key, *prepared)
    assert sorted(p.name for p in (cache / "prepared-airspace" / key).iterdir()) == sorted(
        [f"{name}.npy" for name in part_cache.GRID_DTYPES] + [f"cells_{name}.npy" for name in part_cache.CELLS_DTYPES]
        + ["polygon.wkb", "meta.json"])
    _assert_same(load_part(key), *prepared)


def test_round_trip_of_a_part_without_cells(cache):
    polygon, grid, _ = _prepared(SMALL_LONLAT)
    key = part_key(SMALL_LONLAT, None)
    store_part(key, polygon, grid, None)
    _assert_same(load_part(key), polygon, grid, None)


def test_round_trip_of_estonia(cache, estonia_view):
    key = part_key(estonia_view.part.geometry_lonlat, None)
    store_part(key, estonia_view.polygon, estonia_view.grid, estonia_view.cells)
    _assert_same(load_part(key), estonia_view.polygon, estonia_view.grid, estonia_view.cells)


def test_the_cache_knows_every_field_of_the_grid():
    """A field added to BoundaryGrid must be added to detect.part_cache too (else nothing is cached)."""
    assert set(part_cache.GRID_DTYPES) | set(part_cache.FLOAT_FIELDS) == set(BoundaryGrid._fields)
    assert set(part_cache.CELLS_DTYPES) | set(part_cache.CELLS_FLOAT_FIELDS) == set(LonLatCells._fields)
    _, grid, cells = _prepared(SMALL_LONLAT)
    assert {name: getattr(grid, name).dtype for name in part_cache.GRID_DTYPES} == part_cache.GRID_DTYPES
    assert {name: getattr(cells, name).dtype for name in part_cache.CELLS_DTYPES} == part_cache.CELLS_DTYPES


def test_loaded_grid_has_the_dtypes_of_a_fresh_grid(cache):
    key, _ = _stored_small(cache)
    _, grid, _ = load_part(key)
    assert {name: getattr(grid, name).dtype for name in part_cache.GRID_DTYPES} == {
        "state": np.int8, "boundary_sat": np.int32, "edge_ptr": np.int64, "edge_ids": np.int32,
        "edges_m": np.float64, "clearance_m": np.float32, "near_edge": np.int32}


def test_compiled_kernels_take_the_loaded_grid_without_compiling_anew(cache, estonia_view):
    key = part_key(estonia_view.part.geometry_lonlat, None)
    store_part(key, estonia_view.polygon, estonia_view.grid, estonia_view.cells)
    polygon, grid, _ = load_part(key)
    rng = np.random.default_rng(12)
    minx, miny, maxx, maxy = shapely.bounds(polygon)
    x = rng.uniform(minx - 5e3, maxx + 5e3, 20_000)
    y = rng.uniform(miny - 5e3, maxy + 5e3, 20_000)

    fresh = nearest.nearest_edges(estonia_view.grid, x, y)
    signatures = len(nearest._search_all.signatures)
    loaded = nearest.nearest_edges(grid, x, y)
    assert len(nearest._search_all.signatures) == signatures  # the same compiled code
    np.testing.assert_array_equal(loaded[0], fresh[0])
    np.testing.assert_array_equal(loaded[1], fresh[1])

    a, b = np.arange(0, len(x) - 1), np.arange(1, len(x))
    shapely.prepare(polygon)
    intervals_fresh = lateral_intervals(estonia_view.grid, estonia_view.covers_xy, x, y, a, b)
    intervals_loaded = lateral_intervals(grid, lambda xs, ys: shapely.intersects_xy(polygon, xs, ys), x, y, a, b)
    for fresh_array, loaded_array in zip(intervals_fresh, intervals_loaded):
        np.testing.assert_array_equal(loaded_array, fresh_array)


def test_key_changes_with_the_geometry_and_the_crs_only():
    key = part_key(SMALL_LONLAT, None)
    assert len(key) == 40 and int(key, 16) >= 0
    same = shapely.from_wkb(shapely.to_wkb(SMALL_LONLAT))
    assert part_key(same, None) == key
    assert part_key(shapely.Polygon(SMALL_LONLAT.exterior, SMALL_LONLAT.interiors), None) == key

    coords = shapely.get_coordinates(SMALL_LONLAT)
    nudge = np.where(np.arange(coords.size) == 3, 1e-12, 0.0).reshape(-1, 2)
    nudged = shapely.set_coordinates(SMALL_LONLAT, coords + nudge)
    assert part_key(nudged, None) != key  # one coordinate, by a few bits
    assert part_key(shapely.Polygon(SMALL_LONLAT.exterior), None) != key  # no hole
    assert part_key(shapely.MultiPolygon([SMALL_LONLAT]), None) != key  # same coordinates, another type
    # The same vertices, grouped into other rings: the offsets count.
    square = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
    other = [(2.0, 0.0), (3.0, 0.0), (3.0, 1.0), (2.0, 1.0), (2.0, 0.0)]
    two = shapely.MultiPolygon([shapely.Polygon(square), shapely.Polygon(other)])
    one_with_hole = shapely.MultiPolygon([shapely.Polygon(square, holes=[other])])
    assert part_key(two, None) != part_key(one_with_hole, None)

    assert part_key(SMALL_LONLAT, "EPSG:3301") != key
    assert part_key(SMALL_LONLAT, "EPSG:3301") == part_key(SMALL_LONLAT, "EPSG:3301")
    assert part_key(SMALL_LONLAT, "EPSG:3301") != part_key(SMALL_LONLAT, "EPSG:3035")
    assert part_key(SMALL_LONLAT, "") != key  # an empty CRS text is not the default frame


def test_key_changes_with_the_code_version(monkeypatch):
    key = part_key(SMALL_LONLAT, None)
    monkeypatch.setattr(part_cache, "CACHE_VERSION", "another")
    assert part_key(SMALL_LONLAT, None) != key


def _rewrite_npy(path, array):
    with open(path, "wb") as file:
        np.save(file, array, allow_pickle=False)


@pytest.mark.parametrize("damage", [
    "truncated npy", "npy grown", "garbage meta", "meta not an object", "wrong dtype", "wrong dtype in meta",
    "wrong shape", "missing npy", "missing meta", "garbage polygon", "truncated polygon", "other key",
    "other version", "inconsistent shapes", "pickled object array", "truncated cells", "cells of other shapes",
    "cells of no size",
])
def test_a_corrupt_entry_is_a_warning_and_is_removed(cache, caplog, damage):
    key, directory = _stored_small(cache)
    meta_path = directory / "meta.json"
    meta = json.loads(meta_path.read_text())
    state = np.load(directory / "state.npy")
    if damage == "truncated npy":
        data = (directory / "clearance_m.npy").read_bytes()
        (directory / "clearance_m.npy").write_bytes(data[: len(data) - 5])
    elif damage == "npy grown":
        with open(directory / "edges_m.npy", "ab") as file:
            file.write(b"\0" * 8)
    elif damage == "garbage meta":
        meta_path.write_bytes(b"\x00\xff{not json")
    elif damage == "meta not an object":
        meta_path.write_text("[1, 2]")
    elif damage == "wrong dtype":
        _rewrite_npy(directory / "edge_ptr.npy", np.load(directory / "edge_ptr.npy").astype(np.int32))
    elif damage == "wrong dtype in meta":
        meta["arrays"]["near_edge"]["dtype"] = "<i8"
        meta_path.write_text(json.dumps(meta))
    elif damage == "wrong shape":
        _rewrite_npy(directory / "state.npy", state[:-1])
    elif damage == "missing npy":
        (directory / "near_edge.npy").unlink()
    elif damage == "missing meta":
        meta_path.unlink()
    elif damage == "garbage polygon":
        (directory / "polygon.wkb").write_bytes(b"\x01\x03garbage" + b"\0" * (meta["polygon_bytes"] - 9))
    elif damage == "truncated polygon":
        (directory / "polygon.wkb").write_bytes((directory / "polygon.wkb").read_bytes()[:-16])
    elif damage == "other key":
        meta["key"] = "0" * 40
        meta_path.write_text(json.dumps(meta))
    elif damage == "other version":
        meta["cache_version"] = "0"
        meta_path.write_text(json.dumps(meta))
    elif damage == "inconsistent shapes":  # state and meta agree, the other arrays do not fit them
        _rewrite_npy(directory / "state.npy", state[:, :-1])
        meta["arrays"]["state"]["shape"] = list(state[:, :-1].shape)
        meta_path.write_text(json.dumps(meta))
    elif damage == "truncated cells":
        data = (directory / "cells_depth_hi_m.npy").read_bytes()
        (directory / "cells_depth_hi_m.npy").write_bytes(data[: len(data) - 4])
    elif damage == "cells of other shapes":
        settled = np.load(directory / "cells_settled.npy")
        _rewrite_npy(directory / "cells_settled.npy", settled[:-1])
        meta["cells"]["arrays"]["settled"]["shape"] = list(settled[:-1].shape)
        meta_path.write_text(json.dumps(meta))
    elif damage == "cells of no size":
        meta["cells"]["floats"]["cell_lat_deg"] = 0.0
        meta_path.write_text(json.dumps(meta))
    elif damage == "pickled object array":
        np.save(directory / "state.npy", np.array([object()] * state.size).reshape(state.shape), allow_pickle=True)

    with caplog.at_level(logging.WARNING, logger="airwarden"):
        assert load_part(key) is None
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and warnings[0].name == "airwarden"
    assert key in warnings[0].getMessage() and "unreadable" in warnings[0].getMessage()
    assert not directory.exists()  # removed, to be built and stored again

    caplog.clear()
    prepared = _prepared(SMALL_LONLAT)
    store_part(key, *prepared)
    _assert_same(load_part(key), *prepared)
    assert not caplog.records


def test_a_missing_entry_is_none_without_a_warning(cache, caplog):
    with caplog.at_level(logging.DEBUG, logger="airwarden"):
        assert load_part(part_key(SMALL_LONLAT, None)) is None
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_storing_again_replaces_the_entry(cache):
    key, directory = _stored_small(cache)
    prepared = _prepared(SMALL_LONLAT)
    store_part(key, *prepared)
    _assert_same(load_part(key), *prepared)
    assert [p.name for p in directory.parent.iterdir()] == [key]  # no temporary directory left


def test_a_bad_key_is_refused(cache):
    for key in ["../../etc", "ABCDEF" * 7, "", part_key(SMALL_LONLAT, None)[:-1]]:
        with pytest.raises(ValueError, match="not a prepared-part cache key"):
            load_part(key)
        with pytest.raises(ValueError, match="not a prepared-part cache key"):
            store_part(key, *_prepared(SMALL_LONLAT))


def test_an_unwritable_cache_directory_is_a_warning(tmp_path, monkeypatch, caplog):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user (root) who may write into a read-only directory")
        monkeypatch.setenv("AIRWARDEN_CACHE_DIR", str(locked))
        _assert_store_only_warns(caplog)
    finally:
        locked.chmod(0o700)


def test_a_cache_directory_that_is_a_file_is_a_warning(tmp_path, monkeypatch, caplog):
    """As the test above, but it holds for root too."""
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    monkeypatch.setenv("AIRWARDEN_CACHE_DIR", str(not_a_directory))
    _assert_store_only_warns(caplog)


def _assert_store_only_warns(caplog):
    """Storing in the cache directory set gives one warning and stores nothing."""
    key = part_key(SMALL_LONLAT, None)
    with caplog.at_level(logging.WARNING, logger="airwarden"):
        store_part(key, *_prepared(SMALL_LONLAT))
        assert load_part(key) is None
    assert [record.levelno for record in caplog.records] == [logging.WARNING]
    assert "could not write" in caplog.records[0].getMessage()


def test_a_grid_of_unexpected_dtypes_is_not_stored(cache, caplog):
    polygon, grid, cells = _prepared(SMALL_LONLAT)
    key = part_key(SMALL_LONLAT, None)
    with caplog.at_level(logging.WARNING, logger="airwarden"):
        store_part(key, polygon, grid._replace(edge_ptr=grid.edge_ptr.astype(np.int32)), cells)
    assert "unexpected dtype" in caplog.text
    assert load_part(key) is None
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="airwarden"):
        store_part(key, polygon, grid, cells._replace(depth_hi_m=cells.depth_hi_m.astype(np.float64)))
    assert "unexpected dtype" in caplog.text
    assert load_part(key) is None


def test_entries_of_other_code_versions_are_pruned_when_old(cache, monkeypatch):
    key, directory = _stored_small(cache)
    meta = json.loads((directory / "meta.json").read_text())
    meta["code_version"] = "an older one"
    (directory / "meta.json").write_text(json.dumps(meta))
    recent = cache / "prepared-airspace" / ("1" * 40)
    recent.mkdir()
    (recent / "meta.json").write_text(json.dumps(meta))
    abandoned = cache / "prepared-airspace" / f".{'2' * 40}.abc.tmp"
    abandoned.mkdir()
    day_ago = directory.stat().st_mtime - 2 * 86_400
    os.utime(directory, (day_ago, day_ago))
    os.utime(abandoned, (day_ago, day_ago))
    monkeypatch.setattr(part_cache, "_pruned_roots", set())

    other = shapely.box(25.0, 58.0, 25.1, 58.1)
    store_part(part_key(other, None), *_prepared(other))
    assert not directory.exists() and not abandoned.exists()
    assert recent.exists()  # another installation's fresh entry is left alone
    assert load_part(part_key(other, None)) is not None
