"""Fuzzing the readers: seeded random mutations of small valid files, each read with a time limit.

Every reader of airwarden (the track formats, airspace files, events files)
is fed mutants of small valid files of its format: bytes flipped, the file
cut short, lines repeated, shuffled or dropped, fields swapped, numbers
made huge, infinite or odd, JSON values of the wrong type, JSON nested
100,000 deep, a byte-order mark, Latin-1 or UTF-16 text, gzip cut short.
Each mutant must either be read, with the accounting holding (rows read =
accepted + rejected by reason) and a table that passes its validator, or
be refused by the project's own error (:class:`tracks.errors.ReadError`) in
one line that names the file. Anything else is a failure: another
exception (a traceback for the user), an error that does not name the file,
a table that does not validate, or a read that takes longer than the time
limit.

Run it from the repository root::

    python3 tests/fuzz_readers.py --mutants 10000 --seed 1
    python3 tests/fuzz_readers.py --mutants 500 --seed 2 --reader opensky.csv --reader zones.txt

It prints the counts: mutants, accepted, refused (by kind of error), and the
failures by kind (each should be 0), with the first few failing mutants
kept in a folder to look at. ``tests/test_fuzz_readers.py`` runs a few
mutants of every seed in the test suite.
"""

import argparse
import gzip
import io
import json
import random
import re
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

T0 = 1758274200  # 2025-09-19T09:30:00Z
DEEP = 100_000  # nesting depth of the deep-nesting mutation
ODD_NUMBERS = (
    "1e309", "-1e309", "inf", "-inf", "Infinity", "nan", "NaN", "1e400", "0", "-0", "-1",
    "99999999999999999999", "1.7976931348623157e308", "180", "-180", "90.0001", "1e-320",
    "0x1F", "1_000", "\u0661\u0662", "", "12.5.3", "+7", "-9223372036854775809",
)  # fmt: skip
ODD_BYTES = b'\x00\xff\xe9",\n\r;:{}[]<>& \t\\'
ED269 = {"title": "zones", "features": [
    {"identifier": "EE1", "country": "EST", "name": "Port", "type": "COMMON", "restriction": "PROHIBITED",
     "zoneAuthority": [], "applicability": [{"permanent": "NO", "startDateTime": "2025-09-15T00:00:00Z",
     "endDateTime": "2025-09-22T00:00:00Z", "schedule": [{"day": ["MON", "FRI"], "startTime": "08:00Z",
                                                          "endTime": "17:00:00.00Z"}]}],
     "geometry": [{"uomDimensions": "FT", "lowerLimit": 0, "lowerVerticalReference": "AGL", "upperLimit": 400,
                   "upperVerticalReference": "AMSL", "horizontalProjection": {"type": "Circle",
                                                                              "center": [24.77, 59.45],
                                                                              "radius": 3000}},
                  {"uomDimensions": "M", "lowerLimit": "50", "lowerVerticalReference": "AGL", "upperLimit": None,
                   "upperVerticalReference": "AGL", "horizontalProjection": {"type": "Polygon", "coordinates": [
                       [[24.7, 59.4], [24.8, 59.4], [24.8, 59.5], [24.7, 59.4]]]}}]},
]}  # fmt: skip
ED318 = {"type": "FeatureCollection", "metadata": {}, "features": [
    {"type": "Feature", "properties": {"identifier": "EE2", "country": "EST", "type": "REQ_AUTHORIZATION",
                                       "variant": "COMMON", "name": [{"text": "Park", "lang": "en"}],
                                       "zoneAuthority": [], "limitedApplicability": [
                                           {"startDateTime": "2025-09-19T06:00:00+03:00",
                                            "endDateTime": "2025-09-19T20:00:00+03:00"}]},
     "geometry": {"type": "GeometryCollection", "geometries": [
         {"type": "Point", "coordinates": [24.9, 59.4], "extent": {"subType": "Circle", "radius": 500},
          "layer": {"upper": 120, "upperReference": "AGL", "lower": 0, "lowerReference": "AGL", "uom": "m"}},
         {"type": "Polygon", "coordinates": [[[24.9, 59.4], [25.0, 59.4], [25.0, 59.5], [24.9, 59.4]]],
          "layer": {"upper": 500, "upperReference": "WGS84", "lower": 100, "lowerReference": "WGS84"}}]}},
]}  # fmt: skip
WRONG_JSON = ([], {}, None, "x", True, False, 1e308, -1, [[1]], {"a": [1]}, "", 0, "2025-09-19T09:30:00Z")


