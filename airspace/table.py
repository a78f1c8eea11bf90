"""The airspace table: its columns, its validator and constructors.

The airspace table is a :class:`geopandas.GeoDataFrame` in EPSG:4326 with one
row per volume: a unique ``airspace_id``, labels (``name``, ``country``,
``kind``), vertical limits in metres with their references, an optional
activation window and a Polygon or MultiPolygon.

Vertical limits
---------------
``floor_m`` is ``-inf`` for a floor at the surface (``floor_ref`` ``"SFC"``;
``-inf`` with another reference means the same: no floor). ``ceiling_m`` is
``+inf`` for an unlimited ceiling (UNL), whatever its ``ceiling_ref``;
:func:`make_airspace` writes UNL as ``+inf`` with ``"STD"``. ``"SFC"`` is a
floor reference only. ``"STD"`` is a flight level (pressure altitude, to be
compared with ``alt_baro_m``), ``"MSL"`` a geometric altitude, ``"AGL"`` a
height above the ground.

Error messages name the row by its position (0-based, as for ``iloc``) and
its ``airspace_id``.
"""

import functools
import math
import warnings
import weakref
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from geopandas.array import GeometryDtype

from tracks.table_checks import (category_values, fail, first_true, float_column, names_text, refuse,
                                 row_text, value_text)

ALTITUDE_REFS = ("SFC", "MSL", "STD", "AGL")
"""References of vertical limits: surface, mean sea level, standard pressure, ground."""

KINDS = (
    "national",
    "restricted",
    "danger",
    "prohibited",
    "tra",
    "tsa",
    "ctr",
    "tma",
    "cta",
    "atz",
    "rmz",
    "tmz",
    "glider",
    "other",
)
"""Known kinds of airspace.

Unknown kinds are accepted too (a loader may meet a class this list lacks),
but a kind must be a non-empty lower-case string.
"""

STRING_DTYPE = pd.StringDtype(na_value=np.nan)
TIME_DTYPE = pd.DatetimeTZDtype(unit="ns", tz="UTC")
_FLOAT = np.dtype("float64")
_WGS84 = "EPSG:4326"

AIRSPACE_COLUMNS = MappingProxyType(
    {
        "airspace_id": STRING_DTYPE,
        "name": STRING_DTYPE,
        "country": STRING_DTYPE,
        "kind": STRING_DTYPE,
        "floor_m": _FLOAT,
        "floor_ref": STRING_DTYPE,
        "ceiling_m": _FLOAT,
        "ceiling_ref": STRING_DTYPE,
        "geometry": GeometryDtype(),
    }
)
"""Required columns of the airspace table and their dtypes."""

OPTIONAL_AIRSPACE_COLUMNS = MappingProxyType({"valid_from": TIME_DTYPE, "valid_to": TIME_DTYPE})
"""The activation window, UTC; NaT means unbounded. Added as NaT when absent."""

RADIO_COLUMNS = MappingProxyType(
    {"frequency": STRING_DTYPE, "station": STRING_DTYPE, "transponder_code": STRING_DTYPE}
)
"""Optional text columns: the radio frequency (MHz, as written: ``"123.300"``), the
station's name in a radio call (``"Nordholz Radar"``) and the transponder code
(``"7000"``) to use in the volume, as OpenAir ``AF``, ``AG`` and ``AX`` give
them; NaN where not given. Kept as text when present, not added when absent."""

_DEFAULTS = {
    "country": "",
    "kind": "restricted",
    "floor_m": -math.inf,
    "floor_ref": "SFC",
    "ceiling_m": math.inf,
    "ceiling_ref": "STD",
}
_POLYGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


