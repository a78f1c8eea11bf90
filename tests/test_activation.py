"""Activation windows end to end: intervals and activation tables, through the core, the streaming replay and the CLI.

The hand case: a track flies due east at constant speed across a box from
06:00 to 08:00 UTC, inside it laterally from about 06:30 to 07:30. The box is
active 06:45-07:15 only, so the one event enters by ``activation`` at 06:45 and
leaves by ``deactivation`` at 07:15, to the nanosecond: the answer is the
window itself.
"""

import io

import numpy as np
import pandas as pd
import pytest
import shapely

from airspace import activate, activate_all, make_airspace, parse_interval, read_activation
from detect import find_violations
from detect.replay import StreamingDetector
from tests.cli_runs import run
from tracks import make_tracks
from tracks.errors import ReadError

OPENS, CLOSES = pd.Timestamp("2025-09-19T06:45Z"), pd.Timestamp("2025-09-19T07:15Z")
WINDOW = "2025-09-19T06:45Z/2025-09-19T07:15Z"


def _box():
    return make_airspace(
        [shapely.box(24.0, 59.0, 25.0, 60.0), shapely.box(30.0, 59.0, 31.0, 60.0)], airspace_id=["TRA1", "FAR"]
    )


def _track():
    times = pd.date_range("2025-09-19T06:00Z", "2025-09-19T08:00Z", freq="60s")
    lon = np.linspace(23.5, 25.5, len(times))
    return make_tracks("GLIDER", times, lon=lon, lat=59.5, alt_baro_m=1500.0, alt_geo_m=1500.0)


def _streamed(tracks, airspace):
    detector = StreamingDetector(airspace)
    events = []
    for start in range(0, len(tracks), 7):
        events += [notice.event for notice in detector.push(tracks.iloc[start:start + 7]) if notice.kind == "exit"]
    events += [notice.event for notice in detector.finish() if notice.kind == "exit"]
    return pd.DataFrame(events)


def _check_window_event(events, airspace_id="TRA1", opens=OPENS, closes=CLOSES):
    row = events[events["airspace_id"] == airspace_id].iloc[0]
    assert (row["entry_face"], row["exit_face"]) == ("activation", "deactivation")
    assert (row["entry_time"], row["exit_time"]) == (opens, closes)
    assert row["duration_s"] == (closes - opens).total_seconds()


# --- the API ------------------------------------------------------------------


def test_window_opening_and_closing_inside_gives_activation_faces_batch_and_streaming():
    airspace = activate_all(_box(), *parse_interval(WINDOW))
    tracks = _track()
    batch = find_violations(tracks, airspace)
    assert len(batch) == 1
    _check_window_event(batch)
    streamed = _streamed(tracks, airspace)
    assert len(streamed) == 1
    for name in ("airspace_id", "entry_face", "exit_face", "entry_time", "exit_time", "n_fixes"):
        assert streamed[name].iloc[0] == batch[name].iloc[0], name


def test_without_a_window_the_same_track_crosses_laterally():
    events = find_violations(_track(), _box())
    assert events[["entry_face", "exit_face"]].values.tolist() == [["lateral", "lateral"]]
    assert events["entry_time"].iloc[0] < OPENS and events["exit_time"].iloc[0] > CLOSES


def test_repeated_windows_become_one_row_each_and_one_event_each():
    windows = pd.DataFrame(
        {
            "airspace_id": ["TRA1", "TRA1"],
            "valid_from": pd.to_datetime(["2025-09-19T06:40Z", "2025-09-19T07:10Z"]),
            "valid_to": pd.to_datetime(["2025-09-19T06:50Z", "2025-09-19T07:20Z"]),
        }
    )
    airspace = activate(_box(), windows)
    assert airspace["airspace_id"].tolist() == ["TRA1-1", "TRA1-2", "FAR"]
    assert airspace["name"].tolist() == ["TRA1", "TRA1", "FAR"]
    assert airspace["valid_from"].isna().tolist() == [False, False, True]
    events = find_violations(_track(), airspace)
    assert events["airspace_id"].tolist() == ["TRA1-1", "TRA1-2"]
    _check_window_event(events, "TRA1-1", *windows[["valid_from", "valid_to"]].iloc[0])
    _check_window_event(events, "TRA1-2", *windows[["valid_from", "valid_to"]].iloc[1])


