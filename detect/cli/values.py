"""The kinds of value the options of the command line take.

Each is a :class:`click.ParamType` that refuses a bad value with
:class:`click.BadParameter` (exit status 2) before any work.
"""

import math
from pathlib import Path

import click


class FiniteNumber(click.ParamType):
    """A finite number above zero, or at least zero with ``allow_zero``.

    Examples
    --------
    >>> POSITIVE.convert("2.5", None, None), NOT_NEGATIVE.convert("0", None, None)
    (2.5, 0.0)
    >>> POSITIVE.convert("nan", None, None)
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: 'nan': give a finite number > 0
    """

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


class Pair(click.ParamType):
    """``TARGET=VALUE``, as the tuple ``(TARGET, VALUE)``, both stripped and not empty.

    Examples
    --------
    >>> Pair().convert(" alt_baro = ft ", None, None)
    ('alt_baro', 'ft')
    """

    name = "TARGET=VALUE"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        key, sep, rest = value.partition("=")
        if not sep or not key.strip() or not rest.strip():
            self.fail(f"{value!r}: expected TARGET=VALUE", param, ctx)
        return key.strip(), rest.strip()


class OutputFile(click.ParamType):
    """A file to write, ending in one of `endings`, in a folder that exists, as a :class:`pathlib.Path`.

    Parameters
    ----------
    endings : sequence of str
        The endings taken, lowercase, with the dot.

    Examples
    --------
    >>> OutputFile([".parquet", ".csv"]).convert("tracks.CSV", None, None).name
    'tracks.CSV'
    >>> OutputFile([".parquet", ".csv"]).convert("tracks.xlsx", None, None)
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: 'tracks.xlsx' must end with .parquet or .csv
    """

    name = "file"

    def __init__(self, endings):
        self.endings = tuple(endings)

    def convert(self, value, param, ctx):
        path = Path(value)
        if path.suffix.lower() not in self.endings:
            *others, last = self.endings
            either = f"{', '.join(others)} or {last}" if others else last
            self.fail(f"{str(value)!r} must end with {either}", param, ctx)
        if path.is_dir():
            self.fail(f"{str(value)!r} is a folder", param, ctx)
        if not path.parent.is_dir():
            self.fail(f"no folder {str(path.parent)!r} to write into", param, ctx)
        return path
