"""Recorded fixes: the tracks table and its readers.

A tracks table is a :class:`pandas.DataFrame` with one row per fix, each
track's rows together and in ``time`` order (UTC, nanoseconds), the tracks in
any order, positions in WGS84 degrees and altitudes in metres
(:data:`TRACK_COLUMNS`); ids are text, integers or categories.
:func:`validate_tracks` checks a table, makes its dtypes exact and sorts it by
``track_id`` then ``time`` if need be, :func:`make_tracks` builds one from arrays,
and :func:`read_tracks_csv` reads a CSV file strictly, rejecting bad rows and
counting them by reason in a :class:`TrackReadReport`.

:func:`read` reads the recordings analysts have (OpenSky, traffic, readsb and
ADS-B Exchange traces, aircraft.json, SBS-1, FlightRadar24, IGC, GPX, KML,
GeoJSON, any CSV with a column mapping; the format recognised from the
content, :mod:`tracks.formats`), splits aircraft into flights, flags suspect
fixes, and reports what it rejected by reason in a :class:`ReadReport`.
:func:`read_dataset` reads the same into a dask DataFrame, file by file in
parallel, for a cluster (:mod:`tracks.dataset`, an optional extra).

:func:`registry_countries` gives the state of registry of ICAO 24-bit
addresses (the ``icao24`` column), :func:`track_registries` that of each track.

Its names are imported on first use (:mod:`tracks.lazy`): ``import tracks`` costs nothing, so
that the command line lists :mod:`tracks.formats` without pandas.
"""

from tracks.lazy import lazy_exports

_SUBMODULE_EXPORTS = {
    "tracks.table": ("OPTIONAL_TRACK_COLUMNS", "TRACK_COLUMNS", "make_tracks", "validate_tracks"),
    "tracks.reading": ("ReadReport", "read"),
    "tracks.dataset": ("read_dataset",),
    "tracks.report": ("TrackReadReport",),
    "tracks.table_csv": ("read_tracks_csv",),
    "tracks.table_files": ("write_tracks",),
    "tracks.errors": ("ReadError",),
    "tracks.registry": ("icao24_addresses", "registry_counts", "registry_countries", "track_registries"),
}

__all__ = lazy_exports(__name__, _SUBMODULE_EXPORTS)
