"""The options several commands share, each declared once and reused as a decorator.

- ``TRACK_FILES`` (:func:`track_files_argument`): ``detect``, ``replay``, ``tracks``;
- ``--format``, ``--column``, ``--unit``, ``--delimiter``, ``--split-gap``,
  ``--strict`` (:data:`reading_options`): every command that reads
  recordings, ``detect``, ``replay``, ``map`` and ``tracks``;
- ``--against`` and ``--airspace`` (:func:`against_option`,
  :func:`airspace_option`): ``detect``, ``replay``, ``map``;
- ``--crs``, ``--terrain``, ``--max-gap``, ``--min-duration``, ``--min-depth``,
  ``--approach``, ``--approach-vertical`` (:data:`detection_options`):
  ``detect``, ``replay``; ``--terrain`` also ``map`` (:func:`terrain_option`);
- ``--active``, ``--activation`` (:data:`activation_options`): ``detect``, ``replay``;
- ``--maps-limit``, ``--maps-order``, ``--maps-where``, ``--maps-workers``
  (:data:`maps_options`): the commands that draw pictures, ``replay`` and ``map``;
- ``--kind``, ``--class``, ``--min-alt``, ``--max-alt``
  (:data:`volume_choice_options`, as ``volume_choice``, the keywords of
  :func:`airspace.select_airspace`) and ``--from``, ``--to``,
  ``--foreign-only``, ``--exclude-registry`` (:data:`event_filter_options`,
  as ``event_filters``, keywords of :func:`detect.find_violations`):
  ``detect``, ``replay``.

The reading options reach the command as one dict, ``reading``, and the
detection options as one dict, ``detection``, keyed by the names that
:func:`tracks.read` and :func:`detect.find_violations` (or
:class:`detect.StreamingDetector`) take; an option not given is ``None``
(or empty), and the function's own default applies.
"""

import functools
from pathlib import Path

import click

from detect.cli.values import (ALPHA3_CODES, DISTANCE, DISTANCE_NOT_NEGATIVE, NOT_NEGATIVE, POSITIVE, ZONED_TIME,
                                 Interval, Pair)
from tracks.formats import format_names

_FORMAT_NAMES = format_names()


def gathered(name, *options):
    """A decorator that adds `options` to a command and hands their values to it as one dict.

    Parameters
    ----------
    name : str
        The command's parameter that receives the dict.
    *options : callable
        Option decorators (``click.option(...)``), in the order of the help.

    Returns
    -------
    callable
        A decorator for a command function. It reads the names of the
        options' parameters where click's decorators keep them, the
        function's ``__click_params__``.

    Examples
    --------
    >>> from click.testing import CliRunner
    >>> @click.command()
    ... @gathered("size", click.option("--width", type=int), click.option("--height", type=int))
    ... def box(size):
    ...     click.echo(size)
    >>> CliRunner().invoke(box, ["--width", "3"]).output
    "{'width': 3, 'height': None}\\n"
    """

    def decorate(command):
        @functools.wraps(command)
        def gathering(*args, **kwargs):
            kwargs[name] = {key: kwargs.pop(key) for key in keys}
            return command(*args, **kwargs)

        before = list(getattr(command, "__click_params__", []))
        gathering.__click_params__ = list(before)
        for option in reversed(options):
            gathering = option(gathering)
        keys = [param.name for param in reversed(gathering.__click_params__[len(before):])]
        return gathering

    return decorate


def _as_dict(ctx, param, pairs):
    """The ``(TARGET, VALUE)`` pairs of a repeated option as a dict (a click callback)."""
    return dict(pairs)


def track_files_argument(required=True):
    """The ``TRACK_FILES`` argument: recordings, files or folders, any number.

    Examples
    --------
    >>> from click.testing import CliRunner
    >>> @click.command()
    ... @track_files_argument()
    ... def count(track_files):
    ...     click.echo(len(track_files))
    >>> CliRunner().invoke(count, ["a.csv", "traces/"]).stdout.strip()
    '2'
    """
    return click.argument("track_files", nargs=-1, required=required, type=click.Path(path_type=Path))


