"""Airspace files: read any vector file, OpenAir or drone geozones into the airspace table, write it back.

:func:`read` recognises OpenAir by its content (a line that begins with
``AC`` or ``AN``) and reads it with :func:`airspace.openair.read_openair`,
and the drone geozone formats ED-269 and ED-318 (JSON with their members,
see :func:`airspace.geozones.looks_like_geozones`) with
:func:`airspace.geozones.read_geozones`;
GeoParquet (``.parquet``, ``.geoparquet``) is read with
:func:`geopandas.read_parquet`, and every other file through GDAL (pyogrio):
GeoJSON, GeoPackage (``layer=``), Shapefile, FlatGeobuf, ... The geometry is
converted to EPSG:4326.

A file's own columns
--------------------
``columns`` maps airspace-table columns to the file's columns, for instance
``{"airspace_id": "ID", "name": "NAME", "floor": "LOWER", "ceiling": "UPPER"}``.
The keys are the table's columns (``airspace_id``, ``name``, ``country``,
``kind``, ``floor_m``, ``floor_ref``, ``ceiling_m``, ``ceiling_ref``,
``valid_from``, ``valid_to``, ``frequency``, ``station``,
``transponder_code``) and two more: ``floor`` and ``ceiling``, text
limits such as ``"FL95"``, ``"1500 ft AMSL"`` or ``"GND"``, read by
:func:`airspace.limits.parse_limit` to ``floor_m``/``floor_ref`` (or
``ceiling_m``/``ceiling_ref``). A Shapefile's field names are cut to 10
characters: a column named as the first 10 characters of a table column
(``airspace_i``, ``ceiling_re``, ``transponde``) is read as that column when
the file has no column of the full name and ``columns`` does not map it (a
note says so). Numbers in ``floor_m``/``ceiling_m`` are
metres and are taken as they are, with their ``*_ref`` column (text that is
not a number there is refused, with the advice to map it as ``floor`` or
``ceiling``). Whatever is still missing is filled by
:func:`airspace.complete_airspace` (defaults: ids ``A1``, ``A2``, ..., kind
``restricted``, from the surface to unlimited), and the report lists what
was filled.

Writing
-------
:func:`write` writes GeoJSON (``.geojson``, ``.json``), GeoPackage
(``.gpkg``) or GeoParquet (``.parquet``), replacing the file. So that
``read(write(table))`` gives the same table back: JSON has no infinity, so
GeoJSON holds an infinite limit as null (read back as the surface when
``floor_ref`` is ``SFC``, and unlimited for a ceiling); ``valid_from`` and
``valid_to`` are written as ISO 8601 text to the nanosecond in GeoJSON and
GeoPackage (GDAL keeps milliseconds only); GeoParquet keeps everything as
it is.
"""

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from tracks.errors import ReadError
from airspace.geozones import GeozoneReport, looks_like_geozones, read_geozones
from airspace.limits import parse_limits
from airspace.openair import OpenAirReport, looks_like_openair, read_openair
from airspace.table import (
    AIRSPACE_COLUMNS,
    OPTIONAL_AIRSPACE_COLUMNS,
    RADIO_COLUMNS,
    complete_airspace,
    validate_airspace,
)

WRITE_DRIVERS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG", ".parquet": "Parquet"}
"""The file endings :func:`write` knows, and the format each is written in."""

MAPPABLE_COLUMNS = (
    *[name for name in AIRSPACE_COLUMNS if name != "geometry"],
    *OPTIONAL_AIRSPACE_COLUMNS,
    *RADIO_COLUMNS,
    "floor",
    "ceiling",
)
"""Keys of the ``columns`` mapping of :func:`read`."""

_PARQUET_ENDINGS = (".parquet", ".geoparquet")
_SNIFF_BYTES = 65536
_JSON_SNIFF_BYTES = 16 * 2**20
_TIME_COLUMNS = tuple(OPTIONAL_AIRSPACE_COLUMNS)


