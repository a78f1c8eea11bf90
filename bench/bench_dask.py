"""Detection on a dask LocalCluster against one process: fixes/s with 1 and 2 workers, overhead, out of core.

Run from the repository root::

    python bench/bench_dask.py [--fixes N] [--partitions P] [--repeats R] [--big-fixes M] [--memory-limit 4GB]

The data: :func:`europe_traffic.europe_traffic` (a synthetic day of European
airliner traffic, one fix every 10 s), written as OpenSky-like hourly
Parquet files (``time`` in unix seconds, ``icao24``, ``lat``, ``lon``,
``baroaltitude``, ``geoaltitude``), against the 46 European states
(``airspace.national``), prepared once (:func:`detect.prepare_airspace`).
All in one process, on the same files:

one process
    ``tracks.read`` of the files (one run), then ``find_violations`` on the
    table with 1 thread (``workers=1``): the first call apart (it makes the
    parts near the tracks ready), then the median of ``R`` calls.
dask, 1 and 2 workers
    a ``LocalCluster`` of that many worker processes, one thread each.
    End to end: ``tracks.read_dataset`` and ``find_violations`` computed with
    the report (reading, shuffle on aircraft, assembly, detection), one run.
    The dataset in ``P`` partitions (default 4; a real hourly file of
    10-30 million fixes is one). Detection: the dataset persisted in the workers' memory, then
    ``find_violations`` on it, the first run apart (each worker makes the
    parts it meets ready), then the median of ``R`` runs.

Printed: fixes/s of each, the ratio 2 workers / 1 worker (target >= 1.7x),
and the overhead of 1 worker against one process (target < 20 %), for the
detection and end to end; the events are checked identical to one process.

``--big-fixes M`` (e.g. ``100e6``) adds the out-of-core run: ``M`` fixes as
hourly Parquet files (days of traffic, each seeded apart), read and detected
by 2 workers with ``--memory-limit`` each (dask spills to disk beyond it),
events written as a Parquet dataset: wall time, fixes/s, and each worker's
peak resident memory (``VmHWM`` of the worker process, over its life).

The machine is shared: read the medians and ratios, not single seconds.
No figure is asserted: this script only prints.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from europe_traffic import europe_traffic  # noqa: E402

import airspace  # noqa: E402
import dask  # noqa: E402
import distributed  # noqa: E402
from bench_national import STATES_46  # noqa: E402
from detect import find_violations, prepare_airspace  # noqa: E402
from tracks import read, read_dataset  # noqa: E402

DAY_S = 86_400


def write_hourly(tracks, folder, day=0, seed=0):
    """Write a tracks table as OpenSky-like hourly Parquet files in `folder` (shifted by `day` days); their paths."""
    seconds = tracks["time"].array.asi8 // 1_000_000_000 + day * DAY_S
    hour = seconds // 3600
    states = pd.DataFrame({
        "time": seconds,
        "icao24": tracks["track_id"].str.lower() + (f"-{seed}" if seed else ""),
        "lat": tracks["lat"].to_numpy(),
        "lon": tracks["lon"].to_numpy(),
        "baroaltitude": tracks["alt_baro_m"].to_numpy(),
        "geoaltitude": tracks["alt_geo_m"].to_numpy(),
    })
    paths = []
    order = np.argsort(hour, kind="stable")
    states, hour = states.iloc[order], hour[order]
    bounds = np.flatnonzero(np.diff(hour)) + 1
    for rows, first in zip(np.split(np.arange(len(states)), bounds), np.append(0, bounds)):
        stamp = pd.Timestamp(int(hour[first]) * 3600, unit="s").strftime("%Y-%m-%d-%H")
        path = Path(folder) / f"states_{stamp}_{seed}.parquet"
        states.iloc[rows].sort_values("time", kind="stable").to_parquet(path, index=False)
        paths.append(path)
    return paths


def timed(function, repeats):
    """The first run's seconds, the median of `repeats` more, and the last result."""
    started = time.perf_counter()
    result = function()
    first = time.perf_counter() - started
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - started)
    return first, statistics.median(seconds) if seconds else first, result


def same_events(a, b):
    keys = ["track_id", "airspace_id", "entry_time"]
    a = a.sort_values(keys, ignore_index=True)
    b = b.sort_values(keys, ignore_index=True)
    return len(a) == len(b) and all(
        np.allclose(a[name], b[name], rtol=0, atol=1e-3, equal_nan=True) if a[name].dtype == float else a[name].equals(b[name])
        for name in a.columns)


