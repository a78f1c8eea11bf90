"""glibc's allocator in dask worker processes: large arrays from the heap, as in any other process.

dask's nanny starts each worker process with ``MALLOC_TRIM_THRESHOLD_=65536``
(its config ``distributed.nanny.pre-spawn-environ``), so that freed memory
goes back to the system soon. Setting that variable also turns off glibc's
dynamic mmap threshold (``mallopt(3)``): it stays at 128 KiB, so every
array larger than that is mapped afresh from the kernel and its pages
faulted in on first touch, at each allocation. The readers and the
detection make and drop many arrays of a few MB; in a worker, detecting a
partition of 1 million fixes took 1.9 s of CPU against 1.3 s in a plain
process, the difference spent in the kernel on page faults.

:func:`large_arrays_from_heap` sets the mmap threshold to the ceiling of
glibc's own dynamic threshold (32 MiB on 64-bit systems), where such
arrays come from in a plain process, once per process, and only where the
environment turned the dynamic threshold off without choosing a threshold
itself. The trim threshold is left as dask set it: free memory at the top
of the heap still goes back to the system.
"""

from __future__ import annotations

import ctypes
import os
import platform

#: glibc's ``M_MMAP_THRESHOLD`` parameter of ``mallopt``.
M_MMAP_THRESHOLD = -3

#: The ceiling of glibc's dynamic mmap threshold on 64-bit systems (``DEFAULT_MMAP_THRESHOLD_MAX``).
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024

_done = False


def large_arrays_from_heap() -> bool:
    """Serve arrays up to 32 MiB from the heap where dask's environment made glibc map each afresh.

    Acts once per process, on Linux with glibc, where ``MALLOC_TRIM_THRESHOLD_``
    is set (as dask's nanny sets it) and ``MALLOC_MMAP_THRESHOLD_`` is not.

    Returns
    -------
    bool
        Whether this call set the threshold.

    Examples
    --------
    >>> first = large_arrays_from_heap()
    >>> large_arrays_from_heap()  # once per process
    False
    """
    global _done
    if _done:
        return False
    _done = True
    if ("MALLOC_TRIM_THRESHOLD_" not in os.environ or "MALLOC_MMAP_THRESHOLD_" in os.environ
            or platform.system() != "Linux" or platform.libc_ver()[0] != "glibc"):
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    return mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1
