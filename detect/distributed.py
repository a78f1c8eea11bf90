"""Detection over a dask DataFrame of tracks: each partition's events, found where the partition is.

:func:`detect.find_violations` hands a dask DataFrame here. The airspace is
prepared once (:func:`detect.prepare_airspace`) and put in the task graph as
one piece of data: each worker receives it once and keeps it for all its
partitions, making each part's frame and grid ready on first use, once per
worker (national parts from the disk cache, :mod:`detect.part_cache`).
Shipping every part ready instead would cost far more: for the 46 European
states, 40 MB as prepared, 2 GB with every grid built. Each partition must hold whole tracks,
as those of :func:`tracks.read_dataset` do; any other frame is shuffled on
``track_id`` first. Each partition's events are those of
:func:`detect.find_violations` on it, with the caller's options.
"""

from __future__ import annotations

from detect.events import empty_events


def events_of_dataset(tracks, prepared, options):
    """The events of a dask DataFrame of tracks, as a dask DataFrame, partition by partition.

    Parameters
    ----------
    tracks : dask.dataframe.DataFrame
        A tracks table in partitions (:func:`tracks.read_dataset`).
    prepared : detect.volumes.PreparedAirspace
        Shipped to the workers once.
    options : dict
        The keyword options of :func:`detect.find_violations` (``crs`` and
        ``terrain`` aside: in `prepared`), given to it for each partition. ``workers`` (threads per
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
    import dask

    from tracks.dataset import holds_whole_tracks

    options = {"workers": 1, **{name: value for name, value in options.items() if value is not None}}
    if not holds_whole_tracks(tracks):
        tracks = tracks.shuffle(on="track_id")
    shipped = dask.delayed(prepared, pure=False, traverse=False)
    meta = empty_events(tracks["track_id"].dtype)
    return tracks.map_partitions(_partition_events, shipped, options, meta=meta, align_dataframes=False)


def _partition_events(tracks, prepared, options):
    """The events of one partition of whole tracks."""
    from detect.core import find_violations

    return find_violations(tracks, prepared, **options)
