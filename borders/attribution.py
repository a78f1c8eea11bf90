"""The line naming where the borders come from, in a module that imports nothing.

The command line shows it in its help; importing it costs nothing, unlike
:mod:`borders.sources`, which finds the data packages.
"""

ATTRIBUTION = (
    "National airspace: © OpenStreetMap contributors, ODbL 1.0 "
    "(via timezone-boundary-builder and timezonefinder-data); "
    "countries and time zones: tz database (tzdata), public domain; "
    "land and coastline: Natural Earth, public domain."
)
"""One line naming each source of :mod:`borders` and its licence.

Show it wherever national airspace or the basemap is used (the ODbL requires
it for the OpenStreetMap data): command-line help, README, map footers.
"""
