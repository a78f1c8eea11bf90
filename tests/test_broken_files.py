"""A catalogue of broken files, in every format airwarden reads, each with its expected outcome.

Every file is written here (in ``tmp_path``). Its outcome is one of:

- :class:`Refused`: :class:`tracks.errors.ReadError` (the project's own
  error), one line, starting with the file's path and, where the file has
  one, the line (``path:12: ...``); the words of the message are checked too.
  On the command line: exit status 2, one line on stderr, no traceback.
- :class:`Read`: the file is read; the rows rejected, by reason, are exactly
  those given, and the accounting holds (rows read = accepted + rejected).
  On the command line: exit status 0 and each reason counted on stderr.
"""

import gzip
import io
import json
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest
import shapely

from airspace import read as read_airspace
from airspace import write as write_airspace
from detect.events_io import read_events, write_events
from tests.cli_runs import run
from tests.fuzz_readers import IGC, KML, _events_table, _tracks_table
from tracks.errors import ReadError
from tracks.reading import read

T0 = 1758274200  # 2025-09-19T09:30:00Z


@dataclass(frozen=True)
class Refused:
    """The file is refused: a ReadError naming it (and `line`), with `words` in the message."""

    words: str
    line: int | None = None


@dataclass(frozen=True)
class Read:
    """The file is read, these rows rejected by reason (and `accepted` fixes or volumes kept)."""

    rejected: dict = field(default_factory=dict)
    accepted: int | None = None
    note: str | None = None


# --- contents ----------------------------------------------------------------------------

OPENSKY_HEADER = (
    "time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,baroaltitude,geoaltitude,lastposupdate\n"
)


def _opensky(*rows, header=OPENSKY_HEADER):
    """An OpenSky CSV: each row ``(seconds after T0, icao24, lat, lon)`` or a whole line of text."""
    lines = [header]
    for row in rows:
        if isinstance(row, str):
            lines.append(row)
        else:
            t, icao, lat, lon = row
            lines.append(f"{T0 + t},{icao},{lat},{lon},231.5,90.0,0.0,RYR1AB,False,10668.0,10972.8,{T0 + t}.0\n")
    return "".join(lines)


GOOD = [(0, "4CA2D6", 59.82, 24.35), (10, "4CA2D6", 59.83, 24.37)]
NATIVE_HEADER = "track_id,time,lon,lat,alt_baro_m,alt_geo_m\n"
NATIVE_GOOD = "SU30,2025-10-23T16:00:00Z,23.40,54.20,3000,\nSU30,2025-10-23T16:00:10Z,23.41,54.21,3000,\n"


def _traffic(*records):
    base = {"timestamp": T0 * 1000, "icao24": "4ca2d6", "latitude": 59.82, "longitude": 24.35,
            "altitude": 35000, "callsign": "RYR1AB", "onground": False}
    return [({**base, "timestamp": (T0 + 10 * k) * 1000, **r} if isinstance(r, dict) else r)
            for k, r in enumerate(records)]


def _states(*states, time=T0 + 10):
    return {"time": time, "states": list(states)}


STATE = ["4ca2d6", "RYR1A   ", "Ireland", T0 + 9, T0 + 10, 24.3, 59.8, 10668.0, False, 231.5, 90.0, 0.0, None,
         10972.8, "1000", False, 0]


def _state(**changes):
    state = list(STATE)
    fields = ("icao24", "callsign", "origin_country", "time_position", "last_contact", "lon", "lat")
    for name, value in changes.items():
        state[fields.index(name)] = value
    return state


def _trace(*entries, **header):
    return {"icao": "4CA2D6", "timestamp": T0, "trace": list(entries), **header}


ENTRY = [0, 59.8, 24.3, 35000, 450, 90.0, 0, 0, None, "adsb_icao", None, None, None, None]


def _snapshot(*aircraft, now=T0):
    return {"now": now, "aircraft": list(aircraft)}


AIRCRAFT = {"hex": "4ca2d6", "lat": 59.8, "lon": 24.3, "seen_pos": 1.5, "alt_baro": 35000}


def _sbs(*lines):
    return "".join(line + "\n" for line in lines)


SBS_FIX = "MSG,3,1,1,4CA2D6,1,2025/09/19,09:30:00.250,2025/09/19,09:30:00.250,,35000,,,59.8,24.3,,,0,0,0,0"
GPX_HEAD = '<?xml version="1.0"?>\n<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>\n'
GPX_POINT = '<trkpt lat="54.2" lon="23.4"><time>2025-10-23T16:00:00Z</time></trkpt>\n'
GPX_TAIL = "</trkseg></trk></gpx>\n"
OPENAIR_OK = (
    "AC R\nAN OK\nAL SFC\nAH FL95\nDP 59:42:00 N 026:00:00 E\nDP 59:42:00 N 026:36:00 E\nDP 59:57:00 N 026:36:00 E\n"
)


def _json(value):
    return json.dumps(value, ensure_ascii=False)


def _parquet(frame):
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _opensky_frame(**changes):
    frame = pd.read_csv(io.StringIO(_opensky(*GOOD)))
    return frame.assign(**changes)


def _broken_pandas_metadata(data):
    at = data.find(b"numpy_type")
    return data[:at] + b"numpy_typX" + data[at + len(b"numpy_type"):]


def _events_csv():
    buffer = io.StringIO()
    write_events(_events_table(), buffer, ending=".csv")
    return buffer.getvalue()


def _events_csv_with(line, column, value):
    """The events CSV with `value` in `column` on file line `line`."""
    frame = pd.read_csv(io.StringIO(_events_csv()), dtype=str, keep_default_na=False)
    frame.loc[line - 2, column] = value
    return frame.to_csv(index=False)