@dataclass(frozen=True)
class Seed:
    """A small valid file and how to read it.

    Attributes
    ----------
    name : str
        The file name (its ending matters to some readers).
    data : bytes
        The content.
    kind : str
        ``"tracks"`` (:func:`tracks.read`), ``"airspace"`` (:func:`airspace.read`)
        or ``"events"`` (:func:`detect.read_events`).
    options : dict
        Passed to the reader.
    """

    name: str
    data: bytes
    kind: str
    options: dict = field(default_factory=dict)


# --- the seeds ------------------------------------------------------------------------


def _opensky_csv():
    header = "time,icao24,lat,lon,velocity,heading,vertrate,callsign,onground,baroaltitude,geoaltitude,lastposupdate\n"
    rows = "".join(
        f"{T0 + 10 * k},4CA2D6,{59.82 + 0.01 * k:.2f},{24.35 + 0.02 * k:.2f},231.5,90.0,0.0,RYR1AB  ,"
        f"{'True' if k == 3 else 'False'},10668.0,10972.8,{T0 + 10 * k}.0\n"
        for k in range(4)
    )
    return header + rows


def _traffic_records():
    return [
        {"timestamp": (T0 + 10 * k) * 1000, "icao24": "4ca2d6", "latitude": 59.82 + 0.01 * k,
         "longitude": 24.35 + 0.02 * k, "altitude": 35000, "geoaltitude": 36000, "groundspeed": 450,
         "track": 90.0, "callsign": "RYR1AB", "onground": False}
        for k in range(3)
    ]  # fmt: skip


def _parquet_bytes(frame):
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _tracks_table():
    """A tracks table as ``airwarden tracks`` writes it: on-ground flags, nanosecond times."""
    import pandas as pd

    from tracks.reading import read

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "states.csv")
        path.write_text(_opensky_csv())
        table, _ = read(path)
    table.loc[1, "time"] += pd.Timedelta(nanoseconds=123_456_789)
    return table


def _events_table():
    import pandas as pd

    from detect.events import EVENT_COLUMNS

    times = pd.to_datetime(
        ["2025-09-19T09:30:00.123456789Z", "2025-09-19T09:42:00Z", "2025-09-19T09:36:00Z"], format="ISO8601")
    row = {
        "track_id": "4ca2d6", "airspace_id": "national-EST", "country": "EST", "kind": "national",
        "entry_time": times[0], "exit_time": times[1], "duration_s": (times[1] - times[0]).total_seconds(),
        "entry_face": "lateral", "exit_face": "lateral", "entry_uncertainty_s": 10.0,
        "exit_uncertainty_s": 10.0, "max_depth_m": 700.0, "deepest_time": times[2], "deepest_lon": 24.4,
        "deepest_lat": 59.83, "entry_lon": 24.35, "entry_lat": 59.82, "exit_lon": 24.45,
        "exit_lat": 59.84, "min_alt_m": 10668.0, "max_alt_m": 10668.0, "alt_source": "alt_baro_m",
        "n_fixes": 3, "suspect": False, "ground_assumed": False, "event": "violation", "closest_m": float("nan"),
        "closest_time": pd.NaT, "closest_lon": float("nan"), "closest_lat": float("nan"), "registry_country": "IRL",
    }  # fmt: skip
    second = {**row, "track_id": "su30", "airspace_id": "EX-R1", "kind": "restricted", "max_depth_m": float("nan"),
              "min_alt_m": float("nan"), "suspect": True, "ground_assumed": True, "event": "approach",
              "closest_m": 1852.0, "closest_time": times[2], "closest_lon": 24.4, "closest_lat": 59.83,
              "registry_country": None}
    return pd.DataFrame([row, second]).astype(EVENT_COLUMNS)


