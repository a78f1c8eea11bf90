"""Compiled functions: numba's ``njit``, started without importing scipy.linalg.

The first compiled call of a process, even one that loads its machine code
from numba's on-disk cache, makes numba load its implementations of numpy
(``numba.np.arraymath``). That module checks at once that a BLAS is
available for ``np.dot`` and friends by importing ``scipy.linalg.cython_blas``,
which imports all of ``scipy.linalg``: about 0.15 s of a command's start-up,
for functions that the detection never compiles.

Importing this module loads ``numba.np.arraymath`` with that check answered
by whether ``scipy.linalg`` is installed (found, not imported). numba's own
``ensure_blas`` still guards every compiled function that does use BLAS, so
such a function imports scipy.linalg and checks its integer width when it is
compiled, as before. Should numba's layout ever differ, the check is left
as numba makes it.

Examples
--------
>>> import sys
>>> from detect.jit import njit
>>> twice = njit(lambda x: 2.0 * x)
>>> twice(1.5)
3.0
>>> "numba.np.arraymath" in sys.modules
True
"""

from __future__ import annotations

import importlib.util
import sys

import numba
import numba.np.linalg

__all__ = ["njit"]

njit = numba.njit


def blas_installed():
    """Raise :class:`ImportError` unless scipy.linalg, numba's BLAS, is installed; import nothing.

    Examples
    --------
    >>> blas_installed() is None
    True
    """
    if importlib.util.find_spec("scipy.linalg") is None:
        raise ImportError("scipy is required for linear algebra")


def _load_arraymath():
    """Import ``numba.np.arraymath`` with :func:`blas_installed` as its BLAS check."""
    if "numba.np.arraymath" in sys.modules or not hasattr(numba.np.linalg, "ensure_blas"):
        return
    ensure_blas = numba.np.linalg.ensure_blas
    numba.np.linalg.ensure_blas = blas_installed
    try:
        import numba.np.arraymath as arraymath
    finally:
        numba.np.linalg.ensure_blas = ensure_blas
    arraymath.ensure_blas = ensure_blas


_load_arraymath()
