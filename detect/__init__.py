"""Airspace violations: the working frame, the vectorised exact core, the events table, replay, the CLI.

The entry points are :func:`find_violations` (a whole tracks table at once)
and :class:`StreamingDetector` (fixes in time order, events as they open and
close); :func:`read_events` and :func:`write_events` keep events in files.
"""

from detect.core import find_violations
from detect.events import EVENT_COLUMNS, empty_events, validate_events
from detect.events_io import read_events, write_events
from detect.frame import working_crs
from detect.replay import StreamingDetector, replay_events
from detect.volumes import PreparedAirspace, prepare_airspace

__all__ = [
    "EVENT_COLUMNS",
    "PreparedAirspace",
    "StreamingDetector",
    "empty_events",
    "find_violations",
    "prepare_airspace",
    "read_events",
    "replay_events",
    "validate_events",
    "working_crs",
    "write_events",
]
