"""detect.scenario: the built-in illustrative scenario, checked against the reported facts."""

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from airspace.national_airspace import national
from detect import find_violations
from detect.scenario import (
    ILLUSTRATIVE_NOTE,
    SCENARIO_COUNTRIES,
    SCENARIO_SOURCE,
    scenario_tracks,
    scenario_waypoints,
    waypoints_path,
)
from tracks import validate_tracks

GEOD = pyproj.Geod(ellps="WGS84")
VAINDLOO = (26.362, 59.814)
KYBARTAI = (22.75, 54.64)
JETS = ["MIG31-1", "MIG31-2", "MIG31-3"]
AIRLINERS = ["AWD101", "AWD202", "AWD303"]


@pytest.fixture(scope="module")
def airspace(tmp_path_factory):
    """National airspace of the scenario's states, built once in a cache of the module's own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AIRWARDEN_CACHE_DIR", str(tmp_path_factory.mktemp("national-cache")))
        yield national(SCENARIO_COUNTRIES)


@pytest.fixture(scope="module")
def tracks():
    return scenario_tracks()


@pytest.fixture(scope="module")
def events(tracks, airspace):
    return find_violations(tracks, airspace)


def distance_km(lon, lat, point):
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    return GEOD.inv(lon, lat, np.full(lon.shape, point[0]), np.full(lat.shape, point[1]))[2] / 1000


def test_tracks_are_a_valid_labelled_table(tracks):
    again = validate_tracks(tracks)
    assert len(again) == len(tracks)
    assert set(tracks["source"]) == {SCENARIO_SOURCE} and "illustrative" in SCENARIO_SOURCE
    for column in ("callsign", "icao24"):
        assert column in tracks.columns
    assert tracks["track_id"].nunique() == 3 + 19 + 2 + 3


def test_sampling_and_altitudes_follow_the_sensor(tracks):
    step_s = tracks.groupby("track_id")["time"].diff().dt.total_seconds()
    radar = ~tracks["track_id"].isin(AIRLINERS)
    assert set(step_s[radar].dropna()) == {5.0}
    assert set(step_s[~radar].dropna()) == {1.0}
    assert tracks.loc[radar, "alt_geo_m"].isna().all()
    assert tracks.loc[~radar, ["alt_baro_m", "alt_geo_m"]].notna().all().all()
    airliners = tracks[~radar]
    assert airliners["callsign"].notna().all() and airliners["icao24"].str.fullmatch("[0-9a-f]{6}").all()
    assert airliners["alt_baro_m"].between(10_000, 11_600).all()  # FL330-FL380


def test_same_seed_same_table_other_seed_other_noise():
    first, again, other = scenario_tracks(seed=7), scenario_tracks(seed=7), scenario_tracks(seed=8)
    pd.testing.assert_frame_equal(first, again)
    assert (first["time"] == other["time"]).all()
    moved_m = GEOD.inv(first["lon"], first["lat"], other["lon"], other["lat"])[2]
    assert 0 < np.median(moved_m) < 100  # noise of metres to tens of metres, not a new route


def test_waypoint_file_parses_and_says_it_is_illustrative():
    waypoints = scenario_waypoints()
    assert set(waypoints["source"]) == {"illustrative"}
    assert set(waypoints["kind"]) == {"jet", "drone", "fighter", "tanker", "airliner"}
    assert set(waypoints["sensor"]) == {"radar", "adsb"}
    with waypoints_path().open(encoding="utf-8") as file:
        first_line = file.readline()
    assert first_line.startswith("#") and ILLUSTRATIVE_NOTE in first_line
    assert "not recorded data" in ILLUSTRATIVE_NOTE


def test_three_jets_about_twelve_minutes_in_estonia_near_vaindloo(events):
    jets = events[events["track_id"].isin(JETS)]
    assert set(jets["country"]) == {"EST"}
    minutes = jets.groupby("track_id")["duration_s"].sum() / 60
    assert sorted(minutes.index) == JETS
    assert minutes.between(10.5, 13.0).all()  # "about 12 minutes" each
    assert (distance_km(jets["deepest_lon"], jets["deepest_lat"], VAINDLOO) < 30).all()
    assert (jets["max_depth_m"] < 10_500).all()  # reported: less than about 10 km
    times = jets["entry_time"].dt
    assert (times.strftime("%Y-%m-%d") == "2025-09-19").all() and (times.hour < 9).all()  # morning, UTC+3


def test_nineteen_drones_from_belarus_into_poland(events, airspace, tracks):
    drone_ids = sorted(tracks.loc[tracks["track_id"].str.startswith("DRONE"), "track_id"].unique())
    assert len(drone_ids) == 19
    poland = events[events["track_id"].isin(drone_ids) & (events["country"] == "POL")]
    assert sorted(poland["track_id"].unique()) == drone_ids
    first = poland.sort_values("entry_time").groupby("track_id").first()
    belarus = airspace.set_index("country").geometry["BLR"]
    entry = shapely.points(first["entry_lon"], first["entry_lat"])
    assert (shapely.distance(belarus, entry) < 0.01).all()  # they cross the Belarus border
    assert first["entry_lat"].between(51.5, 53.7).all()
    window = (pd.Timestamp("2025-09-09T23:30Z"), pd.Timestamp("2025-09-10T06:30Z"))
    assert (poland["entry_time"] >= window[0]).all() and (poland["exit_time"] <= window[1]).all()
    assert poland["min_alt_m"].min() > 50 and poland["max_alt_m"].max() < 1100  # low


def test_drones_end_inside_poland_shot_down_ones_near_the_border(events):
    notes = scenario_waypoints().groupby("track_id")["notes"].first()
    shot_down = set(notes[notes.str.contains("shot down", na=False)].index)
    assert 3 <= len(shot_down) <= 6
    poland = events[events["track_id"].str.startswith("DRONE") & (events["country"] == "POL")]
    last = poland.sort_values("exit_time").groupby("track_id").last()
    assert (last["exit_face"] == "end").all()
    assert (last.loc[sorted(shot_down), "max_depth_m"] < 40_000).all()
    far = last.drop(sorted(shot_down))
    assert (far["max_depth_m"] > 45_000).all()


def test_drones_are_slow(tracks):
    drones = tracks[tracks["track_id"].str.startswith("DRONE")]
    same = drones["track_id"].eq(drones["track_id"].shift()).to_numpy()
    step_m = GEOD.inv(drones["lon"].shift(), drones["lat"].shift(), drones["lon"], drones["lat"])[2]
    step_s = drones["time"].diff().dt.total_seconds()
    speed_mps = pd.Series(step_m / step_s)[same].groupby(drones["track_id"][same].to_numpy()).median()
    assert speed_mps.between(38, 52).all()  # 40-50 m/s, measured from the positions


@pytest.mark.parametrize("track_id", ["SU30-1", "IL78-1"])
def test_fighter_and_tanker_700_m_and_18_s_inside_lithuania(events, track_id):
    lithuania = events[(events["track_id"] == track_id) & (events["country"] == "LTU")]
    assert len(lithuania) == 1
    event = lithuania.iloc[0]
    assert 15 <= event["duration_s"] <= 21
    assert 500 <= event["max_depth_m"] <= 900
    assert distance_km(event["deepest_lon"], event["deepest_lat"], KYBARTAI) < 5
    assert event["entry_time"].strftime("%Y-%m-%d") == "2025-10-23"
    kaliningrad = events[(events["track_id"] == track_id) & (events["country"] == "RUS")]
    assert kaliningrad["entry_face"].tolist() == ["start", "lateral"]  # from Kaliningrad, and back


def test_ordinary_traffic_raises_no_event(events, tracks):
    assert set(AIRLINERS) <= set(tracks["track_id"])
    assert not events["track_id"].isin(AIRLINERS).any()


def test_tracks_follow_the_geodesic_between_waypoints():
    one = {
        "track_id": "T1", "callsign": "T1", "icao24": "abc123", "kind": "airliner",
        "period_s": 1.0, "sensor": "adsb", "source": "illustrative", "notes": "", "line": 0,
    }
    waypoints = pd.DataFrame([
        {**one, "time_utc": pd.Timestamp("2025-01-01T00:00Z"),
         "lon": 25.0, "lat": 59.0, "alt_baro_m": 1000.0, "alt_geo_m": 1100.0},
        {**one, "time_utc": pd.Timestamp("2025-01-01T00:16:40Z"),
         "lon": 25.0, "lat": 60.0, "alt_baro_m": 2000.0, "alt_geo_m": 2100.0},
    ])
    tracks = scenario_tracks(seed=3, waypoints=waypoints)
    assert len(tracks) == 1001  # 1000 s at 1 s, both ends
    middle = tracks.iloc[500]
    assert distance_km(middle["lon"], middle["lat"], (25.0, 59.5)) < 0.02  # half-way up the meridian
    assert middle["alt_baro_m"] == pytest.approx(4925 * 0.3048)  # 1500 m = 4921 ft, reported in 25 ft steps
    assert middle["alt_geo_m"] == pytest.approx(1600, abs=15)
    # one degree of meridian at 59.5 N is 111.40 km (meridional radius of curvature, WGS84)
    assert tracks["ground_speed_mps"].to_numpy() == pytest.approx(111.40, abs=0.05)
    north = np.minimum(tracks["track_deg"], 360 - tracks["track_deg"])
    assert (north < 0.01).all()


def test_airliners_report_their_heading(tracks):
    track_deg = tracks.groupby("track_id")["track_deg"].median()
    assert 225 < track_deg["AWD101"] < 270  # west-south-west along the Gulf
    assert 45 < track_deg["AWD202"] < 90  # back east-north-east
    assert 180 < track_deg["AWD303"] < 210  # south over the Baltic


def test_bad_waypoint_file_names_file_and_line(tmp_path):
    lines = waypoints_path().read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    broken = lines.copy()
    broken[header + 3] = broken[header + 3].replace("radar", "sonar", 1)
    path = tmp_path / "waypoints.csv"
    path.write_text("\n".join(broken) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"waypoints.csv: line {header + 4}: column 'sensor'"):
        scenario_waypoints(path)
    backwards = lines[: header + 1] + [lines[header + 2], lines[header + 1]] + lines[header + 3 :]
    path.write_text("\n".join(backwards) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"line {header + 3}: column 'time_utc'"):
        scenario_waypoints(path)
