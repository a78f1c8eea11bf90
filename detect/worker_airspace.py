"""A prepared airspace held by every dask worker process, as a worker plugin (needs ``distributed``).

The scheduler keeps the plugin and sends it to every worker once, and to
every worker that starts later (one restarted after dying included), so a
task finds the airspace in its own process without depending on a piece
of data on the cluster: dask's active memory manager drops the copies of a
piece of data beyond one, and a worker would fetch it again at each call
(40 MB for the 46 European states, 0.3 s), and make its parts ready again.
"""

from __future__ import annotations

from distributed import WorkerPlugin, get_worker


class AirspaceOnWorkers(WorkerPlugin):
    """Holds a prepared airspace in each worker process; its parts are made ready there on first use.

    Examples
    --------
    >>> AirspaceOnWorkers("a prepared airspace").prepared
    'a prepared airspace'
    """

    idempotent = True  # registered again under the same name: nothing to do

    def __init__(self, prepared):
        self.prepared = prepared


def airspace_on_this_worker(name):
    """The prepared airspace of the plugin `name` of the worker running this task."""
    return get_worker().plugins[name].prepared
