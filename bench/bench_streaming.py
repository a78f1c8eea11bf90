"""Streaming replay against batch detection, on dense and on sparse traffic, and live at 10,000 aircraft.

Run from the repository root::

    python bench/bench_streaming.py [--aircraft N] [--live-aircraft K] [--repeats R] [--quick]

One process; the airspace is prepared once (``detect.prepare_airspace``) and
shared by every method, so that the figures compare detection, not
preparation. Five measurements:

Dense traffic
    ``N`` (default 2,000) airliner flights of :func:`europe_traffic.europe_traffic`
    (great circles between European airports, a fix every 10 s), each moved
    in time to depart within the same 10 minutes, so that up to ``N`` are in
    the air at once (about ``N / 10`` fixes a second), against the 46
    European states. Batch: ``detect.find_violations`` of the whole table.
    Streaming: ``detect.replay.replay_events`` in batches of 1 s, 10 s and
    60 s of recording time (every batch pushed to a ``StreamingDetector``,
    with each track's last fix carried over). Throughput ratio =
    batch seconds / streaming seconds; the events must be the same.
Sparse traffic
    The core benchmark's workload (:mod:`workload`: a fractal airspace, 805
    tracks spread over a day, about 2 fixes a second): there a 1 s batch holds
    one or two fixes, and the fixed cost of a push (about a millisecond)
    dominates; printed for the record, with the cost per batch.
The floor of a push
    Each traffic's 1 s batches moved 40 degrees of latitude south, away from
    every boundary: the median cost of a push that only keeps its books,
    against the cost a push may have for the replay to reach 0.8x the batch.
Empty time
    The sparse workload with its second half moved 30 days later: a replay in
    60 s batches must cost the same as without the gap (windows with no
    fixes are never visited).
Live
    ``K`` (default 10,000) aircraft in the air at once, each sending a fix
    every second (1 s batches of ``K`` fixes, from the first fixes of ``K``
    flights): the median and worst time to push a batch, against the one
    second it covers.

Medians of ``--repeats`` runs (default 3) for the batch figure, one run of
each replay. The machine is shared: read the ratios. ``--quick`` makes every
size 10 times smaller. No timing is asserted: this script only prints.

Targets: streaming in 1 s, 10 s and 60 s batches at least 0.8x
the batch throughput; a time window with no fixes costs nothing; one-second
batches keep up with 10,000 aircraft.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench_core import build_tables, print_targets, timed  # noqa: E402
from bench_national import STATES_46  # noqa: E402
from europe_traffic import europe_traffic  # noqa: E402
from workload import make_workload  # noqa: E402

import airspace  # noqa: E402
from detect import find_violations, prepare_airspace  # noqa: E402
from detect.replay import StreamingDetector, replay_events, time_batches  # noqa: E402

FIXES_PER_FLIGHT = 770  # europe_traffic's mean, to size the table
BATCHES_S = (1, 10, 60)


def departing_together(tracks, window_s=600, seed=0):
    """The flights moved in time so that each departs within the first `window_s` seconds."""
    rng = np.random.default_rng(seed)
    codes, names = pd.factorize(tracks["track_id"])
    first_ns = tracks["time"].to_numpy("datetime64[ns]").view(np.int64)
    first_ns = pd.Series(first_ns).groupby(codes).transform("min").to_numpy()
    start_ns = np.int64(pd.Timestamp("2025-09-19 06:00", tz="UTC").value)
    offset_ns = (rng.uniform(0, window_s, len(names)) * 1e9).astype(np.int64)
    moved = tracks.copy()
    time_ns = tracks["time"].to_numpy("datetime64[ns]").view(np.int64) - first_ns + start_ns + offset_ns[codes]
    moved["time"] = pd.to_datetime(time_ns, utc=True)
    return moved


def same_events(a, b):
    """Same tracks, volumes, faces, entry and exit times (1 µs), and depths within max(1 m, 0.1 %)."""
    if len(a) != len(b):
        return False
    keys = ["track_id", "airspace_id", "entry_face", "exit_face"]
    return (
        all((a[k].astype(str).to_numpy() == b[k].astype(str).to_numpy()).all() for k in keys)
        and (a["entry_time"] - b["entry_time"]).abs().max() <= pd.Timedelta(microseconds=1)
        and (a["exit_time"] - b["exit_time"]).abs().max() <= pd.Timedelta(microseconds=1)
        and (np.abs(a["max_depth_m"] - b["max_depth_m"]) <= np.maximum(1.0, 1e-3 * a["max_depth_m"])).all()
    )


def compare(name, tracks, prepared, repeats, rows):
    """Batch against streaming in 1 s, 10 s and 60 s batches; adds result rows."""
    batch_s, batch_events = timed(lambda: find_violations(tracks, prepared), repeats)
    n = len(tracks)
    print(f"{name}: {n:,} fixes, {tracks['track_id'].nunique():,} tracks, {len(batch_events):,} events; "
          f"batch {batch_s:.3f} s ({n / batch_s / 1e6:.2f} M fixes/s)")
    print(f"  {'batch of':>9}  {'batches':>8}  {'seconds':>8}  {'M fixes/s':>9}  {'x batch':>7}  "
          f"{'ms/batch':>8}  same events")
    for seconds in BATCHES_S:
        n_batches = sum(1 for _ in time_batches(tracks, seconds))
        replay_s, streamed = timed(lambda: replay_events(tracks, prepared, batch_s=seconds), 1)
        ratio = batch_s / replay_s
        print(f"  {seconds:>7} s  {n_batches:>8,}  {replay_s:>8.2f}  {n / replay_s / 1e6:>9.2f}  {ratio:>6.2f}x  "
              f"{1000 * replay_s / n_batches:>8.2f}  {'yes' if same_events(batch_events, streamed) else 'NO'}")
        rows.append((f"{name}, {seconds} s batches: throughput vs batch", f"{ratio:.2f}x", ">= 0.8x",
                     ratio >= 0.8))
    return batch_s


def push_floor(name, tracks, prepared, batch_s):
    """What a 1 s push costs with no fix near any boundary, against what 0.8x the batch allows a push.

    The same batches moved 40 degrees of latitude south, where no airspace
    is: every push does only its bookkeeping (each track's last fix, the
    lon/lat cells that settle it outside), never the core.
    """
    far = tracks.copy()
    far["lat"] -= 40.0
    detector = StreamingDetector(prepared)
    seconds = []
    for batch, ended in time_batches(far, 1):
        start = time.perf_counter()
        detector.push(batch, validated=True)
        detector.end_tracks(ended)
        seconds.append(time.perf_counter() - start)
    allowed_s = batch_s / 0.8 / len(seconds)
    median = statistics.median(seconds)
    print(f"{name}, 1 s batches moved 40 degrees south, away from every boundary: a push costs "
          f"{1e6 * median:.0f} us (median of {len(seconds):,}); 0.8x the batch allows {1e6 * allowed_s:.0f} us "
          f"a push ({median / allowed_s:.0f}x less)")


def empty_time(tracks, prepared, rows):
    """A 30-day gap in the middle costs nothing: replay time with and without it."""
    middle = tracks["time"].min() + (tracks["time"].max() - tracks["time"].min()) / 2
    later = tracks.copy()
    later.loc[later["time"] > middle, "time"] += pd.Timedelta(days=30)
    from tracks import validate_tracks
    later = validate_tracks(later)
    plain_s, _ = timed(lambda: replay_events(tracks, prepared, batch_s=60), 1)
    gap_s, _ = timed(lambda: replay_events(later, prepared, batch_s=60), 1)
    windows = int((later["time"].max() - later["time"].min()).total_seconds() // 60) + 1
    ratio = gap_s / plain_s
    print(f"empty time: 60 s batches, {plain_s:.2f} s without the gap, {gap_s:.2f} s with 30 days of no fixes "
          f"in the middle ({windows:,} windows of 60 s in all): {ratio:.2f}x")
    rows.append(("a 30-day gap of no fixes: replay time with / without", f"{ratio:.2f}x", "<= 1.1x", ratio <= 1.1))


def live(n_aircraft, prepared, rows, steps=30):
    """One-second batches of one fix per aircraft: median and worst push time."""
    flights = europe_traffic(n_aircraft * FIXES_PER_FLIGHT * 12 // 10, seed=1)
    flights = flights[flights.groupby("track_id").cumcount() < steps]
    flights = flights[flights["track_id"].isin(flights["track_id"].unique()[:n_aircraft])].copy()
    step = flights.groupby("track_id").cumcount().to_numpy()
    flights["time"] = pd.Timestamp("2025-09-19 06:00", tz="UTC") + pd.to_timedelta(step, unit="s")
    detector = StreamingDetector(prepared)
    seconds, notices = [], 0
    for batch, _ in time_batches(flights.reset_index(drop=True), 1):
        start = time.perf_counter()
        notices += len(detector.push(batch, validated=True))
        seconds.append(time.perf_counter() - start)
    n_in_air = flights["track_id"].nunique()
    median, worst = statistics.median(seconds[1:]), max(seconds[1:])
    print(f"live: {n_in_air:,} aircraft in the air, one fix each a second, {len(seconds)} batches of 1 s: "
          f"push median {1000 * median:.0f} ms, worst {1000 * worst:.0f} ms (first, with every view's "
          f"first use, {1000 * seconds[0]:.0f} ms); {notices:,} notices")
    rows.append((f"live, {n_in_air:,} aircraft, 1 s batches: worst push", f"{worst:.2f} s", "< 1 s", worst < 1.0))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aircraft", type=int, default=2_000)
    parser.add_argument("--live-aircraft", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1
    rows = []

    national46 = prepare_airspace(airspace.national(STATES_46))
    dense = departing_together(europe_traffic(args.aircraft * FIXES_PER_FLIGHT // scale))
    from tracks import validate_tracks
    dense = validate_tracks(dense.sort_values(["track_id", "time"], kind="stable", ignore_index=True))
    find_violations(dense, national46)  # every view the traffic comes near is prepared before timing
    batch_s = compare("dense traffic, 46 states", dense, national46, args.repeats, rows)
    push_floor("dense traffic", dense, national46, batch_s)

    sparse, fractal = build_tables(make_workload(200_000 // scale, 0))
    fractal = prepare_airspace(fractal)
    batch_s = compare("sparse traffic, one airspace", sparse, fractal, args.repeats, rows)
    push_floor("sparse traffic", sparse, fractal, batch_s)
    empty_time(sparse, fractal, rows)
    live(args.live_aircraft // scale, national46, rows)

    print_targets(rows)


if __name__ == "__main__":
    main()
