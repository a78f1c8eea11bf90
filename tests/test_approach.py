"""Near approaches: hand cases with answers worked out on the ellipsoid, and a brute-force oracle."""

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airspace import make_airspace
from detect import find_violations, replay_events
from detect.band import OVERREACH_SHARE, _boundary_pieces, approach_band
from detect.band_cache import band_root, cached_band
from detect.geodesic import GEOD
from tests.geodesic_oracle import GeodesicBoundary, Path
from tracks import make_tracks

NM = 1852.0
START = pd.Timestamp("2025-09-19 09:00", tz="UTC")


def _tolerance_m(distance_m):
    """The depth's accuracy: max(1 m, 0.1 %)."""
    return max(1.0, 1e-3 * distance_m)


def _track(track_id, lon, lat, step_s=60.0, alt_m=None):
    times = START + pd.to_timedelta(np.arange(len(lon)) * step_s, unit="s")
    alt = None if alt_m is None else np.asarray(alt_m, float)
    return make_tracks(track_id, times, lon=lon, lat=lat, alt_baro_m=alt, alt_geo_m=alt)


def _seconds(times):
    return (pd.DatetimeIndex(times) - START).total_seconds().to_numpy()


def test_a_track_parallel_to_a_border_at_one_and_a_half_miles_is_one_approach_at_that_distance():
    # The box's southern edge is the equator (a geodesic); a parallel 1.5 NM south of it keeps
    # that distance all along (a meridian's arc from it to the equator does not depend on longitude).
    zone = make_airspace(shapely.box(10.0, 0.0, 11.0, 1.0), airspace_id="R1")
    lat = GEOD.fwd(10.5, 0.0, 180.0, 1.5 * NM)[1]
    lon = np.linspace(10.1, 10.9, 9)
    events = find_violations(_track("PAR", lon, np.full(9, lat)), zone, approach_m=2 * NM)
    assert events["event"].tolist() == ["approach"]
    event = events.iloc[0]
    assert (event["entry_face"], event["exit_face"]) == ("start", "end")
    assert abs(event["closest_m"] - 1.5 * NM) <= _tolerance_m(1.5 * NM)
    assert event["n_fixes"] == 9 and np.isnan(event["max_depth_m"])
    # Nothing inside: no violation; 1 NM is too near to count it.
    assert find_violations(_track("PAR", lon, np.full(9, lat)), zone, approach_m=NM).empty


def test_a_track_that_grazes_the_band_at_a_corner_between_fixes_is_closest_at_the_foot_of_the_corner():
    # The box's north-east corner V; the path crosses the corner's diagonal 1000 m out (at P0), at
    # right angles, its two fixes 5 km either side: the closest point is P0, midway in time, and the
    # band (1200 m) is entered and left sqrt(1200^2 - 1000^2) = 663.3 m either side of it.
    zone = make_airspace(shapely.box(10.0, 0.0, 11.0, 1.0), airspace_id="R1")
    azimuth = GEOD.inv(11.0, 1.0, 11.1, 1.1)[0]  # out along the diagonal, about 45 degrees
    p0_lon, p0_lat, _ = GEOD.fwd(11.0, 1.0, azimuth, 1000.0)
    a_lon, a_lat, _ = GEOD.fwd(p0_lon, p0_lat, azimuth - 90.0, 5000.0)
    b_lon, b_lat, _ = GEOD.fwd(p0_lon, p0_lat, azimuth + 90.0, 5000.0)
    events = find_violations(_track("CORNER", [a_lon, b_lon], [a_lat, b_lat], step_s=100.0), zone,
                             approach_m=1200.0)
    assert events["event"].tolist() == ["approach"]
    event = events.iloc[0]
    assert (event["entry_face"], event["exit_face"]) == ("lateral", "lateral") and event["n_fixes"] == 0
    assert abs(event["closest_m"] - 1000.0) <= _tolerance_m(1000.0)
    assert abs(_seconds([event["closest_time"]])[0] - 50.0) <= 0.05  # 100 m/s: 5 m
    assert GEOD.inv(event["closest_lon"], event["closest_lat"], p0_lon, p0_lat)[2] <= 5.0
    half_s = np.sqrt(1200.0**2 - 1000.0**2) / 100.0
    # The band reaches out at most 0.03 % farther (detect.band.OVERREACH_SHARE): 0.36 m at 1200 m, 0.7 m along.
    entry_s, exit_s = _seconds([event["entry_time"], event["exit_time"]])
    assert abs(entry_s - (50.0 - half_s)) <= 0.02 and abs(exit_s - (50.0 + half_s)) <= 0.02


