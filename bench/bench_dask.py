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
    ``tracks.read`` of the files, and ``find_violations`` on the table with 1
    thread (``workers=1``), after a first call that makes the parts near the
    tracks ready.
dask, 1 and 2 workers
    a ``LocalCluster`` of that many worker processes, one thread each, both
    up at once. End to end: ``tracks.read_dataset`` and ``find_violations``
    computed with the report (reading, shuffle on aircraft, assembly,
    detection).
    The dataset in ``P`` partitions (default 2; a real hourly file of
    10-30 million fixes is one). Detection: the dataset persisted in the workers' memory, then
    ``find_violations`` on it, after a first run (each worker makes the
    parts it meets ready).

Each figure is the median of ``R`` runs, the runs of all set-ups interleaved
so that the load of the shared machine falls on all alike.

Printed: fixes/s of each, the ratio 2 workers / 1 worker (target >= 1.7x),
and the overhead of 1 worker against one process (target < 20 %), for the
detection and end to end; the events are checked identical to one process.
Then the CPU-seconds each took (this process, where the scheduler runs,
and the workers), and the cores the machine's other processes kept busy
meanwhile (``/proc/stat``): on a shared machine, 2 workers cannot go
faster than the cores left free. The ceiling, measured in the same
interleaved runs: how much faster 2 processes of a CPU-bound Python loop
ran than 1.

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
import concurrent.futures
import contextlib
import multiprocessing
import os
import resource
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


def same_events(a, b):
    keys = ["track_id", "airspace_id", "entry_time"]
    a = a.sort_values(keys, ignore_index=True)
    b = b.sort_values(keys, ignore_index=True)
    return len(a) == len(b) and all(
        np.allclose(a[name], b[name], rtol=0, atol=1e-3, equal_nan=True) if a[name].dtype == float
        else a[name].equals(b[name]) for name in a.columns)


@contextlib.contextmanager
def cluster(n_workers, memory_limit):
    """A client of a new LocalCluster of `n_workers` processes, one thread each."""
    with distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                  memory_limit=memory_limit, dashboard_address=None) as local, \
            distributed.Client(local, set_as_default=False) as client:
        yield client


def cpu_s():
    """CPU-seconds this process has used, all its threads (user and system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def machine_busy_s():
    """CPU-seconds all cores of the machine have been busy since boot, every process (``/proc/stat``)."""
    with open("/proc/stat") as stat:
        ticks = [int(field) for field in stat.readline().split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def metered(record, client=None):
    """Append to `record` the block's wall seconds, CPU-seconds of ours (this process, with the scheduler, and
    `client`'s workers) and CPU-seconds of the whole machine."""
    workers = sum(client.run(cpu_s).values()) if client else 0.0
    ours, machine, started = cpu_s(), machine_busy_s(), time.perf_counter()
    yield
    wall, machine, ours = time.perf_counter() - started, machine_busy_s() - machine, cpu_s() - ours
    if client:
        ours += sum(client.run(cpu_s).values()) - workers
    record.append((wall, ours, machine))


def end_to_end(client, paths, prepared, npartitions, expected, record):
    """Read and detect the files on the cluster, metered into `record` (events checked); the fixes read."""
    with client.as_current(), metered(record, client):
        dataset, report = read_dataset(paths, npartitions=npartitions)
        events, report = dask.compute(find_violations(dataset, prepared), report)
    assert same_events(events, expected), "the events differ from one process"
    return report.rows_accepted


def detection(client, persisted, prepared, expected, record):
    """Detect a persisted dataset on the cluster, metered into `record` (events checked)."""
    with client.as_current(), metered(record, client):
        events = find_violations(persisted, prepared).compute()
    assert same_events(events, expected), "the events differ from one process"


def busy_loop(n=10_000_000):
    """A CPU-bound loop of pure Python; its wall seconds."""
    started = time.perf_counter()
    total = 0
    for k in range(n):
        total += k * k
    return time.perf_counter() - started