def validate_airspace(gdf, *, source="airspace"):
    """Check an airspace table and return a copy that is exact, in EPSG:4326.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The columns of :data:`AIRSPACE_COLUMNS`, optionally ``valid_from``
        and ``valid_to``, those of :data:`RADIO_COLUMNS`, and any others (kept).
    source : str, optional
        What the table is (a file name, say); every message starts with it.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy in EPSG:4326 (converted, with a :class:`UserWarning`, from
        another CRS), text columns in the pandas string dtype, limits in
        float64, ``valid_from`` and ``valid_to`` in ``datetime64[ns, UTC]``
        (all NaT when absent), the columns of :data:`RADIO_COLUMNS` present
        in the pandas string dtype, the active geometry column named
        ``geometry``, and every geometry a valid Polygon or MultiPolygon.
        A missing ``country`` becomes ``""`` (unknown).

    Raises
    ------
    TypeError
        If `gdf` is not a GeoDataFrame.
    ValueError
        Naming `source`, the column and the first bad row for: a missing
        column; no CRS; an empty or duplicate ``airspace_id``; a ``country``
        that is neither ``""`` nor three capitals (ISO 3166-1 alpha-3); an
        empty or not lower-case ``kind``; a reference not in
        :data:`ALTITUDE_REFS` (and ``"SFC"`` as ``ceiling_ref``); a NaN limit,
        a ``+inf`` floor or ``-inf`` ceiling; ``floor_ref`` ``"SFC"`` with a
        finite floor; a floor above the ceiling; a missing, empty or
        non-polygonal geometry; coordinates outside [-180, 180] x [-90, 90];
        naive or unreadable ``valid_from``/``valid_to``; ``valid_from`` after
        ``valid_to``.

    Warns
    -----
    UserWarning
        When the table is converted from another CRS, and when invalid
        geometries are repaired with :func:`shapely.make_valid`, keeping
        their polygonal part (one warning naming each airspace repaired and
        the reason from :func:`shapely.is_valid_reason`).

    Notes
    -----
    A floor above the ceiling is refused only where the two compare: when
    ``floor_ref == ceiling_ref``, or one of them is infinite. A finite
    floor and ceiling on different references (``MSL`` floor, ``STD``
    ceiling) are accepted, since which is higher depends on the pressure of
    the day. A floor equal to the ceiling is accepted. A GeometryCollection
    is accepted when its polygonal part is not empty; the rest is dropped.

    Examples
    --------
    >>> bow_tie = shapely.Polygon([(24, 59), (25, 60), (25, 59), (24, 60)])
    >>> gdf = gpd.GeoDataFrame({
    ...     "airspace_id": ["EER1"], "name": ["Vaindloo"], "country": ["EST"],
    ...     "kind": ["restricted"], "floor_m": [-np.inf], "floor_ref": ["SFC"],
    ...     "ceiling_m": [np.inf], "ceiling_ref": ["STD"]}, geometry=[bow_tie], crs=4326)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     repaired = validate_airspace(gdf)
    >>> repaired.geometry.iloc[0].geom_type, len(caught)
    ('MultiPolygon', 1)
    """
    table = _in_wgs84(gdf, source)
    for name, dtype in AIRSPACE_COLUMNS.items():
        if dtype == STRING_DTYPE:
            table[name] = _string_column(table, name, source)
        elif dtype == _FLOAT:
            table[name] = _float_column(table, name, source)
    for name in RADIO_COLUMNS:
        if name in table.columns:
            table[name] = _string_column(table, name, source)
    table["country"] = table["country"].fillna("")
    _check_ids(table, source)
    _check_labels(table, source)
    _check_limits(table, source)
    table["geometry"] = _checked_geometry(table, source)
    for name in OPTIONAL_AIRSPACE_COLUMNS:
        table[name] = _time_column(table, name, source)
    window_reversed = table["valid_from"] > table["valid_to"]
    if window_reversed.any():
        pos = first_true(window_reversed)
        _fail(
            source,
            "valid_from",
            f"valid_from {table['valid_from'].iloc[pos]} is after "
            f"valid_to {table['valid_to'].iloc[pos]}",
            table,
            pos,
        )
    return table


