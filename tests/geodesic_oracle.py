"""A brute-force geodesic depth oracle, independent of :mod:`detect`.

It answers one question slowly and plainly: how far inside a volume's lateral
boundary does a path get, measured on the WGS84 ellipsoid? Nothing is taken
from ``detect`` (no working frame, no projection at all): every distance is a
``pyproj.Geod`` geodesic.

Conventions (the "truth" the core is held to)
---------------------------------------------
* The boundary is the geometry as stored in EPSG:4326: every edge is straight
  in lon/lat (the GeoJSON / shapely reading), densified like
  ``shapely.segmentize`` to pieces of at most ``step_deg`` degrees of arc
  (0.002: ~222 m; counted in arc, not in longitude, so that edges near the
  poles are not cut into centimetres), shorter near the poles so that a piece
  and the geodesic between its ends part by at most 1 cm
  (:data:`SAGITTA_M`). Each piece is then taken as a geodesic
  (:data:`PIECE_ALLOWANCE_M`). ``edges="geodesic"`` reads every
  original edge as a geodesic instead: the two readings differ only on long
  edges, and the difference is the honest ambiguity of "the boundary" there.
* Parts of a MultiPolygon split at the antimeridian share seam edges on
  lon = +-180; a seam edge with the volume on both sides is not boundary and
  is dropped.
* The path between two fixes is the geodesic between them (a track's fixes
  are at most ~10 km apart in the tests, where a geodesic and a straight line
  of any local working projection differ by centimetres). Time runs in
  proportion to the distance along it.
* A point is inside when shapely says the lon/lat polygon intersects it.

Distance from a point to the boundary
-------------------------------------
The densified pieces are indexed by their midpoints, in Earth-centred
Cartesian coordinates on the ellipsoid, in a ``scipy.spatial.cKDTree``. For
each point the ``k`` nearest pieces are measured exactly: the foot of the
point on the piece is found from the geodesic azimuths at the piece's start
(spherical along-track distance), clipped to the piece, and the distance to it
is a ``Geod.inv``. The candidate set is then *proven*
complete: the true nearest piece's midpoint is at most ``best + Lmax/2``
away geodesically, hence as a chord (a chord is never longer than the
geodesic), so if the k-th candidate's chord is longer than that, no piece was
missed; otherwise every piece within that chord is measured
(``query_ball_point``). Cheap bounds need no geodesic at all:
``chord <= geodesic <= 2 rho asin(chord / 2 rho)`` with rho the ellipsoid's
smallest radius of curvature (:func:`_geodesic_upper`). The foot is exact to
first order, so the distance is exact to second order: to about a millimetre
(checked in ``tests/test_depth_geodesic.py`` against plain brute force).

Maximum depth along a path
--------------------------
The path is sampled every ``step_m`` metres (geodesic). Distance to the
boundary is 1-Lipschitz along the path, so the true maximum is at most
``step_m / 2`` above the sampled one. Cheap chord bounds discard samples
that cannot hold the maximum; the rest are measured exactly; around every
sample that could lift the maximum by more than ``fine_m / 2`` the path is
re-sampled every ``fine_m`` metres (by default a tenth of the issue's
tolerance max(1 m, 0.1 %), at least 0.25 m). The result is a bracket
``[lo, hi]`` holding the true maximum, with ``lo`` attained at a real point of
the path.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pyproj
import shapely
from scipy.spatial import cKDTree

GEOD = pyproj.Geod(ellps="WGS84")

#: Radius (m) of the sphere of the along-track formula that places a point's foot on a piece.
R_SPHERE = 6_371_008.8
#: WGS84 semi-major axis (m) and first eccentricity squared.
A_WGS84 = 6_378_137.0
E2_WGS84 = 6.69437999014e-3
#: The smallest radius of curvature of the WGS84 ellipsoid (the meridian's at the equator, a(1-e^2)):
#: no geodesic bends more sharply than a circle of this radius.
RHO_MIN = A_WGS84 * (1.0 - E2_WGS84)
#: Metres per degree of latitude at most (at the poles), for upper estimates of lengths.
M_PER_DEG_MAX = 111_700.0
#: Pieces are made short enough that a lon/lat-straight piece and the geodesic between its ends
#: part by at most this much (m), by the estimate L^2 tan(lat) / 8R.
SAGITTA_M = 0.01
#: How far (m) a densified piece, read as a geodesic, may stray from the lon/lat-straight edge it
#: belongs to (SAGITTA_M, with a margin for the estimate): a distance to the boundary is exact to this.
PIECE_ALLOWANCE_M = 0.05


def _ecef(lon_deg, lat_deg):
    """Earth-centred Cartesian coordinates (m) of points on the WGS84 ellipsoid (height 0)."""
    lon = np.radians(np.asarray(lon_deg, float))
    lat = np.radians(np.asarray(lat_deg, float))
    s = np.sin(lat)
    n = A_WGS84 / np.sqrt(1.0 - E2_WGS84 * s * s)
    c = n * np.cos(lat)
    return np.column_stack([c * np.cos(lon), c * np.sin(lon), n * (1.0 - E2_WGS84) * s])


def _geodesic_upper(chord):
    """Upper bound of the geodesic distance between two points of the ellipsoid from their chord.

    A geodesic is a space curve of curvature at most 1/RHO_MIN, so (Schur's comparison theorem) its
    chord is at least that of a circular arc of radius RHO_MIN and the same length:
    chord <= geodesic <= 2 RHO_MIN asin(chord / 2 RHO_MIN).
    """
    return 2.0 * RHO_MIN * np.arcsin(np.clip(np.asarray(chord, float) / (2.0 * RHO_MIN), 0.0, 1.0))


def _wrap(lon):
    return (np.asarray(lon, float) + 180.0) % 360.0 - 180.0


# --------------------------------------------------------------------------
# the boundary


class GeodesicBoundary:
    """The lateral boundary of one volume, densified, for exact geodesic distances.

    Parameters
    ----------
    geometry : shapely Polygon or MultiPolygon
        Lon/lat degrees (EPSG:4326).
    step_deg : float
        Densify every edge to pieces of at most this many degrees of arc.
    edges : {"lonlat", "geodesic"}
        Read an original edge as straight in lon/lat (the stored geometry's meaning) or as the
        geodesic between its vertices.
    k : int
        Candidate pieces measured exactly per point before the completeness check.
    """

    def __init__(self, geometry, *, step_deg=0.002, edges="lonlat", k=16):
        if edges not in ("lonlat", "geodesic"):
            raise ValueError(edges)
        self.geometry = geometry
        self.edges = edges
        shapely.prepare(geometry)
        a_lon, a_lat, b_lon, b_lat, orig = [], [], [], [], []
        n_orig = 0
        for ring in self._rings(geometry):
            xy = shapely.get_coordinates(ring)
            p, q = xy[:-1], xy[1:]
            keep = ~np.all(p == q, axis=1)
            p, q = p[keep], q[keep]
            n = self._n_pieces(p, q, step_deg)
            edge = np.repeat(np.arange(len(p)), n)
            j = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
            f0 = j / n[edge]
            f1 = (j + 1) / n[edge]
            for f, lon_out, lat_out in ((f0, a_lon, a_lat), (f1, b_lon, b_lat)):
                lon, lat = self._interp(p[edge], q[edge], f)
                lon_out.append(lon)
                lat_out.append(lat)
            orig.append(edge + n_orig)
            n_orig += len(p)
        a_lon, a_lat = np.concatenate(a_lon), np.concatenate(a_lat)
        b_lon, b_lat = np.concatenate(b_lon), np.concatenate(b_lat)
        orig = np.concatenate(orig)

        # seam edges on lon = +-180 with the volume on both sides are not boundary
        seam = (np.abs(a_lon) == 180.0) & (np.abs(b_lon) == 180.0)
        if seam.any():
            mid_lat = 0.5 * (a_lat[seam] + b_lat[seam])
            east = shapely.intersects_xy(geometry, np.full(mid_lat.shape, -180.0 + 1e-7), mid_lat)
            west = shapely.intersects_xy(geometry, np.full(mid_lat.shape, 180.0 - 1e-7), mid_lat)
            drop = np.zeros(len(a_lon), bool)
            drop[np.flatnonzero(seam)[east & west]] = True
            keep = ~drop
            a_lon, a_lat, b_lon, b_lat, orig = a_lon[keep], a_lat[keep], b_lon[keep], b_lat[keep], orig[keep]
            self.n_seam_dropped = int(drop.sum())
        else:
            self.n_seam_dropped = 0

        self.a_lon, self.a_lat, self.b_lon, self.b_lat, self.orig_edge = a_lon, a_lat, b_lon, b_lat, orig
        self.az, _, self.length = GEOD.inv(a_lon, a_lat, b_lon, b_lat)
        self.az, self.length = np.asarray(self.az), np.asarray(self.length)
        m_lon, m_lat, _ = GEOD.fwd(a_lon, a_lat, self.az, self.length / 2.0)
        self.tree = cKDTree(_ecef(m_lon, m_lat))
        self.max_piece_m = float(self.length.max())
        self.k = min(k, len(a_lon))

    @staticmethod
    def _n_pieces(p, q, step_deg):
        """Pieces per edge: at most `step_deg` degrees of arc (~222 m for 0.002) and short enough
        that a lon/lat-straight piece and the geodesic part by at most SAGITTA_M."""
        dlat = np.abs(q[:, 1] - p[:, 1])
        dlon = np.abs(q[:, 0] - p[:, 0])
        same_side = np.sign(p[:, 1]) == np.sign(q[:, 1])
        lat_lo = np.where(same_side, np.minimum(np.abs(p[:, 1]), np.abs(q[:, 1])), 0.0)
        lat_hi = np.minimum(np.maximum(np.abs(p[:, 1]), np.abs(q[:, 1])), 89.999)
        length = M_PER_DEG_MAX * np.hypot(dlat, dlon * np.cos(np.radians(lat_lo)))  # an upper estimate
        by_arc = length / (step_deg * M_PER_DEG_MAX)
        # the sagitta of a lon/lat-straight piece of length L against the geodesic: L^2 tan(lat) / 8R
        l_sag = np.sqrt(8.0 * R_SPHERE * SAGITTA_M / np.maximum(np.tan(np.radians(lat_hi)), 1e-9))
        return np.maximum(np.ceil(np.maximum(by_arc, length / l_sag)).astype(int), 1)

    @staticmethod
    def _rings(geometry):
        for poly in shapely.get_parts(geometry):
            yield poly.exterior
            yield from poly.interiors

    def _interp(self, p, q, f):
        if self.edges == "lonlat":
            lon = p[:, 0] + (q[:, 0] - p[:, 0]) * f
            lat = p[:, 1] + (q[:, 1] - p[:, 1]) * f
            return lon, lat
        az, _, dist = GEOD.inv(p[:, 0], p[:, 1], q[:, 0], q[:, 1])
        lon, lat, _ = GEOD.fwd(p[:, 0], p[:, 1], az, np.asarray(dist) * f)
        lon = np.asarray(lon, float)
        lat = np.asarray(lat, float)
        # keep the vertices exact (the seam test relies on lon = +-180 exactly)
        lon = np.where(f == 0, p[:, 0], np.where(f == 1, q[:, 0], lon))
        lat = np.where(f == 0, p[:, 1], np.where(f == 1, q[:, 1], lat))
        # stay on the side of the antimeridian of the edge's own vertices
        ref = np.where(f <= 0.5, p[:, 0], q[:, 0])
        lon = np.where((np.abs(lon - ref) > 180.0) & (ref > 0), lon + 360.0, lon)
        lon = np.where((np.abs(lon - ref) > 180.0) & (ref < 0), lon - 360.0, lon)
        return lon, lat

    # ---------------------------------------------------------------- exact

    def _piece_distance(self, lon, lat, idx):
        """Geodesic distance from points (lon, lat) to pieces idx (same shape), and the feet."""
        a_lon, a_lat = self.a_lon[idx], self.a_lat[idx]
        az_ab, length = self.az[idx], self.length[idx]
        az_ap, _, d_ap = GEOD.inv(a_lon, a_lat, lon, lat)
        theta = np.radians(np.asarray(az_ap) - az_ab)
        delta = np.asarray(d_ap) / R_SPHERE
        along = R_SPHERE * np.arctan2(np.sin(delta) * np.cos(theta), np.cos(delta))
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.where(length > 0, np.clip(along / length, 0.0, 1.0), 0.0)
        f_lon, f_lat, _ = GEOD.fwd(a_lon, a_lat, az_ab, t * length)
        _, _, d = GEOD.inv(lon, lat, f_lon, f_lat)
        return np.asarray(d), np.asarray(f_lon), np.asarray(f_lat)

    def distance(self, lon, lat, *, return_foot=False):
        """Geodesic distance (m) from each point to the boundary (exact to < 1 mm of the pieces).

        Returns the distances, or (distances, foot_lon, foot_lat) with ``return_foot``.
        """
        lon = _wrap(np.atleast_1d(np.asarray(lon, float)))
        lat = np.atleast_1d(np.asarray(lat, float))
        n = len(lon)
        out = np.full(n, np.inf)
        foot_lon = np.full(n, np.nan)
        foot_lat = np.full(n, np.nan)
        if n == 0:
            return (out, foot_lon, foot_lat) if return_foot else out
        u = _ecef(lon, lat)
        chord, idx = self.tree.query(u, k=self.k)
        chord = chord.reshape(n, -1)
        idx = idx.reshape(n, -1)
        kk = idx.shape[1]
        d, fl, fa = self._piece_distance(np.repeat(lon, kk), np.repeat(lat, kk), idx.ravel())
        d, fl, fa = d.reshape(n, kk), fl.reshape(n, kk), fa.reshape(n, kk)
        j = np.argmin(d, axis=1)
        rows = np.arange(n)
        out, foot_lon, foot_lat = d[rows, j], fl[rows, j], fa[rows, j]
        # completeness: the nearest piece's midpoint is within best + Lmax/2 (geodesic)
        # (chord <= geodesic: every piece whose midpoint is within `need` geodesically is within
        # `need` as a chord)
        need = out + self.max_piece_m / 2.0 + 1e-3
        kth = chord[:, -1]
        todo = np.flatnonzero((kth <= need) & (kk < len(self.length)))
        if len(todo):
            balls = self.tree.query_ball_point(u[todo], need[todo])
            sizes = np.array([len(c) for c in balls])
            cand = np.concatenate([np.asarray(c, int) for c in balls])
            who = np.repeat(todo, sizes)
            dd, ffl, ffa = self._piece_distance(lon[who], lat[who], cand)
            starts = np.cumsum(sizes) - sizes
            order = np.lexsort((dd, who))  # by point, then distance: the first of each point is its best
            first = order[starts]
            better = dd[first] < out[todo]
            sel = todo[better]
            out[sel], foot_lon[sel], foot_lat[sel] = dd[first][better], ffl[first][better], ffa[first][better]
        self.last_n_ball_queries = len(todo)
        return (out, foot_lon, foot_lat) if return_foot else out

    def inside(self, lon, lat):
        """Whether each point is in the volume (boundary included), lon/lat planar as stored."""
        return shapely.intersects_xy(self.geometry, _wrap(lon), np.asarray(lat, float))

    def depth(self, lon, lat):
        """Signed depth (m): distance to the boundary, negative outside."""
        d = self.distance(lon, lat)
        return np.where(self.inside(lon, lat), d, -d)

    # ---------------------------------------------------------------- cheap bounds

    def _bounds(self, lon, lat):
        """Cheap bounds lo <= distance <= hi from the chord to the nearest piece midpoint."""
        chord, _ = self.tree.query(_ecef(_wrap(lon), lat), k=1)
        hi = _geodesic_upper(chord) + 1e-3  # the midpoint is on the boundary
        # chord <= geodesic, and the nearest point is within L/2 of some midpoint
        lo = chord - self.max_piece_m / 2.0 - 1e-3
        return lo, hi


# --------------------------------------------------------------------------
# paths


@dataclasses.dataclass
class Path:
    """The geodesic polyline through fixes, parametrised by the distance along it (m)."""

    lon: np.ndarray
    lat: np.ndarray
    t: np.ndarray  # seconds

    def __post_init__(self):
        self.lon = np.asarray(self.lon, float)
        self.lat = np.asarray(self.lat, float)
        self.t = np.asarray(self.t, float)
        if len(self.lon) > 1:
            az, _, dist = GEOD.inv(self.lon[:-1], self.lat[:-1], self.lon[1:], self.lat[1:])
            self.az, self.dist = np.asarray(az, float), np.asarray(dist, float)
        else:
            self.az = self.dist = np.zeros(0)
        self.cum = np.concatenate([[0.0], np.cumsum(self.dist)])

    def pos_at_time(self, time):
        """Distance along the path at a time (time runs in proportion to distance on a segment)."""
        return float(np.interp(time, self.t, self.cum))

    def at(self, pos):
        """(lon, lat, t) at distances ``pos`` along the path."""
        pos = np.asarray(pos, float)
        if len(self.dist) == 0:
            n = len(pos)
            return np.full(n, self.lon[0]), np.full(n, self.lat[0]), np.full(n, self.t[0])
        seg = np.clip(np.searchsorted(self.cum, pos, side="right") - 1, 0, len(self.dist) - 1)
        off = np.clip(pos - self.cum[seg], 0.0, self.dist[seg])
        lon, lat, _ = GEOD.fwd(self.lon[seg], self.lat[seg], self.az[seg], off)
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(self.dist[seg] > 0, off / self.dist[seg], 0.0)
        t = self.t[seg] + (self.t[seg + 1] - self.t[seg]) * frac
        return _wrap(lon), np.asarray(lat, float), t

    def sample(self, step_m, p0=None, p1=None):
        """Distances along the path every <= step_m from p0 to p1, the fixes between included."""
        p0 = 0.0 if p0 is None else p0
        p1 = self.cum[-1] if p1 is None else p1
        knots = np.concatenate([[p0], self.cum[(self.cum > p0) & (self.cum < p1)], [p1]])
        out = [knots[:1]]
        for a, b in zip(knots[:-1], knots[1:]):
            m = max(int(math.ceil((b - a) / step_m)), 1)
            out.append(np.linspace(a, b, m + 1)[1:])
        return np.concatenate(out)


@dataclasses.dataclass
class DepthMax:
    """The greatest depth along a path: the truth lies in [lo, hi]; lo is attained at (lon, lat, t)."""

    lo: float
    hi: float
    lon: float
    lat: float
    t: float
    n_samples: int
    n_exact: int


def max_depth(boundary, lon, lat, t, t0=None, t1=None, *, step_m=25.0, fine_m=None, max_refine=400):
    """Bracket of the greatest distance to the boundary over the inside part of a path.

    Parameters
    ----------
    boundary : GeodesicBoundary
    lon, lat, t : array_like
        The fixes (degrees) and their times (seconds).
    t0, t1 : float, optional
        Only the part of the path between these times (an event's entry and exit).
    step_m : float
        Sampling step along the path.
    fine_m : float, optional
        Step of the refinement around the samples that may hold the maximum. By default a tenth of
        max(1 m, 0.1 % of the depth), and at least 0.25 m: the bracket is then at most 5 % of the
        issue's tolerance wide.
    max_refine : int
        At most this many windows are refined (the best ones); the bracket stays honest beyond.

    Returns
    -------
    DepthMax or None
        None when no sample of the part is inside.
    """
    path = Path(lon, lat, t)
    p0 = 0.0 if t0 is None else path.pos_at_time(t0)
    p1 = path.cum[-1] if t1 is None else path.pos_at_time(t1)
    pos = path.sample(step_m, p0, p1)
    s_lon, s_lat, s_t = path.at(pos)
    ins = boundary.inside(s_lon, s_lat)
    if not ins.any():
        return None
    h = float(np.max(np.diff(pos), initial=0.0))
    lo_b, hi_b = boundary._bounds(s_lon, s_lat)
    lo_b = np.where(ins, lo_b, -np.inf)
    hi_b = np.where(ins, hi_b, -np.inf)
    # the best sample is among those whose upper bound reaches the best lower bound
    exact = ins & (hi_b >= lo_b.max())
    d = np.full(len(pos), -np.inf)
    d[exact] = boundary.distance(s_lon[exact], s_lat[exact])
    best = float(d.max())
    if fine_m is None:
        fine_m = max(0.25, 0.1 * max(1.0, 1e-3 * best))
    # Every point of the part is within h/2 of a sample and depth is 1-Lipschitz, so the truth is
    # at most ub_i + h/2 for some sample i (ub_i: the exact depth, or the cheap upper bound; near an
    # outside sample the boundary is within h/2). Samples that could lift the maximum above
    # best + fine_m/2 are measured exactly, then the windows around them are refined.
    ub = np.where(exact, d, hi_b)
    for _ in range(3):
        more = ins & ~exact & (ub + h / 2.0 > best + fine_m / 2.0)
        if not more.any():
            break
        d[more] = boundary.distance(s_lon[more], s_lat[more])
        ub[more] = d[more]
        exact |= more
        best = float(d.max())
    j0 = int(np.argmax(d))
    lo, plon, plat, pt = best, float(s_lon[j0]), float(s_lat[j0]), float(s_t[j0])
    hi = best + min(h, fine_m) / 2.0
    if not ins.all():
        hi = max(hi, h / 2.0)
    todo = np.flatnonzero(ub + h / 2.0 > best + fine_m / 2.0)
    todo = todo[np.argsort(-ub[todo])]
    refined, rest = todo[:max_refine], todo[max_refine:]
    n_exact = int(exact.sum())
    if len(refined):
        m = max(int(math.ceil(h / fine_m)), 1)
        windows = [np.linspace(max(pos[i] - h / 2, p0), min(pos[i] + h / 2, p1), m + 1) for i in refined]
        step_f = max(float(np.max(np.diff(w), initial=0.0)) for w in windows)
        fine = np.concatenate(windows)
        f_lon, f_lat, f_t = path.at(fine)
        f_in = boundary.inside(f_lon, f_lat)
        fd = np.full(len(fine), -np.inf)
        fd[f_in] = boundary.distance(f_lon[f_in], f_lat[f_in])
        n_exact += int(f_in.sum())
        jf = int(np.argmax(fd))
        if fd[jf] > lo:
            lo, plon, plat, pt = float(fd[jf]), float(f_lon[jf]), float(f_lat[jf]), float(f_t[jf])
        # in a refined window a point is within step_f/2 of a fine sample (an outside fine sample:
        # the boundary is within step_f/2)
        hi = max(hi, max(float(fd[jf]), 0.0) + step_f / 2.0)
    if len(rest):
        hi = max(hi, float(ub[rest].max()) + h / 2.0)
    hi = max(hi, lo)
    return DepthMax(lo=lo, hi=hi, lon=plon, lat=plat, t=pt, n_samples=len(pos), n_exact=n_exact)


def inside_runs(boundary, lon, lat, t, *, step_m=25.0, min_depth_m=2.0):
    """The inside stays seen by sampling the whole path, at least `min_depth_m` deep.

    Returns a list of (t_first, t_last, depth, t_deep) per run of inside samples: ``depth`` is at
    least ``min_depth_m`` and at most the run's sampled maximum, reached at ``t_deep``.
    """
    path = Path(lon, lat, t)
    pos = path.sample(step_m)
    s_lon, s_lat, s_t = path.at(pos)
    ins = boundary.inside(s_lon, s_lat)
    runs = []
    edges = np.flatnonzero(np.diff(np.r_[0, ins.astype(int), 0]))
    for i, j in zip(edges[::2], edges[1::2] - 1):
        idx = np.arange(i, j + 1)
        lo_b, hi_b = boundary._bounds(s_lon[idx], s_lat[idx])
        if lo_b.max() >= min_depth_m:  # surely that deep: no exact distance needed
            k = int(np.argmax(lo_b))
            runs.append((float(s_t[i]), float(s_t[j]), float(lo_b[k]), float(s_t[idx[k]])))
            continue
        c = idx[hi_b >= min_depth_m]
        if len(c) == 0:
            continue
        dc = boundary.distance(s_lon[c], s_lat[c])
        k = int(np.argmax(dc))
        if dc[k] >= min_depth_m:
            runs.append((float(s_t[i]), float(s_t[j]), float(dc[k]), float(s_t[c[k]])))
    return runs


def distance_to_path(lon, lat, path_lon, path_lat):
    """Geodesic distance (m) from one point to the geodesic polyline through the fixes (to ~1 cm)."""
    path = Path(path_lon, path_lat, np.arange(len(path_lon), dtype=float))
    pos = path.sample(50.0)
    s_lon, s_lat, _ = path.at(pos)
    n = len(pos)
    _, _, dd = GEOD.inv(np.full(n, lon), np.full(n, lat), s_lon, s_lat)
    # The nearest point lies within half a sample step (25 m) of a sample no farther than the
    # nearest sample plus that: around each such sample, on whichever leg of the path it lies.
    best = np.inf
    for j in np.flatnonzero(dd <= dd.min() + 25.0):
        fine = np.linspace(pos[max(j - 1, 0)], pos[min(j + 1, n - 1)], 2001)
        f_lon, f_lat, _ = path.at(fine)
        _, _, fd = GEOD.inv(np.full(len(fine), lon), np.full(len(fine), lat), f_lon, f_lat)
        best = min(best, float(np.min(fd)))
    return best
