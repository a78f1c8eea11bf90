"""What the registry and time filters cost a detection, against the same detection without them.

Run from the repository root::

    python bench/bench_filters.py [--fixes N] [--repeats R]

One process, the core benchmark's workload (:mod:`workload`: a fractal
airspace of about Estonia's size and ``N`` fixes, default 1,000,000), the
airspace prepared once. Each track gets a random ICAO 24-bit address
(seeded). Printed, each the median of ``--repeats`` runs (default 3), the three
detections run in turns:

- ``detect.find_violations`` of the tracks without an ``icao24`` column: the
  baseline;
- the same tracks with ``icao24`` (each event gets its ``registry_country``);
- with ``icao24`` and every filter: ``foreign_only``, ``exclude_registry``
  and a time range holding all the fixes (so the events are the same);
- ``tracks.registry_countries`` of one address per fix, in addresses a second.

Ratios are to the baseline, in the same run. Target: the filters cost under
5 % of a detection. The machine is shared: read the ratios. No timing is
asserted: this script only prints.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from bench_core import build_tables, timed
from workload import make_workload


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fixes", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    from detect import find_violations, prepare_airspace
    from tracks import registry_countries, validate_tracks

    tracks, airspace = build_tables(make_workload(args.fixes, seed=0))
    prepared = prepare_airspace(airspace)
    rng = np.random.default_rng(0)
    codes = np.unique(tracks["track_id"].to_numpy(object))
    address = rng.integers(0, 1 << 24, len(codes))
    track_number = np.searchsorted(codes, tracks["track_id"].to_numpy(object))
    # In the table's own dtypes, as readers give it (else each call converts the text column first).
    with_icao24 = validate_tracks(tracks.assign(icao24=[f"{a:06x}" for a in address[track_number]]))
    every_filter = dict(foreign_only=True, exclude_registry="RUS,FRA", time_from=tracks["time"].min(),
                        time_to=tracks["time"].max())

    find_violations(tracks, prepared)  # warm: compiled kernels, caches
    runs = {"base": lambda: find_violations(tracks, prepared),
            "registry": lambda: find_violations(with_icao24, prepared),
            "filtered": lambda: find_violations(with_icao24, prepared, **every_filter)}
    seconds = {name: [] for name in runs}
    for _ in range(args.repeats):  # in turns, so that a busy moment of the shared machine hits all three
        for name, run in runs.items():
            seconds[name].append(timed(run, 1)[0])
    base_s, registry_s, filtered_s = (statistics.median(seconds[name]) for name in runs)
    base, with_registry, filtered = (run() for run in runs.values())

    texts = with_icao24["icao24"].to_numpy(object)
    started = time.perf_counter()
    states = registry_countries(texts)
    lookup_s = time.perf_counter() - started

    print(f"{len(tracks):,} fixes, {len(codes):,} tracks, {len(base):,} events")
    print(f"find_violations, no icao24 (baseline):   {base_s:7.3f} s")
    print(f"  with icao24 (registry_country):        {registry_s:7.3f} s  ratio {registry_s / base_s:.3f}")
    kept = len(filtered)
    print(f"  with icao24 and every filter:          {filtered_s:7.3f} s  ratio {filtered_s / base_s:.3f} "
          f"({kept:,} of {len(with_registry):,} events kept)")
    known = int(np.count_nonzero(states != None))  # noqa: E711 (object array: elementwise)
    print(f"registry_countries, one address a fix:   {lookup_s:7.3f} s  {len(texts) / lookup_s / 1e6:.1f} M "
          f"addresses/s ({known / len(texts):.1%} in a state's block)")


if __name__ == "__main__":
    main()