def _zones_geojson(**properties):
    feature = {"type": "Feature", "geometry": shapely.geometry.mapping(shapely.box(26, 59.7, 26.6, 59.95)),
               "properties": {"airspace_id": "EX-R1", "name": "box", "country": "EST", "kind": "restricted",
                              "floor_m": None, "floor_ref": "SFC", "ceiling_m": 2895.6, "ceiling_ref": "STD",
                              **properties}}
    return {"type": "FeatureCollection", "features": [feature]}


def _deep(levels=100_000):
    return "[" * levels + "]" * levels


# --- the catalogue -------------------------------------------------------------------------
# (id, file name, content: str, bytes or a callable giving them, kind, options, outcome)

CATALOGUE = [
    # OpenSky CSV
    ("opensky-empty", "s.csv", "", "tracks", {}, Refused("the file is empty", 1)),
    ("opensky-blank", "s.csv", "\n \n\t\n", "tracks", {}, Refused("the file is empty", 1)),
    ("opensky-header-only", "s.csv", OPENSKY_HEADER, "tracks", {}, Refused("a header and no data rows", 1)),
    ("opensky-nul", "s.csv", _opensky(*GOOD) + "17582\x00\x00\n", "tracks", {}, Refused("binary data", 4)),
    ("opensky-utf16", "s.csv", _opensky(*GOOD).encode("utf-16"), "tracks", {}, Refused("binary data", 1)),
    ("opensky-missing-column", "s.csv", "time,icao24,lon\n1,a,2\n", "tracks", {"format": "opensky"},
     Refused("missing column(s) 'lat'", 1)),
    ("opensky-semicolons", "s.csv", _opensky(*GOOD).replace(",", ";"), "tracks", {},
     Refused("separated by ';'", 1)),
    ("opensky-bad-time", "s.csv", _opensky(GOOD[0], "soon,4CA2D6,59.8,24.3,,,,,,,,\n"), "tracks", {},
     Read({"unparseable time": 1}, 1)),
    ("opensky-time-in-ms", "s.csv", _opensky(GOOD[0], f"{T0 * 1000},4CA2D6,59.8,24.3,,,,,,,,\n"), "tracks", {},
     Read({"unparseable time": 1}, 1)),
    ("opensky-bad-lat", "s.csv", _opensky(GOOD[0], (10, "4CA2D6", "north", 24.3)), "tracks", {},
     Read({"unparseable lon/lat": 1}, 1)),
    ("opensky-missing-lon", "s.csv", _opensky(GOOD[0], (10, "4CA2D6", 59.8, "")), "tracks", {},
     Read({"missing lon/lat": 1}, 1)),
    ("opensky-lat-95", "s.csv", _opensky(GOOD[0], (10, "4CA2D6", 95.0, 24.3)), "tracks", {},
     Read({"lon/lat out of range": 1}, 1)),
    ("opensky-lon-inf", "s.csv", _opensky(GOOD[0], (10, "4CA2D6", 59.8, "inf")), "tracks", {},
     Read({"lon/lat out of range": 1}, 1)),
    ("opensky-lon-nan-word", "s.csv", _opensky(GOOD[0], (10, "4CA2D6", 59.8, "NaN")), "tracks", {},
     Read({"missing lon/lat": 1}, 1)),
    ("opensky-duplicate", "s.csv", _opensky(*GOOD, GOOD[1]), "tracks", {},
     Read({"duplicate (aircraft, time)": 1}, 2)),
    ("opensky-conflicting-duplicate", "s.csv", _opensky(*GOOD, (10, "4CA2D6", 59.9, 24.4)), "tracks", {},
     Read({"conflicting duplicate (aircraft, time), other position": 1}, 2)),
    ("opensky-no-icao24", "s.csv", _opensky(GOOD[0], (10, "", 59.8, 24.3)), "tracks", {},
     Read({"missing aircraft id": 1}, 1)),
    ("opensky-blank-line", "s.csv", _opensky(GOOD[0], "\n", GOOD[1]), "tracks", {},
     Read({"empty line or no values": 1}, 2)),
    ("opensky-line-of-commas", "s.csv", _opensky(GOOD[0], ",,,,,,,,,,,\n", GOOD[1]), "tracks", {},
     Read({"empty line or no values": 1}, 2)),
    ("opensky-cut-short", "s.csv", _opensky(*GOOD, f"{T0 + 20},4CA2D6,59.8"), "tracks", {},
     Read({"missing lon/lat": 1}, 2)),
    ("opensky-extra-field", "s.csv", _opensky(GOOD[0], _opensky(GOOD[1], header="")[:-1] + ",extra\n"), "tracks",
     {}, Refused("a line with more fields than the header's 12", 3)),
    ("opensky-open-quote", "s.csv", _opensky(GOOD[0], f'{T0 + 10},4CA2D6,59.8,24.3,1,1,1,"RYR,False,1,1,1\n'),
     "tracks", {}, Refused("EOF inside string", 3)),
    ("opensky-latin1-callsign", "s.csv", _opensky(*GOOD).replace("RYR1AB", "R\xe9R1AB").encode("latin-1"),
     "tracks", {}, Read({}, 2, "read as Latin-1")),
    ("opensky-bom", "s.csv", b"\xef\xbb\xbf" + _opensky(*GOOD).encode(), "tracks", {}, Read({}, 2)),
    ("opensky-crlf", "s.csv", _opensky(*GOOD).replace("\n", "\r\n"), "tracks", {}, Read({}, 2)),
    ("opensky-nan-time-position-known", "s.csv",
     _opensky(GOOD[0], f",4CA2D6,59.83,24.37,231.5,90.0,0.0,RYR1AB,False,10668.0,10972.8,{T0 + 10}.0\n"),
     "tracks", {}, Read({}, 2)),
    ("opensky-no-time-at-all", "s.csv", _opensky(GOOD[0], ",4CA2D6,59.83,24.37,,,,,,,,\n"), "tracks", {},
     Read({"no time": 1}, 1)),
    ("opensky-infinite-altitude", "s.csv",
     _opensky(GOOD[0], f"{T0 + 10},4CA2D6,59.83,24.37,inf,-inf,0,RYR1AB,False,inf,1e400,\n"), "tracks", {},
     Read({}, 2, "infinite alt_baro_m value(s) set to NaN")),
    ("opensky-unknown-onground", "s.csv", _opensky(GOOD[0], f"{T0 + 10},4CA2D6,59.8,24.3,1,1,1,R,maybe,1,1,\n"),
     "tracks", {}, Read({}, 2)),
    ("opensky-gzip-cut", "s.csv.gz", gzip.compress(_opensky(*GOOD * 50).encode())[:-30], "tracks", {},
     Refused("truncated or corrupt gzip data")),
    ("opensky-gzip-of-nothing", "s.csv.gz", gzip.compress(b""), "tracks", {},
     Refused("the file is empty (once decompressed)", 1)),
    ("opensky-several-faults", "s.csv",
     _opensky(GOOD[0], "soon,,north,,,,,,,,,\n", (20, "", 59.8, 24.3), (30, "4CA2D6", 91, 24.3)), "tracks", {},
     Read({"unparseable time": 1, "missing aircraft id": 1, "lon/lat out of range": 1}, 1)),
    # OpenSky Parquet
    ("opensky-parquet-cut", "s.parquet", lambda: _parquet(_opensky_frame())[:-100], "tracks", {"format": "opensky"},
     Refused("not a readable Parquet file")),
    ("opensky-parquet-missing-column", "s.parquet", lambda: _parquet(_opensky_frame().drop(columns="lat")),
     "tracks", {"format": "opensky"}, Refused("missing column(s) 'lat'", 1)),
    ("opensky-parquet-broken-metadata", "s.parquet", lambda: _broken_pandas_metadata(_parquet(_opensky_frame())),
     "tracks", {}, Read({}, 2)),
    ("opensky-parquet-no-rows", "s.parquet", lambda: _parquet(_opensky_frame().iloc[:0]), "tracks",
     {"format": "opensky"}, Refused("no rows")),
    ("opensky-parquet-nan-lat", "s.parquet", lambda: _parquet(_opensky_frame(lat=[59.8, np.nan])), "tracks", {},
     Read({"missing lon/lat": 1}, 1)),
    ("opensky-parquet-inf-speed", "s.parquet", lambda: _parquet(_opensky_frame(velocity=[np.inf, 1.0])),
     "tracks", {}, Read({}, 2, "infinite ground_speed_mps")),
    # traffic
    ("traffic-json-null-record", "t.json", _json(_traffic({}, None, {})), "tracks", {},
     Read({"malformed record (not an object)": 1}, 2)),
    ("traffic-json-list-record", "t.json", _json(_traffic({}, [1, 2])), "tracks", {},
     Read({"malformed record (not an object)": 1}, 1)),
    ("traffic-jsonl-list-line", "t.jsonl", "".join(_json(r) + "\n" for r in _traffic({}, [1, 2], {})), "tracks",
     {}, Read({"malformed record (not an object)": 1}, 2)),
    ("traffic-jsonl-bad-line", "t.jsonl", _json(_traffic({})[0]) + "\n{oops\n", "tracks", {},
     Refused("not valid JSON", 2)),
    ("traffic-json-deep", "t.json", '[{"timestamp": 1, "icao24": "a", "latitude": 1, "longitude": 2, "x": '
     + _deep() + "}]", "tracks", {"format": "traffic"}, Refused("nested too deep", 1)),
    ("traffic-json-icao24-list", "t.json", _json(_traffic({}, {"icao24": ["4ca2d6"]})), "tracks", {},
     Read({"missing aircraft id": 1}, 1)),
    ("traffic-json-callsign-object", "t.json", _json(_traffic({}, {"callsign": {"a": 1}})), "tracks", {},
     Read({}, 2, "callsign value(s) are JSON arrays or objects")),
    ("traffic-json-onground-list", "t.json", _json(_traffic({}, {"onground": [True]})), "tracks", {},
     Read({}, 2)),
    ("traffic-json-iso-among-ms", "t.json", _json(_traffic({}, {"timestamp": "2025-09-19T09:30:10Z"}, {})),
     "tracks", {}, Read({}, 3)),
    ("traffic-json-timestamp-bool", "t.json", _json(_traffic({}, {"timestamp": True})), "tracks", {},
     Read({"unparseable time": 1}, 1)),
    ("traffic-json-bom", "t.json", b"\xef\xbb\xbf" + _json(_traffic({}, {})).encode(), "tracks", {}, Read({}, 2)),
    ("traffic-json-latin1", "t.json", _json(_traffic({"callsign": "R\xe9R"})).encode("latin-1"), "tracks", {},
     Read({}, 1, "read as Latin-1")),
    ("traffic-json-no-records", "t.json", "[]", "tracks", {"format": "traffic"}, Refused("no records", 1)),
    ("traffic-jsonl-missing-field", "t.jsonl", '{"timestamp": 1, "icao24": "a"}\n{"timestamp": 2}\n', "tracks",
     {"format": "traffic"}, Refused("missing field(s) 'latitude', 'longitude'", 1)),
    ("traffic-json-cut", "t.json", _json(_traffic({}, {}))[:60], "tracks", {"format": "traffic"},
     Refused("cut short", 1)),
    ("traffic-csv-bad-iso", "t.csv", "timestamp,icao24,latitude,longitude\n2025-09-19T09:30:00Z,4ca2d6,59.8,24.3\n"
     "2025-13-45T99:00:00Z,4ca2d6,59.8,24.3\n", "tracks", {}, Read({"unparseable time": 1}, 1)),
    ("traffic-parquet-format-given", "t.parquet",
     lambda: _parquet(pd.DataFrame(_traffic({}, {})).assign(timestamp=lambda f: pd.to_datetime(
         f["timestamp"], unit="ms", utc=True))), "tracks", {"format": "traffic"}, Read({}, 2)),
    ("traffic-parquet-naive-times", "t.parquet",
     lambda: _parquet(pd.DataFrame(_traffic({}, {})).assign(timestamp=lambda f: pd.to_datetime(
         f["timestamp"], unit="ms"))), "tracks", {}, Read({}, 2, "without a time zone")),
    # OpenSky REST snapshots
    ("states-null-state", "s.json", _json(_states(STATE, None)), "tracks", {},
     Read({"malformed state (not a list)": 1}, 1)),
    ("states-text-state", "s.json", _json(_states("4ca2d6", STATE)), "tracks", {},
     Read({"malformed state (not a list)": 1}, 1)),
    ("states-no-time-position", "s.json", _json(_states(STATE, _state(icao24="abcdef", time_position=None))),
     "tracks", {}, Read({"no time_position": 1}, 1)),
    ("states-not-a-list", "s.json", _json({"time": T0, "states": {"a": 1}}), "tracks", {},
     Refused("'states' is not a list", 1)),
    ("states-null-states", "s.json", _json({"time": T0, "states": None}), "tracks", {}, Read({}, 0)),
    ("states-lines-bad-line", "s.json", _json(_states(STATE)) + "\n{bad\n", "tracks", {},
     Refused("not valid JSON", 2)),
    ("states-lines-not-object", "s.json", _json(_states(STATE)) + "\n[1]\n", "tracks", {"format": "opensky-json"},
     Refused("not an OpenSky snapshot", 2)),
    ("states-latin1", "s.json", _json(_states(_state(callsign="R\xe9R"))).encode("latin-1"), "tracks", {},
     Read({}, 1, "read as Latin-1")),
    ("states-lines-latin1", "s.json", (_json(_states(STATE)) + "\n" + _json(_states(_state(
        callsign="\xe9", time_position=T0 + 19), time=T0 + 20))).encode("latin-1"), "tracks", {}, Read({}, 2)),
    ("states-bom", "s.json", b"\xef\xbb\xbf" + _json(_states(STATE)).encode(), "tracks", {}, Read({}, 1)),
    ("states-lines-bom", "s.json", b"\xef\xbb\xbf" + (_json(_states(STATE)) + "\n" + _json(_states(STATE))).encode(),
     "tracks", {}, Read({"duplicate (aircraft, time)": 1}, 1)),
    ("states-icao24-list", "s.json", _json(_states(STATE, _state(icao24=["x"]))), "tracks", {},
     Read({"missing aircraft id": 1}, 1)),
    ("states-deep", "s.json", '{"time": 1, "states": ' + _deep() + "}", "tracks", {}, Refused("nested too deep")),
    ("states-cut", "s.json", _json(_states(STATE))[:70], "tracks", {}, Refused("cut short", 1)),
    ("states-array", "s.json", "[1, 2]", "tracks", {"format": "opensky-json"},
     Refused("not an OpenSky snapshot", 1)),
    # readsb traces
    ("trace-junk-entry", "trace.json", _json(_trace(ENTRY, "junk")), "tracks", {},
     Read({"malformed trace entry (not a list of at least 8 fields)": 1}, 1)),
    ("trace-short-entry", "trace.json", _json(_trace(ENTRY, [10, 59.8, 24.3])), "tracks", {},
     Read({"malformed trace entry (not a list of at least 8 fields)": 1}, 1)),
    ("trace-no-dt", "trace.json", _json(_trace(ENTRY, [None, *ENTRY[1:]])), "tracks", {},
     Read({"unparseable time (dt not a number)": 1}, 1)),
    ("trace-bad-altitude", "trace.json", _json(_trace(ENTRY, [10, 59.8, 24.3, "high", *ENTRY[4:]])), "tracks", {},
     Read({"unparseable altitude": 1}, 1)),
    ("trace-lat-91", "trace.json", _json(_trace(ENTRY, [10, 91, 24.3, *ENTRY[3:]])), "tracks", {},
     Read({"lon/lat out of range": 1}, 1)),
    ("trace-infinite-speed", "trace.json", _json(_trace([10, 59.8, 24.3, 1000, 1e400, *ENTRY[5:]])), "tracks", {},
     Read({}, 1, "infinite ground_speed_mps")),
    ("trace-no-timestamp", "trace.json", '{"icao": "4ca2d6", "trace": []}', "tracks", {"format": "readsb-trace"},
     Refused("'timestamp' is not unix seconds", 1)),
    ("trace-not-a-list", "trace.json", _json(_trace()).replace("[]", "{}"), "tracks", {},
     Refused("'trace' is not a list", 1)),
    ("trace-cut", "trace.json", '{"icao": "4ca2d6", "timestamp": 1758274200, "trace": [[0, 59.8,\n24.3', "tracks",
     {}, Refused("cut short", 2)),
    ("trace-deep", "trace.json", '{"icao": "4ca2d6", "timestamp": 1, "trace": ' + _deep() + "}", "tracks", {},
     Refused("nested too deep", 1)),
    # aircraft.json
    ("aircraft-not-object", "aircraft.json", _json(_snapshot(AIRCRAFT, "x")), "tracks", {},
     Read({"malformed aircraft entry (not an object)": 1}, 1)),
    ("aircraft-no-seen-pos", "aircraft.json", _json(_snapshot(AIRCRAFT, {**AIRCRAFT, "hex": "abcdef",
                                                                          "seen_pos": None})), "tracks", {},
     Read({"no seen_pos (age of the position unknown)": 1}, 1)),
    ("aircraft-no-hex", "aircraft.json", _json(_snapshot(AIRCRAFT, {**AIRCRAFT, "hex": 5})), "tracks", {},
     Read({"no hex (aircraft address)": 1}, 1)),
    ("aircraft-no-now", "aircraft.json", '{"now": "soon", "aircraft": []}', "tracks", {},
     Refused("'now' is not unix time", 1)),
    ("aircraft-not-a-list", "aircraft.json", '{"now": 1, "aircraft": 5}', "tracks", {},
     Refused("'aircraft' is not a list", 1)),
    # SBS
    ("sbs-garbage-line", "feed.sbs", _sbs(SBS_FIX, "this is not an SBS line"), "tracks", {"format": "sbs"},
     Read({"not an SBS message": 1}, 1)),
    ("sbs-binary", "feed.sbs", _sbs(SBS_FIX) + "\x00\x01", "tracks", {}, Refused("binary data", 2)),
    ("sbs-empty", "feed.sbs", "", "tracks", {"format": "sbs"}, Refused("the file is empty", 1)),
    # IGC
    ("igc-no-fixes", "f.igc", "AXXXABC\nHFDTE190925\nLXXX no fixes\n", "tracks", {},
     Refused("no B records", 3)),
    ("igc-no-date", "f.igc", "AXXXABC\nB2359585206343N00006198WA0058700612\n", "tracks", {},
     Refused("no HFDTE record", 1)),
    ("igc-impossible-date", "f.igc", "AXXXABC\nHFDTE320925\nB2359585206343N00006198WA0058700612\n", "tracks", {},
     Refused("impossible date", 2)),
    ("igc-v-fix", "f.igc", IGC + "B0000045206343N00006198WV0058700612\n", "tracks", {},
     Read({"V fix (no valid GPS fix)": 1}, 3)),
    ("igc-garbage-b", "f.igc", IGC + "Bgarbage\n", "tracks", {}, Read({"unparseable B record": 1}, 3)),
    ("igc-binary", "f.igc", "AXXXABC\nHFDTE190925\n\x00\x01", "tracks", {}, Refused("binary data", 3)),
    ("igc-lad-not-digits", "f.igc", IGC.replace("0201\r\n", "02x1\r\n", 1), "tracks", {},
     Read({}, 3, "without the declared extra latitude digits")),
    # GPX, KML, GeoJSON tracks
    ("gpx-malformed", "f.gpx", GPX_HEAD + "<trkpt lat=>\n" + GPX_TAIL, "tracks", {}, Refused("not well-formed", 3)),
    ("gpx-cut", "f.gpx", GPX_HEAD + GPX_POINT[:30], "tracks", {}, Refused("cut short")),
    ("gpx-entity", "f.gpx", '<?xml version="1.0"?>\n<!DOCTYPE gpx [<!ENTITY a "aaaa">]>\n<gpx></gpx>', "tracks",
     {"format": "gpx"}, Refused("entity declarations are not read", 2)),
    ("gpx-bad-lat", "f.gpx", GPX_HEAD + GPX_POINT + GPX_POINT.replace('lat="54.2"', 'lat="north"').replace(
        "16:00:00", "16:00:10") + GPX_TAIL, "tracks", {}, Read({"missing or unparseable lat/lon": 1}, 1)),
    ("gpx-no-time", "f.gpx", GPX_HEAD + GPX_POINT + '<trkpt lat="54.2" lon="23.4"></trkpt>\n' + GPX_TAIL, "tracks",
     {}, Read({"no time": 1}, 1)),
    ("gpx-bad-time", "f.gpx", GPX_HEAD + GPX_POINT + GPX_POINT.replace("2025-10-23T16:00:00Z", "noon") + GPX_TAIL,
     "tracks", {}, Read({"unparseable time": 1}, 1)),
    ("kml-malformed", "f.kml", KML.replace("</gx:Track>", "</gx:Trak>"), "tracks", {}, Refused("not well-formed", 7)),
    ("kml-more-times-than-coords", "f.kml", KML.replace("<gx:coord>24.37 59.82 9100.5</gx:coord>", ""), "tracks",
     {}, Refused("<when> times but 1 <gx:coord> positions", 7)),
    ("kml-bad-time", "f.kml", KML.replace("2025-09-19T09:30:10Z", "later"), "tracks", {},
     Read({"unparseable time": 1}, 1)),
    ("geojson-cut", "t.geojson", '{"type": "FeatureCollection",\n"features": [{"type": "Feature", "geometry"',
     "tracks", {}, Refused("not valid JSON", 2)),
    ("geojson-topology", "t.geojson", '{"type": "Topology", "objects": {}}', "tracks", {"format": "geojson"},
     Refused("", 1)),
    # the tracks-table layout, CSV and Parquet
    ("native-empty-track-id", "t.csv", NATIVE_HEADER + NATIVE_GOOD + ",2025-10-23T16:00:20Z,23.4,54.2,,\n",
     "tracks", {}, Read({"empty track_id": 1}, 2)),
    ("native-bad-time", "t.csv", NATIVE_HEADER + NATIVE_GOOD + "SU30,yesterday,23.4,54.2,,\n", "tracks", {},
     Read({"unparseable time": 1}, 2)),
    ("native-bad-altitude", "t.csv", NATIVE_HEADER + NATIVE_GOOD + "SU30,2025-10-23T16:00:20Z,23.4,54.2,high,\n",
     "tracks", {}, Read({"unparseable altitude": 1}, 2)),
    ("native-too-many-fields", "t.csv", NATIVE_HEADER + NATIVE_GOOD + "SU30,2025-10-23T16:00:20Z,1,2,3,4,5\n",
     "tracks", {}, Refused("7 fields, the header has 6", 4)),
    ("native-cut-short", "t.csv", NATIVE_HEADER + NATIVE_GOOD + "SU30,2025-10-23T16:00:20Z,23.4", "tracks", {},
     Refused("the last line is cut short", 4)),
    ("native-open-quote", "t.csv", NATIVE_HEADER + NATIVE_GOOD + '"SU30,2025-10-23T16:00:20Z,23.4,54.2,,\n',
     "tracks", {}, Refused("a quote", 4)),
    ("native-stray-cr", "t.csv", NATIVE_HEADER + "SU30,2025-10-23T16:00:00Z,23.4\r,54.2,,\n", "tracks",
     {"format": "airwarden"}, Refused("a carriage return", 2)),
    ("native-no-header", "t.csv", NATIVE_GOOD, "tracks", {"format": "airwarden"}, Refused("no header", 1)),
    ("native-column-twice", "t.csv", "track_id,time,lon,lat,lat\nA,2025-10-23T16:00:00Z,1,2,3\n", "tracks", {},
     Refused("appears more than once", 1)),
    ("native-not-utf8", "t.csv", (NATIVE_HEADER + NATIVE_GOOD + "S\xe930,2025-10-23T16:00:30Z,1,2,,\n").encode(
        "latin-1"), "tracks", {}, Refused("not UTF-8", 4)),
    ("native-header-only", "t.csv", NATIVE_HEADER, "tracks", {}, Refused("a header and no data rows", 1)),
    ("native-unknown-on-ground", "t.csv", "track_id,time,lon,lat,on_ground\nA,2025-10-23T16:00:00Z,1,2,maybe\n",
     "tracks", {}, Read({}, 1, "unreadable on_ground value(s) read as unknown")),
    ("native-parquet-text-time", "t.parquet", lambda: _parquet(_tracks_table().assign(time="noon")), "tracks", {},
     Refused("column 'time' holds")),
    ("native-parquet-text-lon", "t.parquet", lambda: _parquet(_tracks_table().assign(lon="east")), "tracks", {},
     Refused("column 'lon' holds")),
    ("native-parquet-no-track-id", "t.parquet", lambda: _parquet(_tracks_table().assign(
        track_id=["4ca2d6", None, "4ca2d6", ""])), "tracks", {}, Read({"empty track_id": 2}, 2)),
    ("native-parquet-cut", "t.parquet", lambda: _parquet(_tracks_table())[:-200], "tracks", {"format": "airwarden"},
     Refused("not a readable Parquet file")),
    # any CSV with a mapping, FR24
    ("csv-no-mapping", "r.csv", "a,b\n1,2\n", "tracks", {"format": "csv"}, Refused("needs a column mapping")),
    ("csv-unknown-unit", "r.csv", "ts,x,y\n1,2,3\n", "tracks",
     {"columns": {"time": "ts", "lon": "x", "lat": "y"}, "units": {"time": "fortnights"}},
     Refused("unknown unit 'fortnights'")),
    ("csv-mapped-column-missing", "r.csv", "ts,x\n1,2\n", "tracks", {"columns": {"time": "ts", "lon": "x",
                                                                                "lat": "y"}},
     Refused("missing column(s) 'y'", 1)),
    ("csv-column-twice", "r.csv", "ts,x,y,y\n1,2,3,4\n", "tracks", {"columns": {"time": "ts", "lon": "x",
                                                                              "lat": "y"}},
     Refused("a column name appears twice", 1)),
    ("csv-fewer-fields", "r.csv", f"ts,x,y,alt\n{T0},24.3,59.8,1000\n{T0 + 1},24.3\n", "tracks",
     {"columns": {"time": "ts", "lon": "x", "lat": "y", "alt_baro": "alt"}}, Read({"missing lon/lat": 1}, 1)),
    ("fr24-bad-position", "f.csv", "Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction\n"
     f'{T0},2025-09-19T09:30:00Z,RYR1AB,"59.82,24.35",35000,450,90\n'
     f'{T0 + 10},2025-09-19T09:30:10Z,RYR1AB,"north,24.38",35000,450,90\n', "tracks", {},
     Read({"unparseable lon/lat": 1}, 1)),
    # not a track format at all
    ("unknown-format", "notes.csv", "hello,world\n1,2\n", "tracks", {}, Refused("cannot recognise the format")),
    ("unknown-format-name", "notes.csv", "hello\n", "tracks", {"format": "nope"}, None),
    # OpenAir
    ("openair-no-ac", "z.txt", "* just a comment\nAN nothing\n", "airspace", {"format": "openair"},
     Refused("no AC record")),
    ("openair-empty", "z.txt", "", "airspace", {}, Refused("the file is empty")),
    ("openair-bad-coordinate", "z.txt", OPENAIR_OK + "\n" + OPENAIR_OK.replace("DP 59:42:00 N 026:00:00 E",
                                                                               "DP 99:99 X"), "airspace", {},
     Read({"bad coordinate": 1}, 1)),
    ("openair-missing-limit", "z.txt", OPENAIR_OK + "\n" + OPENAIR_OK.replace("AH FL95\n", ""), "airspace", {},
     Read({"missing limit": 1}, 1)),
    ("openair-around-the-pole", "z.txt", OPENAIR_OK + "\nAC R\nAN P\nAL SFC\nAH UNL\nV X=89:30:00 N 000:00:00 E\n"
     "DC 60\n", "airspace", {}, Read({"around a pole": 1}, 1)),
    ("openair-outline-round-the-pole", "z.txt", OPENAIR_OK + "\nAC R\nAN P\nAL SFC\nAH UNL\n"
     + "".join(f"DP 80:00:00 S {abs(lon):03d}:00:00 {'E' if lon >= 0 else 'W'}\n" for lon in range(-170, 180, 30)),
     "airspace", {}, Read({"around a pole": 1}, 1)),
    ("openair-fewer-than-3-points", "z.txt", "AC R\nAN A\nAL SFC\nAH FL95\nDP 59:42:00 N 026:00:00 E\n", "airspace",
     {}, Read({"fewer than 3 points": 1}, 0)),
    # airspace vector files
    ("zones-geojson-cut", "z.geojson", _json(_zones_geojson())[:80], "airspace", {},
     Refused("cannot read as a vector file")),
    ("zones-geojson-null-geometry", "z.geojson", _json({"type": "FeatureCollection", "features": [
        *_zones_geojson()["features"], {**_zones_geojson()["features"][0], "geometry": None}]}), "airspace", {},
     Read({"no geometry": 1}, 1)),
    ("zones-geojson-nan-coordinate", "z.geojson", _json(_zones_geojson()).replace("59.95]", "NaN]", 1), "airspace",
     {}, Read({"coordinates not finite": 1}, 0)),
    ("zones-geojson-bad-floor-ref", "z.geojson", _json(_zones_geojson(floor_ref="DEEP")), "airspace", {},
     Refused("column 'floor_ref'")),
    ("zones-parquet-cut", "z.parquet", lambda: write_airspace_bytes()[:-100], "airspace", {},
     Refused("cannot read as GeoParquet")),
    ("zones-empty", "z.geojson", "", "airspace", {}, Refused("the file is empty")),
    # events files
    ("events-bad-time", "e.csv", lambda: _events_csv_with(2, "entry_time", "2025-13-45T00:00:00Z"), "events", {},
     Refused("column 'entry_time'", 2)),
    ("events-bad-number", "e.csv", lambda: _events_csv_with(3, "max_alt_m", "high"), "events", {},
     Refused("column 'max_alt_m': 'high' is not a number", 3)),
    ("events-not-whole-fixes", "e.csv", lambda: _events_csv_with(2, "n_fixes", "2.5"), "events", {},
     Refused("is not a whole number", 2)),
    ("events-bad-flag", "e.csv", lambda: _events_csv_with(3, "suspect", "maybe"), "events", {},
     Refused("is not true or false", 3)),
    ("events-exit-before-entry", "e.csv", lambda: _events_csv_with(2, "exit_time", "2025-09-19T09:00:00Z"),
     "events", {}, Refused("bad value in column 'exit_time'")),
    ("events-unknown-face", "e.csv", lambda: _events_csv_with(2, "entry_face", "roof"), "events", {},
     Refused("bad value in column 'entry_face'")),
    ("events-missing-column", "e.csv", "track_id,entry_time\nA,2025-01-01T00:00:00Z\n", "events", {},
     Refused("not an events table")),
    ("events-json-not-list", "e.json", '{"a": 1}', "events", {}, Refused("cannot read as events")),
    ("events-json-wrong-type", "e.json", lambda: json.dumps([{**json.loads(_events_json())[0], "duration_s": [1]}]),
     "events", {}, Refused("record 1: column 'duration_s'")),
    ("events-json-deep", "e.json", _deep(), "events", {}, Refused("cannot read as events")),
    ("events-json-cut", "e.json", lambda: _events_json()[:100], "events", {}, Refused("cannot read as events")),
    ("events-geojson-cut", "e.geojson", lambda: _events_geojson()[:100], "events", {},
     Refused("cannot read as events")),
    ("events-parquet-cut", "e.parquet", lambda: _parquet(_events_table())[:-100], "events", {},
     Refused("cannot read as events")),
    ("events-csv-open-quote", "e.csv", lambda: _events_csv().replace("4ca2d6", '"4ca2d6', 1), "events", {},
     Refused("cannot read as events")),
]


