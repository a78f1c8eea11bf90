"""airwarden reads back everything it writes, through every command and function that takes it.

Tracks (``airwarden tracks --out``: CSV and Parquet), events (CSV, JSON,
GeoJSON, Parquet) and airspace (GeoJSON, GeoPackage, GeoParquet) are
written and read again; each must come back as the same table: dtypes,
on-ground flags, times to the nanosecond.
"""

import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import plots
from airspace import read as read_airspace
from airspace import write as write_airspace
from detect.events_io import read_events, write_events
from tests.cli_runs import run
from tests.fuzz_readers import _events_table, _opensky_csv
from tracks import read_tracks_csv, write_tracks
from tracks.reading import read

NANOSECONDS = pd.Timedelta(nanoseconds=123_456_789)


@pytest.fixture
def recording(tmp_path):
    """An OpenSky file with an on-ground flag, and the tracks table it reads to (one time to the ns)."""
    path = tmp_path / "states.csv"
    path.write_text(_opensky_csv())
    table, _ = read(path)
    assert table["on_ground"].tolist() == [False, False, False, True]
    return path, table


def _zone_file(path, airspace_id, box):
    zones = gpd.GeoDataFrame(
        {"airspace_id": [airspace_id], "name": ["box"], "country": ["EST"], "kind": ["restricted"],
         "floor_m": [-np.inf], "floor_ref": ["SFC"], "ceiling_m": [np.inf], "ceiling_ref": ["STD"]},
        geometry=[box], crs="EPSG:4326")  # fmt: skip
    return write_airspace(zones, path)


@pytest.fixture
def zone(tmp_path):
    """A box the recording flies into (lon 24.35 to 24.41 at lat 59.82 to 59.85)."""
    return _zone_file(tmp_path / "zones.geojson", "Z1", shapely.box(24.38, 59.80, 24.50, 59.90))


@pytest.mark.parametrize("ending", [".csv", ".parquet"])
def test_tracks_written_by_the_tracks_command_read_back_the_same(tmp_path, recording, ending):
    source, table = recording
    out = tmp_path / f"tracks{ending}"
    assert run("tracks", source, "--out", out).exit_code == 0
    back, report = read(out)  # no format given: recognised
    assert report.formats == ["airwarden"]
    pd.testing.assert_frame_equal(back, table)
    assert back["on_ground"].dtype == "boolean"


@pytest.mark.parametrize("ending", [".csv", ".parquet"])
def test_tracks_to_the_nanosecond_and_unknown_flags_read_back(tmp_path, recording, ending):
    _, table = recording
    table = table.copy()
    table.loc[1, "time"] += NANOSECONDS
    table["on_ground"] = pd.array([True, None, False, True], dtype="boolean")
    path = write_tracks(table, tmp_path / f"t{ending}")
    back, _ = read(path)
    pd.testing.assert_frame_equal(back, table)
    assert back["time"].iloc[1].nanosecond == 789
    if ending == ".csv":
        strict, report = read_tracks_csv(path)
        pd.testing.assert_frame_equal(strict, table, check_like=True)
        assert report.rows_accepted == 4 and not any("unknown" in note for note in report.notes)


def test_what_is_not_a_tracks_table_is_refused_before_writing(tmp_path, recording):
    _, table = recording
    with pytest.raises(ValueError, match=r"t\.csv: missing column\(s\) 'lon'"):
        write_tracks(table.drop(columns="lon"), tmp_path / "t.csv")
    assert not (tmp_path / "t.csv").exists()


@pytest.mark.parametrize("ending", [".csv", ".parquet"])
def test_tracks_written_read_again_by_tracks_detect_and_replay(tmp_path, recording, zone, ending):
    source, table = recording
    out = tmp_path / f"tracks{ending}"
    assert run("tracks", source, "--out", out).exit_code == 0
    again = tmp_path / "again.parquet"
    assert run("tracks", out, "--out", again).exit_code == 0
    pd.testing.assert_frame_equal(pd.read_parquet(again), table)

    expected = run("detect", source, "--airspace", zone)
    detected = run("detect", out, "--airspace", zone)
    assert detected.exit_code == 0, detected.stderr
    assert detected.stdout == expected.stdout
    events = read_events_text(detected.stdout)
    assert len(events) == 1 and events["track_id"].tolist() == ["4ca2d6"]

    replayed = tmp_path / "events.csv"
    result = run("replay", out, "--airspace", zone, "--out", replayed)
    assert result.exit_code == 0, result.stderr
    pd.testing.assert_frame_equal(read_events(replayed), events)


