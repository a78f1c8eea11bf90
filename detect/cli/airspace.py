"""``airwarden airspace``: export national airspace and airspace files as one table."""

import sys
import tempfile
from pathlib import Path

import click

from borders import ATTRIBUTION
from detect.cli.say import say
from detect.cli.errors import input_errors
from detect.cli.inputs import airspace_table
from detect.cli.values import OutputFile


@click.command("airspace", epilog=ATTRIBUTION)
@click.argument("codes", nargs=-1)
@click.option("--file", "paths", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Also take the volumes of an airspace file (OpenAir or any vector file). Repeatable.")
@click.option("--out", "out_path", type=OutputFile((".geojson", ".json", ".gpkg", ".parquet")), default=None,
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
    \f

    Examples
    --------
    >>> from click.testing import CliRunner
    >>> from detect.cli.group import main
    >>> import geopandas
    >>> from detect.example_data import EXAMPLE_AIRSPACE
    >>> runner = CliRunner()
    >>> with runner.isolated_filesystem():
    ...     result = runner.invoke(main, ["airspace", "--file", str(EXAMPLE_AIRSPACE), "--out", "zones.gpkg"])
    ...     zones = geopandas.read_file("zones.gpkg")
    >>> result.exit_code, len(zones)
    (0, 2)
    """
    if not codes and not paths:
        raise click.UsageError("give country CODES and/or --file FILE")
    from airspace import write as write_airspace

    with input_errors():
        table = airspace_table(paths, ",".join(codes) or None, dependencies=not no_dependencies)
        if out_path is None:
            with tempfile.TemporaryDirectory() as folder:
                written = write_airspace(table, Path(folder) / "airspace.geojson")
                sys.stdout.write(written.read_text(encoding="utf-8"))
        else:
            write_airspace(table, out_path)
            say(f"{len(table)} airspace volume(s) written to {out_path}")


__test__ = {"airspace_command": airspace_command.callback}  # a command is no function: its examples run so
