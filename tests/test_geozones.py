"""Drone geozones (ED-269, ED-318): files written here from the published schemas, read to airspace."""

import json

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from airspace import read as read_airspace
from airspace import write as write_airspace
from airspace.geozones import read_geozones
from detect import find_violations
from detect.events_io import read_events
from tests.cli_runs import run
from tracks import make_tracks
from tracks.errors import ReadError

GEOD = Geod(ellps="WGS84")
CENTRE = (6.9131, 46.4308)  # lon, lat


def ed269_volume(projection, lower=0, lower_ref="AGL", upper=120, upper_ref="AGL", uom="M"):
    return {"uomDimensions": uom, "lowerLimit": lower, "lowerVerticalReference": lower_ref,
            "upperLimit": upper, "upperVerticalReference": upper_ref, "horizontalProjection": projection}


def ed269_zone(identifier="CH001", volumes=None, applicability=None, restriction="PROHIBITED", **fields):
    circle = {"type": "Circle", "center": list(CENTRE), "radius": 1000}
    return {"identifier": identifier, "country": "CHE", "name": f"Zone {identifier}", "type": "COMMON",
            "restriction": restriction, "reason": ["AIR_TRAFFIC"], "zoneAuthority": [{"name": "FOCA"}],
            "applicability": applicability or [{"permanent": "YES"}],
            "geometry": volumes or [ed269_volume(circle)], **fields}


