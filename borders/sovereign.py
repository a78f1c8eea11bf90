"""Sovereign airspace: the air over a state's land, internal waters and territorial sea.

A territory's airspace is the union of its time zones in ``timezonefinder-data``
(``zone.tab`` says which zones are whose), whose polygons follow
OpenStreetMap's national boundaries, out to the territorial sea's limit at
sea. A state's airspace is its own territory's, plus its dependencies' unless
``dependencies=False`` (see :mod:`borders.territories`). Kosovo, which no
time zone separates from Serbia, is its Natural Earth polygon
(:data:`borders.territories.NATURAL_EARTH_AIRSPACE`).

Each territory is built on first use and cached as GeoParquet in
:func:`borders.cache_dir` (``sovereign-airspace/<ISO_A3>.parquet``); a
message on the ``airwarden`` logger says what is built and how long it took.
Building Estonia takes a fraction of a second, Russia a few seconds, the
whole world under a minute (see ``bench/bench_borders.py``).
"""

import logging
import time

import geopandas as gpd
import numpy as np

from borders.cache import cache_dir, read_cached, write_cached
from borders.country_codes import countries, parse_codes
from borders.sources import build_stamp, timezone_data_version
from borders.territories import NATURAL_EARTH_AIRSPACE
from borders.timezones import dissolve, zone_polygons

log = logging.getLogger("airwarden")

SOVEREIGN_AIRSPACE_COLUMNS = ("iso_a3", "name", "sovereign_iso_a3", "geometry")
"""Columns of :func:`sovereign_airspace`."""

_NAMES_SHOWN = 5


def sovereign_airspace(codes=None, *, dependencies=True):
    """The sovereign airspace of states, one row per state, from the surface up.

    Parameters
    ----------
    codes : str or iterable of str, optional
        States by ISO 3166-1 alpha-2 or alpha-3 code or English name, one
        string (``"EST"``, ``"EST,FIN"``) or several (``["EST", "FIN"]``).
        A dependency may be asked for by itself (``"AX"``). Region
        shorthands (``"EU"``, ``"NATO"``, see :mod:`borders.regions`) stand
        for their member states. None (default): every state that is not a
        dependency, which with `dependencies` covers the whole world; the
        first such call builds the whole world (under a minute) and caches
        it. ``"all"`` (any case, alone) is the same as None with
        `dependencies`; without them it is every territory that has
        airspace, each dependency in a row of its own, so that the world is
        still covered (see :func:`borders.parse_codes`).
    dependencies : bool, default True
        Include the territories that ISO 3166-1 lists apart but that are
        under the state's sovereignty (Finland with Åland, Denmark with
        Greenland and the Faroes, see :mod:`borders.territories`). Without
        them a state is only the zones ``zone.tab`` gives its own code.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326, one row per state in the order asked (repeats dropped),
        columns :data:`SOVEREIGN_AIRSPACE_COLUMNS`: ``iso_a3``, ``name``,
        ``sovereign_iso_a3`` (the state whose airspace it is: ``"FIN"`` for
        Åland) and a valid Polygon or MultiPolygon in lon/lat degrees,
        longitudes in [-180, 180]. A state across the antimeridian (Russia,
        Fiji, the United States) has polygons on both sides, ending at -180
        and 180. An area two states claim is in both (see
        :mod:`borders.territories`).

    Raises
    ------
    ValueError
        For an unknown code or name (suggesting the nearest ones), or a
        territory with no polygon (Bouvet Island, Heard Island).

    Examples
    --------
    >>> import shapely
    >>> estonia = sovereign_airspace("EST")  # doctest: +SKIP
    >>> estonia.geometry.iloc[0].contains(shapely.Point(26.362, 59.814))  # Vaindloo  # doctest: +SKIP
    True
    """
    table = countries().set_index("iso_a3", drop=False)
    wanted = (
        list(table.index[~table["is_dependency"]])
        if codes is None
        else parse_codes(codes, dependencies=dependencies)
    )
    territories = {}
    for iso_a3 in wanted:
        if not table.at[iso_a3, "time_zones"]:
            raise ValueError(
                f"{table.at[iso_a3, 'name']} ({iso_a3}) has no time zone of its own, "
                "so timezonefinder-data has no polygon for it"
            )
        members = [iso_a3]
        if dependencies and not table.at[iso_a3, "is_dependency"]:
            dependent = table["is_dependency"] & (table["sovereign_iso_a3"] == iso_a3)
            members += [code for code in table.index[dependent] if table.at[code, "time_zones"]]
        territories[iso_a3] = members
    geometries = _territory_geometries(
        table.loc[list(dict.fromkeys(code for members in territories.values() for code in members))]
    )
    return gpd.GeoDataFrame(
        {
            "iso_a3": wanted,
            "name": list(table.loc[wanted, "name"]),
            "sovereign_iso_a3": list(table.loc[wanted, "sovereign_iso_a3"]),
        },
        geometry=[
            dissolve([geometries[code] for code in members])
            if len(members) > 1
            else geometries[members[0]]
            for members in territories.values()
        ],
        crs="EPSG:4326",
    )


def _territory_geometries(territories):
    """The airspace geometry of each territory (rows of countries()), from cache or built."""
    stamp = build_stamp()
    directory = cache_dir() / "sovereign-airspace"
    geometries, missing = {}, []
    for iso_a3 in territories.index:
        cached = read_cached(directory / f"{iso_a3}.parquet", stamp)
        if cached is None or iso_a3 not in cached:
            missing.append(iso_a3)
        else:
            geometries[iso_a3] = cached[iso_a3]
    if missing:
        geometries.update(_build(territories.loc[missing], directory, stamp))
    return geometries


def _build(territories, directory, stamp):
    """Build, cache and return the geometries of `territories` (rows of countries())."""
    labels = [f"{row.name} ({row.iso_a3})" for row in territories.itertuples()]
    what = labels[0] if len(labels) == 1 else f"{len(labels)} territories ({_shortened(labels)})"
    log.info(
        "building sovereign airspace of %s from timezonefinder-data %s (to be cached in %s) ...",
        what,
        timezone_data_version(),
        directory,
    )
    started = time.perf_counter()
    built = {}
    for row in territories.itertuples():
        if row.iso_a3 in NATURAL_EARTH_AIRSPACE:
            geometry = _natural_earth_polygon(NATURAL_EARTH_AIRSPACE[row.iso_a3])
        else:
            geometry = dissolve(np.concatenate([zone_polygons(zone) for zone in row.time_zones.split()]))
        write_cached({row.iso_a3: geometry}, directory / f"{row.iso_a3}.parquet", stamp)
        built[row.iso_a3] = geometry
    log.info("built sovereign airspace of %s in %.1f s", what, time.perf_counter() - started)
    return built


def _natural_earth_polygon(adm0_a3):
    """The land of one Natural Earth unit, by its ``ADM0_A3`` code, dissolved into one valid geometry."""
    from borders.natural_earth import natural_earth_units  # here: GDAL's reader is slow to import

    units = natural_earth_units(geometry=True)
    return dissolve(units.geometry[units["adm0_a3"] == adm0_a3].to_numpy())


def _shortened(labels):
    shown = ", ".join(labels[:_NAMES_SHOWN])
    return (
        shown
        if len(labels) <= _NAMES_SHOWN
        else f"{shown}, ... and {len(labels) - _NAMES_SHOWN} more"
    )
