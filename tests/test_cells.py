"""Lon/lat cells (detect.cells) against brute force in the frame, and detection with and without them.

A piece the cells settle must lie wholly inside (or wholly outside) the
polygon as shapely sees its straight segment in the frame; the depth bounds
must hold at the fixes and at dense samples along the piece. Then the same
tracks are detected with cells and with every piece projected: the events
must agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from detect import find_violations, prepare_airspace
from detect.cells import build_cells, depth_bounds, settle_pieces
from detect.frame import Frame
from detect.grid import BOUNDARY, INSIDE, OUTSIDE, build_grid
from tracks import make_tracks
from airspace import make_airspace


def star(lon0, lat0, radius_deg, n=400, seed=0):
    """A jagged star polygon around (lon0, lat0): many concave edges near one another."""
    rng = np.random.default_rng(seed)
    angle = np.linspace(0, 2 * np.pi, n, endpoint=False)
    r = radius_deg * (0.55 + 0.45 * rng.random(n))
    lon = lon0 + r * np.cos(angle) / np.cos(np.radians(lat0))
    return shapely.Polygon(np.column_stack([lon, lat0 + r * np.sin(angle)]))


PLACES = {
    "mid-latitude, own frame": (10.0, 50.0, None),
    "mid-latitude, EPSG:3035": (10.0, 50.0, "EPSG:3035"),
    "across the antimeridian": (179.9, -17.0, None),
    "far north": (25.0, 78.0, None),
    "Alaska, EPSG:3338": (-150.0, 62.0, "EPSG:3338"),
}


def cells_of(lon0, lat0, crs):
    polygon_lonlat = star(lon0, lat0, 1.0)
    if lon0 > 179:  # split at the antimeridian, as GeoJSON has it
        world = shapely.box(-180, -90, 180, 90)
        shifted = shapely.transform(polygon_lonlat, lambda xy: xy - np.array([360.0, 0.0]))
        polygon_lonlat = shapely.union(shapely.intersection(polygon_lonlat, world),
                                       shapely.intersection(shifted, world))
    frame = Frame(crs) if crs else Frame.centred_at(lon0, lat0)
    polygon_m = frame.polygon_to_frame(polygon_lonlat)
    cells = build_cells(polygon_lonlat, lon0, frame, build_grid(polygon_m))
    return polygon_m, frame, cells


def random_pieces(cells, lon0, n, seed):
    """Pieces of path over the raster, each up to two cells long."""
    rng = np.random.default_rng(seed)
    ny, nx = cells.settled.shape
    lon_a = lon0 + cells.rel_lon_min_deg + rng.random(n) * nx * cells.cell_lon_deg
    lat_a = cells.lat_min_deg + rng.random(n) * ny * cells.cell_lat_deg
    lon_b = lon_a + rng.normal(0, cells.cell_lon_deg, n)
    lat_b = lat_a + rng.normal(0, cells.cell_lat_deg, n)
    lon = (np.concatenate([lon_a, lon_b]) + 180) % 360 - 180
    return lon, np.concatenate([lat_a, lat_b]), np.arange(n), np.arange(n, 2 * n)


@pytest.mark.parametrize("place", list(PLACES))
def test_settled_pieces_are_wholly_on_their_side(place):
    lon0, lat0, crs = PLACES[place]
    polygon_m, frame, cells = cells_of(lon0, lat0, crs)
    lon, lat, a, b = random_pieces(cells, lon0, 20_000, seed=1)
    state = settle_pieces(cells, lon, lat, a, b)
    # Both sides are settled somewhere, and pieces near the jagged boundary are not.
    assert (state == INSIDE).sum() > 1000 and (state == OUTSIDE).sum() > 1000 and (state == BOUNDARY).sum() > 1000
    x, y = frame.to_xy_m(lon, lat)
    segments = shapely.linestrings(np.stack([np.column_stack([x[a], y[a]]), np.column_stack([x[b], y[b]])], axis=1))
    shapely.prepare(polygon_m)
    assert shapely.covers(polygon_m, segments[state == INSIDE]).all()
    assert not shapely.intersects(polygon_m, segments[state == OUTSIDE]).any()


@pytest.mark.parametrize("place", list(PLACES))
def test_depth_bounds_hold_at_fixes_and_along_pieces(place):
    lon0, lat0, crs = PLACES[place]
    polygon_m, frame, cells = cells_of(lon0, lat0, crs)
    lon, lat, a, b = random_pieces(cells, lon0, 5_000, seed=2)
    x, y = frame.to_xy_m(lon, lat)
    shapely.prepare(polygon_m)
    inside = shapely.contains_xy(polygon_m, x, y)
    whole = np.flatnonzero(inside[a] & inside[b])  # pieces whose ends are inside, taken whole
    lower, upper = depth_bounds(cells, lon, lat, a[whole], b[whole], np.zeros(len(whole)), np.ones(len(whole)))
    boundary = polygon_m.boundary
    depth_at_ends = np.maximum(shapely.distance(shapely.points(x[a[whole]], y[a[whole]]), boundary),
                               shapely.distance(shapely.points(x[b[whole]], y[b[whole]]), boundary))
    assert np.all(lower <= depth_at_ends + 1e-6)
    assert (lower > 0).mean() > 0.3  # the bounds tell something
    t = np.linspace(0, 1, 33)
    sx = x[a[whole], None] + t * (x[b[whole]] - x[a[whole]])[:, None]
    sy = y[a[whole], None] + t * (y[b[whole]] - y[a[whole]])[:, None]
    samples = shapely.points(sx, sy)
    depth_along = np.where(shapely.contains(polygon_m, samples), shapely.distance(samples, boundary), 0.0).max(axis=1)
    assert np.all(depth_along <= upper + 1e-6)
    assert np.isfinite(upper).mean() > 0.5


def test_no_cells_for_a_polar_or_half_globe_part():
    frame = Frame.centred_at(0.0, 88.0)
    cap = shapely.box(-180, 86, 180, 89.5)
    assert build_cells(cap, 0.0, frame, build_grid(frame.polygon_to_frame(cap))) is None
    wide = shapely.box(-100, 10, 100, 11)
    frame = Frame.centred_at(0.0, 10.5)
    assert build_cells(wide, 0.0, frame, build_grid(frame.polygon_to_frame(wide))) is None


@pytest.mark.parametrize("crs", [None, "EPSG:3035"])
def test_events_are_the_same_with_and_without_cells(crs, monkeypatch):
    """Tracks criss-crossing a jagged airspace: cells settle most pieces; the events must not change."""
    zone = make_airspace(star(10.0, 50.0, 1.0, seed=3), airspace_id="STAR")
    rng = np.random.default_rng(4)
    tables = []
    for k in range(60):
        start = np.array([10.0, 50.0]) + rng.normal(0, 0.8, 2)
        heading = rng.uniform(0, 2 * np.pi)
        n = 400
        step = 0.004 * np.array([np.cos(heading) / np.cos(np.radians(50)), np.sin(heading)])
        path = start + np.cumsum(rng.normal(step, 0.001, (n, 2)), axis=0)
        times = pd.Timestamp("2025-09-19", tz="UTC") + pd.to_timedelta(np.arange(n) * 10.0, unit="s")
        tables.append(make_tracks(f"T{k:02d}", times, lon=path[:, 0], lat=path[:, 1]))
    tracks = pd.concat(tables, ignore_index=True)

    with_cells = prepare_airspace(zone, crs)
    view = with_cells.prepare_all().parts[0].views[0]
    settled = settle_pieces(view.cells, tracks["lon"].to_numpy(), tracks["lat"].to_numpy(),
                            np.arange(len(tracks) - 1), np.arange(1, len(tracks)))
    assert (settled != BOUNDARY).mean() > 0.2
    found = find_violations(tracks, with_cells)
    monkeypatch.setattr("detect.volumes.build_cells", lambda *args: None)
    reference = find_violations(tracks, prepare_airspace(zone, crs))
    assert len(found) > 50 and len(found) == len(reference)
    for column in ("track_id", "entry_time", "exit_time", "entry_face", "exit_face", "n_fixes"):
        assert found[column].tolist() == reference[column].tolist(), column
    for column in ("entry_lon", "entry_lat", "exit_lon", "exit_lat"):
        np.testing.assert_allclose(found[column], reference[column], rtol=0, atol=1e-9)
    np.testing.assert_allclose(found["max_depth_m"], reference["max_depth_m"], rtol=0, atol=0.1)