def make_airspace(
    geometry,
    *,
    airspace_id=None,
    name=None,
    country="",
    kind="restricted",
    floor_m=-math.inf,
    floor_ref="SFC",
    ceiling_m=math.inf,
    ceiling_ref="STD",
    valid_from=None,
    valid_to=None,
):
    """Build a valid airspace table from geometries and limits.

    Parameters
    ----------
    geometry : shapely.Geometry or sequence of them
        Polygons in lon/lat degrees (a GeoSeries keeps its own CRS, and is
        converted to EPSG:4326).
    airspace_id : str or sequence of str, optional
        Default ``"A1"``, ``"A2"``, ... in order.
    name : str or sequence of str, optional
        Default: the ``airspace_id``.
    country : str or sequence of str, default ""
        ISO 3166-1 alpha-3 code, ``""`` if unknown.
    kind : str or sequence of str, default "restricted"
        One of :data:`KINDS`, or another lower-case string.
    floor_m : float or sequence of float, default -inf
        Metres above `floor_ref`; ``-inf`` is the surface.
    floor_ref : str or sequence of str, default "SFC"
        One of :data:`ALTITUDE_REFS`; ``"SFC"`` requires ``floor_m=-inf``.
    ceiling_m : float or sequence of float, default +inf
        Metres above `ceiling_ref`; ``+inf`` is unlimited (UNL).
    ceiling_ref : str or sequence of str, default "STD"
        ``"MSL"``, ``"STD"`` or ``"AGL"``. With ``ceiling_m=+inf`` the
        reference does not matter; ``"STD"`` is the convention here.
    valid_from, valid_to : datetime-like, ISO 8601 string with a time zone, or sequence, optional
        Activation window; None is unbounded.

    Scalars apply to every geometry.

    Returns
    -------
    geopandas.GeoDataFrame
        Validated by :func:`validate_airspace`.

    Raises
    ------
    TypeError
        If a geometry is not a shapely geometry (or None).
    ValueError
        If a sequence does not have one value per geometry, or the table is
        not valid.

    Examples
    --------
    >>> from shapely import box
    >>> airspace = make_airspace(
    ...     [box(24.0, 59.0, 25.0, 60.0), box(25.0, 59.0, 26.0, 60.0)],
    ...     kind="danger", floor_m=[-np.inf, 1000.0], floor_ref=["SFC", "MSL"],
    ...     ceiling_m=19500 * 0.3048)
    >>> airspace[["airspace_id", "name", "floor_m", "ceiling_m", "ceiling_ref"]]
      airspace_id name  floor_m  ceiling_m ceiling_ref
    0          A1   A1     -inf     5943.6         STD
    1          A2   A2   1000.0     5943.6         STD
    """
    geometries = [geometry] if isinstance(geometry, (shapely.Geometry, str)) else list(geometry)
    shapes = [item is None or isinstance(item, shapely.Geometry) for item in geometries]
    if not all(shapes):
        item = geometries[shapes.index(False)]
        raise TypeError(f"make_airspace: geometry: expected shapely geometries, found {type(item).__name__} "
                        f"{item!r:.60} at position {shapes.index(False)} (text is read with shapely.from_wkt)")
    n_rows = len(geometries)
    ids = [f"A{k}" for k in range(1, n_rows + 1)] if airspace_id is None else airspace_id
    columns = {
        "airspace_id": ids,
        "name": ids if name is None else name,
        "country": country,
        "kind": kind,
        "floor_m": floor_m,
        "floor_ref": floor_ref,
        "ceiling_m": ceiling_m,
        "ceiling_ref": ceiling_ref,
        "valid_from": pd.NaT if valid_from is None else valid_from,
        "valid_to": pd.NaT if valid_to is None else valid_to,
    }
    for column, value in columns.items():
        if np.ndim(value) != 0 and len(value) != n_rows:
            raise ValueError(
                f"make_airspace: {column} has {len(value)} values for {n_rows} geometries"
            )
    table = gpd.GeoDataFrame(
        pd.DataFrame(columns, index=pd.RangeIndex(n_rows)),
        geometry=geometries,
        crs=getattr(geometry, "crs", None) or _WGS84,
    )
    return validate_airspace(table, source="make_airspace")


def complete_airspace(gdf, *, source="airspace"):
    """Fill the columns a user's file lacks with defaults, then validate.

    For files that carry only geometry (and perhaps a name): the missing
    columns get the defaults of :func:`make_airspace` (ids ``"A1"``,
    ``"A2"``, ..., name = id, country ``""``, kind ``"restricted"``, from
    the surface to unlimited). Since JSON cannot hold infinities, an empty
    ``floor_m`` whose ``floor_ref`` is ``SFC`` is read as the surface and an
    empty ``ceiling_m`` as unlimited.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons with a CRS.
    source : str, optional
        What the table is, for messages.

    Returns
    -------
    airspace : geopandas.GeoDataFrame
        Validated by :func:`validate_airspace`.
    filled : list of str
        The columns that were filled, in table order, so that a command line
        can tell the user which limits were assumed. The optional
        ``valid_from`` and ``valid_to`` are not listed: absent, they mean
        always active.

    Examples
    --------
    >>> from shapely import box
    >>> fence = gpd.GeoDataFrame({"name": ["field"]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    >>> airspace, filled = complete_airspace(fence, source="fence.geojson")
    >>> filled
    ['airspace_id', 'country', 'kind', 'floor_m', 'floor_ref', 'ceiling_m', 'ceiling_ref']
    """
    table = gdf.copy()
    fillable = ["airspace_id", "name", *_DEFAULTS]
    filled = [name for name in fillable if name not in table.columns]
    if "airspace_id" in filled:
        table["airspace_id"] = [f"A{k}" for k in range(1, len(table) + 1)]
    if "name" in filled:
        table["name"] = table["airspace_id"]
    for name, value in _DEFAULTS.items():
        if name in filled:
            table[name] = value
    # JSON has no infinity: an empty floor over the surface is the surface, an empty ceiling unlimited.
    if "floor_m" not in filled:
        floor_m = _float_column(table, "floor_m", source)
        table["floor_m"] = floor_m.mask(floor_m.isna() & table["floor_ref"].eq("SFC"), -math.inf)
    if "ceiling_m" not in filled:
        table["ceiling_m"] = _float_column(table, "ceiling_m", source).fillna(math.inf)
    return validate_airspace(table, source=source), filled


