"""tracks.read_dataset and find_violations on a dask LocalCluster: hourly files give the events of one process.

The recording: OpenSky-like state vectors of aircraft flying straight across
boxes of airspace, each aircraft flying twice with a gap longer than the
split gap (two flights), flights crossing the hour boundaries, a few rows
without a position and a row repeated in the next hour's file. It is cut
into hourly files (CSV and Parquet in turn) and also written whole, as one
CSV file; the oracle is :func:`tracks.read` and :func:`detect.find_violations`
on the whole file, in this process.
"""

import os
import signal
import time

import numpy as np
import pandas as pd
import pytest
import shapely

from airspace import make_airspace
from detect import find_violations
from detect.events import EVENT_COLUMNS, EVENT_TIME_COLUMNS
from tracks import read, read_dataset

distributed = pytest.importorskip("distributed")

START_S = 1758272400  # 2025-09-19 09:00 UTC
HOUR_S = 3600
N_AIRCRAFT = 24
FIX_S = 10


def flights(rng):
    """State vectors of every aircraft, two flights each, in time order per aircraft."""
    rows = []
    for k in range(N_AIRCRAFT):
        begin = START_S + int(rng.integers(0, 2 * HOUR_S))
        for leg in range(2):
            duration_s = int(rng.integers(40, 100)) * 60
            times = begin + np.arange(0, duration_s, FIX_S) + rng.integers(0, 3, duration_s // FIX_S)
            lon0, lat0 = rng.uniform(22.0, 23.0), rng.uniform(58.0, 61.0)
            heading = rng.uniform(-0.4, 0.4)
            along_m = 200.0 * (times - times[0])
            rows.append(pd.DataFrame({
                "time": times,
                "icao24": f"{0x4CA000 + k:06x}",
                "lat": lat0 + along_m * np.sin(heading) / 111_000.0,
                "lon": lon0 + along_m * np.cos(heading) / (111_000.0 * np.cos(np.radians(lat0))),
                "velocity": 200.0,
                "heading": 90.0 - np.degrees(heading),
                "callsign": f"TST{k:03d}",
                "onground": False,
                "baroaltitude": rng.uniform(2000.0, 9000.0) + 0.5 * (times - times[0]),
                "geoaltitude": np.nan,
            }))
            begin = int(times[-1]) + int(rng.integers(35, 90)) * 60  # a new flight (gap > 30 min)
    return pd.concat(rows, ignore_index=True)


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    """The hourly files (paths, in time order) and the whole recording as one file."""
    folder = tmp_path_factory.mktemp("states")
    rng = np.random.default_rng(18)
    rows = flights(rng)
    rows["geoaltitude"] = rows["baroaltitude"] + 60.0
    rows.loc[rng.choice(len(rows), 5, replace=False), "lat"] = np.nan  # rejected: no position
    rows = rows.sort_values("time", kind="stable", ignore_index=True)
    hour = (rows["time"] - START_S) // HOUR_S
    pieces = [rows[hour == h] for h in range(int(hour.max()) + 1)]
    pieces[1] = pd.concat([pieces[1], pieces[0].iloc[[-1]]])  # the hour's last row again: a duplicate
    paths = []
    for h, piece in enumerate(pieces):
        path = folder / f"states_2025-09-19-{9 + h:02d}.{'csv' if h % 2 == 0 else 'parquet'}"
        if h % 2 == 0:
            piece.to_csv(path, index=False)
        else:
            piece.to_parquet(path, index=False)
        paths.append(path)
    whole = folder / "whole.csv"
    pd.concat(pieces).to_csv(whole, index=False)
    return paths, whole


@pytest.fixture(scope="module")
def zones():
    """Boxes the flights cross: from the surface, between two altitudes, above one."""
    boxes = [shapely.box(22.3 + 0.5 * i, 58.0 + 0.4 * j, 22.6 + 0.5 * i, 58.3 + 0.4 * j)
             for i in range(4) for j in range(7)]
    n = len(boxes)
    return make_airspace(boxes, floor_m=[-np.inf if k % 3 == 0 else 4000.0 for k in range(n)],
                         floor_ref=["SFC" if k % 3 == 0 else "MSL" for k in range(n)],
                         ceiling_m=[np.inf if k % 3 != 1 else 7000.0 for k in range(n)],
                         ceiling_ref="MSL")


@pytest.fixture(scope="module")
def one_process(recording, zones):
    """The oracle: the whole recording read and detected in this process."""
    table, report = read(recording[1])
    return table, report, find_violations(table, zones)


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        yield client


def same_events(found, expected):
    """The same events: times to 1 us, depths and distances to 1 mm, all else equal."""
    assert list(found.columns) == list(EVENT_COLUMNS)
    assert found.dtypes.to_dict() == expected.dtypes.to_dict()
    keys = ["track_id", "airspace_id", "entry_time"]
    found = found.sort_values(keys, ignore_index=True)
    expected = expected.sort_values(keys, ignore_index=True)
    assert len(found) == len(expected)
    for name in EVENT_COLUMNS:
        if name in EVENT_TIME_COLUMNS:
            assert (found[name].isna() == expected[name].isna()).all(), name
            gap_ns = (found[name] - expected[name]).abs().max()
            assert pd.isna(gap_ns) or gap_ns <= pd.Timedelta(1, "us"), name
        elif found[name].dtype == np.float64:
            tolerance = 1e-3 if name.endswith("_m") else 1e-9
            np.testing.assert_allclose(found[name], expected[name], rtol=0, atol=tolerance, err_msg=name)
        else:
            assert found[name].tolist() == expected[name].tolist(), name


def test_workers_import_this_checkout(client):
    import detect

    assert set(client.run(lambda: __import__("detect").__file__).values()) == {detect.__file__}


@pytest.mark.parametrize("npartitions, shuffled, options", [
    (1, False, {}), (7, True, {}), (7, False, {"max_gap_s": 11.0, "min_duration_s": 30.0}),
    (3, False, {"approach_m": 3000.0})])
def test_hourly_files_give_the_events_of_one_process(client, recording, zones, one_process, npartitions, shuffled,
                                                     options):
    paths, _ = recording
    table, _, expected = one_process
    if options:
        expected = find_violations(table, zones, **options)
        assert 0 < len(expected) != len(one_process[2])  # the options change the events
    if shuffled:
        paths = [paths[k] for k in np.random.default_rng(1).permutation(len(paths))]
    dataset, _ = read_dataset(paths, npartitions=npartitions)
    events = find_violations(dataset, zones, **options)
    assert events.npartitions == npartitions
    found = events.compute()
    assert len(expected) > 20 and expected["track_id"].nunique() > 10  # the oracle has something to find
    assert table["track_id"].str.contains("-2025").all()  # every aircraft split into flights
    same_events(found, expected)


def test_tracks_and_report_are_those_of_one_read(client, recording, one_process):
    paths, _ = recording
    table, report, _ = one_process
    dataset, lazy_report = read_dataset(paths, npartitions=3)
    found, found_report = client.compute([dataset, lazy_report], sync=True)
    found = found.sort_values(["track_id", "time"], ignore_index=True)
    pd.testing.assert_frame_equal(found, table[found.columns])
    assert set(found.columns) == set(table.columns)
    assert found_report.tracks == report.tracks == table["track_id"].nunique()
    totals = ("rows_read", "rows_accepted", "rows_rejected", "reordered", "rejected", "suspect")
    assert {name: getattr(found_report, name) for name in totals} == {
        name: getattr(report, name) for name in totals}
    assert found_report.rejected == {"missing lon/lat": 5, "duplicate (aircraft, time)": 1}
    assert str(found_report) == str(read(paths)[1])  # each file's report as one read of the same files


def test_a_worker_killed_mid_run_still_gives_every_event(client, recording, zones, one_process):
    paths, _ = recording
    dataset, _ = read_dataset(paths, npartitions=5)
    future = client.compute(find_violations(dataset, zones))
    while not any(client.processing().values()):
        time.sleep(0.01)
    assert not future.done()
    pid = next(iter(client.run(os.getpid).values()))
    os.kill(pid, signal.SIGKILL)
    same_events(future.result(), one_process[2])


@pytest.mark.parametrize("ending", [".parquet", ".csv"])
def test_command_on_a_scheduler_writes_the_events_of_one_process(client, recording, zones, one_process, tmp_path,
                                                                 ending):
    from detect.events_io import read_events

    result, out = _detect_on_scheduler(client, recording, zones, tmp_path, ending)
    assert result.exit_code == 0, result.output
    assert out.is_dir() == (ending == ".parquet")
    expected = one_process[2]
    assert f"{len(expected)} event(s) from {len(one_process[0])} fixes" in result.stderr
    same_events(read_events(out), read_events(_written(expected, tmp_path / f"expected{ending}")))


@pytest.mark.parametrize("ending", [".parquet", ".csv"])
def test_command_on_a_scheduler_says_the_registries_of_one_process(client, recording, zones, one_process, tmp_path,
                                                                  ending):
    from detect.cli.filtering import registry_note
    from tracks import registry_counts

    result, _ = _detect_on_scheduler(client, recording, zones, tmp_path, ending)
    note = registry_note(registry_counts(one_process[0]), one_process[2], {})
    assert note.startswith("state of registry (ICAO 24-bit address): 48 of 48 track(s)")  # 24 aircraft, 2 flights
    assert note in result.stderr


@pytest.mark.parametrize("ending", [".csv", ".parquet"])
def test_command_on_a_scheduler_writes_events_that_read_in_the_order_of_one_process(client, recording, zones,
                                                                                    one_process, tmp_path, ending):
    from detect.events_io import read_events

    result, out = _detect_on_scheduler(client, recording, zones, tmp_path, ending)
    assert result.exit_code == 0, result.output
    keys = ["track_id", "entry_time", "airspace_id"]
    expected = read_events(_written(one_process[2], tmp_path / "expected.csv"))
    pd.testing.assert_frame_equal(read_events(out)[keys], expected[keys])


def _detect_on_scheduler(client, recording, zones, tmp_path, ending):
    """``airwarden detect`` of the hourly files on the scheduler of `client`: its result, and the events file."""
    from click.testing import CliRunner

    from detect.cli.group import main

    zones_path = tmp_path / "zones.gpkg"
    zones.to_file(zones_path, driver="GPKG")
    out = tmp_path / f"events{ending}"
    pattern = str(recording[0][0].parent / "states_*")
    result = CliRunner().invoke(main, ["detect", pattern, "--airspace", str(zones_path),
                                       "--scheduler", client.scheduler.address, "--out", str(out)])
    return result, out


def _written(events, path):
    from detect.events_io import write_events

    return write_events(events, path)


def test_a_frame_cut_across_tracks_is_shuffled_first(client, zones, one_process):
    import dask.dataframe as dd

    table, _, expected = one_process
    frame = dd.from_pandas(table, npartitions=5, sort=False)  # cut by rows: tracks span partitions
    assert frame.map_partitions(lambda part: part["track_id"].drop_duplicates()).compute().duplicated().any()
    same_events(find_violations(frame, zones).compute(), expected)


def test_partitions_known_to_hold_whole_tracks(client, recording):
    from tracks.dataset import holds_whole_tracks

    dataset, _ = read_dataset(recording[0], npartitions=4)
    assert holds_whole_tracks(dataset)
    assert holds_whole_tracks(dataset[dataset["lat"] > 59.0].assign(high=dataset["alt_baro_m"] > 5000))
    assert holds_whole_tracks(client.persist(dataset))
    assert not holds_whole_tracks(dataset.repartition(npartitions=8))


def test_a_column_that_repeats_the_key_in_some_files_only(client, tmp_path):
    """icao24 is the aircraft key in OpenSky files, and apart from it where the file names its flights."""
    named = tmp_path / "named.csv"
    named.write_text("track_id,time,lon,lat,icao24\n"
                     "MIG1,2025-09-19T09:00:00Z,24.0,59.8,4ca2d6\nMIG1,2025-09-19T09:00:10Z,24.1,59.8,4ca2d6\n"
                     "MIG2,2025-09-19T09:00:00Z,25.0,59.8,\n")
    states = tmp_path / "states.parquet"
    pd.DataFrame({"time": [START_S, START_S + 10, START_S + 20], "icao24": ["4ca2d6", "3c6444", "4ca2d6"],
                  "lat": [59.8, 59.9, 59.9], "lon": [24.3, 24.4, 24.5]}).to_parquet(states, index=False)
    table, report = read([named, states])
    assert table["icao24"].fillna("").tolist() == ["3c6444", "4ca2d6", "4ca2d6", "4ca2d6", "4ca2d6", ""]
    for npartitions in (1, 2):
        dataset, lazy_report = read_dataset([named, states], npartitions=npartitions)
        found, found_report = client.compute([dataset, lazy_report], sync=True)
        found = found.sort_values(["track_id", "time"], ignore_index=True)
        pd.testing.assert_frame_equal(found, table[found.columns])
        assert set(found.columns) == set(table.columns)
        assert str(found_report) == str(report)


def test_parquet_files_of_other_schemas_give_their_columns(client, tmp_path):
    """Files of one schema are looked at once; a file with a column more still gives it."""
    rows = pd.DataFrame({"time": START_S + 10 * np.arange(6), "icao24": ["4ca2d6", "3c6444"] * 3,
                         "lat": np.linspace(59.8, 59.9, 6), "lon": np.linspace(24.3, 24.4, 6)})
    paths = []
    for k in range(3):
        piece = rows.iloc[2 * k:2 * k + 2]
        if k == 2:
            piece = piece.assign(callsign=["FIN1", "TST2"])
        paths.append(tmp_path / f"states_{k}.parquet")
        piece.to_parquet(paths[-1], index=False)
    table, report = read(paths)
    dataset, lazy_report = read_dataset(paths, npartitions=2)
    found, found_report = client.compute([dataset, lazy_report], sync=True)
    found = found.sort_values(["track_id", "time"], ignore_index=True)
    assert "callsign" in found.columns and found["callsign"].notna().sum() == 2
    pd.testing.assert_frame_equal(found, table[found.columns])
    assert set(found.columns) == set(table.columns)
    assert str(found_report) == str(report)


def test_strict_names_the_file_of_a_duplicate_across_files(client, tmp_path):
    rows = "time,icao24,lat,lon\n" + "".join(f"{START_S + 10 * k},4ca2d6,59.8,24.{k}\n" for k in range(3))
    paths = [tmp_path / "09.csv", tmp_path / "10.csv"]
    for path in paths:
        path.write_text(rows)
    with pytest.raises(ValueError) as expected:
        read(paths, strict=True)
    dataset, report = read_dataset(paths, strict=True)
    with pytest.raises(ValueError) as found:
        client.compute([dataset, report], sync=True)
    assert str(found.value) == str(expected.value)
    assert str(paths[1]) in str(found.value)


def test_command_on_a_local_cluster_says_a_bad_file_in_one_line(client, tmp_path):
    """The workers of ``--scheduler local`` write to the command's stderr: a failed task is not logged there too.

    The cluster of `client` runs beside it, its scheduler on dask's port.
    """
    import subprocess
    import sys
    from pathlib import Path

    from tests.cli_runs import AIRSPACE

    empty = tmp_path / "states.csv"
    empty.write_text("")
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-m", "detect", "detect", str(empty), "--airspace", AIRSPACE,
                          "--scheduler", "local"], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines()[1:] == [f"Error: {empty}:1: the file is empty"]  # after the airspace read


