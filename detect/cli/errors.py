"""Bad input to a command: a file, a code, a value only the work can judge.

A bad option value the command line can judge alone is refused by click
(:class:`click.BadParameter`, see :mod:`detect.cli.values`).
"""

import click


class InputError(click.ClickException):
    """Bad input (a file, a code): a one-line message and exit status 2."""

    exit_code = 2