OPENAIR = """* test zones
AC R
AN EX-R1 Vaindloo
AL SFC
AH FL95
DP 59:42:00 N 026:00:00 E
DP 59:42:00 N 026:36:00 E
DP 59:57:00 N 026:36:00 E
DP 59:57:00 N 026:00:00 E

AC D
AN Circle
AL 1000 ft AMSL
AH 5000 ft AMSL
V X=59:30:00 N 024:30:00 E
DC 5

AC Q
AN Arc
AL GND
AH UNL
V X=59:00:00 N 023:00:00 E
V D=-
DB 59:05:00 N 023:00:00 E, 59:00:00 N 023:10:00 E
DP 59:00:00 N 023:00:00 E
"""

SBS = (
    "MSG,1,1,1,4CA2D6,1,2025/09/19,09:29:50.000,2025/09/19,09:29:50.000,RYR1A   ,,,,,,,,,,,\n"
    "MSG,4,1,1,4CA2D6,1,2025/09/19,09:29:59.000,2025/09/19,09:29:59.000,,,450,90.5,,,0,,,,,\n"
    "MSG,3,1,1,4CA2D6,1,2025/09/19,09:30:00.250,2025/09/19,09:30:00.250,,35000,,,59.8,24.3,,,0,0,0,0\n"
    "MSG,3,1,1,4CA2D6,1,2025/09/19,09:30:20.000,2025/09/19,09:30:20.000,,35100,,,59.81,24.31,,,0,0,0,0\n"
    "MSG,2,1,1,ABCDEF,1,2025/09/19,09:30:21.000,2025/09/19,09:30:21.000,,,12,180,59.9,24.4,,,,,,-1\n"
)

IGC = (
    "AXXXABC FLIGHT:1\r\n"
    "HFDTEDATE:190925,01\r\n"
    "HFGIDGLIDERID:D-1234\r\n"
    "I033638FXA3940SIU4141LAD\r\n"
    "B2359585206343N00006198WA00587006120201\r\n"
    "B2359595206353N00006208WA00588006130202\r\n"
    "B0000034512500S17030000EA-00120003503\r\n"
)

GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
  <trk><name>SU30</name><trkseg>
    <trkpt lat="54.20" lon="23.40"><ele>3000.5</ele><time>2025-10-23T16:00:00Z</time></trkpt>
    <trkpt lat="54.21" lon="23.41"><time>2025-10-23T19:00:18+03:00</time></trkpt>
    <trkpt lat="54.22" lon="23.42"><ele>3010</ele><time>2025-10-23T16:00:30Z</time></trkpt>
  </trkseg></trk>
</gpx>
"""

KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
<Document><Placemark><name>RA-12345</name>
<gx:Track><altitudeMode>absolute</altitudeMode>
<when>2025-09-19T09:30:00Z</when><when>2025-09-19T09:30:10Z</when>
<gx:coord>24.35 59.82 9000</gx:coord><gx:coord>24.37 59.82 9100.5</gx:coord>
</gx:Track></Placemark></Document></kml>
"""