def test_a_file_tells_its_duplicates_in_the_order_of_one_read(client, tmp_path):
    """One aircraft repeated as it was, the others elsewhere: in other partitions, told in the order of the reasons."""
    first, again = tmp_path / "09.csv", tmp_path / "10.csv"
    aircraft = [f"4ca{k:03x}" for k in range(6)]
    first.write_text("time,icao24,lat,lon\n" + "".join(f"{START_S},{key},59.8,24.0\n" for key in aircraft))
    for same in aircraft:
        again.write_text("time,icao24,lat,lon\n" + "".join(f"{START_S},{key},{59.8 if key == same else 59.9},24.0\n"
                                                            for key in aircraft))
        dataset, lazy_report = read_dataset([first, again], npartitions=6)
        assert str(client.compute(lazy_report, sync=True)) == str(read([first, again])[1])


def test_a_file_named_like_a_glob_is_read(client, tmp_path):
    path = tmp_path / "states[1].csv"
    path.write_text(f"time,icao24,lat,lon\n{START_S},4ca2d6,59.8,24.3\n{START_S + 10},4ca2d6,59.9,24.4\n")
    dataset, lazy_report = read_dataset(str(path))
    found, report = client.compute([dataset, lazy_report], sync=True)
    assert str(report) == str(read(path)[1])
    pd.testing.assert_frame_equal(found.reset_index(drop=True), read(path)[0][found.columns])


def test_of_several_files_that_cannot_be_read_the_first_is_named(client, tmp_path):
    rows = f"time,icao24,lat,lon\n{START_S},4ca2d6,59.8,24.3\n"
    paths = [tmp_path / f"{k:03d}.csv" for k in range(128)]  # looked at in two tasks of 64 files side by side
    for k, path in enumerate(paths):
        path.write_text("" if k in (63, 64) else rows)  # the last file of the first task, the first of the second
    with pytest.raises(ValueError, match=f"^{paths[63]}:1: the file is empty$"):
        read_dataset(paths)
