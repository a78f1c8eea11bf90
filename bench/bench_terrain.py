"""What AGL limits over a terrain model cost, against the same limits above sea level.

Run from the repository root::

    python bench/bench_terrain.py [--fixes N] [--repeats R]

One process, one seeded workload (:mod:`workload`: the core benchmark's
fractal airspace and ``N`` fixes, default 200,000), with the tracks' altitudes
redrawn to climb and descend between 0 and 2,500 m, so that many pieces cross
the volume's floor or ceiling. The volume, prepared once outside the timing,
runs from 150 m to 1,500 m:

``MSL limits``
    the baseline: the limits above sea level, one interval per piece;
``AGL, no terrain``
    the ground at sea level (the events say ``ground_assumed``);
``AGL over terrain, 30"`` and ``3"``
    a synthetic terrain model (hills up to 1,200 m) over the airspace, with
    cells of 30 and of 3 arc-seconds (about 900 m and 90 m): the ground is
    sampled every half cell along each piece inside the lateral boundary.

Medians of ``--repeats`` runs (default 5). The machine is shared: read the
ratios (baseline seconds / method seconds). No timing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench_core import build_tables  # noqa: E402
from workload import make_workload  # noqa: E402

from airspace.terrain import Terrain  # noqa: E402
from detect import find_violations, prepare_airspace  # noqa: E402


def hills(bounds_deg, arcsec, seed=0):
    """A terrain model over `bounds_deg` with cells of `arcsec` arc-seconds: smooth hills up to 1,200 m."""
    west, south, east, north = bounds_deg
    cell = arcsec / 3600.0
    columns, rows = int(np.ceil((east - west) / cell)) + 2, int(np.ceil((north - south) / cell)) + 2
    lon = west - cell + cell * np.arange(columns)
    lat = north + cell - cell * np.arange(rows)
    phase = np.random.default_rng(seed).uniform(0, 2 * np.pi, 2)
    heights = 600.0 + 600.0 * np.sin(lon[None, :] * 40.0 + phase[0]) * np.cos(lat[:, None] * 55.0 + phase[1])
    return Terrain(heights.astype(np.float32), west=west - 1.5 * cell, north=north + 1.5 * cell,
                   cell_x=cell, cell_y=cell, source=f'hills {arcsec}"')


def timed(function, repeats):
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixes", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    tracks, zone = build_tables(make_workload(args.fixes, 0))
    rng = np.random.default_rng(1)
    step = np.cumsum(rng.normal(0.0, 60.0, len(tracks)))
    tracks["alt_geo_m"] = tracks["alt_baro_m"] = 1250.0 + 1250.0 * np.sin(step / 2000.0)
    bounds = tuple(zone.total_bounds)
    limits = {"floor_m": 150.0, "ceiling_m": 1500.0}
    msl = zone.assign(floor_ref="MSL", ceiling_ref="MSL", kind="restricted", **limits)
    agl = zone.assign(floor_ref="AGL", ceiling_ref="AGL", kind="restricted", **limits)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        methods = {
            "MSL limits": prepare_airspace(msl),
            "AGL, no terrain": prepare_airspace(agl),
            'AGL over terrain, 30"': prepare_airspace(agl, terrain=hills(bounds, 30)),
            'AGL over terrain, 3"': prepare_airspace(agl, terrain=hills(bounds, 3)),
        }
    print(f"{len(tracks):,} fixes, {tracks['track_id'].nunique():,} tracks; airspace "
          f"{bounds[2] - bounds[0]:.1f} x {bounds[3] - bounds[1]:.1f} degrees")
    print(f"{'method':<24}  {'seconds':>8}  {'M fixes/s':>9}  {'x MSL':>6}  {'events':>7}  ground assumed")
    baseline_s = None
    for name, prepared in methods.items():
        find_violations(tracks, prepared)  # first use: the parts are prepared
        seconds, events = timed(lambda prepared=prepared: find_violations(tracks, prepared), args.repeats)
        baseline_s = baseline_s or seconds
        print(f"{name:<24}  {seconds:>8.3f}  {len(tracks) / seconds / 1e6:>9.2f}  {baseline_s / seconds:>5.2f}x  "
              f"{len(events):>7,}  {int(events['ground_assumed'].sum()):,}")
    print("the machine may be shared: read the ratios, not the seconds.")


if __name__ == "__main__":
    main()
