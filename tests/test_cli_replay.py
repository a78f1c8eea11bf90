"""``airwarden replay``: the events of the batch core, as they happen, with exit codes."""

import io
import json

import geopandas as gpd
import pandas as pd
import pytest

from airspace import read as read_airspace
from detect import find_violations
from detect.events_io import read_events
from tests.cli_runs import AIRSPACE, TRACKS, run
from tracks import read_tracks_csv

pytestmark = pytest.mark.usefixtures("private_cache")


def batch_events():
    tracks, _ = read_tracks_csv(TRACKS)
    airspace, _ = read_airspace(AIRSPACE)
    return find_violations(tracks, airspace)


def test_replay_writes_the_events_of_the_batch_core(tmp_path):
    out = tmp_path / "events.parquet"
    result = run("replay", TRACKS, "--airspace", AIRSPACE, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    replayed, expected = read_events(out), batch_events()
    assert replayed[["track_id", "airspace_id", "entry_face", "exit_face", "n_fixes"]].equals(
        expected[["track_id", "airspace_id", "entry_face", "exit_face", "n_fixes"]])
    assert (replayed["entry_time"] - expected["entry_time"]).abs().max() <= pd.Timedelta(microseconds=1)
    assert "5 violation(s)" in result.stderr
    # A stay that the recording ends inside is told as LOST, not EXIT.
    lost = int((expected["exit_face"] == "end").sum())
    assert lost >= 1
    assert result.stderr.count("ENTRY") == result.stderr.count("EXIT ") + result.stderr.count("LOST ") == 5
    assert result.stderr.count("LOST ") == lost


def test_replay_json_lines_say_each_entry_and_exit():
    result = run("replay", TRACKS, "--airspace", AIRSPACE, "--json")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["notice"] for line in lines].count("entry") == 5
    assert [line["notice"] for line in lines].count("exit") + [line["notice"] for line in lines].count("lost") == 5
    exits = pd.DataFrame([line for line in lines if line["notice"] in ("exit", "lost")])
    assert sorted(exits["track_id"]) == sorted(batch_events()["track_id"])
    assert (exits["notice"] == "lost").sum() == (batch_events()["exit_face"] == "end").sum()


def test_an_entry_notice_says_only_what_is_known_at_the_entry():
    result = run("replay", TRACKS, "--airspace", AIRSPACE, "--json")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    entries = [line for line in lines if line["notice"] == "entry"]
    exits = {(line["track_id"], line["entry_time"]): line for line in lines if line["notice"] != "entry"}
    assert len(entries) == 5
    for entry in entries:
        assert not any(name.startswith("exit_") for name in entry)
        assert "duration_s" not in entry and "max_depth_m" not in entry and "deepest_time" not in entry
        # what it does say agrees with the closed event
        closed = exits[(entry["track_id"], entry["entry_time"])]
        assert (entry["entry_lon"], entry["entry_lat"], entry["entry_face"]) == (
            closed["entry_lon"], closed["entry_lat"], closed["entry_face"])


def test_notices_are_printed_in_time_order():
    result = run("replay", TRACKS, "--airspace", AIRSPACE)
    stamps = [line.split("Z")[0] for line in result.stderr.splitlines()
              if line[:4].isdigit() and ("ENTRY" in line or "EXIT " in line or "LOST " in line)]
    assert len(stamps) == 10
    assert stamps == sorted(stamps)


def test_quiet_says_nothing_but_still_writes(tmp_path):
    out = tmp_path / "events.csv"
    result = run("-q", "replay", TRACKS, "--airspace", AIRSPACE, "--out", str(out))
    assert result.exit_code == 0
    assert result.stderr == ""
    assert len(read_events(out)) == 5


def test_fail_on_violation_sets_status_1():
    assert run("replay", TRACKS, "--airspace", AIRSPACE, "--fail-on-violation").exit_code == 1


def test_no_violation_is_status_0_and_says_so(tmp_path):
    far = tmp_path / "far.csv"
    far.write_text("track_id,time,lon,lat\nA,2025-09-19T09:00:00Z,10.0,50.0\nA,2025-09-19T09:00:05Z,10.01,50.0\n")
    result = run("replay", str(far), "--airspace", AIRSPACE, "--fail-on-violation")
    assert result.exit_code == 0
    assert "no violations" in result.stderr