@dataclass
class AirspaceFileReport:
    """What :func:`read` did with a file.

    Attributes
    ----------
    path : pathlib.Path
        The file read.
    format : str
        ``"OpenAir"``, ``"ED-269"``, ``"ED-318"``, ``"GeoParquet"`` or the GDAL driver (``"GeoJSON"``, ``"GPKG"``, ...).
    rows : int
        Airspace rows returned.
    rows_read : int
        Rows (features) in a vector file: ``rows_read == rows +
        sum(rejected.values())``.
    rejected : dict of str to int
        Rows of a vector file that could not be airspace, by reason (``"no
        geometry"``, ``"coordinates not finite"``), also said in the notes
        with their row numbers.
    filled : list of str
        Table columns the file did not give, filled with defaults by
        :func:`airspace.complete_airspace`.
    notes : list of str
        Everything else a person should know.
    openair : OpenAirReport or None
        For OpenAir files, the reader's report (blocks rejected, skipped, ...).
    geozones : GeozoneReport or None
        For drone geozone files, the reader's report (zones rejected, ...).

    Examples
    --------
    >>> print(AirspaceFileReport(Path("zones.geojson"), "GeoJSON", rows=2, filled=["kind"]))
    zones.geojson: 2 airspace rows read (GeoJSON)
      filled with defaults: kind
    """

    path: Path
    format: str
    rows: int = 0
    rows_read: int = 0
    rejected: dict = field(default_factory=dict)
    filled: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    openair: OpenAirReport = None
    geozones: GeozoneReport = None

    def __str__(self):
        if self.openair is not None:
            return str(self.openair)
        if self.geozones is not None:
            return str(self.geozones)
        lines = [f"{self.path}: {self.rows} airspace rows read ({self.format})"]
        lines.extend(f"  rejected {count}: {reason}" for reason, count in self.rejected.items())
        if self.filled:
            lines.append(f"  filled with defaults: {', '.join(self.filled)}")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


def read(path, *, format=None, layer=None, columns=None, strict=False):
    """Read an airspace file: OpenAir or any vector file, into the airspace table.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    format : {None, "openair", "geozones", "parquet", "gdal"}, optional
        How to read it; by default OpenAir or drone geozones when the
        content looks like it, GeoParquet by the ending ``.parquet``/``.geoparquet``, otherwise GDAL.
    layer : str or int, optional
        The layer of a multi-layer file (GeoPackage); default the first.
    columns : dict of str to str, optional
        Table column (or ``"floor"``, ``"ceiling"``) to the file's column;
        see the module notes. Not for OpenAir or geozone files.
    strict : bool, default False
        For OpenAir and geozones, raise on the first unusable airspace
        instead of rejecting and counting it.

    Returns
    -------
    airspace : geopandas.GeoDataFrame
        The airspace table, validated, in EPSG:4326; the file's other
        columns are kept.
    report : AirspaceFileReport

    Raises
    ------
    ReadError
        Naming the file: missing or unreadable, not a vector file, a mapped
        column that is not there, a limit that does not read (with its row,
        0-based), a table that does not validate.

    Examples
    --------
    >>> import tempfile, os
    >>> from shapely import box
    >>> file_path = os.path.join(tempfile.mkdtemp(), "danger.geojson")
    >>> gpd.GeoDataFrame({"ID": ["EYD1"], "LOWER": ["GND"], "UPPER": ["FL95"]},
    ...                  geometry=[box(24, 54, 25, 55)], crs=4326).to_file(file_path)
    >>> airspace, report = read(file_path, columns={"airspace_id": "ID", "floor": "LOWER",
    ...                                           "ceiling": "UPPER"})
    >>> airspace[["airspace_id", "floor_m", "floor_ref", "ceiling_m", "ceiling_ref"]]
      airspace_id  floor_m floor_ref  ceiling_m ceiling_ref
    0        EYD1     -inf       SFC     2895.6         STD
    >>> report.filled
    ['name', 'country', 'kind']
    """
    path = Path(path)
    if not path.exists():
        raise ReadError(f"{path}: no such file")
    if path.is_file() and path.stat().st_size == 0:
        raise ReadError(f"{path}: the file is empty (no airspace)")
    how = format or _sniff(path)
    if how == "openair":
        if columns:
            raise ReadError(f"{path}: columns= maps the columns of vector files, not OpenAir")
        airspace, openair = read_openair(path, strict=strict)
        return airspace, AirspaceFileReport(path, "OpenAir", len(airspace), openair=openair)
    if how == "geozones":
        if columns:
            raise ReadError(f"{path}: columns= maps the columns of vector files, not drone geozones")
        airspace, geozones = read_geozones(path, strict=strict)
        return airspace, AirspaceFileReport(path, geozones.format, len(airspace), geozones=geozones)
    if how == "parquet":
        frame, driver = _read_parquet(path), "GeoParquet"
    elif how == "gdal":
        frame, driver = _read_gdal(path, layer)
    else:
        raise ReadError(
            f"{path}: unknown format {format!r}; expected 'openair', 'geozones', 'parquet' or 'gdal'"
        )
    report = AirspaceFileReport(path, driver, rows_read=len(frame))
    if driver == "ESRI Shapefile":
        frame = _full_names(frame, columns or {}, report)
    frame = _mapped(frame, columns or {}, path, report)
    frame = _usable_geometries(frame, report)
    try:
        airspace, report.filled = complete_airspace(frame, source=str(path))
    except (ValueError, shapely.errors.GEOSException) as error:
        message = str(error)
        raise ReadError(message if message.startswith(str(path)) else f"{path}: {message}") from None
    report.rows = len(airspace)
    return airspace.reset_index(drop=True), report