def test_activate_refuses_an_unknown_id():
    windows = pd.DataFrame({"airspace_id": ["NOPE"], "valid_from": [OPENS], "valid_to": [CLOSES]})
    with pytest.raises(ValueError, match="'NOPE' not in the airspace"):
        activate(_box(), windows)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-09-19T06:45Z", "expected start/end"),
        ("2025-09-19T07:15Z/2025-09-19T06:45Z", "start after end"),
        ("2025-09-19T06:45/2025-09-19T07:15Z", "has no time zone"),
        ("yesterday/2025-09-19T07:15Z", "cannot read the time 'yesterday'"),
        ("1600-01-01T00:00Z/2025-09-19T07:15Z", "'1600-01-01T00:00Z' is outside the times"),
        ("2025-09-19T06:45Z/2300-01-01T00:00Z", "'2300-01-01T00:00Z' is outside the times"),
    ],
)
def test_bad_intervals_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_interval(text)


def test_an_interval_in_another_zone_is_converted_and_24_is_the_end_of_the_day():
    start, end = parse_interval("2025-09-19T08:45+02:00/2025-09-19T24:00Z")
    assert (start, end) == (OPENS, pd.Timestamp("2025-09-20T00:00Z"))


def test_windows_from_mapped_columns_of_a_vector_file_and_from_openair_aa(tmp_path):
    import geopandas as gpd

    from airspace import read

    path = tmp_path / "tra.geojson"
    gpd.GeoDataFrame(
        {"ID": ["TRA1"], "OPENS": ["2025-09-19T06:45:00Z"], "CLOSES": ["2025-09-19T07:15:00Z"]},
        geometry=[shapely.box(24.0, 59.0, 25.0, 60.0)], crs=4326,
    ).to_file(path)
    mapped, _ = read(path, columns={"airspace_id": "ID", "valid_from": "OPENS", "valid_to": "CLOSES"})
    _check_window_event(find_violations(_track(), mapped))
    openair = tmp_path / "tra.txt"
    openair.write_text(
        f"AC R\nAI TRA1\nAN TRA1\nAL GND\nAH FL195\nAA {WINDOW}\n"
        "DP 59:00:00 N 024:00:00 E\nDP 60:00:00 N 024:00:00 E\nDP 60:00:00 N 025:00:00 E\nDP 59:00:00 N 025:00:00 E\n"
    )
    _check_window_event(find_violations(_track(), read(openair)[0]))


def test_an_openair_aa_time_beyond_the_tables_rejects_its_block_counted(tmp_path):
    from airspace import read

    square = "DP 59:00:00 N 024:00:00 E\nDP 60:00:00 N 024:00:00 E\nDP 60:00:00 N 025:00:00 E\n"
    openair = tmp_path / "tra.txt"
    openair.write_text(f"AC R\nAN Old\nAL GND\nAH FL195\nAA 1600-01-01T00:00Z/NONE\n{square}"
                       f"AC R\nAN Good\nAL GND\nAH FL195\n{square}")
    airspace, report = read(openair)
    assert airspace["name"].tolist() == ["Good"]
    assert report.openair.rejected == {"bad activation time": 1}
    assert report.openair.first_rejected_lines == {"bad activation time": [5]}


def test_overlapping_openair_aa_windows_give_one_event_and_a_repair(tmp_path):
    from airspace import read

    openair = tmp_path / "tra.txt"
    openair.write_text(
        "AC R\nAI TRA1\nAN TRA1\nAL GND\nAH FL195\nAA 2025-09-19T06:55Z/2025-09-19T07:15Z\n"
        "AA 2025-09-19T06:45Z/2025-09-19T07:00Z\nAA 2025-09-19T09:00Z/2025-09-19T10:00Z\n"
        "DP 59:00:00 N 024:00:00 E\nDP 60:00:00 N 024:00:00 E\nDP 60:00:00 N 025:00:00 E\nDP 59:00:00 N 025:00:00 E\n"
    )
    airspace, report = read(openair)
    assert airspace["airspace_id"].tolist() == ["TRA1-1", "TRA1-2"]
    assert report.openair.repaired == {"AA overlapping": 1}
    events = find_violations(_track(), airspace)
    assert len(events) == 1
    _check_window_event(events, "TRA1-1")


