"""glibc's allocator in dask worker processes: large arrays from the heap during a task, as in any other process.

dask's nanny starts each worker process with ``MALLOC_TRIM_THRESHOLD_=65536``
(its config ``distributed.nanny.pre-spawn-environ``), so that freed memory
goes back to the system soon. Setting that variable also turns off glibc's
dynamic mmap threshold (``mallopt(3)``): it stays at 128 KiB, so every
array larger than that is mapped afresh from the kernel and its pages
faulted in on first touch, at each allocation. The readers and the
detection make and drop many arrays of a few MB; in a worker, detecting a
partition of 1 million fixes took 1.9 s of CPU against 1.3 s in a plain
process, the difference spent in the kernel on page faults.

:func:`large_arrays_from_heap` wraps a task: arrays up to 32 MiB (the
ceiling of glibc's own dynamic threshold on 64-bit systems) come from the
heap, reused from one allocation to the next, and the heap keeps up to
64 MiB free at its top (where glibc's dynamic trim threshold ends up in a
plain process) rather than the 64 KiB of the variable, which gave the top
of the heap back at nearly every free: reading and assembling 1 million
fixes in a worker faulted 65,000 pages in, 47,000 once the threshold
was raised. When a task ends with the
worker process above :data:`TRIM_ABOVE` of its memory limit (or in a
process without one), the heap's free memory goes back to the system
(``malloc_trim``), so that the worker holds little more than dask expects
before dask starts to spill (at 60 %). Trimming after every task cost 7 %
more CPU in the detection: the next task faults its pages in again. It
acts only on Linux with glibc, where the environment turned the dynamic
threshold off without choosing a threshold itself.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import platform

#: glibc's ``M_MMAP_THRESHOLD`` parameter of ``mallopt``.
M_MMAP_THRESHOLD = -3

#: glibc's ``M_TRIM_THRESHOLD`` parameter of ``mallopt``.
M_TRIM_THRESHOLD = -1

#: The ceiling of glibc's dynamic mmap threshold on 64-bit systems (``DEFAULT_MMAP_THRESHOLD_MAX``).
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024

#: The free memory at the top of the heap that glibc keeps rather than gives back: what its dynamic
#: threshold becomes once the mmap threshold is at its ceiling (twice that).
TRIM_THRESHOLD_BYTES = 2 * MMAP_THRESHOLD_BYTES

#: The share of a dask worker's memory limit above which the heap is trimmed when a task ends.
TRIM_ABOVE = 0.5

_libc = None  # glibc once its thresholds are set here, False where it is left alone


@contextlib.contextmanager
def large_arrays_from_heap():
    """Within the block, arrays up to 32 MiB from the heap; after it, the heap's free memory back to the system.

    Acts on Linux with glibc, where ``MALLOC_TRIM_THRESHOLD_``
    is set (as dask's nanny sets it) and ``MALLOC_MMAP_THRESHOLD_`` is not;
    elsewhere it does nothing. The threshold is set once per process; the
    heap is trimmed after the block where the process is above
    :data:`TRIM_ABOVE` of its dask worker's memory limit, or has none. Also a
    decorator: ``@large_arrays_from_heap()`` wraps each call.

    Examples
    --------
    >>> import numpy as np
    >>> with large_arrays_from_heap():
    ...     total = sum(np.ones(1_000_000).sum() for _ in range(10))
    >>> float(total)
    10000000.0
    >>> @large_arrays_from_heap()
    ... def task(n):
    ...     return np.ones(n).sum()
    >>> float(task(1_000_000))
    1000000.0
    """
    libc = _tuned_glibc()
    try:
        yield
    finally:
        if libc and _above_trim_level():
            libc.malloc_trim(0)


def _above_trim_level():
    """Whether this process is above :data:`TRIM_ABOVE` of its dask worker's memory limit, or has none."""
    try:
        from distributed import get_worker

        limit = get_worker().memory_manager.memory_limit
    except (ImportError, ValueError, AttributeError):
        limit = None
    if not limit:
        return True
    with open("/proc/self/statm") as statm:
        resident_bytes = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return resident_bytes > TRIM_ABOVE * limit


def _tuned_glibc():
    """glibc, its mmap and trim thresholds set (:data:`MMAP_THRESHOLD_BYTES`, :data:`TRIM_THRESHOLD_BYTES`) once;
    False where it is not to be touched."""
    global _libc
    if _libc is None:
        _libc = False
        if ("MALLOC_TRIM_THRESHOLD_" in os.environ and "MALLOC_MMAP_THRESHOLD_" not in os.environ
                and platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"):
            with contextlib.suppress(OSError, AttributeError):
                libc = ctypes.CDLL("libc.so.6")
                if (libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1
                        and libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) == 1):
                    _libc = libc
    return _libc