def on_cluster(n_workers, paths, prepared, repeats, expected, memory_limit, npartitions):
    """End-to-end seconds, first and median detection seconds on a LocalCluster of `n_workers`."""
    with distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                  memory_limit=memory_limit, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        started = time.perf_counter()
        dataset, report = read_dataset(paths, npartitions=npartitions)
        events, report = dask.compute(find_violations(dataset, prepared), report)
        end_to_end = time.perf_counter() - started
        assert same_events(events, expected), "the events differ from one process"
        persisted = client.persist(read_dataset(paths, npartitions=npartitions)[0])
        distributed.wait(persisted)
        first, median, events = timed(lambda: find_violations(persisted, prepared).compute(), repeats)
        assert same_events(events, expected), "the events differ from one process"
        return end_to_end, first, median, report.rows_accepted


def peak_rss_mb():
    """This process's peak resident memory (VmHWM), MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def big_run(n_fixes, prepared, memory_limit, folder):
    """The out-of-core run: write `n_fixes` as hourly files, read and detect them on 2 workers."""
    per_day = 25_000_000
    paths = []
    started = time.perf_counter()
    for day, start in enumerate(range(0, n_fixes, per_day)):
        paths += write_hourly(europe_traffic(min(per_day, n_fixes - start), seed=day), folder, day=day, seed=day)
    print(f"  {n_fixes:,} fixes written as {len(paths)} hourly files in {time.perf_counter() - started:.0f} s "
          f"({sum(p.stat().st_size for p in paths) / 1e9:.1f} GB)")
    out = Path(folder) / "events.parquet"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit=memory_limit,
                                  dashboard_address=None, local_directory=folder) as cluster, \
            distributed.Client(cluster) as client:
        started = time.perf_counter()
        dataset, report = read_dataset(paths)
        events = find_violations(dataset, prepared)
        _, counts, report = dask.compute(events.to_parquet(out, compute=False, write_index=False),
                                         events.map_partitions(len), report)
        seconds = time.perf_counter() - started
        peaks = client.run(peak_rss_mb)
    print(f"  2 workers, memory limit {memory_limit} each: {seconds:.0f} s, "
          f"{report.rows_accepted / seconds:,.0f} fixes/s, {int(counts.sum()):,} events, "
          f"{report.tracks:,} tracks")
    print("  peak resident memory per worker: " + ", ".join(f"{mb:,.0f} MB" for mb in peaks.values()))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fixes", type=float, default=2e6)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--big-fixes", type=float, default=0)
    parser.add_argument("--memory-limit", default="4GB")
    parser.add_argument("--partitions", type=int, default=4,
                        help="partitions of the dataset (an hourly file of real traffic is one)")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", "Computing mixed collections")
    n_fixes = int(args.fixes)

    national46 = airspace.national(STATES_46)
    prepared = prepare_airspace(national46)
    with tempfile.TemporaryDirectory(prefix="bench_dask_") as folder:
        paths = write_hourly(europe_traffic(n_fixes), folder)
        print(f"{n_fixes:,} fixes in {len(paths)} hourly Parquet files, {args.partitions} partitions; 46 states, "
              f"{len(prepared.parts)} parts; {os.cpu_count()} cores")

        started = time.perf_counter()
        table, _ = read(paths)
        read_s = time.perf_counter() - started
        first, single_s, expected = timed(lambda: find_violations(table, prepared, workers=1), args.repeats)
        print(f"one process: read {read_s:.2f} s; find_violations, 1 thread: first {first:.2f} s, "
              f"median {single_s:.2f} s ({n_fixes / single_s:,.0f} fixes/s), {len(expected)} events")

        figures = {}
        for n_workers in (1, 2):
            end_to_end, first, median, accepted = on_cluster(
                n_workers, paths, prepared, args.repeats, expected, args.memory_limit, args.partitions)
            assert accepted == len(table)
            figures[n_workers] = (end_to_end, median)
            print(f"dask, {n_workers} worker(s): end to end {end_to_end:.2f} s ({n_fixes / end_to_end:,.0f} "
                  f"fixes/s); detection first {first:.2f} s, median {median:.2f} s "
                  f"({n_fixes / median:,.0f} fixes/s); events identical")
        print(f"2 workers / 1 worker: detection {figures[1][1] / figures[2][1]:.2f}x, "
              f"end to end {figures[1][0] / figures[2][0]:.2f}x (target >= 1.7x)")
        print(f"1 worker against one process: detection overhead {figures[1][1] / single_s - 1:+.0%}, "
              f"end to end {figures[1][0] / (read_s + single_s) - 1:+.0%} (target < 20 %)")
    if args.big_fixes:
        with tempfile.TemporaryDirectory(prefix="bench_dask_big_", dir=os.environ.get("BENCH_DIR")) as folder:
            big_run(int(args.big_fixes), prepared, args.memory_limit, folder)


if __name__ == "__main__":
    main()
