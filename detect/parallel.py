"""Detection on several cores: a tracks table cut between tracks, a part per thread.

Tracks are independent, so a validated tracks table (each track one run of
rows, in time order) can be cut into parts that never split a track, each detected in its
own thread, and the parts' events concatenated in order. The threads run
truly in parallel because the heavy stages release the GIL: the compiled
kernels (``nogil``), PROJ, GEOS and numpy.
"""

from __future__ import annotations

import itertools
import os
import threading
from concurrent.futures import ThreadPoolExecutor, wait

import numpy as np


#: Fewer fixes than this per part are not worth a thread of their own.
MIN_FIXES_PER_PART = 50_000


def default_workers() -> int:
    """The number of cores this process may run on.

    Examples
    --------
    >>> default_workers() >= 1
    True
    """
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parts_between_tracks(fixes, n_parts: int, min_fixes: int | None = None) -> list[tuple[int, int]]:
    """Cut fixes (tracks contiguous) into about `n_parts` ranges of whole tracks.

    Parameters
    ----------
    fixes : detect.pieces.Fixes
    n_parts : int
        Wanted number of parts; fewer when there are fewer than `min_fixes`
        fixes a part, or when a long track spans several cut points.
    min_fixes : int, optional
        Least number of fixes a part; by default :data:`MIN_FIXES_PER_PART`.

    Returns
    -------
    list of (int, int)
        Consecutive ranges of track numbers, first included, last excluded
        (:meth:`detect.pieces.Fixes.of_tracks`).

    Examples
    --------
    >>> import pandas as pd
    >>> from detect.pieces import Fixes
    >>> from tracks import make_tracks
    >>> times = pd.date_range("2025-09-19", periods=8, freq="min", tz="UTC")
    >>> fixes = Fixes.from_tracks(make_tracks(["A"] * 3 + ["B"] * 2 + ["C"] * 3, times, lon=[0.0] * 8, lat=[0.0] * 8))
    >>> parts_between_tracks(fixes, 3, min_fixes=1), parts_between_tracks(fixes, 2, min_fixes=1)
    ([(0, 1), (1, 2), (2, 3)], [(0, 2), (2, 3)])
    """
    n = len(fixes.time_ns)
    min_fixes = MIN_FIXES_PER_PART if min_fixes is None else min_fixes
    n_parts = max(1, min(n_parts, n // max(min_fixes, 1)))
    # Each cut is at the first track that starts at or after its share of the fixes.
    wanted = n * np.arange(1, n_parts) // n_parts
    cuts = np.unique(np.concatenate([[0], np.searchsorted(np.flatnonzero(fixes.track_start), wanted),
                                     [len(fixes.track_names)]]))
    return [(int(lo), int(hi)) for lo, hi in zip(cuts[:-1], cuts[1:])]


def map_in_threads(function, items: list, workers: int) -> list:
    """``[function(item) for item in items]``, run in up to `workers` threads.

    The calling thread takes items too; the others come from one pool that
    lives as long as the process, so that what a thread keeps for itself
    (pyproj builds a transformer per thread, 40 ms for an EPSG code) is
    built once, not at every call. The first exception raised by a call is
    raised here, once every call has ended.

    Examples
    --------
    >>> map_in_threads(lambda x: x * x, [1, 2, 3, 4], workers=2)
    [1, 4, 9, 16]
    """
    if workers <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    results = [None] * len(items)
    taken = itertools.count()  # its next() is atomic: each item is taken once

    def take_items():
        for k in iter(taken.__next__, None):
            if k >= len(items):
                return
            results[k] = function(items[k])

    helpers = [_shared_pool(workers - 1).submit(take_items) for _ in range(min(workers, len(items)) - 1)]
    try:
        take_items()
    finally:
        wait(helpers)
    for helper in helpers:
        helper.result()
    return results


_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_pool_lock = threading.Lock()


def _shared_pool(size: int) -> ThreadPoolExecutor:
    """The process's detection threads, at least `size` of them."""
    global _pool, _pool_size
    with _pool_lock:
        if _pool is None or _pool_size < size:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool, _pool_size = ThreadPoolExecutor(max_workers=size, thread_name_prefix="airwarden"), size
        return _pool
