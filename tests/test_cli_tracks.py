"""The ``airwarden tracks`` command: good and broken files, exit codes, report on stderr."""

import gzip

import pandas as pd
from click.testing import CliRunner

from detect.cli.tracks import tracks_command as tracks

T0 = 1758274200  # 2025-09-19T09:30:00Z
OPENSKY = (
    "time,icao24,lat,lon,velocity,heading,callsign,onground,baroaltitude,geoaltitude\n"
    f"{T0},4CA2D6,59.82,24.35,231.5,90,RYR1AB,False,10668,10972.8\n"
    f"{T0 + 10},4CA2D6,59.83,24.37,231.5,90,RYR1AB,False,10668,10972.8\n"
    f"{T0 + 20},4CA2D6,91.00,24.39,231.5,90,RYR1AB,False,10668,10972.8\n"
)


def _run(*args):
    return CliRunner().invoke(tracks, [str(a) for a in args])


def test_good_file_to_parquet_and_csv(tmp_path):
    source = tmp_path / "states.csv.gz"
    source.write_bytes(gzip.compress(OPENSKY.encode()))
    result = _run(source, "--out", tmp_path / "out.parquet")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "3 rows read, 2 accepted, 1 rejected" in result.stderr
    assert "lon/lat out of range (line 4)" in result.stderr
    table = pd.read_parquet(tmp_path / "out.parquet")
    assert table["track_id"].tolist() == ["4ca2d6", "4ca2d6"]
    assert table["alt_baro_m"].tolist() == [10668.0, 10668.0]

    result = _run(source, "--out", tmp_path / "out.csv", "--split-gap", "5")
    assert result.exit_code == 0, result.stderr
    written = pd.read_csv(tmp_path / "out.csv")
    assert written["track_id"].tolist() == ["4ca2d6-20250919T0930Z", "4ca2d6-20250919T0930Z-2"]
    assert written["time"].tolist() == ["2025-09-19T09:30:00.000000000Z", "2025-09-19T09:30:10.000000000Z"]


def test_broken_file_exits_2_with_one_line(tmp_path):
    source = tmp_path / "cut.csv.gz"
    data = gzip.compress((OPENSKY * 200).encode())
    source.write_bytes(data[: len(data) // 2])
    result = _run(source, "--out", tmp_path / "out.parquet")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {source}: truncated or corrupt gzip")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.parquet").exists()


def test_no_fix_left_writes_no_file_that_would_not_read_back(tmp_path):
    source = tmp_path / "north-of-the-pole.csv"
    source.write_text(OPENSKY.splitlines()[0] + "\n" + "\n".join([OPENSKY.splitlines()[3]] * 3) + "\n")
    for ending in (".csv", ".parquet"):
        out = tmp_path / ("out" + ending)
        result = _run(source, "--out", out)
        assert result.exit_code == 2
        assert "rejected 3: lon/lat out of range" in result.stderr
        assert result.stderr.strip().splitlines()[-1].startswith("Error: no fix to write")
        assert not out.exists()


def test_strict_and_format_options(tmp_path):
    source = tmp_path / "states.csv"
    source.write_text(OPENSKY)
    result = _run(source, "--out", tmp_path / "o.parquet", "--strict")
    assert result.exit_code == 2
    assert result.stderr == f"Error: {source}:4: rejected (lon/lat out of range); 1 row(s) " \
        "rejected for this reason (strict mode)\n"
    result = _run(source, "--out", tmp_path / "o.parquet", "--format", "fr24")
    assert result.exit_code == 2 and "missing column(s) 'Timestamp'" in result.stderr


def test_bad_output_name(tmp_path):
    source = tmp_path / "states.csv"
    source.write_text(OPENSKY)
    result = _run(source, "--out", tmp_path / "o.xlsx")
    assert result.exit_code == 2 and "must end with .parquet or .csv" in result.stderr


def test_any_csv_with_a_column_mapping(tmp_path):
    source = tmp_path / "radar.txt"
    source.write_text(f"ts;hex;x;y;alt\n{T0};R1;24.35;59.82;35000\n{T0 + 10};R1;24.37;59.83;35000\n")
    result = _run(source, "--out", tmp_path / "o.parquet", "--column", "time=ts",
                  "--column", "aircraft=hex", "--column", "lon=x", "--column", "lat=y",
                  "--column", "alt_baro=alt", "--unit", "alt_baro=ft", "--delimiter", ";")
    assert result.exit_code == 0, result.stderr
    table = pd.read_parquet(tmp_path / "o.parquet")
    assert table["alt_baro_m"].tolist() == [10668.0, 10668.0]  # 35000 ft
    assert "[csv]" in result.stderr
    result = _run(source, "--out", tmp_path / "o.parquet", "--column", "time")
    assert result.exit_code == 2 and "Invalid value for '--column': 'time': expected TARGET=VALUE" in result.stderr
