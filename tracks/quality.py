"""Data quality: flag fixes no aircraft could have made (jumps) or that stopped moving (frozen).

GNSS spoofing and jamming make an aircraft appear far from where it is, or
stuck in one place; such fixes must not make false violations, so they are
flagged ``suspect`` (not removed), and events resting on them say so.

Impossible jump
    Two consecutive fixes of a flight further apart than
    ``MAX_GROUND_SPEED_MPS * (dt + TIME_QUANTUM_S) + POSITION_TOLERANCE_M``.
    1000 m/s is above the fastest aircraft ever flown operationally (SR-71
    about 980 m/s, MiG-25 about 940 m/s at altitude) even with a jet-stream
    tailwind, while airliners cruise at about 250 m/s. Times are often
    rounded to the second, so ``dt`` may be short by up to
    ``TIME_QUANTUM_S``; positions carry rounding (1e-4 degree is 11 m) and
    multilateration noise (hundreds of metres), covered by
    ``POSITION_TOLERANCE_M``. Spoofed positions jump tens to hundreds of
    kilometres, far above these margins. Both ends of the jump are flagged:
    which side is true cannot be told from two fixes, and an event that
    rests on either is doubtful.
Frozen position
    At least ``FROZEN_MIN_FIXES`` consecutive fixes of a flight at exactly
    the same ``lon``/``lat`` over more than ``FROZEN_MIN_S`` seconds, while
    the aircraft says it moves (a ground speed above
    ``AIRBORNE_MIN_SPEED_MPS`` on one of them) or that it is airborne
    (``on_ground`` false). Without a speed or on-ground column, frozen
    positions are not checked (a parked aircraft is frozen too).
"""

import numpy as np

from tracks.units import EARTH_RADIUS_M, METRES_PER_DEGREE

MAX_GROUND_SPEED_MPS = 1000.0
"""Ground speed above which a jump between two fixes is impossible."""

TIME_QUANTUM_S = 1.0
"""How much shorter than the true interval a recorded one may be (times rounded to 1 s)."""

POSITION_TOLERANCE_M = 500.0
"""Position noise allowed on top of the fastest possible flight between two fixes."""

FROZEN_MIN_S = 60.0
"""A position unchanged for longer than this, while moving, is frozen."""

FROZEN_MIN_FIXES = 3
"""A frozen position repeats on at least this many consecutive fixes."""

AIRBORNE_MIN_SPEED_MPS = 30.0
"""Ground speed (about 58 kt) that says an aircraft is moving."""

_BLOCK = 1 << 16  # pairs checked at once: the temporaries of a block stay in cache