def _events_json():
    return _write_events_text(".json")


def _events_geojson():
    return _write_events_text(".geojson")


def _write_events_text(ending):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        return write_events(_events_table(), Path(folder, "e" + ending)).read_text()


def write_airspace_bytes():
    import tempfile
    from pathlib import Path

    zones = read_airspace_from_text(_json(_zones_geojson()))
    with tempfile.TemporaryDirectory() as folder:
        return write_airspace(zones, Path(folder, "z.parquet")).read_bytes()


def read_airspace_from_text(text):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "z.geojson")
        path.write_text(text)
        return read_airspace(path)[0]


def _write(tmp_path, name, content):
    content = content() if callable(content) else content
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def _read(kind, path, options):
    """Read `path`; the number kept and the rows rejected by reason (checking the accounting)."""
    if kind == "tracks":
        table, report = read(path, **options)
        for one in report.files:
            assert one.rows_read == one.rows_accepted + one.rows_rejected
        return len(table), report.rejected, [note for one in report.files for note in one.notes]
    if kind == "airspace":
        table, report = read_airspace(path, **options)
        if report.openair is not None:
            openair = report.openair
            assert openair.blocks_read == openair.blocks_accepted + openair.blocks_rejected + openair.blocks_skipped
            return len(table), openair.rejected, openair.notes
        assert report.rows_read == report.rows + sum(report.rejected.values())
        return len(table), report.rejected, report.notes
    return len(read_events(path, **options)), {}, []


