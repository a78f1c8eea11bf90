"""Airspace violations: the working frame, the vectorised exact core, the events table, the CLI.

The entry point is :func:`find_violations`.
"""

from detect.core import find_violations
from detect.events import EVENT_COLUMNS, empty_events, validate_events
from detect.frame import working_crs

__all__ = ["find_violations", "working_crs", "EVENT_COLUMNS", "empty_events", "validate_events"]
