"""``airwarden map``: draw the incident maps of events read from a file."""

from pathlib import Path

import click

from detect.cli.drawing import draw_maps
from detect.cli.errors import input_errors
from detect.cli.inputs import airspace_table, read_recordings, terrain_model
from detect.cli.options import against_option, airspace_option, maps_options, reading_options, terrain_option
from detect.cli.values import OUTPUT_FOLDER


@click.command("map")
@click.argument("events_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--tracks", "track_files", multiple=True, required=True, type=click.Path(path_type=Path),
              help="The recording the events came from. Repeatable.")
@click.option("--event", "event_numbers", multiple=True, type=int, metavar="N",
              help="Only event N (numbered from 1 in table order, as in the picture names). Repeatable.")
@against_option(help_text="National airspace to draw (default: the states the events name).")
@airspace_option(help_text="Airspace file the events refer to. Repeatable.")
@click.option("--out-dir", "maps_dir", type=OUTPUT_FOLDER, default=Path("maps"),
              show_default=True, help="Folder for the pictures.")
@click.option("--image", "image_format", type=click.Choice(["png", "svg", "pdf"]), default="png",
              show_default=True, help="Picture format.")
@terrain_option(help_text="Terrain model to draw the ground and AGL limits over it in the profiles (any raster "
                          "GDAL reads). Needs airwarden[terrain].")
@maps_options
@reading_options
def map_command(events_path, track_files, event_numbers, countries, airspace_paths, maps_dir, image_format,
                terrain, maps_choice, reading):
    """Draw the incident maps of the events in EVENTS_PATH (.csv, .json, .geojson, .parquet).

    An events file with no events (a header alone) draws nothing, and says so.

    \b
    Examples:
      airwarden map events.csv --tracks states.csv.gz
      airwarden map events.parquet --tracks traces/ --event 3 --image pdf
      airwarden map events.csv --tracks states.csv.gz --maps-limit 50 --maps-where CHE
    \f

    Examples
    --------
    >>> from click.testing import CliRunner
    >>> from detect.cli.group import main
    >>> from detect.events_io import write_events
    >>> from detect.example_data import EXAMPLE_AIRSPACE, EXAMPLE_TRACKS, example_tables
    >>> runner = CliRunner()
    >>> with runner.isolated_filesystem():
    ...     _ = write_events(example_tables()[0], "events.csv")
    ...     result = runner.invoke(main, ["map", "events.csv", "--tracks", str(EXAMPLE_TRACKS), "--airspace",
    ...                                   str(EXAMPLE_AIRSPACE), "--event", "1", "--out-dir", "maps"])
    ...     pictures = sorted(path.name for path in Path("maps").iterdir())
    >>> result.exit_code, [name for name in pictures if name.startswith("event-")]
    (0, ['event-001_EX-DRONE1_EST.png', 'event-001_EX-DRONE1_EST_profile.png'])
    """
    from detect.events_io import read_events

    with input_errors():
        events = read_events(events_path)
        if events.empty:
            click.echo(f"{events_path}: no events: no maps drawn", err=True)
            return
        if event_numbers:
            event_numbers = sorted(set(event_numbers))
            outside = [n for n in event_numbers if not 1 <= n <= len(events)]
            if outside:
                raise ValueError(f"{events_path}: no event {outside[0]} (it has {len(events)}, from 1)")
        tracks, _ = read_recordings(track_files, reading)
        if not countries and not airspace_paths:
            countries = _national_codes(events)
        airspace = airspace_table(airspace_paths, countries)
        terrain = terrain_model(airspace, terrain)
    draw_maps(events, tracks, airspace, maps_dir, formats=(image_format,), numbers=event_numbers or None,
              choice=maps_choice, terrain=terrain)


def _national_codes(events) -> str | None:
    """The states of national airspace ids (``national-EST``) the events name."""
    ids = events["airspace_id"].dropna().unique()
    codes = sorted({airspace_id.split("-", 1)[1] for airspace_id in ids if airspace_id.startswith("national-")})
    if not codes:
        raise ValueError("the events name no national airspace: give --against or --airspace")
    return ",".join(codes)


__test__ = {"map_command": map_command.callback}  # a command is no function: its examples run so