def test_an_approach_that_leads_into_the_volume_ends_where_the_violation_begins():
    zone = make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), airspace_id="R1")
    track = _track("IN", [23.8, 23.9, 24.1, 24.3, 24.4], [59.05] * 5)
    events = find_violations(track, zone, approach_m=5000.0)
    assert events["event"].tolist() == ["approach", "violation", "approach"]
    before, inside, after = (events.iloc[k] for k in range(3))
    assert (before["entry_face"], before["exit_face"]) == ("lateral", "volume")
    assert before["exit_time"] == inside["entry_time"] and after["entry_time"] == inside["exit_time"]
    assert (after["entry_face"], after["exit_face"]) == ("volume", "lateral")
    assert before["closest_m"] <= 1.0 and after["closest_m"] <= 1.0
    assert abs((before["closest_time"] - before["exit_time"]).total_seconds()) <= 1e-3
    # The violation is the one found without approaches, unchanged.
    alone = find_violations(track, zone)
    pd.testing.assert_frame_equal(alone, events[events["event"] == "violation"].reset_index(drop=True))
    assert alone["closest_m"].isna().all() and (alone["event"] == "violation").all()


def test_an_approach_below_a_floor_is_within_the_vertical_margin_only():
    zone = make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), airspace_id="R1", floor_m=3000.0,
                         floor_ref="MSL")
    track = _track("LOW", [23.9, 24.1, 24.3], [59.05] * 3, alt_m=[2900.0] * 3)
    assert find_violations(track, zone, approach_m=1000.0).empty  # 100 m below: not within 0 m
    events = find_violations(track, zone, approach_m=1000.0, approach_vertical_m=150.0)
    assert events["event"].tolist() == ["approach"]
    assert events["closest_m"].iloc[0] == 0.0  # laterally inside
    assert (events["entry_face"].iloc[0], events["exit_face"].iloc[0]) == ("lateral", "lateral")


def test_bad_approach_distances_are_refused():
    zone = make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), airspace_id="R1")
    track = _track("A", [23.9, 24.3], [59.05] * 2)
    with pytest.raises(ValueError, match="positive"):
        find_violations(track, zone, approach_m=-5.0)
    with pytest.raises(ValueError, match="approach_m"):
        find_violations(track, zone, approach_vertical_m=100.0)


