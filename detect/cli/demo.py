"""``airwarden demo``: replay the built-in illustrative scenario and draw its maps."""

from pathlib import Path

import click

from detect.cli.say import say
from detect.cli.drawing import draw_maps
from detect.cli.errors import InputError
from detect.cli.replaying import run_replay


@click.command("demo")
@click.argument("out_dir", required=False, type=click.Path(file_okay=False, path_type=Path),
                default=Path("airwarden-demo"))
@click.option("--no-maps", is_flag=True, help="Only the events, no pictures (faster).")
def demo_command(out_dir, no_maps):
    """Replay the built-in illustrative scenario against national airspace.

    The airspace guarded is that of Estonia, Finland, Latvia, Lithuania and
    Poland.

    Three fast jets near Vaindloo (Estonia), a swarm of drones from Belarus
    into Poland, a fighter and a tanker from Kaliningrad briefly inside
    Lithuania, and ordinary traffic in the Gulf of Finland corridor. Writes
    the events table and every map into OUT_DIR (default airwarden-demo).
    The scenario is illustrative, built from public reports: not recorded data.
    \f

    Examples
    --------
    >>> from click.testing import CliRunner
    >>> from detect.cli.group import main
    >>> result = CliRunner().invoke(main, ["demo", "--help"])  # the demo itself builds three states' airspace
    >>> result.exit_code, "--no-maps" in result.stdout
    (0, True)
    """
    from airspace import national
    from detect.scenario import DEFENDED_COUNTRIES, ILLUSTRATIVE_NOTE, scenario_tracks

    click.secho(ILLUSTRATIVE_NOTE, err=True, bold=True)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{out_dir}: cannot make the folder ({error.strerror})") from None
    tracks = scenario_tracks()
    airspace = national(list(DEFENDED_COUNTRIES))
    say(f"against the national airspace of {', '.join(airspace['name'])}")
    events = run_replay(tracks, airspace, out_path=out_dir / "events.csv")
    if not no_maps:
        draw_maps(events, tracks, airspace, out_dir, illustrative=True)
    click.secho(ILLUSTRATIVE_NOTE, err=True, bold=True)


__test__ = {"demo_command": demo_command.callback}  # a command is no function: its examples run so
