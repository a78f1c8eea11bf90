"""Time to draw one incident map, against a plain geopandas map of the same scene.

Run from the repository root::

    python bench/bench_plots.py [--repeats N]

One process, a cache directory of its own (so the first map also builds the
sovereign airspace it shows). Two cases, events found by ``find_violations``:

``vaindloo``
    a jet flying west along the Gulf of Finland corridor that strays into
    Estonian airspace near Vaindloo (neighbours: Estonia, Finland, Russia);
``kybartai``
    a jet from Kaliningrad cutting a bend of the Lithuanian border south of
    Kybartai, about 15 s and 750 m inside.

Figures, per case:

``first``
    the first ``incident_map`` + PNG at 150 dpi in the process, the
    sovereign airspace built cold into the empty cache; one run.
``map``
    ``plots.incident_map`` then ``plots.save`` to PNG; median of N.
``draw``
    ``incident_map`` alone (no rendering); median of N.
``baseline``
    the plain way one would write first: the national airspace and the
    track with ``GeoDataFrame.to_crs(...).plot`` in the same local
    projection, zoomed to the same box, saved as PNG at 150 dpi; median
    of N. The ratio is map / baseline: what the basemap, territorial sea,
    labels, inset and side panel cost on top of it.

``--scale``: many events at once (``python bench/bench_plots.py --scale``).
For 100, 1,000 and 10,000 events (random straight passes through a
restricted box off Saaremaa, one event each, spread over a day),
``plots.write_event_maps`` draws the overview and the timeline of all the
events and the incident map and profile of up to ``--drawn`` of them (the
``--maps-limit`` of the command line; ``--drawn 0`` draws all), in worker
processes. Printed per size: the seconds of the overview and the
timeline, pictures per second over the incident maps and profiles (and
per worker), pictures per CPU second of the workers (the rate of one
core, whatever else the machine runs meanwhile; start-up included), the
peak memory of the main process and of the largest worker, and the same
pictures per second (wall and CPU) of a plain geopandas plot of the same
tracks (the volume and the track with ``GeoDataFrame.plot``, saved as PNG),
drawn in this process in the same run.

No timing is asserted anywhere: this script only prints.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import os
import statistics
import sys
import tempfile
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from matplotlib.figure import Figure

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import borders
import plots
from airspace import national
from detect import find_violations
from plots.map_projection import local_crs
from tracks import make_tracks

GEOD = pyproj.Geod(ellps="WGS84")

CASES = {
    # (state, waypoints lon/lat, speed m/s, start UTC)
    "vaindloo": ("EST", [(27.6, 59.95), (26.9, 59.90), (26.5, 59.86), (26.30, 59.80), (25.9, 59.79), (25.5, 59.84),
                         (24.6, 59.90)], 140.0, "2025-09-19 09:10:00Z"),
    # a pass cutting a bend of the border south of Kybartai: about 15 s and 750 m inside
    "kybartai": ("LTU", [(22.50967, 54.44678), (22.69384, 54.49965), (22.69292, 54.56144), (22.50884, 54.63302)],
                 230.0, "2025-10-23 16:00:00Z"),
}


def _track(waypoints, speed_mps, start, step_s=5.0):
    """Fixes every `step_s` along great circles through `waypoints` at `speed_mps`."""
    points = []
    for (lon_a, lat_a), (lon_b, lat_b) in itertools.pairwise(waypoints):
        azimuth, _, distance_m = GEOD.inv(lon_a, lat_a, lon_b, lat_b)
        n = max(int(distance_m / (speed_mps * step_s)), 1)
        lon, lat, _ = GEOD.fwd(np.full(n, lon_a), np.full(n, lat_a), np.full(n, azimuth), distance_m * np.arange(n) / n)
        points.append(np.column_stack([lon, lat]))
    points = np.vstack(points + [np.array([waypoints[-1]])])
    times = pd.Timestamp(start) + pd.to_timedelta(np.arange(len(points)) * step_s, unit="s")
    return make_tracks("BENCH1", times, lon=points[:, 0], lat=points[:, 1], alt_baro_m=9000.0)


def _seconds(call):
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _baseline(event, tracks, airspace, box_m, path):
    """National airspace and track with geopandas in the same frame and box, saved as PNG."""
    crs = local_crs(event["deepest_lon"], event["deepest_lat"])
    fig = Figure(figsize=(12.0, 8.5))
    ax = fig.add_subplot()
    airspace.to_crs(crs).plot(ax=ax, facecolor="#f4a582", edgecolor="#b2182b", alpha=0.5)
    line = gpd.GeoSeries([shapely.LineString(tracks[["lon", "lat"]].to_numpy())], crs="EPSG:4326").to_crs(crs)
    line.plot(ax=ax, color="#2156a5")
    ax.set_xlim(box_m[0], box_m[2])
    ax.set_ylim(box_m[1], box_m[3])
    fig.savefig(path, dpi=150)


def _case(state, waypoints, speed_mps, start, repeats, png):
    """Seconds for one case: first map, median map + PNG, median draw, median baseline."""
    tracks = _track(waypoints, speed_mps, start)
    airspace = national(state)
    event = find_violations(tracks, airspace).iloc[0]
    draw = functools.partial(plots.incident_map, event, tracks, airspace)

    def draw_and_save():
        plots.save(draw(), png)

    first = _seconds(draw_and_save)
    full = statistics.median(_seconds(draw_and_save) for _ in range(repeats))
    drawn = statistics.median(_seconds(draw) for _ in range(repeats))
    ax = next(ax for ax in draw().axes if ax.get_lines())
    (xmin, xmax), (ymin, ymax) = ax.get_xlim(), ax.get_ylim()
    baseline_call = functools.partial(_baseline, event, tracks, airspace, (xmin, ymin, xmax, ymax), png)
    baseline = statistics.median(_seconds(baseline_call) for _ in range(repeats))
    return event, first, full, drawn, baseline


SCALE_BOX = (21.95, 58.20, 22.15, 58.30)
SCALE_SIZES = (100, 1_000, 10_000)


def _passes(n_events, seed=0):
    """One straight pass per track through the box, 30 fixes 10 s apart at 200 m/s, starts spread over a day."""
    rng = np.random.default_rng(seed)
    west, south, east, north = SCALE_BOX
    centre_lon = rng.uniform(west + 0.03, east - 0.03, n_events)
    centre_lat = rng.uniform(south + 0.02, north - 0.02, n_events)
    heading = rng.uniform(0.0, 360.0, n_events)
    offsets_m = (np.arange(30) - 14.5) * 2_000.0
    lon, lat, _ = GEOD.fwd(np.repeat(centre_lon, 30), np.repeat(centre_lat, 30), np.repeat(heading, 30),
                           np.tile(offsets_m, n_events))
    start = pd.Timestamp("2025-09-19 00:00Z") + pd.to_timedelta(rng.uniform(0, 86_000, n_events), unit="s")
    times = (np.repeat(start.values, 30) + np.tile(np.arange(30) * np.timedelta64(10, "s"), n_events))
    ids = np.repeat([f"P{i:05d}" for i in range(n_events)], 30)
    return make_tracks(ids, pd.DatetimeIndex(times, tz="UTC"), lon=lon, lat=lat, alt_baro_m=3000.0)


def _peak_mb(who):
    import resource

    return resource.getrusage(who).ru_maxrss / 1024


def _cpu_s(who):
    import resource

    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _plain_geopandas(events, tracks, airspace, directory, count):
    """Pictures per second, wall and CPU, of a plain geopandas plot per event: the volume and the track, as PNG."""
    started, started_cpu = time.perf_counter(), time.process_time()
    volume = airspace.to_crs(3857)
    for i, event in enumerate(events.head(count).itertuples()):
        fixes = tracks[tracks["track_id"] == event.track_id]
        fig = Figure(figsize=(12.0, 8.5))
        ax = fig.add_subplot()
        volume.plot(ax=ax, facecolor="#f4a582", edgecolor="#b2182b", alpha=0.5)
        gpd.GeoSeries([shapely.LineString(fixes[["lon", "lat"]].to_numpy())], crs="EPSG:4326").to_crs(3857).plot(
            ax=ax, color="#2156a5")
        fig.savefig(os.path.join(directory, f"plain-{i}.png"), dpi=150)
    drawn = min(count, len(events))
    return drawn / (time.perf_counter() - started), drawn / (time.process_time() - started_cpu)


def scale(drawn, workers):
    """Pictures per second and peak memory at 100, 1,000 and 10,000 events, against plain geopandas."""
    import resource

    from airspace import make_airspace
    from plots.output import default_workers
    from plots.selection import select_events

    workers = workers or default_workers()
    airspace = make_airspace(shapely.box(*SCALE_BOX), airspace_id="EER-T1", name="EER T1", country="EST",
                             kind="restricted")
    print(f"{workers} worker process(es); incident maps and profiles of up to {drawn or 'all'} events per size")
    print(f"{'events':>7} {'overview+timeline':>18} {'pictures':>9} {'pictures/s':>11} {'per worker':>11} "
          f"{'per CPU s':>10} {'peak main':>10} {'peak worker':>12} {'geopandas/s':>12} {'per CPU s':>10}")
    for n_events in SCALE_SIZES:
        tracks = _passes(n_events)
        events = find_violations(tracks, airspace)
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            plots.write_event_maps(events.head(1), tracks, airspace, out, all_events=events)
            summary_s = time.perf_counter() - started - _seconds(
                lambda: plots.write_event_maps(events.head(1), tracks, airspace, out, all_events=events.head(1)))
            chosen, numbers = select_events(events, limit=drawn or None)
            started, started_cpu = time.perf_counter(), _cpu_s(resource.RUSAGE_CHILDREN)
            paths = plots.write_event_maps(chosen, tracks, airspace, out, numbers=numbers, workers=workers,
                                           all_events=chosen.head(1))
            elapsed, worker_cpu_s = time.perf_counter() - started, _cpu_s(resource.RUSAGE_CHILDREN) - started_cpu
            pictures = len(paths) - 2
            plain, plain_cpu = _plain_geopandas(events, tracks, airspace, out, 40)
        print(f"{len(events):>7} {summary_s:>17.1f}s {pictures:>9} {pictures / elapsed:>11.2f} "
              f"{pictures / elapsed / workers:>11.2f} {pictures / worker_cpu_s:>10.2f} "
              f"{_peak_mb(resource.RUSAGE_SELF):>8.0f}MB {_peak_mb(resource.RUSAGE_CHILDREN):>10.0f}MB "
              f"{plain:>12.2f} {plain_cpu:>10.2f}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--scale", action="store_true", help="many events: 100, 1,000 and 10,000")
    parser.add_argument("--drawn", type=int, default=200, help="with --scale: events whose maps are drawn (0: all)")
    parser.add_argument("--workers", type=int, default=None, help="with --scale: worker processes (default: cores)")
    args = parser.parse_args()
    if args.scale:
        with tempfile.TemporaryDirectory() as directory:
            os.environ[borders.CACHE_DIR_VARIABLE] = os.path.join(directory, "cache")
            scale(args.drawn, args.workers)
        return
    with tempfile.TemporaryDirectory() as directory:
        os.environ[borders.CACHE_DIR_VARIABLE] = os.path.join(directory, "cache")
        png = os.path.join(directory, "map.png")
        print(f"{'case':9} {'event':>16} {'first':>7} {'map':>7} {'draw':>7} {'baseline':>9} {'map/baseline':>13}")
        for name, (state, waypoints, speed_mps, start) in CASES.items():
            event, first, full, drawn, baseline = _case(state, waypoints, speed_mps, start, args.repeats, png)
            described = f"{event['duration_s']:.0f} s, {event['max_depth_m'] / 1000:.2f} km"
            print(
                f"{name:9} {described:>16} {first:6.2f}s {full:6.2f}s {drawn:6.2f}s {baseline:8.2f}s "
                f"{full / baseline:12.1f}x"
            )


if __name__ == "__main__":
    main()