# Edges cut short, so that the core's edges (straight in its frame) and the oracle's (straight in
# lon/lat) part by millimetres.
ZONES = [shapely.segmentize(zone, 0.005) for zone in (
    shapely.box(24.0, 59.0, 24.3, 59.15),
    shapely.Polygon([(24.0, 59.0), (24.4, 59.05), (24.1, 59.1), (24.25, 59.2), (23.95, 59.18)]),
)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(zone=st.sampled_from(range(len(ZONES))), seed=st.integers(0, 2**31), approach_m=st.floats(300.0, 8000.0))
def test_approaches_match_a_brute_force_oracle_of_densely_sampled_segments(zone, seed, approach_m):
    rng = np.random.default_rng(seed)
    polygon = ZONES[zone]
    n = int(rng.integers(2, 7))
    lon = 24.15 + rng.uniform(-0.3, 0.3) + np.cumsum(rng.uniform(-0.12, 0.12, n))
    lat = 59.1 + rng.uniform(-0.15, 0.15) + np.cumsum(rng.uniform(-0.06, 0.06, n))
    track = _track("T", lon, lat)
    events = find_violations(track, make_airspace(polygon, airspace_id="R1"), approach_m=approach_m)
    approaches = events[events["event"] == "approach"]

    boundary = GeodesicBoundary(polygon)
    path = Path(lon, lat, np.arange(n) * 60.0)
    pos = np.concatenate([np.linspace(path.cum[k], path.cum[k + 1], 2001) for k in range(n - 1)])
    s_lon, s_lat, s_t = path.at(pos)
    distance = boundary.distance(s_lon, s_lat)
    inside = boundary.inside(s_lon, s_lat)
    near = ~inside & (distance <= approach_m - _tolerance_m(approach_m))
    far = ~inside & (distance >= approach_m + _tolerance_m(approach_m))
    step_m = np.diff(path.cum).max() / 2000

    entry_s, exit_s = _seconds(approaches["entry_time"]), _seconds(approaches["exit_time"])
    within = (s_t[:, None] >= entry_s - 1e-6) & (s_t[:, None] <= exit_s + 1e-6)
    # Every sample clearly within the distance is in an approach; none clearly beyond is.
    assert within[near].any(axis=1).all()
    assert not within[far].any()
    # Each approach's closest distance is the least of its samples' (to the sampling step: the
    # distance changes by at most a metre per metre along the path).
    for k, event in enumerate(approaches.itertuples()):
        sampled = distance[within[:, k] & ~inside]
        tolerance = _tolerance_m(event.closest_m)
        assert event.closest_m <= sampled.min() + tolerance
        assert event.closest_m >= sampled.min() - step_m - tolerance  # an event's end is a step from a sample
        assert event.closest_m <= approach_m * 1.001 + 1.0


def test_streaming_gives_the_batch_approaches():
    zone = make_airspace([ZONES[0], shapely.box(24.6, 59.0, 24.8, 59.1)], airspace_id=["R1", "R2"])
    rng = np.random.default_rng(7)
    tables = []
    for k in range(12):
        n = 40
        lon = 24.2 + rng.uniform(-0.4, 0.4) + np.cumsum(rng.uniform(-0.03, 0.03, n))
        lat = 59.1 + rng.uniform(-0.15, 0.15) + np.cumsum(rng.uniform(-0.015, 0.015, n))
        tables.append(_track(f"T{k:02d}", lon, lat, step_s=20.0))
    track = pd.concat(tables, ignore_index=True)
    batch = find_violations(track, zone, approach_m=3000.0)
    assert (batch["event"] == "approach").sum() >= 5
    for batch_s in (30, 300):
        streamed = replay_events(track, zone, batch_s=batch_s, approach_m=3000.0)
        pd.testing.assert_frame_equal(streamed, batch, check_exact=False, rtol=0, atol=1e-6)


def test_replay_and_detect_take_approach_distances_with_units_and_the_file_reads_back(tmp_path):
    from airspace import read as read_airspace
    from detect.events_io import read_events
    from tests.cli_runs import AIRSPACE, TRACKS, run
    from tracks import read_tracks_csv

    out = tmp_path / "events.csv"
    result = run("replay", TRACKS, "--airspace", AIRSPACE, "--approach", "5NM", "--out", out)
    assert result.exit_code == 0, result.stderr
    events = read_events(out)
    tracks = read_tracks_csv(TRACKS)[0]
    expected = find_violations(tracks, read_airspace(AIRSPACE)[0], approach_m=5 * NM)
    assert (events["event"] == "approach").sum() == (expected["event"] == "approach").sum() > 0
    assert events["closest_m"].round(3).tolist() == pytest.approx(expected["closest_m"].round(3).tolist(),
                                                                  nan_ok=True)
    assert "APPROACH" in result.stderr and "near approach(es)" in result.stderr
    for path in (tmp_path / "events.geojson", tmp_path / "events.json", tmp_path / "events.parquet"):
        from detect.events_io import write_events
        pd.testing.assert_frame_equal(read_events(write_events(events, path)), events)
    # Detect, in km, prints the same table.
    detected = run("detect", TRACKS, "--airspace", AIRSPACE, "--approach", "9.26km")
    assert detected.exit_code == 0 and detected.stdout.count("approach") == (events["event"] == "approach").sum()
    bad = run("detect", TRACKS, "--airspace", AIRSPACE, "--approach", "5 miles")
    assert bad.exit_code == 2 and "give a distance with its unit" in bad.stderr


def test_event_files_written_before_approaches_read_as_violations(tmp_path):
    from detect.events import EVENT_DEFAULTS
    from detect.events_io import read_events
    from detect.example_data import example_tables

    events = example_tables()[0]
    old = tmp_path / "old.csv"
    from detect.events_io import write_events
    write_events(events, old)
    table = pd.read_csv(old).drop(columns=list(EVENT_DEFAULTS))
    table.to_csv(old, index=False)
    pd.testing.assert_frame_equal(read_events(old), read_events(write_events(events, tmp_path / "new.csv")))


def test_the_incident_map_of_an_approach_draws_the_band_at_the_distance_and_the_closest_point():
    from matplotlib.colors import to_hex

    from plots.incident import incident_map
    from plots.labels import distance_label
    from plots.style import COLOURS

    zone = make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), airspace_id="R1", name="Zone")
    track = _track("B", [23.9, 24.1, 24.3], [58.99] * 3)
    event = find_violations(track, zone, approach_m=3000.0).iloc[0]
    figure = incident_map(event, track, zone)
    ax = figure.axes[0]
    labels = [text.get_text() for legend in figure.legends for text in legend.get_texts()]
    assert "approach band, 3.00 km (1.62 NM)" in labels  # told by the crossing, measured on the map
    near = [line for line in ax.get_lines() if line.get_gid() == "track-inside"]
    assert to_hex(near[0].get_color()) == COLOURS["track_near"]
    texts = [text.get_text() for text in ax.texts]
    assert f"closest {distance_label(event['closest_m'])}" in "\n".join(texts)


