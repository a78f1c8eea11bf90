"""Tabular formats (OpenSky, traffic, FR24, generic CSV, tracks CSV): written from known fixes, read back.

The fixes: aircraft 4CA2D6 (callsign RYR1AB) at 35,000 ft pressure altitude
(10,668 m), 36,000 ft geometric (10,972.8 m), 450 kt (231.5 m/s), track 90,
two fixes ten seconds apart on 19 Sep 2025 09:30 UTC.
"""

import gzip
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tracks import validate_tracks
from tracks.reading import read

T0 = 1758274200  # 2025-09-19T09:30:00Z
TIMES = pd.to_datetime(["2025-09-19T09:30:00Z", "2025-09-19T09:30:10Z"])
LON = [24.35, 24.37]
LAT = [59.82, 59.83]
ALT_BARO_M = 10668.0  # 35000 ft * 0.3048
ALT_GEO_M = 10972.8  # 36000 ft * 0.3048
SPEED_MPS = 231.5  # 450 kt * 1852 m / 3600 s


def _write(path, text, gzipped=False):
    data = text.encode() if isinstance(text, str) else text
    path.write_bytes(gzip.compress(data) if gzipped else data)
    return path


def _check(table, track_id="4ca2d6", alt_geo=True, speed=True, callsign=True):
    assert table["track_id"].tolist() == [track_id, track_id]
    assert table["time"].tolist() == TIMES.tolist()
    np.testing.assert_allclose(table["lon"], LON)
    np.testing.assert_allclose(table["lat"], LAT)
    np.testing.assert_allclose(table["alt_baro_m"], ALT_BARO_M)
    if alt_geo:
        np.testing.assert_allclose(table["alt_geo_m"], ALT_GEO_M)
    else:
        assert table["alt_geo_m"].isna().all()
    if speed:
        np.testing.assert_allclose(table["ground_speed_mps"], SPEED_MPS)
        np.testing.assert_allclose(table["track_deg"], 90.0)
    if callsign:
        assert table["callsign"].tolist() == ["RYR1AB", "RYR1AB"]
    assert not table["suspect"].any()
    pd.testing.assert_frame_equal(validate_tracks(table), table)


OPENSKY_CSV = (
    "time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,alert,spi,squawk,"
    "baroaltitude,geoaltitude,lastposupdate,lastcontact\n"
    f"{T0},4CA2D6,59.82,24.35,231.5,90.0,0.0,RYR1AB  ,False,False,False,1000,10668.0,10972.8,"
    f"{T0}.0,{T0}.5\n"
    f"{T0 + 10},4CA2D6,59.83,24.37,231.5,90.0,0.0,RYR1AB  ,False,False,False,1000,10668.0,"
    f"10972.8,{T0 + 10}.0,{T0 + 10}.4\n"
)


@pytest.mark.parametrize("gzipped", [False, True])
def test_opensky_csv(tmp_path, gzipped):
    path = _write(tmp_path / ("states.csv.gz" if gzipped else "states.csv"), OPENSKY_CSV, gzipped)
    table, report = read(path)
    assert report.formats == ["opensky"]
    _check(table)
    assert table["icao24"].tolist() == ["4ca2d6", "4ca2d6"]
    assert table["on_ground"].tolist() == [False, False]


def test_opensky_position_time_is_lastposupdate(tmp_path):
    # the second state repeats the first position (same lastposupdate): a duplicate
    text = OPENSKY_CSV.splitlines()[0] + "\n" + (
        f"{T0},4ca2d6,59.82,24.35,231.5,90,0,RYR1AB,False,False,False,1000,10668,,{T0 - 3}.0,{T0}\n"
        f"{T0 + 10},4ca2d6,59.82,24.35,231.5,90,0,RYR1AB,False,False,False,1000,10668,,"
        f"{T0 - 3}.0,{T0 + 10}\n"
    )
    table, report = read(_write(tmp_path / "s.csv", text))
    assert table["time"].tolist() == [pd.Timestamp(T0 - 3, unit="s", tz="UTC")]
    assert report.rejected == {"duplicate (aircraft, time)": 1}
    assert report.files[0].first_rejected_lines == {"duplicate (aircraft, time)": [3]}


