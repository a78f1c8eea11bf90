"""OpenSky REST API ``states`` snapshots (``/api/states/all``): format ``opensky-json``.

A file is one JSON document ``{"time": t, "states": [[icao24, callsign,
origin_country, time_position, last_contact, lon, lat, baro_altitude,
on_ground, velocity, true_track, vertical_rate, sensors, geo_altitude,
squawk, spi, position_source], ...]}``, or several such documents, one per
line. Units are the table's (m, m/s, degrees). The time of a fix is
``time_position`` (when the position was measured); a state with none is
rejected ("no time_position"), and a position repeated in a later snapshot
is a duplicate ``(aircraft, time)``, counted by the framework. The aircraft
key is ``icao24``, lowercased. ``line`` is the 1-based number of the state
over the file's snapshots, in order.
"""

import numpy as np
import pandas as pd

from tracks.errors import ReadError
from tracks.formats._common import decoded_text, json_object_head, json_scalars, load_json, parse_json
from tracks.formats.generic_csv import Layout, mapped_chunk

NAME = "opensky-json"
EXTENSIONS = (".json",)

STATE_FIELDS = (
    "icao24",
    "callsign",
    "origin_country",
    "time_position",
    "last_contact",
    "lon",
    "lat",
    "baro_altitude",
    "on_ground",
    "velocity",
    "true_track",
    "vertical_rate",
    "sensors",
    "geo_altitude",
    "squawk",
    "spi",
    "position_source",
)
"""The fields of one state vector, in the API's order."""

LAYOUT = Layout(
    {
        "time": "time_position",
        "aircraft": "icao24",
        "icao24": "icao24",
        "callsign": "callsign",
        "lon": "lon",
        "lat": "lat",
        "alt_baro": "baro_altitude",
        "alt_geo": "geo_altitude",
        "ground_speed": "velocity",
        "track": "true_track",
        "on_ground": "on_ground",
    },
    lowercase_aircraft=True,
)
"""How the state fields map to the table."""


def sniff(head, path):
    """A JSON object with ``"time"`` and ``"states"``.

    Examples
    --------
    >>> from pathlib import Path
    >>> yes, no = b'{"time": 1758274200, "states": [["4ca2d6", "RYR1A   ", "Ireland",', b'{"now": 1758274200}'
    >>> sniff(yes, Path("states.json")), sniff(no, Path("states.json"))
    (True, False)
    """
    return json_object_head(head, b"time", b"states")


def read_chunks(stream, path, report, **_options):
    """Read all the states of the file's snapshots as one raw chunk.

    A state that is not a list (``null``, say) is rejected and counted, the
    states beside it kept; ``"states": null`` (the API's answer when no
    aircraft is seen) is a snapshot with no states.

    Examples
    --------
    >>> from tracks.formats._common import sample_chunk
    >>> text = (b'{"time": 1758274200, "states": [["4CA2D6", "RYR1A  ", "Ireland", 1758274199, 1758274200,'
    ...         b' 24.3, 59.8, 10668.0, false, 230.0, 90.0, 0.0, null, 10700.0, null, false, 0]]}')
    >>> chunk, report = sample_chunk(read_chunks, text, "states.json")
    >>> chunk[["aircraft", "callsign", "lat", "lon", "alt_baro_m", "alt_geo_m"]].values.tolist(), str(chunk["time"][0])
    ([['4ca2d6', 'RYR1A', 59.8, 24.3, 10668.0, 10700.0]], '2025-09-19 09:29:59+00:00')
    """
    rows, lines, malformed = [], [], []
    number = 0
    for line, snapshot in _snapshots(stream, path, report):
        if not isinstance(snapshot, dict):
            raise ReadError(f"{path}:{line}: not an OpenSky snapshot: the JSON is not an object")
        states = snapshot.get("states")
        if states is None:
            states = []
        if not isinstance(states, list):
            raise ReadError(f"{path}:{line}: 'states' is not a list of state lists")
        for state in states:
            number += 1
            if isinstance(state, list):
                rows.append(state[: len(STATE_FIELDS)] + [None] * (len(STATE_FIELDS) - len(state)))
                lines.append(number)
            else:
                malformed.append(number)
    report.rows_read += len(malformed)
    report.reject("malformed state (not a list)", np.array(malformed, dtype=np.int64))
    lines = np.array(lines, dtype=np.int64)
    frame = json_scalars(pd.DataFrame(rows, columns=list(STATE_FIELDS), dtype=object), lines, report)
    if frame.empty:
        report.note("no states in the file")
    for name in (
        "time_position",
        "lon",
        "lat",
        "baro_altitude",
        "geo_altitude",
        "velocity",
        "true_track",
    ):
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(np.float64)
    no_time = frame["time_position"].isna().to_numpy()
    report.rows_read += int(no_time.sum())
    report.reject("no time_position", lines[no_time])
    yield mapped_chunk(
        frame.loc[~no_time].reset_index(drop=True), lines[~no_time], LAYOUT, path, report
    )


def _snapshots(stream, path, report):
    """``(line, document)`` of the file's snapshots: one JSON document, or one per line."""
    start = stream.read(1 << 16).removeprefix(b"\xef\xbb\xbf")
    stream.seek(0)
    first_line, _, rest = start.partition(b"\n")
    if rest.strip() and first_line.strip().endswith(b"}"):
        documents = []
        for number, line in enumerate(stream, start=1):
            if line.strip():
                text = decoded_text(line, path, report).strip()
                documents.append((number, parse_json(text, path, number)))
        return documents
    return [(1, load_json(stream, path, report))]
