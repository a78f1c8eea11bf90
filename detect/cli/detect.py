"""``airwarden detect``: the events of recordings, all at once, as CSV on stdout or a file, here or on dask."""

import sys
import time
from pathlib import Path

import click

from borders import ATTRIBUTION
from detect.cli.say import say
from detect.cli.errors import input_errors
from detect.cli.inputs import activated, airspace_table, read_recordings, reading_keywords
from detect.cli.filtering import check_time_range, chosen_volumes, registry_note
from detect.cli.options import (
    activation_options, against_option, airspace_option, detection_options, event_filter_options, reading_options,
    track_files_argument, volume_choice_options,
)
from detect.example_data import EXAMPLE_AIRSPACE, EXAMPLE_TRACKS

@click.command("detect", epilog=ATTRIBUTION)
@track_files_argument(required=False)
@against_option()
@airspace_option()
@click.option("--example", is_flag=True, help="Run on the small example shipped with airwarden.")
@reading_options
@detection_options
@volume_choice_options
@event_filter_options
@activation_options
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Detect in N threads, each on a part of the tracks (default: one per core; "
                   "with --scheduler, 1 per dask task).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Run on a dask cluster: the address of its scheduler (tcp://host:8786), or 'local' "
                   "for one on this machine. TRACK_FILES may be glob patterns. Needs airwarden[dask].")
@click.option("--out", type=click.Path(path_type=Path), default=None, metavar="PATH",
              help="Write the events to PATH (.csv, .json, .geojson, .parquet) instead of stdout; "
                   "with --scheduler, PATH.parquet is a Parquet dataset, a file per partition.")
def detect_command(track_files, countries, airspace_paths, example, reading, detection, volume_choice,
                   event_filters, activation, workers, scheduler, out):
    """Print the events of TRACK_FILES in the airspace as CSV on stdout, all at once.

    TRACK_FILES are recordings in any format airwarden reads (see `airwarden
    tracks --help`), such as a CSV with the tracks-table columns track_id,
    time, lon, lat, alt_baro_m, alt_geo_m. Rejected rows are counted by
    reason on stderr. The CSV is that of `airwarden replay --out events.csv`
    (times to the nanosecond): `airwarden map` draws it. To watch events as
    they happen, use `airwarden replay`.

    \b
    Examples:
      airwarden detect --example
      airwarden detect flights.csv --against EST,FIN > events.csv
      airwarden detect flights.csv --against all > crossings.csv   # every stay in every state
      airwarden detect flights.csv --airspace zones.geojson --airspace danger.txt
      airwarden detect flights.csv --airspace zones.gpkg --max-gap 120 --min-depth 100
      airwarden detect states.csv --against FRA,ITA --foreign-only --exclude-registry RUS
      airwarden detect flights.igc --airspace france.txt --class R,P,Q --min-alt 1000ft --max-alt FL195
      airwarden detect states.csv --against EST --from 2025-09-19T06:00Z --to 2025-09-19T09:00Z
      airwarden detect flights.csv --airspace tra.txt --active 2025-09-19T06:00Z/2025-09-19T09:00Z
      airwarden detect flights.csv --airspace tra.txt --activation windows.csv
      airwarden detect radar.csv --column time=ts --column aircraft=hex --column lon=x \\
          --column lat=y --unit time=ms --split-gap 600 --against POL
      airwarden detect 'states/*.parquet' --against EU --scheduler local --out events.parquet
      airwarden detect 'states/*.csv.gz' --against EU --scheduler tcp://10.0.0.5:8786 > events.csv
    \f

    Examples
    --------
    >>> from click.testing import CliRunner
    >>> from detect.cli.group import main
    >>> result = CliRunner().invoke(main, ["detect", "--example"])
    >>> rows = result.stdout.splitlines()
    >>> result.exit_code, rows[0].split(",")[:3], len(rows) - 1
    (0, ['track_id', 'airspace_id', 'country'], 5)
    """
    check_time_range(event_filters)
    if example:
        if track_files or airspace_paths or countries:
            raise click.UsageError("--example takes no TRACK_FILES, --airspace or --against")
        track_files, airspace_paths = (EXAMPLE_TRACKS,), (EXAMPLE_AIRSPACE,)
    elif not track_files or not (airspace_paths or countries):
        raise click.UsageError("give TRACK_FILES and --airspace FILE or --against CODES, or --example")

    if scheduler is not None:
        from detect.cli.cluster import detect_on_cluster

        with input_errors():
            airspace = chosen_volumes(activated(airspace_table(airspace_paths, countries), activation), volume_choice)
        detect_on_cluster(track_files, reading_keywords(reading), airspace,
                          {"workers": workers, **detection, **event_filters}, scheduler, out)
        return

    from detect.core import find_violations
    from detect.events_io import write_events
    from tracks.registry import registry_counts

    with input_errors():
        tracks, _ = read_recordings(track_files, reading)
        airspace = chosen_volumes(activated(airspace_table(airspace_paths, countries), activation), volume_choice)

    started = time.perf_counter()
    with input_errors():
        events = find_violations(tracks, airspace, workers=workers, **detection, **event_filters)
    elapsed = time.perf_counter() - started
    write_events(events, sys.stdout if out is None else out, ending=".csv")
    note = registry_note(registry_counts(tracks), events, event_filters)
    if note:
        say(note)
    say(f"{len(events)} event(s) from {len(tracks)} fixes in {elapsed:.2f} s")


__test__ = {"detect_command": detect_command.callback}  # a command is no function: its examples run so
