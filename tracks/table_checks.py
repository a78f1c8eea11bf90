"""What the table validators share: numeric columns checked, and one bad value named by column and row.

Shared by :func:`tracks.validate_tracks` and :func:`airspace.validate_airspace`,
so that both take the same values as numbers and say what is wrong the same
way, in a ValueError::

    tracks: column 'lat': out of range [-90, 90]: 91.0 at row 3 (track_id 'A', time 2025-09-19T09:00:00Z)

A row is named by its position and its key columns (``track_id`` and
``time`` for tracks, ``airspace_id`` for airspace).
"""

import numpy as np
import pandas as pd
import pyarrow as pa


def refuse(table, source, name, bad, problem, values=None, hint="", *, keys=()):
    """Raise for the first True of boolean `bad`, if any, showing its value in `values`.

    Parameters
    ----------
    table : pandas.DataFrame
        The table checked.
    source : str
        What the table is, first in the message.
    name : str
        The column at fault.
    bad : array_like of bool
        Rows at fault.
    problem : str
        What is wrong.
    values : pandas.Series, optional
        The values to show (the first bad one is).
    hint : str, optional
        What to do about it.
    keys : tuple of str
        The key columns that name a row (see :func:`row_text`).

    Raises
    ------
    ValueError

    Examples
    --------
    >>> table = pd.DataFrame({"airspace_id": ["R1", "R2"], "floor_m": [0.0, -5.0]})
    >>> refuse(table, "zones", "floor_m", table["floor_m"] < 0, "negative", table["floor_m"], keys=("airspace_id",))
    Traceback (most recent call last):
    ...
    ValueError: zones: column 'floor_m': negative -5.0 at row 1 (airspace_id 'R2')
    """
    bad = np.asarray(bad, dtype=bool)
    if bad.any():
        pos = first_true(bad)
        shown = "" if values is None else f" {plain_value(values.iloc[pos])!r}"
        fail(source, name, f"{problem}{shown}", table, pos, hint, keys=keys)


def fail(source, name, problem, table=None, pos=None, hint="", *, keys=()):
    """Raise ``ValueError("source: column 'name': problem at row 5 (key ...); hint")``.

    Without `table`, the message names no row.

    Examples
    --------
    >>> fail("tracks", "time", "not time-zone aware")
    Traceback (most recent call last):
    ...
    ValueError: tracks: column 'time': not time-zone aware
    """
    where = "" if table is None else f" at {row_text(table, pos, keys)}"
    raise ValueError(f"{source}: column {name!r}: {problem}{where}" + (f"; {hint}" if hint else ""))


def row_text(table, pos, keys=()):
    """Row `pos` of `table` as ``row 5 (track_id 'A', time 2025-09-19T09:00:00Z)``: the keys it has.

    Examples
    --------
    >>> table = pd.DataFrame({"track_id": ["A"], "time": pd.to_datetime(["2025-09-19 09:00"], utc=True)})
    >>> row_text(table, 0, ("track_id", "time"))
    "row 0 (track_id 'A', time 2025-09-19T09:00:00Z)"
    """
    parts = []
    for key in keys:
        if key in table.columns and pd.notna(table[key].iloc[pos]):
            parts.append(f"{key} {_key_text(table[key].iloc[pos])}")
    return f"row {pos}" + (f" ({', '.join(parts)})" if parts else "")


def _key_text(value):
    """A key's value as a message shows it: UTC times in ISO 8601 with ``Z``, others as their repr."""
    if isinstance(value, pd.Timestamp):
        if value.tz is not None:
            return value.tz_convert("UTC").isoformat().replace("+00:00", "Z")
        return str(value)
    return repr(plain_value(value))


def float_column(table, name, source, *, keys=()):
    """Column `name` of `table` as float64, or raise naming the first value that is not a real number.

    Integers, floats and missing values are numbers; booleans and text are not.

    Examples
    --------
    >>> table = pd.DataFrame({"airspace_id": ["R1", "R2"], "floor_m": [0, None]})
    >>> float_column(table, "floor_m", "zones").tolist()
    [0.0, nan]
    >>> float_column(table.assign(floor_m=[0, "FL95"]), "floor_m", "zones", keys=("airspace_id",))
    Traceback (most recent call last):
    ...
    ValueError: zones: column 'floor_m': expected numbers, found str 'FL95' at row 1 (airspace_id 'R2')
    """
    column = table[name]
    dtype = column.dtype
    numeric = pd.api.types.is_float_dtype(dtype) or (
        pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype))
    if dtype == object:
        numeric = pd.api.types.infer_dtype(column, skipna=True) in (
            "integer",
            "floating",
            "mixed-integer-float",
            "empty",
        )
    if numeric:
        return pd.Series(column.to_numpy(dtype="float64", na_value=np.nan), index=column.index, name=name)
    bad = column.notna() & ~column.map(_is_real_number)
    fail(source, name, f"expected numbers, found {value_text(column, bad)}", table, first_true(bad), keys=keys)


def category_values(column):
    """A categorical column (pandas' categories or an Arrow dictionary) as the values it holds; others as they are.

    Examples
    --------
    >>> category_values(pd.Series(["EST", None, "EST"], dtype="category")).tolist()
    ['EST', nan, 'EST']
    >>> codes = pd.Series(["EST"]).astype(pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string())))
    >>> category_values(codes).dtype
    string[pyarrow]
    """
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return column.astype(object).infer_objects()
    if isinstance(dtype, pd.ArrowDtype) and pa.types.is_dictionary(dtype.pyarrow_dtype):
        return column.astype(pd.ArrowDtype(dtype.pyarrow_dtype.value_type))
    return column


def _is_real_number(value):
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def first_true(bad):
    """The position of the first True.

    Examples
    --------
    >>> first_true([False, True, True])
    1
    """
    return int(np.argmax(np.asarray(bad, dtype=bool)))


def value_text(column, bad):
    """The first bad value of `column` with its type, as ``float 91.0``.

    Examples
    --------
    >>> value_text(pd.Series([1.0, 91.0]), [False, True])
    'float 91.0'
    """
    value = plain_value(column.iloc[first_true(bad)])
    return f"{type(value).__name__} {value!r}"


def plain_value(value):
    """A numpy scalar as the Python scalar it holds (for readable messages).

    Examples
    --------
    >>> plain_value(np.float64(2.5)), plain_value("R1")
    (2.5, 'R1')
    """
    return value.item() if isinstance(value, np.generic) else value


def names_text(names):
    """Names quoted and joined with commas.

    Examples
    --------
    >>> names_text(["lon", "lat"])
    "'lon', 'lat'"
    """
    return ", ".join(repr(str(name)) for name in names)
