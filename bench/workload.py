"""Seeded, deterministic benchmark workload: a jagged airspace and many tracks.

The airspace imitates a real coastline or border around 58.6 N 25 E (about the
size of Estonia, ~300 km across): a coarse polygon refined by midpoint
displacement into a fractal ring of ~12 k vertices, with two enclaves (holes)
and two islands (a MultiPolygon). Shapes are built in metres in a local
azimuthal equidistant frame and turned into lon/lat (EPSG:4326).

Tracks are aircraft at 150-300 m/s with a fix every 5 s (with jitter), on
smooth, slowly turning paths whose heading never strays more than 80 degrees
from its mean, so no track crosses itself. The mix:

``cross``
    passes through a random point inside the airspace;
``graze``
    flies along the border, a few hundred metres either side of it, so it cuts
    the jags between fixes that are both outside (corner cuts);
``inside``
    starts inside the airspace;
``near``
    flies along the border 3-40 km outside it.

A share of all tracks has one to three gaps of 60-600 s (the fixes are dropped;
the aircraft keeps flying, so the straight chord across the gap is not its real
path).

Everything is vectorised over all fixes; the same seed gives the same arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyproj
import shapely

CENTER_LON = 25.0
CENTER_LAT = 58.6
LOCAL_CRS = f"+proj=aeqd +lat_0={CENTER_LAT} +lon_0={CENTER_LON} +datum=WGS84 +units=m"

TRACK_KINDS = ("cross", "graze", "inside", "near")
TRACK_SHARES = (0.40, 0.30, 0.15, 0.15)


@dataclass
class Workload:
    """Arrays of the benchmark fixes and the airspace geometry.

    Attributes
    ----------
    geometry : shapely.MultiPolygon
        The airspace, lon/lat degrees (EPSG:4326).
    track_id : numpy.ndarray of str
        Track of each fix; fixes are sorted by track, then time.
    time_ns : numpy.ndarray of int64
        UTC nanoseconds since the epoch.
    lon, lat : numpy.ndarray of float64
        WGS84 degrees.
    alt_baro_m, alt_geo_m : numpy.ndarray of float64
        Pressure and geometric altitude, metres.
    offsets : numpy.ndarray of int64
        Start of each track in the fix arrays, plus the total at the end.
    kinds : numpy.ndarray of str
        Kind of each track (see the module docstring).
    n_gaps : numpy.ndarray of int64
        Number of gaps in each track.
    """

    geometry: shapely.MultiPolygon
    track_id: np.ndarray
    time_ns: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    alt_baro_m: np.ndarray
    alt_geo_m: np.ndarray
    offsets: np.ndarray
    kinds: np.ndarray
    n_gaps: np.ndarray


# --------------------------------------------------------------------------
# Airspace
# --------------------------------------------------------------------------


def fractal_ring(rng, center, radius, n_coarse=10, levels=10, roughness=0.22):
    """Return a simple closed ring refined by midpoint displacement.

    Parameters
    ----------
    rng : numpy.random.Generator
    center : tuple of float
        Centre (x, y) in the local frame, metres.
    radius : float
        Mean radius of the coarse polygon, metres.
    n_coarse : int
        Vertices of the coarse polygon (irregular radii, sorted angles).
    levels : int
        Refinements; each doubles the vertex count.
    roughness : float
        Largest displacement of a midpoint, across its edge, as a fraction of
        the edge length.

    Returns
    -------
    numpy.ndarray of shape (n_coarse * 2**levels, 2)
        Vertices, counter-clockwise, not closed. Each level is redrawn (with
        less roughness) until the ring is simple.
    """
    angles = np.sort(rng.uniform(0, 2 * np.pi, n_coarse))
    angles = np.linspace(0, 2 * np.pi, n_coarse, endpoint=False) * 0.5 + angles * 0.5
    radii = radius * rng.uniform(0.65, 1.25, n_coarse)
    ring = np.column_stack([center[0] + radii * np.cos(angles), center[1] + radii * np.sin(angles)])
    for _ in range(levels):
        r = roughness
        for _attempt in range(50):
            a, b = ring, np.roll(ring, -1, axis=0)
            mid = 0.5 * (a + b)
            normal = np.column_stack([-(b[:, 1] - a[:, 1]), b[:, 0] - a[:, 0]])
            new = mid + normal * rng.uniform(-r, r, len(ring))[:, None]
            refined = np.empty((2 * len(ring), 2))
            refined[0::2] = ring
            refined[1::2] = new
            if shapely.is_simple(shapely.linearrings(refined)):
                break
            r *= 0.8
        else:  # pragma: no cover - never seen with the defaults
            raise RuntimeError("could not refine the ring without self-intersection")
        ring = refined
    return ring


def make_geometry(rng):
    """Build the airspace in the local frame, metres.

    Returns
    -------
    shapely.MultiPolygon
        Mainland (~12 k vertices) with two enclaves, plus two islands; valid,
        oriented (exteriors counter-clockwise, holes clockwise).
    """
    main_ring = fractal_ring(rng, (0.0, 0.0), 140e3, n_coarse=12, levels=10)
    main = shapely.Polygon(main_ring)
    holes = []
    for center, radius in (((30e3, 25e3), 12e3), ((-45e3, -20e3), 9e3)):
        for _ in range(50):
            ring = fractal_ring(rng, center, radius, n_coarse=8, levels=7)
            hole = shapely.Polygon(ring)
            if main.contains(hole.buffer(3e3)) and not any(hole.buffer(3e3).intersects(h) for h in holes):
                holes.append(hole)
                break
            center = (center[0] * 0.8, center[1] * 0.8)
        else:  # pragma: no cover
            raise RuntimeError("could not place an enclave")
    mainland = shapely.Polygon(main_ring, [h.exterior.coords for h in holes])
    islands = []
    for angle, radius in ((np.radians(190.0), 20e3), (np.radians(160.0), 14e3)):
        dist = 150e3
        for _ in range(80):
            center = (dist * np.cos(angle), dist * np.sin(angle))
            island = shapely.Polygon(fractal_ring(rng, center, radius, n_coarse=8, levels=7))
            if not island.buffer(4e3).intersects(mainland) and not any(
                island.buffer(4e3).intersects(i) for i in islands
            ):
                islands.append(island)
                break
            dist += 5e3
        else:  # pragma: no cover
            raise RuntimeError("could not place an island")
    geometry = shapely.orient_polygons(shapely.MultiPolygon([mainland, *islands]))
    if not shapely.is_valid(geometry):  # pragma: no cover
        raise RuntimeError(f"invalid airspace: {shapely.is_valid_reason(geometry)}")
    return geometry


# --------------------------------------------------------------------------
# Tracks
# --------------------------------------------------------------------------


def _segment_starts(lengths):
    """Offsets of consecutive segments of the given lengths (with the total)."""
    return np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)


def _cumsum_by_track(values, offsets):
    """Cumulative sum of ``values`` restarting at each track offset."""
    c = np.cumsum(values)
    lengths = np.diff(offsets)
    before = np.concatenate([[0.0], c])[offsets[:-1]]
    return c - np.repeat(before, lengths)


def _boundary_anchors(rng, geometry, n):
    """Random points on the airspace boundary with their smoothed tangent.

    Returns
    -------
    points, tangents, left_normals : numpy.ndarray of shape (n, 2)
        Because rings are oriented, the airspace lies on the left of the
        tangent, so ``left_normals`` points into it.
    """
    rings = [np.asarray(r.coords)[:-1] for p in geometry.geoms for r in (p.exterior, *p.interiors)]
    weights = np.array([len(r) for r in rings], dtype=float)
    weights = np.where(np.arange(len(rings)) == 0, weights, weights * 3.0)  # favour small rings a bit
    which = rng.choice(len(rings), size=n, p=weights / weights.sum())
    points = np.empty((n, 2))
    tangents = np.empty((n, 2))
    for k, ring in enumerate(rings):
        sel = np.flatnonzero(which == k)
        m = len(ring)
        i = rng.integers(0, m, len(sel))
        span = max(4, m // 200)
        t = ring[(i + span) % m] - ring[(i - span) % m]
        points[sel] = ring[i]
        tangents[sel] = t / np.hypot(t[:, 0], t[:, 1])[:, None]
    normals = np.column_stack([-tangents[:, 1], tangents[:, 0]])
    return points, tangents, normals


def _interior_points(rng, geometry, n):
    """Uniform random points inside ``geometry`` (rejection sampling)."""
    xmin, ymin, xmax, ymax = geometry.bounds
    shapely.prepare(geometry)
    out = []
    while sum(len(o) for o in out) < n:
        x = rng.uniform(xmin, xmax, 4 * n)
        y = rng.uniform(ymin, ymax, 4 * n)
        inside = shapely.contains_xy(geometry, x, y)
        out.append(np.column_stack([x[inside], y[inside]]))
    return np.concatenate(out)[:n]


def make_workload(n_fixes=1_000_000, seed=0):
    """Generate the airspace and the fixes of the benchmark.

    Parameters
    ----------
    n_fixes : int
        Exact number of fixes.
    seed : int
        Seed of every random draw.

    Returns
    -------
    Workload
    """
    rng = np.random.default_rng(seed)
    geometry_m = make_geometry(rng)

    # Track lengths (kept fixes), until exactly n_fixes.
    lengths = rng.integers(100, 400, n_fixes // 100 + 10)
    total = np.cumsum(lengths)
    n_tracks = int(np.searchsorted(total, n_fixes) + 1)
    lengths = lengths[:n_tracks]
    lengths[-1] -= total[n_tracks - 1] - n_fixes
    if lengths[-1] < 100:  # fold a short remainder into the previous track
        lengths[-2] += lengths[-1]
        lengths = lengths[:-1]
        n_tracks -= 1
    kinds = rng.choice(len(TRACK_KINDS), size=n_tracks, p=TRACK_SHARES)

    # Gaps: dropped runs of 12..120 fixes (60..600 s) in 15 % of tracks.
    n_gaps = np.where(rng.random(n_tracks) < 0.15, rng.integers(1, 4, n_tracks), 0)
    gap_len = rng.integers(12, 121, (n_tracks, 3)) * (np.arange(3) < n_gaps[:, None])
    dense_lengths = lengths + gap_len.sum(axis=1)
    dense_off = _segment_starts(dense_lengths)
    n_dense = int(dense_off[-1])
    track_of = np.repeat(np.arange(n_tracks), dense_lengths)

    # Time steps: 5 s with jitter.
    dt = np.clip(rng.normal(5.0, 0.4, n_dense), 4.0, 6.0)
    dt[dense_off[:-1]] = 0.0
    t = _cumsum_by_track(dt, dense_off)

    # Heading: smooth random turn rate (AR(1), up to ~0.3 deg/s), integrated,
    # then softly bounded to +-80 degrees around the mean: no self-crossing.
    phi = 0.98
    noise = rng.normal(0.0, 0.05, n_dense)
    from scipy.signal import lfilter

    rate = lfilter([1.0], [1.0, -phi], noise)  # deg/s, continuous across tracks: fine
    heading_dev = _cumsum_by_track(rate * dt, dense_off)
    heading_dev = np.radians(80.0) * np.tanh(np.radians(heading_dev) / np.radians(80.0))
    speed = np.repeat(rng.uniform(150.0, 300.0, n_tracks), dense_lengths)
    speed *= 1.0 + 0.03 * np.sin(t / 600.0 + track_of)
    vx = speed * np.cos(heading_dev)
    vy = speed * np.sin(heading_dev)
    # Trapezoid integration: smooth path, in a frame where heading 0 is +x.
    vx_prev = np.concatenate([[0.0], vx[:-1]])
    vy_prev = np.concatenate([[0.0], vy[:-1]])
    x = _cumsum_by_track(0.5 * (vx + vx_prev) * dt, dense_off)
    y = _cumsum_by_track(0.5 * (vy + vy_prev) * dt, dense_off)

    # Anchor each track: fix `a` of the path goes to point P with direction H.
    anchor_local = np.zeros(n_tracks, dtype=np.int64)
    P = np.zeros((n_tracks, 2))
    H = np.zeros(n_tracks)
    for k, kind in enumerate(TRACK_KINDS):
        sel = np.flatnonzero(kinds == k)
        n = len(sel)
        if kind == "cross":
            P[sel] = _interior_points(rng, geometry_m, n)
            H[sel] = rng.uniform(0, 2 * np.pi, n)
            anchor_local[sel] = (dense_lengths[sel] * rng.uniform(0.3, 0.7, n)).astype(np.int64)
        elif kind == "inside":
            P[sel] = _interior_points(rng, geometry_m, n)
            H[sel] = rng.uniform(0, 2 * np.pi, n)
            anchor_local[sel] = 0
        else:
            pts, tan, nrm = _boundary_anchors(rng, geometry_m, n)
            if kind == "graze":  # mostly just outside, some just inside
                offset = rng.uniform(-1500.0, 600.0, n)
                turn = rng.normal(0.0, np.radians(8.0), n)
            else:  # near: well outside
                offset = -rng.uniform(3e3, 40e3, n)
                turn = rng.normal(0.0, np.radians(5.0), n)
            P[sel] = pts + nrm * offset[:, None]
            flip = rng.random(n) < 0.5
            H[sel] = np.arctan2(tan[:, 1], tan[:, 0]) + turn + np.where(flip, np.pi, 0.0)
            anchor_local[sel] = (dense_lengths[sel] * rng.uniform(0.3, 0.7, n)).astype(np.int64)
    a = dense_off[:-1] + anchor_local
    a_next = np.minimum(a + 1, dense_off[1:] - 1)
    path_dir = np.arctan2(y[a_next] - y[a], x[a_next] - x[a])
    rot = np.repeat(H - path_dir, dense_lengths)
    dx = x - np.repeat(x[a], dense_lengths)
    dy = y - np.repeat(y[a], dense_lengths)
    cos, sin = np.cos(rot), np.sin(rot)
    X = np.repeat(P[:, 0], dense_lengths) + cos * dx - sin * dy
    Y = np.repeat(P[:, 1], dense_lengths) + sin * dx + cos * dy

    # Altitudes: cruise 1-12 km with slow climbs and descents; baro differs
    # from geometric by a per-track ISA deviation.
    cruise = np.repeat(rng.uniform(1000.0, 12000.0, n_tracks), dense_lengths)
    climb = np.repeat(rng.uniform(-5.0, 5.0, n_tracks), dense_lengths)
    alt_geo = np.clip(cruise + climb * (t - np.repeat(t[a], dense_lengths)), 50.0, 14000.0)
    alt_baro = alt_geo - np.repeat(rng.normal(0.0, 150.0, n_tracks), dense_lengths)

    # Drop the gap fixes. Gap g follows kept fix q_g, with 0 < q_0 < q_1 < q_2
    # < length - 1: gaps never touch each other nor the track's ends.
    keep = np.ones(n_dense, dtype=bool)
    q = np.sort((rng.random((n_tracks, 3)) * (lengths - 4)[:, None]).astype(np.int64), axis=1)
    q += 1 + np.arange(3)
    gaps_before = np.cumsum(gap_len, axis=1) - gap_len
    for g in range(3):
        has = np.flatnonzero(gap_len[:, g] > 0)
        glen = gap_len[has, g]
        start = dense_off[has] + q[has, g] + gaps_before[has, g]
        idx = np.repeat(start, glen) + np.arange(int(glen.sum())) - np.repeat(_segment_starts(glen)[:-1], glen)
        keep[idx] = False
    assert keep.sum() == n_fixes, (keep.sum(), n_fixes)

    # Into lon/lat.
    to_lonlat = pyproj.Transformer.from_crs(LOCAL_CRS, "EPSG:4326", always_xy=True)
    lon, lat = to_lonlat.transform(X[keep], Y[keep])
    geometry = shapely.transform(geometry_m, lambda c: np.column_stack(to_lonlat.transform(c[:, 0], c[:, 1])))
    geometry = shapely.orient_polygons(geometry)
    if not shapely.is_valid(geometry):  # pragma: no cover
        raise RuntimeError(f"invalid airspace: {shapely.is_valid_reason(geometry)}")

    start_ns = np.datetime64("2025-09-19T00:00:00", "ns").astype(np.int64)
    t0 = rng.integers(0, 86_400, n_tracks) * 1_000_000_000 + start_ns
    time_ns = np.repeat(t0, dense_lengths)[keep] + np.round(t[keep] * 1e3).astype(np.int64) * 1_000_000
    names = np.array([f"T{i:05d}" for i in range(n_tracks)])
    offsets = _segment_starts(lengths)
    return Workload(
        geometry=geometry,
        track_id=np.repeat(names, lengths),
        time_ns=time_ns,
        lon=np.asarray(lon, dtype=np.float64),
        lat=np.asarray(lat, dtype=np.float64),
        alt_baro_m=alt_baro[keep],
        alt_geo_m=alt_geo[keep],
        offsets=offsets,
        kinds=np.asarray(TRACK_KINDS)[kinds],
        n_gaps=n_gaps,
    )
