"""Near approaches: ``find_violations`` with ``approach_m`` against the same call without, on the same fixes.

Run from the repository root::

    python bench/bench_approach.py [--fixes N] [--approach-m M] [--repeats R] [--seed S]

One process. Two workloads, each timed with approaches off (the baseline)
and on, the airspace prepared once outside the timing each way (its approach
bands are built then: that time is printed apart), median of ``R`` runs after
one warm-up call:

one airspace
    the fractal Baltic-sized volume of :mod:`workload` and ``N`` fixes
    crossing it, grazing its border and flying near it;
46 states
    ``airspace.national`` of the 46 European states of
    :mod:`bench_national` and ``N`` fixes of :func:`europe_traffic.europe_traffic`.

Printed: fixes/s each way, the ratio (time on / time off), and the events of
each kind. No timing is asserted anywhere: this script only prints.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def _median_s(function, repeats):
    function()  # warm-up: parts prepared on first use, numba loaded
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _compare(name, tracks, airspace, approach_m, repeats):
    import tempfile
    from unittest import mock

    from detect import find_violations, prepare_airspace

    started = time.perf_counter()
    plain = prepare_airspace(airspace)
    plain_s = time.perf_counter() - started
    with mock.patch.dict(os.environ, {"AIRWARDEN_CACHE_DIR": tempfile.mkdtemp(prefix="bench_approach_")}):
        started = time.perf_counter()
        prepare_airspace(airspace, approach_m=approach_m)  # national bands built, none on disk yet
        cold_s = time.perf_counter() - started
    started = time.perf_counter()
    near = prepare_airspace(airspace, approach_m=approach_m)
    near_s = time.perf_counter() - started
    find_violations(tracks.head(1000), prepare_airspace(airspace))  # numba compiled, for both first calls alike
    started = time.perf_counter()
    find_violations(tracks, plain)
    first_off_s = time.perf_counter() - started
    started = time.perf_counter()
    find_violations(tracks, near)
    first_on_s = time.perf_counter() - started
    off_s = _median_s(lambda: find_violations(tracks, plain), repeats)
    on_s = _median_s(lambda: find_violations(tracks, near), repeats)
    events = find_violations(tracks, near)
    counts = events["event"].value_counts().to_dict()
    n = len(tracks)
    print(f"{name}: {n:,} fixes, approach {approach_m:,.0f} m, {len(plain.parts)} parts")
    print(f"  prepare: off {plain_s:.2f} s; on {cold_s:.2f} s building the bands, {near_s:.2f} s again "
          "(national bands read from the disk cache)")
    print(f"  first call (parts made ready): off {first_off_s:.2f} s, on {first_on_s:.2f} s")
    print(f"  off: {n / off_s / 1e6:6.2f} M fixes/s ({off_s:.3f} s)")
    print(f"  on:  {n / on_s / 1e6:6.2f} M fixes/s ({on_s:.3f} s)  ratio on/off {on_s / off_s:.2f}x")
    print(f"  events: {counts.get('violation', 0):,} violations, {counts.get('approach', 0):,} approaches")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixes", type=int, default=1_000_000, help="fixes per workload (default 1,000,000)")
    parser.add_argument("--approach-m", type=float, default=9260.0, help="approach distance (default 5 NM)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per figure (default 3)")
    parser.add_argument("--seed", type=int, default=0, help="workload seed (default 0)")
    args = parser.parse_args(argv)

    import airspace
    from bench_core import build_tables
    from bench_national import STATES_46
    from europe_traffic import europe_traffic
    from workload import make_workload

    tracks, fractal = build_tables(make_workload(args.fixes, args.seed))
    _compare("one airspace", tracks, fractal, args.approach_m, args.repeats)
    _compare("46 states", europe_traffic(args.fixes, args.seed), airspace.national(STATES_46), args.approach_m,
             args.repeats)


if __name__ == "__main__":
    main()