def two_process_ceiling(pool):
    """How much faster 2 processes of :func:`busy_loop` ran than 1, now: the most 2 workers can gain."""
    one = pool.submit(busy_loop).result()
    two = max(pool.map(busy_loop, [10_000_000] * 2))
    return 2 * one / two


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
    parser.add_argument("--fixes", type=float, default=4e6)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--big-fixes", type=float, default=0)
    parser.add_argument("--memory-limit", default="4GB")
    parser.add_argument("--partitions", type=int, default=2,
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

        runs = {"read": [], "single": [], 1: [], 2: [], "end 1": [], "end 2": []}
        ceilings = []
        with metered(runs["read"]):
            table, _ = read(paths)
        expected = find_violations(table, prepared, workers=1)  # the parts near the tracks made ready
        spawn = multiprocessing.get_context("spawn")
        with cluster(1, args.memory_limit) as one, cluster(2, args.memory_limit) as two, \
                concurrent.futures.ProcessPoolExecutor(2, mp_context=spawn) as pool:
            clients = {1: one, 2: two}
            persisted = {}
            for n_workers, client in clients.items():
                accepted = end_to_end(client, paths, prepared, args.partitions, expected, runs[f"end {n_workers}"])
                assert accepted == len(table)
                persisted[n_workers] = client.persist(read_dataset(paths, npartitions=args.partitions)[0])
                with client.as_current():
                    distributed.wait(persisted[n_workers])
                client.rebalance(persisted[n_workers])  # a partition on each worker, not both on one
                detection(client, persisted[n_workers], prepared, expected, [])  # each worker's parts made ready
            for _ in range(args.repeats):  # interleaved: the machine's load hits all alike
                ceilings.append(two_process_ceiling(pool))
                with metered(runs["single"]):
                    find_violations(table, prepared, workers=1)
                for n_workers, client in clients.items():
                    detection(client, persisted[n_workers], prepared, expected, runs[n_workers])
                with metered(runs["read"]):
                    read(paths)
                for n_workers, client in clients.items():
                    end_to_end(client, paths, prepared, args.partitions, expected, runs[f"end {n_workers}"])
        median = {name: statistics.median(wall for wall, _, _ in values) for name, values in runs.items()}
        cpu = {name: statistics.median(ours for _, ours, _ in values) for name, values in runs.items()}
        others = {name: sum(machine - ours for _, ours, machine in values) / sum(wall for wall, _, _ in values)
                  for name, values in runs.items()}
        print(f"medians of {args.repeats} interleaved runs; events identical to one process in every run")
        print(f"{'':28} {'detection':>22} {'end to end (read + detect)':>30}")
        for name, label, end in (("single", "one process, 1 thread", median["read"] + median["single"]),
                                 (1, "dask, 1 worker", median["end 1"]), (2, "dask, 2 workers", median["end 2"])):
            print(f"{label:28} {median[name]:7.2f} s {n_fixes / median[name]:10,.0f} fixes/s "
                  f"{end:9.2f} s {n_fixes / end:10,.0f} fixes/s")
        print(f"2 workers / 1 worker: detection {median[1] / median[2]:.2f}x, "
              f"end to end {median['end 1'] / median['end 2']:.2f}x (target >= 1.7x)")
        print(f"1 worker against one process: detection {median[1] / median['single'] - 1:+.0%}, "
              f"end to end {median['end 1'] / (median['read'] + median['single']) - 1:+.0%} (target < 20 %)")
        print("CPU-seconds of ours (this process with the scheduler, and the workers), medians, and the cores "
              f"the machine's other processes kept busy meanwhile (of {os.cpu_count()}):")
        for name, label, end in (("single", "one process, 1 thread", "read"), (1, "dask, 1 worker", "end 1"),
                                 (2, "dask, 2 workers", "end 2")):
            end_cpu = cpu["read"] + cpu["single"] if name == "single" else cpu[end]
            print(f"{label:28} detection {cpu[name]:6.2f} CPU-s, others {others[name]:.1f} cores;  "
                  f"end to end {end_cpu:6.2f} CPU-s, others {others[end]:.1f} cores")
        print(f"ceiling: 2 processes of a CPU-bound Python loop ran {statistics.median(ceilings):.2f}x as fast as 1 "
              f"(median of {len(ceilings)}, in the same runs)")
    if args.big_fixes:
        with tempfile.TemporaryDirectory(prefix="bench_dask_big_", dir=os.environ.get("BENCH_DIR")) as folder:
            big_run(int(args.big_fixes), prepared, args.memory_limit, folder)


if __name__ == "__main__":
    main()
