"""Reading Natural Earth 1:10m admin 0 countries from the zip its package ships.

The shapefile has no ``.cpg`` file, so GDAL would guess Latin-1; its text is
UTF-8 and is read as such. Natural Earth writes ``"-99"`` where a unit has no
ISO code; those become ``""``. The ``_EH`` code columns are used because they
give France and Norway their codes, which the plain ``ISO_A2``/``ISO_A3``
columns leave at ``-99``. Kosovo, whose ``ISO_A2_EH`` is the user-assigned
``XK``, gets the matching alpha-3 ``XKX`` (see :mod:`borders.territories`).
"""

import functools

import pyogrio
import shapely

from borders.sources import NATURAL_EARTH_ZIP
from borders.territories import USER_ASSIGNED

_COLUMNS = {
    "ISO_A2_EH": "iso_a2",
    "ISO_A3_EH": "iso_a3",
    "ADM0_A3": "adm0_a3",
    "NAME_EN": "name",
    "NAME": "short_name",
    "NAME_LONG": "long_name",
    "ADMIN": "admin_name",
    "FORMAL_EN": "formal_name",
}
NAME_COLUMNS = ("name", "short_name", "long_name", "admin_name", "formal_name")
"""The columns of :func:`natural_earth_units` that hold English names."""


@functools.cache
def _read(read_geometry):
    table = pyogrio.read_dataframe(
        f"/vsizip/{NATURAL_EARTH_ZIP}",
        columns=list(_COLUMNS),
        read_geometry=read_geometry,
        encoding="UTF-8",
    ).rename(columns=_COLUMNS)
    for name in _COLUMNS.values():
        table[name] = table[name].fillna("").replace("-99", "").astype(str)
    for iso_a2, (iso_a3, _zone) in USER_ASSIGNED.items():
        table.loc[(table["iso_a2"] == iso_a2) & (table["iso_a3"] == ""), "iso_a3"] = iso_a3
    if read_geometry:
        table["geometry"] = shapely.make_valid(table.geometry.values)
    return table


def natural_earth_units(*, geometry=False):
    """The 250 admin 0 units of Natural Earth 1:10m, one row each.

    Parameters
    ----------
    geometry : bool, default False
        Also read the polygons (lon/lat degrees, made valid); the attributes
        alone read several times faster.

    Returns
    -------
    pandas.DataFrame or geopandas.GeoDataFrame
        Columns ``iso_a2``, ``iso_a3`` (``""`` where Natural Earth has none),
        ``adm0_a3`` (Natural Earth's own code), the English names of
        :data:`NAME_COLUMNS` (``""`` where missing), and with `geometry` a
        ``geometry`` column in EPSG:4326. A fresh copy on each call.

    Examples
    --------
    >>> units = natural_earth_units()
    >>> len(units)
    250
    >>> units.loc[units["iso_a3"] == "EST", ["iso_a2", "adm0_a3", "name"]].to_numpy().tolist()
    [['EE', 'EST', 'Estonia']]
    """
    return _read(bool(geometry)).copy()


def natural_earth_by_iso_a2():
    """One Natural Earth unit per ISO 3166-1 alpha-2 code, its main one.

    Some codes cover several units (France and Clipperton are both ``FR``);
    the main unit is the one whose Natural Earth code equals its alpha-3.

    Returns
    -------
    pandas.DataFrame
        The attribute columns of :func:`natural_earth_units`, indexed by
        ``iso_a2``; units without an ISO code are left out.

    Examples
    --------
    >>> units = natural_earth_by_iso_a2()
    >>> units.loc["EE", "name"], units.loc["FR", "iso_a3"]  # France's main unit, not Clipperton
    ('Estonia', 'FRA')
    """
    units = natural_earth_units()
    units = units[units["iso_a2"] != ""]
    units = units.assign(_side=units["adm0_a3"] != units["iso_a3"]).sort_values(
        ["_side", "iso_a2"], kind="stable"
    )
    return units.drop_duplicates("iso_a2").drop(columns="_side").set_index("iso_a2")
