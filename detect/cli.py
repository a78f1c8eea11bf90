"""The ``airwarden`` command line.

Machine output (CSV) goes to stdout, messages for people to stderr. Exit
status: 0 on success, whether or not there were violations; 2 on bad usage
or bad input.
"""

from __future__ import annotations

import sys
import time
import warnings
from importlib import resources
from pathlib import Path

import click
import geopandas as gpd

from airspace import complete_airspace
from detect.core import find_violations
from tracks import read_tracks_csv

EXAMPLES = resources.files("detect") / "examples"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="airwarden")
def main():
    """airwarden: find airspace violations in recorded flight tracks.

    Every stay of a track inside an airspace volume is one event, with the
    exact entry and exit (at the boundary crossing, between fixes too), its
    duration and its depth.
    """


@main.command()
@click.argument("tracks_csv", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--airspace", "airspace_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Airspace volumes: any vector file GDAL reads (GeoJSON, GeoPackage, Shapefile, ...).")
@click.option("--example", is_flag=True, help="Run on the small example shipped with airwarden.")
@click.option("--crs", default=None, help="Working projection for all airspaces (default: one per airspace).")
@click.option("--max-gap", "max_gap_s", type=float, default=None, metavar="S",
              help="Do not interpolate across gaps longer than S seconds.")
@click.option("--min-duration", "min_duration_s", type=float, default=None, metavar="S",
              help="Drop events shorter than S seconds (off by default).")
@click.option("--min-depth", "min_depth_m", type=float, default=None, metavar="M",
              help="Drop events shallower than M metres (off by default).")
def detect(tracks_csv, airspace_path, example, crs, max_gap_s, min_duration_s, min_depth_m):
    """Print the events of TRACKS_CSV in AIRSPACE as CSV on stdout.

    TRACKS_CSV has the tracks-table columns: track_id, time (ISO 8601 UTC or
    unix seconds), lon, lat, and optionally alt_baro_m, alt_geo_m (metres).
    Rejected rows are counted by reason on stderr.

    \b
    Examples:
      airwarden detect --example
      airwarden detect flights.csv --airspace zones.geojson > events.csv
      airwarden detect flights.csv --airspace zones.gpkg --max-gap 120 --min-depth 100
    """
    if example:
        if tracks_csv or airspace_path:
            raise click.UsageError("--example takes no TRACKS_CSV or --airspace")
        tracks_csv = Path(str(EXAMPLES / "baltic_tracks.csv"))
        airspace_path = Path(str(EXAMPLES / "baltic_airspace.geojson"))
    elif tracks_csv is None or airspace_path is None:
        raise click.UsageError("give TRACKS_CSV and --airspace FILE, or --example")

    try:
        tracks, report = read_tracks_csv(tracks_csv)
        airspace = _read_airspace(airspace_path)
    except (ValueError, OSError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(str(report), err=True)
    click.echo(f"{len(airspace)} airspace volume(s) from {airspace_path}", err=True)

    started = time.perf_counter()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            events = find_violations(
                tracks, airspace, crs=crs, max_gap_s=max_gap_s,
                min_duration_s=min_duration_s, min_depth_m=min_depth_m,
            )
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    for warning in caught:
        click.echo(f"warning: {warning.message}", err=True)
    elapsed = time.perf_counter() - started
    events.to_csv(sys.stdout, index=False, date_format="%Y-%m-%dT%H:%M:%S.%fZ", float_format="%.6f")
    click.echo(f"{len(events)} event(s) from {len(tracks)} fixes in {elapsed:.2f} s", err=True)


def _read_airspace(path: Path):
    """Read an airspace file; fill columns it lacks with defaults and say which."""
    if not path.exists():
        raise ValueError(f"{path}: no such file")
    try:
        frame = gpd.read_file(path)
    except Exception as error:  # pyogrio raises several types for unreadable files
        raise ValueError(f"{path}: cannot read as a vector file: {error}") from None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame, filled = complete_airspace(frame, source=str(path))
    for warning in caught:
        click.echo(f"warning: {warning.message}", err=True)
    if filled:
        click.echo(f"{path}: no column(s) {', '.join(filled)}: defaults used", err=True)
    return frame