# --- table and CRS ------------------------------------------------------------


def _in_wgs84(gdf, source):
    """A copy of `gdf` in EPSG:4326 with its geometry column named 'geometry'."""
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise TypeError(
            f"{source}: expected a geopandas GeoDataFrame, got {type(gdf).__name__}; "
            "build one with geopandas.GeoDataFrame(df, geometry=..., crs='EPSG:4326')"
        )
    has_geometry = gdf.active_geometry_name in gdf.columns
    missing = [
        name
        for name in AIRSPACE_COLUMNS
        if name not in gdf.columns and not (name == "geometry" and has_geometry)
    ]
    if missing:
        raise ValueError(
            f"{source}: missing column(s) {names_text(missing)}; "
            f"the table has {names_text(gdf.columns) or 'no columns'}"
        )
    if gdf.crs is None:
        raise ValueError(
            f"{source}: the table has no CRS; if its coordinates are lon/lat degrees, "
            "set it with gdf = gdf.set_crs('EPSG:4326'), otherwise with the CRS they are in"
        )
    table = gdf.rename_geometry("geometry") if gdf.geometry.name != "geometry" else gdf.copy()
    if table.crs.equals(_WGS84, ignore_axis_order=True):
        return table.set_crs(_WGS84, allow_override=True)
    warnings.warn(
        f"{source}: converted from {table.crs.to_string()} to {_WGS84}",
        UserWarning,
        stacklevel=3,
    )
    return table.to_crs(_WGS84)


# --- columns ------------------------------------------------------------------


def _string_column(table, name, source):
    column = category_values(table[name])
    is_ints = pd.api.types.is_integer_dtype(column.dtype) and not pd.api.types.is_bool_dtype(
        column.dtype
    )
    if pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty") or is_ints or column.isna().all():
        return column.astype(STRING_DTYPE)
    bad = column.notna() & ~column.map(lambda value: isinstance(value, str))
    _fail(source, name, f"expected text, found {value_text(column, bad)}", table, first_true(bad))


def _time_column(table, name, source):
    """`valid_from`/`valid_to` as UTC times; NaT where absent."""
    if name not in table.columns or table[name].isna().all():
        return pd.Series(pd.NaT, index=table.index, dtype=TIME_DTYPE)
    column = table[name]
    if not pd.api.types.is_datetime64_any_dtype(column.dtype):
        try:
            column = pd.to_datetime(column, format="ISO8601")
        except (ValueError, TypeError):
            unread = column.notna() & pd.to_datetime(column, format="ISO8601", errors="coerce", utc=True).isna()
            _fail(
                source,
                name,
                "expected tz-aware times or ISO 8601 text with one time zone"
                + (f", found {value_text(column, unread)}" if unread.any() else ""),
                table if unread.any() else None,
                first_true(unread),
                hint="parse it with pd.to_datetime(..., utc=True) if the times are UTC",
            )
    if column.dt.tz is None:
        _fail(
            source,
            name,
            "naive time (no time zone)",
            table,
            first_true(column.notna()),
            hint="naive times are not assumed to be UTC: if they are, "
            f"use gdf[{name!r}] = gdf[{name!r}].dt.tz_localize('UTC')",
        )
    try:
        return column.astype(TIME_DTYPE)  # numpy- or Arrow-backed, in any zone
    except pd.errors.OutOfBoundsDatetime as exc:
        _fail(source, name, f"time outside the nanosecond range ({exc})")