# --- the activation file ------------------------------------------------------


def _write(tmp_path, text):
    path = tmp_path / "windows.csv"
    path.write_text(text)
    return path


def test_activation_file_reads_windows_with_their_lines(tmp_path):
    path = _write(
        tmp_path,
        "note,to,airspace_id,from\n"
        "first,2025-09-19T06:50Z,TRA1,2025-09-19T06:40Z\n"
        "\n"
        "open end,,TRA1,2025-09-19T07:10+00:00\n",
    )
    windows = read_activation(path, ["TRA1", "FAR"])
    assert windows["line"].tolist() == [2, 4]
    assert windows["valid_from"].tolist() == [pd.Timestamp("2025-09-19T06:40Z"), pd.Timestamp("2025-09-19T07:10Z")]
    assert windows["valid_to"].iloc[0] == pd.Timestamp("2025-09-19T06:50Z") and pd.isna(windows["valid_to"].iloc[1])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("airspace_id,from,to\nTRA1,2025-09-19T06:45Z,2025-09-19T07:15Z\nEER9,2025-09-19T06:45Z,NONE\n",
         r"windows.csv:3: airspace id 'EER9' is not in the airspace"),
        ("airspace_id,from,to\nTRA1,2025-09-19T06:45,2025-09-19T07:15Z\n", r"windows.csv:2: .* has no time zone"),
        ("airspace_id,from,to\nTRA1,soon,2025-09-19T07:15Z\n", r"windows.csv:2: cannot read the time 'soon'"),
        ("airspace_id,from,to\nTRA1,2025-09-19T08:00Z,2025-09-19T07:15Z\n", r"windows.csv:2: start after end"),
        ("airspace_id,from,to\nTRA1,2025-09-19T06:45Z\n", r"windows.csv:2: 2 field\(s\), expected 3"),
        ("id,start,end\nTRA1,2025-09-19T06:45Z,2025-09-19T07:15Z\n", r"windows.csv:1: no column airspace_id, from, to"),
        ("airspace_id,from,to\n", r"windows.csv: no window in the file"),
        ("", r"windows.csv: the file is empty"),
    ],
)
def test_bad_activation_files_name_the_file_and_line(tmp_path, text, message):
    with pytest.raises(ReadError, match=message):
        read_activation(_write(tmp_path, text), ["TRA1", "FAR"])


def test_an_activation_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "windows.csv"
    path.write_bytes(b"airspace_id,from,to\nTR\xc91,2025-09-19T06:45Z,2025-09-19T07:15Z\n")
    with pytest.raises(ReadError, match=r"windows.csv: not UTF-8 text \(byte 0xc9\); not an activation CSV file"):
        read_activation(path, ["TRA1"])


# --- the command line ---------------------------------------------------------


@pytest.fixture
def inputs(tmp_path):
    tracks_path = tmp_path / "glider.csv"
    _track().to_csv(tracks_path, index=False, date_format="%Y-%m-%dT%H:%M:%S.%fZ")
    airspace_path = tmp_path / "zones.txt"
    airspace_path.write_text(
        "AC R\nAN TRA1\nAI TRA1\nAL GND\nAH FL195\n"
        "DP 59:00:00 N 024:00:00 E\nDP 60:00:00 N 024:00:00 E\nDP 60:00:00 N 025:00:00 E\nDP 59:00:00 N 025:00:00 E\n"
    )
    return tracks_path, airspace_path


def _csv_events(result):
    assert result.exit_code == 0, result.stderr
    return pd.read_csv(io.StringIO(result.stdout), parse_dates=["entry_time", "exit_time"])


def test_detect_with_active_gives_the_window_faces(inputs):
    tracks_path, airspace_path = inputs
    events = _csv_events(run("detect", tracks_path, "--airspace", airspace_path, "--active", WINDOW))
    assert len(events) == 1
    _check_window_event(events)


