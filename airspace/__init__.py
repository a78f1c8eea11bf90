"""Airspace volumes: the airspace table and its constructors.

An airspace table is a :class:`geopandas.GeoDataFrame` in EPSG:4326 with one
row per volume (:data:`AIRSPACE_COLUMNS`): a unique ``airspace_id``, labels,
vertical limits in metres (``-inf`` for the surface, ``+inf`` for unlimited)
with their references (:data:`ALTITUDE_REFS`), an optional activation window
and a Polygon or MultiPolygon. :func:`validate_airspace` checks a table and
repairs invalid polygons, :func:`make_airspace` builds one from geometries,
and :func:`complete_airspace` fills in what a geometry-only user file lacks.
"""

from airspace.table import (
    AIRSPACE_COLUMNS,
    ALTITUDE_REFS,
    KINDS,
    OPTIONAL_AIRSPACE_COLUMNS,
    complete_airspace,
    make_airspace,
    validate_airspace,
)

__all__ = [
    "AIRSPACE_COLUMNS",
    "ALTITUDE_REFS",
    "KINDS",
    "OPTIONAL_AIRSPACE_COLUMNS",
    "complete_airspace",
    "make_airspace",
    "validate_airspace",
]
