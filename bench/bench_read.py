"""Reading a big OpenSky state-vector CSV: ``tracks.read`` against ``pandas.read_csv``.

Writes a seeded OpenSky CSV (default 10 million rows, about 1.3 GB) to a
temporary folder (or takes the CSV given), then runs each contender in its
own subprocess, a few times, interleaved, and prints the median wall time,
rows per second and CPU time (user + system, all threads), the ratio to
pandas, and the peak memory (``VmHWM`` of the subprocess) beyond the
interpreter with its imports and beyond the output table (its data, memory
shared by columns counted once), then each run's
time and memory beyond both (to see the noise of a shared machine)::

    python bench/bench_read.py              # 10 M rows
    python bench/bench_read.py --rows 2000000 --repeats 3
    python bench/bench_read.py --csv states_2022-06-27-00.csv   # a real OpenSky file

``pandas.read_csv`` only parses the file (default options, whole file: in
pandas 3.1 a parallel read over byte ranges, on up to 6 threads);
``pandas chunked`` parses it with ``chunksize`` (pandas' streaming path, one
thread) and concatenates; ``tracks.read`` parses it in chunks (pyarrow, on
all cores, one chunk ahead in a thread) and also converts, rejects, sorts,
deduplicates, splits flights and flags suspect fixes. The machine's load
average is printed before and after: on a shared machine, compare ratios.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

CONTENDERS = {
    "pandas.read_csv": "import pandas as pd\nfn = lambda path: pd.read_csv(path)",
    "pandas chunked": (
        "import pandas as pd\n"
        "fn = lambda path: pd.concat(pd.read_csv(path, chunksize=CHUNK), ignore_index=True)"
    ),
    "tracks.read": "from tracks.reading import read\nfn = lambda path: read(path, chunk_rows=CHUNK)[0]",
}

_RUNNER = """
import json, sys, time
CHUNK = {chunk}
{setup}
def high_water_kb():  # VmHWM: peak resident memory of this process (not inherited over exec)
    with open("/proc/self/status") as status:
        return int(next(l for l in status if l.startswith("VmHWM")).split()[1])
base = high_water_kb()
started, cpu_started = time.perf_counter(), time.process_time()
table = fn({path!r})
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
peak = high_water_kb()
def output_bytes(table):  # data bytes, each memory range once: text columns may share buffers
    ranges, other = [], 0
    for name in table.columns:
        chunked = getattr(table[name].array, "_pa_array", None)  # Arrow-backed text
        if chunked is None:
            other += int(table[name].memory_usage(index=False, deep=True))
            continue
        ranges += [(b.address, b.address + b.size) for c in chunked.chunks for b in c.buffers() if b is not None]
    covered, reach = 0, 0
    for start, stop in sorted(ranges):
        covered += max(stop - max(start, reach), 0)
        reach = max(reach, stop)
    return other + covered
out = output_bytes(table)
print(json.dumps({{"s": elapsed, "cpu_s": cpu, "rows": len(table), "base_kb": base,
                  "peak_kb": peak, "out": out}}))
