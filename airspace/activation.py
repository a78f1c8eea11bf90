"""Activation windows: when each volume is active, from an interval, a table or a file.

A volume is active inside its window ``[valid_from, valid_to]`` (UTC, both
ends included; NaT leaves a side open) and does not exist outside it: a
track inside it when the window opens enters by the face ``activation``,
and leaves by ``deactivation`` when it closes.

- :func:`parse_interval` reads one window written as an ISO 8601 interval,
  ``"2025-09-19T06:00Z/2025-09-19T09:00Z"``, the way OpenAir ``AA`` records
  and the command line's ``--active`` write it.
- :func:`read_activation` reads an activation table from a CSV file with
  the columns ``airspace_id``, ``from`` and ``to`` (``valid_from`` and
  ``valid_to`` are read too), one row per window: an airspace active
  several times has several rows.
- :func:`activate` gives volumes the windows of such a table: a volume with
  one window keeps its id, a volume with several becomes one row per window,
  with ids ``<id>-1``, ``<id>-2``, ... (as several OpenAir ``AA`` records
  do), and a volume the table does not name keeps its own window (none:
  always active). Windows of one volume that overlap or touch are first
  joined into one (:func:`merge_windows`): a stay inside is one event, never
  one per window. :func:`activate_all` gives every volume one window.

Times carry a zone (``Z`` or ``+02:00``) and are converted to UTC; a time
without one is refused, never taken as UTC. ``T24:00`` is the midnight
that ends the day, and ``NONE`` (or nothing, in the CSV) an open side.
"""

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from airspace.table import TIME_DTYPE, validate_airspace
from tracks.errors import ReadError
from tracks.opening import file_text

ACTIVATION_COLUMNS = ("airspace_id", "from", "to")
"""The columns of an activation CSV file (``valid_from``/``valid_to`` stand for ``from``/``to``)."""

_SYNONYMS = {"valid_from": "from", "valid_to": "to"}
_MIDNIGHT = re.compile(r"(.*)T24:00(?::00(?:\.0*)?)?(Z|[+-].*)", re.IGNORECASE)


def parse_time(text):
    """One UTC time from ISO 8601 text with a zone; NaT for ``NONE`` or nothing.

    Parameters
    ----------
    text : str

    Returns
    -------
    pandas.Timestamp
        In UTC, or NaT.

    Raises
    ------
    ValueError
        For text that is not a time, or a time without a zone.

    Examples
    --------
    >>> parse_time("2025-09-19T08:00+02:00"), parse_time("2024-12-17T24:00Z")
    (Timestamp('2025-09-19 06:00:00+0000', tz='UTC'), Timestamp('2024-12-18 00:00:00+0000', tz='UTC'))
    >>> parse_time("NONE")
    NaT
    >>> parse_time("2025-09-19T06:00")
    Traceback (most recent call last):
    ...
    ValueError: '2025-09-19T06:00' has no time zone (write Z for UTC)
    >>> parse_time("1600-01-01T00:00Z")
    Traceback (most recent call last):
    ...
    ValueError: '1600-01-01T00:00Z' is outside the times the tables hold (1678 to 2261)
    """
    text = text.strip()
    if text.upper() in ("NONE", ""):
        return pd.NaT
    midnight = _MIDNIGHT.fullmatch(text)
    try:
        if midnight:
            time = pd.Timestamp(f"{midnight[1]}T00:00{midnight[2]}") + pd.Timedelta(days=1)
        else:
            time = pd.Timestamp(text)
    except ValueError:
        raise ValueError(f"cannot read the time {text!r} (write e.g. 2025-09-19T06:00Z)") from None
    if time is pd.NaT:
        raise ValueError(f"cannot read the time {text!r} (write e.g. 2025-09-19T06:00Z)")
    if time.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone (write Z for UTC)")
    try:
        return time.tz_convert("UTC").as_unit("ns")
    except (pd.errors.OutOfBoundsDatetime, OverflowError):
        raise ValueError(f"{text!r} is outside the times the tables hold ({pd.Timestamp.min.year + 1} "
                         f"to {pd.Timestamp.max.year - 1})") from None


