"""The grid search for the nearest boundary edge, against shapely's distance.

:func:`detect.nearest.nearest_edges` walks an annulus of grid cells; these
tests compare it, point by point, with ``shapely.distance`` from the point to
the polygon's boundary (GEOS measures every edge), on polygons with holes,
islands, long and very short edges, and on points deep inside, outside the
grid, on edges and at vertices.
"""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from detect.grid import build_grid
from detect.nearest import nearest_edges


def _check_against_shapely(polygon, x, y):
    grid = build_grid(polygon)
    distance, edge = nearest_edges(grid, x, y)
    boundary = shapely.boundary(polygon)
    expected = shapely.distance(shapely.points(x, y), boundary)
    np.testing.assert_allclose(distance, expected, rtol=1e-12, atol=1e-9)
    # The edge returned is one at that distance.
    x1, y1, x2, y2 = grid.edges_m[edge].T
    edges = shapely.linestrings(np.stack([x1, y1, x2, y2], 1).reshape(-1, 2, 2))
    to_edge = shapely.distance(shapely.points(x, y), edges)
    np.testing.assert_allclose(to_edge, expected, rtol=1e-12, atol=1e-9)


def _fractal_ring(rng, radius, n):
    angle = np.sort(rng.uniform(0, 2 * np.pi, n))
    r = radius * (1 + 0.4 * rng.uniform(-1, 1, n))
    return np.column_stack([r * np.cos(angle), r * np.sin(angle)])


def test_jagged_polygon_with_holes_and_islands():
    rng = np.random.default_rng(7)
    outer = _fractal_ring(rng, 100_000, 3000)
    hole = _fractal_ring(rng, 15_000, 200) + [20_000, -10_000]
    island = shapely.Polygon(_fractal_ring(rng, 3_000, 50) + [200_000, 0])
    polygon = shapely.MultiPolygon([shapely.Polygon(outer, [hole]), island])
    assert polygon.is_valid
    x = rng.uniform(-260_000, 260_000, 4000)  # inside, deep inside, outside and beyond the grid
    y = rng.uniform(-180_000, 180_000, 4000)
    vertices = shapely.get_coordinates(polygon)[rng.choice(len(shapely.get_coordinates(polygon)), 200)]
    edges = build_grid(polygon).edges_m[rng.choice(3000, 200)]
    midpoints = 0.5 * (edges[:, :2] + edges[:, 2:])
    x = np.concatenate([x, vertices[:, 0], midpoints[:, 0]])
    y = np.concatenate([y, vertices[:, 1], midpoints[:, 1]])
    _check_against_shapely(polygon, x, y)


def test_points_on_the_boundary_are_at_distance_zero():
    polygon = shapely.box(0, 0, 1000, 500)
    x, y = np.array([0.0, 1000.0, 300.0, 0.0]), np.array([0.0, 250.0, 500.0, 123.0])
    distance, _ = nearest_edges(build_grid(polygon), x, y)
    np.testing.assert_array_equal(distance, 0.0)


@pytest.mark.parametrize("cell_m", [1.0, 37.0, 400.0])
def test_any_cell_size(cell_m):
    """One long edge among short ones; cells much smaller and larger than the edges."""
    rng = np.random.default_rng(3)
    short = np.column_stack([np.linspace(0, 2000, 200), 1000 + 20 * np.sin(np.linspace(0, 40, 200))])
    polygon = shapely.Polygon(np.vstack([[[0, 0], [2000, 0]], short[::-1]]))
    assert polygon.is_valid
    grid = build_grid(polygon, cell_m=cell_m)
    x, y = rng.uniform(-500, 2500, 500), rng.uniform(-500, 1500, 500)
    distance, _ = nearest_edges(grid, x, y)
    expected = shapely.distance(shapely.points(x, y), shapely.boundary(polygon))
    np.testing.assert_allclose(distance, expected, rtol=1e-12, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_vertices=st.integers(3, 400),
    radius=st.floats(10.0, 1e6),
)
def test_random_star_polygons(seed, n_vertices, radius):
    rng = np.random.default_rng(seed)
    polygon = shapely.Polygon(_fractal_ring(rng, radius, n_vertices))
    if not polygon.is_valid or polygon.area == 0:
        polygon = shapely.make_valid(polygon)
        polygon = shapely.union_all([g for g in shapely.get_parts(polygon) if g.geom_type == "Polygon"])
    if polygon.is_empty:
        return
    x = rng.uniform(-2 * radius, 2 * radius, 300)
    y = rng.uniform(-2 * radius, 2 * radius, 300)
    _check_against_shapely(polygon, x, y)
