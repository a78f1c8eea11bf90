"""Sovereign airspace and land of the world's states, from embedded data.

Offline, from data that installed PyPI packages ship (see
:mod:`borders.sources` and :data:`ATTRIBUTION`, which must be shown wherever
national airspace is used):

- :func:`countries` and :func:`lookup`: every ISO 3166-1 country, by alpha-2,
  alpha-3 or English name, with the state it belongs to
  (:mod:`borders.territories` decides the dependencies: Åland is Finland's);
- :func:`parse_codes`: lists of codes and names, the region shorthands of
  :data:`REGIONS` (``EU``, ``NATO``: dated member lists in
  :mod:`borders.regions`) and ``all`` (every state);
- :func:`sovereign_airspace`: the air over a state's land, internal waters
  and territorial sea, from OpenStreetMap-derived time-zone polygons
  (``timezonefinder-data``), built on first use and cached under
  :func:`cache_dir`;
- :func:`land` and :func:`over_land`: Natural Earth 1:10m land, for basemaps
  and for telling land from sea.

Messages for people (what is being built, how long it took, a cache file
rebuilt) go to the ``airwarden`` logger.

Its names are imported on first use (:mod:`tracks.lazy`): ``import borders`` costs nothing,
so that :data:`ATTRIBUTION` is at hand without geopandas.
"""

from tracks.lazy import lazy_exports

_SUBMODULE_EXPORTS = {
    "borders.attribution": ("ATTRIBUTION",),
    "borders.cache": ("CACHE_DIR_VARIABLE", "cache_dir", "write_atomically"),
    "borders.country_codes": ("COUNTRY_COLUMNS", "countries", "lookup", "parse_codes"),
    "borders.land_areas": ("land", "over_land"),
    "borders.regions": ("REGIONS", "REGIONS_REVIEWED"),
    "borders.sovereign": ("SOVEREIGN_AIRSPACE_COLUMNS", "sovereign_airspace"),
    "borders.territories": ("DEPENDENCIES", "SPECIAL_STATUS"),
}

__all__ = lazy_exports(__name__, _SUBMODULE_EXPORTS)
