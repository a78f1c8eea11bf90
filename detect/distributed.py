"""Detection over a dask DataFrame of tracks: each partition's events, found where the partition is.

:func:`detect.find_violations` hands a dask DataFrame here. The airspace is
prepared once (:func:`detect.prepare_airspace`) and put on the cluster once
per client, as a computed piece of data (``Client.compute``) that dask makes
again if every worker holding it dies (a scattered one would be lost), or,
without a distributed client, put in the task graph. Each worker process
keeps the first copy it gets under a token (:func:`_worker_copy`) and uses
it for all its partitions and for later calls with the same airspace,
making each part's frame and grid ready on first use, once per process
(national parts from the disk cache, :mod:`detect.part_cache`): dask's
active memory manager drops the copies a worker holds beyond one on the
cluster, and a copy fetched again would have to make its parts ready again
(1.5 CPU-seconds for the 46 European states).
Shipping every part ready instead would cost far more: for the 46 European
states, 40 MB as prepared, 2 GB with every grid built. Each partition must hold whole tracks,
as those of :func:`tracks.read_dataset` do; any other frame is shuffled on
``track_id`` first. Each partition's events are those of
:func:`detect.find_violations` on it, with the caller's options.
"""

from __future__ import annotations

import collections
import threading
import uuid
import warnings
import weakref

from detect.events import empty_events
from tracks.allocator import large_arrays_from_heap

_SHIPPED = {}  # (client id, id of a prepared airspace): (a weak reference to it, its future on the cluster, its token)

#: Prepared airspaces a worker process keeps, the most recently used.
KEPT_COPIES = 4

_worker_copies = collections.OrderedDict()  # in a worker process: token: the copy its tasks make ready
_worker_copies_lock = threading.Lock()


def events_of_dataset(tracks, prepared, options):
    """The events of a dask DataFrame of tracks, as a dask DataFrame, partition by partition.

    Parameters
    ----------
    tracks : dask.dataframe.DataFrame
        A tracks table in partitions (:func:`tracks.read_dataset`).
    prepared : detect.volumes.PreparedAirspace
        Shipped to the workers once.
    options : dict
        The keyword options of :func:`detect.find_violations` (``crs``,
        ``terrain`` and the approach distances aside: in `prepared`), given
        to it for each partition. ``workers`` (threads per
        partition) is 1 unless given: dask runs partitions side by side.

    Returns
    -------
    dask.dataframe.DataFrame
        The events table of :func:`detect.find_violations` on the whole
        table, each partition's events sorted as it sorts them.

    Examples
    --------
    >>> import dask, dask.dataframe as dd
    >>> from detect.example_data import example_tables
    >>> from detect.volumes import prepare_airspace
    >>> events, table, zones = example_tables()
    >>> found = events_of_dataset(dd.from_pandas(table, npartitions=3), prepare_airspace(zones), {})
    >>> found = found.compute(scheduler="sync")
    >>> sorted(found["max_depth_m"].round(3)) == sorted(events["max_depth_m"].round(3))
    True
    """
    from tracks.dataset import holds_whole_tracks

    options = {"workers": 1, **{name: value for name, value in options.items() if value is not None}}
    if not holds_whole_tracks(tracks):
        tracks = tracks.shuffle(on="track_id")
    shipped, token = _shipped(prepared)
    meta = empty_events(tracks["track_id"].dtype)
    return tracks.map_partitions(_partition_events, shipped, token, options, meta=meta, align_dataframes=False)


@large_arrays_from_heap()
def _partition_events(tracks, prepared, token, options):
    """The events of one partition of whole tracks."""
    from detect.core import find_violations

    return find_violations(tracks, _worker_copy(token, prepared), **options)


def _worker_copy(token, prepared):
    """The copy of the prepared airspace `token` this process got first (parts made ready by earlier tasks).

    `prepared` itself if it is the first, or if `token` is None (kept by
    nobody). A process keeps the :data:`KEPT_COPIES` most recently used.

    Examples
    --------
    >>> first, second = object(), object()
    >>> _worker_copy("doctest", first) is first, _worker_copy("doctest", second) is first
    (True, True)
    >>> _worker_copy(None, second) is second
    True
    """
    if token is None:
        return prepared
    with _worker_copies_lock:
        kept = _worker_copies.setdefault(token, prepared)
        _worker_copies.move_to_end(token)
        while len(_worker_copies) > KEPT_COPIES:
            _worker_copies.popitem(last=False)
    return kept


def _shipped(prepared):
    """The prepared airspace as the workers get it, and its token: computed on the cluster once per client.

    With a distributed client, the airspace is a piece of data computed on
    the cluster (``Client.compute``), made again if lost, and its future and
    a new token kept while the airspace lives, so that later calls on the
    same client find it there, and each worker its own copy with the parts
    it made ready (:func:`_worker_copy`). Without one, it is one piece of
    data in the task graph, and the token None.
    """
    import dask

    try:
        from distributed import default_client

        client = default_client()
    except (ImportError, ValueError):  # no distributed, or no client: a local scheduler
        return dask.delayed(prepared, pure=False, traverse=False), None
    key = (client.id, id(prepared))
    known, future, token = _SHIPPED.get(key, (None, None, None))
    if known is None or known() is not prepared or future.status != "finished":
        with warnings.catch_warnings():  # once per client and airspace: the one large piece of data meant
            warnings.filterwarnings("ignore", "Sending large graph", UserWarning)
            future = client.compute(dask.delayed(prepared, pure=False, traverse=False))
        token = uuid.uuid4().hex
        _SHIPPED[key] = (weakref.ref(prepared, lambda _: _SHIPPED.pop(key, None)), future, token)
    return future, token