def test_detect_with_an_activation_file(inputs, tmp_path):
    tracks_path, airspace_path = inputs
    table = _write(tmp_path, f"airspace_id,from,to\nTRA1,{WINDOW.replace('/', ',')}\n")
    result = run("detect", tracks_path, "--airspace", airspace_path, "--activation", table)
    _check_window_event(_csv_events(result))
    assert "1 activation window(s) for 1 of 1 volume(s)" in result.stderr


def test_replay_with_active_writes_the_window_faces(inputs, tmp_path):
    tracks_path, airspace_path = inputs
    out = tmp_path / "events.csv"
    result = run("replay", tracks_path, "--airspace", airspace_path, "--active", WINDOW, "--out", out)
    assert result.exit_code == 0, result.stderr
    _check_window_event(pd.read_csv(out, parse_dates=["entry_time", "exit_time"]))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--active", "2025-09-19T07:15Z/2025-09-19T06:45Z"], "start after end"),
        (["--active", "tomorrow"], "expected start/end"),
        (["--active", WINDOW, "--activation", "windows.csv"], "give --active or --activation, not both"),
    ],
)
def test_bad_activation_options_are_refused_in_one_line(inputs, extra, message):
    tracks_path, airspace_path = inputs
    result = run("detect", tracks_path, "--airspace", airspace_path, *extra)
    assert result.exit_code == 2 and message in result.stderr


def test_an_unknown_id_in_the_activation_file_names_file_and_line(inputs, tmp_path):
    tracks_path, airspace_path = inputs
    table = _write(tmp_path, "airspace_id,from,to\nTRA9,2025-09-19T06:45Z,2025-09-19T07:15Z\n")
    result = run("replay", tracks_path, "--airspace", airspace_path, "--activation", table)
    assert result.exit_code == 2
    assert "windows.csv:2: airspace id 'TRA9' is not in the airspace (its ids: TRA1)" in result.stderr


@pytest.mark.parametrize(
    "starts, ends, opens, closes",
    [
        (["06:40", "06:55"], ["07:00", "07:20"], "06:40", "07:20"),  # overlapping
        (["06:40", "06:50"], ["06:50", "07:20"], "06:40", "07:20"),  # touching: both ends are inside
        (["06:55", "06:40", "06:50"], ["07:05", "07:20", "06:58"], "06:40", "07:20"),  # one inside another
    ],
)
def test_windows_of_one_volume_that_overlap_give_one_event_for_one_stay(starts, ends, opens, closes):
    day = "2025-09-19T{}Z".format
    windows = pd.DataFrame({"airspace_id": "TRA1", "valid_from": pd.to_datetime([day(t) for t in starts]),
                            "valid_to": pd.to_datetime([day(t) for t in ends])})
    airspace = activate(_box(), windows)
    assert airspace["airspace_id"].tolist() == ["TRA1", "FAR"]
    events = find_violations(_track(), airspace)
    assert len(events) == 1
    _check_window_event(events, "TRA1", pd.Timestamp(day(opens)), pd.Timestamp(day(closes)))


def test_overlapping_open_windows_join_into_an_open_one():
    windows = pd.DataFrame({"airspace_id": ["TRA1", "TRA1"],
                            "valid_from": pd.to_datetime([None, "2025-09-19T06:45Z"], utc=True),
                            "valid_to": pd.to_datetime(["2025-09-19T07:00Z", None], utc=True)})
    airspace = activate(_box(), windows)
    assert airspace[["valid_from", "valid_to"]].iloc[0].isna().all()
    events = find_violations(_track(), airspace)  # always active: enters and leaves across the sides
    assert events[["entry_face", "exit_face"]].values.tolist() == [["lateral", "lateral"]]


def test_detect_with_overlapping_windows_in_the_file_says_it_joined_them(inputs, tmp_path):
    tracks_path, airspace_path = inputs
    table = _write(tmp_path, "airspace_id,from,to\nTRA1,2025-09-19T06:45Z,2025-09-19T07:00Z\n"
                             "TRA1,2025-09-19T06:55Z,2025-09-19T07:15Z\n")
    result = run("detect", tracks_path, "--airspace", airspace_path, "--activation", table)
    _check_window_event(_csv_events(result))
    assert "2 window(s) into 1: TRA1" in result.stderr
