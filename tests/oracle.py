"""A slow, independent oracle for :func:`detect.find_violations`.

It answers the same question as the fast core, one track and one airspace at a
time, with the plainest tools available, so that the two can be compared on
random input (``tests/test_core_property.py``). Clarity is the point, not
speed. Nothing is imported from ``detect`` except :func:`detect.working_crs`,
and only when no ``crs`` is given.

Method, per airspace and per track:

1. Frame. Everything happens in one planar frame: ``crs`` if given, else
   ``detect.working_crs(geometry)``. Fixes are projected with pyproj
   (``always_xy``); the polygon's vertices too, so its edges are straight in
   the frame. The parts of a MultiPolygon are snapped onto each other (1 um)
   and unioned, so that a shape split at the antimeridian (two parts sharing
   the seam) is one region and the seam is not a boundary.
2. Runs. The track is cut into runs at gaps (consecutive fixes more than
   ``max_gap_s`` apart); a run is never interpolated across a gap.
3. Constraint sets. For each run, four sets of closed time intervals are
   computed independently:

   * lateral: each segment (a two-point LineString) is intersected with the
     polygon by shapely; each piece (LineString or Point) gives an interval of
     the segment's parameter s in [0, 1] (position and time are both linear in
     s within a segment);
   * floor and ceiling: altitude is linear in s, so ``alt >= floor`` and
     ``alt <= ceiling`` are each one interval of s per segment, solved by hand;
   * activation: ``[valid_from, valid_to]`` clipped to the run.

   Intervals of consecutive segments that touch are merged.
4. Events are the intersections of the four sets: maximal closed intervals.
5. Uncertainty: the duration of the recorded segment holding the crossing
   (for a crossing exactly at a fix: the segment after it for an entry, the
   one before it for an exit, where they exist); the gap's duration for
   ``gap`` faces; NaN for ``start``/``end``; 0 for ``activation`` and
   ``deactivation``, whose times are exact, not interpolated between fixes.
6. Faces: an event beginning at the first fix of a run, that fix being
   inside, is ``start`` (first fix of the track) or ``gap``; otherwise the
   constraint whose own interval begins exactly at the entry time (and, at
   a run's first fix, fails at that fix) is the face (ties, which have measure
   zero, resolve in the order lateral, floor, ceiling, activation). Exit
   likewise (``end``/``gap``; lateral, floor, ceiling, deactivation).
7. Depth: the inside path is sampled at most 1 m apart in the frame and the
   distance to the polygon boundary is taken at every sample (shapely); around
   the best sample it is re-sampled 1 mm apart. The deepest point and its
   nearest boundary point are unprojected and their distance is measured on
   the WGS84 ellipsoid (``pyproj.Geod.inv``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyproj
import shapely

GEOD = pyproj.Geod(ellps="WGS84")
WGS84 = pyproj.CRS.from_epsg(4326)

COLUMNS = [
    "track_id", "airspace_id", "country", "kind",
    "entry_time", "exit_time", "duration_s",
    "entry_face", "exit_face", "entry_uncertainty_s", "exit_uncertainty_s",
    "max_depth_m", "deepest_time", "deepest_lon", "deepest_lat",
    "entry_lon", "entry_lat", "exit_lon", "exit_lat",
    "min_alt_m", "max_alt_m", "n_fixes",
    # oracle extras, for diagnosis
    "max_depth_frame_m", "alt_used",
]

# When two merged pieces are this close in time (s), they are one interval.
MERGE_TOL_S = 1e-9
# Vertices of two parts of one airspace closer than this (m, in the frame) are the same vertex.
SEAM_SNAP_M = 1e-6


def oracle_events(tracks, airspace, *, crs=None, max_gap_s=None) -> pd.DataFrame:
    """Events of every track in every airspace row, computed slowly.

    Parameters
    ----------
    tracks : pandas.DataFrame
        The tracks table (``track_id``, ``time``, ``lon``, ``lat``,
        ``alt_baro_m``, ``alt_geo_m``).
    airspace : geopandas.GeoDataFrame
        The airspace table.
    crs : optional
        Working frame for every airspace; default ``detect.working_crs``.
    max_gap_s : float, optional
        Segments longer than this are not interpolated.

    Returns
    -------
    pandas.DataFrame
        One row per event, columns :data:`COLUMNS`, sorted by track_id,
        entry_time, airspace_id.
    """
    rows = []
    for _, asp in airspace.iterrows():
        frame = _Frame(asp.geometry, crs)
        limits = _Limits(asp)
        for track_id, trk in tracks.groupby("track_id", sort=True):
            trk = trk.sort_values("time")
            for ev in _track_events(trk, frame, limits, max_gap_s):
                ev.update(track_id=track_id, airspace_id=asp["airspace_id"],
                          country=asp.get("country", ""), kind=asp.get("kind", ""))
                rows.append(ev)
    out = pd.DataFrame(rows, columns=COLUMNS)
    out = out.sort_values(["track_id", "entry_time", "airspace_id"], kind="mergesort")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------
# frame and limits


class _Frame:
    def __init__(self, geometry_lonlat, crs):
        if crs is None:
            from detect import working_crs  # the only thing taken from detect
            crs = working_crs(geometry_lonlat)
        self.crs = pyproj.CRS.from_user_input(crs)
        self.fwd = pyproj.Transformer.from_crs(WGS84, self.crs, always_xy=True)
        self.inv = pyproj.Transformer.from_crs(self.crs, WGS84, always_xy=True)

        projected = shapely.transform(
            geometry_lonlat, lambda xy: np.column_stack(self.fwd.transform(xy[:, 0], xy[:, 1]))
        )
        parts = list(shapely.get_parts(projected))
        if len(parts) > 1:
            # Parts that share an edge (a shape split at the antimeridian) are one region: snap
            # each part's vertices onto the others' (they differ by rounding only) and union.
            parts = [
                shapely.snap(p, shapely.MultiPolygon(parts[:i] + parts[i + 1:]), SEAM_SNAP_M)
                for i, p in enumerate(parts)
            ]
        self.polygon = shapely.union_all(parts)
        self.boundary = self.polygon.boundary
        shapely.prepare(self.polygon)
        shapely.prepare(self.boundary)

    def to_xy(self, lon, lat):
        x, y = self.fwd.transform(np.asarray(lon, float), np.asarray(lat, float))
        return np.asarray(x, float), np.asarray(y, float)

    def to_lonlat(self, x, y):
        lon, lat = self.inv.transform(np.asarray(x, float), np.asarray(y, float))
        lon = (np.asarray(lon, float) + 180.0) % 360.0 - 180.0
        return lon, np.asarray(lat, float)


def _is_missing(v):
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT or pd.isna(v)


class _Limits:
    """Vertical limits and activation window of one airspace row."""

    def __init__(self, asp):
        floor_m = float(asp.get("floor_m", -np.inf))
        floor_ref = str(asp.get("floor_ref", "SFC")).upper()
        ceil_m = float(asp.get("ceiling_m", np.inf))
        ceil_ref = str(asp.get("ceiling_ref", "UNL")).upper()
        for ref, val in ((floor_ref, floor_m), (ceil_ref, ceil_m)):
            if ref == "AGL" and np.isfinite(val):
                raise NotImplementedError("the oracle has no terrain: AGL limits are not supported")
        # SFC floor or -inf: no floor; +inf: no ceiling
        self.floor = None if (floor_ref == "SFC" or not np.isfinite(floor_m)) else (floor_m, _alt_column(floor_ref))
        self.ceiling = None if not np.isfinite(ceil_m) else (ceil_m, _alt_column(ceil_ref))
        vf = asp.get("valid_from", None)
        vt = asp.get("valid_to", None)
        self.valid_from = None if _is_missing(vf) else pd.Timestamp(vf)
        self.valid_to = None if _is_missing(vt) else pd.Timestamp(vt)
        used = {c for _, c in filter(None, (self.floor, self.ceiling))}
        self.alt_used = used.pop() if len(used) == 1 else None


def _alt_column(ref):
    if ref == "STD":
        return "alt_baro_m"
    if ref == "MSL":
        return "alt_geo_m"
    raise ValueError(f"unsupported vertical reference {ref!r}")


# --------------------------------------------------------------------------
# intervals


def _merge(intervals):
    """Union of closed intervals, touching ones merged."""
    out = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1] + MERGE_TOL_S:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [tuple(iv) for iv in out]


def _intersect(xs, ys):
    """Intersection of two unions of closed intervals (zero-length results kept)."""
    out = []
    i = j = 0
    while i < len(xs) and j < len(ys):
        a = max(xs[i][0], ys[j][0])
        b = min(xs[i][1], ys[j][1])
        if a <= b:
            out.append((a, b))
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return out


def _containing(intervals, t):
    for iv in intervals:
        if iv[0] <= t <= iv[1]:
            return iv
    raise AssertionError("event not inside its own constraint")  # pragma: no cover


def _seg_time(t0, t1, s):
    """Time at parameter s of a segment; exact at s = 0 and s = 1."""
    return t0 * (1.0 - s) + t1 * s


def _lateral_s(frame, x0, y0, x1, y1):
    """Intervals of s in [0, 1] where the segment is in the polygon (boundary included)."""
    if x0 == x1 and y0 == y1:  # hovering: the whole segment is one point
        return [(0.0, 1.0)] if frame.polygon.intersects(shapely.Point(x0, y0)) else []
    seg = shapely.LineString([(x0, y0), (x1, y1)])
    dx, dy = x1 - x0, y1 - y0
    d2 = dx * dx + dy * dy
    out = []
    for piece in shapely.get_parts(shapely.intersection(seg, frame.polygon)):
        for part in shapely.get_parts(piece):  # flatten nested collections
            if part.is_empty:
                continue
            c = shapely.get_coordinates(part)
            s = ((c[:, 0] - x0) * dx + (c[:, 1] - y0) * dy) / d2
            for k in range(len(s)):  # snap the segment's own end points exactly
                if c[k, 0] == x0 and c[k, 1] == y0:
                    s[k] = 0.0
                elif c[k, 0] == x1 and c[k, 1] == y1:
                    s[k] = 1.0
            out.append((float(np.clip(s.min(), 0, 1)), float(np.clip(s.max(), 0, 1))))
    return out


def _linear_s(a0, a1, bound, above):
    """Interval of s in [0, 1] where a0 + (a1 - a0) s >= bound (above) or <= bound."""
    if np.isnan(a0) or np.isnan(a1):
        return []
    if a0 == a1:
        ok = a0 >= bound if above else a0 <= bound
        return [(0.0, 1.0)] if ok else []
    with np.errstate(over="ignore"):
        s = (bound - a0) / (a1 - a0)
    rising = a1 > a0
    if rising == above:  # satisfied for s >= s*
        lo, hi = max(s, 0.0), 1.0
    else:  # satisfied for s <= s*
        lo, hi = 0.0, min(s, 1.0)
    return [(lo, hi)] if lo <= hi else []


# --------------------------------------------------------------------------
# one track


def _track_events(trk, frame, limits, max_gap_s):
    time0 = trk["time"].iloc[0]
    t_ns = ((trk["time"] - time0) // pd.Timedelta(1, "ns")).to_numpy(np.int64)
    t = t_ns * 1e-9
    x, y = frame.to_xy(trk["lon"].to_numpy(float), trk["lat"].to_numpy(float))
    alts = {c: (trk[c].to_numpy(float) if c in trk else np.full(len(t), np.nan)) for c in ("alt_baro_m", "alt_geo_m")}
    n = len(t)

    def ts(sec):
        return time0 + pd.Timedelta(_ns(sec), "ns")

    def rel(stamp):
        return (pd.Timestamp(stamp) - time0) / pd.Timedelta(1, "ns") * 1e-9

    def fix_ok(name, i):
        """Whether constraint `name` holds exactly at fix i."""
        if name == "lateral":
            return bool(frame.polygon.intersects(shapely.Point(x[i], y[i])))
        if name in ("floor", "ceiling"):
            lim = limits.floor if name == "floor" else limits.ceiling
            if lim is None:
                return True
            a = alts[lim[1]][i]
            return bool(a >= lim[0]) if name == "floor" else bool(a <= lim[0])
        lo_ok = limits.valid_from is None or t[i] >= rel(limits.valid_from)
        hi_ok = limits.valid_to is None or t[i] <= rel(limits.valid_to)
        return bool(lo_ok and hi_ok)

    # runs of fixes not separated by gaps
    cuts = [0]
    for k in range(n - 1):
        if max_gap_s is not None and t_ns[k + 1] - t_ns[k] > max_gap_s * 1e9:  # exact in ns
            cuts.append(k + 1)
    cuts.append(n)
    runs = [(cuts[i], cuts[i + 1] - 1) for i in range(len(cuts) - 1)]

    events = []
    for i0, i1 in runs:
        cons = {}
        # lateral
        lat = []
        if i0 == i1:
            if frame.polygon.intersects(shapely.Point(x[i0], y[i0])):
                lat.append((t[i0], t[i0]))
        for k in range(i0, i1):
            for s0, s1 in _lateral_s(frame, x[k], y[k], x[k + 1], y[k + 1]):
                lat.append((_seg_time(t[k], t[k + 1], s0), _seg_time(t[k], t[k + 1], s1)))
        cons["lateral"] = _merge(lat)
        # floor and ceiling
        for name, lim, above in (("floor", limits.floor, True), ("ceiling", limits.ceiling, False)):
            if lim is None:
                cons[name] = [(t[i0], t[i1])]
                continue
            bound, col = lim
            a = alts[col]
            ivs = []
            if i0 == i1:
                if not np.isnan(a[i0]) and (a[i0] >= bound if above else a[i0] <= bound):
                    ivs.append((t[i0], t[i0]))
            for k in range(i0, i1):
                for s0, s1 in _linear_s(a[k], a[k + 1], bound, above):
                    ivs.append((_seg_time(t[k], t[k + 1], s0), _seg_time(t[k], t[k + 1], s1)))
            cons[name] = _merge(ivs)
        # activation window
        lo = t[i0] if limits.valid_from is None else max(t[i0], rel(limits.valid_from))
        hi = t[i1] if limits.valid_to is None else min(t[i1], rel(limits.valid_to))
        cons["activation"] = [(lo, hi)] if lo <= hi else []

        inside = cons["lateral"]
        for name in ("floor", "ceiling", "activation"):
            inside = _intersect(inside, cons[name])

        for T0, T1 in inside:
            events.append(_describe(T0, T1, i0, i1, t, t_ns, x, y, alts, cons, frame, limits, ts, fix_ok))
    return events


def _ns(sec):
    """Seconds after the track's first fix to whole nanoseconds (the events' resolution)."""
    return int(round(sec * 1e9))


def _describe(T0, T1, i0, i1, t, t_ns, x, y, alts, cons, frame, limits, ts, fix_ok):
    n = len(t)
    # faces; 'start'/'gap' only where the run's first (last) fix is itself inside: an event that
    # begins within a rounding error after that fix, through the floor say, keeps the face of its
    # cause. At a run's edge every constraint's interval is clipped, so there only a constraint
    # that fails at the fix itself can be the cause.
    names = ("lateral", "floor", "ceiling", "activation")
    if T0 == t[i0] and all(fix_ok(c, i0) for c in names):
        entry_face = "start" if i0 == 0 else "gap"
    else:
        entry_face = next(
            c for c in names
            if _containing(cons[c], T0)[0] == T0 and not (T0 == t[i0] and fix_ok(c, i0))
        )
    if T1 == t[i1] and all(fix_ok(c, i1) for c in names):
        exit_face = "end" if i1 == n - 1 else "gap"
    else:
        exit_face = next(
            c for c in names
            if _containing(cons[c], T1)[1] == T1 and not (T1 == t[i1] and fix_ok(c, i1))
        )
        exit_face = "deactivation" if exit_face == "activation" else exit_face

    # uncertainties: the recorded segment holding the crossing
    if entry_face == "start":
        unc_in = np.nan
    elif entry_face == "gap":
        unc_in = t[i0] - t[i0 - 1]
    elif entry_face == "activation":
        unc_in = 0.0
    else:
        k = int(np.searchsorted(t, T0, side="right")) - 1  # t[k] <= T0 < t[k+1]
        k = min(max(k, i0), i1 - 1)  # a crossing at the last fix of a run lies in the segment before it
        unc_in = t[k + 1] - t[k]
    if exit_face == "end":
        unc_out = np.nan
    elif exit_face == "gap":
        unc_out = t[i1 + 1] - t[i1]
    elif exit_face == "deactivation":
        unc_out = 0.0
    else:
        k = int(np.searchsorted(t, T1, side="left"))  # t[k-1] < T1 <= t[k]
        k = min(max(k, i0 + 1), i1)  # a crossing at the first fix of a run lies in the segment after it
        unc_out = t[k] - t[k - 1]

    tr, xr, yr = t[i0:i1 + 1], x[i0:i1 + 1], y[i0:i1 + 1]

    def pos(times):
        return np.interp(times, tr, xr), np.interp(times, tr, yr)

    ex0, ey0 = pos(T0)
    ex1, ey1 = pos(T1)
    elon0, elat0 = frame.to_lonlat(ex0, ey0)
    elon1, elat1 = frame.to_lonlat(ex1, ey1)

    # depth: brute-force sampling of the inside path, <= 1 m apart
    knots = np.concatenate([[T0], tr[(tr > T0) & (tr < T1)], [T1]])
    kx, ky = pos(knots)
    sample_t = [np.array([T0])]
    for a in range(len(knots) - 1):
        length = math.hypot(kx[a + 1] - kx[a], ky[a + 1] - ky[a])
        m = max(int(math.ceil(length / 1.0)), 1)
        sample_t.append(np.linspace(knots[a], knots[a + 1], m + 1)[1:])
    sample_t = np.concatenate(sample_t)
    sx, sy = pos(sample_t)
    d = shapely.distance(shapely.points(sx, sy), frame.boundary)
    j = int(np.argmax(d))
    # refine around the best sample, 1 mm apart (the window is <= 2 m long)
    lo_t = sample_t[max(j - 1, 0)]
    hi_t = sample_t[min(j + 1, len(sample_t) - 1)]
    fine_t = np.linspace(lo_t, hi_t, 2001)
    fx, fy = pos(fine_t)
    fd = shapely.distance(shapely.points(fx, fy), frame.boundary)
    jf = int(np.argmax(fd))
    if fd[jf] >= d[j]:
        best_t, px, py, depth_frame = fine_t[jf], fx[jf], fy[jf], fd[jf]
    else:  # pragma: no cover
        best_t, px, py, depth_frame = sample_t[j], sx[j], sy[j], d[j]
    near = shapely.get_coordinates(shapely.shortest_line(shapely.Point(px, py), frame.boundary))[1]
    plon, plat = frame.to_lonlat(px, py)
    qlon, qlat = frame.to_lonlat(near[0], near[1])
    depth = 0.0 if depth_frame == 0 else float(GEOD.inv(plon, plat, qlon, qlat)[2])

    # altitude range of the altitude the limits use
    if limits.alt_used is not None:
        a = alts[limits.alt_used][i0:i1 + 1]
        inner = a[(tr >= T0) & (tr <= T1)]
        vals = np.concatenate([inner, [np.interp(T0, tr, a), np.interp(T1, tr, a)]])
        min_alt, max_alt = float(np.nanmin(vals)), float(np.nanmax(vals))
    else:
        min_alt = max_alt = np.nan

    return dict(
        entry_time=ts(T0), exit_time=ts(T1), duration_s=T1 - T0,
        entry_face=entry_face, exit_face=exit_face,
        entry_uncertainty_s=unc_in, exit_uncertainty_s=unc_out,
        max_depth_m=depth, deepest_time=ts(best_t), deepest_lon=float(plon), deepest_lat=float(plat),
        entry_lon=float(elon0), entry_lat=float(elat0), exit_lon=float(elon1), exit_lat=float(elat1),
        min_alt_m=min_alt, max_alt_m=max_alt,
        # counted against the reported (nanosecond) times, as a user would count them
        n_fixes=int(np.sum((t_ns >= _ns(T0)) & (t_ns <= _ns(T1)))),
        max_depth_frame_m=float(depth_frame), alt_used=limits.alt_used,
    )
