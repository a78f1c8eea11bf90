"""The error every reader of airwarden raises for a file it cannot read.

Shared by every package (see ``tests/test_layers.py``): it imports nothing
of ours, so that the airspace and events readers raise it too.
"""


class ReadError(ValueError):
    """A file that cannot be read, said in one line naming the file (and line).

    Raised by every reader of airwarden (tracks, airspace and events files)
    for a missing, empty, binary, truncated or malformed file, and in strict
    mode for a rejected row. The message starts with the file's path, then
    ``:LINE`` where there is one: ``"flights.csv:12: a quote (\\") is left
    open"``. It is a :class:`ValueError`, so that code catching those
    catches it too.

    Parameters
    ----------
    message : str
        What is wrong. Several lines are joined into one with ``"; "``.

    Examples
    --------
    >>> error = ReadError("zones.txt:12: no closing DP\\n(strict mode)")
    >>> str(error), isinstance(error, ValueError)
    ('zones.txt:12: no closing DP; (strict mode)', True)
    """

    def __init__(self, message):
        lines = [line.strip() for line in str(message).splitlines() if line.strip()]
        super().__init__("; ".join(lines) or "unreadable file")
