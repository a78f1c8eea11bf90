"""``airwarden detect``: the events of recordings, all at once, as CSV on stdout."""

import sys
import time
import warnings
from importlib import resources
from pathlib import Path

import click

from borders import ATTRIBUTION
from detect.cli.errors import InputError
from detect.cli.inputs import airspace_table
from detect.cli.values import NOT_NEGATIVE, POSITIVE

EXAMPLES = resources.files("detect") / "examples"


@click.command("detect", epilog=ATTRIBUTION)
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
def detect_command(track_files, format_name, airspace_paths, countries, example, crs, max_gap_s,
                   min_duration_s, min_depth_m, workers):
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
