"""What the command-line tests share: the example files, and one run of ``airwarden``."""

from importlib import resources

from click.testing import CliRunner

from detect.cli.group import main

EXAMPLES = resources.files("detect") / "examples"
TRACKS = str(EXAMPLES / "baltic_tracks.csv")
AIRSPACE = str(EXAMPLES / "baltic_airspace.geojson")


def run(*args):
    """``airwarden ARGS`` in this process, its result; never a traceback."""
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    assert "Traceback" not in result.output + result.stderr, result.stderr
    return result
