"""The non-tabular track formats: readsb traces, aircraft.json, SBS, IGC, GPX, KML, GeoJSON.

Each reader is fed a small file written here from known fixes; the raw chunk
it yields is checked against values worked out by hand (units: 1 ft is
0.3048 m exactly, 1 kt is 1852/3600 m/s).
"""

import gzip
import json
import re

import numpy as np
import pandas as pd
import pytest

from tracks.formats import aircraft_json, geojson, gpx, igc, kml, readsb, sbs
from tracks.report import TrackReadReport

T0 = pd.Timestamp("2025-09-19T09:30:00Z")
RAW_DTYPES = {
    "time": "datetime64[ns, UTC]",
    "lon": "float64",
    "lat": "float64",
    "alt_baro_m": "float64",
    "alt_geo_m": "float64",
    "line": "int64",
}


def _write(tmp_path, name, content, gzipped=False):
    path = tmp_path / name
    data = content.encode() if isinstance(content, str) else content
    path.write_bytes(gzip.compress(data) if gzipped else data)
    return path


def _read(module, path, **options):
    """All chunks of `path` read by `module`, concatenated, and the report."""
    report = TrackReadReport(path=path)
    opener = gzip.open if path.read_bytes()[:2] == b"\x1f\x8b" else open
    with opener(path, "rb") as stream:
        chunks = list(module.read_chunks(stream, path, report, **options))
    assert chunks, "a reader yields at least one chunk"
    fixes = pd.concat(chunks, ignore_index=True)
    assert {name: str(fixes[name].dtype) for name in RAW_DTYPES} == RAW_DTYPES
    assert pd.api.types.is_string_dtype(fixes["aircraft"])
    return fixes, report


def _broken(module, path, line=None):
    """Assert that reading `path` raises one line naming the file (and the line)."""
    where = re.escape(f"{path}:") + (str(line) if line else r"\d+") + ":"
    with pytest.raises(ValueError, match="^" + where) as caught:
        _read(module, path)
    assert "\n" not in str(caught.value)


def _unix(timestamp):
    return pd.Timestamp(timestamp).timestamp()


# --- readsb traces ------------------------------------------------------------------


def _trace(entries, icao="4CA2D6"):
    return json.dumps({"icao": icao, "timestamp": _unix(T0), "r": "EI-DCL", "trace": entries})


TRACE_ENTRIES = [
    [0, 59.8, 24.3, 35000, 450, 90.0, 0, 0, {"flight": "RYR1A   ", "type": "adsb_icao"},
     "adsb_icao", 35500, 0, 280, 0.5],
    [10.5, 59.81, 24.31, "ground", 12, 181.0, 0, 0, None, "adsb_icao", None, None, None, None],
    [20, 59.82, 24.32, 12000, 300, 92.0, 8, 0, None, "mlat", None, None, None, None],
    [30, 59.83, 24.33, 1000, None, None, 2, 0, None, "adsb_icao", None, None, None, None],
]  # fmt: skip


def test_readsb_trace_gzipped(tmp_path):
    path = _write(tmp_path, "trace_full_4ca2d6.json", _trace(TRACE_ENTRIES), gzipped=True)
    fixes, report = _read(readsb, path)
    assert fixes["aircraft"].tolist() == ["4ca2d6"] * 4
    assert fixes["icao24"].tolist() == ["4ca2d6"] * 4
    assert fixes["time"].tolist() == [T0 + pd.Timedelta(seconds=s) for s in (0, 10.5, 20, 30)]
    assert fixes["lat"].tolist() == [59.8, 59.81, 59.82, 59.83]
    assert fixes["lon"].tolist() == [24.3, 24.31, 24.32, 24.33]
    # 35000 ft = 10668 m; flag 8: the 12000 ft is geometric (3657.6 m), not pressure
    np.testing.assert_allclose(fixes["alt_baro_m"], [10668.0, np.nan, np.nan, 304.8])
    np.testing.assert_allclose(fixes["alt_geo_m"], [10820.4, np.nan, 3657.6, np.nan])
    # 450 kt = 231.5 m/s, 12 kt = 6.1733 m/s; on the ground index 5 is a heading
    np.testing.assert_allclose(fixes["ground_speed_mps"], [231.5, 6.173333, 154.333333, np.nan])
    np.testing.assert_allclose(fixes["track_deg"], [90.0, np.nan, 92.0, np.nan])
    assert fixes["on_ground"].tolist() == [False, True, False, False]
    # the callsign of the detail holds until the new leg (flag 2)
    assert fixes["callsign"].tolist()[:3] == ["RYR1A"] * 3 and pd.isna(fixes["callsign"][3])
    assert fixes["source"].tolist() == ["adsb_icao", "adsb_icao", "mlat", "adsb_icao"]
    assert fixes["line"].tolist() == [1, 2, 3, 4]
    assert report.rows_read == 4 and report.rejected == {}


