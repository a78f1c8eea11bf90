"""National airspace at scale: ``find_violations`` against 46 states, all states, and a day of traffic.

Run from the repository root::

    python bench/bench_national.py [--fixes N] [--seed S] [--repeats R] [--quick]

One process, one seeded workload: :func:`europe_traffic.europe_traffic`, a
synthetic day of airliner flights on great circles between 139 European
airports, one fix every 10 s. Three measurements:

1 million fixes against the 46 European states (``airspace.national``)
    ``detect.find_violations(tracks, national46)`` as a user calls it, with
    the airspace table (unprepared): the first call in the process (numba
    loading, caches, everything a one-shot user pays) apart from the median
    of the later calls; then with ``detect.prepare_airspace(national46)``
    done once outside the timing (prepared): its first call apart (work a
    prepared airspace still does on first use shows there) from the median
    of the later calls. The baseline, run on the same fixes in the same
    process, is a geopandas ``sjoin`` of the fixes as points
    (``points_from_xy``, EPSG:4326, the GeoDataFrame built inside the
    timing) into the 46 polygons, predicate ``within``: first run and median
    of the later runs. ``within`` is geopandas' fast path (a tree of
    the points, queried by each polygon, prepared, with ``contains``); with
    ``intersects`` geopandas tests each point against the unprepared
    polygons whose boxes hold it, over a hundred times slower here (about
    1 k fixes/s), which would flatter ``find_violations``. A fix exactly on a
    border is not ``within``; that changes nothing measurable. ``sjoin``
    classifies fixes only; it finds no entry or exit time, no corner cut and
    no depth, so it is a floor, not an equal.
    Ratios are speed ratios, ``sjoin seconds / find_violations seconds``.
All states
    ``airspace.national("all")``, or, where that does not exist yet, every
    state of ``borders.sovereign_airspace()`` made into an airspace table
    with ``airspace.make_airspace`` as ``airspace/national_airspace.py`` does (the
    script says which). The same 1 million fixes, unprepared and prepared
    (first call and median of later calls each); ratio of each time to the
    same figure for the 46 states.
The big run
    ``--fixes`` (default 30 million) fixes against the 46 states, prepared,
    one run: wall time, fixes/s, events, and the increase of the process's
    resident memory during the call against the tracks table's own size
    (``DataFrame.memory_usage(deep=True)``). The peak is read as ``VmHWM``
    of ``/proc/self/status`` after resetting it just before the call (writing
    5 to ``/proc/self/clear_refs``, Linux >= 4.0): the kernel's exact peak of
    resident pages, minus ``VmRSS`` just before. Where the reset is refused,
    the peak of a thread sampling ``VmRSS`` every 5 ms is used instead (it can
    miss a spike shorter than that), and the script says so; both are printed
    when both exist. Resident memory counts pages, not allocations: memory
    freed during the call but kept by the allocator still counts, and memory
    freed before the call but kept (the earlier measurements') can be reused
    without showing as a rise; the earlier objects are dropped and garbage
    collected first to keep that small.

Medians of ``--repeats`` runs (default 5) where a run is cheap; a
measurement stops repeating once its runs have taken :data:`BUDGET_S` (then
fewer runs are shown). The machine is shared: read the ratios, not the
seconds. ``--quick`` makes every size 10 times smaller, for a smoke run.

Targets: unprepared >= 1.0x ``sjoin``, prepared >= 3x; all states
no slower than 1.5x the 46 states; the big run under 60 s on 2 cores with a
peak memory increase under 3x the tracks table. No timing is asserted: this
script only prints.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import threading
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from europe_traffic import AIRPORTS, europe_traffic  # noqa: E402

STATES_46 = (
    "ALB AND AUT BEL BGR BIH BLR CHE CYP CZE DEU DNK ESP EST FIN FRA GBR GRC HRV HUN IRL ISL ITA "
    "LIE LTU LUX LVA MCO MDA MKD MLT MNE NLD NOR POL PRT ROU RUS SMR SRB SVK SVN SWE TUR UKR VAT"
).split()
"""46 European states (ISO 3166-1 alpha-3): the many airspaces at once that the targets are set on."""

REPEATS = 5
BUDGET_S = 60.0
"""Seconds of runs after which a measurement stops repeating."""

MEDIUM_FIXES = 1_000_000
BIG_FIXES = 30_000_000
SAMPLE_INTERVAL_S = 0.005

TARGET_UNPREPARED = 1.0  # x sjoin, at least
TARGET_PREPARED = 3.0  # x sjoin, at least
TARGET_ALL = 1.5  # all states / 46 states time, at most
TARGET_BIG_S = 60.0  # seconds, under
TARGET_MEMORY = 3.0  # peak RSS increase / tracks table deep size, under


# --------------------------------------------------------------------------
# Timing and memory
# --------------------------------------------------------------------------


def timed_once(function):
    """Run ``function`` once; return its seconds and result."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def timed(function, repeats, budget_s=BUDGET_S):
    """Run ``function`` up to ``repeats`` times, stopping once ``budget_s`` is spent.

    Returns
    -------
    median_s : float
        Median seconds of the runs.
    runs : int
        Number of runs.
    result
        The last run's result.
    """
    seconds, result = [], None
    for _ in range(max(1, repeats)):
        s, result = timed_once(function)
        seconds.append(s)
        if sum(seconds) >= budget_s:
            break
    return statistics.median(seconds), len(seconds), result


