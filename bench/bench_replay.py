"""Replay against batch detection: throughput, memory over a long recording, map time.

Run from the repository root::

    python bench/bench_replay.py [--fixes N] [--repeats R]

One process, one seeded workload (:mod:`workload`, the core benchmark's
fractal airspace and tracks):

* throughput: :func:`detect.replay.replay_events` (the streaming detector fed
  in time order, in batches of 65,536 fixes), and the ``replay`` command's
  unpaced path (:func:`detect.cli.replaying.run_replay`: detected at once,
  notices printed after, to a discarded stderr), against
  :func:`detect.find_violations` on the same table; medians of ``R`` runs;
  the events must be the same;
* memory over a long recording: the workload's flights repeated one after the
  other, 1, 2 and 4 times as long, each flight with its own track id; the
  peak traced memory of the replay beyond its input table (tracemalloc)
  should not grow with the length;
* one incident map drawn with :mod:`plots` (median of 3).

No timing is asserted anywhere: this script only prints.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import tracemalloc
import warnings

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench_core import build_tables, timed  # noqa: E402
from workload import make_workload  # noqa: E402

from detect import find_violations  # noqa: E402
from detect.replay import replay_events  # noqa: E402


def longer(tracks: pd.DataFrame, times: int) -> pd.DataFrame:
    """The recording `times` as long: its flights again, after it ends, with new ids."""
    span = tracks["time"].max() - tracks["time"].min() + pd.Timedelta(minutes=1)
    copies = []
    for k in range(times):
        copy = tracks.copy()
        copy["time"] = copy["time"] + k * span
        copy["track_id"] = copy["track_id"] + f"#{k}"
        copies.append(copy)
    return pd.concat(copies, ignore_index=True).sort_values(["track_id", "time"], ignore_index=True)


def quiet_replay_command(tracks, airspace):
    """The events of the ``replay`` command's unpaced path, its notices and summary discarded."""
    import contextlib
    import io

    from detect.cli.replaying import run_replay

    with contextlib.redirect_stderr(io.StringIO()):
        return run_replay(tracks, airspace)


def replay_peak_mb(tracks, airspace):
    """Peak traced memory of a replay, in MB, beyond what was allocated before it."""
    tracemalloc.start()
    base, _ = tracemalloc.get_traced_memory()
    replay_events(tracks, airspace)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (peak - base) / 1e6


def map_seconds(events, tracks, airspace):
    """Median seconds to draw and save one incident map, or None without :mod:`plots`."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import plots
    except ImportError:
        return None
    event = events.iloc[int(np.argmax(events["duration_s"].to_numpy()))]
    one_track = tracks[tracks["track_id"] == event["track_id"]]

    png_path = os.path.join(tempfile.gettempdir(), "airwarden-bench-map.png")

    def draw():
        plots.save(plots.incident_map(event, one_track, airspace), png_path)

    return timed(draw, 3)[0]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixes", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")

    tracks, airspace = build_tables(make_workload(args.fixes, seed=0))
    print("airwarden replay benchmark  (bench/bench_replay.py)")
    print(f"workload: {len(tracks):,} fixes, {tracks['track_id'].nunique():,} tracks, "
          f"{(tracks['time'].max() - tracks['time'].min()).total_seconds() / 3600:.1f} h of recording")

    batch_s, batch = timed(lambda: find_violations(tracks, airspace), args.repeats)
    replay_s, replayed = timed(lambda: replay_events(tracks, airspace), args.repeats)
    same = len(replayed) == len(batch) and (replayed["entry_face"] == batch["entry_face"]).all() and bool(
        (replayed["entry_time"] - batch["entry_time"]).abs().max() <= pd.Timedelta(microseconds=1))
    print()
    print(f"{'method':34s} {'seconds':>8s} {'fixes/s':>10s} {'x batch':>8s} {'events':>7s}")
    print(f"{'find_violations (batch)':34s} {batch_s:8.2f} {len(tracks) / batch_s:10,.0f} {1.0:8.2f} {len(batch):7,}")
    print(f"{'replay (streaming, 64 k-fix batches)':34s} {replay_s:8.2f} {len(tracks) / replay_s:10,.0f} "
          f"{batch_s / replay_s:8.2f} {len(replayed):7,}")
    command_s, commanded = timed(lambda: quiet_replay_command(tracks, airspace), args.repeats)
    print(f"{'replay command, unpaced':34s} {command_s:8.2f} {len(tracks) / command_s:10,.0f} "
          f"{batch_s / command_s:8.2f} {len(commanded):7,}")
    same = same and commanded[batch.columns].equals(batch)
    print(f"same events as the batch core: {same}")

    print()
    print("memory of the replay beyond its input, as the recording gets longer (tracemalloc peak):")
    for times in (1, 2, 4):
        long_tracks = longer(tracks, times)
        print(f"  {times}x: {len(long_tracks):>9,} fixes, {long_tracks['track_id'].nunique():>6,} tracks "
              f"-> {replay_peak_mb(long_tracks, airspace):7.1f} MB")

    seconds = map_seconds(batch, tracks, airspace)
    print()
    print("one incident map: " + ("plots not available" if seconds is None else f"{seconds:.2f} s (median of 3)"))


if __name__ == "__main__":
    main()