def _ids(entry):
    return entry[0]


def test_the_catalogue_is_large_and_covers_every_format():
    from tracks.formats import format_names

    assert len(CATALOGUE) >= 100
    assert len({entry[0] for entry in CATALOGUE}) == len(CATALOGUE)
    kinds = {entry[3] for entry in CATALOGUE}
    assert kinds == {"tracks", "airspace", "events"}
    prefixes = {entry[0].split("-")[0] for entry in CATALOGUE}
    formats = {"opensky": "opensky", "traffic": "traffic", "states": "opensky-json", "trace": "readsb-trace",
               "aircraft": "aircraft-json", "sbs": "sbs", "igc": "igc", "gpx": "gpx", "kml": "kml",
               "geojson": "geojson", "native": "airwarden", "csv": "csv", "fr24": "fr24"}
    assert {formats[prefix] for prefix in prefixes if prefix in formats} == set(format_names())


@pytest.mark.parametrize("entry", CATALOGUE, ids=_ids)
def test_a_broken_file_gives_its_expected_outcome(tmp_path, entry):
    _, name, content, kind, options, outcome = entry
    path = _write(tmp_path, name, content)
    if outcome is None:  # a bad option, not a bad file: a plain ValueError naming the choices
        with pytest.raises(ValueError, match="unknown format 'nope'"):
            _read(kind, path, options)
        return
    if isinstance(outcome, Refused):
        with pytest.raises(ReadError) as caught:
            _read(kind, path, options)
        message = str(caught.value)
        where = f"{path}:{outcome.line}:" if outcome.line else f"{path}"
        assert message.startswith(where), message
        assert outcome.words in message, message
        assert "\n" not in message
        return
    kept, rejected, notes = _read(kind, path, options)
    assert rejected == outcome.rejected
    if outcome.accepted is not None:
        assert kept == outcome.accepted
    if outcome.note is not None:
        assert any(outcome.note in note for note in notes), notes


