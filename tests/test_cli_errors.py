"""Errors look alike in every command: bad input in one line naming the file, bad values in click's words.

Exit status 2 for both, and no traceback.
"""

import pytest

from tests.cli_runs import AIRSPACE, TRACKS, run

pytestmark = pytest.mark.usefixtures("private_cache")


@pytest.fixture
def events_file(tmp_path):
    path = tmp_path / "events.csv"
    assert run("replay", TRACKS, "--airspace", AIRSPACE, "--out", path).exit_code == 0
    return path


@pytest.mark.parametrize("command", ["detect", "replay", "tracks", "map"])
def test_a_bad_recording_is_one_line_naming_the_file(command, tmp_path, events_file):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    args = {
        "detect": ["detect", empty, "--airspace", AIRSPACE],
        "replay": ["replay", empty, "--airspace", AIRSPACE],
        "tracks": ["tracks", empty, "--out", tmp_path / "tracks.parquet"],
        "map": ["map", events_file, "--tracks", empty, "--airspace", AIRSPACE],
    }[command]
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"Error: {empty}:1: the file is empty"]


@pytest.mark.parametrize("args", [
    ["detect", TRACKS, "--airspace", "no-such-zones.geojson"],
    ["replay", TRACKS, "--against", "ESTT"],
    ["map", "no-such-events.csv", "--tracks", TRACKS],
    ["airspace", "--file", "no-such-zones.txt"],
    ["tracks", "no-such-tracks.csv", "--out", "tracks.csv"],
])
def test_bad_input_ends_in_one_error_line(args):
    result = run(*args)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.lower().startswith("error")]
    assert len(errors) == 1 and errors[0].startswith("Error: ")
    assert result.stderr.splitlines()[-1] == errors[0]


@pytest.mark.parametrize("args, option", [
    (["detect", TRACKS, "--airspace", AIRSPACE, "--min-depth", "-3"], "--min-depth"),
    (["replay", TRACKS, "--airspace", AIRSPACE, "--out", "events.txt"], "--out"),
    (["replay", TRACKS, "--airspace", AIRSPACE, "--column", "time"], "--column"),
    (["detect", TRACKS, "--airspace", AIRSPACE, "--format", "excel"], "--format"),
    (["map", "events.csv", "--tracks", TRACKS, "--split-gap", "0"], "--split-gap"),
    (["tracks", TRACKS, "--out", "tracks.xlsx"], "--out"),
    (["airspace", "EST", "--out", "no-such-folder/airspace.gpkg"], "--out"),
])
def test_a_bad_option_value_is_refused_by_click_before_any_work(args, option):
    result = run(*args)
    assert result.exit_code == 2
    assert f"Error: Invalid value for '{option}'" in result.stderr
    assert "rows read" not in result.stderr
