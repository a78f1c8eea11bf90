"""Run the airwarden command line: ``python -m detect``."""

from detect.cli.entry import run

run()