"""


def write_opensky_csv(path, n_rows, seed=0):
    """Write a plausible OpenSky state-vector CSV: aircraft flying straight, 10 s apart.

    About 1% of the rows have no position; times are in order, aircraft
    interleaved, as in OpenSky's hourly files.
    """
    rng = np.random.default_rng(seed)
    n_aircraft = 5000
    block = 1_000_000
    names = np.array([f"{k:06x}" for k in rng.choice(0xFFFFFF, n_aircraft, replace=False)])
    callsigns = np.array([f"RYR{k:<5d}" for k in range(n_aircraft)])
    lon0 = rng.uniform(-10, 30, n_aircraft)
    lat0 = rng.uniform(35, 65, n_aircraft)
    heading = rng.uniform(0, 360, n_aircraft)
    speed = rng.uniform(120, 260, n_aircraft)
    with pacsv.CSVWriter(path, _schema()) as writer:
        for start in range(0, n_rows, block):
            row = np.arange(start, min(start + block, n_rows))
            k = row % n_aircraft
            t = 1_758_240_000 + (row // n_aircraft) * 10
            dist_deg = speed[k] * (t - 1_758_240_000) / 111_000
            lat = lat0[k] + dist_deg * np.cos(np.radians(heading[k]))
            lon = lon0[k] + dist_deg * np.sin(np.radians(heading[k])) / np.cos(np.radians(lat0[k]))
            lat = np.clip(lat, -89.9, 89.9)
            lon = (lon + 180) % 360 - 180
            missing = rng.random(len(row)) < 0.01
            lat = np.where(missing, np.nan, np.round(lat, 5))
            lon = np.where(missing, np.nan, np.round(lon, 5))
            columns = [
                t, names[k], lat, lon, speed[k].round(2), heading[k].round(2),
                np.zeros(len(row)), callsigns[k], np.zeros(len(row), bool),
                np.zeros(len(row), bool), np.zeros(len(row), bool), np.full(len(row), 1000),
                np.full(len(row), 10668.0), np.full(len(row), 10972.8),
                t - rng.uniform(0, 1, len(row)).round(3), t - rng.uniform(0, 0.5, len(row)).round(3),
            ]
            writer.write_table(pa.table(columns, schema=_schema()))


def _schema():
    f, s, b, i = pa.float64(), pa.string(), pa.bool_(), pa.int64()
    return pa.schema([
        ("time", i), ("icao24", s), ("lat", f), ("lon", f), ("velocity", f), ("heading", f),
        ("vertrate", f), ("callsign", s), ("onground", b), ("alert", b), ("spi", b),
        ("squawk", i), ("baroaltitude", f), ("geoaltitude", f), ("lastposupdate", f),
        ("lastcontact", f),
    ])


def run(contender, path, chunk_rows):
    """One timed run in a fresh interpreter; its figures as a dict."""
    code = _RUNNER.format(chunk=chunk_rows, setup=CONTENDERS[contender], path=str(path))
    repo = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=repo, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--chunk-rows", type=int, default=1_000_000)
    parser.add_argument("--csv", type=Path, help="an OpenSky CSV to read instead of a written one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.csv or Path(folder) / "states.csv"
        if args.csv is None:
            write_opensky_csv(path, args.rows)
        print(f"{path.stat().st_size / 1e6:,.0f} MB, chunk_rows {args.chunk_rows:,}; "
              f"median of {args.repeats} runs each; load average {os.getloadavg()[0]:.2f}")
        figures = {name: [] for name in CONTENDERS}
        for _ in range(args.repeats):  # interleaved, so that machine load hits both alike
            for name in CONTENDERS:
                figures[name].append(run(name, path, args.chunk_rows))
    rows = figures["pandas.read_csv"][0]["rows"]  # the file's rows
    speed = {}
    for name, runs in figures.items():
        seconds = statistics.median(r["s"] for r in runs)
        cpu = statistics.median(r["cpu_s"] for r in runs)
        speed[name] = rows / seconds
        peak_mb = statistics.median(r["peak_kb"] for r in runs) / 1024
        base_mb = statistics.median(r["base_kb"] for r in runs) / 1024
        out_mb = runs[0]["out"] / 2**20
        print(f"{name:16s} {seconds:7.2f} s  {speed[name] / 1e6:5.2f} M rows/s  cpu {cpu:6.2f} s  "
              f"peak {peak_mb:7.0f} MB  (imports {base_mb:4.0f} MB, output {out_mb:6.0f} MB, "
              f"{runs[0]['rows']:,} rows; beyond both {peak_mb - base_mb - out_mb:6.0f} MB)")
        print(f"{'':16s} each run: " + ", ".join(
            f"{r['s']:.2f} s ({(r['peak_kb'] - r['base_kb']) / 1024 - r['out'] / 2**20:.0f} MB beyond)"
            for r in runs))
    for baseline in ("pandas.read_csv", "pandas chunked"):
        print(f"speed ratio tracks.read / {baseline}: "
              f"{speed['tracks.read'] / speed[baseline]:.2f}")
    print(f"{rows:,} rows read by each; load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
