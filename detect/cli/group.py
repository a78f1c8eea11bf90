"""The ``airwarden`` command group: global options, logging, Ctrl-C, and the commands.

Each command lives in a module of its own and is added here; the group's
callback points the ``airwarden`` logger at stderr, and prints Python
warnings there as one line each.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import warnings

import click

from borders import ATTRIBUTION
from detect.cli.airspace import airspace_command
from detect.cli.countries import countries_command
from detect.cli.demo import demo_command
from detect.cli.detect import detect_command
from detect.cli.entry import interrupted
from detect.cli.map import map_command
from detect.cli.replay import replay_command
from detect.cli.tracks import tracks_command


class Group(click.Group):
    """A click group on which Ctrl-C, while a command is parsed or run, ends in :func:`interrupted`.

    click would print "Aborted!" and exit with status 1.

    Examples
    --------
    >>> import click
    >>> from click.testing import CliRunner
    >>> @click.group(cls=Group)
    ... def tool():
    ...     '''A tool.'''
    >>> @tool.command()
    ... def hello():
    ...     click.echo("hello")
    >>> CliRunner().invoke(tool, ["hello"]).stdout.strip()
    'hello'
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


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=ATTRIBUTION)
@click.version_option(package_name="airwarden")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors on stderr.")
def main(quiet):
    """airwarden: find airspace violations in recorded flight tracks.

    Every stay of a track inside an airspace volume is one event, with the
    exact entry and exit (at the boundary crossing, between fixes too), its
    duration and its depth.
    \f

    Examples
    --------
    >>> from click.testing import CliRunner
    >>> result = CliRunner().invoke(main, ["--help"])
    >>> result.exit_code, [name for name in ("replay", "detect", "map", "tracks") if name in result.stdout]
    (0, ['replay', 'detect', 'map', 'tracks'])
    """
    log_to_stderr(logging.WARNING if quiet else logging.INFO)
    warnings.simplefilter("default")  # each warning once per place and text, afresh for each command
    warnings.showwarning = show_warning


def show_warning(message, category, filename, lineno, file=None, line=None):
    """Print a Python warning as one line for people, ``warning: ...`` on stderr (no file, line or class).

    Examples
    --------
    >>> import io
    >>> from contextlib import redirect_stderr
    >>> with redirect_stderr(io.StringIO()) as stderr:
    ...     show_warning(UserWarning("AGL limits taking the ground at sea level"), UserWarning, "core.py", 1)
    >>> stderr.getvalue()
    'warning: AGL limits taking the ground at sea level\\n'
    """
    click.echo(f"warning: {message}", err=True)


def log_to_stderr(level):
    """Show the messages of the ``airwarden`` logger (what is being built, ...) on stderr.

    Called once per command. In a process that runs several commands (tests
    with click's ``CliRunner``, which swaps ``sys.stderr`` for each), the
    handler is pointed at the ``sys.stderr`` of the moment, so that the
    messages reach the command being run, not a stream of an earlier one.

    Examples
    --------
    >>> import io, logging
    >>> from contextlib import redirect_stderr
    >>> with redirect_stderr(io.StringIO()) as stderr:
    ...     log_to_stderr(logging.INFO)
    ...     logging.getLogger("airwarden").info("building the airspace of EST")
    >>> stderr.getvalue().strip()
    'building the airspace of EST'
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


for _command in (
    detect_command, replay_command, map_command, demo_command, tracks_command, countries_command,
    airspace_command,
):
    main.add_command(_command)


__test__ = {"main": main.callback}  # a group is no function: its examples run so
