"""Hand-made cases for the detection core, with answers worked out on paper.

Every case is built in metres in a local azimuthal equidistant frame
(``+proj=aeqd``) centred on the airspace; corners and fixes are unprojected to
lon/lat and the detector is called with ``crs=`` that same frame, so the
polygon's edges and the track's segments are straight lines in it and all the
answers below are plain arithmetic. Unless said otherwise:

* the airspace is the square of side 10 km centred on the frame's origin,
  ``|x| <= 5000 and |y| <= 5000``;
* the track flies east along ``y = 0`` at 100 m/s with a fix every 10 s,
  ``x = -7500 + 100 t`` for ``t = 0, 10, ..., 150``; it crosses ``x = -5000``
  at t = 25 s and ``x = 5000`` at t = 125 s, both halfway between fixes,
  so each crossing lies in a 10 s segment (uncertainty 10 s);
* fixes inside: t = 30 ... 120, that is 10.

Depth tolerance. The core measures depth geodesically between the deepest
point and its nearest boundary point. Where that pair lies on a line through
the frame's centre the aeqd distance *is* the geodesic distance; elsewhere, at
most ~7 km from the centre, aeqd's scale error is of order (7 km / 6371 km)^2
/ 6 ~ 2e-7, that is under 2 mm. The 1 m tolerance used below (the one the
property tests use too) is therefore room for the core's own numerical
method, not for the geometry. Times are compared to 1 ms.

Each test runs against the core (``detect.find_violations``) and against the
slow oracle (``tests/oracle.py``), so these paper answers pin both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from tests.oracle import oracle_events

CRS = "+proj=aeqd +lat_0=58 +lon_0=24 +datum=WGS84"
T0 = pd.Timestamp("2025-10-23T16:00:00Z")
MS = 1e-3  # time tolerance, s
DEPTH_TOL_M = 1.0


# --------------------------------------------------------------------------
# building blocks


def _make_tracks(*args, **kwargs):
    try:
        from tracks import make_tracks
    except ImportError:  # package __init__ not complete yet
        from tracks.table import make_tracks
    return make_tracks(*args, **kwargs)


def _make_airspace(geometry, **kwargs):
    try:
        from airspace import make_airspace
    except ImportError:
        from airspace.table import make_airspace
    return make_airspace(geometry, **kwargs)


class Local:
    """A local metric frame: build geometry in metres, get lon/lat back."""

    def __init__(self, crs=CRS):
        self.crs = crs
        self._inv = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)

    def lonlat(self, xy):
        xy = np.asarray(xy, float).reshape(-1, 2)
        lon, lat = self._inv.transform(xy[:, 0], xy[:, 1])
        return np.asarray(lon), np.asarray(lat)

    def poly(self, shell, holes=()):
        def ring(r):
            return np.column_stack(self.lonlat(r))

        return shapely.Polygon(ring(shell), [ring(h) for h in holes])

    def square(self, half=5000.0, cx=0.0, cy=0.0):
        return self.poly(_square_ring(half, cx, cy))

    def track(self, track_id, xy, t_s, baro=None, geo=None):
        lon, lat = self.lonlat(xy)
        return _make_tracks(track_id, T0 + pd.to_timedelta(np.asarray(t_s, float), unit="s"), lon, lat,
                            alt_baro_m=baro, alt_geo_m=geo)


def _square_ring(half, cx=0.0, cy=0.0):
    return [(cx - half, cy - half), (cx + half, cy - half), (cx + half, cy + half), (cx - half, cy + half)]


def east_track(local, track_id="T", t_s=None, y=0.0, x0=-7500.0, **alts):
    """Flight east along y at 100 m/s from x0 at t = 0, fixes at t_s (default every 10 s to 150)."""
    t_s = np.arange(0.0, 151.0, 10.0) if t_s is None else np.asarray(t_s, float)
    xy = np.column_stack([x0 + 100.0 * t_s, np.full(len(t_s), y)])
    return local.track(track_id, xy, t_s, **{k: (v(t_s) if callable(v) else v) for k, v in alts.items()})


def concat_tracks(*tables):
    """Several tracks in one valid table (sorted by track_id, then time)."""
    return pd.concat(tables, ignore_index=True).sort_values(["track_id", "time"], kind="stable",
                                                            ignore_index=True)


def secs(ts):
    return (pd.Timestamp(ts) - T0) / pd.Timedelta(1, "s")


def check(ev, entry=None, exit=None, faces=None, unc=None, depth=None, n_fixes=None, deepest_t=None):
    """Compare one event row with paper answers (times in s after T0)."""
    if entry is not None:
        assert secs(ev["entry_time"]) == pytest.approx(entry, abs=MS), "entry_time"
    if exit is not None:
        assert secs(ev["exit_time"]) == pytest.approx(exit, abs=MS), "exit_time"
        if entry is not None:
            assert ev["duration_s"] == pytest.approx(exit - entry, abs=MS), "duration_s"
    if faces is not None:
        assert (ev["entry_face"], ev["exit_face"]) == faces
    if unc is not None:
        for got, want, name in zip((ev["entry_uncertainty_s"], ev["exit_uncertainty_s"]), unc, ("entry", "exit")):
            if want is None or (isinstance(want, float) and np.isnan(want)):
                assert np.isnan(got), f"{name}_uncertainty_s should be NaN, got {got}"
            else:
                assert got == pytest.approx(want, abs=MS), f"{name}_uncertainty_s"
    if depth is not None:
        assert ev["max_depth_m"] == pytest.approx(depth, abs=DEPTH_TOL_M), "max_depth_m"
    if n_fixes is not None:
        assert ev["n_fixes"] == n_fixes, "n_fixes"
    if deepest_t is not None:
        assert secs(ev["deepest_time"]) == pytest.approx(deepest_t, abs=0.02), "deepest_time"


# --------------------------------------------------------------------------
# the two engines


def _core(tracks, airspace, **kw):
    import detect

    return detect.find_violations(tracks, airspace, **kw)


def _oracle(tracks, airspace, *, min_duration_s=None, min_depth_m=None, **kw):
    if min_duration_s is not None or min_depth_m is not None:
        pytest.skip("the oracle has no filters")
    return oracle_events(tracks, airspace, **kw)


@pytest.fixture(params=["core", "oracle"])
def find(request):
    return _core if request.param == "core" else _oracle


@pytest.fixture
def local():
    return Local()


@pytest.fixture
def square(local):
    return _make_airspace(local.square(), airspace_id="SQ", country="EST", kind="national")


# --------------------------------------------------------------------------
# lateral


def test_square_crossing(find, local, square):
    ev = find(east_track(local), square, crs=CRS)
    assert len(ev) == 1
    e = ev.iloc[0]
    # entry x=-5000 at t=25, exit x=5000 at t=125; deepest at the centre (t=75): 5000 m to every
    # edge, along lines through the aeqd centre, so geodesic = frame distance.
    check(e, entry=25, exit=125, faces=("lateral", "lateral"), unc=(10, 10), depth=5000, n_fixes=10,
          deepest_t=75)
    assert (e["track_id"], e["airspace_id"], e["country"], e["kind"]) == ("T", "SQ", "EST", "national")
    lon, lat = local.lonlat([(-5000, 0), (5000, 0), (0, 0)])
    assert (e["entry_lon"], e["entry_lat"]) == pytest.approx((lon[0], lat[0]), abs=1e-6)
    assert (e["exit_lon"], e["exit_lat"]) == pytest.approx((lon[1], lat[1]), abs=1e-6)
    assert (e["deepest_lon"], e["deepest_lat"]) == pytest.approx((24.0, 58.0), abs=1e-5)  # 1e-5 deg ~ 1 m


def test_corner_cut_between_two_outside_fixes(find, local, square):
    # Fixes A=(3000, 6000) at t=0 and B=(6000, 3000) at t=30, both outside; the segment is
    # x + y = 9000, x = 3000 + 100 t. Inside where y <= 5000 and x <= 5000: x in [4000, 5000],
    # t in [10, 20]. Depth min(5000-x, 5000-y) = min(5000-x, x-4000) peaks at x=4500: 500 m, t=15.
    trk = local.track("C", [(3000, 6000), (6000, 3000)], [0, 30])
    ev = find(trk, square, crs=CRS)
    assert len(ev) == 1
    check(ev.iloc[0], entry=10, exit=20, faces=("lateral", "lateral"), unc=(30, 30), depth=500, n_fixes=0,
          deepest_t=15)


def test_reentry_is_a_new_event(find, local, square):
    # East along y=0 (event 1: t 25..125), then a 1000 m hop north at t=160 to (7500, 1000) and back
    # west along y=1000 at 100 m/s: x = 7500 - 100 (t - 160). Re-entry at x=5000: t=185; exit at
    # x=-5000: t=285. Depth of event 2: min(5000-|x|, 4000) = 4000 (plateau |x| <= 1000).
    t1 = np.arange(0.0, 151.0, 10.0)
    xy1 = np.column_stack([-7500 + 100 * t1, np.zeros_like(t1)])
    t2 = np.arange(160.0, 311.0, 10.0)
    xy2 = np.column_stack([7500 - 100 * (t2 - 160), np.full_like(t2, 1000.0)])
    trk = local.track("R", np.vstack([xy1, xy2]), np.concatenate([t1, t2]))
    ev = find(trk, square, crs=CRS)
    assert len(ev) == 2
    check(ev.iloc[0], entry=25, exit=125, faces=("lateral", "lateral"), depth=5000, n_fixes=10)
    # fixes inside in event 2: x = 4500 ... -4500 at t = 190 ... 280: 10 fixes
    check(ev.iloc[1], entry=185, exit=285, faces=("lateral", "lateral"), unc=(10, 10), depth=4000, n_fixes=10)


def test_recording_starts_and_ends_inside(find, local, square):
    # S: x = 500 + 100 t, t = 0..90: starts inside, exits x=5000 at t=45; fixes inside t=0..40 (5);
    #    deepest at its first fix (t=0), 4500 m from the east edge.
    # E: x = -9500 + 100 t, t = 0..90: enters x=-5000 at t=45, ends inside at x=-500 (t=90);
    #    fixes inside t=50..90 (5); deepest at its last fix, 4500 m.
    t = np.arange(0.0, 91.0, 10.0)
    trk = concat_tracks(east_track(local, "S", t, x0=500.0), east_track(local, "E", t, x0=-9500.0))
    ev = find(trk, square, crs=CRS)
    assert list(ev["track_id"]) == ["E", "S"]
    check(ev.iloc[0], entry=45, exit=90, faces=("lateral", "end"), unc=(10, np.nan), depth=4500, n_fixes=5,
          deepest_t=90)
    check(ev.iloc[1], entry=0, exit=45, faces=("start", "lateral"), unc=(np.nan, 10), depth=4500, n_fixes=5,
          deepest_t=0)


def test_one_fix_track_inside_is_a_zero_duration_event(find, local, square):
    trk = local.track("P", [(1000, 0)], [0])
    ev = find(trk, square, crs=CRS)
    assert len(ev) == 1
    check(ev.iloc[0], entry=0, exit=0, faces=("start", "end"), unc=(np.nan, np.nan), depth=4000, n_fixes=1)


def test_gap(find, local, square):
    # Fixes every 10 s except none between t=50 (x=-2500) and t=110 (x=3500): a 60 s gap, on the
    # same straight line, so without max_gap_s the answer is the plain crossing (t 25..125).
    t = np.concatenate([np.arange(0.0, 51.0, 10.0), np.arange(110.0, 151.0, 10.0)])
    trk = east_track(local, "G", t)
    ev = find(trk, square, crs=CRS)
    assert len(ev) == 1
    # fixes inside: 30, 40, 50, 110, 120; deepest at x=0 (t=75), between fixes
    check(ev.iloc[0], entry=25, exit=125, faces=("lateral", "lateral"), unc=(10, 10), depth=5000, n_fixes=5,
          deepest_t=75)

    ev = find(trk, square, crs=CRS, max_gap_s=30)
    assert len(ev) == 2
    # event 1 stops at the last fix before the gap (t=50, x=-2500, 2500 m deep);
    # event 2 opens at the first fix after it (t=110, x=3500, 1500 m deep); both faces 'gap', 60 s
    check(ev.iloc[0], entry=25, exit=50, faces=("lateral", "gap"), unc=(10, 60), depth=2500, n_fixes=3,
          deepest_t=50)
    check(ev.iloc[1], entry=110, exit=125, faces=("gap", "lateral"), unc=(60, 10), depth=1500, n_fixes=2,
          deepest_t=110)


def test_gap_exactly_max_gap_s_is_interpolated(find, local, square):
    # "more than max_gap_s apart": a 60 s segment with max_gap_s=60 is still interpolated
    t = np.concatenate([np.arange(0.0, 51.0, 10.0), np.arange(110.0, 151.0, 10.0)])
    ev = find(east_track(local, "G", t), square, crs=CRS, max_gap_s=60)
    assert len(ev) == 1
    check(ev.iloc[0], entry=25, exit=125, faces=("lateral", "lateral"), n_fixes=5)


def test_gap_of_exactly_max_gap_s_in_fractional_seconds_is_interpolated(find, local, square):
    # 4.001 s - 2.001 s is more than 2 in float seconds, but exactly 2 s in nanoseconds:
    # only the first step (2.001 s) is a gap.
    assert 4.001 - 2.001 > 2.0
    ev = find(east_track(local, "F", [0.0, 2.001, 4.001], x0=0.0), square, crs=CRS, max_gap_s=2.0)
    assert len(ev) == 2
    check(ev.iloc[0], entry=0, exit=0, faces=("start", "gap"), n_fixes=1)
    check(ev.iloc[1], entry=2.001, exit=4.001, faces=("gap", "end"), n_fixes=2)


def test_isolated_fix_between_gaps(find, local, square):
    # fixes at x=-7500 (t=0), x=0 (t=75), x=7500 (t=150); with max_gap_s=30 nothing is
    # interpolated: one zero-duration event at the middle fix, 5000 m deep
    trk = east_track(local, "I", [0, 75, 150])
    ev = find(trk, square, crs=CRS, max_gap_s=30)
    assert len(ev) == 1
    check(ev.iloc[0], entry=75, exit=75, faces=("gap", "gap"), unc=(75, 75), depth=5000, n_fixes=1)
    # without max_gap_s it is the plain crossing
    ev = find(trk, square, crs=CRS)
    assert len(ev) == 1
    check(ev.iloc[0], entry=25, exit=125, faces=("lateral", "lateral"), unc=(75, 75), n_fixes=1)


# --------------------------------------------------------------------------
# vertical


def test_climb_through_std_ceiling(find, local):
    # baro = 1000 + 20 t; ceiling FL 3100 m STD is reached at t = 105 (between fixes 100 and 110).
    # Event: lateral entry t=25 (alt 1500), exit through the ceiling at t=105 (x=3000).
    # Fixes inside t=30..100: 8. Altitudes: 1500 .. 3100. Depth: passes the centre: 5000.
    asp = _make_airspace(local.square(), airspace_id="C", ceiling_m=3100.0, ceiling_ref="STD")
    trk = east_track(local, baro=lambda t: 1000 + 20 * t, geo=lambda t: 0 * t + 9999.0)
    ev = find(trk, asp, crs=CRS)
    assert len(ev) == 1
    e = ev.iloc[0]
    check(e, entry=25, exit=105, faces=("lateral", "ceiling"), unc=(10, 10), depth=5000, n_fixes=8,
          deepest_t=75)
    assert (e["min_alt_m"], e["max_alt_m"]) == pytest.approx((1500.0, 3100.0), abs=1e-6)


def test_descend_through_std_floor(find, local):
    # baro = 3000 - 20 t; floor 1100 m STD reached at t = 95. Event t 25..95, exit 'floor'.
    # Fixes inside t=30..90: 7. Altitudes 1100 .. 2500.
    asp = _make_airspace(local.square(), airspace_id="F", floor_m=1100.0, floor_ref="STD")
    trk = east_track(local, baro=lambda t: 3000 - 20 * t)
    ev = find(trk, asp, crs=CRS)
    assert len(ev) == 1
    e = ev.iloc[0]
    check(e, entry=25, exit=95, faces=("lateral", "floor"), unc=(10, 10), depth=5000, n_fixes=7)
    assert (e["min_alt_m"], e["max_alt_m"]) == pytest.approx((1100.0, 2500.0), abs=1e-6)


def test_floor_crossed_a_rounding_error_before_the_last_fix(find, local):
    # A floor of 1e-200 m MSL, geometric altitude 0, 1, 0 m at t = 0, 10, 20 s over one point.
    # The floor is crossed 1e-200 of a piece after the first fix and before the last: both
    # crossings round to the fixes' times, but each fix is below the floor, so the faces are
    # 'floor', not the recording's 'start' and 'end'. All three fixes lie within the event's times.
    asp = _make_airspace(local.square(), airspace_id="F", floor_m=1e-200, floor_ref="MSL")
    trk = local.track("T", np.zeros((3, 2)), [0.0, 10.0, 20.0], baro=np.zeros(3), geo=np.array([0.0, 1.0, 0.0]))
    ev = find(trk, asp, crs=CRS)
    assert len(ev) == 1
    check(ev.iloc[0], entry=0, exit=20, faces=("floor", "floor"), n_fixes=3)


def test_enter_through_floor_and_through_ceiling(find, local):
    # climb baro = 20 t through floor 1100 STD at t=55 -> event 55..125 ('floor', 'lateral');
    # descent baro = 5000 - 20 t through ceiling 2900 STD at t=105 -> event 105..125 ('ceiling', 'lateral')
    floor = _make_airspace(local.square(), airspace_id="F", floor_m=1100.0, floor_ref="STD")
    ceiling = _make_airspace(local.square(), airspace_id="C", ceiling_m=2900.0, ceiling_ref="STD")
    up = east_track(local, "UP", baro=lambda t: 20 * t)
    down = east_track(local, "DOWN", baro=lambda t: 5000 - 20 * t)
    ev = find(up, floor, crs=CRS)
    assert len(ev) == 1
    # fixes inside t=60..120: 7; deepest: path x in [-2000, 5000] -> 5000 at x=0 (t=75)
    check(ev.iloc[0], entry=55, exit=125, faces=("floor", "lateral"), unc=(10, 10), depth=5000, n_fixes=7)
    ev = find(down, ceiling, crs=CRS)
    assert len(ev) == 1
    # path x in [3000, 5000]: depth 2000 at entry (t=105); fixes t=110, 120
    check(ev.iloc[0], entry=105, exit=125, faces=("ceiling", "lateral"), unc=(10, 10), depth=2000, n_fixes=2,
          deepest_t=105)


def test_msl_limit_uses_geometric_altitude(find, local):
    # geo = 1000 + 10 t, baro = geo + 500. Ceiling 2050 m MSL: geo reaches it at t=105
    # (with baro it would be t=55). Event 25..105, altitudes (geo) 1250 .. 2050.
    asp = _make_airspace(local.square(), airspace_id="M", ceiling_m=2050.0, ceiling_ref="MSL")
    trk = east_track(local, geo=lambda t: 1000 + 10 * t, baro=lambda t: 1500 + 10 * t)
    ev = find(trk, asp, crs=CRS)
    assert len(ev) == 1
    e = ev.iloc[0]
    check(e, entry=25, exit=105, faces=("lateral", "ceiling"), unc=(10, 10), n_fixes=8)
    assert (e["min_alt_m"], e["max_alt_m"]) == pytest.approx((1250.0, 2050.0), abs=1e-6)


def test_mixed_std_floor_and_msl_ceiling(find, local):
    # floor 2250 m STD (baro = 1500 + 10 t: t >= 75), ceiling 2050 m MSL (geo = 1000 + 10 t: t <= 105)
    # event 75..105: enters through the floor, leaves through the ceiling; fixes t=80..100: 3
    asp = _make_airspace(local.square(), airspace_id="X", floor_m=2250.0, floor_ref="STD",
                         ceiling_m=2050.0, ceiling_ref="MSL")
    trk = east_track(local, geo=lambda t: 1000 + 10 * t, baro=lambda t: 1500 + 10 * t)
    ev = find(trk, asp, crs=CRS)
    assert len(ev) == 1
    # path x in [0, 3000]: deepest at x=0 (t=75), 5000 m
    check(ev.iloc[0], entry=75, exit=105, faces=("floor", "ceiling"), unc=(10, 10), depth=5000, n_fixes=3)


# --------------------------------------------------------------------------
# shapes


def test_enclave_hole_splits_the_crossing(find, local):
    # square with a hole |x|, |y| <= 1000: along y=0 the track leaves into the hole at x=-1000 (t=65)
    # and re-enters at x=1000 (t=85). Depth of event 1 (x in [-5000, -1000]):
    # min(x + 5000, -1000 - x) peaks at x=-3000 (t=45): 2000 m; event 2 symmetric (x=3000, t=105).
    geom = local.poly(_square_ring(5000), holes=[_square_ring(1000)])
    asp = _make_airspace(geom, airspace_id="ENC")
    ev = find(east_track(local), asp, crs=CRS)
    assert len(ev) == 2
    check(ev.iloc[0], entry=25, exit=65, faces=("lateral", "lateral"), unc=(10, 10), depth=2000, n_fixes=4,
          deepest_t=45)
    check(ev.iloc[1], entry=85, exit=125, faces=("lateral", "lateral"), unc=(10, 10), depth=2000, n_fixes=4,
          deepest_t=105)


def test_island_multipolygon(find, local):
    # two 4 km squares centred at x = -3000 and x = +3000: same times and depths as the enclave
    geom = shapely.MultiPolygon([local.square(2000, -3000, 0), local.square(2000, 3000, 0)])
    asp = _make_airspace(geom, airspace_id="ISL")
    ev = find(east_track(local), asp, crs=CRS)
    assert len(ev) == 2
    check(ev.iloc[0], entry=25, exit=65, faces=("lateral", "lateral"), depth=2000, n_fixes=4, deepest_t=45)
    check(ev.iloc[1], entry=85, exit=125, faces=("lateral", "lateral"), depth=2000, n_fixes=4, deepest_t=105)


def _antimeridian_case():
    # Fiji-like: the square centred at (180 E, 17 S), split along the 180th meridian (x = 0 in an
    # aeqd frame centred on it) into two lon/lat polygons, as GeoJSON requires.
    crs = "+proj=aeqd +lat_0=-17 +lon_0=180 +datum=WGS84"
    loc = Local(crs)
    west = loc.poly([(-5000, -5000), (0, -5000), (0, 5000), (-5000, 5000)])
    east = loc.poly([(0, -5000), (5000, -5000), (5000, 5000), (0, 5000)])
    # put the seam vertices exactly on +180 (west part) and -180 (east part)
    west = shapely.Polygon([(180.0 if abs(abs(x) - 180) < 1e-9 else x, y) for x, y in west.exterior.coords])
    east = shapely.Polygon([(-180.0 if abs(abs(x) - 180) < 1e-9 else x, y) for x, y in east.exterior.coords])
    assert west.bounds[2] == 180.0 and east.bounds[0] == -180.0 and east.bounds[2] < -179.9
    asp = _make_airspace(shapely.MultiPolygon([west, east]), airspace_id="FJI", country="FJI", kind="national")
    return loc, asp


def test_antimeridian_split_airspace(find):
    # the track flies east along y = 0 across the 180th meridian (lon 179.93 .. -179.93):
    # the seam is not a boundary, so one event, 25..125, 5000 m deep at the meridian (t=75)
    loc, asp = _antimeridian_case()
    trk = east_track(loc, "AM")
    assert trk["lon"].min() < -179.9 and trk["lon"].max() > 179.9
    ev = find(trk, asp, crs=loc.crs)
    assert len(ev) == 1
    check(ev.iloc[0], entry=25, exit=125, faces=("lateral", "lateral"), unc=(10, 10), depth=5000, n_fixes=10,
          deepest_t=75)
    assert abs(ev.iloc[0]["deepest_lon"]) == pytest.approx(180.0, abs=1e-4)


def test_antimeridian_default_working_crs(find):
    # With the default frame (the core's choice) the edges are straight in another projection;
    # over 10 km that moves them by far less than a metre, so: same answer to 10 ms and 1 m.
    loc, asp = _antimeridian_case()
    ev = find(east_track(loc, "AM"), asp)
    assert len(ev) == 1
    e = ev.iloc[0]
    assert secs(e["entry_time"]) == pytest.approx(25, abs=0.01)
    assert secs(e["exit_time"]) == pytest.approx(125, abs=0.01)
    assert e["max_depth_m"] == pytest.approx(5000, abs=1.0)
    assert e["n_fixes"] == 10


def test_fix_exactly_on_the_boundary_counts_as_inside(find, local):
    # The fixes on the boundary are the polygon's own corner vertices (the same lon/lat floats),
    # so they are on the boundary exactly in any frame.
    sq = local.square()
    corners = np.asarray(sq.exterior.coords)  # (-,-), (+,-), (+,+), (-,+), closing
    asp = _make_airspace(sq, airspace_id="SQ")
    # 1. touch: from (4000, 7000) to the NE corner (t=10) and away to (7000, 4000): outside except
    #    at the corner: a zero-duration event at t=10, one fix, depth 0.
    lon, lat = local.lonlat([(4000, 7000), (0, 0), (7000, 4000)])
    lon[1], lat[1] = corners[2]
    touch = _make_tracks("TOUCH", T0 + pd.to_timedelta([0, 10, 20], unit="s"), lon, lat)
    # 2. through: along the diagonal from (7000, 7000) to (-7000, -7000), 1000 m per 10 s in x and y;
    #    fixes at t=20 and t=120 are the NE and SW corners: event 20..120, 11 fixes, deepest at the
    #    centre (t=70), 5000 m.
    t = np.arange(0.0, 141.0, 10.0)
    lon, lat = local.lonlat(np.column_stack([7000 - 100 * t, 7000 - 100 * t]))
    lon[2], lat[2] = corners[2]
    lon[12], lat[12] = corners[0]
    through = _make_tracks("THRU", T0 + pd.to_timedelta(t, unit="s"), lon, lat)
    ev = find(concat_tracks(touch, through), asp, crs=CRS)
    assert list(ev["track_id"]) == ["THRU", "TOUCH"]
    check(ev.iloc[0], entry=20, exit=120, faces=("lateral", "lateral"), depth=5000, n_fixes=11, deepest_t=70)
    check(ev.iloc[1], entry=10, exit=10, faces=("lateral", "lateral"), depth=0, n_fixes=1)


def test_several_airspaces_at_once(find, local):
    # A: the 10 km square (25..125); D: its west half-ish [-5000, 0] x [-3000, 3000] (25..75, depth
    # 2500 at x=-2500, t=50); B: [-1000, 1000]^2 (65..85, depth 1000 at t=75); C: far away, not hit.
    # Sorted by track, entry time, airspace id: A(25), D(25), B(65).
    geoms = {
        "A": local.square(),
        "D": local.poly([(-5000, -3000), (0, -3000), (0, 3000), (-5000, 3000)]),
        "B": local.square(1000),
        "C": local.square(1000, 0, 20000),
    }
    asp = pd.concat([_make_airspace(g, airspace_id=k, country=k * 3, kind="danger") for k, g in geoms.items()],
                    ignore_index=True)
    ev = find(east_track(local), asp, crs=CRS)
    assert list(ev["airspace_id"]) == ["A", "D", "B"]
    assert list(ev["country"]) == ["AAA", "DDD", "BBB"]
    check(ev.iloc[0], entry=25, exit=125, depth=5000, n_fixes=10)
    check(ev.iloc[1], entry=25, exit=75, faces=("lateral", "lateral"), depth=2500, n_fixes=5, deepest_t=50)
    check(ev.iloc[2], entry=65, exit=85, faces=("lateral", "lateral"), depth=1000, n_fixes=2, deepest_t=75)


def test_activation_window(find, local):
    # active from t=55 to t=105 while the track is inside (25..125): event 55..105, faces
    # 'activation' / 'deactivation'; fixes t=60..100: 5; path x in [-2000, 3000]: 5000 m at t=75.
    sq = local.square()
    asp = pd.concat([
        _airspace_with_window(sq, "W", T0 + pd.Timedelta(55, "s"), T0 + pd.Timedelta(105, "s")),
        _airspace_with_window(sq, "LONG", T0 - pd.Timedelta(1, "h"), T0 + pd.Timedelta(1, "h")),
        _airspace_with_window(sq, "LATER", T0 + pd.Timedelta(200, "s"), T0 + pd.Timedelta(1, "h")),
        _airspace_with_window(sq, "OPEN_END", T0 + pd.Timedelta(95, "s"), None),
    ], ignore_index=True)
    ev = find(east_track(local), asp, crs=CRS)
    got = {r["airspace_id"]: r for _, r in ev.iterrows()}
    assert sorted(got) == ["LONG", "OPEN_END", "W"]
    # The window's times are exact, not interpolated between fixes: uncertainty 0.
    check(got["W"], entry=55, exit=105, faces=("activation", "deactivation"), unc=(0, 0), depth=5000, n_fixes=5,
          deepest_t=75)
    check(got["LONG"], entry=25, exit=125, faces=("lateral", "lateral"), n_fixes=10)
    # OPEN_END: x in [2000, 5000] -> 3000 m at t=95
    check(got["OPEN_END"], entry=95, exit=125, faces=("activation", "lateral"), unc=(0, 10), depth=3000, n_fixes=3)


def _airspace_with_window(geom, airspace_id, valid_from, valid_to):
    try:
        return _make_airspace(geom, airspace_id=airspace_id, valid_from=valid_from, valid_to=valid_to)
    except TypeError:  # make_airspace without window arguments: set the columns
        asp = _make_airspace(geom, airspace_id=airspace_id)
        asp["valid_from"] = pd.Series([valid_from], dtype="datetime64[ns, UTC]")
        asp["valid_to"] = pd.Series([valid_to], dtype="datetime64[ns, UTC]")
        return asp


# --------------------------------------------------------------------------
# filters: a 700 m deep, 18 s incursion


def _lithuania_like(local):
    # V-shaped dip into the west edge (x = -5000): (-5700, -1800) at t=0, apex (-4300, 0) at t=18,
    # (-5700, 1800) at t=36. x = -5700 + 1400 t / 18 crosses -5000 at t=9 and back at t=27:
    # 18 s inside, deepest at the apex, 700 m from the west edge (along the x axis through the
    # frame's centre: geodesic = frame distance); the other edges are >= 5000 m away.
    return local.track("SU30", [(-5700, -1800), (-4300, 0), (-5700, 1800)], [0, 18, 36])


def test_real_700m_18s_incursion_comes_out_by_default(find, local, square):
    ev = find(_lithuania_like(local), square, crs=CRS)
    assert len(ev) == 1
    check(ev.iloc[0], entry=9, exit=27, faces=("lateral", "lateral"), unc=(18, 18), depth=700, n_fixes=1,
          deepest_t=18)


@pytest.mark.parametrize(
    "kw, kept",
    [({}, True), ({"min_duration_s": 17.0}, True), ({"min_duration_s": 19.0}, False),
     ({"min_depth_m": 650.0}, True), ({"min_depth_m": 750.0}, False),
     ({"min_duration_s": 17.0, "min_depth_m": 750.0}, False)],
)
def test_min_duration_and_min_depth_filters(local, square, kw, kept):
    ev = _core(_lithuania_like(local), square, crs=CRS, **kw)
    assert len(ev) == (1 if kept else 0)


# --------------------------------------------------------------------------
# near the pole


@pytest.mark.parametrize("lat0", [87.0, 89.9])
def test_near_north_pole(find, lat0):
    # the standard crossing in a frame centred at 87 N or 89.9 N (the square then reaches within
    # 4 km of the pole and spans tens of degrees of longitude): same paper answers
    loc = Local(f"+proj=aeqd +lat_0={lat0} +lon_0=24 +datum=WGS84")
    asp = _make_airspace(loc.square(), airspace_id="NP")
    ev = find(east_track(loc), asp, crs=loc.crs)
    assert len(ev) == 1
    check(ev.iloc[0], entry=25, exit=125, faces=("lateral", "lateral"), unc=(10, 10), depth=5000, n_fixes=10,
          deepest_t=75)
    # default frame: within 10 ms and 1 m (see test_antimeridian_default_working_crs)
    ev = find(east_track(loc), asp)
    assert len(ev) == 1
    assert secs(ev.iloc[0]["entry_time"]) == pytest.approx(25, abs=0.01)
    assert secs(ev.iloc[0]["exit_time"]) == pytest.approx(125, abs=0.01)
    assert ev.iloc[0]["max_depth_m"] == pytest.approx(5000, abs=1.0)
