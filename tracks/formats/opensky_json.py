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

import json

import numpy as np
import pandas as pd

from tracks.errors import ReadError
from tracks.formats._common import json_object_head, load_json
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
    """A JSON object with ``"time"`` and ``"states"``."""
    return json_object_head(head, b"time", b"states")


def read_chunks(stream, path, report, **_options):
    """Read all the states of the file's snapshots as one raw chunk."""
    snapshots = _snapshots(stream, path)
    rows = []
    for number, snapshot in enumerate(snapshots, start=1):
        states = snapshot.get("states") if isinstance(snapshot, dict) else None
        if states is None:
            states = []
        if not isinstance(states, list) or not all(isinstance(s, list) for s in states):
            raise ReadError(f"{path}:{number}: 'states' is not a list of state lists")
        rows.extend(
            state[: len(STATE_FIELDS)] + [None] * (len(STATE_FIELDS) - len(state))
            for state in states
        )
    frame = pd.DataFrame(rows, columns=list(STATE_FIELDS), dtype=object)
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
    lines = np.arange(1, len(frame) + 1, dtype=np.int64)
    no_time = frame["time_position"].isna().to_numpy()
    report.rows_read += int(no_time.sum())
    report.reject("no time_position", lines[no_time])
    yield mapped_chunk(
        frame.loc[~no_time].reset_index(drop=True), lines[~no_time], LAYOUT, path, report
    )


def _snapshots(stream, path):
    """The file's snapshot documents: one JSON document, or one per line."""
    start = stream.read(1 << 16)
    stream.seek(0)
    first_line, _, rest = start.partition(b"\n")
    if rest.strip() and first_line.strip().endswith(b"}"):
        documents = []
        for number, line in enumerate(stream, start=1):
            if line.strip():
                try:
                    documents.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ReadError(f"{path}:{number}: not valid JSON: {exc.msg}") from None
        return documents
    return [load_json(stream, path)]
