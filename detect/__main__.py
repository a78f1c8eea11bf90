"""Run the airwarden command line: ``python -m detect``."""

from detect.cli_run import run

run()