# --- checks -------------------------------------------------------------------


def _check_ids(table, source):
    ids = table["airspace_id"]
    _refuse(table, source, "airspace_id", ids.isna() | (ids.str.strip() == ""), "empty airspace_id")
    repeated = ids.duplicated()
    if repeated.any():
        pos = first_true(repeated)
        earlier = first_true(ids == ids.iloc[pos])
        _fail(
            source,
            "airspace_id",
            f"duplicate airspace_id {ids.iloc[pos]!r} at row {pos}, first at row {earlier}",
        )


def _check_labels(table, source):
    country = table["country"]
    _refuse(
        table,
        source,
        "country",
        (country != "") & ~country.str.fullmatch(r"[A-Z]{3}"),
        "not an ISO 3166-1 alpha-3 code:",
        values=country,
        hint="write a code such as 'EST', or '' when unknown",
    )
    kind = table["kind"]
    _refuse(
        table,
        source,
        "kind",
        kind.isna() | (kind.str.strip() == "") | (kind != kind.str.lower()),
        "not a non-empty lower-case kind:",
        values=kind,
        hint=f"known kinds are {', '.join(KINDS)}",
    )


_SEA_LEVEL_REFS = ("MSL", "STD")
STD_MSL_SPREAD_M = 1500.0
"""Most that pressure altitude and altitude over sea level differ in any weather up to FL450 or so."""


def floor_above_ceiling(floor_m, floor_ref, ceiling_m, ceiling_ref):
    """Where a floor is above its ceiling in any weather: a mistake, refused.

    Limits of one reference must not cross. A flight level (``STD``) and an
    altitude over sea level (``MSL``) differ with the weather, by less than
    :data:`STD_MSL_SPREAD_M`: a floor above the ceiling by more is a mistake.
    A height over the ground (``AGL``) compares only with another such height.

    Parameters
    ----------
    floor_m, ceiling_m : array_like of float
    floor_ref, ceiling_ref : array_like of str

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> floor_above_ceiling([3048.0, 3048.0, 3048.0], ["STD", "STD", "AGL"], [914.4, 2500.0, 914.4],
    ...                     ["MSL", "MSL", "MSL"]).tolist()
    [True, False, False]
    """
    floor_m, ceiling_m = np.asarray(floor_m, dtype=float), np.asarray(ceiling_m, dtype=float)
    floor_ref, ceiling_ref = np.asarray(floor_ref, dtype=object), np.asarray(ceiling_ref, dtype=object)
    same_ref = floor_ref == ceiling_ref
    sea_level = np.isin(floor_ref, _SEA_LEVEL_REFS) & np.isin(ceiling_ref, _SEA_LEVEL_REFS) & ~same_ref
    return ((floor_m > ceiling_m) & same_ref) | ((floor_m > ceiling_m + STD_MSL_SPREAD_M) & sea_level)


def _check_limits(table, source):
    floor_m, ceiling_m = table["floor_m"], table["ceiling_m"]
    floor_ref, ceiling_ref = table["floor_ref"], table["ceiling_ref"]
    refs = ", ".join(map(repr, ALTITUDE_REFS))
    _refuse(
        table,
        source,
        "floor_ref",
        ~floor_ref.isin(ALTITUDE_REFS),
        "unknown reference",
        floor_ref,
        hint=f"expected one of {refs}",
    )
    _refuse(
        table,
        source,
        "ceiling_ref",
        ~ceiling_ref.isin(ALTITUDE_REFS) | (ceiling_ref == "SFC"),
        "not a ceiling reference",
        ceiling_ref,
        hint="expected 'MSL', 'STD' or 'AGL' ('SFC' is a floor only); an unlimited "
        "ceiling (UNL) is ceiling_m inf, with ceiling_ref 'STD'",
    )
    _refuse(table, source, "floor_m", floor_m.isna(), "NaN floor (the surface is -inf)")
    _refuse(table, source, "ceiling_m", ceiling_m.isna(), "NaN ceiling (unlimited is +inf)")
    _refuse(table, source, "floor_m", floor_m == math.inf, "floor +inf")
    _refuse(table, source, "ceiling_m", ceiling_m == -math.inf, "ceiling -inf")
    _refuse(
        table,
        source,
        "floor_m",
        (floor_ref == "SFC") & np.isfinite(floor_m),
        "floor_ref 'SFC' needs floor_m -inf, found",
        floor_m,
        hint="a floor in metres needs floor_ref 'MSL', 'STD' or 'AGL'",
    )
    above = floor_above_ceiling(floor_m, floor_ref, ceiling_m, ceiling_ref)
    if above.any():
        pos = first_true(above)
        _fail(
            source,
            "floor_m",
            f"floor {floor_m.iloc[pos]} m {floor_ref.iloc[pos]} is above the ceiling "
            f"{ceiling_m.iloc[pos]} m {ceiling_ref.iloc[pos]}",
            table,
            pos,
        )


