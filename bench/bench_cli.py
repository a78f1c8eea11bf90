"""Wall time of the ``airwarden`` command line, start to exit, against the interpreter's own start.

Run from the repository root::

    python bench/bench_cli.py [--repeats N] [--against CODE]

Every figure is the median of N runs (default 5) of a fresh process, the way
a shell runs the command: ``python -m detect ...`` from the repository root
(so that this checkout's packages are the ones run), started with
:mod:`subprocess` and timed from start to exit. The commands, interleaved
run by run so that machine load hits them alike:

``--help``, ``--version``, ``detect --help``, a usage error
    ``detect --min-depth -3 flights.csv``: answered by click alone, target
    under 0.3 s;
``replay``
    ``replay flights.csv --against CODE``: a 1,000-fix recording (one
    aircraft from Helsinki across the Gulf of Finland and Estonia, written
    as a tracks-table CSV into a temporary folder) against the national
    airspace of one state (default EST); target under 1.5 s. One run first,
    not counted, fills the caches a first run ever builds (the state's
    sovereign airspace, the compiled functions, the prepared airspace); its
    time is printed. The checkout's bytecode is compiled first, as an
    install does: a first run writes it too, unless the environment says
    not to (``PYTHONDONTWRITEBYTECODE``), and compiling about a hundred
    modules from source on every start would be timed otherwise.

Baselines, in the same runs: ``python -c pass`` (the interpreter's own start)
and ``python -c "import click"`` (the least a click command line costs). Each
command's ratio to both is printed, with its target and PASS or FAIL, and the
median CPU time of its process (user + system): on a busy machine the wall
time grows, the CPU time much less.

No timing is asserted anywhere: this script only prints.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXES = 1000
HELP_TARGET_S = 0.3
REPLAY_TARGET_S = 1.5
PACKAGES = ("airspace", "borders", "detect", "plots", "tracks")


def write_recording(path: Path, fixes: int = FIXES) -> Path:
    """A tracks-table CSV of one aircraft, `fixes` fixes 5 s apart, Helsinki to Tartu."""
    start_lon, start_lat, end_lon, end_lat = 24.95, 60.30, 26.72, 58.38
    lines = ["track_id,time,lon,lat,alt_baro_m,alt_geo_m"]
    for k in range(fixes):
        f = k / (fixes - 1)
        minutes, seconds = divmod(5 * k, 60)
        lines.append(
            f"BENCH1,2025-09-19T{8 + minutes // 60:02d}:{minutes % 60:02d}:{seconds:02d}Z,"
            f"{start_lon + f * (end_lon - start_lon):.6f},{start_lat + f * (end_lat - start_lat):.6f},"
            "3000.0,3050.0"
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def commands(recording: Path, against: str) -> dict:
    """The command lines timed, by label: baselines first, then airwarden's with their targets."""
    airwarden = [sys.executable, "-m", "detect"]
    return {
        "python -c pass": ([sys.executable, "-c", "pass"], None, None),
        "python -c 'import click'": ([sys.executable, "-c", "import click"], None, None),
        "airwarden --help": ([*airwarden, "--help"], 0, HELP_TARGET_S),
        "airwarden --version": ([*airwarden, "--version"], 0, HELP_TARGET_S),
        "airwarden detect --help": ([*airwarden, "detect", "--help"], 0, HELP_TARGET_S),
        "usage error (detect --min-depth -3)": (
            [*airwarden, "detect", "--min-depth", "-3", "flights.csv"], 2, HELP_TARGET_S,
        ),
        f"replay {FIXES:,} fixes --against {against}": (
            [*airwarden, "replay", str(recording), "--against", against], 0, REPLAY_TARGET_S,
        ),
    }


def timed_run(argv, status) -> tuple:
    """Wall and CPU seconds, start to exit, of one run of `argv`, which must exit with `status` (None: 0)."""
    cpu_before = _children_cpu_seconds()
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    if done.returncode != (status or 0):
        raise SystemExit(f"{' '.join(argv)}: exit status {done.returncode}\n{done.stderr}")
    return wall, _children_cpu_seconds() - cpu_before


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--against", default="EST", help="the state of the replay (default EST)")
    args = parser.parse_args()
    for package in PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        table = commands(write_recording(Path(folder) / "flights.csv"), args.against)
        replay_label = list(table)[-1]
        argv, status, _ = table[replay_label]
        first, _ = timed_run(argv, status)
        print(f"{sys.executable} (Python {sys.version.split()[0]}), {os.cpu_count()} cores; "
              f"median of {args.repeats} runs each; load average {os.getloadavg()[0]:.2f}")
        print(f"first replay, filling the caches: {first:.2f} s (not counted)")
        runs = {label: [] for label in table}
        for _ in range(args.repeats):
            for label, (argv, status, _) in table.items():
                runs[label].append(timed_run(argv, status))
    median = {label: statistics.median(wall for wall, _ in timings) for label, timings in runs.items()}
    cpu = {label: statistics.median(cpu for _, cpu in timings) for label, timings in runs.items()}
    interpreter, click = median["python -c pass"], median["python -c 'import click'"]
    print(f"{'command':42s} {'wall':>7s} {'/ python':>9s} {'/ click':>8s} {'target':>8s}  {'result':6s} {'cpu':>7s}")
    for label, (_, _, target) in table.items():
        verdict = "" if target is None else ("PASS" if median[label] < target else "FAIL")
        print(f"{label:42s} {median[label]:6.3f}s {median[label] / interpreter:8.1f}x "
              f"{median[label] / click:7.1f}x {'' if target is None else f'< {target} s':>8s}  {verdict:6s} "
              f"{cpu[label]:6.3f}s")
    print("each run, wall (s): " + "; ".join(
        f"{label.split(' (')[0]}: " + ", ".join(f"{wall:.2f}" for wall, _ in timings)
        for label, timings in runs.items()))
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