@pytest.mark.parametrize("gzipped", [False, True])
def test_opensky_parquet(tmp_path, gzipped):
    frame = pd.read_csv(_write(tmp_path / "s.csv", OPENSKY_CSV), dtype={"icao24": str})
    pq.write_table(pa.Table.from_pandas(frame), tmp_path / "states.parquet")
    path = tmp_path / "states.parquet"
    if gzipped:
        path = _write(tmp_path / "states.bin", path.read_bytes(), gzipped=True)
        table, report = read(path, format="opensky")  # gzipped Parquet: no schema to sniff
    else:
        table, report = read(path)
    assert report.formats == ["opensky"]
    _check(table)


def _states(time_position, lon, lat):
    return ["4CA2D6", "RYR1AB  ", "Ireland", time_position, time_position + 0.5, lon, lat,
            10668.0, False, 231.5, 90.0, 0.0, None, 10972.8, "1000", False, 0]


@pytest.mark.parametrize("gzipped", [False, True])
def test_opensky_rest_states_json(tmp_path, gzipped):
    snapshot = {"time": T0 + 10, "states": [
        _states(T0, LON[0], LAT[0]),
        ["abc123", "", "Poland", None, T0, None, None, None, False, None, None, None, None,
         None, None, False, 0],
    ]}
    later = {"time": T0 + 20, "states": [_states(T0 + 10, LON[1], LAT[1])]}
    text = json.dumps(snapshot) + "\n" + json.dumps(later) + "\n"
    table, report = read(_write(tmp_path / "states.json", text, gzipped))
    assert report.formats == ["opensky-json"]
    _check(table)
    assert report.rejected == {"no time_position": 1}
    assert report.rows_read == 3


TRAFFIC_COLUMNS = "timestamp,icao24,latitude,longitude,altitude,geoaltitude,groundspeed,track,callsign\n"
TRAFFIC_CSV = TRAFFIC_COLUMNS + (
    "2025-09-19 09:30:00+00:00,4ca2d6,59.82,24.35,35000,36000,450,90,RYR1AB\n"
    "2025-09-19 09:30:10+00:00,4ca2d6,59.83,24.37,35000,36000,450,90,RYR1AB\n"
)


@pytest.mark.parametrize("gzipped", [False, True])
def test_traffic_csv(tmp_path, gzipped):
    table, report = read(_write(tmp_path / "t.csv", TRAFFIC_CSV, gzipped))
    assert report.formats == ["traffic"]
    _check(table)


def _traffic_frame():
    return pd.DataFrame({
        "timestamp": TIMES, "icao24": "4ca2d6", "latitude": LAT, "longitude": LON,
        "altitude": 35000.0, "geoaltitude": 36000.0, "groundspeed": 450.0, "track": 90.0,
        "callsign": "RYR1AB",
    })


def test_traffic_parquet(tmp_path):
    _traffic_frame().to_parquet(tmp_path / "t.parquet")
    table, report = read(tmp_path / "t.parquet")
    assert report.formats == ["traffic"]
    _check(table)


@pytest.mark.parametrize("lines", [False, True])
@pytest.mark.parametrize("gzipped", [False, True])
@pytest.mark.parametrize("date_format", ["epoch", "iso"])
def test_traffic_json_records(tmp_path, lines, gzipped, date_format):
    frame = _traffic_frame()
    if date_format == "epoch":  # what older pandas wrote by default: epoch milliseconds
        frame["timestamp"] = [T0 * 1000, (T0 + 10) * 1000]
    text = frame.to_json(orient="records", lines=lines, date_format="iso")
    table, report = read(_write(tmp_path / "t.json", text, gzipped))
    assert report.formats == ["traffic"]
    _check(table)


FR24_CSV = (
    "Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction\n"
    f'{T0},2025-09-19T09:30:00Z,RYR1AB,"59.82,24.35",35000,450,90\n'
    f'{T0 + 10},2025-09-19T09:30:10Z,RYR1AB,"59.83,24.37",35000,450,90\n'
)


@pytest.mark.parametrize("gzipped", [False, True])
def test_fr24_csv(tmp_path, gzipped):
    table, report = read(_write(tmp_path / "3c4b2a1f.csv", FR24_CSV, gzipped))
    assert report.formats == ["fr24"]
    _check(table, track_id="3c4b2a1f", alt_geo=False)


def test_fr24_bad_position_is_rejected(tmp_path):
    text = FR24_CSV + f'{T0 + 20},x,RYR1AB,"north,24.38",35000,450,90\n'
    table, report = read(_write(tmp_path / "f.csv", text))
    assert len(table) == 2
    assert report.files[0].first_rejected_lines == {"unparseable lon/lat": [4]}


