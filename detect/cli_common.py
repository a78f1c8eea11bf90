"""What the commands of :mod:`detect.cli` share: the group, errors, airspace, logging.

Up front, the command line imports only click, the standard library and
modules that import nothing more (:mod:`borders.attribution`,
:mod:`detect.event_files`, :mod:`tracks.formats`): each command imports what
it needs when it runs, so that ``--help``, ``--version`` and usage errors are
answered at once.
"""

from __future__ import annotations

import contextlib
import logging
import math
import sys
import warnings

import click

from borders import ATTRIBUTION
from detect.cli_run import interrupted


class Group(click.Group):
    """A click group on which Ctrl-C, while a command is parsed or run, ends in :func:`interrupted`.

    click would print "Aborted!" and exit with status 1.
    """

    def make_context(self, *args, **kwargs):
        with _interruptible():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx):
        with _interruptible():
            return super().invoke(ctx)


@contextlib.contextmanager
def _interruptible():
    """Turn Ctrl-C into :func:`interrupted` (one line on stderr, exit status 130)."""
    try:
        yield
    except KeyboardInterrupt:
        interrupted()


class InputError(click.ClickException):
    """Bad input (a file, a code): a one-line message and exit status 2."""

    exit_code = 2


class FiniteNumber(click.ParamType):
    """A finite number above zero, or at least zero with ``allow_zero``."""

    name = "number"

    def __init__(self, *, allow_zero: bool = False):
        self.allow_zero = allow_zero

    def convert(self, value, param, ctx):
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number) or number < 0 or (number == 0 and not self.allow_zero):
            self.fail(f"{value!r}: give a finite number {'>= 0' if self.allow_zero else '> 0'}", param, ctx)
        return number


POSITIVE = FiniteNumber()
NOT_NEGATIVE = FiniteNumber(allow_zero=True)


def writable_path(path):
    """Refuse, before any work, an output path whose folder does not exist."""
    if path is not None and not path.parent.is_dir():
        raise InputError(f"{path}: no folder {str(path.parent)!r} to write into")
    return path


def airspace_table(paths, countries, *, dependencies=True):
    """The airspace table of airspace files and national airspace, reports on stderr."""
    import geopandas as gpd
    import pandas as pd

    from airspace import national
    from airspace import read as read_airspace

    parts = []
    if countries:
        parts.append(national(countries, dependencies=dependencies))
        click.echo(f"national airspace of {_listed(list(parts[-1]['name']))}", err=True)
        click.echo(ATTRIBUTION, err=True)
    for path in paths:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            table, report = read_airspace(path)
        for warning in caught:
            click.echo(f"warning: {warning.message}", err=True)
        click.echo(str(report), err=True)
        if table.empty:
            raise InputError(f"{path}: no usable airspace volume in the file")
        parts.append(table)
    table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    duplicated = table["airspace_id"][table["airspace_id"].duplicated()]
    if len(duplicated):
        raise ValueError(f"airspace id {duplicated.iloc[0]!r} comes more than once; ids must be unique")
    return gpd.GeoDataFrame(table, geometry="geometry", crs="EPSG:4326")


def _listed(names, most=40, shown=8):
    """`names` joined for a message; a list longer than `most` (``--against all``) shortened."""
    if len(names) <= most:
        return ", ".join(names)
    first = ", ".join(names[:shown])
    return f"{len(names)} states and territories: {first}, ... and {len(names) - shown} more"


def log_to_stderr(level):
    """Show the messages of the ``airwarden`` logger (what is being built, ...) on stderr.

    Called once per command. In a process that runs several commands (tests
    with click's ``CliRunner``, which swaps ``sys.stderr`` for each), the
    handler is pointed at the ``sys.stderr`` of the moment, so that the
    messages reach the command being run, not a stream of an earlier one.
    """
    logger = logging.getLogger("airwarden")
    logger.setLevel(level)
    for handler in logger.handlers:
        if getattr(handler, "airwarden_cli", False):
            handler.setStream(sys.stderr)
            return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.airwarden_cli = True
    logger.addHandler(handler)
