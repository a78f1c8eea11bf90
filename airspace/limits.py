"""Vertical limits as airspace files write them, to metres and a reference.

:func:`parse_limit` reads one limit ("FL95", "1500 ft AMSL", "GND", "UNL",
...) to ``(metres, ref)`` with ``ref`` one of the airspace table's
:data:`~airspace.table.ALTITUDE_REFS`; :func:`parse_limits` does a whole
column.

Conventions
-----------
- The surface (``SFC``, ``GND``, ``SURFACE``, ``GROUND``, and a bare ``0``)
  is ``(-inf, "SFC")``; unlimited (``UNL``, ``UNLIM``, ``UNLTD``,
  ``UNLIMITED``) is ``(+inf, "STD")``, as :func:`airspace.make_airspace`
  writes UNL. ``MSL`` or ``AMSL`` alone is ``(0.0, "MSL")``.
- ``FL n`` is a flight level: ``n * 100`` ft of pressure altitude, ``"STD"``.
- A number without a unit is in feet (the OpenAir convention); ``m``,
  ``metre(s)``, ``meter(s)`` mark metres. Feet are converted with the exact
  international foot, 0.3048 m.
- A number without a reference is above mean sea level (``"MSL"``). The
  references read are ``AMSL``, ``MSL``, ``ALT`` (altitude: MSL), ``AGL``,
  ``GND``, ``AGND``, ``SFC``, ``ASFC`` (height above the ground: AGL) and
  ``STD`` (pressure altitude: STD).
- Case and spaces do not matter ("fl 095", "1500FT", "500 m amsl").
  ``0 AGL`` stays ``(0.0, "AGL")``: only the bare surface words and a bare
  ``0`` are the surface.

Two limits in one
-----------------
Some files write a limit as two: "FL130 but min 1000ft GND", "FL95 or
1000 ft AGL", "FL65/2000ft AGL (whichever is higher)". The airspace table
holds one limit, so :func:`parse_higher_limit` keeps the higher of the two,
compared as heights over sea level with the ground at sea level and standard
pressure (the convention of AGL limits without a terrain model): "FL95 or
1000 ft AGL" is FL95.
"""

import math
import re

import numpy as np
import pandas as pd

from tracks.units import FOOT_M

_SURFACE = {"SFC", "GND", "SURFACE", "GROUND", "0"}
_UNLIMITED = {"UNL", "UNLIM", "UNLTD", "UNLIMITED"}
_SEA_LEVEL = {"MSL", "AMSL"}
_REFS = {
    "AMSL": "MSL",
    "MSL": "MSL",
    "ALT": "MSL",
    "AGL": "AGL",
    "GND": "AGL",
    "AGND": "AGL",
    "SFC": "AGL",
    "ASFC": "AGL",
    "STD": "STD",
}
_FEET = {"", "FT", "F", "FEET", "FOOT", "'"}
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_FLIGHT_LEVEL = re.compile(rf"FL\s*(?P<level>{_NUMBER})(?:\s*STD)?")
_HEIGHT = re.compile(
    rf"(?P<value>{_NUMBER})\s*(?P<unit>FT|FEET|FOOT|F|'|METRES?|METERS?|M)?"
    rf"\s*(?P<ref>{'|'.join(sorted(_REFS, key=len, reverse=True))})?"
)
_TWO_LIMITS = re.compile(r"\s*(?:/|\bOR\b|\b(?:BUT|AND)\s+MIN(?:IMUM)?\b|,)\s*")
_WHICHEVER = re.compile(r"\s*\(?\s*WHICHEVER\s+IS\s+(?:THE\s+)?HIGHER\s*\)?\s*$")
_HINT = "write e.g. 'FL95', '1500 ft AMSL', '500 m AGL', 'GND' or 'UNL'"