def _status_kb(field):
    """A ``/proc/self/status`` field in kB (``VmRSS``, ``VmHWM``), or None."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak_rss():
    """Reset ``VmHWM`` to the current RSS (Linux >= 4.0); True when done."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return _status_kb("VmHWM") is not None


class RssSampler:
    """A background thread sampling ``VmRSS``; its ``peak_kb`` once stopped.

    It runs whenever the interpreter lets it (the detection core releases the
    GIL in its compiled loops, PROJ, GEOS and numpy), so it can miss a spike
    shorter than the interval or than a stretch that holds the GIL.
    """

    def __init__(self, interval_s=SAMPLE_INTERVAL_S):
        self.interval_s = interval_s
        self.peak_kb = _status_kb("VmRSS") or 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            rss = _status_kb("VmRSS")
            if rss is not None:
                self.peak_kb = max(self.peak_kb, rss)
                self.samples += 1
            self._stop.wait(self.interval_s)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        rss = _status_kb("VmRSS")
        if rss is not None:
            self.peak_kb = max(self.peak_kb, rss)
        return False


def measure_peak(function):
    """Run ``function`` once and measure its wall time and the rise of resident memory.

    Returns
    -------
    dict
        ``seconds``, ``result``, ``before_kb`` (VmRSS just before),
        ``hwm_kb`` (VmHWM after a reset just before, or None when the reset
        is refused), ``sampled_kb`` (the sampler's peak) and ``samples``.
    """
    gc.collect()
    before = _status_kb("VmRSS") or 0
    reset = _reset_peak_rss()
    with RssSampler() as sampler:
        seconds, result = timed_once(function)
    hwm = _status_kb("VmHWM") if reset else None
    return {
        "seconds": seconds,
        "result": result,
        "before_kb": before,
        "hwm_kb": hwm,
        "sampled_kb": sampler.peak_kb,
        "samples": sampler.samples,
    }


# --------------------------------------------------------------------------
# Airspace and baseline
# --------------------------------------------------------------------------


def all_states():
    """The national airspace of every state (``airspace.national("all")``), and its name.

    Returns
    -------
    table : geopandas.GeoDataFrame
        An airspace table.
    source : str
        How it was made, for the printout.
    """
    import airspace

    return airspace.national("all"), 'airspace.national("all")'


def sjoin_fixes(lon, lat, polygons):
    """The baseline: fixes as points, spatially joined into the polygons.

    Parameters
    ----------
    lon, lat : numpy.ndarray
        Fixes, degrees.
    polygons : geopandas.GeoDataFrame
        EPSG:4326, with ``airspace_id`` and ``geometry``.

    Returns
    -------
    pandas.DataFrame
        One row per (fix, polygon) with the fix inside (predicate
        ``within``, geopandas' fast path for points in polygons); its index
        is the fix's row.
    """
    import geopandas

    points = geopandas.GeoDataFrame(geometry=geopandas.points_from_xy(lon, lat), crs="EPSG:4326")
    return geopandas.sjoin(points, polygons, how="inner", predicate="within")


# --------------------------------------------------------------------------
# Printing
# --------------------------------------------------------------------------


def _mb(n_bytes):
    return f"{n_bytes / 2**20:,.0f} MB"


def _rate(n, seconds):
    rate = n / seconds
    return f"{rate / 1e6:,.3f} M" if rate >= 1e5 else f"{rate / 1e3:,.1f} k"


