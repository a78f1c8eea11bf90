"""A folder of recordings may hold other files: every command that reads recordings leaves them out, and names them.

A file named on its own is still refused when it is not a recording. The
expectation is independent of the folder: the same recordings named one by
one.
"""

import json

import pandas as pd
import pytest

from detect.events_io import read_events
from tests.cli_runs import AIRSPACE, TRACKS, run
from tracks import read

pytestmark = pytest.mark.usefixtures("private_cache")

NOT_RECORDINGS = ("README.md", "plot.py", "zones.json", "logo.png", "__init__.py")


@pytest.fixture
def folder(tmp_path):
    """The example recording in two files, with a README, a script, a JSON airspace, a picture and an empty file."""
    day = tmp_path / "day"
    (day / "docs").mkdir(parents=True)
    table = pd.read_csv(TRACKS)
    first = table["track_id"].isin(table["track_id"].unique()[:2])
    table[first].to_csv(day / "a.csv", index=False)
    table[~first].to_csv(day / "b.csv", index=False)
    (day / "docs" / "README.md").write_text("# Recorded over the Gulf of Finland\n")
    (day / "plot.py").write_text("import pandas\n")
    (day / "zones.json").write_text(json.dumps({"name": "SIV", "shapes": [{"upper": 65.0, "lower": 0.0}]}))
    (day / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    (day / "__init__.py").write_bytes(b"")  # empty
    return day


def test_read_leaves_out_and_names_what_is_not_a_recording(folder):
    table, report = read(folder)
    expected, _ = read([folder / "a.csv", folder / "b.csv"])
    pd.testing.assert_frame_equal(table, expected)
    assert sorted(path.name for path in report.skipped) == sorted(NOT_RECORDINGS)
    assert [path.name for path in (r.path for r in report.files)] == ["a.csv", "b.csv"]
    assert f"skipped {len(NOT_RECORDINGS)} file(s) found in folders" in str(report)


def test_a_file_named_on_its_own_is_still_refused(folder):
    with pytest.raises(ValueError, match="README.md: cannot recognise the format"):
        read([folder / "a.csv", folder / "docs" / "README.md"])


def test_a_folder_of_no_recording_is_refused_naming_its_files(folder):
    for name in ("a.csv", "b.csv"):
        (folder / name).unlink()
    with pytest.raises(ValueError, match=r"no recording to read: .* 5 file\(s\) found in folders .*README.md"):
        read(folder)


def test_with_a_format_every_file_of_the_folder_is_read_as_it(folder):
    with pytest.raises(ValueError, match="README.md"):
        read(folder, format="airwarden")


@pytest.mark.parametrize("command", ["tracks", "detect", "replay"])
def test_commands_read_the_recordings_of_the_folder(command, tmp_path, folder):
    def output(paths, name):
        out = tmp_path / name
        options = ["--out", out] if command != "detect" else []
        if command != "tracks":
            options += ["--airspace", AIRSPACE]
        result = run(command, *paths, *options)
        assert result.exit_code == 0, result.stderr
        if command == "detect":
            out.write_text(result.stdout)
        return result, (pd.read_parquet(out) if command == "tracks" else read_events(out))

    out = "out.parquet" if command == "tracks" else "out.csv"
    result, found = output([folder], "folder-" + out)
    _, expected = output([folder / "a.csv", folder / "b.csv"], "named-" + out)
    pd.testing.assert_frame_equal(found, expected)
    assert len(found) > 0
    for name in NOT_RECORDINGS:
        assert name in result.stderr


def test_map_reads_the_recordings_of_the_folder(tmp_path, folder):
    events = tmp_path / "events.csv"
    assert run("replay", TRACKS, "--airspace", AIRSPACE, "--out", events).exit_code == 0
    result = run("map", events, "--tracks", folder, "--airspace", AIRSPACE, "--event", 1,
                 "--out-dir", tmp_path / "maps", "--image", "svg")
    assert result.exit_code == 0, result.stderr
    assert "README.md" in result.stderr
    track_id = read_events(events)["track_id"][0]
    assert any(track_id in path.name for path in (tmp_path / "maps").iterdir())


def test_a_dataset_leaves_out_the_same_files(folder):
    dask = pytest.importorskip("dask")
    from tracks.dataset import read_dataset

    expected, _ = read(folder)
    for paths in (folder, str(folder / "*")):
        table, report = dask.compute(*read_dataset(paths), scheduler="sync")
        found = table.sort_values(["track_id", "time"]).reset_index(drop=True)
        pd.testing.assert_frame_equal(found, expected, check_index_type=False)
        assert sorted(path.name for path in report.skipped) == sorted(NOT_RECORDINGS)
