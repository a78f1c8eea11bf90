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
    """A distance in km and NM, two decimals below 10 km, one above; in metres below 100 m.

    Examples
    --------
    >>> distance_label(700.0)
    '0.70 km (0.38 NM)'
    >>> distance_label(12456.0)
    '12.5 km (6.7 NM)'
    >>> distance_label(36.4), distance_label(3.2)
    ('36 m (0.020 NM)', '3.2 m (0.002 NM)')
    """
    if distance_m < 100:
        metres = f"{distance_m:.1f}" if distance_m < 10 else f"{distance_m:.0f}"
        return f"{metres} m ({distance_m / NAUTICAL_MILE_M:.3f} NM)"
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


def position_label(lon_deg, lat_deg, decimals=4):
    """A position as latitude then longitude with their hemispheres: ``46.5859°N 1.4417°W``.

    Examples
    --------
    >>> position_label(-1.44171, 46.58594)
    '46.5859°N 1.4417°W'
    >>> position_label(-88.0369, -12.5, decimals=2)
    '12.50°S 88.04°W'
    >>> position_label(float("nan"), 50.0)
    'position unknown'
    """
    if not (math.isfinite(lon_deg) and math.isfinite(lat_deg)):
        return "position unknown"
    lat_text = f"{abs(lat_deg):.{decimals}f}\u00b0{'N' if lat_deg >= 0 else 'S'}"
    lon_text = f"{abs(lon_deg):.{decimals}f}\u00b0{'E' if lon_deg >= 0 else 'W'}"
    return f"{lat_text} {lon_text}"


def has_country(code):
    """Whether a ``country`` cell names a state (custom airspace often has none: NaN, NA or empty).

    Examples
    --------
    >>> has_country("EST"), has_country(float("nan")), has_country(pd.NA), has_country(""), has_country(None)
    (True, False, False, False, False)
    """
    return not pd.isna(code) and str(code).strip() != ""


def volume_words(volume):
    """Where an event happened, for a title: a state's airspace, or a custom volume by name and id.

    Parameters
    ----------
    volume : mapping
        A row of the airspace table (``airspace_id``, ``name``, ``country``, ``kind``).

    Examples
    --------
    >>> volume_words({"airspace_id": "national-EST", "name": "Estonia", "country": "EST", "kind": "national"})
    'the airspace of Estonia'
    >>> volume_words({"airspace_id": "R45A", "name": "LF-R 45 A", "country": None, "kind": "restricted"})
    'LF-R 45 A (restricted, id R45A)'
    """
    if has_country(volume["country"]):
        return f"the airspace of {country_name(volume['country'])}"
    name, airspace_id = str(volume["name"]), str(volume["airspace_id"])
    same = name.strip() == airspace_id.strip()
    return f"{name} ({volume['kind']}{'' if same else f', id {airspace_id}'})"


def where_key(event):
    """The part of a file name or a summary row that says where: the state, else the volume id.

    Examples
    --------
    >>> where_key({"country": "LTU", "airspace_id": "national-LTU"})
    'LTU'
    >>> where_key({"country": None, "airspace_id": "R45A"})
    'R45A'
    """
    return str(event["country"]) if has_country(event["country"]) else str(event["airspace_id"])


LOW_CERTAINTY_S = 60.0
"""An entry or exit whose time is known no better than this (s) makes an event low-certainty."""


def doubts(event):
    """What makes an event doubtful, in words; empty when nothing does.

    An event is *suspect* when it rests on fixes the reader flagged
    (impossible jumps, frozen positions: GNSS spoofing), and of *low
    certainty* when its entry or exit lies in a recorded segment longer
    than :data:`LOW_CERTAINTY_S` (the time of the crossing is known only
    to within that segment), or when the recording had a gap there. An
    event in a volume with an AGL limit says *ground assumed* where the
    ground was taken at sea level (no terrain model there).

    Examples
    --------
    >>> doubts({"suspect": True, "entry_uncertainty_s": 10.0, "exit_uncertainty_s": 377.0})
    ['SUSPECT (fixes flagged)', 'LOW CERTAINTY (exit \u00b1377 s)']
    >>> doubts({"ground_assumed": True, "entry_uncertainty_s": 5.0, "exit_uncertainty_s": 5.0})
    ['GROUND ASSUMED (AGL limit over sea level)']
    >>> doubts({"suspect": False, "entry_uncertainty_s": 5.0, "exit_uncertainty_s": float("nan")})
    []
    """
    found = []
    suspect = event.get("suspect", False)
    if not pd.isna(suspect) and bool(suspect):
        found.append("SUSPECT (fixes flagged)")
    loose = []
    for which in ("entry", "exit"):
        seconds = event.get(f"{which}_uncertainty_s", float("nan"))
        try:
            seconds = float(seconds)
        except (TypeError, ValueError):
            continue
        if math.isfinite(seconds) and seconds > LOW_CERTAINTY_S:
            loose.append(f"{which} \u00b1{seconds:.0f} s")
        elif event.get(f"{which}_face") == "gap":
            loose.append(f"{which} at a gap")
    if loose:
        found.append(f"LOW CERTAINTY ({', '.join(loose)})")
    ground_assumed = event.get("ground_assumed", False)
    if not pd.isna(ground_assumed) and bool(ground_assumed):
        found.append("GROUND ASSUMED (AGL limit over sea level)")
    return found


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
