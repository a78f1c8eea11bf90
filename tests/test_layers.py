"""Who imports whom: each package imports only the packages below it.

The layers of the design, plus the leaf modules of ``tracks`` that every
package may share (units, the validators' checks, reading a file's bytes,
the missing words of CSV files, lazy exports, the readers' error): they import nothing of ours but each other.
"""

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("borders", "tracks", "airspace", "detect", "plots")
SHARED = {"tracks.units", "tracks.table_checks", "tracks.opening", "tracks.missing", "tracks.lazy", "tracks.errors"}
MAY_IMPORT = {
    "borders": set(),
    "tracks": set(),
    "airspace": {"borders"},
    "detect": {"tracks", "airspace"},
    "detect.cli": {"tracks", "airspace", "plots", "borders"},
    "plots": {"borders"},
}


def _imports(path):
    """The modules of ours that a file imports (at any depth of its code)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        found |= {name for name in names if name.split(".")[0] in PACKAGES}
    return found


def _module(path):
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _files():
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", _files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_a_module_imports_only_the_layers_below_it_and_the_shared_modules(path):
    module = _module(path)
    own = module.split(".")[0]
    layer = "detect.cli" if module.startswith("detect.cli") else own
    allowed = MAY_IMPORT[layer] | {own}
    for name in _imports(path):
        if module in SHARED:
            assert name in SHARED, f"{module} is shared by every package, so it imports none of ours: {name}"
        else:
            top = name.split(".")[0]
            assert top in allowed or name in SHARED, f"{module} imports {name}"


@pytest.mark.parametrize("package", PACKAGES)
def test_no_export_shares_its_name_with_a_module_of_its_package(package):
    module = importlib.import_module(package)
    submodules = {info.name for info in pkgutil.iter_modules(module.__path__)}
    assert submodules, package
    assert set(module.__all__) & submodules == set()
    for name in module.__all__:
        assert not isinstance(getattr(module, name), type(module)), f"{package}.{name} is a module"