def test_a_volume_split_at_the_antimeridian_is_approached_across_it():
    seam = shapely.box(179.0, 64.0, 180.0, 66.0) | shapely.box(-180.0, 64.0, -178.0, 66.0)
    zone = make_airspace(seam, airspace_id="S")
    west = _track("W", [178.7, 178.85, 178.95], [65.0] * 3)
    east = _track("E", [-177.95, -177.85, -177.7], [65.0] * 3)
    events = find_violations(pd.concat([east, west], ignore_index=True), zone, approach_m=10_000.0)
    assert events["event"].tolist() == ["approach", "approach"]
    for track_id, lon_near, lon_edge in (("W", 178.95, 179.0), ("E", -177.95, -178.0)):
        event = events[events["track_id"] == track_id].iloc[0]
        expected = GEOD.inv(lon_near, 65.0, lon_edge, 65.0)[2]  # a meridian's foot lies at the same latitude
        assert abs(event["closest_m"] - expected) <= _tolerance_m(expected)


def test_a_band_across_many_lattice_cells_lies_at_the_distance_everywhere():
    # 4 x 3 degrees with a wavy northern edge: the boundary crosses 8 cells of the band's lattice,
    # and a gap or a bulge where the pieces meet would show on the band's boundary.
    wave_lon = np.linspace(28.0, 24.0, 80)
    polygon = shapely.Polygon(np.concatenate([
        [(24.0, 58.2), (28.0, 58.2)],
        np.column_stack([wave_lon, 61.0 + 0.25 * np.sin(wave_lon * 3.0)]),
    ]))
    approach_m = 5_000.0
    band = approach_band(polygon, approach_m)
    assert len(_boundary_pieces(polygon)[0]) == 8  # cut at 25.5 E, 27 E, 58.5 N, 60 N; the middle cells inside
    vertices = shapely.get_coordinates(shapely.segmentize(band.exterior, 0.01))
    distance = GeodesicBoundary(shapely.segmentize(polygon, 0.005)).distance(vertices[:, 0], vertices[:, 1])
    assert distance.min() >= approach_m - _tolerance_m(approach_m)
    assert distance.max() <= approach_m * (1.0 + OVERREACH_SHARE) + _tolerance_m(approach_m)
    assert not band.interiors  # no hole left where the pieces meet


def test_national_bands_are_kept_on_disk_and_a_corrupt_one_is_built_again(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("AIRWARDEN_CACHE_DIR", str(tmp_path))
    polygon = shapely.box(24.0, 59.0, 24.3, 59.15)
    built = cached_band(polygon, 2_000.0)
    (entry,) = band_root().iterdir()
    assert shapely.from_wkb(entry.read_bytes()).equals(approach_band(polygon, 2_000.0))
    assert cached_band(polygon, 2_000.0).equals(built)
    assert len(list(band_root().iterdir())) == 1
    cached_band(polygon, 3_000.0)  # another distance: another entry
    assert len(list(band_root().iterdir())) == 2
    entry.write_bytes(b"not a polygon")
    with caplog.at_level("WARNING", logger="airwarden"):
        assert cached_band(polygon, 2_000.0).equals(built)
    assert "unreadable" in caplog.text
    assert shapely.from_wkb(entry.read_bytes()).equals(built)