def parse_interval(text):
    """An activation window from an ISO 8601 interval ``start/end``.

    Parameters
    ----------
    text : str
        ``"2025-09-19T06:00Z/2025-09-19T09:00Z"``; either side may be
        ``NONE``, an open side (see :func:`parse_time` for the times).

    Returns
    -------
    valid_from, valid_to : pandas.Timestamp
        UTC, NaT for an open side.

    Raises
    ------
    ValueError
        For text that is not two times joined by ``/``, or a start after the end.

    Examples
    --------
    >>> parse_interval("2025-09-19T06:00Z/2025-09-19T09:00Z")
    (Timestamp('2025-09-19 06:00:00+0000', tz='UTC'), Timestamp('2025-09-19 09:00:00+0000', tz='UTC'))
    >>> parse_interval("2025-09-19T06:00Z/NONE")[1]
    NaT
    >>> parse_interval("2025-09-19T09:00Z/2025-09-19T06:00Z")
    Traceback (most recent call last):
    ...
    ValueError: start after end in '2025-09-19T09:00Z/2025-09-19T06:00Z'
    """
    ends = text.split("/")
    if len(ends) != 2:
        raise ValueError(f"expected start/end, such as 2025-09-19T06:00Z/2025-09-19T09:00Z, found {text!r}")
    start, end = (parse_time(end) for end in ends)
    if pd.notna(start) and pd.notna(end) and start > end:
        raise ValueError(f"start after end in {text!r}")
    return start, end


def read_activation(path, airspace_ids):
    """Read an activation table from a CSV file: one row per window of a volume.

    Parameters
    ----------
    path : str or os.PathLike
        A CSV file with a header naming the columns ``airspace_id``,
        ``from`` and ``to`` (or ``valid_from``, ``valid_to``), in any order;
        other columns are ignored. An empty ``from`` or ``to`` (or ``NONE``)
        is an open side.
    airspace_ids : iterable of str
        The ids of the airspace the windows are for: an id not among them
        is an error.

    Returns
    -------
    pandas.DataFrame
        ``airspace_id``, ``valid_from``, ``valid_to`` (UTC) and ``line``
        (the file line of each window), in file order.

    Raises
    ------
    ReadError
        ``"{path}:{line}: ..."`` for a missing column, a row with a missing
        field, an id not in the airspace, a time that does not read or has
        no zone, or a start after the end; ``"{path}: ..."`` for a missing
        or empty file.

    Examples
    --------
    >>> import tempfile, os
    >>> csv_path = os.path.join(tempfile.mkdtemp(), "active.csv")
    >>> with open(csv_path, "w") as f:
    ...     _ = f.write("airspace_id,from,to\\nEER1,2025-09-19T06:00Z,2025-09-19T09:00Z\\n"
    ...                 "EER1,2025-09-20T06:00Z,\\n")
    >>> read_activation(csv_path, ["EER1", "EER2"])
      airspace_id                valid_from                  valid_to  line
    0        EER1 2025-09-19 06:00:00+00:00 2025-09-19 09:00:00+00:00     2
    1        EER1 2025-09-20 06:00:00+00:00                       NaT     3
    >>> with open(csv_path, "a") as f:
    ...     _ = f.write("EER9,2025-09-19T06:00Z,2025-09-19T09:00Z\\n")
    >>> read_activation(csv_path, ["EER1", "EER2"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tracks.errors.ReadError: ...active.csv:4: airspace id 'EER9' is not in the airspace (its ids: EER1, EER2)
    """
    known = set(airspace_ids)
    path = Path(path)
    reader = csv.reader(io.StringIO(file_text(path, "an activation CSV file")))
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise ReadError(f"{path}: the file is empty; expected the columns {','.join(ACTIVATION_COLUMNS)}")
    names = [_SYNONYMS.get(cell.strip().lower(), cell.strip().lower()) for cell in header]
    missing = [name for name in ACTIVATION_COLUMNS if name not in names]
    if missing:
        raise ReadError(
            f"{path}:1: no column {', '.join(missing)}; expected the columns "
            f"{','.join(ACTIVATION_COLUMNS)}, found {','.join(cell.strip() for cell in header)}"
        )
    where = [names.index(name) for name in ACTIVATION_COLUMNS]
    rows = []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) <= max(where):
            raise ReadError(f"{path}:{line}: {len(cells)} field(s), expected {len(header)} as in the header")
        airspace_id, start, end = (cells[k].strip() for k in where)
        if airspace_id not in known:
            raise ReadError(
                f"{path}:{line}: airspace id {airspace_id!r} is not in the airspace (its ids: {_listed(known)})"
            )
        try:
            window = parse_interval(f"{start}/{end}")
        except ValueError as exc:
            raise ReadError(f"{path}:{line}: {exc}") from None
        rows.append((airspace_id, *window, line))
    if not rows:
        raise ReadError(f"{path}: no window in the file (a header only)")
    ids, starts, ends, lines = zip(*rows)
    return pd.DataFrame(
        {
            "airspace_id": pd.Series(ids, dtype="str"),
            "valid_from": pd.Series(starts, dtype=TIME_DTYPE),
            "valid_to": pd.Series(ends, dtype=TIME_DTYPE),
            "line": np.asarray(lines, dtype="int64"),
        }
    )