def ed318_feature(identifier="CH318", geometry=None, periods=None, zone_type="REQ_AUTHORIZATION"):
    geometry = geometry or {
        "type": "Point", "coordinates": list(CENTRE), "extent": {"subType": "Circle", "radius": 1500},
        "layer": {"upper": 150, "upperReference": "AMSL", "lower": 0, "lowerReference": "AGL", "uom": "m"},
    }
    properties = {"identifier": identifier, "country": "CHE", "type": zone_type, "variant": "COMMON",
                  "name": [{"text": "Zone de test", "lang": "fr-CH"}, {"text": "Test zone", "lang": "en-GB"}],
                  "zoneAuthority": [{"purpose": "AUTHORIZATION"}]}
    if periods is not None:
        properties["limitedApplicability"] = periods
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def write_json(tmp_path, document, name="zones.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document, indent=1))
    return path


def ed269_file(tmp_path, *zones):
    return write_json(tmp_path, {"title": "test zones", "features": list(zones)})


def ed318_file(tmp_path, *features):
    return write_json(tmp_path, {"type": "FeatureCollection", "metadata": {"provider": []},
                                 "features": list(features)})


def utc(text):
    return pd.Timestamp(text, tz="UTC")


# --- mapping ------------------------------------------------------------------


def test_an_ed269_polygon_zone_maps_to_one_airspace_row(tmp_path):
    ring = [[7.0, 46.0], [7.1, 46.0], [7.1, 46.1], [7.0, 46.1], [7.0, 46.0]]
    zone = ed269_zone("LSXX", [ed269_volume({"type": "Polygon", "coordinates": [ring]})],
                      restriction="REQ_AUTHORISATION")
    airspace, report = read_geozones(ed269_file(tmp_path, zone))
    row = airspace.iloc[0]
    assert (report.format, report.zones_read, report.zones_accepted, report.rows) == ("ED-269", 1, 1, 1)
    assert (row.airspace_id, row["name"], row.country, row.kind) == ("LSXX", "Zone LSXX", "CHE",
                                                                      "uas-authorisation")
    assert (row.restriction, row.zone_type, row.geozone_id) == ("REQ_AUTHORISATION", "COMMON", "LSXX")
    assert row.geometry.normalize().equals(shapely.Polygon(ring).normalize())
    assert pd.isna(row.valid_from) and pd.isna(row.valid_to)


@pytest.mark.parametrize("restriction, kind", [
    ("PROHIBITED", "uas-prohibited"), ("REQ_AUTHORISATION", "uas-authorisation"),
    ("CONDITIONAL", "uas-conditional"), ("NO_RESTRICTION", "uas-no-restriction"),
])
def test_each_ed269_restriction_has_its_kind(tmp_path, restriction, kind):
    airspace, _ = read_geozones(ed269_file(tmp_path, ed269_zone(restriction=restriction)))
    assert airspace["kind"].tolist() == [kind]
    assert airspace["restriction"].tolist() == [restriction]


def circle_distances_m(geometry, centre=CENTRE):
    """Geodesic distance from the centre of every vertex, and of every chord's midpoint (on the ellipsoid)."""
    lon, lat = np.asarray(geometry.exterior.coords).T
    _, _, vertex_m = GEOD.inv(np.full(len(lon), centre[0]), np.full(len(lon), centre[1]), lon, lat)
    mid_lon, mid_lat = [], []
    for k in range(len(lon) - 1):
        (mid,) = GEOD.npts(lon[k], lat[k], lon[k + 1], lat[k + 1], 1)
        mid_lon.append(mid[0])
        mid_lat.append(mid[1])
    _, _, mid_m = GEOD.inv(np.full(len(mid_lon), centre[0]), np.full(len(mid_lon), centre[1]), mid_lon, mid_lat)
    return vertex_m, np.asarray(mid_m)


@pytest.mark.parametrize("radius, uom, radius_m", [(1000, "M", 1000.0), (3000, "FT", 914.4),
                                                   (50_000, "M", 50_000.0)])
def test_an_ed269_circle_has_its_vertices_at_the_geodesic_radius(tmp_path, radius, uom, radius_m):
    projection = {"type": "Circle", "center": list(CENTRE), "radius": radius}
    airspace, _ = read_geozones(ed269_file(tmp_path, ed269_zone(volumes=[ed269_volume(projection, uom=uom)])))
    vertex_m, mid_m = circle_distances_m(airspace.geometry.iloc[0])
    np.testing.assert_allclose(vertex_m, radius_m, rtol=1e-9)
    # Steps of at most 10 degrees and at most 50 m of chord error (sagitta r (1 - cos(step / 2))).
    step_deg = min(10.0, np.degrees(2 * np.arccos(1 - 50.0 / radius_m)))
    n_chords = int(np.ceil(360.0 / step_deg))
    assert len(vertex_m) == n_chords + 1
    np.testing.assert_allclose(radius_m - mid_m, radius_m * (1 - np.cos(np.pi / n_chords)), atol=0.05)
    assert (radius_m - mid_m).max() <= 50.0


def test_an_ed318_point_with_a_circle_extent_is_a_circle_of_metres(tmp_path):
    airspace, report = read_geozones(ed318_file(tmp_path, ed318_feature()))
    row = airspace.iloc[0]
    assert report.format == "ED-318"
    assert (row.airspace_id, row["name"], row.kind, row.restriction) == (
        "CH318", "Test zone", "uas-authorisation", "REQ_AUTHORIZATION")
    vertex_m, _ = circle_distances_m(row.geometry)
    np.testing.assert_allclose(vertex_m, 1500.0, rtol=1e-9)


def test_a_circle_across_the_antimeridian_is_split_there(tmp_path):
    projection = {"type": "Circle", "center": [179.995, -16.5], "radius": 2000}
    airspace, _ = read_geozones(ed269_file(tmp_path, ed269_zone(volumes=[ed269_volume(projection)])))
    geometry = airspace.geometry.iloc[0]
    assert geometry.geom_type == "MultiPolygon"
    assert geometry.bounds[0] == -180.0 and geometry.bounds[2] == 180.0
    # Area of a 2 km circle, pi r^2, within the chord approximation.
    area_m2 = abs(GEOD.geometry_area_perimeter(geometry)[0])
    assert 0.97 * np.pi * 2000**2 < area_m2 < np.pi * 2000**2


# --- vertical limits ----------------------------------------------------------


@pytest.mark.parametrize("volume, expected", [
    ((0, "AGL", 400, "AGL", "FT"), (-np.inf, "SFC", 121.92, "AGL")),
    ((100, "AMSL", 1500, "AMSL", "FT"), (30.48, "MSL", 457.2, "MSL")),
    ((50, "AGL", 120, "AGL", "M"), (50.0, "AGL", 120.0, "AGL")),
    ((0, "AMSL", 300, "AGL", "m"), (0.0, "MSL", 300.0, "AGL")),
    ((None, "AGL", None, "AMSL", "M"), (-np.inf, "SFC", np.inf, "STD")),
    (("0", "SFC", "90", "AGL", "M"), (-np.inf, "SFC", 90.0, "AGL")),
])
def test_ed269_vertical_limits_and_references(tmp_path, volume, expected):
    lower, lower_ref, upper, upper_ref, uom = volume
    circle = {"type": "Circle", "center": list(CENTRE), "radius": 500}
    zone = ed269_zone(volumes=[ed269_volume(circle, lower, lower_ref, upper, upper_ref, uom)])
    airspace, _ = read_geozones(ed269_file(tmp_path, zone))
    row = airspace.iloc[0]
    assert (row.floor_m, row.floor_ref, row.ceiling_m, row.ceiling_ref) == expected


def test_ed318_wgs84_heights_are_read_as_msl_and_said(tmp_path):
    geometry = {"type": "Polygon", "coordinates": [[[7, 46], [7.1, 46], [7.1, 46.1], [7, 46]]],
                "layer": {"upper": 1000, "upperReference": "WGS84", "lower": 100, "lowerReference": "WGS84",
                          "uom": "ft"}}
    airspace, report = read_geozones(ed318_file(tmp_path, ed318_feature(geometry=geometry)))
    row = airspace.iloc[0]
    assert (row.floor_m, row.floor_ref, row.ceiling_m, row.ceiling_ref) == (30.48, "MSL", 304.8, "MSL")
    assert any(note.startswith("2 limit(s) are heights above the WGS84 ellipsoid") for note in report.notes)


def test_several_volumes_give_numbered_rows_with_their_own_limits(tmp_path):
    volumes = [ed269_volume({"type": "Circle", "center": list(CENTRE), "radius": r}, lower=lower)
               for r, lower in ((1000, 0), (2500, 50), (3500, 100))]
    airspace, report = read_geozones(ed269_file(tmp_path, ed269_zone("LSPR", volumes)))
    assert airspace["airspace_id"].tolist() == ["LSPR-1", "LSPR-2", "LSPR-3"]
    assert airspace["floor_m"].tolist() == [-np.inf, 50.0, 100.0]
    assert airspace["geozone_id"].tolist() == ["LSPR"] * 3
    assert (report.zones_accepted, report.rows) == (1, 3)


def test_a_repeated_identifier_is_numbered_and_said(tmp_path):
    path = ed269_file(tmp_path, ed269_zone("GNP"), ed269_zone("GNP", restriction="CONDITIONAL"))
    airspace, report = read_geozones(path)
    assert airspace["airspace_id"].tolist() == ["GNP", "GNP-2"]
    assert airspace["kind"].tolist() == ["uas-prohibited", "uas-conditional"]
    assert any("GNP" in note for note in report.notes)


# --- times --------------------------------------------------------------------


def test_a_weekday_schedule_expands_to_one_row_per_day(tmp_path):
    # Monday 2 June 2025 to Sunday 8 June 2025 (dates checked on a calendar), 08:00-17:00 on weekdays.
    period = {"permanent": "NO", "startDateTime": "2025-06-02T00:00:00Z", "endDateTime": "2025-06-08T23:59:59Z",
              "schedule": [{"day": ["MON", "TUE", "WED", "THU", "FRI"], "startTime": "08:00Z", "endTime": "17:00Z"}]}
    airspace, report = read_geozones(ed269_file(tmp_path, ed269_zone("SCH", applicability=[period])))
    assert airspace["airspace_id"].tolist() == [f"SCH-{k}" for k in range(1, 6)]
    assert airspace["valid_from"].tolist() == [utc(f"2025-06-0{d} 08:00") for d in range(2, 7)]
    assert airspace["valid_to"].tolist() == [utc(f"2025-06-0{d} 17:00") for d in range(2, 7)]
    assert report.times.windows == 5


def test_an_overnight_schedule_runs_into_the_next_day_and_is_clipped_to_the_period(tmp_path):
    period = {"startDateTime": "2025-06-07T00:00:00+02:00", "endDateTime": "2025-06-08T12:00:00+02:00",
              "schedule": [{"day": ["ANY"], "startTime": "22:00:00+02:00", "endTime": "06:00:00+02:00"}]}
    airspace, _ = read_geozones(ed318_file(tmp_path, ed318_feature(periods=[period])))
    # Local days 6, 7, 8 June: 22:00-06:00 local is 20:00-04:00 UTC; clipped to 6 June 22:00 UTC .. 8 June 10:00 UTC.
    assert list(zip(airspace["valid_from"], airspace["valid_to"])) == [
        (utc("2025-06-06 22:00"), utc("2025-06-07 04:00")),
        (utc("2025-06-07 20:00"), utc("2025-06-08 04:00")),
    ]


def test_periods_without_schedules_are_windows_and_overlaps_are_joined(tmp_path):
    periods = [{"startDateTime": "2025-01-01T00:00:00Z", "endDateTime": "2025-01-10T00:00:00Z"},
               {"startDateTime": "2025-01-05T00:00:00Z", "endDateTime": "2025-01-20T00:00:00Z"},
               {"startDateTime": "2025-03-01T00:00:00Z"}]
    airspace, _ = read_geozones(ed318_file(tmp_path, ed318_feature(periods=periods)))
    assert airspace["valid_from"].tolist() == [utc("2025-01-01"), utc("2025-03-01")]
    assert airspace["valid_to"].iloc[0] == utc("2025-01-20") and pd.isna(airspace["valid_to"].iloc[1])


def test_volumes_times_windows_are_numbered_volume_then_window(tmp_path):
    volumes = [ed269_volume({"type": "Circle", "center": list(CENTRE), "radius": r}) for r in (500, 900)]
    periods = [{"startDateTime": "2025-01-01T00:00:00Z", "endDateTime": "2025-01-02T00:00:00Z"},
               {"startDateTime": "2025-02-01T00:00:00Z", "endDateTime": "2025-02-02T00:00:00Z"}]
    airspace, _ = read_geozones(ed269_file(tmp_path, ed269_zone("VW", volumes, periods)))
    assert airspace["airspace_id"].tolist() == ["VW-1-1", "VW-1-2", "VW-2-1", "VW-2-2"]


def test_a_schedule_too_long_to_expand_is_active_over_its_period_and_counted(tmp_path):
    long = {"startDateTime": "2020-01-01T00:00:00Z", "endDateTime": "2030-01-01T00:00:00Z",
            "schedule": [{"day": ["ANY"], "startTime": "06:00Z", "endTime": "20:00Z"}]}
    open_ended = {"startDateTime": "2020-01-01T00:00:00Z",
                  "schedule": [{"day": ["SUN"], "startTime": "06:00Z", "endTime": "20:00Z"}]}
    path = ed269_file(tmp_path, ed269_zone("LONG", applicability=[long]),
                      ed269_zone("OPEN", applicability=[open_ended]))
    airspace, report = read_geozones(path, max_windows=100)
    assert airspace["airspace_id"].tolist() == ["LONG", "OPEN"]
    assert airspace["valid_from"].tolist() == [utc("2020-01-01")] * 2
    assert airspace["valid_to"].iloc[0] == utc("2030-01-01") and pd.isna(airspace["valid_to"].iloc[1])
    assert report.times.not_expanded == 2
    assert any(note.startswith("2 daily schedule(s) open-ended or longer") for note in report.notes)
    # With room for them, the 10 years of days are expanded: one window per day.
    expanded, report = read_geozones(ed269_file(tmp_path, ed269_zone("LONG", applicability=[long])), max_windows=4000)
    assert len(expanded) == (utc("2030-01-01") - utc("2020-01-01")).days == report.times.windows


# --- broken files -------------------------------------------------------------


def test_bad_zones_are_rejected_and_counted_by_reason_with_where(tmp_path):
    circle = {"type": "Circle", "center": list(CENTRE), "radius": 1000}
    zones = [
        ed269_zone("OK1"),
        ed269_zone("NOGEO", volumes=[]) | {"geometry": []},
        ed269_zone("R0", [ed269_volume({"type": "Circle", "center": list(CENTRE), "radius": 0})]),
        ed269_zone("RTXT", [ed269_volume({"type": "Circle", "center": list(CENTRE), "radius": "far"})]),
        ed269_zone("FL", [ed269_volume(circle, upper_ref="FL")]),
        ed269_zone("T", applicability=[{"startDateTime": "yesterday"}]),
        ed269_zone("U", restriction="MAYBE"),
        ed269_zone("UP", [ed269_volume(circle, lower=200, upper=100)]),
        ed269_zone("PT", [ed269_volume({"type": "Polygon", "coordinates": [[[7, 46], [7, 46], [7, 46]]]})]),
        ed269_zone("OK2"),
    ]
    airspace, report = read_geozones(ed269_file(tmp_path, *zones))
    assert airspace["airspace_id"].tolist() == ["OK1", "OK2"]
    assert (report.zones_read, report.zones_accepted, report.zones_rejected) == (10, 2, 8)
    assert report.rejected == {"missing geometry": 1, "bad radius": 2, "unknown vertical reference": 1,
                               "bad time": 1, "unknown restriction": 1, "bad vertical limit": 1,
                               "bad geometry": 1}
    assert report.first_rejected["bad radius"] == ["zone 2 (R0): volume 0", "zone 3 (RTXT): volume 0"]
    assert "zone 4 (FL): volume 0: unknown vertical reference: upper reference 'FL'" in str(report)


def test_strict_raises_naming_the_file_and_the_zone(tmp_path):
    path = ed269_file(tmp_path, ed269_zone("OK"), ed269_zone("R0", [ed269_volume({"type": "Circle",
                                                                                  "center": [7, 46], "radius": -5})]))
    with pytest.raises(ReadError, match=rf"^{path}: zone 1 \(R0\): volume 0: bad radius: radius -5"):
        read_geozones(path, strict=True)


def test_bad_json_is_one_line_naming_the_file_and_line(tmp_path):
    path = tmp_path / "zones.json"
    path.write_text('{"features": [\n  {"identifier": "A",\n  "zoneAuthority": [] oops}]}')
    with pytest.raises(ReadError, match=rf"^{path}:3: not valid JSON") as caught:
        read_airspace(path)
    assert "\n" not in str(caught.value)


def test_json_that_is_no_zone_file_is_refused(tmp_path):
    path = write_json(tmp_path, {"zoneAuthority": "x", "something": []})
    with pytest.raises(ReadError, match=rf"^{path}: JSON that is not a drone geozone file"):
        read_airspace(path)


def test_an_ed318_feature_without_geometry_or_layer_is_rejected(tmp_path):
    no_layer = {"type": "Polygon", "coordinates": [[[7, 46], [7.1, 46], [7.1, 46.1], [7, 46]]]}
    features = [ed318_feature("A") | {"geometry": None}, ed318_feature("B", geometry=no_layer), ed318_feature("C")]
    airspace, report = read_geozones(ed318_file(tmp_path, *features))
    assert airspace["airspace_id"].tolist() == ["C"]
    assert report.rejected == {"missing geometry": 1, "bad vertical limit": 1}


# --- airspace files -----------------------------------------------------------


def test_airspace_read_tells_both_formats_by_content_and_writes_them_back(tmp_path):
    ed269 = ed269_file(tmp_path, ed269_zone("A269"))
    ed318 = write_json(tmp_path, {"type": "FeatureCollection", "features": [ed318_feature("B318")]}, "b.geojson")
    for path, fmt in ((ed269, "ED-269"), (ed318, "ED-318")):
        airspace, report = read_airspace(path)
        assert report.format == fmt and report.geozones.zones_accepted == 1
        assert str(report).startswith(f"{path}: 1 drone geozones read ({fmt})")
        for ending in (".gpkg", ".geojson"):
            back, back_report = read_airspace(write_airspace(airspace, tmp_path / f"back{ending}"))
            assert back_report.geozones is None
            pd.testing.assert_frame_equal(back.drop(columns="geometry"), airspace.drop(columns="geometry"),
                                          check_dtype=False)


def test_a_zone_whose_outline_is_longer_than_the_sniffed_head_is_still_told(tmp_path):
    angles = np.linspace(0, 2 * np.pi, 6000, endpoint=False)
    ring = np.column_stack([7 + 0.1 * np.cos(angles), 46 + 0.1 * np.sin(angles)]).round(7).tolist()
    geometry = {"type": "Polygon", "coordinates": [[*ring, ring[0]]],
                "layer": {"upper": 120, "upperReference": "AGL", "lower": 0, "lowerReference": "AGL"}}
    path = write_json(tmp_path, {"type": "FeatureCollection", "features": [ed318_feature("BIG", geometry)]})
    assert path.stat().st_size > 65536
    airspace, report = read_airspace(path)
    assert report.format == "ED-318" and airspace["airspace_id"].tolist() == ["BIG"]


# --- end to end ---------------------------------------------------------------


def crossing_track():
    """Eastward through the circle's centre at 50 m/s and 60 m geometric altitude, fixes every 10 s."""
    t_s = np.arange(0, 121, 10.0)
    start_lon, _, _ = GEOD.fwd(CENTRE[0], CENTRE[1], 270.0, 3000.0)
    lon, lat, _ = GEOD.fwd(np.full(len(t_s), start_lon), np.full(len(t_s), CENTRE[1]), np.full(len(t_s), 90.0),
                           50.0 * t_s)
    time = utc("2025-06-07 18:00") + pd.to_timedelta(t_s, unit="s")
    return make_tracks("DRONE1", time, lon, lat, alt_baro_m=60.0, alt_geo_m=60.0)


def zones_for_the_track(tmp_path):
    """A 1 km circle, 0-150 m AMSL, prohibited on Saturdays 17:00-23:00 (7 June 2025 is a Saturday)."""
    circle = {"type": "Circle", "center": list(CENTRE), "radius": 1000}
    saturday = {"startDateTime": "2025-06-01T00:00:00Z", "endDateTime": "2025-06-30T00:00:00Z",
                "schedule": [{"day": ["SAT"], "startTime": "17:00Z", "endTime": "23:00Z"}]}
    volume = ed269_volume(circle, lower=0, lower_ref="AMSL", upper=150, upper_ref="AMSL")
    return ed269_file(tmp_path, ed269_zone("LSDRONE", [volume], [saturday]))


def test_a_track_through_a_drone_zone_gives_its_event(tmp_path):
    airspace, _ = read_airspace(zones_for_the_track(tmp_path))
    events = find_violations(crossing_track(), airspace)
    assert events["airspace_id"].tolist() == ["LSDRONE-1"]  # the first Saturday window of June
    event = events.iloc[0]
    assert event.kind == "uas-prohibited"
    # Geodesically, the track is 1000 m from the centre at 2000 m and 4000 m along: t = 40 s, 80 s.
    # The drawn circle lies inside the true one by at most the 50 m chord error: 1 s at 50 m/s.
    start = utc("2025-06-07 18:00")
    assert 0 <= (event.entry_time - (start + pd.Timedelta(seconds=40))).total_seconds() <= 1.0
    assert 0 <= ((start + pd.Timedelta(seconds=80)) - event.exit_time).total_seconds() <= 1.0


def test_a_track_outside_the_zone_times_gives_no_event(tmp_path):
    airspace, _ = read_airspace(zones_for_the_track(tmp_path))
    tracks = crossing_track()
    tracks["time"] += pd.Timedelta(days=1)  # Sunday
    assert find_violations(tracks, airspace).empty


def test_replay_takes_a_geozone_file_with_no_option(tmp_path, monkeypatch):
    monkeypatch.setenv("AIRWARDEN_CACHE_DIR", str(tmp_path / "cache"))
    tracks_csv = tmp_path / "drone.csv"
    crossing_track().to_csv(tracks_csv, index=False, date_format="%Y-%m-%dT%H:%M:%S.%fZ")
    out = tmp_path / "events.csv"
    result = run("replay", tracks_csv, "--airspace", zones_for_the_track(tmp_path), "--out", out)
    assert result.exit_code == 0, result.stderr
    events = read_events(out)
    assert events["airspace_id"].tolist() == ["LSDRONE-1"] and events["kind"].tolist() == ["uas-prohibited"]
    expected = find_violations(crossing_track(), read_airspace(zones_for_the_track(tmp_path))[0])
    assert (events["entry_time"] - expected["entry_time"]).abs().max() <= pd.Timedelta(milliseconds=1)