GENERIC_CSV = (
    "ms;hex;x;y;fl_alt;kts\n"
    f"{T0 * 1000};4CA2D6;24.35;59.82;35000;450\n"
    f"{(T0 + 10) * 1000};4CA2D6;24.37;59.83;35000;450\n"
)
MAPPING = {"time": "ms", "aircraft": "hex", "lon": "x", "lat": "y", "alt_baro": "fl_alt",
           "ground_speed": "kts"}


@pytest.mark.parametrize("gzipped", [False, True])
def test_generic_csv_with_mapping_and_units(tmp_path, gzipped):
    path = _write(tmp_path / "radar.txt", GENERIC_CSV, gzipped)
    table, report = read(path, format="csv", columns=MAPPING,
                         units={"time": "ms", "alt_baro": "ft", "ground_speed": "kt"},
                         delimiter=";")
    assert report.formats == ["csv"]
    assert table["track_id"].tolist() == ["4CA2D6", "4CA2D6"]  # not an icao24: case kept
    assert table["time"].tolist() == TIMES.tolist()
    np.testing.assert_allclose(table["alt_baro_m"], ALT_BARO_M)
    np.testing.assert_allclose(table["ground_speed_mps"], SPEED_MPS)


def test_generic_csv_needs_a_mapping_and_known_units(tmp_path):
    path = _write(tmp_path / "radar.csv", GENERIC_CSV)
    with pytest.raises(ValueError, match="needs a column mapping"):
        read(path, format="csv")
    with pytest.raises(ValueError, match="unknown unit 'furlong'"):
        read(path, columns=MAPPING, units={"alt_baro": "furlong"}, delimiter=";")


def test_generic_csv_wrong_delimiter_is_named(tmp_path):
    path = _write(tmp_path / "radar.csv", GENERIC_CSV)
    with pytest.raises(ValueError, match=r"radar.csv:1: the columns are separated by ';'"):
        read(path, columns=MAPPING)


NATIVE_CSV = (
    "track_id,time,lon,lat,alt_baro_m,alt_geo_m,ground_speed_mps,track_deg,callsign\n"
    "4ca2d6,2025-09-19T09:30:00Z,24.35,59.82,10668,10972.8,231.5,90,RYR1AB\n"
    "4ca2d6,2025-09-19T09:30:10Z,24.37,59.83,10668,10972.8,231.5,90,RYR1AB\n"
)


@pytest.mark.parametrize("gzipped", [False, True])
def test_native_tracks_csv(tmp_path, gzipped):
    table, report = read(_write(tmp_path / "tracks.csv", NATIVE_CSV, gzipped))
    assert report.formats == ["airwarden"]
    _check(table)


def test_native_track_ids_are_kept_across_gaps(tmp_path):
    text = NATIVE_CSV + "4ca2d6,2025-09-19T15:00:00Z,25.0,60.0,10668,,,,\n"
    table, _ = read(_write(tmp_path / "tracks.csv", text))
    assert table["track_id"].unique().tolist() == ["4ca2d6"]


def test_native_bad_rows_counted(tmp_path):
    text = NATIVE_CSV + "4ca2d6,yesterday,25.0,60.0,,,,,\n,2025-09-19T09:31:00Z,25.0,60.0,,,,,\n"
    table, report = read(_write(tmp_path / "tracks.csv", text))
    assert len(table) == 2
    assert report.files[0].first_rejected_lines == {
        "unparseable time": [4], "empty track_id": [5]}


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.csv", OPENSKY_CSV, "opensky"),
        ("a.csv", TRAFFIC_CSV, "traffic"),
        ("a.txt", FR24_CSV, "fr24"),
        ("a.dat", NATIVE_CSV, "airwarden"),
        ("a.csv", '{"time": 1, "states": []}', "opensky-json"),
    ],
)
def test_sniffing_picks_the_format_from_content(tmp_path, name, text, expected):
    from tracks.opening import open_track_file
    from tracks.reading import choose_format

    path = _write(tmp_path / name, text)
    with open_track_file(path) as (_, head):
        assert choose_format(head, path).name == expected


def test_format_overrides_sniffing(tmp_path):
    path = _write(tmp_path / "a.csv", OPENSKY_CSV)
    with pytest.raises(ValueError, match=r"a.csv:1: missing column\(s\) 'Timestamp', 'Position'"):
        read(path, format="fr24")
