"""``detect`` and ``replay`` with the filter options: the events of the API with the same options, read back."""

import pandas as pd
import pytest

from airspace import read_openair, select_airspace, write
from detect import find_violations, read_events
from detect.replay import replay_events
from tests.cli_runs import run
from tests.test_airspace_selection import OPENAIR
from tests.test_filters import eastbound, two_states
from tests.test_replay import assert_same_events
from tracks import make_tracks

FILTERS = ["--from", "2025-09-19T12:01:10+03:00", "--to", "2025-09-19T09:09:20Z", "--foreign-only",
           "--exclude-registry", "rus"]
API = {"time_from": "2025-09-19T09:01:10Z", "time_to": "2025-09-19T09:09:20Z", "foreign_only": True,
       "exclude_registry": ["RUS"]}


@pytest.fixture
def files(tmp_path):
    tracks, zones = eastbound(), two_states()
    tracks.to_csv(tmp_path / "tracks.csv", index=False)
    write(zones, tmp_path / "zones.geojson")
    return tmp_path / "tracks.csv", tmp_path / "zones.geojson"


def test_detect_gives_the_filtered_events_of_the_api(files, tmp_path):
    tracks_csv, zones = files
    result = run("detect", tracks_csv, "--airspace", zones, *FILTERS)
    assert result.exit_code == 0, result.stderr
    (tmp_path / "events.csv").write_text(result.stdout)
    found = read_events(tmp_path / "events.csv")
    expected = find_violations(eastbound(), two_states(), **API)
    assert len(found) == len(expected) > 3
    assert_same_events(found, expected)
    assert found["registry_country"].tolist() == expected["registry_country"].astype(object).tolist()
    assert "state of registry (ICAO 24-bit address): 3 of 6 track(s); 1 in no state's block, 1 malformed, " \
           "1 without" in result.stderr
    assert "kept by --foreign-only" in result.stderr


@pytest.mark.parametrize("pace", [[], ["--speed", "100000"]])
def test_replay_at_once_and_paced_gives_the_filtered_events_of_the_api(files, tmp_path, pace):
    tracks_csv, zones = files
    out = tmp_path / "events.csv"
    result = run("replay", tracks_csv, "--airspace", zones, *FILTERS, "--out", out, *pace)
    assert result.exit_code == 0, result.stderr
    expected = replay_events(eastbound(), two_states(), batch_s=20.0, **API)
    assert_same_events(read_events(out), expected)
    assert "MIG1" not in result.stderr.split("state of registry")[0]  # no notice of a Russian aircraft


def test_the_volume_choice_options_choose_as_the_api_does(tmp_path):
    openair = tmp_path / "estonia.txt"
    openair.write_text(OPENAIR)
    # Northbound along lon 24.1 through the three volumes, climbing 200 m a fix: 800-2400 m across Keila.
    time = pd.date_range("2025-09-19T09:00Z", periods=41, freq="30s")
    fixes = make_tracks("GLIDER", time, lon=[24.1] * 41, lat=[58.95 + 0.0125 * k for k in range(41)],
                        alt_baro_m=[200.0 * k for k in range(41)], alt_geo_m=[200.0 * k for k in range(41)])
    fixes.to_csv(tmp_path / "glider.csv", index=False)
    zones = read_openair(openair)[0]
    for options, api in [(["--class", "R,Q"], {"classes": "R,Q"}),
                         (["--min-alt", "FL30", "--max-alt", "FL60", "--class", "r"],
                          {"min_alt": "FL30", "max_alt": "FL60", "classes": "r"}),
                         (["--kind", ",".join(sorted(set(zones["kind"])))], {"kinds": sorted(set(zones["kind"]))})]:
        result = run("detect", tmp_path / "glider.csv", "--airspace", openair, *options)
        assert result.exit_code == 0, result.stderr
        (tmp_path / "events.csv").write_text(result.stdout)
        expected = find_violations(fixes, select_airspace(zones, **api))
        assert len(expected)
        found = read_events(tmp_path / "events.csv")
        found["country"] = found["country"].fillna("")  # OpenAir volumes have no state: "" is written empty
        assert_same_events(found, expected)
        assert "airspace volume(s) chosen" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--from", "2025-09-19T09:00"], "has no time zone"),
    (["--to", "soon"], "is not an ISO 8601 time"),
    (["--from", "2025-09-19T10:00Z", "--to", "2025-09-19T09:00Z"], "is before --from"),
    (["--exclude-registry", "FR,ITA"], "'FR' is not an ISO 3166-1 alpha-3 code"),
    (["--kind", "restriced"], "kind 'restriced': no volume has it"),
    (["--class", "R"], "only OpenAir volumes have a class"),
    (["--min-alt", "FL100", "--max-alt", "FL50"], "is below min_alt"),
])
@pytest.mark.parametrize("command", ["detect", "replay"])
def test_bad_filter_options_are_status_2_with_one_line(files, command, args, message):
    tracks_csv, zones = files
    result = run(command, tracks_csv, "--airspace", zones, *args)
    assert result.exit_code == 2
    assert message in result.stderr