def seeds():
    """The valid files the mutants are made from, by name.

    Returns
    -------
    dict of str to Seed
    """
    import geopandas as gpd
    import pandas as pd
    import shapely

    from detect.events_io import write_events

    opensky = _opensky_csv()
    records = _traffic_records()
    traffic = pd.DataFrame(records).assign(timestamp=lambda f: pd.to_datetime(f["timestamp"], unit="ms", utc=True))
    table = _tracks_table()
    with tempfile.TemporaryDirectory() as folder:
        written = {}
        for ending in (".csv", ".json", ".geojson", ".parquet"):
            written[ending] = write_events(_events_table(), Path(folder, "events" + ending)).read_bytes()
        zones = gpd.GeoDataFrame(
            {"airspace_id": ["EX-R1"], "name": ["Vaindloo"], "country": ["EST"], "kind": ["restricted"],
             "floor_m": [float("-inf")], "floor_ref": ["SFC"], "ceiling_m": [2895.6], "ceiling_ref": ["STD"]},
            geometry=[shapely.box(26.0, 59.7, 26.6, 59.95)], crs="EPSG:4326")  # fmt: skip
        from airspace import write as write_airspace

        zones_geojson = write_airspace(zones, Path(folder, "zones.geojson")).read_bytes()
        zones_parquet = write_airspace(zones, Path(folder, "zones.parquet")).read_bytes()
        csv_buffer = io.StringIO()
        table.to_csv(csv_buffer, index=False, date_format="%Y-%m-%dT%H:%M:%S.%fZ")
    trace = {"icao": "4CA2D6", "timestamp": T0, "r": "EI-DCL", "trace": [
        [0, 59.8, 24.3, 35000, 450, 90.0, 0, 0, {"flight": "RYR1A   ", "type": "adsb_icao"}, "adsb_icao", 35500,
         0, 280, 0.5],
        [10.5, 59.81, 24.31, "ground", 12, 181.0, 0, 0, None, "adsb_icao", None, None, None, None],
        [20, 59.82, 24.32, 12000, 300, 92.0, 8, 0, None, "mlat", None, None, None, None],
        [3000, 59.83, 24.33, 1000, None, None, 2, 0, None, "adsb_icao", None, None, None, None],
    ]}  # fmt: skip
    snapshot = {"now": T0, "messages": 1000, "aircraft": [
        {"hex": "4ca2d6", "flight": "RYR1A ", "lat": 59.8, "lon": 24.3, "seen_pos": 1.5, "alt_baro": 35000,
         "alt_geom": 35500, "gs": 450, "track": 90.0, "type": "adsb_icao"},
        {"hex": "~abcdef", "lat": 59.9, "lon": 24.4, "seen_pos": 0, "alt_baro": "ground"},
        {"hex": "48ae01"},
    ]}  # fmt: skip
    states = {"time": T0 + 10, "states": [
        ["4ca2d6", "RYR1A   ", "Ireland", T0 + 9, T0 + 10, 24.3, 59.8, 10668.0, False, 231.5, 90.0, 0.0, None,
         10972.8, "1000", False, 0],
        ["abcdef", "", "Finland", T0 + 8, T0 + 10, 24.4, 59.9, None, True, 6.2, 180.0, None, None, None, None,
         False, 0],
    ]}  # fmt: skip
    states_later = {**states, "time": T0 + 20, "states": [[*states["states"][0][:3], T0 + 19,
                                                            *states["states"][0][4:]]]}
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[24.35, 59.82, 9000], [24.37, 59.82]]},
         "properties": {"name": "MIG1", "coordTimes": ["2025-09-19T09:30:00Z", "2025-09-19T09:30:10Z"]}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [24.3, 59.8]},
         "properties": {"icao24": "4CA2D6", "time": T0, "alt_baro_m": 10668.0, "callsign": "RYR1A "}},
    ]}  # fmt: skip
    fr24 = (
        "Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction\n"
        f'{T0},2025-09-19T09:30:00Z,RYR1AB,"59.82,24.35",35000,450,90\n'
        f'{T0 + 10},2025-09-19T09:30:10Z,RYR1AB,"59.83,24.37",35000,450,90\n'
    )
    radar = "ts;hex;x;y;alt\n" + "".join(
        f"{(T0 + 10 * k) * 1000};4CA2D6;{24.35 + 0.01 * k};{59.82};{35000 + 100 * k}\n" for k in range(3))
    radar_options = {"format": "csv", "delimiter": ";", "units": {"time": "ms", "alt_baro": "ft"},
                     "columns": {"time": "ts", "aircraft": "hex", "lon": "x", "lat": "y", "alt_baro": "alt"}}
    found = [
        Seed("opensky.csv", opensky.encode(), "tracks"),
        Seed("opensky.parquet", _parquet_bytes(pd.read_csv(io.StringIO(opensky))), "tracks"),
        Seed("traffic.csv", traffic.to_csv(index=False).encode(), "tracks"),
        Seed("traffic.json", json.dumps(records).encode(), "tracks"),
        Seed("traffic.jsonl", "".join(json.dumps(r) + "\n" for r in records).encode(), "tracks"),
        Seed("traffic.parquet", _parquet_bytes(traffic), "tracks"),
        Seed("fr24.csv", fr24.encode(), "tracks"),
        Seed("radar.csv", radar.encode(), "tracks", radar_options),
        Seed("tracks.csv", csv_buffer.getvalue().encode(), "tracks"),
        Seed("tracks.parquet", _parquet_bytes(table), "tracks"),
        Seed("states.json", json.dumps(states).encode(), "tracks"),
        Seed("states_lines.json", (json.dumps(states) + "\n" + json.dumps(states_later) + "\n").encode(), "tracks"),
        Seed("trace_full_4ca2d6.json", json.dumps(trace).encode(), "tracks"),
        Seed("aircraft.json", json.dumps(snapshot).encode(), "tracks"),
        Seed("feed.sbs", SBS.encode(), "tracks"),
        Seed("flight.igc", IGC.encode(), "tracks"),
        Seed("flight.gpx", GPX.encode(), "tracks"),
        Seed("flight.kml", KML.encode(), "tracks"),
        Seed("tracks.geojson", json.dumps(geojson).encode(), "tracks"),
        Seed("zones.txt", OPENAIR.encode(), "airspace"),
        Seed("zones.geojson", zones_geojson, "airspace"),
        Seed("zones.parquet", zones_parquet, "airspace"),
        Seed("uas_ed269.json", json.dumps(ED269).encode(), "airspace"),
        Seed("uas_ed318.json", json.dumps(ED318).encode(), "airspace"),
        *(Seed("events" + ending, data, "events") for ending, data in written.items()),
    ]
    return {seed.name: seed for seed in found}


