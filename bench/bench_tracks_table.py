"""Validating a tracks table: ``tracks.validate_tracks`` on valid tables and on tables it must sort.

On a seeded day of European traffic (:func:`bench.europe_traffic.europe_traffic`,
1 million fixes by default) as it comes (text ids, sorted), with integer ids
whose runs are in decreasing order, with categorical ids, and on 10 fixes (the
fixed cost of a small call). Then on the same fixes out of order, shuffled and
as a time-ordered feed (all aircraft interleaved), each against
``df.sort_values(["track_id", "time"], kind="stable")`` in the same run::

    python bench/bench_tracks_table.py
    python bench/bench_tracks_table.py --fixes 10000000 --repeats 5

Each figure is the best of the repeats, the contenders interleaved; the
machine's load average is printed before and after: on a shared machine,
compare ratios.
"""

import argparse
import os
import sys
import time

import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from europe_traffic import europe_traffic  # noqa: E402
from tracks import validate_tracks  # noqa: E402


def best_s(contenders, repeats):
    """Best wall time (s) of each contender, the repeats interleaved."""
    times = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, call in contenders.items():
            started = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - started)
    return {name: min(runs) for name, runs in times.items()}


def valid_tables(tracks):
    """The valid tables: as they come, integer ids (runs in decreasing order), categorical ids."""
    code = pd.factorize(tracks["track_id"])[0]
    return {
        "text ids, sorted": tracks,
        "int64 ids, runs in decreasing order": tracks.assign(track_id=code.max() - code + 9),
        "categorical ids": tracks.assign(track_id=tracks["track_id"].astype("category")),
    }


def unsorted_tables(tracks):
    """The same fixes out of order: rows shuffled, and rows in time order (a feed)."""
    return {
        "shuffled": tracks.sample(frac=1.0, random_state=0),
        "time-ordered feed": tracks.sort_values("time", kind="stable"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixes", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    tracks = europe_traffic(args.fixes)
    n = len(tracks)
    print(f"{n:,} fixes, {tracks['track_id'].nunique():,} tracks")
    for name, table in valid_tables(tracks).items():
        seconds = best_s({name: lambda: validate_tracks(table)}, args.repeats)[name]
        print(f"  valid, {name:<38} {seconds * 1e3:8.1f} ms  {n / seconds / 1e6:7.1f} M fixes/s")
    small = tracks.iloc[:10].reset_index(drop=True)
    seconds = best_s({"small": lambda: validate_tracks(small)}, 200)["small"]
    print(f"  valid, 10 fixes {'':<31} {seconds * 1e6:8.0f} us")
    for name, table in unsorted_tables(tracks).items():
        found = best_s({
            "sort_values": lambda: table.sort_values(["track_id", "time"], kind="stable"),
            "validate_tracks": lambda: validate_tracks(table),
        }, args.repeats)
        ratio = found["validate_tracks"] / found["sort_values"]
        print(f"  {name:<20} validate_tracks {found['validate_tracks'] * 1e3:7.1f} ms, "
              f"sort_values {found['sort_values'] * 1e3:7.1f} ms: {ratio:.2f}x the time of the sort alone")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
