"""The ``airwarden`` command line: detect, countries, airspace.

Exit status 0 on success, 2 on bad input with a one-line message and no
traceback; machine output on stdout, messages on stderr.
"""

import io

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from airspace import read as read_airspace
from detect import find_violations
from detect.events_io import read_events, write_events
from tests.cli_runs import AIRSPACE, TRACKS, run
from tracks import read_tracks_csv

VAINDLOO_LON_LAT = (26.362, 59.814)


pytestmark = pytest.mark.usefixtures("private_cache")


def test_detect_example_finds_the_designed_events():
    result = run("detect", "--example")
    assert result.exit_code == 0
    events = pd.read_csv(io.StringIO(result.stdout))
    # The example is drawn so that the drone starts inside EX-D2, crosses its
    # enclave (two events) and ends inside; EX-FIGHTER2 cuts a corner of EX-R1
    # between two fixes; EX-HIGH descends through the FL95 ceiling of EX-R1.
    assert events["track_id"].tolist() == ["EX-DRONE1", "EX-DRONE1", "EX-FIGHTER1", "EX-FIGHTER2", "EX-HIGH"]
    drone = events[events["track_id"] == "EX-DRONE1"]
    assert drone["entry_face"].tolist() == ["start", "lateral"]
    assert drone["exit_face"].tolist() == ["lateral", "end"]
    assert events.loc[events["track_id"] == "EX-FIGHTER2", "n_fixes"].tolist() == [0]
    assert events.loc[events["track_id"] == "EX-HIGH", "entry_face"].tolist() == ["ceiling"]
    assert "5 event(s)" in result.stderr


def test_detect_prints_the_events_as_write_events_writes_them(tmp_path):
    tracks, _ = read_tracks_csv(TRACKS)
    airspace, _ = read_airspace(AIRSPACE)
    expected = find_violations(tracks, airspace)
    result = run("detect", "--example")
    assert result.exit_code == 0
    assert result.stdout == write_events(expected, io.StringIO(), ending=".csv").getvalue()
    printed = tmp_path / "events.csv"
    printed.write_text(result.stdout)
    pd.testing.assert_frame_equal(read_events(printed), expected)  # to the nanosecond
    maps = tmp_path / "maps"
    drawn = run("map", printed, "--tracks", TRACKS, "--airspace", AIRSPACE, "--event", "4", "--out-dir", maps,
                "--image", "svg")
    assert drawn.exit_code == 0, drawn.stderr
    assert any("EX-FIGHTER2" in path.name for path in maps.iterdir())


def test_detect_in_several_threads_prints_the_events_of_one(monkeypatch):
    import detect.parallel

    monkeypatch.setattr(detect.parallel, "MIN_FIXES_PER_PART", 1)  # the example is small
    one = run("detect", "--example", "--workers", "1")
    three = run("detect", "--example", "--workers", "3")
    assert one.exit_code == three.exit_code == 0
    assert three.stdout == one.stdout
    assert run("detect", "--example", "--workers", "0").exit_code == 2


def test_detect_refuses_a_missing_file_with_status_2():
    result = run("detect", "no-such-file.csv", "--airspace", "no-such.geojson")
    assert result.exit_code == 2
    assert "no-such-file.csv" in result.stderr


def test_detect_needs_airspace():
    result = run("detect", "tracks.csv")
    assert result.exit_code == 2
    assert "--airspace" in result.stderr


def test_countries_lists_codes_and_names():
    result = run("countries", "--csv")
    assert result.exit_code == 0
    table = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    estonia = table[table["iso_a3"] == "EST"].iloc[0]
    assert (estonia["iso_a2"], estonia["name"]) == ("EE", "Estonia")
    aland = table[table["iso_a2"] == "AX"].iloc[0]
    assert aland["sovereign_iso_a3"] == "FIN"
    kosovo = table[table["iso_a2"] == "XK"].iloc[0]
    assert (kosovo["iso_a3"], kosovo["name"], kosovo["sovereign_iso_a3"]) == ("XKX", "Kosovo", "XKX")


def test_airspace_exports_national_airspace(tmp_path):
    out = tmp_path / "est.geojson"
    result = run("airspace", "EST", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert "OpenStreetMap" in result.stderr  # the ODbL attribution
    table = gpd.read_file(out)
    assert table["airspace_id"].tolist() == ["national-EST"]
    assert shapely.intersects_xy(table.geometry.iloc[0], *VAINDLOO_LON_LAT)


def test_airspace_to_stdout_is_valid_geojson():
    result = run("airspace", "EST")
    assert result.exit_code == 0
    assert "Infinity" not in result.stdout
    table = gpd.read_file(io.StringIO(result.stdout))
    assert table["country"].tolist() == ["EST"]


def test_airspace_unknown_code_suggests_the_nearest():
    result = run("airspace", "ESTT")
    assert result.exit_code == 2
    assert "EST (Estonia)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_airspace_converts_an_openair_file(tmp_path):
    openair = tmp_path / "zones.txt"
    openair.write_text(
        "AC R\nAN TEST R1\nAL GND\nAH FL95\n"
        "DP 59:00:00 N 024:00:00 E\nDP 59:00:00 N 025:00:00 E\nDP 58:30:00 N 025:00:00 E\n"
    )
    out = tmp_path / "zones.gpkg"
    result = run("airspace", "--file", str(openair), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    table = gpd.read_file(out)
    assert table["name"].tolist() == ["TEST R1"]
    assert table["ceiling_m"].tolist() == [pytest.approx(95 * 100 * 0.3048)]