# --- the mutations --------------------------------------------------------------------


def _byte_flips(data, rng):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if data:
            data[rng.randrange(len(data))] = rng.choice(ODD_BYTES + bytes([rng.randrange(256)]))
    return bytes(data)


def _truncation(data, rng):
    return data[: rng.randrange(len(data) + 1)]


def _lines(data):
    return data.split(b"\n")


def _line_duplication(data, rng):
    lines = _lines(data)
    k = rng.randrange(len(lines))
    return b"\n".join(lines[: k + 1] + [lines[k]] * rng.randint(1, 3) + lines[k + 1 :])


def _line_shuffle(data, rng):
    lines = _lines(data)
    rng.shuffle(lines)
    return b"\n".join(lines)


def _line_deletion(data, rng):
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def _field_swap(data, rng):
    lines = _lines(data)
    k = rng.randrange(len(lines))
    separator = next((s for s in (b",", b";", b" ", b">") if s in lines[k]), None)
    if separator is None:
        return data
    fields = lines[k].split(separator)
    i, j = rng.randrange(len(fields)), rng.randrange(len(fields))
    fields[i], fields[j] = fields[j], fields[i]
    lines[k] = separator.join(fields)
    return b"\n".join(lines)


_NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _number_perturbation(data, rng):
    found = list(_NUMBER.finditer(data))
    if not found:
        return data
    for match in rng.sample(found, min(len(found), rng.randint(1, 3))):
        data = data[: match.start()] + b"\x01" * (match.end() - match.start()) + data[match.end() :]
    out = re.sub(rb"\x01+", lambda _: rng.choice(ODD_NUMBERS).encode(), data)
    return out


def _json_values(document):
    """(container, key) of every value in a parsed JSON document."""
    found = []
    stack = [document]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            found.append((node, key))
            stack.append(value)
    return found


def _json_documents(data):
    """The JSON documents of `data` (one, or one per line), or None if it is not JSON."""
    try:
        return [json.loads(data)], False
    except (ValueError, RecursionError):
        pass
    try:
        return [json.loads(line) for line in data.splitlines() if line.strip()], True
    except (ValueError, RecursionError):
        return None, False


def _json_mutation(data, rng, deep):
    documents, lines = _json_documents(data)
    if not documents:
        return data
    document = rng.choice(documents)
    places = _json_values(document)
    if not places:
        return data
    for container, key in rng.sample(places, min(len(places), 1 if deep else rng.randint(1, 3))):
        container[key] = "@@DEEP@@" if deep else rng.choice(WRONG_JSON)
    text = "\n".join(json.dumps(d) for d in documents) if lines else json.dumps(documents[0])
    return text.replace('"@@DEEP@@"', "[" * DEEP + "]" * DEEP).encode()


def _wrong_json_type(data, rng):
    return _json_mutation(data, rng, deep=False)


def _deep_nesting(data, rng):
    if data.lstrip()[:1] in (b"{", b"["):
        return _json_mutation(data, rng, deep=True)
    if data.lstrip()[:1] == b"<":
        k = data.rfind(b"</")
        return data[:k] + b"<a>" * DEEP + b"</a>" * DEEP + data[k:]
    lines = _lines(data)
    lines.insert(rng.randrange(len(lines) + 1), b"(" * DEEP)
    return b"\n".join(lines)