CLI_SUBSET = [
    "opensky-empty", "opensky-header-only", "opensky-extra-field", "opensky-open-quote", "opensky-gzip-cut",
    "opensky-parquet-cut", "traffic-jsonl-bad-line", "traffic-json-deep", "states-deep", "trace-cut",
    "igc-no-date", "gpx-malformed", "native-too-many-fields", "native-not-utf8", "native-parquet-text-time",
    "csv-no-mapping", "unknown-format", "openair-no-ac", "zones-geojson-cut", "zones-geojson-bad-floor-ref",
    "events-bad-time", "events-json-wrong-type", "events-parquet-cut", "events-exit-before-entry",
    "opensky-bad-time", "states-null-state", "traffic-json-null-record", "native-empty-track-id",
    "openair-around-the-pole", "zones-geojson-null-geometry",
]
_BY_ID = {entry[0]: entry for entry in CATALOGUE}
_FLAGS = {"format": "--format", "delimiter": "--delimiter"}


def _command(kind, path, options, tmp_path):
    """The command that reads a file of this kind, with its reading options."""
    if kind == "tracks":
        args = ["tracks", path, "--out", tmp_path / "out.parquet"]
        for name, value in options.items():
            if name in _FLAGS:
                args += [_FLAGS[name], value]
            elif name == "columns":
                args += [arg for target, column in value.items() for arg in ("--column", f"{target}={column}")]
            elif name == "units":
                args += [arg for target, unit in value.items() for arg in ("--unit", f"{target}={unit}")]
        return args
    if kind == "airspace":
        return ["airspace", "--file", path, "--out", tmp_path / "out.geojson"]
    tracks = tmp_path / "tracks.csv"
    tracks.write_text("track_id,time,lon,lat\nA,2025-09-19T09:30:00Z,24,59\n")
    zones = tmp_path / "zones.geojson"
    zones.write_text(_json(_zones_geojson()))
    return ["map", path, "--tracks", tracks, "--airspace", zones, "--out-dir", tmp_path / "maps"]


@pytest.mark.parametrize("name", CLI_SUBSET)
def test_the_command_line_says_it_in_one_line_with_status_2_or_counts_the_rows(tmp_path, name):
    _, file_name, content, kind, options, outcome = _BY_ID[name]
    path = _write(tmp_path, file_name, content)
    result = run(*_command(kind, path, options, tmp_path))
    assert "Traceback" not in result.output + result.stderr
    if isinstance(outcome, Refused):
        assert result.exit_code == 2, result.stderr
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1, result.stderr
        assert errors[0].startswith(f"Error: {path}") and outcome.words in errors[0], errors[0]
        assert result.stderr.rstrip().endswith(errors[0])
    else:
        assert result.exit_code in (0, 2), result.stderr  # 2 only for a file with no usable volume left
        for reason, count in outcome.rejected.items():
            assert re.search(rf"rejected {count}: {re.escape(reason)}", result.stderr), result.stderr
