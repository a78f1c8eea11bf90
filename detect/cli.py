"""The ``airwarden`` command line.

Machine output (CSV) goes to stdout, messages for people to stderr. Exit
status: 0 on success, whether or not there were violations; 2 on bad usage
or bad input; 130 when interrupted (Ctrl-C).

Each command imports what it needs when it runs, so that help, version and
usage errors cost no more than click (see :mod:`detect.cli_common`).
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
import warnings
from importlib import resources
from pathlib import Path

import click

import borders
from borders import ATTRIBUTION
from detect.cli_common import (
    NOT_NEGATIVE, POSITIVE, Group, InputError, airspace_table, log_to_stderr, writable_path,
)

EXAMPLES = resources.files("detect") / "examples"


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=ATTRIBUTION)
@click.version_option(package_name="airwarden")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors on stderr.")
def main(quiet):
    """airwarden: find airspace violations in recorded flight tracks.

    Every stay of a track inside an airspace volume is one event, with the
    exact entry and exit (at the boundary crossing, between fixes too), its
    duration and its depth.
    """
    log_to_stderr(logging.WARNING if quiet else logging.INFO)


@main.command(epilog=ATTRIBUTION)
@click.argument("track_files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "format_name", default=None, metavar="F",
              help="Format of the track files (default: recognised from the content).")
@click.option("--airspace", "airspace_paths", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Airspace volumes: OpenAir or any vector file GDAL reads (GeoJSON, GeoPackage, "
                   "Shapefile, GeoParquet). Repeat for several files.")
@click.option("--against", "countries", default=None, metavar="CODES",
              help="National airspace of these states, e.g. EST,FIN (ISO alpha-2/alpha-3 or names), "
                   "EU or NATO (their member states), or all (every state in the world).")
@click.option("--example", is_flag=True, help="Run on the small example shipped with airwarden.")
@click.option("--crs", default=None, help="Working projection for all airspaces (default: one per airspace).")
@click.option("--max-gap", "max_gap_s", type=POSITIVE, default=None, metavar="S",
              help="Do not interpolate across gaps longer than S seconds.")
@click.option("--min-duration", "min_duration_s", type=NOT_NEGATIVE, default=None, metavar="S",
              help="Drop events shorter than S seconds (off by default).")
@click.option("--min-depth", "min_depth_m", type=NOT_NEGATIVE, default=None, metavar="M",
              help="Drop events shallower than M metres (off by default).")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Detect in N threads, each on a part of the tracks (default: one per core).")
def detect(track_files, format_name, airspace_paths, countries, example, crs, max_gap_s, min_duration_s,
           min_depth_m, workers):
    """Print the events of TRACK_FILES in the airspace as CSV on stdout, all at once.

    TRACK_FILES are recordings in any format airwarden reads (see `airwarden
    tracks --help`), such as a CSV with the tracks-table columns track_id,
    time, lon, lat, alt_baro_m, alt_geo_m. Rejected rows are counted by
    reason on stderr. To watch events as they happen, use `airwarden replay`.

    \b
    Examples:
      airwarden detect --example
      airwarden detect flights.csv --against EST,FIN > events.csv
      airwarden detect flights.csv --against all > crossings.csv   # every stay in every state
      airwarden detect flights.csv --airspace zones.geojson --airspace danger.txt
      airwarden detect flights.csv --airspace zones.gpkg --max-gap 120 --min-depth 100
    """
    if example:
        if track_files or airspace_paths or countries:
            raise click.UsageError("--example takes no TRACK_FILES, --airspace or --against")
        track_files = (Path(str(EXAMPLES / "baltic_tracks.csv")),)
        airspace_paths = (Path(str(EXAMPLES / "baltic_airspace.geojson")),)
    elif not track_files or not (airspace_paths or countries):
        raise click.UsageError("give TRACK_FILES and --airspace FILE or --against CODES, or --example")

    from detect.core import find_violations
    from tracks import read as read_tracks

    try:
        tracks, report = read_tracks(list(track_files), format_name)
        airspace = airspace_table(airspace_paths, countries)
    except (ValueError, OSError) as error:
        raise InputError(str(error)) from None
    click.echo(str(report), err=True)

    started = time.perf_counter()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            events = find_violations(
                tracks, airspace, crs=crs, max_gap_s=max_gap_s,
                min_duration_s=min_duration_s, min_depth_m=min_depth_m, workers=workers,
            )
    except ValueError as error:
        raise InputError(str(error)) from None
    for warning in caught:
        click.echo(f"warning: {warning.message}", err=True)
    elapsed = time.perf_counter() - started
    events.to_csv(sys.stdout, index=False, date_format="%Y-%m-%dT%H:%M:%S.%fZ", float_format="%.6f")
    click.echo(f"{len(events)} event(s) from {len(tracks)} fixes in {elapsed:.2f} s", err=True)


@main.command()
@click.option("--csv", "as_csv", is_flag=True, help="CSV on stdout instead of a table for people.")
def countries(as_csv):
    """List the states and territories airwarden knows, with their codes.

    Any of them can be given to `airwarden airspace` or `--against` by its
    alpha-2 or alpha-3 code or its English name. Dependencies (Åland, the
    Faroe Islands, ...) name the state they belong to.
    """
    table = borders.countries()[["iso_a2", "iso_a3", "name", "sovereign_iso_a3", "relation"]]
    if as_csv:
        table.to_csv(sys.stdout, index=False)
    else:
        click.echo(table.to_string(index=False))


@main.command("airspace", epilog=ATTRIBUTION)
@click.argument("codes", nargs=-1)
@click.option("--file", "paths", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Also take the volumes of an airspace file (OpenAir or any vector file). Repeatable.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (.geojson, .gpkg or .parquet); default GeoJSON on stdout.")
@click.option("--no-dependencies", is_flag=True,
              help="States without the territories ISO lists apart (Finland without Åland).")
def airspace_command(codes, paths, out_path, no_dependencies):
    """Export airspace: national airspace of CODES and the volumes of --file.

    CODES are ISO 3166-1 alpha-2 or alpha-3 codes or English names,
    separated by spaces or commas (see `airwarden countries`), EU or NATO
    for their member states, or the single word all for every state in the
    world (with --no-dependencies: every territory in a volume of its own).
    Building the whole world the first time takes under a minute; it is
    cached.

    \b
    Examples:
      airwarden airspace EST FIN --out baltic.geojson
      airwarden airspace POL --no-dependencies --out poland.gpkg
      airwarden airspace EU NOR --out eu-and-norway.gpkg
      airwarden airspace all --out world.parquet
      airwarden airspace --file zones.txt --out zones.parquet
    """
    if not codes and not paths:
        raise click.UsageError("give country CODES and/or --file FILE")
    if out_path is not None and out_path.suffix.lower() not in (".geojson", ".json", ".gpkg", ".parquet"):
        raise click.UsageError("--out must end with .geojson, .json, .gpkg or .parquet")
    writable_path(out_path)
    from airspace import write as write_airspace

    try:
        table = airspace_table(paths, ",".join(codes) or None, dependencies=not no_dependencies)
        if out_path is None:
            with tempfile.TemporaryDirectory() as folder:
                written = write_airspace(table, Path(folder) / "airspace.geojson")
                sys.stdout.write(written.read_text(encoding="utf-8"))
        else:
            write_airspace(table, out_path)
            click.echo(f"{len(table)} airspace volume(s) written to {out_path}", err=True)
    except (ValueError, OSError) as error:
        raise InputError(str(error)) from None


def _register_commands():
    """The commands that live in their own modules."""
    from detect.cli_replay import demo, map_command, replay
    from detect.cli_tracks import tracks

    for command in (replay, map_command, demo, tracks):
        main.add_command(command)


_register_commands()
