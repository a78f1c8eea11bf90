"""Runs of equal ``track_id`` in a tracks table, found by comparing neighbours.

In a valid tracks table each run is one track. Comparing each id with the
one before it, in Arrow, is several times faster than hashing every id
(``pandas.factorize``), and needs only the run's first rows afterwards.
Categorical ids are compared by their codes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def run_starts(track_id: pd.Series) -> np.ndarray:
    """Positions of the rows that begin a run of equal ``track_id``.

    Parameters
    ----------
    track_id : pandas.Series
        Text, integers or categories, without missing values.

    Returns
    -------
    numpy.ndarray of int64
        Ascending; 0 first unless `track_id` is empty.

    Examples
    --------
    >>> run_starts(pd.Series(["A", "A", "B", "A", "A"], dtype="str")).tolist()
    [0, 2, 3]
    >>> run_starts(pd.Series([10, 10, 9], dtype="category")).tolist()
    [0, 2]
    """
    ids = pa.array(_comparable(track_id))
    if len(ids) == 0:
        return np.zeros(0, np.int64)
    differs = pc.not_equal(ids.slice(1), ids.slice(0, len(ids) - 1))
    return np.concatenate([[0], pc.indices_nonzero(differs).to_numpy() + 1]).astype(np.int64)


def _comparable(track_id: pd.Series):
    """Values equal exactly where the ids are: category codes for categoricals, else the ids."""
    if isinstance(track_id.dtype, pd.CategoricalDtype):
        return track_id.cat.codes.to_numpy()
    return track_id.array


def run_codes(starts: np.ndarray, n_rows: int) -> np.ndarray:
    """Run number (0, 1, ...) of every row, from :func:`run_starts`.

    Examples
    --------
    >>> run_codes(np.array([0, 2, 3]), 5).tolist()
    [0, 0, 1, 2, 2]
    """
    return np.repeat(np.arange(len(starts), dtype=np.int64), np.diff(np.append(starts, n_rows)))