def merge_windows(windows):
    """The windows with those of one volume that overlap or touch joined into one.

    Parameters
    ----------
    windows : pandas.DataFrame
        ``airspace_id``, ``valid_from``, ``valid_to`` (UTC, NaT for an open
        side), one row per window.

    Returns
    -------
    pandas.DataFrame
        ``airspace_id``, ``valid_from``, ``valid_to``, one row per joined
        window, in the order of the first window of each in `windows`. Both
        ends of a window are inside it, so windows that only touch are
        joined too.

    Examples
    --------
    >>> windows = pd.DataFrame({"airspace_id": ["TRA1", "TRA2", "TRA1", "TRA1"],
    ...     "valid_from": pd.to_datetime(["2025-09-19T08:00Z", "2025-09-19T08:00Z", "2025-09-19T06:00Z", None],
    ...                                  utc=True),
    ...     "valid_to": pd.to_datetime(["2025-09-19T09:00Z", "2025-09-19T09:00Z", "2025-09-19T08:30Z",
    ...                                 "2025-09-19T05:00Z"], utc=True)})
    >>> merge_windows(windows)
      airspace_id                valid_from                  valid_to
    0        TRA1 2025-09-19 06:00:00+00:00 2025-09-19 09:00:00+00:00
    1        TRA2 2025-09-19 08:00:00+00:00 2025-09-19 09:00:00+00:00
    2        TRA1                       NaT 2025-09-19 05:00:00+00:00
    """
    first, last = pd.Timestamp.min.tz_localize("UTC"), pd.Timestamp.max.tz_localize("UTC")
    starts = pd.to_datetime(windows["valid_from"], utc=True).astype(TIME_DTYPE).fillna(first).reset_index(drop=True)
    ends = pd.to_datetime(windows["valid_to"], utc=True).astype(TIME_DTYPE).fillna(last).reset_index(drop=True)
    ids = windows["airspace_id"].astype(str).reset_index(drop=True)
    joined = []  # [position of the first window, id, start, end]
    for airspace_id, positions in ids.groupby(ids, sort=False).groups.items():
        run = None
        for position in sorted(positions, key=lambda k: starts[k]):
            if run is not None and starts[position] <= run[3]:
                run[0], run[3] = min(run[0], position), max(run[3], ends[position])
            else:
                run = [position, airspace_id, starts[position], ends[position]]
                joined.append(run)
    joined.sort(key=lambda run: run[0])
    return pd.DataFrame(
        {
            "airspace_id": pd.Series([run[1] for run in joined], dtype="str"),
            "valid_from": pd.Series([run[2] for run in joined], dtype=TIME_DTYPE).where(lambda t: t != first),
            "valid_to": pd.Series([run[3] for run in joined], dtype=TIME_DTYPE).where(lambda t: t != last),
        }
    )


