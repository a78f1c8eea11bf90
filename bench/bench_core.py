"""Speed and exactness of ``detect.find_violations`` against its baselines.

Run from the repository root::

    python bench/bench_core.py [--fixes N] [--seed S] [--pymeos-tracks K]

One process, one seeded workload (:mod:`workload`: a fractal Baltic-sized
airspace with enclaves and islands, SFC-UNL, and ``N`` fixes of aircraft
crossing it, grazing its border, starting inside it or flying near it, some
with gaps). Each method runs on the same fixes:

``find_violations``
    the project's core, end to end from lon/lat (validation, projection,
    depth and the events table included), on every core, with the airspace
    prepared once by ``detect.prepare_airspace`` (as the baselines prepare or
    convert their polygon once); then again preparing the airspace in each
    call, and on one thread; median of 7 runs each.
``shapely.contains_xy``
    the fast baseline: classifies fixes with a prepared lon/lat polygon; runs
    of inside fixes within a track become events. It cannot see a segment
    that cuts a corner between two outside fixes, and times crossings at the
    fixes; median of 7 runs.
``pymeos``
    the exact temporal baseline: one linear ``TGeomPointSeq`` per track, made
    by MEOS directly from coordinate arrays (``tpointseq_make_coords``), in
    working-frame metres with SRID 0 (planar, like ``find_violations``), then
    restricted to the polygon (``tgeo_at_geom``, the C function behind
    ``TPoint.at(geometry)``, with the polygon converted once); each sequence of
    the result is one event. One run, on every track when there are at most
    ``K`` (default 10,000, about a minute), else on a seeded random subset of
    ``K`` tracks, and then its fixes/s is on that subset.
``oracle``
    shapely ``LineString`` intersection per track in the working frame of
    ``find_violations`` (``detect.working_crs``), pieces that touch merged;
    the reference for "missed" and "extra"; one run.

Timings include the projection each method needs. Events are matched to the
oracle's by track and entry time within 1 s, except for ``contains_xy``, whose
events start at a fix: an oracle event counts as found by it when one of its
inside runs overlaps the event in time.

No timing is asserted anywhere: this script only prints.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pyproj
import shapely

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from workload import make_workload  # noqa: E402

NS = 1_000_000_000
MATCH_TOLERANCE_NS = NS  # entry times within 1 s
REPEATS = 7  # runs of the fast methods; the median is shown (threads on a shared machine are noisy)
MEOS_EPOCH_NS = np.datetime64("2000-01-01T00:00:00", "ns").astype(np.int64)
TRACK_LENGTH_BOUND_M = 1e7  # longer than any track: separates tracks in one array


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------


def build_tables(work):
    """Turn the workload into the project's tracks and airspace tables.

    Parameters
    ----------
    work : workload.Workload

    Returns
    -------
    tracks : pandas.DataFrame
        From ``tracks.make_tracks``.
    airspace : geopandas.GeoDataFrame
        One SFC-UNL volume, from ``airspace.make_airspace``.
    """
    from airspace import make_airspace
    from tracks import make_tracks

    tracks = make_tracks(
        work.track_id,
        pd.to_datetime(work.time_ns, unit="ns", utc=True),
        work.lon,
        work.lat,
        alt_baro_m=work.alt_baro_m,
        alt_geo_m=work.alt_geo_m,
    )
    airspace = make_airspace(
        work.geometry,
        airspace_id="BENCH-FRACTAL",
        name="Fractal bench airspace",
        country="EST",
        kind="national",
        floor_m=-np.inf,
        ceiling_m=np.inf,
        floor_ref="SFC",
        ceiling_ref="STD",  # the convention for UNL (ceiling_m=+inf)
    )
    return tracks, airspace


def time_ns_of(values):
    """Integer UTC nanoseconds of a tz-aware datetime Series, any resolution."""
    delta = pd.Series(values) - pd.Timestamp(0, tz="UTC")
    return (delta // pd.Timedelta(1, "ns")).to_numpy(np.int64)


def track_index_of(track_id):
    """Integer track index (0, 1, ...) of each fix, and the track offsets.

    Parameters
    ----------
    track_id : array_like
        Sorted by track, as in a tracks table.

    Returns
    -------
    index : numpy.ndarray of int64
    offsets : numpy.ndarray of int64
        Start of each track, plus the total at the end.
    names : numpy.ndarray
        Track id of each index.
    """
    ids = np.asarray(track_id, dtype=object)
    new = np.ones(len(ids), dtype=bool)
    new[1:] = ids[1:] != ids[:-1]
    starts = np.flatnonzero(new)
    index = np.cumsum(new) - 1
    offsets = np.append(starts, len(ids)).astype(np.int64)
    return index.astype(np.int64), offsets, ids[starts]


# --------------------------------------------------------------------------
# Baselines
# --------------------------------------------------------------------------


def contains_xy_events(prepared_lonlat, lon, lat, time_ns, track_index):
    """Events from per-fix classification: runs of inside fixes in a track.

    Parameters
    ----------
    prepared_lonlat : shapely.Geometry
        Prepared airspace polygon, lon/lat degrees.
    lon, lat, time_ns, track_index : numpy.ndarray
        Fixes, sorted by track then time.

    Returns
    -------
    pandas.DataFrame
        ``track``, ``entry_ns``, ``exit_ns`` (times of the first and last
        inside fix of each run) and ``n_fixes``.
    """
    inside = shapely.contains_xy(prepared_lonlat, lon, lat)
    same_track_before = np.zeros(len(inside), dtype=bool)
    same_track_before[1:] = track_index[1:] == track_index[:-1]
    prev_inside = np.zeros(len(inside), dtype=bool)
    prev_inside[1:] = inside[:-1]
    starts = np.flatnonzero(inside & ~(prev_inside & same_track_before))
    next_inside = np.zeros(len(inside), dtype=bool)
    next_inside[:-1] = inside[1:]
    same_track_after = np.zeros(len(inside), dtype=bool)
    same_track_after[:-1] = same_track_before[1:]
    ends = np.flatnonzero(inside & ~(next_inside & same_track_after))
    return pd.DataFrame(
        {
            "track": track_index[starts],
            "entry_ns": time_ns[starts],
            "exit_ns": time_ns[ends],
            "n_fixes": ends - starts + 1,
        }
    )


def _lines_of(x, y, offsets):
    """One shapely LineString per track from concatenated coordinates."""
    return shapely.linestrings(x, y, indices=np.repeat(np.arange(len(offsets) - 1), np.diff(offsets)))


def oracle_events(x, y, time_ns, offsets, polygon_m):
    """Exact events by shapely LineString intersection, one track at a time.

    The track is the polyline through its fixes in the working frame, with
    time linear in distance along each segment. Pieces of the intersection
    that touch (an exit and re-entry at one point, or GEOS splitting a line at
    a vertex) are merged; a piece that is a single point (the track touches
    the boundary) is an event of zero duration.

    Parameters
    ----------
    x, y : numpy.ndarray
        Fixes in working-frame metres, sorted by track then time.
    time_ns : numpy.ndarray of int64
    offsets : numpy.ndarray of int64
        Start of each track, plus the total.
    polygon_m : shapely.Geometry
        Airspace in working-frame metres.

    Returns
    -------
    pandas.DataFrame
        ``track``, ``entry_ns``, ``exit_ns``.
    """
    lines = _lines_of(x, y, offsets)
    shapely.prepare(polygon_m)
    hit = np.flatnonzero(shapely.intersects(polygon_m, lines))
    pieces, which = shapely.get_parts(shapely.intersection(lines[hit], polygon_m), return_index=True)
    track = hit[which]
    # Distance along the track of both ends of each piece.
    first = shapely.get_point(pieces, 0)
    last = shapely.get_point(pieces, -1)
    is_point = shapely.get_type_id(pieces) == 0
    first[is_point] = pieces[is_point]
    last[is_point] = pieces[is_point]
    d0 = shapely.line_locate_point(lines[track], first)
    d1 = shapely.line_locate_point(lines[track], last)
    lo, hi = np.minimum(d0, d1), np.maximum(d0, d1)
    order = np.lexsort((lo, track))
    track, lo, hi = track[order], lo[order], hi[order]
    # Merge pieces that touch (the pieces of one intersection never overlap).
    new = np.ones(len(track), dtype=bool)
    new[1:] = (track[1:] != track[:-1]) | (lo[1:] - hi[:-1] > 1e-3)
    ev_track = track[new]
    ev_lo = lo[new]
    ev_hi = np.maximum.reduceat(hi, np.flatnonzero(new)) if len(hi) else hi
    # Distance along the track -> time, linear within each segment. The
    # segment is found on one array of all tracks (track * bound + distance);
    # the time is interpolated from that track's own distances, which keeps
    # full precision.
    lengths = np.diff(offsets)
    seg = np.hypot(np.diff(x), np.diff(y))
    seg[offsets[1:-1] - 1] = 0.0  # no length between tracks
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    cum_local = cum - np.repeat(cum[offsets[:-1]], lengths)
    fix_track = np.repeat(np.arange(len(offsets) - 1), lengths)
    key = fix_track * TRACK_LENGTH_BOUND_M + cum_local
    t_local = (time_ns - np.repeat(time_ns[offsets[:-1]], lengths)).astype(np.float64)
    t0 = time_ns[offsets[:-1]]

    def time_at(distance):
        a = np.searchsorted(key, ev_track * TRACK_LENGTH_BOUND_M + distance, side="right") - 1
        a = np.clip(a, offsets[ev_track], offsets[ev_track + 1] - 2)
        span = cum_local[a + 1] - cum_local[a]
        frac = np.divide(distance - cum_local[a], span, out=np.zeros_like(span), where=span > 0)
        t = t_local[a] + np.clip(frac, 0.0, 1.0) * (t_local[a + 1] - t_local[a])
        return t0[ev_track] + np.round(t).astype(np.int64)

    return pd.DataFrame(
        {
            "track": ev_track,
            "entry_ns": time_at(ev_lo),
            "exit_ns": time_at(ev_hi),
        }
    )


def pymeos_events(x, y, time_ns, offsets, tracks_subset, polygon_m):
    """Exact events by MEOS: ``tgeo_at_geom`` of one temporal point per track.

    Parameters
    ----------
    x, y : numpy.ndarray
        Fixes in working-frame metres (planar, SRID 0).
    time_ns : numpy.ndarray of int64
    offsets : numpy.ndarray of int64
        Start of each track, plus the total.
    tracks_subset : numpy.ndarray of int64
        Indices of the tracks to run.
    polygon_m : shapely.Geometry
        Airspace in working-frame metres; converted to a MEOS geometry once.

    Returns
    -------
    pandas.DataFrame
        ``track``, ``entry_ns``, ``exit_ns``; one row per sequence of the
        restricted temporal point.

    Notes
    -----
    The results MEOS allocates are not freed (pymeos_cffi exposes no free);
    a few tens of MB for a full run.
    """
    import pymeos_cffi as meos
    from pymeos_cffi.functions import _ffi

    gs = meos.geometry_to_gserialized(polygon_m)
    linear = meos.InterpolationType.LINEAR
    times_us = (time_ns - MEOS_EPOCH_NS) // 1000
    rows_track, rows_entry, rows_exit = [], [], []
    for k in tracks_subset:
        a, b = offsets[k], offsets[k + 1]
        xs = np.ascontiguousarray(x[a:b])
        ys = np.ascontiguousarray(y[a:b])
        ts = np.ascontiguousarray(times_us[a:b])
        seq = meos.tpointseq_make_coords(
            _ffi.from_buffer("double[]", xs),
            _ffi.from_buffer("double[]", ys),
            _ffi.NULL,
            _ffi.from_buffer("int64_t[]", ts),
            int(b - a), 0, False, True, True, linear, False,
        )
        inside = meos.tgeo_at_geom(seq, gs)
        if inside is None:
            continue
        seqs, n = meos.temporal_sequences(inside)
        for i in range(n):
            rows_track.append(k)
            rows_entry.append(meos.temporal_start_timestamptz(seqs[i]))
            rows_exit.append(meos.temporal_end_timestamptz(seqs[i]))
    us = 1000
    return pd.DataFrame(
        {
            "track": np.asarray(rows_track, dtype=np.int64),
            "entry_ns": np.asarray(rows_entry, dtype=np.int64) * us + MEOS_EPOCH_NS,
            "exit_ns": np.asarray(rows_exit, dtype=np.int64) * us + MEOS_EPOCH_NS,
        }
    )


# --------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------


def match_by_entry(reference, found, tolerance_ns=MATCH_TOLERANCE_NS):
    """Pair events one to one: same track, entry times within the tolerance.

    Parameters
    ----------
    reference, found : pandas.DataFrame
        With ``track`` and ``entry_ns``.

    Returns
    -------
    matched : int
    missed : pandas.DataFrame
        Reference events with no partner.
    extra : pandas.DataFrame
        Found events with no partner.
    entry_error_ns : numpy.ndarray
        |entry difference| of each matched pair.
    """
    ref = reference.reset_index(drop=True).assign(ref_row=lambda d: np.arange(len(d)))
    fnd = found.reset_index(drop=True).assign(found_row=lambda d: np.arange(len(d)))
    pairs = ref.merge(fnd, on="track", suffixes=("_ref", "_found"))
    pairs["err"] = (pairs["entry_ns_ref"] - pairs["entry_ns_found"]).abs()
    pairs = pairs[pairs["err"] <= tolerance_ns].sort_values("err", kind="stable")
    pairs = pairs.drop_duplicates("ref_row").drop_duplicates("found_row")
    missed = ref[~ref["ref_row"].isin(pairs["ref_row"])].drop(columns="ref_row")
    extra = fnd[~fnd["found_row"].isin(pairs["found_row"])].drop(columns="found_row")
    return len(pairs), missed, extra, pairs["err"].to_numpy()


def match_by_overlap(reference, found, slack_ns=1000):
    """Pair events one to one when their time intervals overlap on one track.

    Used for ``contains_xy``, whose events begin and end at fixes. The slack
    (1 us) absorbs the oracle's rounding when an event ends exactly at a fix.

    Returns
    -------
    matched : int
    missed : pandas.DataFrame
    extra : pandas.DataFrame
    entry_error_ns : numpy.ndarray
        Delay of the first inside fix after the true entry, per matched pair.
    """
    ref = reference.reset_index(drop=True).assign(ref_row=lambda d: np.arange(len(d)))
    fnd = found.reset_index(drop=True).assign(found_row=lambda d: np.arange(len(d)))
    pairs = ref.merge(fnd, on="track", suffixes=("_ref", "_found"))
    overlap = (pairs["entry_ns_found"] <= pairs["exit_ns_ref"] + slack_ns) & (
        pairs["entry_ns_ref"] <= pairs["exit_ns_found"] + slack_ns
    )
    pairs = pairs[overlap].copy()
    pairs["err"] = (pairs["entry_ns_found"] - pairs["entry_ns_ref"]).abs()
    pairs = pairs.sort_values("err", kind="stable").drop_duplicates("ref_row").drop_duplicates("found_row")
    missed = ref[~ref["ref_row"].isin(pairs["ref_row"])].drop(columns="ref_row")
    extra = fnd[~fnd["found_row"].isin(pairs["found_row"])].drop(columns="found_row")
    return len(pairs), missed, extra, pairs["err"].to_numpy()


def fixes_inside_events(events, time_ns, offsets, slack_ns=1000):
    """Number of fixes whose time lies within each event (ends included, 1 us slack)."""
    span = np.int64(10**14)  # ns, longer than any track (27 hours); keys stay exact in int64
    fix_track = np.repeat(np.arange(len(offsets) - 1, dtype=np.int64), np.diff(offsets))
    key = fix_track * span + (time_ns - np.repeat(time_ns[offsets[:-1]], np.diff(offsets)))
    t0 = time_ns[offsets[:-1]][events["track"].to_numpy()]
    base = events["track"].to_numpy().astype(np.int64) * span
    lo = np.searchsorted(key, base + (events["entry_ns"].to_numpy() - t0 - slack_ns), side="left")
    hi = np.searchsorted(key, base + (events["exit_ns"].to_numpy() - t0 + slack_ns), side="right")
    return hi - lo


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------


def timed(function, repeats):
    """Run ``function`` ``repeats`` times; return the median seconds and the last result."""
    seconds = []
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def print_targets(rows, width=60):
    """Print the targets table: rows of (measure, measured, target, ok)."""
    print("\n== targets ==")
    print(f"{'measure':<{width}}  {'measured':>9}  {'target':>8}  result")
    for measure, measured, target, ok in rows:
        print(f"{measure:<{width}}  {measured:>9}  {target:>8}  {'PASS' if ok else 'FAIL'}")
    print("the machine may be shared: read the ratios, not the seconds.")


def _mb(n_bytes):
    return f"{n_bytes / 2**20:,.1f} MB"


def _fmt_rate(rate):
    return f"{rate / 1e6:,.3f} M" if rate >= 1e5 else f"{rate / 1e3:,.1f} k"


def main(argv=None):
    """Build the workload, run every method, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixes", type=int, default=1_000_000, help="number of fixes (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=0, help="workload seed (default 0)")
    parser.add_argument(
        "--pymeos-tracks", type=int, default=10_000,
        help="run pymeos on at most this many tracks, a seeded random subset when there are more "
        "(about 6 ms a track here); 0 skips it (default 10,000: all tracks of the default workload)",
    )
    args = parser.parse_args(argv)

    import detect
    from detect import find_violations, prepare_airspace, working_crs
    from detect.parallel import default_workers

    t = time.perf_counter()
    work = make_workload(args.fixes, args.seed)
    tracks, airspace = build_tables(work)
    t_build = time.perf_counter() - t

    # The same fixes for everyone, taken from the tracks table.
    track_index, offsets, names = track_index_of(tracks["track_id"])
    time_ns = time_ns_of(tracks["time"])
    lon = tracks["lon"].to_numpy(np.float64)
    lat = tracks["lat"].to_numpy(np.float64)
    polygon = airspace.geometry.iloc[0]
    n_fixes, n_tracks = len(tracks), len(offsets) - 1
    crs = working_crs(polygon)
    forward = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)

    def to_frame(geometry):
        return shapely.transform(geometry, lambda c: np.column_stack(forward.transform(c[:, 0], c[:, 1])))

    parts = shapely.get_parts(polygon)
    n_vertices = int(shapely.get_num_coordinates(polygon))
    n_holes = int(sum(shapely.get_num_interior_rings(parts)))
    print("airwarden core benchmark  (bench/bench_core.py)")
    print(f"machine: {os.cpu_count()} cpus (nproc {len(os.sched_getaffinity(0))}), python {sys.version.split()[0]}, "
          f"numpy {np.__version__}, shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), "
          f"pyproj {pyproj.__version__}")
    kinds, counts = np.unique(work.kinds, return_counts=True)
    print(f"workload: seed {args.seed}, {n_fixes:,} fixes, {n_tracks:,} tracks "
          f"({', '.join(f'{c} {k}' for k, c in zip(kinds, counts))}; {int((work.n_gaps > 0).sum())} with "
          f"{int(work.n_gaps.sum())} gaps of 60-600 s), fix every 5 s +-1 s, 150-300 m/s")
    print(f"airspace: SFC-UNL, {n_vertices:,} vertices, {len(parts)} polygons "
          f"(mainland + {len(parts) - 1} islands), {n_holes} holes, valid={bool(shapely.is_valid(polygon))}, "
          f"bounds lon {polygon.bounds[0]:.2f}..{polygon.bounds[2]:.2f} "
          f"lat {polygon.bounds[1]:.2f}..{polygon.bounds[3]:.2f}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "you will likely lose information" converting to PROJ
        print(f"working frame (detect.working_crs): {crs.to_proj4()}")
    print(f"(workload and tables built in {t_build:.1f} s)")
    print()
    sys.stdout.flush()

    # find_violations, end to end: the airspace prepared once (as the
    # baselines' polygons are), in the call, and on one core.
    prepared_airspace = prepare_airspace(airspace)
    t_fv, events = timed(lambda: find_violations(tracks, prepared_airspace), REPEATS)
    t_fv_cold, events_cold = timed(lambda: find_violations(tracks, airspace), REPEATS)
    t_fv_one, events_one = timed(lambda: find_violations(tracks, prepared_airspace, workers=1), REPEATS)
    for other in (events_cold, events_one):
        pd.testing.assert_frame_equal(other, events)
    name_to_index = pd.Series(np.arange(n_tracks), index=names)
    fv = pd.DataFrame(
        {
            "track": name_to_index.loc[events["track_id"].to_numpy(object)].to_numpy(np.int64),
            "entry_ns": time_ns_of(events["entry_time"]),
            "exit_ns": time_ns_of(events["exit_time"]),
        }
    )

    # contains_xy on the lon/lat polygon.
    prepared = shapely.from_wkb(shapely.to_wkb(polygon))  # own copy: preparing it changes nothing for others
    shapely.prepare(prepared)
    t_cxy, cxy = timed(lambda: contains_xy_events(prepared, lon, lat, time_ns, track_index), REPEATS)

    # Oracle: projection, lines, intersection.
    def run_oracle():
        x, y = forward.transform(lon, lat)
        return oracle_events(np.asarray(x), np.asarray(y), time_ns, offsets, to_frame(polygon)), (x, y)

    t_or, (oracle, (x_m, y_m)) = timed(run_oracle, 1)
    x_m, y_m = np.asarray(x_m), np.asarray(y_m)

    # pymeos on a seeded subset.
    pm = None
    if args.pymeos_tracks != 0:
        from pymeos import pymeos_initialize

        pymeos_initialize("UTC")
        k = min(args.pymeos_tracks, n_tracks)
        subset = np.sort(np.random.default_rng(args.seed + 1).choice(n_tracks, size=k, replace=False))
        sub_fix = np.concatenate([np.arange(offsets[i], offsets[i + 1]) for i in subset])
        sub_offsets = np.concatenate([[0], np.cumsum(np.diff(offsets)[subset])])

        def run_pymeos():
            xs, ys = forward.transform(lon[sub_fix], lat[sub_fix])
            ev = pymeos_events(
                np.asarray(xs), np.asarray(ys), time_ns[sub_fix], sub_offsets, np.arange(k), to_frame(polygon)
            )
            ev["track"] = subset[ev["track"].to_numpy()]
            return ev

        t_pm, pm = timed(run_pymeos, 1)
        pm_fixes = len(sub_fix)

    # Table.
    rate_fv = n_fixes / t_fv
    rows = []

    def add(method, fixes, runs, seconds, found, matcher, reference):
        matched, missed, extra, _ = matcher(reference, found)
        rate = fixes / seconds
        rows.append((method, f"{fixes:,}", runs, f"{seconds:.3f}", _fmt_rate(rate), f"{rate / rate_fv:.2f}",
                     f"{len(found):,}", f"{len(missed):,}", f"{len(extra):,}"))
        return matched, missed, extra

    fv_matched, fv_missed, fv_extra = add(
        "find_violations", n_fixes, f"{REPEATS} (median)", t_fv, fv, match_by_entry, oracle
    )
    add("  airspace prepared in the call", n_fixes, f"{REPEATS} (median)", t_fv_cold, fv, match_by_entry, oracle)
    add("  on one thread", n_fixes, f"{REPEATS} (median)", t_fv_one, fv, match_by_entry, oracle)
    add("shapely.contains_xy (fixes only)*", n_fixes, f"{REPEATS} (median)", t_cxy, cxy, match_by_overlap, oracle)
    if pm is not None:
        sub_oracle = oracle[oracle["track"].isin(subset)]
        label = f"pymeos tgeo_at_geom ({k} of {n_tracks} tracks)" if k < n_tracks else "pymeos tgeo_at_geom"
        add(label, pm_fixes, 1, t_pm, pm, match_by_entry, sub_oracle)
    add("oracle: shapely LineString.intersection", n_fixes, 1, t_or, oracle, match_by_entry, oracle)

    header = ("method", "fixes", "runs", "seconds", "fixes/s", "x find_viol.", "events", "missed", "extra")
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    line = "  ".join("{:<%d}" % widths[0] if i == 0 else "{:>%d}" % w for i, w in enumerate(widths))
    print(line.format(*header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line.format(*r))
    print()
    rate_cxy = n_fixes / t_cxy
    print(f"targets: find_violations at {rate_fv / rate_cxy:.2f}x the contains_xy throughput (>= 0.5: "
          f"{'met' if rate_fv >= 0.5 * rate_cxy else 'NOT met'}; {n_fixes / t_fv_cold / rate_cxy:.2f}x preparing the "
          f"airspace in the call, {n_fixes / t_fv_one / rate_cxy:.2f}x on one thread)", end="")
    if pm is not None:
        rate_pm = pm_fixes / t_pm
        print(f"; at {rate_fv / rate_pm:.0f}x pymeos (>= 10: {'met' if rate_fv >= 10 * rate_pm else 'NOT met'})")
    else:
        print()
    print(f"find_violations: {default_workers()} threads, airspace prepared once by detect.prepare_airspace outside")
    print("  the timing, as contains_xy's polygon is prepared and pymeos' converted once; the next two rows prepare")
    print("  it in each call, and run on one thread (the same events, checked).")
    print("missed / extra: against the oracle, same track and entry time within 1 s;")
    print("  * contains_xy events start and end at fixes, so they are matched by overlapping the oracle event in time.")
    if pm is not None and k < n_tracks:
        print(f"  pymeos ran once on a seeded random subset of {k} tracks ({pm_fixes:,} fixes), compared with the")
        print("  oracle's events on those tracks; its fixes/s is on that subset (projection included, SRID 0 metres).")

    # Character of the oracle's events.
    n_in = fixes_inside_events(oracle, time_ns, offsets)
    print()
    print(f"oracle events: {len(oracle):,} on {oracle['track'].nunique():,} tracks; {int((n_in == 0).sum()):,} "
          f"with no fix inside (corner cuts), {int((n_in == 1).sum()):,} with one fix inside; "
          f"median duration {np.median(oracle['exit_ns'] - oracle['entry_ns']) / NS:.0f} s")
    _, cm, _, cerr = match_by_overlap(oracle, cxy)
    print(f"contains_xy: misses {len(cm):,} events of the oracle's {len(oracle):,}; for those it finds, its entry "
          f"(first inside fix) is late by median {np.median(cerr) / NS:.2f} s, max {cerr.max() / NS:.2f} s")

    # find_violations agreement.
    _, _, _, ferr = match_by_entry(oracle, fv)
    print()
    print(f"find_violations vs oracle: {len(oracle):,} oracle events, {len(fv):,} found; matched {fv_matched:,}, "
          f"missed {len(fv_missed):,}, extra {len(fv_extra):,}")
    if len(ferr):
        print(f"  |entry - oracle entry| over matched events: median {np.median(ferr) / 1e3:.3f} us, "
              f"max {ferr.max() / 1e3:.3f} us")
    for title, df in (("missed", fv_missed), ("extra", fv_extra)):
        for _, r in df.head(5).iterrows():
            print(f"  {title}: {names[r['track']]} entry {pd.Timestamp(int(r['entry_ns']), tz='UTC')} "
                  f"duration {(r['exit_ns'] - r['entry_ns']) / NS:.1f} s")

    # Peak memory of find_violations.
    input_cols = ["track_id", "time", "lon", "lat", "alt_baro_m", "alt_geo_m"]
    deep = int(tracks[input_cols].memory_usage(index=False, deep=True).sum())
    shallow = int(tracks[input_cols].memory_usage(index=False, deep=False).sum())
    print()
    for label, run in (("", lambda: find_violations(tracks, prepared_airspace)),
                       (", airspace prepared in the call", lambda: find_violations(tracks, airspace))):
        tracemalloc.start()
        run()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"find_violations{label}: peak traced memory (tracemalloc, one run) {_mb(peak)} = "
              f"{peak / shallow:.1f} x the input arrays' nbytes ({_mb(shallow)}; {_mb(deep)} counting the "
              "track_id strings)")
    print(f"detect from {os.path.dirname(detect.__file__)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