def parse_limit(text):
    """Read one vertical limit to metres and a reference.

    Parameters
    ----------
    text : str
        A limit as airspace files write it; see the module notes for the
        spellings and conventions.

    Returns
    -------
    metres : float
        ``-inf`` for the surface, ``+inf`` for unlimited.
    ref : str
        ``"SFC"``, ``"MSL"``, ``"STD"`` or ``"AGL"``.

    Raises
    ------
    ValueError
        Quoting `text` when it is not a limit (empty, two references, a
        flight level with a unit, ...).

    Examples
    --------
    >>> parse_limit("FL 095")
    (2895.6, 'STD')
    >>> parse_limit("1500ft AMSL"), parse_limit("500 m agl"), parse_limit("2000")
    ((457.2, 'MSL'), (500.0, 'AGL'), (609.6, 'MSL'))
    >>> parse_limit("GND"), parse_limit("UNLIMITED"), parse_limit("MSL")
    ((-inf, 'SFC'), (inf, 'STD'), (0.0, 'MSL'))
    """
    if not isinstance(text, str):
        raise ValueError(f"cannot read the vertical limit {text!r}: not text; {_HINT}")
    word = " ".join(text.upper().split())
    if word in _SURFACE:
        return -math.inf, "SFC"
    if word in _UNLIMITED:
        return math.inf, "STD"
    if word in _SEA_LEVEL:
        return 0.0, "MSL"
    level = _FLIGHT_LEVEL.fullmatch(word)
    if level:
        return _round(float(level["level"]) * 100 * FOOT_M), "STD"
    height = _HEIGHT.fullmatch(word)
    if height is None:
        raise ValueError(f"cannot read the vertical limit {text!r}; {_HINT}")
    value = float(height["value"])
    metres = value * FOOT_M if (height["unit"] or "") in _FEET else value
    return _round(metres), _REFS.get(height["ref"], "MSL")


def parse_higher_limit(text):
    """Read a limit written as two ("FL130 but min 1000ft GND") to the higher of them.

    Parameters
    ----------
    text : str
        Two limits that :func:`parse_limit` reads, joined by ``/``, ``or``,
        ``but min``, ``and min`` or a comma, perhaps followed by
        "(whichever is higher)".

    Returns
    -------
    metres : float
    ref : str
        The higher limit, compared as heights over sea level with the
        ground at sea level and standard pressure (see the module notes).
    kept, dropped : str
        The two limits as written (upper case), the one kept first.

    Raises
    ------
    ValueError
        Quoting `text` when it is not two limits that read.

    Examples
    --------
    >>> parse_higher_limit("FL130 but min 1000ft GND")
    (3962.4, 'STD', 'FL130', '1000FT GND')
    >>> parse_higher_limit("FL 65 or 2500 m AGL (whichever is higher)")[:3]
    (2500.0, 'AGL', '2500 M AGL')
    """
    word = _WHICHEVER.sub("", " ".join(str(text).upper().split()))
    parts = [part for part in _TWO_LIMITS.split(word) if part]
    if len(parts) != 2:
        raise ValueError(f"cannot read the vertical limit {text!r}; {_HINT}")
    limits = [parse_limit(part) for part in parts]
    higher = int(limits[1][0] > limits[0][0])
    return (*limits[higher], parts[higher], parts[1 - higher])


def parse_limits(texts, *, source="limits"):
    """Read a column of vertical limits.

    Parameters
    ----------
    texts : array_like of str
        Limits as :func:`parse_limit` reads them. Each distinct spelling is
        parsed once.
    source : str, optional
        What the column is (a file and column name), for messages.

    Returns
    -------
    metres : numpy.ndarray of float64
    refs : numpy.ndarray of object (str)

    Raises
    ------
    ValueError
        ``"{source}: row {k}: cannot read ..."`` for the first row (0-based)
        that is not a limit, a missing value included.

    Examples
    --------
    >>> metres, refs = parse_limits(["GND", "FL65", "GND", "3000 ft MSL"])
    >>> metres.tolist(), refs.tolist()
    ([-inf, 1981.2, -inf, 914.4], ['SFC', 'STD', 'SFC', 'MSL'])
    """
    column = pd.Series(np.asarray(texts, dtype=object))
    codes, spellings = pd.factorize(column, use_na_sentinel=True)
    if (codes < 0).any():
        pos = int(np.argmax(codes < 0))
        raise ValueError(f"{source}: row {pos}: missing vertical limit; {_HINT}")
    parsed_m = np.empty(len(spellings))
    parsed_ref = np.empty(len(spellings), dtype=object)
    for k, spelling in enumerate(spellings):
        try:
            parsed_m[k], parsed_ref[k] = parse_limit(spelling)
        except ValueError as exc:
            raise ValueError(f"{source}: row {int(np.argmax(codes == k))}: {exc}") from None
    return parsed_m[codes], parsed_ref[codes]


def _round(metres):
    """Metres rounded to the micrometre, so that 9500 ft reads 2895.6, not 2895.6000000000004."""
    return round(metres, 6) + 0.0
