"""Detection over a dask DataFrame of tracks: each partition's events, found where the partition is.

:func:`detect.find_violations` hands a dask DataFrame here. The airspace is
prepared once (:func:`detect.prepare_airspace`) and, with a distributed
client, sent once per client to every worker process as a worker plugin
(:mod:`detect.worker_airspace`), which the scheduler sends again to any
worker that starts later; without one, it is put in the task graph. Each
worker process uses its copy for all its partitions and for later calls
with the same airspace, making each part's frame and grid ready on first
use, once per process (national parts from the disk cache,
:mod:`detect.part_cache`). Shipping every part ready instead would cost far
more: for the 46 European states, 40 MB as prepared, 2 GB with every grid
built. Each partition must hold whole tracks, as those of
:func:`tracks.read_dataset` do; any other frame is shuffled on
``track_id`` first. Each partition's events are those of
:func:`detect.find_violations` on it, with the caller's options.
"""

from __future__ import annotations

import dataclasses
import uuid
import weakref

from detect.events import empty_events
from tracks.allocator import large_arrays_from_heap

_SHIPPED = {}  # (client id, id of a prepared airspace): (a weak reference to it, the name of its worker plugin)


@dataclasses.dataclass(frozen=True)
class _OnWorkers:
    """A prepared airspace every worker process holds, in its worker plugin `name`."""

    name: str


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
    shipped = _shipped(prepared)
    meta = empty_events(tracks["track_id"].dtype)
    return tracks.map_partitions(_partition_events, shipped, options, meta=meta, align_dataframes=False)


@large_arrays_from_heap()
def _partition_events(tracks, prepared, options):
    """The events of one partition of whole tracks."""
    from detect.core import find_violations

    if isinstance(prepared, _OnWorkers):
        from detect.worker_airspace import airspace_on_this_worker

        prepared = airspace_on_this_worker(prepared.name)
    return find_violations(tracks, prepared, **options)


def _shipped(prepared):
    """The prepared airspace as the tasks get it: on every worker once per client, else in the graph.

    With a distributed client, the airspace is registered once as a worker
    plugin (:class:`detect.worker_airspace.AirspaceOnWorkers`) and its name
    kept while the airspace lives, so that later calls on the same client
    find it on the workers, with the parts each made ready; the plugins of
    airspaces no longer alive are removed. Without a client, it is one
    piece of data in the task graph.
    """
    import dask

    try:
        from distributed import default_client

        client = default_client()
    except (ImportError, ValueError):  # no distributed, or no client: a local scheduler
        return dask.delayed(prepared, pure=False, traverse=False)
    from detect.worker_airspace import AirspaceOnWorkers

    for key, (known, name) in list(_SHIPPED.items()):
        if key[0] == client.id and known() is None:
            del _SHIPPED[key]
            client.unregister_worker_plugin(name)
    key = (client.id, id(prepared))
    known, name = _SHIPPED.get(key, (None, None))
    if known is None or known() is not prepared:
        name = f"airwarden-airspace-{uuid.uuid4().hex}"
        client.register_plugin(AirspaceOnWorkers(prepared), name=name)
        _SHIPPED[key] = (weakref.ref(prepared), name)
    return _OnWorkers(name)
