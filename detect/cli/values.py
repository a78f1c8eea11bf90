"""The kinds of value the options of the command line take.

Each is a :class:`click.ParamType` that refuses a bad value with
:class:`click.BadParameter` (exit status 2) before any work.
"""

import math
import os
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


class Distance(click.ParamType):
    """A distance with its unit, ``NM``, ``km``, ``m`` or ``ft`` (any case), in metres; above zero, or at least zero.

    Examples
    --------
    >>> DISTANCE.convert("5NM", None, None), DISTANCE.convert("9 km", None, None), DISTANCE.convert("500ft", None, None)
    (9260.0, 9000.0, 152.4)
    >>> DISTANCE.convert("5", None, None)
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: '5': give a distance with its unit: NM, km, m or ft (e.g. 5NM, 9km, 500ft)
    """

    name = "distance"

    def __init__(self, *, allow_zero: bool = False):
        self.allow_zero = allow_zero

    def convert(self, value, param, ctx):
        if isinstance(value, float):
            return value
        from tracks.units import FOOT_M, NAUTICAL_MILE_M

        text = str(value).strip().lower()
        for unit, metres in (("nm", NAUTICAL_MILE_M), ("km", 1000.0), ("ft", FOOT_M), ("m", 1.0)):
            if text.endswith(unit):
                try:
                    number = float(text[:-len(unit)])
                except ValueError:
                    break
                if math.isfinite(number) and (number > 0 or (number == 0 and self.allow_zero)):
                    return round(number * metres, 9)
                self.fail(f"{value!r}: give a finite distance {'>= 0' if self.allow_zero else '> 0'}", param, ctx)
        self.fail(f"{value!r}: give a distance with its unit: NM, km, m or ft (e.g. 5NM, 9km, 500ft)", param, ctx)


DISTANCE = Distance()
DISTANCE_NOT_NEGATIVE = Distance(allow_zero=True)


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


class Interval(click.ParamType):
    """An activation window ``FROM/TO`` in ISO 8601 with a zone, as ``(valid_from, valid_to)`` in UTC.

    Read by :func:`airspace.activation.parse_interval` (``NONE`` leaves a side open).

    Examples
    --------
    >>> Interval().convert("2025-09-19T06:00Z/2025-09-19T09:00Z", None, None)[1]
    Timestamp('2025-09-19 09:00:00+0000', tz='UTC')
    >>> Interval().convert("2025-09-19T09:00Z/2025-09-19T06:00Z", None, None)
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: start after end in '2025-09-19T09:00Z/2025-09-19T06:00Z'
    """

    name = "FROM/TO"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        from airspace.activation import parse_interval

        try:
            return parse_interval(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


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


class OutputFolder(click.ParamType):
    """A folder to write into, made when needed; refused at once where it cannot be made (a file in the way).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     OUTPUT_FOLDER.convert(os.path.join(folder, "new", "maps"), None, None).name
    'maps'
    >>> with tempfile.NamedTemporaryFile() as file:
    ...     OUTPUT_FOLDER.convert(os.path.join(file.name, "maps"), None, None)
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: cannot make a folder there: ... is a file
    """

    name = "directory"

    def convert(self, value, param, ctx):
        path = Path(value)
        existing = next(folder for folder in (path, *path.parents) if folder.exists())
        if not existing.is_dir():
            self.fail(f"cannot make a folder there: {str(existing)!r} is a file", param, ctx)
        if not os.access(existing, os.W_OK | os.X_OK):
            self.fail(f"cannot write into {str(existing)!r}", param, ctx)
        return path


OUTPUT_FOLDER = OutputFolder()


class ZonedTime(click.ParamType):
    """An ISO 8601 time with its zone (``2025-09-19T06:00Z``, ``+03:00``), as an aware datetime; naive refused.

    Examples
    --------
    >>> ZONED_TIME.convert("2025-09-19T09:00+03:00", None, None).isoformat()
    '2025-09-19T09:00:00+03:00'
    >>> ZONED_TIME.convert("2025-09-19T06:00", None, None)
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: '2025-09-19T06:00' has no time zone: write 2025-09-19T06:00Z for UTC, or its offset
    """

    name = "time"

    def convert(self, value, param, ctx):
        from datetime import datetime

        if isinstance(value, datetime):
            return value
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 time: write e.g. 2025-09-19T06:00Z", param, ctx)
        if moment.tzinfo is None:
            self.fail(f"{value!r} has no time zone: write {value.strip()}Z for UTC, or its offset", param, ctx)
        return moment


ZONED_TIME = ZonedTime()


class Alpha3Codes(click.ParamType):
    """Comma-separated ISO 3166-1 alpha-3 codes, any case, as a sorted tuple of upper-case codes.

    Examples
    --------
    >>> ALPHA3_CODES.convert("fra, ITA", None, None)
    ('FRA', 'ITA')
    >>> ALPHA3_CODES.convert("FR", None, None)
    Traceback (most recent call last):
    ...
    click.exceptions.BadParameter: 'FR' is not an ISO 3166-1 alpha-3 code (e.g. FRA; see airwarden countries)
    """

    name = "codes"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        codes = [code.strip() for code in value.split(",") if code.strip()]
        for code in codes:
            if len(code) != 3 or not code.isascii() or not code.isalpha():
                self.fail(f"{code!r} is not an ISO 3166-1 alpha-3 code (e.g. FRA; see airwarden countries)",
                          param, ctx)
        return tuple(sorted({code.upper() for code in codes}))


ALPHA3_CODES = Alpha3Codes()