def read_events_text(text):
    """The events of ``detect``'s CSV on stdout, read as an events file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "events.csv")
        path.write_text(text)
        return read_events(path)


@pytest.mark.parametrize("ending", [".csv", ".json", ".geojson", ".parquet"])
def test_events_read_back_the_same_by_read_events_and_map(tmp_path, ending, monkeypatch):
    events = _events_table()
    assert events["entry_time"].iloc[0].nanosecond == 789 and np.isnan(events["max_depth_m"].iloc[1])
    path = write_events(events, tmp_path / f"events{ending}")
    pd.testing.assert_frame_equal(read_events(path), events)

    drawn = []

    def capture(events, tracks, airspace, out_dir, **options):
        drawn.append(events)
        return []

    monkeypatch.setattr(plots, "write_event_maps", capture)
    tracks = tmp_path / "tracks.csv"
    tracks.write_text(_opensky_csv())
    zones = _zone_file(tmp_path / "zones.geojson", "EX-R1", shapely.box(26, 59.7, 26.6, 59.95))
    result = run("map", path, "--tracks", tracks, "--airspace", zones, "--out-dir", tmp_path)
    assert result.exit_code == 0, result.stderr
    pd.testing.assert_frame_equal(drawn[0], events)


@pytest.mark.parametrize("ending", [".csv", ".json", ".geojson", ".parquet"])
def test_an_events_file_with_no_events_reads_back_and_map_draws_nothing(tmp_path, ending):
    path = write_events(_events_table().iloc[:0], tmp_path / f"events{ending}")
    back = read_events(path)
    assert back.empty and back.dtypes.to_dict() == _events_table().dtypes.to_dict()
    result = run("map", path, "--tracks", tmp_path / "none.csv")
    assert result.exit_code == 0, result.stderr
    assert "no events: no maps drawn" in result.stderr


@pytest.mark.parametrize("ending", [".geojson", ".gpkg", ".parquet"])
def test_airspace_read_back_the_same_by_read_and_the_commands(tmp_path, ending, recording):
    zones = gpd.GeoDataFrame(
        {"airspace_id": ["Z1", "Z2"], "name": ["box", "tra"], "country": ["EST", "FIN"],
         "kind": ["restricted", "tra"], "floor_m": [-np.inf, 1000.0], "floor_ref": ["SFC", "MSL"],
         "ceiling_m": [np.inf, 2895.6], "ceiling_ref": ["STD", "STD"],
         "valid_from": pd.to_datetime([None, "2025-09-19T09:00:00.000000001Z"], utc=True),
         "valid_to": pd.to_datetime([None, "2025-09-19T12:00:00Z"], utc=True)},
        geometry=[shapely.box(24.38, 59.80, 24.50, 59.90), shapely.box(25, 60, 26, 61)], crs="EPSG:4326")  # fmt: skip
    original, _ = read_airspace(write_airspace(zones, tmp_path / "first.parquet"))
    path = write_airspace(original, tmp_path / f"zones{ending}")
    back, report = read_airspace(path)
    pd.testing.assert_frame_equal(pd.DataFrame(back.drop(columns="geometry")),
                                  pd.DataFrame(original.drop(columns="geometry")))
    assert back.geometry.geom_equals_exact(original.geometry, tolerance=0).all()
    assert back["valid_from"].iloc[1].nanosecond == 1

    exported = tmp_path / "exported.parquet"
    assert run("airspace", "--file", path, "--out", exported).exit_code == 0
    again, _ = read_airspace(exported)
    pd.testing.assert_frame_equal(pd.DataFrame(again.drop(columns="geometry")),
                                  pd.DataFrame(original.drop(columns="geometry")))
    source, _ = recording
    detected = run("detect", source, "--airspace", path)
    assert detected.exit_code == 0, detected.stderr
    assert read_events_text(detected.stdout)["airspace_id"].tolist() == ["Z1"]
