"""Airspace violations: the working frame, the vectorised exact core, the events table, replay, the CLI.

The entry points are :func:`find_violations` (a whole tracks table at once)
and :class:`StreamingDetector` (fixes in time order, events as they open and
close); :func:`read_events` and :func:`write_events` keep events in files.
"""

import importlib

_SUBMODULE_EXPORTS = {
    "detect.core": ("find_violations",),
    "detect.events": ("EVENT_COLUMNS", "empty_events", "validate_events"),
    "detect.events_io": ("read_events", "write_events"),
    "detect.frame": ("working_crs",),
    "detect.replay": ("StreamingDetector", "replay_events"),
    "detect.volumes": ("PreparedAirspace", "prepare_airspace"),
}
_EXPORTS = {name: module for module, names in _SUBMODULE_EXPORTS.items() for name in names}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    """Import what the package exports, and its submodules, on first use (PEP 562).

    ``import detect`` costs nothing, so that the command line starts at
    once; ``detect.find_violations`` imports the core (numba, pandas) then.
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
