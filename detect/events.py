"""The events table: one row per stay inside one airspace volume.

Its columns, in the order and dtypes of :data:`EVENT_COLUMNS`:

- ``track_id``, ``airspace_id``, ``country``, ``kind``: who and where;
- ``entry_time``, ``exit_time`` (UTC, at the exact crossing) and
  ``duration_s``;
- ``entry_face``, ``exit_face``: :data:`ENTRY_FACE_NAMES` and
  :data:`EXIT_FACE_NAMES`, a limit crossed or where the recording begins,
  ends or has a gap inside;
- ``entry_uncertainty_s``, ``exit_uncertainty_s``: the length of the
  recorded segment in which the crossing lies;
- ``max_depth_m``, ``deepest_time``, ``deepest_lon``, ``deepest_lat``: the
  greatest geodesic distance inside the lateral boundary, between fixes too;
- ``entry_lon``, ``entry_lat``, ``exit_lon``, ``exit_lat``: where it crossed;
- ``min_alt_m``, ``max_alt_m``, ``alt_source`` (the altitude compared with
  the limits), ``n_fixes`` (fixes inside) and ``suspect`` (the event rests
  on fixes the reader flagged);
- ``ground_assumed``: an AGL floor or ceiling of the volume took the ground
  at sea level along the event, for want of a terrain model there
  (:mod:`detect.ground`);
- ``event``: ``violation`` (a stay inside) or ``approach`` (a stay outside
  but near, when asked for: :mod:`detect.approach`), with ``closest_m``,
  ``closest_time``, ``closest_lon`` and ``closest_lat``: the closest
  approach to the volume's lateral extent, geodesic, between fixes too
  (:mod:`detect.closest`; NaN for violations). An approach event's depth is
  NaN; its faces may be ``volume``, where it leaves or enters the volume
  itself: an approach whose ``exit_face`` is ``volume`` led into it;
- ``registry_country``: the aircraft's state of registry (ISO alpha-3) from
  its ICAO 24-bit address (:func:`tracks.registry_countries`), missing where
  the track has no ``icao24`` or its address is in no state's block.

Events keep the tracks' ids: ``track_id`` has the dtype of the tracks'
``track_id`` (integers, categories with the same categories, ...), except
that text ids are in the ``"string"`` dtype of the other text columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Columns and dtypes of the events table, in order (described above); ``track_id``
#: as for text ids (see :func:`event_dtypes`).
EVENT_COLUMNS = {
    "track_id": "string",
    "airspace_id": "string",
    "country": "string",
    "kind": "string",
    "entry_time": "datetime64[ns, UTC]",
    "exit_time": "datetime64[ns, UTC]",
    "duration_s": "float64",
    "entry_face": "string",
    "exit_face": "string",
    "entry_uncertainty_s": "float64",
    "exit_uncertainty_s": "float64",
    "max_depth_m": "float64",
    "deepest_time": "datetime64[ns, UTC]",
    "deepest_lon": "float64",
    "deepest_lat": "float64",
    "entry_lon": "float64",
    "entry_lat": "float64",
    "exit_lon": "float64",
    "exit_lat": "float64",
    "min_alt_m": "float64",
    "max_alt_m": "float64",
    "alt_source": "string",
    "n_fixes": "int64",
    "suspect": "bool",
    "ground_assumed": "bool",
    "event": "string",
    "closest_m": "float64",
    "closest_time": "datetime64[ns, UTC]",
    "closest_lon": "float64",
    "closest_lat": "float64",
    "registry_country": "string",
}

#: Columns that events files written before they existed lack, and the value they are read with.
EVENT_DEFAULTS = {"ground_assumed": False, "event": "violation", "closest_m": np.nan, "closest_time": pd.NaT,
                  "closest_lon": np.nan, "closest_lat": np.nan, "registry_country": None}

#: The time columns of the events table (UTC).
EVENT_TIME_COLUMNS = [name for name, dtype in EVENT_COLUMNS.items() if dtype.startswith("datetime")]

#: Where an event begins or ends: crossing a limit, or the recording itself. The
#: detection core numbers the faces by their place here (lateral 0, floor 1,
#: ceiling 2, the activation window 3, the recording's start or end 4, a gap 5, the volume approached 6).
ENTRY_FACE_NAMES = np.array(["lateral", "floor", "ceiling", "activation", "start", "gap", "volume"], dtype=object)
EXIT_FACE_NAMES = np.array(["lateral", "floor", "ceiling", "deactivation", "end", "gap", "volume"], dtype=object)
#: The kinds of event, in the column ``event``.
EVENT_KINDS = ("violation", "approach")


def event_dtypes(track_id_dtype=None) -> dict:
    """Dtypes of the events columns, for tracks whose ``track_id`` has `track_id_dtype`.

    Parameters
    ----------
    track_id_dtype : dtype, optional
        The dtype of the tracks' ``track_id``; text (any string dtype) or
        None gives the ``"string"`` dtype, any other is kept.

    Examples
    --------
    >>> event_dtypes(np.dtype("int64"))["track_id"]
    dtype('int64')
    >>> event_dtypes(pd.StringDtype(na_value=np.nan))["track_id"]
    'string'
    """
    if track_id_dtype is None or isinstance(track_id_dtype, pd.StringDtype):
        return dict(EVENT_COLUMNS)
    return {**EVENT_COLUMNS, "track_id": track_id_dtype}


def empty_events(track_id_dtype=None) -> pd.DataFrame:
    """An events table with no rows and the right dtypes (``track_id`` as :func:`event_dtypes` says).

    Examples
    --------
    >>> events = empty_events()
    >>> len(events), list(events.columns) == list(EVENT_COLUMNS), str(events["entry_time"].dtype)
    (0, True, 'datetime64[ns, UTC]')
    """
    return events_frame({name: np.empty(0, object) for name in EVENT_COLUMNS}, track_id_dtype)


def events_frame(columns: dict, track_id_dtype=None) -> pd.DataFrame:
    """Build an events table from column arrays, in the canonical order and dtypes.

    Parameters
    ----------
    columns : dict
        Every column of :data:`EVENT_COLUMNS`, as a numpy array, all of one
        length; times as int64 nanoseconds since 1970 UTC; ``track_id`` as
        the values of the tracks' ids (category values, not codes).
    track_id_dtype : dtype, optional
        The dtype of the tracks' ``track_id`` (see :func:`event_dtypes`).

    Examples
    --------
    >>> import numpy as np
    >>> columns = {name: np.zeros(1, object if dtype == "string" else "int64" if "datetime" in dtype else dtype)
    ...            for name, dtype in EVENT_COLUMNS.items()}
    >>> str(events_frame(columns)["entry_time"].iloc[0])
    '1970-01-01 00:00:00+00:00'
    """
    dtypes = event_dtypes(track_id_dtype)
    return pd.DataFrame({name: _typed(np.asarray(columns[name]), dtype) for name, dtype in dtypes.items()},
                        copy=False)


def _typed(values: np.ndarray, dtype):
    """A column's values in its dtype, made directly (a Series' astype costs ten times more on few rows)."""
    if isinstance(dtype, str) and dtype.startswith("datetime"):
        return pd.DatetimeIndex(values.astype(np.int64, copy=False).view("datetime64[ns]")).tz_localize("UTC")
    if dtype == "string" or isinstance(dtype, pd.api.extensions.ExtensionDtype):
        return pd.array(values, dtype=dtype)
    return values.astype(dtype, copy=False)


def event_order(columns: dict, track_id_dtype=None) -> np.ndarray:
    """The order of event rows (columns as :func:`events_frame` takes) by track, entry time and airspace; stable.

    Tracks are in the order of their ids' dtype, `track_id_dtype` (see
    :func:`event_dtypes`): text as text, integers numerically, categories in
    the order of the categories.

    Examples
    --------
    >>> event_order({"track_id": np.array(["B", "A", "A"], object), "entry_time": np.array([0, 5, 1]),
    ...              "airspace_id": np.array(["R1", "R1", "R1"], object)}).tolist()
    [2, 1, 0]
    >>> event_order({"track_id": np.array(["B", "A", "A"], object), "entry_time": np.array([0, 5, 1]),
    ...              "airspace_id": np.array(["R1", "R1", "R1"], object)}, pd.CategoricalDtype(["B", "A"])).tolist()
    [0, 2, 1]
    """
    track_id = columns["track_id"]
    if isinstance(track_id_dtype, pd.CategoricalDtype):
        track_id = pd.Categorical(track_id, dtype=track_id_dtype)
    track = pd.factorize(track_id, sort=True)[0]
    airspace = pd.factorize(columns["airspace_id"], sort=True)[0]
    return np.lexsort((airspace, columns["entry_time"], track))


def in_event_order(events: pd.DataFrame, track_id_dtype=None) -> pd.DataFrame:
    """The rows of an events table in the order :func:`event_order` gives, numbered from 0.

    For events found in parts (of a table, of a dataset), put together.

    Examples
    --------
    >>> events = pd.DataFrame({"track_id": ["B", "A", "A"], "airspace_id": ["R1"] * 3,
    ...                        "entry_time": pd.to_datetime([0, 5, 1], unit="s", utc=True)})
    >>> in_event_order(events)["entry_time"].dt.second.tolist(), in_event_order(events)["track_id"].tolist()
    ([1, 5, 0], ['A', 'A', 'B'])
    """
    order = event_order({"track_id": events["track_id"].to_numpy(), "airspace_id": events["airspace_id"].to_numpy(),
                         "entry_time": events["entry_time"].to_numpy("datetime64[ns]")}, track_id_dtype)
    return events.iloc[order].reset_index(drop=True)


def events_from_records(records: list[dict], track_id_dtype=None, *, ordered: bool = True) -> pd.DataFrame:
    """Build an events table from rows (dicts of plain values and UTC timestamps).

    Parameters
    ----------
    records : list of dict
        One dict per event, with every column of :data:`EVENT_COLUMNS`.
    track_id_dtype : dtype, optional
        The dtype of the tracks' ``track_id`` (see :func:`event_dtypes`).
    ordered : bool, optional
        Sort the rows as :func:`event_order` does (by default); else keep
        the order of `records`.

    Examples
    --------
    >>> rows = [{**dict.fromkeys(EVENT_COLUMNS, 0), "track_id": track, "airspace_id": "R1",
    ...          "entry_time": pd.Timestamp(time, tz="UTC"), "exit_time": pd.Timestamp(time, tz="UTC"),
    ...          "deepest_time": pd.NaT} for track, time in [("B", "2025-09-19 09:58"), ("A", "2025-09-19 10:00")]]
    >>> events = events_from_records(rows)
    >>> events["track_id"].tolist(), str(events["entry_time"].dtype)
    (['A', 'B'], 'datetime64[ns, UTC]')
    """
    if not records:
        return empty_events(track_id_dtype)
    table = pd.DataFrame.from_records(records, columns=list(EVENT_COLUMNS))
    columns = {name: _column_values(table[name], dtype) for name, dtype in EVENT_COLUMNS.items()}
    if ordered:
        order = event_order(columns, track_id_dtype)
        columns = {name: values[order] for name, values in columns.items()}
    return events_frame(columns, track_id_dtype)


def _column_values(column: pd.Series, dtype: str) -> np.ndarray:
    """A column of rows as :func:`events_frame` takes it: times as int64 nanoseconds, text as objects."""
    if dtype.startswith("datetime"):
        return pd.to_datetime(column, utc=True).to_numpy(dtype="datetime64[ns]").view(np.int64)
    return column.to_numpy()


def concatenate_columns(parts: list[dict]) -> dict:
    """Event columns of several parts (dicts of arrays, as :func:`events_frame` takes) one after the other.

    Examples
    --------
    >>> one = {name: np.zeros(1) for name in EVENT_COLUMNS}
    >>> len(concatenate_columns([one, one, one])["track_id"])
    3
    """
    return {name: np.concatenate([part[name] for part in parts]) for name in EVENT_COLUMNS}


def validate_events(events: pd.DataFrame, *, source: str = "events") -> pd.DataFrame:
    """Check an events table; raise ValueError naming the column and first bad row.

    Checks the columns, that exit is not before entry, that duration matches,
    and that faces are known.

    Examples
    --------
    >>> from detect.example_data import example_tables
    >>> events, _, _ = example_tables()
    >>> events.loc[1, "entry_face"] = "window"
    >>> validate_events(events)
    Traceback (most recent call last):
    ValueError: events: bad value in column 'entry_face' at row 1: 'window'
    """
    missing = [name for name in EVENT_COLUMNS if name not in events.columns]
    if missing:
        raise ValueError(f"{source}: missing column(s) {', '.join(missing)}")
    checks = {
        "exit_time": events["exit_time"] < events["entry_time"],
        "duration_s": ~np.isclose(
            events["duration_s"], (events["exit_time"] - events["entry_time"]).dt.total_seconds(), atol=1e-6
        ),
        "entry_face": ~events["entry_face"].isin(ENTRY_FACE_NAMES),
        "exit_face": ~events["exit_face"].isin(EXIT_FACE_NAMES),
        "max_depth_m": events["max_depth_m"] < 0,
        "event": ~events["event"].isin(EVENT_KINDS),
        "closest_m": events["closest_m"] < 0,
    }
    for column, bad in checks.items():
        bad = np.asarray(bad, bool)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise ValueError(f"{source}: bad value in column {column!r} at row {row}: {events[column].iloc[row]!r}")
    return events