def _encoding(data, rng):
    choice = rng.randrange(4)
    if choice == 0:
        return b"\xef\xbb\xbf" + data
    if choice == 1:
        letters = [k for k, byte in enumerate(data) if chr(byte).isalpha()]
        at = rng.choice(letters) if letters else 0
        return data[:at] + rng.choice([b"\xe9", b"\xfc", b"\xa0", b"\xff\xfe"]) + data[at + 1 :]
    if choice == 2:
        try:
            return data.decode("utf-8").encode("utf-16")
        except UnicodeDecodeError:
            return data
    return data.replace(b"\n", b"\r\n") if rng.random() < 0.5 else data.replace(b"\n", b"\r")


def _gzip(data, rng):
    zipped = gzip.compress(data)
    return zipped if rng.random() < 0.5 else zipped[: rng.randrange(2, len(zipped) + 1)]


MUTATIONS = {
    "byte flips": _byte_flips,
    "truncation": _truncation,
    "line duplication": _line_duplication,
    "line shuffle": _line_shuffle,
    "line deletion": _line_deletion,
    "field swap": _field_swap,
    "number perturbation": _number_perturbation,
    "wrong JSON type": _wrong_json_type,
    "deep nesting": _deep_nesting,
    "encoding": _encoding,
    "gzip": _gzip,
}
"""The mutations, by name: ``mutation(data, rng) -> bytes``."""


def mutant(data, rng):
    """One to three mutations of `data`, the last sometimes gzip; the names of those applied."""
    names = rng.choices([name for name in MUTATIONS if name != "gzip"], k=rng.randint(1, 3))
    if rng.random() < 0.1:
        names.append("gzip")
    for name in names:
        data = MUTATIONS[name](data, rng)
    return data, names


# --- reading a mutant -------------------------------------------------------------------


class _Timeout(BaseException):
    """The time limit of one read (a BaseException: readers catch Exception)."""


def _on_alarm(signum, frame):
    raise _Timeout()


def read_checked(seed, path):
    """Read `path` as `seed` says and check what came out; None if it was read well.

    Returns
    -------
    str or None
        What is wrong with an accepted file: the accounting, or a table that
        does not validate.
    """
    if seed.kind == "tracks":
        import numpy as np

        from tracks import validate_tracks
        from tracks.reading import read

        table, report = read(path, **seed.options)
        for one in report.files:
            if one.rows_read != one.rows_accepted + one.rows_rejected:
                return f"accounting: {one.rows_read} read, {one.rows_accepted} + {one.rows_rejected}"
        validate_tracks(table)
        numbers = table.select_dtypes("number").to_numpy(dtype=float)
        if np.isinf(numbers).any():
            return "an infinite value in the table"
    elif seed.kind == "airspace":
        from airspace import read as read_airspace
        from airspace import validate_airspace

        table, report = read_airspace(path, **seed.options)
        validate_airspace(table)
        openair, geozones = report.openair, report.geozones
        if openair is not None and openair.blocks_read != (
            openair.blocks_accepted + openair.blocks_rejected + openair.blocks_skipped
        ):
            return "accounting of OpenAir blocks"
        if geozones is not None and (
            geozones.zones_read != geozones.zones_accepted + geozones.zones_rejected
            or geozones.rows != len(table)
        ):
            return "accounting of drone geozones"
        if openair is None and geozones is None and report.rows_read != report.rows + sum(report.rejected.values()):
            return "accounting of vector rows"
    else:
        from detect.events import validate_events
        from detect.events_io import read_events

        validate_events(read_events(path, **seed.options))
    return None


def error_kind(message, path):
    """The kind of an error message: its words after the file and line, without values."""
    text = message[len(str(path)) :].lstrip(":0123456789 ")
    text = re.sub(r"'[^']*'|\"[^\"]*\"|\([^)]*\)|[-+]?\d[\w.:+-]*", "", text)
    return " ".join(text.split()[:6]).rstrip(":;,") or "(no words)"


