"""Some volumes of an airspace table: of some kinds, of some OpenAir classes, within an altitude band.

:func:`select_airspace` keeps the volumes of the given ``kind`` values and
``openair_class`` values, and cuts every volume to an altitude band, as if
the band's limits were the volume's own floor and ceiling: a track counts
as inside only where it is inside the volume and within the band, exactly,
between fixes too, and an event cut by the band enters through the
``floor`` or leaves through the ``ceiling`` like any other.

The band's limits are written as airspace files write limits
(:func:`airspace.parse_limit`: ``FL100``, ``1000ft`` (above mean sea level),
``500 m``, ``3000 ft AGL``). A volume's floor becomes the band's lower limit
where the volume's floor is the surface, or is lower in the same reference;
the same for ceilings. A flight level and an altitude above sea level differ
with the weather, by less than :data:`airspace.table.STD_MSL_SPREAD_M`: where
one is higher than the other by more than that, the higher one is the floor
(the lower the ceiling); where they are closer, which is higher depends on
the day, and the selection is refused for that volume, naming it, rather
than guessed. A height above the ground compares only with another.
Volumes left with no room between floor and ceiling are dropped.
"""

import math

import numpy as np
import pandas as pd

from airspace.limits import parse_limit
from airspace.table import STD_MSL_SPREAD_M

_SEA_LEVEL = ("MSL", "STD")


def select_airspace(airspace, *, kinds=None, classes=None, min_alt=None, max_alt=None):
    """The volumes of some kinds and OpenAir classes, cut to an altitude band.

    Parameters
    ----------
    airspace : geopandas.GeoDataFrame
        An airspace table.
    kinds : str or list of str, optional
        Keep the volumes of these kinds (``"restricted,danger"``); any case.
    classes : str or list of str, optional
        Keep the volumes of these OpenAir classes (the ``openair_class``
        column of :func:`airspace.read_openair`: ``"R,Q,P"``); any case.
        Volumes from other files have no class and are left out.
    min_alt, max_alt : str, optional
        The altitude band's lower and upper limits (see the module notes).

    Returns
    -------
    geopandas.GeoDataFrame
        The volumes kept, limits cut to the band, in their order.

    Raises
    ------
    ValueError
        A kind or class that no volume has (naming those there are), a
        limit that is not one, a band upside down, or a volume whose limit
        cannot be compared with the band's.

    Examples
    --------
    >>> import shapely
    >>> from airspace import make_airspace
    >>> zones = make_airspace([shapely.box(24, 59, 25, 60)] * 3, airspace_id=["R1", "D1", "T1"],
    ...                       kind=["restricted", "danger", "tra"], floor_m=[-math.inf, 3048.0, 1524.0],
    ...                       floor_ref=["SFC", "STD", "STD"], ceiling_m=[3000.0, 6096.0, math.inf],
    ...                       ceiling_ref=["MSL", "STD", "STD"])
    >>> select_airspace(zones, kinds="restricted,TRA")["airspace_id"].tolist()
    ['R1', 'T1']
    >>> band = select_airspace(zones, min_alt="FL100", max_alt="FL150")
    >>> band[["airspace_id", "floor_m", "floor_ref", "ceiling_m", "ceiling_ref"]].values.tolist()
    [['R1', 3048.0, 'STD', 3000.0, 'MSL'], ['D1', 3048.0, 'STD', 4572.0, 'STD'], ['T1', 3048.0, 'STD', 4572.0, 'STD']]
    >>> select_airspace(zones, min_alt="FL150")["airspace_id"].tolist()  # R1 ends below FL150 in any weather
    ['D1', 'T1']
    >>> select_airspace(zones, kinds="restriced")
    Traceback (most recent call last):
    ValueError: kind 'restriced': no volume has it; the kinds here are danger, restricted, tra
    """
    keep = np.ones(len(airspace), bool)
    if kinds is not None:
        keep &= _matching(airspace["kind"], kinds, "kind")
    if classes is not None:
        if "openair_class" not in airspace.columns:
            raise ValueError("class: only OpenAir volumes have a class, and none is given")
        keep &= _matching(airspace["openair_class"], classes, "class")
    table = airspace[keep]
    if min_alt is None and max_alt is None:
        return table
    low = _band_limit(min_alt, "min_alt", -math.inf)
    high = _band_limit(max_alt, "max_alt", math.inf)
    order = _above(low, high)
    if order is None:
        raise ValueError(f"min_alt {min_alt!r}, max_alt {max_alt!r}: which is higher depends on the weather or "
                         "the ground; give both in one reference")
    if order:
        raise ValueError(f"max_alt: {max_alt!r} is below min_alt {min_alt!r}")
    floors = [_higher(limit, low, name) for limit, name in
              zip(zip(table["floor_m"], table["floor_ref"]), table["airspace_id"])]
    ceilings = [_lower(limit, high, name) for limit, name in
                zip(zip(table["ceiling_m"], table["ceiling_ref"]), table["airspace_id"])]
    table = table.assign(floor_m=[m for m, _ in floors], floor_ref=[ref for _, ref in floors],
                         ceiling_m=[m for m, _ in ceilings], ceiling_ref=[ref for _, ref in ceilings])
    room = [_above(floor, ceiling) is not True for floor, ceiling, name in
            zip(floors, ceilings, table["airspace_id"])]
    return table[np.asarray(room, bool)]


