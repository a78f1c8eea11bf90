"""Sovereign airspace and land of the world's states, from embedded data.

Offline, from data that installed PyPI packages ship (see
:mod:`borders.sources` and :data:`ATTRIBUTION`, which must be shown wherever
national airspace is used):

- :func:`countries` and :func:`lookup`: every ISO 3166-1 country, by alpha-2,
  alpha-3 or English name, with the state it belongs to
  (:mod:`borders.sovereignty` decides the dependencies: Åland is Finland's);
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
"""

from borders.cache import CACHE_DIR_VARIABLE, cache_dir
from borders.countries import COUNTRY_COLUMNS, countries, lookup, parse_codes
from borders.land import land, over_land
from borders.regions import REGIONS, REGIONS_REVIEWED
from borders.sources import ATTRIBUTION
from borders.sovereign import SOVEREIGN_AIRSPACE_COLUMNS, sovereign_airspace
from borders.sovereignty import DEPENDENCIES, SPECIAL_STATUS

__all__ = [
    "ATTRIBUTION",
    "CACHE_DIR_VARIABLE",
    "COUNTRY_COLUMNS",
    "DEPENDENCIES",
    "REGIONS",
    "REGIONS_REVIEWED",
    "SOVEREIGN_AIRSPACE_COLUMNS",
    "SPECIAL_STATUS",
    "cache_dir",
    "countries",
    "land",
    "lookup",
    "over_land",
    "parse_codes",
    "sovereign_airspace",
]
