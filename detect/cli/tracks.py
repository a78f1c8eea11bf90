"""``airwarden tracks``: read track files in any known format into one tracks table.

The readers are imported when the command runs; the help lists the formats
without importing them.
"""

import click

from detect.cli.say import say
from detect.cli.errors import InputError, input_errors
from detect.cli.inputs import read_recordings
from detect.cli.options import reading_options, track_files_argument
from detect.cli.values import OutputFile


@click.command("tracks")
@track_files_argument()
@click.option("--out", "out_path", required=True, type=OutputFile((".parquet", ".csv")),
              help="Output file: .parquet or .csv (the tracks-table layout, read back by every command).")
@reading_options
def tracks_command(track_files, out_path, reading):
    """Read TRACK_FILES (files or folders, gzipped or not) into one tracks table.

    Every fix becomes a row of the tracks table (track_id, time, lon, lat,
    alt_baro_m, alt_geo_m, ... suspect); what was read, rejected (by reason,
    with line numbers), reordered and flagged suspect is reported on stderr.
    Exit status 2, with a one-line message, on bad input, and when no fix
    is left to write (the file is not written).

    \b
    Examples:
      airwarden tracks states_2025-09-19-09.csv.gz --out tracks.parquet
      airwarden tracks traces/ --out tracks.csv --split-gap 600
      airwarden tracks export.csv --format fr24 --strict --out flight.parquet
      airwarden tracks radar.csv --column time=ts --column aircraft=hex \\
          --column lon=x --column lat=y --column alt_baro=alt --unit alt_baro=ft \\
          --delimiter ';' --out radar.parquet
    \f

    Examples
    --------
    >>> from click.testing import CliRunner
    >>> from detect.cli.group import main
    >>> import pandas as pd
    >>> from detect.example_data import EXAMPLE_TRACKS
    >>> runner = CliRunner()
    >>> with runner.isolated_filesystem():
    ...     result = runner.invoke(main, ["tracks", str(EXAMPLE_TRACKS), "--out", "fixes.parquet"])
    ...     fixes = pd.read_parquet("fixes.parquet")
    >>> result.exit_code, fixes["track_id"].nunique()
    (0, 4)
    """
    with input_errors():
        table, report = read_recordings(track_files, reading)
    if table.empty:  # a file of no fix would not read back: every command refuses one
        raise InputError(f"no fix to write: all {report.rows_read} row(s) read were rejected (see above); "
                         f"{out_path} not written")
    from tracks.table_files import write_tracks

    try:
        write_tracks(table, out_path)
    except OSError as error:
        raise InputError(f"{out_path}: cannot write ({error.strerror or error})") from None
    say(f"wrote {len(table)} fixes in {report.tracks} track(s) to {out_path}")



__test__ = {"tracks_command": tracks_command.callback}  # a command is no function: its examples run so