def print_table(header, rows):
    """Print rows under a header, first column left-aligned, others right."""
    rows = [tuple(str(c) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    line = "  ".join("{:<%d}" % w if i == 0 else "{:>%d}" % w for i, w in enumerate(widths))
    print(line.format(*header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line.format(*r))
    sys.stdout.flush()


def _same_events(a, b):
    """'yes' when two events tables are equal, else a short reason."""
    try:
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
        return "yes"
    except AssertionError as exc:
        return "NO (" + str(exc).strip().splitlines()[0][:100] + ")"


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------


def bench_46(tracks, national46, repeats):
    """Unprepared, prepared and sjoin on the same fixes; print; return the figures."""
    from detect import find_violations, prepare_airspace

    n = len(tracks)
    t_first, events_first = timed_once(lambda: find_violations(tracks, national46))
    t_later, runs_later, events = timed(lambda: find_violations(tracks, national46), repeats)
    t_prepare, prepared = timed_once(lambda: prepare_airspace(national46))
    t_prep_first, _ = timed_once(lambda: find_violations(tracks, prepared))
    t_prep, runs_prep, events_prep = timed(lambda: find_violations(tracks, prepared), repeats)

    lon = tracks["lon"].to_numpy(np.float64)
    lat = tracks["lat"].to_numpy(np.float64)
    polygons = national46[["airspace_id", "geometry"]].copy()
    t_sj_first, joined = timed_once(lambda: sjoin_fixes(lon, lat, polygons))
    t_sj, runs_sj, joined = timed(lambda: sjoin_fixes(lon, lat, polygons), repeats)

    rows = [
        ("find_violations, unprepared: first call in the process", 1, t_first, len(events_first)),
        ("find_violations, unprepared: later calls", runs_later, t_later, len(events)),
        ("find_violations, prepared: first call after prepare_airspace", 1, t_prep_first, len(events_prep)),
        ("find_violations, prepared once outside the timing: later calls", runs_prep, t_prep, len(events_prep)),
        ("geopandas.sjoin of points (within): first run", 1, t_sj_first, None),
        ("geopandas.sjoin of points (within): later runs", runs_sj, t_sj, None),
    ]
    print_table(
        ("method", "runs", "seconds", "fixes/s", "x sjoin", "events"),
        [
            (name, f"{runs} (median)" if runs > 1 else runs, f"{s:.3f}", _rate(n, s), f"{t_sj / s:.2f}",
             "-" if ev is None else f"{ev:,}")
            for name, runs, s, ev in rows
        ],
    )
    print(f"prepare_airspace(national46), once: {t_prepare:.3f} s")
    print(f"same events unprepared (first call, later calls) and prepared: "
          f"{_same_events(events_first, events)}, {_same_events(events, events_prep)}")
    inside_fixes = joined.index.nunique()
    n_fixes_col = int(events["n_fixes"].sum()) if "n_fixes" in events.columns else None
    print(f"sanity: sjoin finds {len(joined):,} (fix, state) pairs, {inside_fixes:,} fixes inside a state "
          f"({inside_fixes / n:.1%} of the fixes); find_violations' {len(events):,} events on "
          f"{events['track_id'].nunique():,} of {tracks['track_id'].nunique():,} tracks hold "
          + (f"{n_fixes_col:,} fixes inside (sum of n_fixes)" if n_fixes_col is not None else "(no n_fixes column)"))
    if len(events):
        by_state = events.groupby("airspace_id").size().sort_values(ascending=False)
        print("  events by state (top 8): " + ", ".join(f"{k.removeprefix('national-')} {v:,}"
                                                       for k, v in by_state.head(8).items()))
    print()
    sys.stdout.flush()
    return {
        "first": t_first, "later": t_later, "prepared": t_prep, "prepared_first": t_prep_first,
        "sjoin": t_sj, "sjoin_first": t_sj_first,
        "prepare": t_prepare, "prepared_airspace": prepared, "events": len(events),
    }


def bench_all(tracks, figures_46, repeats):
    """All states on the same fixes, unprepared and prepared; print; return the ratios."""
    from detect import find_violations, prepare_airspace

    n = len(tracks)
    t_load, (world, source) = timed_once(all_states)
    print(f"all states: {len(world)} volumes from {source}; loaded in {t_load:.2f} s")
    t_first, events_first = timed_once(lambda: find_violations(tracks, world))
    t_later, runs_later, events = timed(lambda: find_violations(tracks, world), repeats)
    t_prepare, prepared = timed_once(lambda: prepare_airspace(world))
    t_prep_first, _ = timed_once(lambda: find_violations(tracks, prepared))
    t_prep, runs_prep, events_prep = timed(lambda: find_violations(tracks, prepared), repeats)
    prepared = None  # its memory, before the big run
    rows = [
        ("find_violations, unprepared: first call with all states", 1, t_first, figures_46["later"],
         len(events_first)),
        ("find_violations, unprepared: later calls", runs_later, t_later, figures_46["later"], len(events)),
        ("find_violations, prepared: first call after prepare_airspace", 1, t_prep_first,
         figures_46["prepared_first"], len(events_prep)),
        ("find_violations, prepared once outside the timing: later calls", runs_prep, t_prep, figures_46["prepared"],
         len(events_prep)),
    ]
    print_table(
        ("method (all states)", "runs", "seconds", "fixes/s", "x 46-state time", "events"),
        [
            (name, f"{runs} (median)" if runs > 1 else runs, f"{s:.3f}", _rate(n, s), f"{s / ref:.2f}", f"{ev:,}")
            for name, runs, s, ref, ev in rows
        ],
    )
    print(f"prepare_airspace(all states), once: {t_prepare:.3f} s; 46-state references: unprepared later calls "
          f"{figures_46['later']:.3f} s, prepared {figures_46['prepared']:.3f} s")
    print(f"same events unprepared and prepared: {_same_events(events, events_prep)}; events in the 46 states "
          f"{int(events['airspace_id'].isin([f'national-{c}' for c in STATES_46]).sum()):,} "
          f"(46-state run: {figures_46['events']:,}); states with events: {events['airspace_id'].nunique()}")
    print()
    sys.stdout.flush()
    return {"unprepared": t_later / figures_46["later"], "prepared": t_prep / figures_46["prepared"]}


def bench_big(n_fixes, seed, prepared):
    """The day of traffic against the 46 states, prepared, one run; print; return the figures."""
    from detect import find_violations

    gc.collect()
    t_gen, tracks = timed_once(lambda: europe_traffic(n_fixes, seed))
    deep = int(tracks.memory_usage(index=True, deep=True).sum())
    print(f"big run: {len(tracks):,} fixes, {tracks['track_id'].nunique():,} flights, generated in {t_gen:.1f} s; "
          f"tracks table {_mb(deep)} (memory_usage(deep=True), track_id as Arrow strings)")
    sys.stdout.flush()
    m = measure_peak(lambda: find_violations(tracks, prepared))
    events = m["result"]
    rise_hwm = None if m["hwm_kb"] is None else (m["hwm_kb"] - m["before_kb"]) * 1024
    rise_sampled = (m["sampled_kb"] - m["before_kb"]) * 1024
    print(f"find_violations(tracks, prepared 46 states): {m['seconds']:.1f} s wall, "
          f"{_rate(len(tracks), m['seconds'])} fixes/s, {len(events):,} events on "
          f"{events['track_id'].nunique():,} tracks")
    print(f"resident memory: {_mb(m['before_kb'] * 1024)} before the call (tracks table, airspace, libraries)")
    if rise_hwm is not None:
        print(f"  peak rise during the call, VmHWM (reset just before): {_mb(rise_hwm)} = "
              f"{rise_hwm / deep:.2f} x the tracks table")
    else:
        print("  VmHWM could not be reset (/proc/self/clear_refs refused): only the sampled peak is available")
    print(f"  peak rise during the call, VmRSS sampled every {SAMPLE_INTERVAL_S * 1e3:.0f} ms "
          f"({m['samples']:,} samples): {_mb(rise_sampled)} = {rise_sampled / deep:.2f} x the tracks table")
    print()
    sys.stdout.flush()
    rise = rise_hwm if rise_hwm is not None else rise_sampled
    return {"seconds": m["seconds"], "memory_ratio": rise / deep,
            "memory_source": "VmHWM" if rise_hwm is not None else "sampled VmRSS"}


def main(argv=None):
    """Run the three measurements and print the targets."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixes", type=int, default=BIG_FIXES,
                        help=f"fixes of the big run (default {BIG_FIXES:,})")
    parser.add_argument("--seed", type=int, default=0, help="traffic seed (default 0)")
    parser.add_argument("--repeats", type=int, default=REPEATS,
                        help=f"runs of each cheap measurement, median shown (default {REPEATS})")
    parser.add_argument("--quick", action="store_true",
                        help="every size 10x smaller (100,000 and --fixes/10), a smoke run")
    args = parser.parse_args(argv)
    medium = MEDIUM_FIXES // 10 if args.quick else MEDIUM_FIXES
    big = args.fixes // 10 if args.quick else args.fixes

    import geopandas
    import pyproj
    import shapely

    import airspace
    import detect

    print("airwarden national airspace benchmark  (bench/bench_national.py)")
    print(f"machine: {os.cpu_count()} cpus (nproc {len(os.sched_getaffinity(0))}), python {sys.version.split()[0]}, "
          f"numpy {np.__version__}, pandas {pd.__version__}, geopandas {geopandas.__version__}, "
          f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), pyproj {pyproj.__version__}")
    print(f"workload: europe_traffic (bench/europe_traffic.py), seed {args.seed}: airliners on great circles between "
          f"{len(AIRPORTS)} European airports, fix every 10 s, 2025-09-19 UTC; sizes {medium:,} and {big:,}"
          + ("  [--quick]" if args.quick else ""))
    print(f"repeats: median of up to {args.repeats} runs, fewer once a measurement has taken {BUDGET_S:.0f} s")
    sys.stdout.flush()

    t_gen, tracks = timed_once(lambda: europe_traffic(medium, args.seed))
    t_46, national46 = timed_once(lambda: airspace.national(STATES_46))
    n_vertices = int(shapely.get_num_coordinates(national46.geometry.values).sum())
    print(f"{len(tracks):,} fixes, {tracks['track_id'].nunique():,} flights generated in {t_gen:.2f} s; "
          f"airspace.national(46 states): {len(national46)} volumes, {n_vertices:,} vertices, in {t_46:.2f} s")
    print()
    sys.stdout.flush()

    # 1. 46 states against sjoin.
    print(f"== {len(tracks):,} fixes against the 46 states ==")
    f46 = bench_46(tracks, national46, args.repeats)

    # 2. All states.
    print(f"== {len(tracks):,} fixes against all states ==")
    all_ratio = bench_all(tracks, f46, args.repeats)

    # 3. The big run.
    prepared = f46.pop("prepared_airspace")
    del tracks
    print(f"== {big:,} fixes against the 46 states, prepared ==")
    fbig = bench_big(big, args.seed, prepared)

    # Targets.
    print("== targets ==")
    n = medium

    def row(what, value, target, ok):
        return (what, value, target, "PASS" if ok else "FAIL")

    unprep = f46["sjoin"] / f46["later"]
    unprep_first = f46["sjoin_first"] / f46["first"]
    prep = f46["sjoin"] / f46["prepared"]
    rows = [
        row(f"{n:,} fixes, 46 states, unprepared (later calls) vs sjoin", f"{unprep:.2f}x",
            f">= {TARGET_UNPREPARED:.1f}x", unprep >= TARGET_UNPREPARED),
        row(f"{n:,} fixes, 46 states, unprepared first call vs sjoin first run", f"{unprep_first:.2f}x",
            f">= {TARGET_UNPREPARED:.1f}x", unprep_first >= TARGET_UNPREPARED),
        row(f"{n:,} fixes, 46 states, prepared vs sjoin", f"{prep:.2f}x", f">= {TARGET_PREPARED:.1f}x",
            prep >= TARGET_PREPARED),
        row("all states / 46 states time, unprepared (later calls)", f"{all_ratio['unprepared']:.2f}x",
            f"<= {TARGET_ALL:.1f}x", all_ratio["unprepared"] <= TARGET_ALL),
        row("all states / 46 states time, prepared", f"{all_ratio['prepared']:.2f}x", f"<= {TARGET_ALL:.1f}x",
            all_ratio["prepared"] <= TARGET_ALL),
        row(f"{big:,} fixes, 46 states, prepared: wall time", f"{fbig['seconds']:.1f} s",
            f"< {TARGET_BIG_S:.0f} s" + (" (full size)" if args.quick else ""), fbig["seconds"] < TARGET_BIG_S),
        row(f"{big:,} fixes: peak RSS rise / tracks table ({fbig['memory_source']})",
            f"{fbig['memory_ratio']:.2f}x", f"< {TARGET_MEMORY:.1f}x", fbig["memory_ratio"] < TARGET_MEMORY),
    ]
    print_table(("measure", "measured", "target", "result"), rows)
    if args.quick:
        print("--quick: sizes are 10x smaller than the targets are set for; the PASS/FAIL above is indicative only.")
    print(f"find_violations uses every core by default ({len(os.sched_getaffinity(0))} here); the machine may be "
          "shared, so seconds vary between runs.")
    print(f"detect from {os.path.dirname(detect.__file__)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
