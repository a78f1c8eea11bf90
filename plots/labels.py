"""Text for people: UTC clock times, durations, distances in km and NM, altitudes in ft and FL, track names.

SI inside, aviation units at the edge: every function here takes metres,
seconds or UTC timestamps and returns the words written on a picture or in
the command line's messages, rounded the same way in both.
"""

import math

import pandas as pd

from borders import lookup
from tracks.units import FOOT_M, NAUTICAL_MILE_M


def utc_clock(time):
    """The UTC time of day as ``HH:MM:SS Z``.

    Examples
    --------
    >>> utc_clock(pd.Timestamp("2025-10-23 16:03:54.7Z"))
    '16:03:54 Z'
    """
    return f"{pd.Timestamp(time).tz_convert('UTC'):%H:%M:%S} Z"


def utc_date(time):
    """The UTC date as ``19 Sep 2025``.

    Examples
    --------
    >>> utc_date(pd.Timestamp("2025-09-19 23:59:59Z"))
    '19 Sep 2025'
    """
    stamp = pd.Timestamp(time).tz_convert("UTC")
    return f"{stamp.day} {stamp:%b %Y}"


def distance_label(distance_m):
    """A distance in km and NM, two decimals below 10 km, one above.

    Examples
    --------
    >>> distance_label(700.0)
    '0.70 km (0.38 NM)'
    >>> distance_label(12456.0)
    '12.5 km (6.7 NM)'
    """
    decimals = 2 if distance_m < 10_000 else 1
    return f"{distance_m / 1000:.{decimals}f} km ({distance_m / NAUTICAL_MILE_M:.{decimals}f} NM)"


def duration_label(duration_s):
    """A duration as ``18 s``, ``7 min 12 s`` or ``2 h 05 min`` (rounded to the second).

    Examples
    --------
    >>> duration_label(17.6), duration_label(431.5), duration_label(7500)
    ('18 s', '7 min 12 s', '2 h 05 min')
    """
    seconds = round(float(duration_s))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def limit_label(limit_m, reference):
    """A vertical limit as written on charts: ``SFC``, ``UNL``, ``FL95``, ``1500 ft MSL``.

    Parameters
    ----------
    limit_m : float
        Metres; ``-inf`` is the surface, ``+inf`` unlimited.
    reference : str
        ``SFC``, ``MSL``, ``STD`` (flight level) or ``AGL``.

    Examples
    --------
    >>> limit_label(-math.inf, "SFC"), limit_label(math.inf, "STD")
    ('SFC', 'UNL')
    >>> limit_label(95 * 100 * FOOT_M, "STD"), limit_label(457.2, "MSL")
    ('FL95', '1500 ft MSL')
    """
    if limit_m == -math.inf or reference == "SFC":
        return "SFC"
    if limit_m == math.inf:
        return "UNL"
    feet = limit_m / FOOT_M
    if reference == "STD":
        return f"FL{round(feet / 100):d}"
    return f"{round(feet):d} ft {reference}"


def country_name(code):
    """The English name of a country code, or the code itself if it is unknown.

    Examples
    --------
    >>> country_name("LTU"), country_name("XXX")
    ('Lithuania', 'XXX')
    """
    try:
        return str(lookup(code)["name"])
    except ValueError:
        return str(code)


def track_label(track_id, callsign=None):
    """A track's id, with its callsign if it has one that differs.

    Examples
    --------
    >>> track_label("SU30-01", "RFF7012"), track_label("MIG31-1", None)
    ('SU30-01 (callsign RFF7012)', 'MIG31-1')
    """
    if callsign is None or pd.isna(callsign) or str(callsign).strip() in ("", str(track_id)):
        return str(track_id)
    return f"{track_id} (callsign {str(callsign).strip()})"


def track_callsigns(tracks):
    """The callsign of each track that has one: the first one recorded.

    Parameters
    ----------
    tracks : pandas.DataFrame
        A tracks table, with or without a ``callsign`` column.

    Returns
    -------
    dict
        Track id to callsign (str); tracks without a callsign are left out.

    Examples
    --------
    >>> fixes = pd.DataFrame({"track_id": ["A", "A", "B", "C"], "callsign": [None, "RFF7012", "SAS1", None]})
    >>> track_callsigns(fixes)
    {'A': 'RFF7012', 'B': 'SAS1'}
    """
    if "callsign" not in tracks.columns:
        return {}
    known = tracks.dropna(subset=["callsign"])
    first = known.groupby("track_id", sort=False, observed=True)["callsign"].first()
    return {track_id: str(callsign) for track_id, callsign in first.items()}


def callsign_of(fixes):
    """The callsign of one track's fixes (the first one recorded), or None.

    Examples
    --------
    >>> callsign_of(pd.DataFrame({"track_id": ["A", "A"], "callsign": [None, "RFF7012"]}))
    'RFF7012'
    """
    return next(iter(track_callsigns(fixes).values()), None)