def write(table, path, *, driver=None):
    """Write an airspace table to GeoJSON, GeoPackage or GeoParquet.

    Parameters
    ----------
    table : geopandas.GeoDataFrame
        An airspace table (validated before writing).
    path : str or os.PathLike
        The file, replaced if it exists; its ending chooses the format (see
        :data:`WRITE_DRIVERS`).
    driver : {"GeoJSON", "GPKG", "Parquet"}, optional
        The format, whatever the ending.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ReadError
        For an unknown ending or driver (listing the known ones), or a table
        that does not validate.

    Examples
    --------
    >>> import tempfile, os
    >>> from shapely import box
    >>> from airspace.table import make_airspace
    >>> file_path = os.path.join(tempfile.mkdtemp(), "out.geojson")
    >>> written = write(make_airspace(box(24, 59, 25, 60)), file_path)
    >>> read(written)[0][["floor_m", "ceiling_m"]].iloc[0].tolist()
    [-inf, inf]
    """
    path = Path(path)
    known = ", ".join(sorted(set(WRITE_DRIVERS.values())))
    if driver is None:
        driver = WRITE_DRIVERS.get(path.suffix.lower())
        if driver is None:
            raise ReadError(
                f"{path}: cannot tell the format from the ending {path.suffix!r}; "
                f"known endings are {', '.join(WRITE_DRIVERS)} (or pass driver={known})"
            )
    elif driver not in WRITE_DRIVERS.values():
        raise ReadError(f"{path}: unknown driver {driver!r}; expected one of {known}")
    airspace = validate_airspace(table, source=str(path))
    path.unlink(missing_ok=True)
    if driver == "Parquet":
        airspace.to_parquet(path)
        return path
    for name in _TIME_COLUMNS:
        airspace[name] = _iso_text(airspace[name])
    if driver == "GeoJSON":
        for name in ("floor_m", "ceiling_m"):
            airspace[name] = airspace[name].where(np.isfinite(airspace[name]))  # NaN is written as null
    import pyogrio  # here, not at import: 20 ms that reading national airspace does without

    # Unknown layer type: Polygons stay Polygons next to MultiPolygons.
    pyogrio.write_dataframe(
        airspace, path, driver=driver, promote_to_multi=False, geometry_type="Unknown"
    )
    return path


# --- reading ------------------------------------------------------------------


def _sniff(path):
    """'openair', 'geozones', 'parquet' or 'gdal', from the first bytes and the ending."""
    if path.is_dir():
        return "gdal"  # a folder GDAL reads (a shapefile folder, a FileGDB)
    try:
        with path.open("rb") as file:
            head = file.read(_SNIFF_BYTES)
    except OSError as exc:
        raise ReadError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    if b"\x00" not in head and looks_like_openair(head.decode("latin-1")):
        return "openair"
    if looks_like_geozones(head) or (
        len(head) == _SNIFF_BYTES and looks_like_geozones(_json_head(path, head))
    ):
        return "geozones"
    return "parquet" if path.suffix.lower() in _PARQUET_ENDINGS else "gdal"


def _json_head(path, head):
    """Up to 16 MB of a file whose first bytes open a JSON object (a zone's members may follow a long outline)."""
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return head
    with path.open("rb") as file:
        return file.read(_JSON_SNIFF_BYTES)


def _read_parquet(path):
    try:
        return gpd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001 (pyarrow raises many kinds: one message for all)
        raise ReadError(f"{path}: cannot read as GeoParquet ({exc})") from None


def _read_gdal(path, layer):
    """The file as a GeoDataFrame and its GDAL driver; times from GeoJSON kept as text."""
    import pyogrio  # here, not at import: 20 ms that reading national airspace does without

    try:
        driver = pyogrio.read_info(path, layer=layer)["driver"]
        options = {"DATE_AS_STRING": "YES"} if driver == "GeoJSON" else {}
        frame = pyogrio.read_dataframe(path, layer=layer, **options)
    except Exception as exc:  # noqa: BLE001 (GDAL raises many kinds: one message for all)
        raise ReadError(f"{path}: cannot read as a vector file ({exc})") from None
    if not isinstance(frame, gpd.GeoDataFrame):
        raise ReadError(f"{path}: no geometry in the file ({driver})")
    small_ints = frame.columns[frame.dtypes.isin([np.dtype("int32"), np.dtype("int16")])]
    return frame.astype(dict.fromkeys(small_ints, "int64")), driver