def outcome(seed, path, timeout_s):
    """What reading `path` gave: ``(outcome, detail)``.

    ``outcome`` is ``"accepted"``, ``"refused"`` (a :class:`ReadError` in
    one line naming the file; the detail is its kind) or a failure:
    ``"traceback"``, ``"unnamed error"``, ``"bad table"``, ``"timeout"``.
    """
    from tracks.errors import ReadError

    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout_s)
    try:
        wrong = read_checked(seed, path)
    except _Timeout:
        return "timeout", f"over {timeout_s} s"
    except ReadError as error:
        message = str(error)
        if not message.startswith(str(path)) or "\n" in message:
            return "unnamed error", message[:200]
        return "refused", error_kind(message, path)
    except Exception as error:  # noqa: BLE001 (anything else is what the fuzzing looks for)
        where = traceback.extract_tb(error.__traceback__)[-1]
        return "traceback", f"{type(error).__name__}: {str(error)[:120]} ({Path(where.filename).name}:{where.lineno})"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if wrong:
        return "bad table", wrong
    return "accepted", ""


FAILURES = ("traceback", "unnamed error", "bad table", "timeout")
"""The outcomes that must never happen."""


@dataclass
class Tally:
    """The counts of a fuzzing run."""

    mutants: int = 0
    outcomes: Counter = field(default_factory=Counter)
    refused: Counter = field(default_factory=Counter)
    failures: list = field(default_factory=list)

    def __str__(self):
        lines = [
            f"mutants: {self.mutants}",
            f"accepted: {self.outcomes['accepted']}",
            f"refused with a named error: {self.outcomes['refused']}",
            *(f"  {count:6d}  {kind}" for kind, count in self.refused.most_common()),
            *(f"{name}: {self.outcomes[name]}" for name in FAILURES),
        ]
        grouped = Counter((what, seed, detail) for seed, _, what, detail in self.failures)
        lines += [f"  {count:4d} {seed} {what}: {detail}" for (what, seed, detail), count in grouped.most_common(40)]
        return "\n".join(lines)


def fuzz(names, n_mutants, seed, folder, *, timeout_s=10.0, keep_failures=None):
    """Read `n_mutants` mutants of each seed of `names`; the tally.

    Parameters
    ----------
    names : list of str
        Seeds (see :func:`seeds`).
    n_mutants : int
        Mutants of each seed.
    seed : int
        Of the random generator: the same seed makes the same mutants.
    folder : pathlib.Path
        Where the mutants are written (one at a time, each replacing the last).
    timeout_s : float, optional
        Time limit of one read.
    keep_failures : pathlib.Path, optional
        A folder where failing mutants are copied.

    Returns
    -------
    Tally
    """
    all_seeds = seeds()
    tally = Tally()
    for name in names:
        original = all_seeds[name]
        rng = random.Random(f"{seed}:{name}")
        for number in range(n_mutants):
            data, applied = mutant(original.data, rng)
            path = Path(folder, f"m{number}", original.name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            what, detail = outcome(original, path, timeout_s)
            tally.mutants += 1
            tally.outcomes[what] += 1
            if what == "refused":
                tally.refused[detail] += 1
            elif what in FAILURES:
                tally.failures.append((name, applied, what, detail))
                if keep_failures is not None:
                    kept = Path(keep_failures, f"{len(tally.failures)}-{original.name}")
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    kept.write_bytes(data)
            path.unlink()
            path.parent.rmdir()
    return tally


def main(argv=None):
    """The command line: see the module docstring."""
    parser = argparse.ArgumentParser(description="Fuzz the readers of airwarden with mutated files.")
    parser.add_argument("--mutants", type=int, default=1000, help="mutants in all (spread over the seeds)")
    parser.add_argument("--seed", type=int, default=0, help="of the random generator")
    parser.add_argument("--timeout", type=float, default=10.0, help="time limit of one read, seconds")
    parser.add_argument("--reader", action="append", help="only this seed (repeatable); see --list")
    parser.add_argument("--list", action="store_true", help="list the seeds and exit")
    parser.add_argument("--keep", type=Path, default=None, help="copy failing mutants into this folder")
    args = parser.parse_args(argv)
    import warnings

    warnings.simplefilter("ignore")
    names = args.reader or list(seeds())
    if args.list:
        print("\n".join(names))
        return 0
    per_seed = -(-args.mutants // len(names))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        tally = fuzz(names, per_seed, args.seed, Path(folder), timeout_s=args.timeout, keep_failures=args.keep)
    print(tally)
    print(f"seeds: {len(names)}, {per_seed} mutants each, seed {args.seed}, {time.perf_counter() - started:.0f} s")
    return 1 if any(tally.outcomes[name] for name in FAILURES) else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