def _matching(column: pd.Series, wanted, name: str) -> np.ndarray:
    """Rows whose value is one of `wanted` (any case); raises for a wanted value no row has."""
    if isinstance(wanted, str):
        wanted = wanted.split(",")
    wanted = {str(value).strip().lower() for value in wanted if str(value).strip()}
    values = column.astype(object).where(column.notna(), "").map(lambda value: str(value).strip().lower())
    for value in sorted(wanted - set(values)):
        present = ", ".join(sorted(set(values) - {""})) or "none"
        raise ValueError(f"{name} {value!r}: no volume has it; the {name if name == 'class' else 'kind'}"
                         f"{'es' if name == 'class' else 's'} here are {present}")
    return values.isin(wanted).to_numpy()


def _band_limit(text, name: str, open_m: float):
    """A band limit as ``(metres, ref)``; the open limit (`open_m`, ``"SFC"``) for None, the surface or unlimited."""
    if text is None:
        return open_m, "SFC"
    try:
        metres, ref = parse_limit(text)
    except ValueError as error:
        raise ValueError(f"{name}: {error}") from None
    return (open_m, "SFC") if not math.isfinite(metres) or ref == "SFC" else (metres, ref)


def _is_open(limit) -> bool:
    return not math.isfinite(limit[0]) or limit[1] == "SFC"


def _above(first, second):
    """Whether limit `first` is above limit `second`: True, False, or None where that depends on the weather
    or the ground (an open limit, the surface or unlimited, is below or above every other)."""
    if _is_open(first) or _is_open(second):
        return first[0] > second[0]
    (first_m, first_ref), (second_m, second_ref) = first, second
    if first_ref == second_ref or (first_ref in _SEA_LEVEL and second_ref in _SEA_LEVEL
                                   and abs(first_m - second_m) > STD_MSL_SPREAD_M):
        return first_m > second_m
    return None


def _higher(limit, band, name):
    """The higher of a volume's floor and the band's lower limit."""
    above = _above(band, limit)
    if above is None:
        _refuse(name, "floor", limit, band)
    return band if above else limit


def _lower(limit, band, name):
    """The lower of a volume's ceiling and the band's upper limit."""
    above = _above(limit, band)
    if above is None:
        _refuse(name, "ceiling", limit, band)
    return band if above else limit


def _refuse(name, what, limit, band):
    raise ValueError(f"{name}: its {what} ({limit[0]:g} m {limit[1]}) does not compare with the band's "
                     f"({band[0]:g} m {band[1]}): which is higher depends on the "
                     f"{'ground' if 'AGL' in (limit[1], band[1]) else 'weather'}; give the band in {limit[1]}")