def _usable_geometries(frame, report):
    """`frame` without the rows that have no geometry, or coordinates that are not finite; counted by reason."""
    geometry = frame.geometry.array
    no_geometry = shapely.is_missing(geometry) | shapely.is_empty(geometry)
    coordinates, row = shapely.get_coordinates(geometry, return_index=True)
    not_finite = np.zeros(len(frame), dtype=bool)
    not_finite[row[~np.isfinite(coordinates).all(axis=1)]] = True
    keep = np.ones(len(frame), dtype=bool)
    for reason, rows in (("no geometry", no_geometry), ("coordinates not finite", not_finite)):
        rows = rows & keep
        if rows.any():
            report.rejected[reason] = int(rows.sum())
            report.notes.append(f"rejected {int(rows.sum())} row(s): {reason} "
                                f"(row {', '.join(map(str, np.flatnonzero(rows)[:5] + 1))})")
            keep &= ~rows
    return frame if keep.all() else frame[keep]


def _full_names(frame, columns, report):
    """`frame` with the Shapefile field names cut to 10 characters renamed to the table's columns they begin.

    Examples
    --------
    >>> frame = pd.DataFrame({"airspace_i": ["R1"], "ceiling_re": ["MSL"], "name": ["Zone"]})
    >>> report = AirspaceFileReport(Path("zones.shp"), "ESRI Shapefile")
    >>> _full_names(frame, {}, report).columns.tolist()
    ['airspace_id', 'ceiling_ref', 'name']
    >>> print(report.notes[0])
    read the Shapefile fields cut to 10 characters airspace_i, ceiling_re as airspace_id, ceiling_ref
    """
    cut = {name[:10]: name for name in MAPPABLE_COLUMNS if len(name) > 10}
    renamed = {
        short: name for short, name in cut.items()
        if short in frame.columns and name not in frame.columns and name not in columns
        and short not in columns.values()
    }
    if renamed:
        report.notes.append(f"read the Shapefile fields cut to 10 characters {', '.join(renamed)} as "
                            f"{', '.join(renamed.values())}")
    return frame.rename(columns=renamed)


def _mapped(frame, columns, path, report):
    """`frame` with the mapped columns renamed and the text limits parsed."""
    unknown = [key for key in columns if key not in MAPPABLE_COLUMNS]
    if unknown:
        raise ReadError(
            f"{path}: columns= has unknown key(s) {', '.join(map(repr, unknown))}; "
            f"the keys are {', '.join(MAPPABLE_COLUMNS)}"
        )
    missing = [source for source in columns.values() if source not in frame.columns]
    if missing:
        raise ReadError(
            f"{path}: no column {', '.join(map(repr, missing))} in the file; it has "
            f"{', '.join(map(repr, frame.columns.drop(frame.geometry.name)))}"
        )
    for limit in ("floor", "ceiling"):
        if limit in columns and f"{limit}_m" in columns:
            raise ReadError(f"{path}: columns= maps both {limit!r} and '{limit}_m'; choose one")
    table = frame.copy()
    targets = {}
    for key, source in columns.items():
        if key in ("floor", "ceiling"):
            metres, refs = parse_limits(table[source], source=f"{path}: column {source!r}")
            targets[f"{key}_m"], targets[f"{key}_ref"] = metres, refs
        else:
            targets[key] = table[source]
    replaced = [name for name in targets if name in table.columns and name not in columns.values()]
    if replaced:
        report.notes.append(
            f"replaced the file's own column(s) {', '.join(replaced)} by the mapped ones"
        )
    for name, values in targets.items():
        table[name] = values
    for limit in ("floor", "ceiling"):
        _check_metres(table, f"{limit}_m", limit, path)
    return table


def _check_metres(table, name, limit, path):
    """Raise, naming the row, if column `name` holds text that is not a number of metres."""
    if name not in table.columns or pd.api.types.is_numeric_dtype(table[name].dtype):
        return
    numbers = pd.to_numeric(table[name], errors="coerce")
    bad = table[name].notna() & numbers.isna()
    if bad.any():
        row = int(np.argmax(bad.to_numpy()))
        raise ReadError(
            f"{path}: column {name!r}: row {row}: {table[name].iloc[row]!r} is not a number of "
            f"metres; to read text limits such as 'FL95', map the column with "
            f"columns={{{limit!r}: {name!r}}}"
        )


# --- writing ------------------------------------------------------------------


def _iso_text(times):
    """UTC times as ISO 8601 text to the nanosecond ('2025-09-19T06:00:00.000000001Z'); None for NaT."""
    return pd.Series(
        [
            None
            if pd.isna(time)
            else time.tz_localize(None).isoformat(timespec="nanoseconds") + "Z"
            for time in times
        ],
        index=times.index,
        dtype=object,
    )
