"""The tracks table to a file that airwarden reads back as it was: CSV or Parquet.

CSV holds times as ISO 8601 UTC text to the nanosecond
(``2025-09-19T09:30:10.123456789Z``), flags as ``True``/``False`` (empty for
an unknown ``on_ground``), NaN as an empty field; Parquet holds every column
in its dtype. Either reads back, with :func:`tracks.read` (format
``airwarden``, recognised from the content) or :func:`tracks.read_tracks_csv`,
to the same table.
"""

from pathlib import Path

import numpy as np

from tracks.table import validate_tracks

TRACK_FILE_ENDINGS = (".csv", ".parquet")
"""The endings :func:`write_tracks` knows."""


def write_tracks(table, path):
    """Write a tracks table to CSV or Parquet, as the file's ending says.

    Parameters
    ----------
    table : pandas.DataFrame
        A tracks table; it is checked, and its dtypes made exact, by
        :func:`tracks.validate_tracks` first (times in any zone are written in UTC).
    path : str or os.PathLike
        Ending in ``.csv`` or ``.parquet``.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        For another ending, or a table that is not a tracks table (naming the file).
    OSError
        If the file cannot be written.

    Examples
    --------
    >>> import tempfile, os
    >>> import pandas as pd
    >>> from tracks import make_tracks
    >>> table = make_tracks(["a", "a"], pd.to_datetime([0, 1], unit="ns", utc=True), [1.0, 1.1], [2.0, 2.1])
    >>> path = write_tracks(table, os.path.join(tempfile.mkdtemp(), "t.csv"))
    >>> path.read_text().splitlines()[2]
    'a,1970-01-01T00:00:00.000000001Z,1.1,2.1,,'
    """
    path = Path(path)
    ending = path.suffix.lower()
    if ending in TRACK_FILE_ENDINGS:
        table = validate_tracks(table, source=str(path))
    if ending == ".parquet":
        table.to_parquet(path, index=False)
    elif ending == ".csv":
        table.assign(time=iso_text(table["time"])).to_csv(path, index=False)
    else:
        raise ValueError(f"{path}: tracks are written to {' or '.join(TRACK_FILE_ENDINGS)}, not {ending!r}")
    return path


def iso_text(times):
    """ISO 8601 UTC text of times, to the nanosecond, ``Z`` at the end; empty where NaT.

    Parameters
    ----------
    times : pandas.Series of datetime64[ns, UTC]

    Returns
    -------
    numpy.ndarray of object (str)

    Examples
    --------
    >>> import pandas as pd
    >>> iso_text(pd.Series(pd.to_datetime([1, None], unit="ns", utc=True))).tolist()
    ['1970-01-01T00:00:00.000000001Z', '']
    """
    values = times.dt.tz_convert("UTC").dt.as_unit("ns").array.asi8.view("datetime64[ns]")
    text = np.char.add(np.datetime_as_string(values, unit="ns"), "Z").astype(object)
    text[np.isnat(values)] = ""
    return text
