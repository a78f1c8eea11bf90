"""``airwarden detect --scheduler local``: a failed task told once, by the command, not also in a worker's log.

The workers of a local cluster write their log to the command's stderr. A
task that raises (a file that cannot be read) is logged there by its worker
with the worker's traceback, and its error reaches the command, which says it
in one line: the worker's record of it is dropped. Every other record of the
workers (memory, a worker lost) is kept.
"""

import logging

from distributed import WorkerPlugin


class QuietFailedTasks(WorkerPlugin):
    """A worker plugin: the worker logs no record of a failed task."""

    def setup(self, worker):
        """Filter the worker's log (a filter already there is not added twice)."""
        logging.getLogger("distributed.worker").addFilter(not_a_failed_task)


def not_a_failed_task(record):
    """Whether the log `record` is other than a worker's record of a failed task.

    Examples
    --------
    >>> failed = logging.makeLogRecord({"msg": "Compute Failed\\nKey:       %s\\n", "args": ("read-1",)})
    >>> not_a_failed_task(failed), not_a_failed_task(logging.makeLogRecord({"msg": "Worker is at 85% memory"}))
    (False, True)
    """
    return not str(record.msg).startswith("Compute Failed")