def activate(airspace, windows):
    """The airspace with the volumes named in `windows` active in those windows only.

    Parameters
    ----------
    airspace : geopandas.GeoDataFrame
        An airspace table.
    windows : pandas.DataFrame
        ``airspace_id``, ``valid_from``, ``valid_to`` (as
        :func:`read_activation` returns), one row per window.

    Returns
    -------
    geopandas.GeoDataFrame
        The airspace table in its order: a volume with one window keeps its
        id and takes that window (replacing its own); one with several
        becomes a row per window, with ids ``<id>-1``, ``<id>-2``, ... in
        the order of `windows`, after windows of one volume that overlap or
        touch are joined (:func:`merge_windows`); a volume `windows` does not
        name is kept as it is.

    Raises
    ------
    ValueError
        For an id in `windows` that is not in the airspace, or ids made
        from several windows that clash with others.

    Examples
    --------
    >>> from shapely import box
    >>> from airspace.table import make_airspace
    >>> zones = make_airspace([box(24, 59, 25, 60), box(25, 59, 26, 60)], airspace_id=["TRA1", "CTR"])
    >>> windows = pd.DataFrame({"airspace_id": ["TRA1", "TRA1"],
    ...     "valid_from": pd.to_datetime(["2025-09-19T06:00Z", "2025-09-19T12:00Z"]),
    ...     "valid_to": pd.to_datetime(["2025-09-19T09:00Z", "2025-09-19T15:00Z"])})
    >>> activate(zones, windows)[["airspace_id", "name", "valid_from", "valid_to"]]
      airspace_id  name                valid_from                  valid_to
    0      TRA1-1  TRA1 2025-09-19 06:00:00+00:00 2025-09-19 09:00:00+00:00
    1      TRA1-2  TRA1 2025-09-19 12:00:00+00:00 2025-09-19 15:00:00+00:00
    2         CTR   CTR                       NaT                       NaT
    """
    table = validate_airspace(airspace, source="airspace")
    unknown = sorted(set(windows["airspace_id"]) - set(table["airspace_id"]))
    if unknown:
        raise ValueError(
            f"activation: airspace id(s) {', '.join(map(repr, unknown))} not in the airspace "
            f"(its ids: {_listed(table['airspace_id'])})"
        )
    window_table = merge_windows(windows)
    count = window_table["airspace_id"].value_counts()
    window_table["_k"] = window_table.groupby("airspace_id").cumcount() + 1
    merged = table.reset_index(drop=True).merge(
        window_table, on="airspace_id", how="left", suffixes=("", "_window"), indicator=True
    )
    named = (merged.pop("_merge") == "both").to_numpy()
    for name in ("valid_from", "valid_to"):
        merged[name] = merged[name].where(~named, merged.pop(f"{name}_window"))
    several = named & (merged["airspace_id"].map(count).fillna(0).to_numpy() > 1)
    ids = merged["airspace_id"].astype(object)
    ids[several] = [f"{base}-{k}" for base, k in zip(ids[several], merged["_k"][several].astype(int))]
    merged["airspace_id"] = ids
    return validate_airspace(merged.drop(columns="_k"), source="activation")


def activate_all(airspace, valid_from, valid_to):
    """The airspace with every volume active in one window, replacing their own.

    Parameters
    ----------
    airspace : geopandas.GeoDataFrame
        An airspace table.
    valid_from, valid_to : pandas.Timestamp, str or None
        The window, UTC (NaT or None: an open side), as from :func:`parse_interval`.

    Returns
    -------
    geopandas.GeoDataFrame

    Examples
    --------
    >>> from shapely import box
    >>> from airspace.table import make_airspace
    >>> zones = activate_all(make_airspace(box(24, 59, 25, 60)), *parse_interval("2025-09-19T06:00Z/NONE"))
    >>> zones[["valid_from", "valid_to"]]
                     valid_from valid_to
    0 2025-09-19 06:00:00+00:00      NaT
    """
    table = validate_airspace(airspace, source="airspace")
    table["valid_from"] = pd.Series(pd.Timestamp(valid_from) if valid_from is not None else pd.NaT,
                                    index=table.index, dtype=TIME_DTYPE)
    table["valid_to"] = pd.Series(pd.Timestamp(valid_to) if valid_to is not None else pd.NaT,
                                  index=table.index, dtype=TIME_DTYPE)
    return validate_airspace(table, source="activation")


def _listed(ids, most=8):
    ids = sorted(map(str, ids))
    shown = ", ".join(ids[:most])
    return f"{shown}, ... ({len(ids)} in all)" if len(ids) > most else shown
