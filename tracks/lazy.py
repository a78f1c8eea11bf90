"""Packages that import their exports on first use (PEP 562), shared by every package.

``import detect``, ``import tracks`` and ``import borders`` cost nothing, so
that the command line starts at once and their light names are at hand
without pandas or geopandas; each export is imported the first time it is
asked for. This module imports nothing of ours, so that every package may
use it (see ``tests/test_layers.py``).
"""

import importlib
import sys


def lazy_exports(package: str, submodule_exports: dict) -> list:
    """Make `package` import its exports, and its submodules, on first use.

    Parameters
    ----------
    package : str
        The package's ``__name__``; called from its ``__init__``.
    submodule_exports : dict
        Each submodule's full name and the names of it the package exports.

    Returns
    -------
    list of str
        The exported names, sorted: the package's ``__all__``.

    Notes
    -----
    No export may share its name with a submodule of the package, so that
    importing the submodule never hides the export (``tests/test_layers.py``
    checks every package).

    Examples
    --------
    >>> import tracks
    >>> "read" in tracks.__all__, callable(tracks.read)
    (True, True)
    """
    module = sys.modules[package]
    exports = {name: submodule for submodule, names in submodule_exports.items() for name in names}

    def __getattr__(name):
        if name in exports:
            value = getattr(importlib.import_module(exports[name]), name)
            setattr(module, name, value)
            return value
        if not name.startswith("__"):
            try:
                return importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError as error:
                if error.name != f"{package}.{name}":
                    raise
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return sorted({*vars(module), *exports})

    module.__getattr__, module.__dir__ = __getattr__, __dir__
    return sorted(exports)
