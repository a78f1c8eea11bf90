"""What the commands of :mod:`detect.cli` share: errors, airspace, logging."""

from __future__ import annotations

import logging
import sys
import warnings

import click
import geopandas as gpd
import pandas as pd

from airspace import national
from airspace import read as read_airspace
from borders import ATTRIBUTION


class InputError(click.ClickException):
    """Bad input (a file, a code): a one-line message and exit status 2."""

    exit_code = 2


def airspace_table(paths, countries, *, dependencies=True):
    """The airspace table of airspace files and national airspace, reports on stderr."""
    parts = []
    if countries:
        parts.append(national(countries, dependencies=dependencies))
        click.echo(f"national airspace of {', '.join(parts[-1]['name'])}", err=True)
        click.echo(ATTRIBUTION, err=True)
    for path in paths:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            table, report = read_airspace(path)
        for warning in caught:
            click.echo(f"warning: {warning.message}", err=True)
        click.echo(str(report), err=True)
        parts.append(table)
    table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    duplicated = table["airspace_id"][table["airspace_id"].duplicated()]
    if len(duplicated):
        raise ValueError(f"airspace id {duplicated.iloc[0]!r} comes more than once; ids must be unique")
    return gpd.GeoDataFrame(table, geometry="geometry", crs="EPSG:4326")


def log_to_stderr(level):
    """Show the messages of the ``airwarden`` logger (what is being built, ...) on stderr."""
    logger = logging.getLogger("airwarden")
    logger.setLevel(level)
    if not any(getattr(handler, "airwarden_cli", False) for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler.airwarden_cli = True
        logger.addHandler(handler)
