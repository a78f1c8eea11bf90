"""Which events get pictures: a bound on the work when a recording has thousands of events."""

import numpy as np
import pandas as pd

from plots.labels import has_country

ORDERS = ("deepest", "longest", "first")
"""How :func:`select_events` ranks events before keeping the first N: by depth, by duration, or table order."""


def select_events(events, *, limit=None, order="deepest", numbers=None, where=None):
    """The events to draw, with their numbers (1, 2, ... in the full table's order).

    Parameters
    ----------
    events : pandas.DataFrame
        The whole events table: an event's number is its place in it, from 1.
    limit : int, optional
        Keep at most this many, the first by `order`.
    order : {"deepest", "longest", "first"}
        Deepest first (``max_depth_m``), longest first (``duration_s``), or
        table order. Ties keep table order.
    numbers : iterable of int, optional
        Only these events (numbered from 1).
    where : iterable of str, optional
        Only events in these states (alpha-3 code, any case) or volumes
        (``airspace_id`` or volume ``name`` as written in the events table).

    Returns
    -------
    selected : pandas.DataFrame
        The events kept, in table order, index reset.
    kept_numbers : list of int
        Their numbers in the full table, for file names and the overview.

    Raises
    ------
    ValueError
        For an event number outside the table or an unknown `order`.

    Examples
    --------
    >>> events = pd.DataFrame({"track_id": ["A", "B", "C"], "airspace_id": ["national-EST", "R1", "national-LTU"],
    ...                        "country": ["EST", None, "LTU"], "max_depth_m": [700.0, 9000.0, 50.0],
    ...                        "duration_s": [18.0, 5.0, 600.0]})
    >>> select_events(events, limit=2)[1]
    [1, 2]
    >>> select_events(events, limit=1, order="longest")[1]
    [3]
    >>> select_events(events, where=["ltu", "R1"])[1]
    [2, 3]
    """
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; use one of {', '.join(ORDERS)}")
    events = events.reset_index(drop=True)
    keep = np.ones(len(events), dtype=bool)
    if numbers:
        numbers = sorted({int(number) for number in numbers})
        outside = [number for number in numbers if not 1 <= number <= len(events)]
        if outside:
            raise ValueError(f"no event {outside[0]} (there are {len(events)}, numbered from 1)")
        keep[:] = False
        keep[np.asarray(numbers) - 1] = True
    if where:
        wanted = {str(code).strip().upper() for code in where}
        country = events["country"].map(lambda code: str(code).upper() if has_country(code) else "")
        in_place = country.isin(wanted) | events["airspace_id"].astype(str).str.upper().isin(wanted)
        if "name" in events.columns:
            in_place |= events["name"].astype(str).str.upper().isin(wanted)
        keep &= in_place.to_numpy()
    rows = np.flatnonzero(keep)
    if limit is not None and len(rows) > limit:
        if order != "first":
            column = "max_depth_m" if order == "deepest" else "duration_s"
            values = pd.to_numeric(events[column].iloc[rows], errors="coerce").fillna(-np.inf).to_numpy()
            rows = rows[np.argsort(-values, kind="stable")]
        rows = np.sort(rows[: max(int(limit), 0)])
    return events.iloc[rows].reset_index(drop=True), [int(row) + 1 for row in rows]


def one_row(row, name):
    """A row of a table as a Series: the row itself, or the only row of a one-row table.

    For the drawing functions that take one event or one volume, given as
    ``events.iloc[k]`` or as the table of it, ``events[events["track_id"] == "A"]``.

    Raises
    ------
    ValueError
        For a table of no row or of several, naming `name`.

    Examples
    --------
    >>> events = pd.DataFrame({"track_id": ["A", "B"]})
    >>> one_row(events.iloc[[1]], "event")["track_id"]
    'B'
    >>> one_row(events, "event")
    Traceback (most recent call last):
    ValueError: event: expected one row, got a table of 2 rows; pick one with .iloc[k]
    """
    if not isinstance(row, pd.DataFrame):
        return row
    if len(row) != 1:
        raise ValueError(f"{name}: expected one row, got a table of {len(row)} rows; pick one with .iloc[k]")
    return row.iloc[0]
