"""Airspace violations: the working frame, the vectorised exact core, the events table, replay, the CLI.

The entry points are :func:`find_violations` (a whole tracks table at once)
and :class:`StreamingDetector` (fixes in time order, events as they open and
close); :func:`read_events` and :func:`write_events` keep events in files.

Its names are imported on first use (:mod:`tracks.lazy`): ``import detect`` costs nothing, so
that the command line starts at once; ``detect.find_violations`` imports the core (numba,
pandas) then.
"""

from tracks.lazy import lazy_exports

_SUBMODULE_EXPORTS = {
    "detect.core": ("find_violations",),
    "detect.events": ("EVENT_COLUMNS", "empty_events", "validate_events"),
    "detect.events_io": ("read_events", "write_events"),
    "detect.frame": ("working_crs",),
    "detect.replay": ("StreamingDetector", "replay_events"),
    "detect.volumes": ("PreparedAirspace", "prepare_airspace"),
}

__all__ = lazy_exports(__name__, _SUBMODULE_EXPORTS)