def test_readsb_bad_entries_are_counted(tmp_path):
    entries = [
        [0, 59.8, 24.3, 35000, 450, 90.0, 1, 0, None],  # stale, pre-2022 length: kept
        "junk",
        [None, 59.8, 24.3, 35000, 450, 90.0, 0, 0, None],
        [5, 59.8, 24.3, "high", 450, 90.0, 0, 0, None],
        [6, 59.8, 24.3],
    ]
    fixes, report = _read(readsb, _write(tmp_path, "t.json", _trace(entries, icao="~1a2b3c")))
    assert fixes["line"].tolist() == [1]
    assert fixes["aircraft"].tolist() == ["~1a2b3c"] and pd.isna(fixes["icao24"][0])
    assert report.rows_read == 5
    assert sorted(report.first_rejected_lines.values()) == [[2, 5], [3], [4]]
    assert any("stale" in note for note in report.notes)


@pytest.mark.parametrize(
    "content, line",
    [
        ('{"icao": "4ca2d6", "timestamp": 1758274200, "trace": [[0, 59.8,\n24.3, 35000', 2),
        ('{"icao": "4ca2d6", "trace": []}', 1),
        ('{"icao": "4ca2d6", "timestamp": 1758274200, "trace": {}}', 1),
        ("[1, 2, 3]", 1),
        ("", 1),
    ],
)
def test_readsb_broken_files(tmp_path, content, line):
    _broken(readsb, _write(tmp_path, "trace.json", content), line)


