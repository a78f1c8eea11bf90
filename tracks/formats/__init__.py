"""The format readers: one module per format family, found by :func:`format_specs`.

The format-reader contract
--------------------------
Readers live in ``tracks/formats/<name>.py``; modules whose name starts with
``_`` hold shared pieces and are not formats. Each format module defines:

``NAME`` : str
    The format name users pass as ``format=`` / ``--format`` (``"opensky"``,
    ``"traffic"``, ``"fr24"``, ``"csv"``, ``"airwarden"``, ...). A module may
    define several formats by exposing ``FORMATS = [FormatSpec(...), ...]``
    instead of the four names of this list.
``EXTENSIONS`` : tuple of str
    Usual file extensions (lowercase, with the dot, without ``.gz``): a hint
    only, used to break a tie between formats whose sniffers both say yes.
``sniff(head, path) -> bool``
    True if the content looks like this format. ``head`` is the first 64 KiB
    of the file, already decompressed if the file was gzipped. Cheap, never
    raises.
``read_chunks(stream, path, report, **options) -> Iterator[pandas.DataFrame]``
    ``stream`` is a binary file object, decompressed and at the start;
    ``path`` (:class:`pathlib.Path`) is for messages only; ``report`` is the
    :class:`tracks.report.TrackReadReport` of this file. Yields raw chunks of
    about ``options.get("chunk_rows", 1_000_000)`` rows where the format can
    stream (one chunk is fine for small formats).

A raw chunk is a :class:`pandas.DataFrame` with the columns

- ``aircraft`` (str, or categorical of str): the key of the aircraft whose
  fixes these are (icao24 lowercased where the format has it, else the best
  identifier it has). The framework splits one aircraft's fixes into flights
  and builds ``track_id`` from it;
- ``time`` (``datetime64[ns, UTC]``), ``lon``, ``lat`` (float64 WGS84
  degrees as read: the framework rejects NaN and out-of-range ones),
  ``alt_baro_m``, ``alt_geo_m`` (float64 metres, NaN if unknown; pressure
  and geometric altitude kept apart, never mixed);
- ``line`` (int64): the 1-based line of the file (or the record number for
  binary and JSON formats, said in the module's docstring);
- optional: ``callsign`` (str, stripped), ``icao24`` (str, lowercase),
  ``ground_speed_mps``, ``track_deg`` (float64), ``source`` (str),
  ``on_ground`` (bool), ``suspect`` (bool, a flag the file itself carries),
  and ``track_id`` (str): a reader whose file already holds whole flights
  (the tracks-table layout) gives it, and the framework keeps it as it is,
  neither splitting nor renaming; or ``flight_start`` (bool): a reader
  whose file marks where each flight of an aircraft starts (readsb's
  new-leg flag) gives it, and the framework splits that file's aircraft
  there, and not at gaps in time.

Units are converted by the reader (ft to m: ``* 0.3048``; kt to m/s:
``* 1852 / 3600``). Rows the reader cannot parse at all are counted with
``report.reject(reason, lines)``; rows it can parse are yielded even with NaN
or out-of-range coordinates. The reader adds the data rows (records) it saw to
``report.rows_read`` and tells anything a person should know with
``report.note(text)``. A file that is not in the format, truncated, or broken
so that reading cannot go on raises ``tracks.errors.ReadError(f"{path}:{line}: what is
wrong")``.

The contract holds for every reader: their own docstrings say only what is
particular to their format (what ``line`` counts, options beyond
``chunk_rows``, what makes a file unreadable).
"""

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FormatSpec", "format_names", "format_specs"]


@dataclass(frozen=True)
class FormatSpec:
    """One format: its name, usual extensions, sniffer and chunk reader.

    Attributes
    ----------
    name : str
        What users pass as ``format=``.
    extensions : tuple of str
        Usual extensions, lowercase with the dot, without ``.gz``.
    sniff : callable
        ``sniff(head: bytes, path) -> bool``.
    read_chunks : callable
        ``read_chunks(stream, path, report, **options)``, yielding raw chunks.

    Examples
    --------
    >>> spec = format_specs()["igc"]
    >>> spec.name, spec.extensions, spec.sniff(b"AXXXABC\\nHFDTE190925\\n", Path("flight.igc"))
    ('igc', ('.igc',), True)
    """

    name: str
    extensions: tuple
    sniff: Callable
    read_chunks: Callable


_SPECS = {}


def format_specs():
    """All formats of the modules in this package, by name.

    Returns
    -------
    dict of str to FormatSpec
        In the order of the module names, then of each module's ``FORMATS``.
        Modules are imported on the first call (not at import time, so that
        a format module may import :class:`FormatSpec` from this package).

    Raises
    ------
    RuntimeError
        If two modules define the same format name.

    Examples
    --------
    >>> specs = format_specs()
    >>> "opensky" in specs and specs["opensky"].extensions[0]
    '.csv'
    """
    if not _SPECS:
        found = {}
        for module_name in _module_names():
            module = importlib.import_module(f"{__name__}.{module_name}")
            for spec in _module_specs(module):
                if spec.name in found:
                    raise RuntimeError(
                        f"format {spec.name!r} is defined twice ({module.__name__})"
                    )
                found[spec.name] = spec
        _SPECS.update(found)
    return dict(_SPECS)


def format_names():
    """The names users may pass as ``format=``, sorted.

    Each module's name is read from its source line ``NAME = "..."``,
    without importing the module, so that the command line's help lists
    the names without importing pandas; a module that declares its formats
    otherwise (``FORMATS``) is imported.

    Returns
    -------
    list of str

    Examples
    --------
    >>> names = format_names()
    >>> names[:4], "sbs" in names, names == sorted(format_specs())
    (['aircraft-json', 'airwarden', 'csv', 'fr24'], True, True)
    """
    names = []
    for module_name in _module_names():
        declared = _declared_name(module_name)
        if declared is None:
            module = importlib.import_module(f"{__name__}.{module_name}")
            names += [spec.name for spec in _module_specs(module)]
        else:
            names.append(declared)
    return sorted(names)


def _module_names():
    """The names of the format modules, sorted (modules named ``_...`` are shared pieces)."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))


_NAME_LINE = re.compile(r'^NAME = "([^"\\]*)"[ \t]*$', re.MULTILINE)
_FORMATS_LINE = re.compile(r"^FORMATS\b", re.MULTILINE)


def _declared_name(module_name):
    """The format name of a module's source line ``NAME = "..."``.

    None if the module declares its formats otherwise: no such line, or ``FORMATS``.
    """
    path = Path(__path__[0], f"{module_name}.py")
    if not path.is_file():
        return None
    source = path.read_text(encoding="utf-8")
    match = _NAME_LINE.search(source)
    if match is None or _FORMATS_LINE.search(source):
        return None
    return match.group(1)


def _module_specs(module):
    if hasattr(module, "FORMATS"):
        return list(module.FORMATS)
    return [
        FormatSpec(
            name=module.NAME,
            extensions=tuple(module.EXTENSIONS),
            sniff=module.sniff,
            read_chunks=module.read_chunks,
        )
    ]
