"""Pictures drawn from the tracks, airspace and events tables.

Every function takes the three tables (never detector objects: see
:mod:`tracks`, :mod:`airspace`, :mod:`detect.events` and the README) and
returns a :class:`matplotlib.figure.Figure` made without pyplot, so that
importing or drawing changes nothing in the session (its backend, its list
of open figures) and nothing is shown on screen; a notebook shows a figure
it is given:

- :func:`incident_map`: one event on a land and sea basemap, the violated
  volume and the sovereign airspace around it, the territorial sea hatched,
  the track blue outside and red inside, entry, exit and the deepest point
  labelled, scale bar in km and NM, north arrow, locator inset, the data
  attribution (:data:`borders.ATTRIBUTION`) in the footer;
- :func:`altitude_profile`: altitude against UTC time with the volume's
  floor and ceiling;
- :func:`timeline`: every event as a bar over UTC time, a row per track;
- :func:`overview_map`: every event's track, numbered;
- :func:`save` writes PNG, SVG or PDF; :func:`write_event_maps` writes them
  all for an events table.

The drawing functions share their contract, said here once: each returns a
new :class:`~matplotlib.figure.Figure` (or draws into the ``ax`` it is
given, where it takes one), raises ValueError when a table lacks what an
event names, and with ``illustrative=True`` puts the banner "ILLUSTRATIVE
SCENARIO — not recorded data" and a watermark on the picture.

Its names are imported on first use (:mod:`tracks.lazy`), so that a module
of plain helpers (:mod:`plots.labels`) comes without matplotlib.
"""

from tracks.lazy import lazy_exports

_SUBMODULE_EXPORTS = {
    "plots.event_timeline": ("timeline",),
    "plots.incident": ("incident_map",),
    "plots.output": ("FORMATS", "save", "write_event_maps"),
    "plots.overview": ("event_numbers", "overview_map"),
    "plots.profile": ("altitude_profile",),
    "plots.style": ("ILLUSTRATIVE_TEXT",),
}

__all__ = lazy_exports(__name__, _SUBMODULE_EXPORTS)
