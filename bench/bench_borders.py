"""Time to build sovereign airspace cold, to load it from the cache, and to build the world.

Run from the repository root::

    python bench/bench_borders.py [--repeats N] [--no-world]

One process. Each cold build runs with an empty cache directory of its own
(the process's ``TimezoneFinder`` and country table stay warm: their one-off
cost is printed first). Figures:

``cold build``
    ``borders.sovereign_airspace(code)`` with an empty cache: the zones read,
    dissolved and written as GeoParquet; median of N runs.
``baseline``
    the plain way with timezonefinder's public API: ``get_geometry`` for each
    of the state's zones, polygons from its lists, ``shapely.union_all``;
    one run, no cache written. The ratio is baseline time / cold build time.
``load``
    the same call again, from the cache; median of N runs.
``world``
    ``borders.sovereign_airspace()`` (every state with its dependencies) with
    an empty cache, once; then once more from the cache.
``over_land``
    points per second of ``borders.over_land`` on 200,000 seeded random
    points over the Baltic (median of N), against the one-liner baseline
    ``STRtree(land).query(points, predicate="intersects")`` (one run).

No timing is asserted anywhere: this script only prints.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import time

import numpy as np
import shapely

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import borders  # noqa: E402
from borders.timezones import finder  # noqa: E402

STATES = ("EST", "POL", "RUS")


def _seconds(call):
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _baseline(iso_a3):
    """The state's airspace through get_geometry and union_all, as one would write it first."""
    tf = finder()
    polygons = []
    for zone in borders.lookup(iso_a3)["time_zones"].split():
        for rings in tf.get_geometry(tz_name=zone, coords_as_pairs=False):
            shell, *holes = [np.column_stack(ring) for ring in rings]
            polygons.append(shapely.Polygon(shell, holes))
    return shapely.union_all(shapely.make_valid(np.array(polygons, dtype=object)))


def _in_empty_cache(call):
    with tempfile.TemporaryDirectory() as directory:
        os.environ[borders.CACHE_DIR_VARIABLE] = directory
        return _seconds(call)


def _over_land_rates(repeats):
    """Points/s of borders.over_land and of the STRtree-predicate baseline, same points."""
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(14.0, 28.0, 200_000), rng.uniform(53.0, 60.0, 200_000)
    land = borders.land().geometry.values
    borders.over_land(0.0, 0.0)  # read and index the land once, outside the timing
    fast = statistics.median(_seconds(lambda: borders.over_land(lon, lat)) for _ in range(repeats))
    tree = shapely.STRtree(land)
    started = time.perf_counter()
    hits = np.zeros(len(lon), dtype=bool)
    hits[tree.query(shapely.points(lon, lat), predicate="intersects")[0]] = True
    baseline = time.perf_counter() - started
    assert (hits == borders.over_land(lon, lat)).all(), "over_land disagrees with its baseline"
    return len(lon) / fast, len(lon) / baseline


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per median (default 3)")
    parser.add_argument("--no-world", action="store_true", help="skip the whole-world build")
    args = parser.parse_args()

    print(f"data: {borders.sources.build_stamp()}")
    print(
        f"one-off per process: country table {_seconds(borders.countries):.2f} s, "
        f"TimezoneFinder {_seconds(finder):.2f} s"
    )
    print(
        f"{'state':6} {'cold build':>11} {'baseline':>9} {'ratio':>6} {'load':>8} {'build/load':>11} {'vertices':>9}"
    )
    for iso_a3 in STATES:
        build = functools.partial(borders.sovereign_airspace, iso_a3)
        cold = [_in_empty_cache(build) for _ in range(args.repeats)]
        with tempfile.TemporaryDirectory() as directory:
            os.environ[borders.CACHE_DIR_VARIABLE] = directory
            geometry = borders.sovereign_airspace(iso_a3).geometry.iloc[0]
            load = [_seconds(build) for _ in range(args.repeats + 2)]
        baseline = _seconds(functools.partial(_baseline, iso_a3))
        cold_s, load_s = statistics.median(cold), statistics.median(load)
        print(
            f"{iso_a3:6} {cold_s:10.3f}s {baseline:8.3f}s {baseline / cold_s:5.1f}x "
            f"{load_s:7.3f}s {cold_s / load_s:10.1f}x {shapely.get_num_coordinates(geometry):9d}"
        )
    if not args.no_world:
        with tempfile.TemporaryDirectory() as directory:
            os.environ[borders.CACHE_DIR_VARIABLE] = directory
            world_build = _seconds(borders.sovereign_airspace)
            world_load = _seconds(borders.sovereign_airspace)
            n_states = len(borders.sovereign_airspace())
        print(
            f"world: {n_states} states with their dependencies, built cold in {world_build:.1f} s, "
            f"loaded from the cache in {world_load:.2f} s ({world_build / world_load:.1f}x)"
        )
    fast, baseline = _over_land_rates(args.repeats)
    print(
        f"over_land: {fast:,.0f} points/s; STRtree predicate baseline {baseline:,.0f} points/s "
        f"({fast / baseline:.1f}x)"
    )


if __name__ == "__main__":
    main()
