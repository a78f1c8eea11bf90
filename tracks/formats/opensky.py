"""OpenSky Network historical state vectors, CSV or Parquet: format ``opensky``.

Columns (Impala ``state_vectors_data4`` and its CSV/Parquet exports): ``time``
(unix s), ``icao24``, ``lat``, ``lon`` (degrees), ``velocity`` (m/s),
``heading`` (degrees), ``vertrate``, ``callsign``, ``onground``,
``baroaltitude``, ``geoaltitude`` (m), ``lastposupdate``, ``lastcontact``
(unix s), ... Units are already the table's. An export in other units is
read with ``units=`` (``--unit``) as for format ``csv``: ``{"time": "ms"}``
for times in milliseconds (``lastposupdate`` then too, unless given its
own as ``position_time``).

A state vector repeats the last known position every 10 s until a new one
arrives; ``lastposupdate`` says when the position was measured. The time of a
fix is therefore ``lastposupdate`` where known, else ``time``, and a repeated
position is a duplicate ``(aircraft, time)``, rejected and counted by the
framework. The aircraft key is ``icao24``, lowercased. ``line`` is the file
line (CSV) or the 1-based row (Parquet).
"""

from tracks.formats.generic_csv import header_has, parquet_columns, read_fixed_layout

NAME = "opensky"
EXTENSIONS = (".csv", ".parquet")

REQUIRED = {"time": "time", "aircraft": "icao24", "lat": "lat", "lon": "lon"}
"""Mapping targets to OpenSky columns a file must have."""

OPTIONAL = {
    "position_time": "lastposupdate",
    "icao24": "icao24",
    "callsign": "callsign",
    "alt_baro": "baroaltitude",
    "alt_geo": "geoaltitude",
    "ground_speed": "velocity",
    "track": "heading",
    "on_ground": "onground",
}
"""Mapping targets to OpenSky columns read where present."""


def sniff(head, path):
    """A header (or Parquet schema) with ``time, icao24, lat, lon``.

    Examples
    --------
    >>> from pathlib import Path
    >>> yes, no = b"time,icao24,lat,lon,velocity,heading\\n", b"timestamp,icao24,latitude,longitude\\n"
    >>> sniff(yes, Path("states.csv")), sniff(no, Path("states.csv"))
    (True, False)
    """
    required = list(REQUIRED.values())
    return header_has(head, required) or set(required) <= set(parquet_columns(head, path))


def read_chunks(stream, path, report, *, chunk_rows=1_000_000, units=None, **_options):
    """Read an OpenSky state-vector CSV or Parquet file in raw chunks; `units` as for format ``csv``.

    Examples
    --------
    >>> from tracks.formats._common import sample_chunk
    >>> text = (b"time,icao24,lat,lon,baroaltitude,lastposupdate\\n"
    ...         b"1758274210,4CA2D6,59.8,24.3,10668,1758274205.5\\n")
    >>> chunk, report = sample_chunk(read_chunks, text, "states.csv")
    >>> chunk[["aircraft", "lat", "lon", "alt_baro_m"]].values.tolist(), str(chunk["time"][0])
    ([['4ca2d6', 59.8, 24.3, 10668.0]], '2025-09-19 09:30:05.500000+00:00')
    """
    yield from read_fixed_layout(
        stream, path, report, REQUIRED, OPTIONAL, units=units, lowercase_aircraft=True, chunk_rows=chunk_rows
    )
