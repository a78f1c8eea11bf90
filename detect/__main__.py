"""Run the airwarden command line: ``python -m detect``."""

from detect.cli import main

main()
