"""``airwarden tracks``: read track files in any known format into one tracks table.

The readers are imported when the command runs; the help lists the formats
without importing them.
"""

import sys
from pathlib import Path

import click

from detect.cli.inputs import read_recordings
from detect.cli.options import reading_options, track_files_argument

_OUTPUTS = (".parquet", ".csv")


@click.command("tracks")
@track_files_argument()
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output file: .parquet or .csv (the tracks-table layout).")
@reading_options
def tracks_command(track_files, out_path, reading):
    """Read TRACK_FILES (files or folders, gzipped or not) into one tracks table.

    Every fix becomes a row of the tracks table (track_id, time, lon, lat,
    alt_baro_m, alt_geo_m, ... suspect); what was read, rejected (by reason,
    with line numbers), reordered and flagged suspect is reported on stderr.
    Exit status 2, with a one-line message, on bad input.

    \b
    Examples:
      airwarden tracks states_2025-09-19-09.csv.gz --out tracks.parquet
      airwarden tracks traces/ --out tracks.csv --split-gap 600
      airwarden tracks export.csv --format fr24 --strict --out flight.parquet
      airwarden tracks radar.csv --column time=ts --column aircraft=hex \\
          --column lon=x --column lat=y --column alt_baro=alt --unit alt_baro=ft \\
          --delimiter ';' --out radar.parquet
    """
    suffix = out_path.suffix.lower()
    if suffix not in _OUTPUTS:
        _fail(f"{out_path}: --out must end with {' or '.join(_OUTPUTS)}")
    try:
        table, report = read_recordings(track_files, reading)
    except ValueError as error:
        _fail(str(error))
    try:
        if suffix == ".parquet":
            table.to_parquet(out_path, index=False)
        else:
            table.to_csv(out_path, index=False, date_format="%Y-%m-%dT%H:%M:%S.%fZ")
    except OSError as error:
        _fail(f"{out_path}: cannot write ({error.strerror or error})")
    click.echo(f"wrote {len(table)} fixes in {report.tracks} track(s) to {out_path}", err=True)


def _fail(message):
    """Print a one-line error on stderr and exit with status 2."""
    click.echo(f"error: {message.splitlines()[0] if message else 'bad input'}", err=True)
    sys.exit(2)
