"""``airwarden replay``: replay a recording and report every entry and exit as it happens.

See :mod:`detect.cli.replaying` for the replay itself.
"""

import sys

import click

from borders import ATTRIBUTION
from detect.cli.drawing import draw_maps
from detect.cli.errors import input_errors
from detect.cli.say import say
from detect.cli.inputs import activated, airspace_table, read_recordings, terrain_model
from detect.cli.filtering import check_time_range, chosen_volumes, registry_note
from detect.cli.options import (
    activation_options, against_option, airspace_option, detection_options, event_filter_options, maps_options,
    reading_options, track_files_argument, volume_choice_options,
)
from detect.cli.replaying import run_replay
from detect.cli.values import OUTPUT_FOLDER, POSITIVE, OutputFile
from detect.event_files import EVENT_FILE_ENDINGS


@click.command("replay", epilog=ATTRIBUTION)
@track_files_argument()
@against_option()
@airspace_option()
@click.option("--out", "out_path", type=OutputFile(EVENT_FILE_ENDINGS), default=None,
              help="Write the events table here: " + ", ".join(EVENT_FILE_ENDINGS) + ".")
@click.option("--json", "as_json", is_flag=True, help="Each entry and exit as a JSON line on stdout.")
@click.option("--maps", "maps_dir", type=OUTPUT_FOLDER, default=None,
              help="Draw an incident map and an altitude profile of every event into this folder.")
@click.option("--maps-event", "map_numbers", multiple=True, type=click.IntRange(min=1), metavar="N",
              help="Draw the pictures of event N only (numbered from 1 in table order). Repeatable.")
@maps_options
@click.option("--speed", type=POSITIVE, default=None, metavar="N", help="Replay at N times the recorded pace.")
@click.option("--realtime", is_flag=True, help="Replay at the recorded pace (--speed 1).")
@click.option("--fail-on-violation", is_flag=True,
              help="Exit with status 1 when there was a violation (near approaches do not count).")
@reading_options
@detection_options
@volume_choice_options
@event_filter_options
@activation_options
def replay_command(track_files, countries, airspace_paths, out_path, as_json, maps_dir, map_numbers, maps_choice,
                   speed, realtime, fail_on_violation, reading, detection, volume_choice, event_filters, activation):
    """Replay TRACK_FILES and report every entry into and exit from the airspace.

    TRACK_FILES are recordings in any format airwarden reads (see
    `airwarden tracks --help`). Exit status: 0 whether or not there were
    violations (1 with --fail-on-violation when there were; near approaches
    do not count), 2 on bad usage
    or input, 130 when interrupted (the events so far are written).

    \b
    Examples:
      airwarden replay states.csv.gz --against EST,FIN --out events.csv
      airwarden replay traces/ --against POL --speed 60 --maps maps/
      airwarden replay states.csv.gz --against CHE --maps maps/ --maps-limit 100   # the 100 deepest
      airwarden replay states.csv.gz --against all --out crossings.csv   # every stay in every state
      airwarden replay radar.csv --airspace zones.txt --json > events.jsonl
      airwarden replay states.csv.gz --against all --foreign-only --out foreign.csv
      airwarden replay flights.igc --airspace zones.txt --kind restricted,danger --max-alt FL100
      airwarden replay radar.csv --airspace tra.txt --activation windows.csv --out events.csv
      airwarden replay radar.txt --column time=ts --column aircraft=hex --column lon=x \\
          --column lat=y --column alt_baro=alt --unit alt_baro=ft --delimiter ';' --against EST
    \f

    Examples
    --------
    >>> import json
    >>> from click.testing import CliRunner
    >>> from detect.cli.group import main
    >>> from detect.example_data import EXAMPLE_AIRSPACE, EXAMPLE_TRACKS
    >>> result = CliRunner().invoke(main, ["replay", str(EXAMPLE_TRACKS), "--airspace", str(EXAMPLE_AIRSPACE),
    ...                                    "--json"])
    >>> notices = [json.loads(line)["notice"] for line in result.stdout.splitlines()]
    >>> result.exit_code, notices.count("entry"), len(notices)
    (0, 5, 10)
    """
    check_time_range(event_filters)
    if not (countries or airspace_paths):
        raise click.UsageError("give --against CODES and/or --airspace FILE")
    if speed is not None and realtime:
        raise click.UsageError("give --speed or --realtime, not both")
    with input_errors():
        tracks, _ = read_recordings(track_files, reading)
        airspace = chosen_volumes(activated(airspace_table(airspace_paths, countries), activation), volume_choice)
        detection["terrain"] = terrain_model(airspace, detection.get("terrain"))
    events = run_replay(
        tracks, airspace, speed=1.0 if realtime else speed, as_json=as_json, out_path=out_path, **detection,
        **event_filters,
    )
    from tracks.registry import registry_counts

    note = registry_note(registry_counts(tracks), events, event_filters)
    if note:
        say(note)
    if maps_dir is not None:
        draw_maps(events, tracks, airspace, maps_dir, numbers=list(map_numbers) or None, choice=maps_choice,
                  terrain=detection["terrain"])
    if fail_on_violation and (events["event"] == "violation").any():
        sys.exit(1)


__test__ = {"replay_command": replay_command.callback}  # a command is no function: its examples run so
