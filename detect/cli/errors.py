"""Bad input to a command, said in one line: a file, a code, a value only the work can judge.

Every command reports bad input the same way: ``Error: MESSAGE`` on one line
of stderr, naming the file (and line) where known, and exit status 2. A bad
option value that the command line can judge alone is refused by click
before any work (:class:`click.BadParameter`, see :mod:`detect.cli.values`),
in click's words and with the same status.
"""

import contextlib

import click


class InputError(click.ClickException):
    """Bad input (a file, a code): ``Error: MESSAGE`` on one line of stderr, and exit status 2.

    Parameters
    ----------
    message : str
        What is wrong, naming the file (and line) where known. Several lines
        are joined into one with ``"; "``.

    Examples
    --------
    >>> InputError("flights.csv:4: rejected\\n(strict mode)").format_message()
    'flights.csv:4: rejected; (strict mode)'
    """

    exit_code = 2

    def __init__(self, message):
        lines = [line.strip() for line in str(message).splitlines() if line.strip()]
        super().__init__("; ".join(lines) or "bad input")


@contextlib.contextmanager
def input_errors():
    """Turn a ``ValueError``, ``OSError`` or ``ImportError`` raised inside into an :class:`InputError`.

    The readers of airwarden raise ``ValueError`` naming the file and line;
    the operating system raises ``OSError`` naming the file; an optional
    dependency that is missing raises ``ImportError`` saying what to install.

    Examples
    --------
    >>> with input_errors():
    ...     raise ValueError("zones.txt:12: no closing DP")
    Traceback (most recent call last):
    ...
    detect.cli.errors.InputError: zones.txt:12: no closing DP
    """
    try:
        yield
    except (ValueError, OSError, ImportError) as error:
        raise InputError(str(error)) from None