def test_readsb_truncated_gzip_content(tmp_path):
    whole = _trace(TRACE_ENTRIES)
    _broken(readsb, _write(tmp_path, "trace.json", whole[: len(whole) // 2], gzipped=True), 1)


# --- aircraft.json --------------------------------------------------------------------


def _snapshot(now, aircraft):
    return json.dumps({"now": now, "messages": 1000, "aircraft": aircraft})


def test_aircraft_json_snapshots(tmp_path):
    now = _unix(T0)
    first = [
        {"hex": "4CA2D6", "flight": "RYR1A   ", "lat": 59.8, "lon": 24.3, "alt_baro": 35000,
         "alt_geom": 35500, "gs": 450, "track": 90.0, "seen_pos": 0.3, "type": "adsb_icao"},
        {"hex": "~1a2b3c", "lat": 59.9, "lon": 24.4, "alt_baro": "ground", "seen_pos": 2.5},
        {"hex": "abcdef", "flight": "FIN7", "seen": 1.0},  # Mode S only: no position
    ]  # fmt: skip
    # one second later the first aircraft's position has not been updated
    second = [{**first[0], "seen_pos": 1.3}, {"hex": "abcdef", "lat": 60.0, "lon": 25.0}]
    paths = [
        _write(tmp_path, "history_0.json", _snapshot(now, first)),
        _write(tmp_path, "history_1.json", _snapshot(now + 1, second)),
    ]
    fixes, report = _read(aircraft_json, paths[0])
    assert fixes["aircraft"].tolist() == ["4ca2d6", "~1a2b3c"]
    assert fixes["time"].tolist() == [
        T0 - pd.Timedelta(milliseconds=300),
        T0 - pd.Timedelta(milliseconds=2500),
    ]
    np.testing.assert_allclose(fixes["alt_baro_m"], [10668.0, np.nan])
    np.testing.assert_allclose(fixes["alt_geo_m"], [10820.4, np.nan])
    np.testing.assert_allclose(fixes["ground_speed_mps"], [231.5, np.nan])
    assert fixes["on_ground"].tolist() == [False, True]
    assert fixes["callsign"][0] == "RYR1A" and pd.isna(fixes["icao24"][1])
    assert fixes["line"].tolist() == [1, 2]
    assert report.rows_read == 2 and any("without a position" in n for n in report.notes)

    later, report = _read(aircraft_json, paths[1])
    assert later["time"][0] == fixes["time"][0]  # the same fix, the same time
    assert report.rejected == {"no seen_pos (age of the position unknown)": 1}
    assert report.first_rejected_lines == {"no seen_pos (age of the position unknown)": [2]}


def test_aircraft_json_api_v2_milliseconds(tmp_path):
    entry = {"hex": "4ca2d6", "lat": 59.8, "lon": 24.3, "alt_baro": 35000, "seen_pos": 0.5}
    text = json.dumps({"ac": [entry], "msg": "No error", "now": _unix(T0) * 1000, "total": 1})
    path = _write(tmp_path, "api.json", text)
    assert aircraft_json.sniff(text.encode(), path)
    fixes, _ = _read(aircraft_json, path)
    assert fixes["time"].tolist() == [T0 - pd.Timedelta(milliseconds=500)]


@pytest.mark.parametrize(
    "content, line",
    [
        ('{"now": 1758274200, "aircraft": [{"hex": "4ca2d6",\n"lat": 59', 2),
        ('{"now": "yesterday", "aircraft": []}', 1),
        ('{"now": 1758274200}', 1),
        ("\x00\x01garbage", 1),
    ],
)
def test_aircraft_json_broken_files(tmp_path, content, line):
    _broken(aircraft_json, _write(tmp_path, "aircraft.json", content), line)


# --- SBS ---------------------------------------------------------------------------


def _msg(kind, hex_id, clock, callsign="", alt="", gs="", track="", lat="", lon="", ground="0"):
    when = f"2025/09/19,{clock}"
    return (
        f"MSG,{kind},1,1,{hex_id},1,{when},{when},{callsign},{alt},{gs},{track},"
        f"{lat},{lon},,,0,0,0,{ground}\n"
    )


SBS_LOG = (
    _msg(1, "4CA2D6", "09:29:50.000", callsign="RYR1A   ")  # line 1
    + _msg(4, "4CA2D6", "09:29:59.000", gs="450", track="90.5")  # 2
    + _msg(3, "4CA2D6", "09:30:00.250", alt="35000", lat="59.8", lon="24.3")  # 3
    + "STA,,5,179,400AE7,10103,2025/09/19,09:30:01.000,2025/09/19,09:30:01.000,RM\n"  # 4
    + "\n"  # 5
    + _msg(3, "4CA2D6", "09:30:20.000", alt="35100", lat="59.81", lon="24.31")  # 6: speed too old
    + _msg(2, "ABCDEF", "09:30:21.000", gs="12", track="180", lat="59.9", lon="24.4", ground="-1")
    + "this is not an SBS line\n"  # 8
    + _msg(3, "ABCDEF", "9:3x", alt="100", lat="59.9", lon="24.4")  # 9
    + _msg(3, "ABCDEF", "09:30:22.000", alt="1OO", lat="59.9", lon="24.4")  # 10
    + "MSG,3,1,1,4CA2D6,1,2025/09/19,09:30:3"  # 11: cut short
)


@pytest.mark.parametrize("chunk_rows", [1_000_000, 2])
def test_sbs_log(tmp_path, chunk_rows):
    fixes, report = _read(sbs, _write(tmp_path, "feed.sbs", SBS_LOG), chunk_rows=chunk_rows)
    assert fixes["aircraft"].tolist() == ["4ca2d6", "4ca2d6", "abcdef"]
    assert fixes["time"].tolist() == [
        T0 + pd.Timedelta(milliseconds=250),
        T0 + pd.Timedelta(seconds=20),
        T0 + pd.Timedelta(seconds=21),
    ]
    np.testing.assert_allclose(fixes["alt_baro_m"], [10668.0, 35100 * 0.3048, np.nan])
    assert fixes["alt_geo_m"].isna().all()
    # MSG,1's callsign stays; MSG,4's speed 1.25 s old is attached, 21 s old is not
    assert fixes["callsign"].tolist()[:2] == ["RYR1A", "RYR1A"] and pd.isna(fixes["callsign"][2])
    np.testing.assert_allclose(fixes["ground_speed_mps"], [231.5, np.nan, 12 * 1852 / 3600])
    np.testing.assert_allclose(fixes["track_deg"], [90.5, np.nan, 180.0])
    assert fixes["on_ground"].tolist() == [False, False, True]
    assert fixes["line"].tolist() == [3, 6, 7]
    assert report.rows_read == 7
    assert report.first_rejected_lines == {
        "not an SBS message": [8],
        "unparseable time": [9],
        "unparseable number (altitude, speed, track, lat or lon)": [10],
        "truncated line (too few fields)": [11],
    }


def test_sbs_position_not_decoded_is_not_a_fix(tmp_path):
    log = _msg(3, "4CA2D6", "09:30:00.000", alt="35000") + _msg(
        3, "4CA2D6", "09:30:01.000", alt="35000", lat="59.8", lon="24.3"
    )
    fixes, report = _read(sbs, _write(tmp_path, "f.sbs", log))
    assert fixes["line"].tolist() == [2] and report.rows_read == 1
    assert any("no lat/lon" in note for note in report.notes)


def test_sbs_local_time(tmp_path):
    log = _msg(3, "4CA2D6", "12:30:00.000", alt="35000", lat="59.8", lon="24.3")
    fixes, report = _read(sbs, _write(tmp_path, "f.sbs", log), timezone="Europe/Tallinn")
    assert fixes["time"].tolist() == [T0]  # EEST, UTC+3, in September
    assert any("Europe/Tallinn" in note for note in report.notes)


@pytest.mark.parametrize(
    "content, line",
    [
        (SBS_LOG[:200] + "\x00\x00\x00", 3),
        ("\n\nhello,world\n" + SBS_LOG, 3),
        ("", 1),
    ],
)
def test_sbs_broken_files(tmp_path, content, line):
    _broken(sbs, _write(tmp_path, "feed.sbs", content), line)


# --- IGC ---------------------------------------------------------------------------

IGC_LOG = (
    "AXXXABC FLIGHT:1\r\n"
    "HFDTEDATE:190925,01\r\n"
    "HFGIDGLIDERID:D-1234\r\n"
    "HFCIDCOMPETITIONID:XY\r\n"
    "I023638FXA3940SIU\r\n"
    "B2359585206343N00006198WA0058700612020\r\n"  # line 6, with the FXA and SIU extensions
    "B2359595206343N00006198WV0058700612020\r\n"  # 7: V, no GPS fix
    "LXXX a comment\r\n"
    "B0000034512500S17030000EA-001200035\r\n"  # 9: after midnight, below sea level
    "Bgarbage\r\n"  # 10
    "G1234567890\r\n"
)


def test_igc_fixes(tmp_path):
    fixes, report = _read(igc, _write(tmp_path, "flight.igc", IGC_LOG))
    assert fixes["aircraft"].tolist() == ["D-1234", "D-1234"]
    assert fixes["time"].tolist() == [
        pd.Timestamp("2025-09-19T23:59:58Z"),
        pd.Timestamp("2025-09-20T00:00:03Z"),
    ]
    np.testing.assert_allclose(fixes["lat"], [52 + 6.343 / 60, -(45 + 12.5 / 60)])
    np.testing.assert_allclose(fixes["lon"], [-(6.198 / 60), 170 + 30.0 / 60])
    assert fixes["alt_baro_m"].tolist() == [587.0, -12.0]
    assert fixes["alt_geo_m"].tolist() == [612.0, 35.0]
    assert fixes["line"].tolist() == [6, 9]
    assert report.rows_read == 4
    assert report.first_rejected_lines == {
        "V fix (no valid GPS fix)": [7],
        "unparseable B record": [10],
    }


def test_igc_old_date_no_sensor_and_file_stem(tmp_path):
    text = (
        "AXCSAAA\nHFDTE280709\n"
        "B1101355206343N00006198WA0000000350\nB1101455206343N00006198WA0000000360\n"
    )
    fixes, report = _read(igc, _write(tmp_path, "2009-07-28-XCS.igc", text))
    assert fixes["aircraft"].tolist() == ["2009-07-28-XCS"] * 2
    assert fixes["time"][0] == pd.Timestamp("2009-07-28T11:01:35Z")
    assert fixes["alt_baro_m"].isna().all()  # zero throughout: no pressure sensor
    assert fixes["alt_geo_m"].tolist() == [350.0, 360.0]
    assert any("pressure" in note for note in report.notes)


@pytest.mark.parametrize(
    "headers, key",
    [
        ("HFGIDGLIDERID:D-1234\nHFCIDCOMPETITIONID:XY\n", "D-1234"),
        ("HFGIDGLIDERID:NKN\nHFCIDCOMPETITIONID:XY\n", "XY"),
        ("HFGID D-5678\n", "D-5678"),
        ("HFPLTPILOT:Jane Doe\n", "stem"),
        ("HFGIDGLIDERID:0\n", "stem"),  # a placeholder: two pilots' logs would merge into one aircraft
        ("HFGIDGLIDERID:000\nHFCIDCOMPETITIONID:--\n", "stem"),
        ("HFGIDGLIDERID: \n", "stem"),
    ],
)
def test_igc_aircraft_key(tmp_path, headers, key):
    text = "AXXXABC\nHFDTE190925\n" + headers + "B0930005206343N00006198WA0058700612\n"
    fixes, _ = _read(igc, _write(tmp_path, "stem.igc", text))
    assert fixes["aircraft"].tolist() == [key]


@pytest.mark.parametrize(
    "content, line",
    [
        ("AXXXABC\nHFDTE190925\nLXXX no fixes\n", 3),
        ("AXXXABC\nB2359585206343N00006198WA0058700612\n", 1),
        ("AXXXABC\nHFDTE320925\nB2359585206343N00006198WA0058700612\n", 2),
        ("AXXXABC\nHFDTE190925\n\x00\x00\x01binary", 3),
        ("", 1),
    ],
)
def test_igc_broken_files(tmp_path, content, line):
    _broken(igc, _write(tmp_path, "flight.igc", content), line)


# --- GPX ---------------------------------------------------------------------------

GPX_11 = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
  <wpt lat="54.0" lon="23.0"><name>home</name></wpt>
  <rte><name>plan</name><rtept lat="54.0" lon="23.0"/></rte>
  <trk><name>SU30</name><trkseg>
    <trkpt lat="54.20" lon="23.40"><ele>3000.5</ele><time>2025-10-23T16:00:00Z</time></trkpt>
    <trkpt lat="54.21" lon="23.41">
      <time>2025-10-23T19:00:18+03:00</time>
    </trkpt>
    <trkpt lat="54.22" lon="23.42"><ele>3010</ele></trkpt>
    <trkpt lat="north" lon="23.43"><time>2025-10-23T16:00:40Z</time></trkpt>
  </trkseg></trk>
</gpx>
"""


def test_gpx_11(tmp_path):
    fixes, report = _read(gpx, _write(tmp_path, "flight.gpx", GPX_11))
    assert fixes["aircraft"].tolist() == ["SU30", "SU30"]
    assert fixes["time"].tolist() == [
        pd.Timestamp("2025-10-23T16:00:00Z"),
        pd.Timestamp("2025-10-23T16:00:18Z"),
    ]
    assert fixes["lat"].tolist() == [54.20, 54.21] and fixes["lon"].tolist() == [23.40, 23.41]
    np.testing.assert_allclose(fixes["alt_geo_m"], [3000.5, np.nan])
    assert fixes["alt_baro_m"].isna().all()
    assert fixes["line"].tolist() == [6, 7]
    assert report.rows_read == 4
    assert report.first_rejected_lines == {
        "no time": [10],
        "missing or unparseable lat/lon": [11],
    }
    assert any("waypoint" in note for note in report.notes)
    assert any("route point" in note for note in report.notes)


def test_gpx_10_without_track_name(tmp_path):
    text = (
        '<gpx version="1.0" xmlns="http://www.topografix.com/GPX/1/0"><trk><trkseg>'
        '<trkpt lat="-33.5" lon="151.25"><ele>10</ele><time>2025-01-01T00:00:00Z</time>'
        "<course>270</course><speed>50.5</speed></trkpt></trkseg></trk></gpx>"
    )
    fixes, _ = _read(gpx, _write(tmp_path, "drone-7.gpx", text))
    assert fixes["aircraft"].tolist() == ["drone-7"]
    assert fixes[["lat", "lon", "alt_geo_m"]].values.tolist() == [[-33.5, 151.25, 10.0]]
    assert fixes["ground_speed_mps"].tolist() == [50.5] and fixes["track_deg"].tolist() == [270.0]


@pytest.mark.parametrize(
    "content, line",
    [
        (GPX_11[: GPX_11.index('<trkpt lat="54.22"')], 10),
        ('<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY x "xxxxxxxx">]>\n<gpx>&x;</gpx>', 2),
        ("<kml></kml>", 1),
        ("", 1),
    ],
)
def test_gpx_broken_files(tmp_path, content, line):
    _broken(gpx, _write(tmp_path, "flight.gpx", content), line)


# --- KML ---------------------------------------------------------------------------

KML_TEXT = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
<Document>
<Placemark><name>RA-12345</name>
<gx:MultiTrack><altitudeMode>absolute</altitudeMode>
<gx:Track>
<when>2025-09-19T09:30:00Z</when><when>2025-09-19T09:30:10Z</when>
<gx:coord>24.35 59.82 9000</gx:coord>
<gx:coord>24.37 59.82 9100.5</gx:coord>
</gx:Track>
<gx:Track><when>2025-09-19T09:40:00Z</when><gx:coord>24.40 59.83 9200</gx:coord></gx:Track>
</gx:MultiTrack></Placemark>
<Placemark><gx:Track><altitudeMode>relativeToGround</altitudeMode>
<when>not a time</when><when>2025-09-19T09:50:00Z</when>
<gx:coord>1 2 3</gx:coord><gx:coord>1 2 30</gx:coord></gx:Track></Placemark>
<Placemark><name>route</name><LineString><coordinates>1,2 3,4</coordinates></LineString></Placemark>
</Document></kml>
"""


def test_kml_tracks(tmp_path):
    fixes, report = _read(kml, _write(tmp_path, "mig.kml", KML_TEXT))
    assert fixes["aircraft"].tolist() == ["RA-12345"] * 3 + ["mig"]
    assert fixes["time"].tolist() == [
        T0,
        T0 + pd.Timedelta(seconds=10),
        T0 + pd.Timedelta(minutes=10),
        T0 + pd.Timedelta(minutes=20),
    ]
    assert fixes["lon"].tolist() == [24.35, 24.37, 24.40, 1.0]
    assert fixes["lat"].tolist() == [59.82, 59.82, 59.83, 2.0]
    # absolute: above sea level; relativeToGround: not, so unknown
    np.testing.assert_allclose(fixes["alt_geo_m"], [9000.0, 9100.5, 9200.0, np.nan])
    assert fixes["alt_baro_m"].isna().all()
    assert fixes["line"].tolist() == [8, 9, 11, 15]
    assert report.rows_read == 5 and report.first_rejected_lines == {"unparseable time": [15]}
    assert any("relativeToGround" in note for note in report.notes)
    assert any("LineString" in note for note in report.notes)


@pytest.mark.parametrize(
    "content, line",
    [
        (KML_TEXT.replace("<when>2025-09-19T09:40:00Z</when>", ""), 11),
        (KML_TEXT[: KML_TEXT.index("<gx:coord>24.37")], 9),
        ("<gpx></gpx>", 1),
    ],
)
def test_kml_broken_files(tmp_path, content, line):
    _broken(kml, _write(tmp_path, "mig.kml", content), line)


# --- GeoJSON -----------------------------------------------------------------------


def _feature(geometry, **properties):
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def test_geojson_line_and_points(tmp_path):
    t0 = _unix(T0)
    collection = {
        "type": "FeatureCollection",
        "features": [
            _feature(
                {"type": "LineString", "coordinates": [[24.35, 59.82, 9000], [24.37, 59.82]]},
                name="MIG1",
                coordTimes=["2025-09-19T09:30:00Z", "2025-09-19T09:30:10Z"],
            ),
            _feature({"type": "Point", "coordinates": [24.3, 59.8]}, icao24="4CA2D6",
                     time=t0, alt_baro_m=10668.0, callsign="RYR1A "),
            _feature({"type": "Point", "coordinates": [24.31, 59.81, 10700]}, icao24="4ca2d6",
                     timestamp=(t0 + 10) * 1000, altitude=35000),
            _feature({"type": "Point", "coordinates": [24.32, 59.82]}, icao24="4ca2d6"),
            _feature({"type": "Polygon", "coordinates": []}),
            _feature(
                {"type": "MultiLineString", "coordinates": [[[1, 2], [3, 4]], [[5, 6]]]},
                coordinateProperties={"times": [[t0, t0 + 1], [t0 + 2]]},
            ),
        ],
    }  # fmt: skip
    fixes, report = _read(geojson, _write(tmp_path, "tracks.geojson", json.dumps(collection)))
    assert fixes["aircraft"].tolist() == ["MIG1", "MIG1", "4ca2d6", "4ca2d6"] + ["tracks"] * 3
    seconds = [0, 10, 0, 10, 0, 1, 2]
    assert fixes["time"].tolist() == [T0 + pd.Timedelta(seconds=s) for s in seconds]
    np.testing.assert_allclose(fixes["alt_geo_m"], [9000, np.nan, np.nan, 10700] + [np.nan] * 3)
    np.testing.assert_allclose(fixes["alt_baro_m"], [np.nan, np.nan, 10668.0] + [np.nan] * 4)
    assert fixes["callsign"][2] == "RYR1A" and fixes["icao24"][3] == "4ca2d6"
    assert fixes["lon"].tolist() == [24.35, 24.37, 24.3, 24.31, 1, 3, 5]
    assert fixes["line"].tolist() == [1, 2, 3, 4, 6, 7, 8]
    assert report.rows_read == 8 and report.first_rejected_lines == {"no time": [5]}
    assert any("altitude" in note for note in report.notes)
    assert any("Polygon" in note for note in report.notes)


def test_geojson_bare_linestring_times(tmp_path):
    line = {"type": "Feature", "id": "drone-3", "geometry": {"type": "LineString",
            "coordinates": [[21.0, 52.2, 120], [21.01, 52.21, 125]]},
            "properties": {"times": ["2025-09-10T00:30:00Z", "2025-09-10T00:30:05Z"]}}  # fmt: skip
    fixes, _ = _read(geojson, _write(tmp_path, "d.json", json.dumps(line)))
    assert fixes["aircraft"].tolist() == ["drone-3"] * 2
    assert fixes["alt_geo_m"].tolist() == [120.0, 125.0]
    assert fixes["time"][1] == pd.Timestamp("2025-09-10T00:30:05Z")


@pytest.mark.parametrize(
    "content, line",
    [
        ('{"type": "FeatureCollection",\n"features": [{"type": "Feature", "geometry"', 2),
        (json.dumps(_feature({"type": "LineString", "coordinates": [[1, 2]]}, times=[1, 2])), 1),
        ('{"type": "Topology", "objects": {}}', 1),
    ],
)
def test_geojson_broken_files(tmp_path, content, line):
    _broken(geojson, _write(tmp_path, "t.geojson", content), line)


# --- sniffing ----------------------------------------------------------------------

SAMPLES = {
    readsb: _trace(TRACE_ENTRIES),
    aircraft_json: _snapshot(
        1758274200, [{"hex": "4ca2d6", "lat": 59.8, "lon": 24.3, "seen_pos": 1}]
    ),
    sbs: SBS_LOG,
    igc: IGC_LOG,
    gpx: GPX_11,
    kml: KML_TEXT,
    geojson: json.dumps(_feature({"type": "Point", "coordinates": [1, 2]}, time=0)),
}
OTHER_SAMPLES = [
    "time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,baroaltitude\n",
    '[{"timestamp": 1758274200000, "icao24": "4ca2d6", "latitude": 59.8}]',
    '{"time": 1758274200, "states": [["4ca2d6", "RYR1A"]]}',
    "\x00\x01\x02\x03binary",
    "",
]


@pytest.mark.parametrize("module", list(SAMPLES), ids=lambda m: m.NAME)
def test_sniff_recognises_only_its_own_format(tmp_path, module):
    path = tmp_path / "sample"
    for other, text in SAMPLES.items():
        assert module.sniff(text.encode()[: 64 * 1024], path) is (other is module), other.NAME
    for text in OTHER_SAMPLES:
        assert module.sniff(text.encode(), path) is False


@pytest.mark.parametrize("module", list(SAMPLES), ids=lambda m: m.NAME)
def test_cut_or_garbled_files_never_give_a_traceback(tmp_path, module):
    """Cut anywhere, or with bytes overwritten: fixes, or one line naming the file."""
    data = SAMPLES[module].encode()
    variants = [data[:cut] for cut in range(0, len(data), max(1, len(data) // 25))]
    variants += [data[:k] + bytes([byte]) + data[k + 1 :] for k in range(0, len(data), 131)
                 for byte in b"\",>\x00"]  # fmt: skip
    for variant in variants:
        path = _write(tmp_path, "sample", variant)
        try:
            fixes, report = _read(module, path)
        except ValueError as error:
            assert str(error).startswith(f"{path}:") and "\n" not in str(error)
        else:
            assert fixes["line"].between(1, max(report.rows_read, variant.count(b"\n") + 1)).all()


# --- end to end, through tracks.read ---------------------------------------------------


E2E_FILES = {
    "trace_full_4ca2d6.json": (readsb, True),
    "aircraft.json": (aircraft_json, False),
    "feed.txt": (sbs, False),
    "flight.igc": (igc, False),
    "su30.gpx": (gpx, True),
    "mig.kml": (kml, False),
    "tracks.geojson": (geojson, False),
}


@pytest.mark.parametrize("name", list(E2E_FILES))
def test_read_recognises_the_format(tmp_path, name):
    from tracks import validate_tracks
    from tracks.reading import read

    module, gzipped = E2E_FILES[name]
    path = _write(tmp_path, name, SAMPLES[module], gzipped=gzipped)
    table, report = read(path)
    assert report.formats == [module.NAME]
    assert len(table) > 0 and report.rows_accepted == len(table)
    pd.testing.assert_frame_equal(validate_tracks(table), table)


def test_read_recognises_each_format_in_a_folder(tmp_path):
    from tracks.reading import read

    _write(tmp_path, "trace_full_4ca2d6.json", _trace(TRACE_ENTRIES), gzipped=True)
    _write(tmp_path, "flight.igc", IGC_LOG)
    _write(tmp_path, "su30.gpx", GPX_11)
    _write(tmp_path, "mig.kml", KML_TEXT)
    _write(tmp_path, "feed.txt", SBS_LOG.replace("4CA2D6", "48AE01"))
    table, report = read(tmp_path)
    assert dict(zip([r.path.name for r in report.files], report.formats, strict=True)) == {
        "feed.txt": "sbs",
        "flight.igc": "igc",
        "mig.kml": "kml",
        "su30.gpx": "gpx",
        "trace_full_4ca2d6.json": "readsb-trace",
    }
    by_track = table.groupby("track_id")
    assert by_track.size().to_dict() == {
        "48ae01": 2, "4ca2d6-20250919T0930Z": 3, "4ca2d6-20250919T0930Z-2": 1, "D-1234": 2, "RA-12345": 3,
        "SU30": 2, "abcdef": 1, "mig": 1,
    }  # fmt: skip (the trace's fourth entry starts a new leg, flag 2: a flight of its own)
    trace = table[table["track_id"] == "4ca2d6-20250919T0930Z"]
    assert trace["alt_baro_m"].iloc[0] == 10668.0 and trace["callsign"].iloc[0] == "RYR1A"
    igc_fixes = table[table["track_id"] == "D-1234"]
    assert igc_fixes["time"].dt.day.tolist() == [19, 20]
    assert report.rows_read == 4 + 4 + 4 + 5 + 7


def test_read_aircraft_json_folder(tmp_path):
    from tracks.reading import read

    now = _unix(T0)
    fix = {"hex": "4ca2d6", "lat": 59.8, "lon": 24.3, "alt_baro": 35000}
    for k in range(3):  # the position is updated every other second
        seen_pos = [0.0, 1.0, 0.0][k]
        lon = [24.3, 24.3, 24.32][k]
        aircraft = [{**fix, "lon": lon, "seen_pos": seen_pos}]
        _write(tmp_path, f"history_{k}.json", _snapshot(now + k, aircraft))
    table, report = read(tmp_path, format="aircraft-json")
    assert table["time"].tolist() == [T0, T0 + pd.Timedelta(seconds=2)]
    assert table["lon"].tolist() == [24.3, 24.32]
    assert report.rejected == {"duplicate (aircraft, time)": 1}


def test_latin1_after_a_byte_order_mark_is_noted_at_its_line():
    from pathlib import Path

    from tracks.formats._common import decoded_text

    report = TrackReadReport(path=Path("states.json"))
    text = decoded_text(b"\xef\xbb\xbf" + "[1,\n\"Zürich\"]".encode("latin-1"), report.path, report)
    assert text == "[1,\n\"Zürich\"]"
    assert report.notes == ["not UTF-8 (first at line 2): read as Latin-1"]
