"""``airwarden tracks``: read track files in any known format into one tracks table.

The readers are imported when the command runs; the help lists the formats
without importing them.
"""

import sys
from pathlib import Path

import click

from detect.cli.values import POSITIVE
from tracks.formats import format_names

_OUTPUTS = (".parquet", ".csv")


@click.command("tracks")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Output file: .parquet or .csv (the tracks-table layout).")
@click.option("--format", "format_name", default=None, metavar="F",
              help="Format of every file (default: recognised from the content); "
                   "one of " + ", ".join(format_names()) + ".")
@click.option("--strict", is_flag=True, help="Stop at the first rejected row instead of counting it.")
@click.option("--split-gap", "split_gap_s", type=POSITIVE, default=1800.0, show_default=True,
              metavar="S", help="Split one aircraft into flights at gaps longer than S seconds.")
@click.option("--column", "column_pairs", multiple=True, metavar="TARGET=NAME",
              help="For any other CSV (format csv): the file's column holding TARGET "
                   "(time, lon, lat, aircraft, alt_baro, alt_geo, ground_speed, track, ...).")
@click.option("--unit", "unit_pairs", multiple=True, metavar="TARGET=UNIT",
              help="For format csv: the unit of TARGET (time s|ms|us|ns, alt_baro ft|m, "
                   "ground_speed kt|m/s|km/h).")
@click.option("--delimiter", default=",", show_default=True,
              help="For format csv: the field separator.")
def tracks_command(files, out_path, format_name, strict, split_gap_s, column_pairs, unit_pairs,
                   delimiter):
    """Read FILES (files or folders, gzipped or not) into one tracks table.

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
    options = {}
    if column_pairs or unit_pairs:
        options = {"columns": _pairs(column_pairs, "--column"),
                   "units": _pairs(unit_pairs, "--unit"), "delimiter": delimiter}
    from tracks.read import read

    try:
        table, report = read(
            list(files), format_name, strict=strict, split_gap_s=split_gap_s,
            progress=len(files) > 1 or any(path.is_dir() for path in files), **options,
        )
    except ValueError as error:
        _fail(str(error))
    click.echo(str(report), err=True)
    try:
        if suffix == ".parquet":
            table.to_parquet(out_path, index=False)
        else:
            table.to_csv(out_path, index=False, date_format="%Y-%m-%dT%H:%M:%S.%fZ")
    except OSError as error:
        _fail(f"{out_path}: cannot write ({error.strerror or error})")
    click.echo(f"wrote {len(table)} fixes in {report.tracks} track(s) to {out_path}", err=True)


def _pairs(texts, option):
    """``{"a": "b"}`` from ``("a=b",)``; a pair without ``=`` fails."""
    pairs = {}
    for text in texts:
        key, sep, value = text.partition("=")
        if not sep or not key.strip() or not value.strip():
            _fail(f"{option} {text!r}: expected TARGET=VALUE")
        pairs[key.strip()] = value.strip()
    return pairs


def _fail(message):
    """Print a one-line error on stderr and exit with status 2."""
    click.echo(f"error: {message.splitlines()[0] if message else 'bad input'}", err=True)
    sys.exit(2)