reading_options = gathered(
    "reading",
    click.option("--format", "format", type=click.Choice(_FORMAT_NAMES), default=None, metavar="F",
                 help="Format of every track file (default: recognised from the content); "
                      "one of " + ", ".join(_FORMAT_NAMES) + "."),
    click.option("--column", "columns", multiple=True, type=Pair(), callback=_as_dict, metavar="TARGET=NAME",
                 help="For any other CSV (format csv): the file's column holding TARGET "
                      "(time, lon, lat, aircraft, alt_baro, alt_geo, ground_speed, track, ...). Repeatable."),
    click.option("--unit", "units", multiple=True, type=Pair(), callback=_as_dict, metavar="TARGET=UNIT",
                 help="For formats csv, opensky, traffic and fr24: the unit of TARGET (time s|ms|us|ns, "
                      "alt_baro ft|m, ground_speed kt|m/s|km/h). Repeatable."),
    click.option("--delimiter", default=",", show_default=True, help="For format csv: the field separator."),
    click.option("--split-gap", "split_gap_s", type=POSITIVE, default=None, metavar="S",
                 help="Split one aircraft into flights at gaps longer than S seconds (default: 30 minutes)."),
    click.option("--strict", is_flag=True, help="Stop at the first rejected row instead of counting it."),
)
"""``--format``, ``--column``, ``--unit``, ``--delimiter``, ``--split-gap``, ``--strict``, as ``reading``."""


def against_option(help_text=None):
    """``--against CODES``: national airspace, as the parameter ``countries``.

    `help_text` replaces the help.

    Examples
    --------
    >>> from click.testing import CliRunner
    >>> @click.command()
    ... @against_option()
    ... def show(countries):
    ...     click.echo(countries)
    >>> CliRunner().invoke(show, ["--against", "EST,FIN"]).stdout.strip()
    'EST,FIN'
    """
    return click.option(
        "--against", "countries", default=None, metavar="CODES",
        help=help_text or "National airspace of these states, e.g. EST,FIN (ISO alpha-2/alpha-3 or names), "
                     "EU or NATO (their member states), or all (every state in the world).")


def airspace_option(help_text=None):
    """``--airspace FILE``, repeatable: airspace files, as the parameter ``airspace_paths``.

    `help_text` replaces the help.

    Examples
    --------
    >>> from click.testing import CliRunner
    >>> show = click.command()(airspace_option()(lambda airspace_paths: click.echo([p.name for p in airspace_paths])))
    >>> CliRunner().invoke(show, ["--airspace", "zones.txt", "--airspace", "danger.geojson"]).stdout.strip()
    "['zones.txt', 'danger.geojson']"
    """
    return click.option(
        "--airspace", "airspace_paths", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
        help=help_text or "Airspace volumes: OpenAir or any vector file GDAL reads (GeoJSON, GeoPackage, "
                     "Shapefile, GeoParquet). Repeat for several files.")


def terrain_option(help_text=None):
    """``--terrain DEM``: a terrain model file, as the parameter ``terrain``.

    `help_text` replaces the help.

    Examples
    --------
    >>> from click.testing import CliRunner
    >>> show = click.command()(terrain_option()(lambda terrain: click.echo(terrain.name)))
    >>> CliRunner().invoke(show, ["--terrain", "alps.tif"]).stdout.strip()
    'alps.tif'
    """
    return click.option(
        "--terrain", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="DEM",
        help=help_text or "Terrain model (any raster GDAL reads, heights in metres above sea level) for AGL "
                          "floors and ceilings, which then follow the ground between fixes, and are drawn so. "
                          "Without one they take the ground at sea level, and the events say ground_assumed. "
                          "Needs airwarden[terrain].")


