"""Pictures drawn from the tracks, airspace and events tables (issue 6).

Every function takes the three tables of DESIGN.md (never detector objects)
and returns a :class:`matplotlib.figure.Figure` made without pyplot, so that
it is drawn by matplotlib's Agg renderer whatever the session's backend,
never shown on screen, and left out of pyplot's list of open figures:

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

With ``illustrative=True`` every picture carries the banner "ILLUSTRATIVE
SCENARIO — not recorded data" and a watermark.
"""

import matplotlib

matplotlib.use("Agg")

from plots.incident import incident_map
from plots.output import FORMATS, save, write_event_maps
from plots.overview import event_numbers, overview_map
from plots.profile import altitude_profile
from plots.style import ILLUSTRATIVE_TEXT
from plots.timeline import timeline

__all__ = [
    "FORMATS",
    "ILLUSTRATIVE_TEXT",
    "altitude_profile",
    "event_numbers",
    "incident_map",
    "overview_map",
    "save",
    "timeline",
    "write_event_maps",
]
