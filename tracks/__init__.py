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
"""

import importlib
import sys
from types import ModuleType

_SUBMODULE_EXPORTS = {
    "tracks.table": ("OPTIONAL_TRACK_COLUMNS", "TRACK_COLUMNS", "make_tracks", "validate_tracks"),
    "tracks.read": ("ReadReport", "read"),
    "tracks.report": ("TrackReadReport",),
    "tracks.table_csv": ("read_tracks_csv",),
}
_EXPORTS = {name: module for module, names in _SUBMODULE_EXPORTS.items() for name in names}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    """Import what the package exports, and its submodules, on first use (PEP 562).

    ``import tracks`` costs nothing, so that the command line lists
    :mod:`tracks.formats` without pandas; ``tracks.read(...)`` imports what
    it needs then.
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

    Importing ``tracks.read`` binds the submodule to the package's name
    ``read``; ``tracks.read`` must stay the function, as when the package
    imported its exports up front.
    """

    def __setattr__(self, name, value):
        if not (isinstance(value, ModuleType) and name in _EXPORTS):
            super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
