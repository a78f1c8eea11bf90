"""FlightRadar24-style CSV exports: format ``fr24``.

Columns: ``Timestamp`` (unix s), ``UTC`` (ISO 8601, not read: ``Timestamp``
says the same), ``Callsign``, ``Position`` (``"lat,lon"`` in one quoted
field), ``Altitude`` (ft, the transponder's pressure altitude), ``Speed``
(ground speed, kt), ``Direction`` (track, degrees). One file is one flight
and has no icao24: the aircraft key is the file name without its extensions.
"""

from tracks.formats.generic_csv import header_has, read_fixed_layout

NAME = "fr24"
EXTENSIONS = (".csv",)

REQUIRED = {"time": "Timestamp", "position": "Position"}
"""Mapping targets to FR24 columns a file must have."""

OPTIONAL = {
    "callsign": "Callsign",
    "alt_baro": "Altitude",
    "ground_speed": "Speed",
    "track": "Direction",
}
"""Mapping targets to FR24 columns read where present."""

UNITS = {"alt_baro": "ft", "ground_speed": "kt"}
"""The units of FR24 columns."""


def sniff(head, path):
    """A header with ``Timestamp, UTC, Callsign, Position``.

    Examples
    --------
    >>> from pathlib import Path
    >>> yes, no = b"Timestamp,UTC,Callsign,Position,Altitude\\n", b"time,icao24,lat,lon\\n"
    >>> sniff(yes, Path("RYR1A.csv")), sniff(no, Path("RYR1A.csv"))
    (True, False)
    """
    return header_has(head, ["Timestamp", "UTC", "Callsign", "Position"])


def read_chunks(stream, path, report, *, chunk_rows=1_000_000, units=None, **_options):
    """Read a FlightRadar24 CSV export in raw chunks (the file name gives the aircraft key); `units` over UNITS.

    Examples
    --------
    >>> from tracks.formats._common import sample_chunk
    >>> text = (b"Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction\\n"
    ...         b'1758274200,2025-09-19T09:30:00Z,RYR1A,"59.8,24.3",35000,450,90\\n')
    >>> chunk, report = sample_chunk(read_chunks, text, "RYR1A.csv")
    >>> chunk[["aircraft", "callsign", "lat", "lon", "alt_baro_m", "line"]].values.tolist(), report.rows_read
    ([['RYR1A', 'RYR1A', 59.8, 24.3, 10668.0, 2]], 1)
    """
    yield from read_fixed_layout(
        stream, path, report, REQUIRED, OPTIONAL, units={**UNITS, **(units or {})}, chunk_rows=chunk_rows
    )
