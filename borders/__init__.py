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

import importlib
import sys
from types import ModuleType

_SUBMODULE_EXPORTS = {
    "borders.attribution": ("ATTRIBUTION",),
    "borders.cache": ("CACHE_DIR_VARIABLE", "cache_dir"),
    "borders.countries": ("COUNTRY_COLUMNS", "countries", "lookup", "parse_codes"),
    "borders.land": ("land", "over_land"),
    "borders.regions": ("REGIONS", "REGIONS_REVIEWED"),
    "borders.sovereign": ("SOVEREIGN_AIRSPACE_COLUMNS", "sovereign_airspace"),
    "borders.sovereignty": ("DEPENDENCIES", "SPECIAL_STATUS"),
}
_EXPORTS = {name: module for module, names in _SUBMODULE_EXPORTS.items() for name in names}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    """Import what the package exports, and its submodules, on first use (PEP 562).

    ``import borders`` costs nothing, so that :data:`ATTRIBUTION` is at hand
    without geopandas; ``borders.countries()`` imports what it needs then.
    """
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    if not name.startswith("__"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    """The package's names, with the exports not imported yet."""
    return sorted({*globals(), *__all__})


class _Package(ModuleType):
    """The package, on which a submodule never hides the export of its name.

    Importing ``borders.countries`` binds the submodule to the package's name
    ``countries``; ``borders.countries`` must stay the function, as when the
    package imported its exports up front.
    """

    def __setattr__(self, name, value):
        if not (isinstance(value, ModuleType) and name in _EXPORTS):
            super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
