"""Numeric times in ms, us or ns since 1970: a hint that names the unit, and ``--unit`` that reads them.

The expectation is the times the file was written from, not what the reader
makes of them.
"""

import pandas as pd
import pytest

from tests.cli_runs import run
from tracks.reading import read

TIMES = pd.to_datetime(["2020-04-17T03:40:50Z", "2020-04-17T03:41:00.250Z"], format="ISO8601")
SCALE = {"ms": 10**3, "us": 10**6, "ns": 10**9}
WORDS = {"ms": "milliseconds", "us": "microseconds", "ns": "nanoseconds"}


def _states(path, unit, position_time=False, parquet=False):
    """An OpenSky state-vector file of TIMES, as integers in `unit` since 1970."""
    ticks = [(time - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(1, unit) for time in TIMES]
    frame = pd.DataFrame({"time": ticks, "icao24": "407918", "lat": [50.95, 50.96], "lon": [0.93, 0.94],
                          "baroaltitude": [38.1, 83.8]})
    if position_time:
        frame["lastposupdate"] = ticks
    if parquet:
        frame.to_parquet(path)
    else:
        frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("unit", ["ms", "us", "ns"])
@pytest.mark.parametrize("parquet", [False, True])
def test_too_large_times_are_rejected_with_a_note_naming_their_unit(tmp_path, unit, parquet):
    path = _states(tmp_path / ("states.parquet" if parquet else "states.csv"), unit, parquet=parquet)
    table, report = read(path)
    assert table.empty and report.rejected == {"unparseable time": 2}
    [note] = [note for note in report.files[0].notes if note.startswith("time:")]
    assert f"read as {WORDS[unit]} are 2020-04-17T03:40:50Z: give --unit time={unit}" in note


@pytest.mark.parametrize("unit", ["ms", "us", "ns"])
def test_unit_option_reads_an_opensky_file_recognised_by_its_content(tmp_path, unit):
    path = _states(tmp_path / "states.csv", unit, position_time=True)
    table, report = read(path, units={"time": unit})
    assert report.formats == ["opensky"] and report.rows_rejected == 0
    assert table["time"].tolist() == TIMES.tolist()
    assert not any("too large" in note for note in report.files[0].notes)


def test_position_time_takes_the_unit_of_time(tmp_path):
    path = _states(tmp_path / "radar.csv", "ms", position_time=True)
    path.write_text(path.read_text().replace("lastposupdate", "measured"))
    later = path.read_text().splitlines()
    later[1:] = [line.rsplit(",", 1)[0] + "," + str(int(line.rsplit(",", 1)[1]) - 2000) for line in later[1:]]
    path.write_text("\n".join(later) + "\n")
    columns = {"time": "time", "position_time": "measured", "aircraft": "icao24", "lon": "lon", "lat": "lat"}
    table, _ = read(path, columns=columns, units={"time": "ms"})
    assert table["time"].tolist() == (TIMES - pd.Timedelta(seconds=2)).tolist()


def test_command_line_unit_reads_opensky_ms(tmp_path):
    path = _states(tmp_path / "states.csv", "ms", position_time=True)
    out = tmp_path / "tracks.csv"
    hinted = run("tracks", path, "--out", out)
    assert hinted.exit_code == 2 and "give --unit time=ms" in hinted.stderr  # every row rejected: nothing written
    result = run("tracks", path, "--unit", "time=ms", "--out", out)
    assert result.exit_code == 0, result.stderr
    assert pd.to_datetime(pd.read_csv(out)["time"], format="ISO8601").tolist() == TIMES.tolist()
    wrong = run("tracks", path, "--unit", "time=msec", "--out", out)
    assert wrong.exit_code == 2 and "unknown unit 'msec' for 'time'" in wrong.stderr


def test_seconds_read_as_milliseconds_get_a_note_naming_seconds(tmp_path):
    path = _states(tmp_path / "states.csv", "s")
    table, report = read(path, units={"time": "ms"})
    assert table["time"].dt.year.tolist() == [1970, 1970]  # read as asked
    [note] = [note for note in report.files[0].notes if note.startswith("time:")]
    assert "all before 1980 as unix milliseconds" in note
    assert "read as seconds are 2020-04-17T03:40:50Z: give --unit time=s" in note
    _, plain = read(path)
    assert not any(note.startswith("time:") for note in plain.files[0].notes)


def test_a_unit_that_the_format_does_not_take_is_said_unused(tmp_path):
    igc = tmp_path / "flight.igc"
    igc.write_text("AXXXABC\nHFDTE170420\nB0340505057000N00056000EA0003800038\n"
                   "B0341005057600N00056400EA0008400084\n")
    table, report = read(igc, units={"time": "ms"})
    assert len(table) == 2 and table["time"].iloc[0] == TIMES[0]
    assert "--unit not used: igc files give their own units" in report.files[0].notes
