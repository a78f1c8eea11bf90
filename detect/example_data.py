"""The small example shipped with airwarden: a recording, an airspace file, and their events.

Four tracks in the Gulf of Finland against two illustrative volumes, a
restricted area and a danger area with an enclave: lateral crossings, a
climb out through a ceiling, a recording that starts inside and one that
ends inside. ``airwarden detect --example`` replays them, and the examples
of :mod:`plots` draw them.
"""

from importlib import resources
from pathlib import Path

EXAMPLE_TRACKS = Path(str(resources.files("detect") / "examples" / "baltic_tracks.csv"))
"""The example recording: a CSV of the tracks table's columns."""

EXAMPLE_AIRSPACE = Path(str(resources.files("detect") / "examples" / "baltic_airspace.geojson"))
"""The example airspace: a GeoJSON file of the airspace table's columns."""


def example_tables():
    """The example's events, tracks and airspace tables.

    Returns
    -------
    events : pandas.DataFrame
        The events table of the tracks in the airspace.
    tracks : pandas.DataFrame
        The tracks table read from :data:`EXAMPLE_TRACKS`.
    airspace : geopandas.GeoDataFrame
        The airspace table read from :data:`EXAMPLE_AIRSPACE`.

    Examples
    --------
    >>> events, fixes, volumes = example_tables()
    >>> len(events), fixes["track_id"].nunique(), len(volumes)
    (5, 4, 2)
    """
    from airspace import read as read_airspace
    from detect.core import find_violations
    from tracks import read as read_tracks

    tracks, _ = read_tracks(EXAMPLE_TRACKS)
    airspace, _ = read_airspace(EXAMPLE_AIRSPACE)
    return find_violations(tracks, airspace), tracks, airspace