@pytest.mark.parametrize("args, message", [
    ((TRACKS,), "--against"),
    ((TRACKS, "--against", "ESTT"), "EST (Estonia)"),
    (("missing.csv", "--airspace", AIRSPACE), "missing.csv"),
    ((TRACKS, "--airspace", AIRSPACE, "--out", "events.xlsx"), "--out"),
    ((TRACKS, "--airspace", AIRSPACE, "--speed", "2", "--realtime"), "not both"),
])
def test_bad_input_is_status_2_with_a_message(args, message):
    result = run("replay", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_replay_at_speed_paces_by_recording_time(monkeypatch):
    waits = []
    monkeypatch.setattr("detect.cli.replaying._wait_until", waits.append)
    result = run("replay", TRACKS, "--airspace", AIRSPACE, "--speed", "600")
    assert result.exit_code == 0
    # The example spans about 20 minutes: at 600x the last batch is due about 2 s in.
    assert waits == sorted(waits)
    assert 1.5 < waits[-1] - waits[0] < 2.5


def test_replay_csv_output_reads_back(tmp_path):
    out = tmp_path / "events.csv"
    run("replay", TRACKS, "--airspace", AIRSPACE, "--out", str(out))
    table = pd.read_csv(io.StringIO(out.read_text()))
    assert len(table) == 5


def test_demo_replays_the_illustrative_scenario(tmp_path):
    result = run("demo", str(tmp_path / "demo"), "--no-maps")
    assert result.exit_code == 0, result.stderr
    assert "not recorded data" in result.stderr
    events = read_events(tmp_path / "demo" / "events.csv")
    # The scenario's design (tests/test_scenario.py pins it in detail): three jets
    # in Estonia, nineteen drones in Poland, a fighter and a tanker in Lithuania.
    counts = events.groupby("country")["track_id"].nunique().to_dict()
    assert counts == {"EST": 3, "POL": 19, "LTU": 2}
    assert not events["track_id"].str.startswith("AWD").any()  # airliners stay in the corridor


def test_demo_into_a_folder_it_cannot_make_is_bad_input(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    result = run("demo", tmp_path / "a-file" / "demo", "--no-maps")
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    error = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and "a-file" in error[0]


def test_map_draws_the_pictures_of_chosen_events(tmp_path):
    events_path = tmp_path / "events.csv"
    run("replay", TRACKS, "--airspace", AIRSPACE, "--out", str(events_path))
    maps = tmp_path / "maps"
    result = run("map", str(events_path), "--tracks", TRACKS, "--airspace", AIRSPACE, "--event", "4",
                 "--out-dir", str(maps), "--image", "svg")
    assert result.exit_code == 0, result.stderr
    fourth = read_events(events_path).iloc[3]  # events are numbered from 1, as in the file names
    drawn = sorted(path.name for path in maps.iterdir())
    assert any(fourth["track_id"] in name and name.endswith(".svg") for name in drawn)
    assert all(path.read_bytes().lstrip().startswith(b"<?xml") for path in maps.iterdir())


def test_map_refuses_an_event_number_out_of_range(tmp_path):
    events_path = tmp_path / "events.csv"
    run("replay", TRACKS, "--airspace", AIRSPACE, "--out", str(events_path))
    result = run("map", str(events_path), "--tracks", TRACKS, "--airspace", AIRSPACE, "--event", "9")
    assert result.exit_code == 2
    assert "no event 9" in result.stderr


def test_ctrl_c_leaves_the_events_so_far_written_and_valid(tmp_path, monkeypatch):
    from detect.replay import StreamingDetector

    real_push, pushes = StreamingDetector.push_batch, []

    def push_then_interrupt(self, batch):
        pushes.append(len(batch.time_ns))
        if len(pushes) == 3:
            raise KeyboardInterrupt
        return real_push(self, batch)

    monkeypatch.setattr(StreamingDetector, "push_batch", push_then_interrupt)
    monkeypatch.setattr("detect.cli.replaying._wait_until", lambda wall_time: None)
    out = tmp_path / "events.parquet"
    # At --speed 60 a batch is 15 s of recording: the third is pushed 30 s in.
    result = run("replay", TRACKS, "--airspace", AIRSPACE, "--speed", "60", "--out", str(out))
    assert result.exit_code == 130
    assert "interrupted" in result.stderr
    so_far = read_events(out)  # valid: it passes validate_events
    # 30 s in: EX-FIGHTER2 had cut its corner (13.8-15.0 s, closed); the drone
    # (inside from the start) and EX-FIGHTER1 (in at 22.9 s) were open, and end
    # at the last fix seen.
    faces = dict(zip(so_far["track_id"], so_far["exit_face"]))
    assert faces == {"EX-DRONE1": "end", "EX-FIGHTER1": "end", "EX-FIGHTER2": "lateral"}


def test_an_empty_recording_is_bad_input(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    result = run("replay", str(empty), "--airspace", AIRSPACE)
    assert result.exit_code == 2
    assert "empty.csv" in result.stderr


@pytest.mark.parametrize("option, value", [
    ("--speed", "0"), ("--speed", "nan"), ("--speed", "inf"), ("--max-gap", "nan"), ("--max-gap", "-1"),
    ("--min-duration", "-3"), ("--min-depth", "nan"),
])
def test_numbers_that_make_no_sense_are_refused_before_any_work(option, value):
    result = run("replay", TRACKS, "--airspace", AIRSPACE, option, value)
    assert result.exit_code == 2
    assert option in result.stderr and "ENTRY" not in result.stderr


def test_out_in_a_missing_folder_is_refused_before_the_replay(tmp_path):
    result = run("replay", TRACKS, "--airspace", AIRSPACE, "--out", str(tmp_path / "no" / "events.csv"))
    assert result.exit_code == 2
    assert "no folder" in result.stderr and "ENTRY" not in result.stderr


def test_maps_under_a_file_are_refused_before_the_replay(tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    out = tmp_path / "events.csv"
    result = run("replay", TRACKS, "--airspace", AIRSPACE, "--maps", tmp_path / "a-file" / "maps", "--out", out)
    assert result.exit_code == 2
    assert "--maps" in result.stderr and "a-file" in result.stderr
    assert "ENTRY" not in result.stderr and not out.exists()


def test_an_airspace_file_with_no_usable_volume_is_bad_input(tmp_path):
    openair = tmp_path / "bad.txt"
    openair.write_text("AC R\nAN BROKEN\nAL FL200\nAH FL95\nDP 59:00:00 N 024:00:00 E\n")
    result = run("replay", TRACKS, "--airspace", str(openair), "--fail-on-violation")
    assert result.exit_code == 2
    assert "no usable airspace" in result.stderr


def test_a_crs_that_is_not_one_is_bad_input():
    result = run("replay", TRACKS, "--airspace", AIRSPACE, "--crs", "banana")
    assert result.exit_code == 2
    assert "banana" in result.stderr


def test_map_keeps_the_event_numbers_in_the_file_names(tmp_path):
    events_path = tmp_path / "events.csv"
    run("replay", TRACKS, "--airspace", AIRSPACE, "--out", str(events_path))
    maps = tmp_path / "maps"
    run("map", str(events_path), "--tracks", TRACKS, "--airspace", AIRSPACE, "--event", "3", "--event", "3",
        "--out-dir", str(maps))
    incident = [path.name for path in maps.iterdir() if path.name.startswith("event-") and "profile" not in path.name]
    assert len(incident) == 1 and incident[0].startswith("event-003_")


def test_an_unpaced_replay_cut_into_parts_gives_the_batch_events_in_their_order(monkeypatch):
    import detect.cli.replaying as replaying

    monkeypatch.setattr(replaying, "AT_ONCE_FIXES", 7)  # several parts, each of whole tracks
    tracks, _ = read_tracks_csv(TRACKS)
    tracks = pd.concat([group for _, group in tracks.groupby("track_id", sort=False)][::-1], ignore_index=True)
    airspace, _ = read_airspace(AIRSPACE)
    notices = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stderr", notices)
        events = replaying.run_replay(tracks, airspace)
    pd.testing.assert_frame_equal(events, find_violations(tracks, airspace))
    times = [line.split("Z")[0] for line in notices.getvalue().splitlines()
             if "ENTRY" in line or "EXIT" in line or "LOST " in line]  # LOST: the recording ends inside
    assert len(times) == 2 * len(events) and times == sorted(times)


def test_map_where_takes_a_volume_name_as_well_as_its_id(tmp_path):
    events_path = tmp_path / "events.csv"
    run("replay", TRACKS, "--airspace", AIRSPACE, "--out", str(events_path))
    zones = gpd.read_file(AIRSPACE)
    in_r1 = read_events(events_path)["airspace_id"].eq("EX-R1")
    assert 0 < in_r1.sum() < len(in_r1)
    name = zones.loc[zones["airspace_id"] == "EX-R1", "name"].item()
    drawn = {}
    for place in ("EX-R1", name.upper()):
        maps = tmp_path / place
        result = run("map", str(events_path), "--tracks", TRACKS, "--airspace", AIRSPACE, "--maps-where", place,
                     "--out-dir", str(maps), "--image", "svg")
        assert result.exit_code == 0, result.stderr
        drawn[place] = sorted(path.name for path in maps.iterdir() if "profile" in path.name)
    expected = {f"event-{number:03d}" for number in in_r1[in_r1].index + 1}
    assert {name[:9] for name in drawn[name.upper()]} == expected
    assert drawn[name.upper()] == drawn["EX-R1"]


def test_a_paced_replay_of_a_time_range_keeps_the_pace_of_that_range_only(monkeypatch, tmp_path):
    waits = []
    monkeypatch.setattr("detect.cli.replaying._wait_until", waits.append)
    out = tmp_path / "events.csv"
    window = ("--from", "2025-09-19T09:10Z", "--to", "2025-09-19T09:12Z")
    result = run("replay", TRACKS, "--airspace", AIRSPACE, "--speed", "60", *window, "--out", out)
    assert result.exit_code == 0, result.stderr
    # Two minutes of recording at 60x: about 2 s from the first batch to the last, not the whole recording's 20 s.
    assert waits and waits[-1] - waits[0] <= 2.0 + 0.25
    tracks, _ = read_tracks_csv(TRACKS)
    airspace, _ = read_airspace(AIRSPACE)
    expected = find_violations(tracks, airspace, time_from=window[1], time_to=window[3])
    assert read_events(out)[["track_id", "airspace_id", "entry_face", "exit_face"]].equals(
        expected[["track_id", "airspace_id", "entry_face", "exit_face"]])


def test_fail_on_violation_ignores_near_approaches():
    # From 09:07 to 09:12:50 the drone is in the enclave of the danger area: near it, never inside anything.
    window = ("--from", "2025-09-19T09:07Z", "--to", "2025-09-19T09:12:50Z")
    tracks, _ = read_tracks_csv(TRACKS)
    airspace, _ = read_airspace(AIRSPACE)
    events = find_violations(tracks, airspace, time_from=window[1], time_to=window[3], approach_m=20_000)
    assert set(events["event"]) == {"approach"}
    result = run("replay", TRACKS, "--airspace", AIRSPACE, "--approach", "20km", "--fail-on-violation", *window)
    assert "no violations" in result.stderr
    assert result.exit_code == 0
    # With the violations in, it fails.
    assert run("replay", TRACKS, "--airspace", AIRSPACE, "--approach", "20km", "--fail-on-violation").exit_code == 1


def test_the_summary_by_airspace_keeps_volumes_of_the_same_name_apart(tmp_path):
    zones = gpd.read_file(AIRSPACE)
    zones["name"] = "TRA North"  # names are not unique; the ids are
    same_name = tmp_path / "same-name.geojson"
    zones.to_file(same_name)
    result = run("replay", TRACKS, "--airspace", same_name)
    assert result.exit_code == 0, result.stderr
    by_airspace = result.stderr.split("by airspace:\n")[1].split("by track")[0].splitlines()[1:]
    counts = batch_events().groupby("airspace_id").size()
    assert len(by_airspace) == len(counts) == 2
    for airspace_id, count in counts.items():
        row = next(line for line in by_airspace if f"({airspace_id})" in line)
        assert row.split(")")[1].split()[0] == str(count)


def test_a_paced_replay_with_a_duration_filter_announces_the_entries_of_the_kept_events_only(monkeypatch):
    monkeypatch.setattr("detect.cli.replaying._wait_until", lambda wall_time: None)
    result = run("replay", TRACKS, "--airspace", AIRSPACE, "--min-duration", "60", "--speed", "1000", "--json")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    tracks, _ = read_tracks_csv(TRACKS)
    airspace, _ = read_airspace(AIRSPACE)
    kept = find_violations(tracks, airspace, min_duration_s=60)
    assert len(kept) < len(batch_events())  # the filter drops some
    for notice in ("entry", "exit"):
        said = sorted(line["track_id"] for line in lines if (line["notice"] == "entry") == (notice == "entry"))
        assert said == sorted(kept["track_id"]), notice