detection_options = gathered(
    "detection",
    click.option("--crs", default=None, help="Working projection for all airspaces (default: one per airspace)."),
    terrain_option(),
    click.option("--max-gap", "max_gap_s", type=POSITIVE, default=None, metavar="S",
                 help="Do not interpolate across gaps longer than S seconds."),
    click.option("--min-duration", "min_duration_s", type=NOT_NEGATIVE, default=None, metavar="S",
                 help="Drop events shorter than S seconds (off by default)."),
    click.option("--min-depth", "min_depth_m", type=NOT_NEGATIVE, default=None, metavar="M",
                 help="Drop violations shallower than M metres (off by default)."),
    click.option("--approach", "approach_m", type=DISTANCE, default=None, metavar="DISTANCE",
                 help="Also report near approaches: each stay outside a volume within DISTANCE of it "
                      "(5NM, 9km, 2000m), with its closest approach (off by default)."),
    click.option("--approach-vertical", "approach_vertical_m", type=DISTANCE_NOT_NEGATIVE, default=None,
                 metavar="DISTANCE", help="With --approach: how far below a volume's floor and above its "
                                          "ceiling an approach reaches (500ft; default 0)."),
)
"""``--crs``, ``--terrain``, ``--max-gap``, ``--min-duration``, ``--min-depth``, ``--approach``,
``--approach-vertical``, as ``detection``."""


activation_options = gathered(
    "activation",
    click.option("--active", "interval", type=Interval(), default=None, metavar="FROM/TO",
                 help="Every volume is active in this window only, e.g. 2025-09-19T06:00Z/2025-09-19T09:00Z "
                      "(ISO 8601 with a zone; NONE for an open side), replacing the files' own windows."),
    click.option("--activation", "table_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
                 metavar="FILE", help="Activation table: a CSV of airspace_id,from,to, one row per window "
                                      "(several rows for repeated windows); the volumes it names are active "
                                      "in those windows only, the others as their files say."),
)
"""``--active``, ``--activation``, as ``activation`` (see :func:`detect.cli.inputs.activated`)."""


maps_options = gathered(
    "maps_choice",
    click.option("--maps-limit", "limit", type=click.IntRange(min=0), default=None, metavar="N",
                 help="Draw the pictures of at most N events, the first by --maps-order (the overview and "
                      "timeline still show them all)."),
    click.option("--maps-order", "order", type=click.Choice(["deepest", "longest", "first"]), default="deepest",
                 show_default=True, help="Which events --maps-limit keeps: deepest, longest, or first in the table."),
    click.option("--maps-where", "where", multiple=True, metavar="PLACE",
                 help="Only the events in this state (alpha-3 code) or volume (id or name). Repeatable."),
    click.option("--maps-workers", "workers", type=click.IntRange(min=1), default=None, metavar="N",
                 help="Processes drawing the pictures (default: one per core)."),
)
"""``--maps-limit``, ``--maps-order``, ``--maps-where``, ``--maps-workers``, as ``maps_choice``."""


volume_choice_options = gathered(
    "volume_choice",
    click.option("--kind", "kinds", default=None, metavar="KINDS",
                 help="Only the volumes of these kinds, e.g. restricted,danger."),
    click.option("--class", "classes", default=None, metavar="CLASSES",
                 help="Only the OpenAir volumes of these classes (AC), e.g. R,Q,P."),
    click.option("--min-alt", "min_alt", default=None, metavar="LIMIT",
                 help="Only above LIMIT, as if it were each volume's floor where higher: FL100, 1000ft "
                      "(above sea level), 500m, 1500ft AGL."),
    click.option("--max-alt", "max_alt", default=None, metavar="LIMIT",
                 help="Only below LIMIT, as if it were each volume's ceiling where lower."),
)
"""``--kind``, ``--class``, ``--min-alt``, ``--max-alt``, as ``volume_choice``."""


event_filter_options = gathered(
    "event_filters",
    click.option("--from", "time_from", type=ZONED_TIME, default=None, metavar="TIME",
                 help="Only the fixes from TIME on, as if the recording began there (ISO 8601 with its zone: "
                      "2025-09-19T06:00Z; a time with no zone is refused)."),
    click.option("--to", "time_to", type=ZONED_TIME, default=None, metavar="TIME",
                 help="Only the fixes up to TIME, as if the recording ended there."),
    click.option("--foreign-only", is_flag=True,
                 help="Only the events of aircraft not registered in the state of the volume (state of "
                      "registry from the icao24 address; unknown ones are kept)."),
    click.option("--exclude-registry", "exclude_registry", type=ALPHA3_CODES, default=None, metavar="CODES",
                 help="Drop the events of aircraft registered in these states, e.g. FRA,ITA."),
)
"""``--from``, ``--to``, ``--foreign-only``, ``--exclude-registry``, as ``event_filters``."""