def great_circle_m(lon1, lat1, lon2, lat2):
    """Haversine distance in metres between points given in degrees.

    Examples
    --------
    >>> round(float(great_circle_m(0.0, 0.0, 1.0, 0.0)))
    111195
    """
    lon1, lat1, lon2, lat2 = (np.radians(v) for v in (lon1, lat1, lon2, lat2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def impossible_jumps(lon, lat, time_ns, flight_start):
    """Fixes at either end of a jump faster than any aircraft.

    Parameters
    ----------
    lon, lat : numpy.ndarray of float64
        Degrees, fixes sorted by flight, then time.
    time_ns : numpy.ndarray of int64
        Nanoseconds.
    flight_start : numpy.ndarray of bool
        True on the first fix of each flight.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    Ten seconds apart, 1 degree of longitude (111 km) is impossible; 2 km is not:

    >>> s = 1_000_000_000
    >>> impossible_jumps(np.array([24.0, 25.0, 25.02]), np.zeros(3),
    ...                  np.array([0, 10, 20]) * s, np.array([True, False, False])).tolist()
    [True, True, False]
    """
    flagged = np.zeros(len(lon), dtype=bool)
    if len(lon) < 2:
        return flagged
    # the great circle is never longer than along a meridian, then a parallel:
    # only pairs this bound cannot clear need the exact distance (the bound is
    # first taken in degrees against a slightly lower limit, over all pairs,
    # block by block so that the temporaries stay in cache, then in metres over
    # the pairs left)
    margin = 1 - 1e-9  # for rounding: the exact test decides
    per_ns = MAX_GROUND_SPEED_MPS / 1e9 / METRES_PER_DEGREE * margin
    fixed = (MAX_GROUND_SPEED_MPS * TIME_QUANTUM_S + POSITION_TOLERANCE_M) / METRES_PER_DEGREE * margin
    found = []
    for start in range(0, len(lon) - 1, _BLOCK):
        pair = slice(start, min(start + _BLOCK, len(lon) - 1) + 1)
        limit_deg = np.diff(time_ns[pair]).astype(np.float64)
        limit_deg *= per_ns
        limit_deg += fixed
        bound_deg = np.diff(lon[pair])
        np.abs(bound_deg, out=bound_deg)
        np.minimum(bound_deg, 360.0 - bound_deg, out=bound_deg)
        bound_deg += np.abs(np.diff(lat[pair]))
        far = bound_deg > limit_deg
        far &= ~flight_start[pair][1:]
        found.append(start + np.flatnonzero(far))
    at = np.concatenate(found)
    limit = MAX_GROUND_SPEED_MPS * ((time_ns[at + 1] - time_ns[at]) / 1e9 + TIME_QUANTUM_S)
    limit += POSITION_TOLERANCE_M
    dlon = np.abs(lon[at + 1] - lon[at])
    bound_m = np.radians(np.abs(lat[at + 1] - lat[at]) + np.minimum(dlon, 360.0 - dlon))
    distance = great_circle_m(lon[at], lat[at], lon[at + 1], lat[at + 1])
    jump = at[(bound_m * EARTH_RADIUS_M > limit) & (distance > limit)]
    flagged[jump] = True
    flagged[jump + 1] = True
    return flagged


def frozen_positions(lon, lat, time_ns, flight_start, ground_speed_mps=None, on_ground=None):
    """Fixes of a position frozen while the aircraft says it moves.

    Parameters
    ----------
    lon, lat, time_ns, flight_start : numpy.ndarray
        As for :func:`impossible_jumps`.
    ground_speed_mps : numpy.ndarray of float64, optional
        NaN where unknown.
    on_ground : numpy.ndarray of int8, optional
        1 on the ground, 0 airborne, -1 unknown.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    Four fixes 30 s apart at one spot, at 230 m/s:

    >>> s = 1_000_000_000
    >>> frozen_positions(np.full(4, 24.0), np.full(4, 59.0), np.arange(4) * 30 * s,
    ...                  np.array([True, False, False, False]), np.full(4, 230.0)).tolist()
    [True, True, True, True]
    """
    n_rows = len(lon)
    flagged = np.zeros(n_rows, dtype=bool)
    if n_rows == 0 or (ground_speed_mps is None and on_ground is None):
        return flagged
    # rows at the position of the row before, in the same flight; runs of them
    at = np.flatnonzero((lon[1:] == lon[:-1]) & (lat[1:] == lat[:-1]) & ~flight_start[1:]) + 1
    if len(at) == 0:
        return flagged
    new_run = np.diff(at, prepend=-2) != 1
    firsts = at[new_run] - 1
    lasts = np.append(at[np.flatnonzero(new_run)[1:] - 1], at[-1])
    long_run = ((lasts - firsts + 1) >= FROZEN_MIN_FIXES) & (
        (time_ns[lasts] - time_ns[firsts]) > FROZEN_MIN_S * 1e9
    )
    firsts, lasts = firsts[long_run], lasts[long_run]
    sizes = lasts - firsts + 1
    offsets = np.cumsum(sizes) - sizes  # of each run among the rows of all runs
    rows = np.repeat(firsts - offsets, sizes) + np.arange(sizes.sum())
    moving = np.zeros(len(firsts), dtype=bool)
    if len(rows) and ground_speed_mps is not None:
        speed = np.nan_to_num(ground_speed_mps[rows], nan=0.0)
        moving |= np.maximum.reduceat(speed, offsets) > AIRBORNE_MIN_SPEED_MPS
    if len(rows) and on_ground is not None:
        moving |= np.minimum.reduceat(np.where(on_ground[rows] == 0, 0, 1), offsets) == 0
    flagged[rows[np.repeat(moving, sizes)]] = True
    return flagged
