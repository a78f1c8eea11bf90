"""Runs of equal ``track_id`` in a tracks table, found by comparing neighbours.

In a valid tracks table each run is one track. Comparing each id with the
one before it, in Arrow, is cheaper than hashing every id
(``pandas.factorize``), and needs only the run's first rows afterwards:
ranking the runs' ids tells whether each track is one run, and gives the
order that sorts a table by track then time. Categorical ids are compared
by their codes.
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
    ids = _arrow(track_id)
    if len(ids) == 0:
        return np.zeros(0, np.int64)
    differs = pc.not_equal(ids.slice(1), ids.slice(0, len(ids) - 1))
    return np.concatenate([[0], pc.indices_nonzero(differs).to_numpy() + 1]).astype(np.int64)


def _arrow(track_id: pd.Series) -> pa.Array:
    """The ids as an Arrow array that compares as they do: category codes for categoricals."""
    if isinstance(track_id.dtype, pd.CategoricalDtype):
        return pa.array(track_id.cat.codes.to_numpy())
    return pa.array(track_id.array)


def run_ranks(track_id: pd.Series, starts: np.ndarray) -> tuple[np.ndarray, int]:
    """Rank of each run's id among the distinct ids, and the number of distinct ids.

    Ranks follow the order of the ids' dtype: text as text, integers
    numerically, categories in the order of the categories. The runs' ids
    are hashed only when they are not ascending already, and taken out of
    `track_id` first only when runs are long (else hashing every row costs
    less).

    Parameters
    ----------
    track_id : pandas.Series
        Text, integers or categories, without missing values.
    starts : numpy.ndarray of int64
        The rows that begin the runs (:func:`run_starts`).

    Examples
    --------
    >>> ids = pd.Series([10, 10, 10, 9, 9, 9, 100, 100])
    >>> rank, n_ids = run_ranks(ids, run_starts(ids))
    >>> rank.tolist(), n_ids
    ([1, 0, 2], 3)
    >>> ids = pd.Series([10, 9, 100, 10])
    >>> rank, n_ids = run_ranks(ids, run_starts(ids))
    >>> rank.tolist(), n_ids
    ([1, 0, 2, 1], 3)
    """
    if len(starts) > max(len(track_id) // 2, 1):
        rank, distinct = pd.factorize(track_id, sort=True)
        return rank[starts], len(distinct)
    run_ids = track_id.iloc[starts]
    if _ascending(run_ids):
        return np.arange(len(starts)), len(starts)
    rank, distinct = pd.factorize(run_ids, sort=True)
    return rank, len(distinct)


def _ascending(track_id: pd.Series) -> bool:
    """Whether each id is greater than the one before it."""
    ids = _arrow(track_id)
    return len(ids) < 2 or pc.all(pc.greater(ids.slice(1), ids.slice(0, len(ids) - 1))).as_py()


def track_time_order(run_rank: np.ndarray, starts: np.ndarray, time_ns: np.ndarray) -> np.ndarray:
    """The stable order of rows by ``track_id``, then time.

    The order of ``df.sort_values(["track_id", "time"], kind="stable")``,
    from the ranks of the runs' ids (:func:`run_ranks`). Two stable sorts,
    by time and then by rank (radix-sorted where ranks are few), cost less
    than pandas' sort on two columns.

    Parameters
    ----------
    run_rank : numpy.ndarray of int
        Rank of each run's id (:func:`run_ranks`).
    starts : numpy.ndarray of int64
        The rows that begin the runs (:func:`run_starts`).
    time_ns : numpy.ndarray of int64
        Time of each row.

    Returns
    -------
    numpy.ndarray of int64
        Row positions, as for ``take``.

    Examples
    --------
    >>> ids = pd.Series([10, 10, 9, 100, 10])
    >>> starts = run_starts(ids)
    >>> rank, _ = run_ranks(ids, starts)
    >>> track_time_order(rank, starts, np.array([5, 7, 1, 1, 6])).tolist()
    [2, 0, 4, 1, 3]
    """
    rank = small_codes(run_rank)[run_codes(starts, len(time_ns))]
    by_time = np.argsort(time_ns, kind="stable")
    return by_time[np.argsort(rank[by_time], kind="stable")]


def small_codes(codes: np.ndarray) -> np.ndarray:
    """Codes as int16 where they fit (sorted by radix sort, far faster), else as they are.

    Examples
    --------
    >>> small_codes(np.array([0, 5, 2])).dtype, small_codes(np.array([0, 40_000])).dtype
    (dtype('int16'), dtype('int64'))
    """
    if len(codes) and codes.max() < np.iinfo(np.int16).max:
        return codes.astype(np.int16)
    return codes


def run_codes(starts: np.ndarray, n_rows: int) -> np.ndarray:
    """Run number (0, 1, ...) of every row, from :func:`run_starts`.

    Examples
    --------
    >>> run_codes(np.array([0, 2, 3]), 5).tolist()
    [0, 0, 1, 2, 2]
    """
    return np.repeat(np.arange(len(starts), dtype=np.int64), np.diff(np.append(starts, n_rows)))
