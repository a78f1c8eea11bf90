"""Every command that reads recordings takes the reading options: ``--column``, ``--unit``, ``--split-gap``, ...

The expectation is independent of those options: the same fixes written in
the tracks-table layout, with the track ids the flights get (an aircraft that
flew twice gets its flights' UTC starts appended, see the README), read by
the same command without them.
"""

import pandas as pd
import pytest

from detect.events_io import read_events
from tests.cli_runs import AIRSPACE, TRACKS, run

pytestmark = pytest.mark.usefixtures("private_cache")
FEET_M = 0.3048
AGAIN_AFTER = pd.Timedelta(hours=1)
MAPPING = [
    "--column", "aircraft=hex", "--column", "time=ts", "--column", "lon=x", "--column", "lat=y",
    "--column", "alt_baro=alt", "--column", "alt_geo=gnss",
    "--unit", "time=ms", "--unit", "alt_baro=ft", "--delimiter", ";",
]


@pytest.fixture
def fixes():
    """The example's fixes, and EX-FIGHTER2 flying its corner cut again an hour later."""
    table = pd.read_csv(TRACKS)
    table["time"] = pd.to_datetime(table["time"], utc=True)
    again = table[table["track_id"] == "EX-FIGHTER2"].assign(time=lambda t: t["time"] + AGAIN_AFTER)
    table = pd.concat([table, again], ignore_index=True)
    feet = (table["alt_baro_m"] / FEET_M).round(1)
    return table.assign(alt_baro_m=feet * FEET_M, feet=feet)


@pytest.fixture
def radar_csv(tmp_path, fixes):
    """The fixes as an unusual CSV: ';'-separated, other column names, ms times, feet."""
    path = tmp_path / "radar.txt"
    pd.DataFrame({
        "hex": fixes["track_id"],
        "ts": (fixes["time"] - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(milliseconds=1),
        "x": fixes["lon"], "y": fixes["lat"], "alt": fixes["feet"], "gnss": fixes["alt_geo_m"],
    }).to_csv(path, sep=";", index=False)
    return path


def tracks_table_csv(path, fixes, track_ids):
    """The fixes in the tracks-table layout, with these track ids."""
    table = fixes.assign(track_id=track_ids)[["track_id", "time", "lon", "lat", "alt_baro_m", "alt_geo_m"]]
    table.sort_values(["track_id", "time"]).to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%SZ")
    return path


def flights(fixes):
    """Track ids with EX-FIGHTER2's two flights apart, named by their UTC start."""
    second = (fixes["track_id"] == "EX-FIGHTER2") & (fixes["time"] > fixes["time"].min() + AGAIN_AFTER / 2)
    first = (fixes["track_id"] == "EX-FIGHTER2") & ~second
    ids = fixes["track_id"].copy()
    ids[first] = "EX-FIGHTER2-20250919T0900Z"
    ids[second] = "EX-FIGHTER2-20250919T1000Z"
    return ids


def events_of(command, tmp_path, tracks_path, *options):
    """The events table ``airwarden COMMAND`` finds in `tracks_path`, read back from what it wrote."""
    out = tmp_path / f"{command}-{tracks_path.stem}.csv"
    if command == "replay":
        result = run("replay", tracks_path, "--airspace", AIRSPACE, "--out", out, *options)
    else:
        result = run("detect", tracks_path, "--airspace", AIRSPACE, *options)
        out.write_text(result.stdout)
    assert result.exit_code == 0, result.stderr
    return read_events(out)


def assert_same_events(found, expected):
    assert len(found) == len(expected)
    pd.testing.assert_frame_equal(found, expected, check_exact=False, rtol=1e-9)


@pytest.mark.parametrize("command", ["replay", "detect"])
def test_column_unit_and_delimiter_read_an_unusual_csv(command, tmp_path, fixes, radar_csv):
    found = events_of(command, tmp_path, radar_csv, *MAPPING)
    expected = events_of(command, tmp_path, tracks_table_csv(tmp_path / "flights.csv", fixes, flights(fixes)))
    assert_same_events(found, expected)
    assert found["track_id"].str.startswith("EX-FIGHTER2-").sum() == 2  # one event per flight


@pytest.mark.parametrize("command", ["replay", "detect"])
def test_split_gap_keeps_one_flight_across_a_shorter_gap(command, tmp_path, fixes, radar_csv):
    gap_s = str(2 * AGAIN_AFTER.total_seconds())
    found = events_of(command, tmp_path, radar_csv, *MAPPING, "--split-gap", gap_s)
    expected = events_of(command, tmp_path, tracks_table_csv(tmp_path / "one-flight.csv", fixes, fixes["track_id"]))
    assert_same_events(found, expected)
    # One flight: the hour between its passes is interpolated, and crosses the corner on the way back.
    assert (found["track_id"] == "EX-FIGHTER2").sum() == 3


@pytest.mark.parametrize("command", ["replay", "detect"])
def test_strict_refuses_a_rejected_row(command, tmp_path, radar_csv):
    broken = tmp_path / "broken.txt"
    broken.write_text(radar_csv.read_text() + "EX-X;1758272400000;200.0;59.0;1000;300\n")
    lenient = run(command, broken, "--airspace", AIRSPACE, *MAPPING)
    assert lenient.exit_code == 0 and "lon/lat out of range" in lenient.stderr
    strict = run(command, broken, "--airspace", AIRSPACE, *MAPPING, "--strict")
    assert strict.exit_code == 2
    assert strict.stderr.strip().splitlines()[-1].endswith("(strict mode)")
    assert f"{broken}:" in strict.stderr


def test_map_reads_the_recording_with_the_same_options(tmp_path, radar_csv):
    events_path = tmp_path / "events.csv"
    result = run("replay", radar_csv, "--airspace", AIRSPACE, "--out", events_path, *MAPPING)
    assert result.exit_code == 0, result.stderr
    number = 1 + list(read_events(events_path)["track_id"]).index("EX-FIGHTER2-20250919T1000Z")
    maps = tmp_path / "maps"
    result = run("map", events_path, "--tracks", radar_csv, *MAPPING, "--airspace", AIRSPACE, "--event", number,
                 "--out-dir", maps, "--image", "svg")
    assert result.exit_code == 0, result.stderr
    assert any("EX-FIGHTER2-20250919T1000Z" in path.name for path in maps.iterdir())
