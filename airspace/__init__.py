"""Airspace volumes: the airspace table and its constructors.

An airspace table is a :class:`geopandas.GeoDataFrame` in EPSG:4326 with one
row per volume (:data:`AIRSPACE_COLUMNS`): a unique ``airspace_id``, labels,
vertical limits in metres (``-inf`` for the surface, ``+inf`` for unlimited)
with their references (:data:`ALTITUDE_REFS`), an optional activation window
and a Polygon or MultiPolygon. :func:`validate_airspace` checks a table and
repairs invalid polygons, :func:`make_airspace` builds one from geometries,
and :func:`complete_airspace` fills in what a geometry-only user file lacks.

Sources of volumes: :func:`national` (the sovereign airspace of states, from
:mod:`borders`), :func:`read` (any vector file GDAL reads, and OpenAir, with
a mapping of a file's own columns) and :func:`write` (GeoJSON, GeoPackage,
GeoParquet). Activation windows come from files or from :func:`activate`
(an activation table, :func:`read_activation`) and :func:`activate_all`.
Vertical limits as written in files ("FL95", "1500 ft AMSL", "GND") are
read by :func:`parse_limit`. :func:`select_airspace` keeps the volumes of
some kinds or OpenAir classes, cut to an altitude band.

Drone geozones (EUROCAE ED-269 and ED-318 JSON) are read by :func:`read`
too, through :func:`read_geozones`.
"""

from airspace.table import (
    AIRSPACE_COLUMNS,
    ALTITUDE_REFS,
    KINDS,
    OPTIONAL_AIRSPACE_COLUMNS,
    RADIO_COLUMNS,
    complete_airspace,
    make_airspace,
    validate_airspace,
)
from airspace.activation import activate, activate_all, parse_interval, read_activation
from airspace.files import AirspaceFileReport, read, write
from airspace.geozones import GeozoneReport, read_geozones
from airspace.limits import parse_limit, parse_limits
from airspace.national_airspace import national
from airspace.selection import select_airspace
from airspace.openair import OpenAirReport, read_openair
from borders import cache_dir, write_atomically  # re-exported for detect, which may not import borders

__all__ = [
    "AirspaceFileReport",
    "activate",
    "activate_all",
    "parse_interval",
    "read_activation",
    "cache_dir",
    "write_atomically",
    "GeozoneReport",
    "OpenAirReport",
    "national",
    "parse_limit",
    "parse_limits",
    "read",
    "read_geozones",
    "select_airspace",
    "read_openair",
    "write",
    "AIRSPACE_COLUMNS",
    "ALTITUDE_REFS",
    "KINDS",
    "OPTIONAL_AIRSPACE_COLUMNS",
    "RADIO_COLUMNS",
    "complete_airspace",
    "make_airspace",
    "validate_airspace",
]