def _checked_geometry(table, source):
    """The geometries, checked, with invalid ones repaired; raises for bad ones."""
    geometries = np.array(table.geometry.array, dtype=object)
    _refuse(table, source, "geometry", shapely.is_missing(geometries), "missing geometry")
    _refuse(table, source, "geometry", shapely.is_empty(geometries), "empty geometry")
    type_id = shapely.get_type_id(geometries)
    collection = type_id == shapely.GeometryType.GEOMETRYCOLLECTION
    wrong_type = ~np.isin(type_id, _POLYGONAL) & ~collection
    if wrong_type.any():
        pos = first_true(wrong_type)
        _fail(
            source,
            "geometry",
            f"a {geometries[pos].geom_type}, expected a Polygon or MultiPolygon",
            table,
            pos,
        )
    min_x, min_y, max_x, max_y = shapely.bounds(geometries).T
    _refuse(
        table,
        source,
        "geometry",
        ~np.isfinite(min_x + min_y + max_x + max_y)
        | (min_x < -180)
        | (max_x > 180)
        | (min_y < -90)
        | (max_y > 90),
        "coordinates outside lon [-180, 180], lat [-90, 90]",
        hint="are they lon/lat degrees? if not, set the CRS they are in",
    )
    invalid = ~_is_valid(geometries)
    reasons = dict(zip(np.flatnonzero(invalid), shapely.is_valid_reason(geometries[invalid])))
    for pos in np.flatnonzero(invalid | collection):
        polygonal = _polygonal_part(shapely.make_valid(geometries[pos]))
        if polygonal is None:
            why = f" ({reasons[pos]})" if pos in reasons else ""
            _fail(source, "geometry", f"nothing polygonal remains{why}", table, pos)
        geometries[pos] = polygonal
    if reasons:
        repaired = "; ".join(
            f"{_row(table, pos)}: {reason}"
            for pos, reason in reasons.items()
        )
        warnings.warn(
            f"{source}: repaired the invalid geometry of {len(reasons)} airspace(s) with "
            f"shapely.make_valid, keeping the polygonal part: {repaired}",
            UserWarning,
            stacklevel=3,
        )
    return gpd.GeoSeries(geometries, index=table.index, crs=table.crs)


_FOUND_VALID = weakref.WeakValueDictionary()
"""The geometries found valid, by id, while they exist: a table validated twice (built, then detected in) is
checked once."""


def _is_valid(geometries):
    """:func:`shapely.is_valid` of each geometry, checked once per geometry object (geometries do not change).

    Examples
    --------
    >>> square = shapely.box(0, 0, 1, 1)
    >>> _is_valid(np.array([square, shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])])).tolist()
    [True, False]
    >>> _FOUND_VALID.get(id(square)) is square  # not checked again while it exists
    True
    """
    found = np.array([_FOUND_VALID.get(id(geometry)) is geometry for geometry in geometries], dtype=bool)
    valid = found.copy()
    valid[~found] = shapely.is_valid(geometries[~found])
    for geometry in geometries[valid & ~found]:
        _FOUND_VALID[id(geometry)] = geometry
    return valid


def _polygonal_part(geometry):
    """The union of the polygons in `geometry`, or None if it has none."""
    parts = shapely.get_parts(shapely.get_parts(geometry))
    polygons = parts[
        (shapely.get_type_id(parts) == shapely.GeometryType.POLYGON) & ~shapely.is_empty(parts)
    ]
    return shapely.union_all(polygons) if len(polygons) else None


# --- messages -----------------------------------------------------------------

_KEYS = ("airspace_id",)
_refuse = functools.partial(refuse, keys=_KEYS)
_fail = functools.partial(fail, keys=_KEYS)
_row = functools.partial(row_text, keys=_KEYS)
_float_column = functools.partial(float_column, keys=_KEYS)
