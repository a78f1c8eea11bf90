"""Airspace files: read any vector file or OpenAir, map its columns, write and read back."""

import math
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely import box

from airspace.files import WRITE_DRIVERS, read, write
from airspace.table import make_airspace

FT = 0.3048
ENDINGS = ["geojson", "json", "gpkg", "parquet"]


def _table():
    """Every kind of value a table holds: inf limits, both refs, times to the ns, NaT, a MultiPolygon."""
    two_parts = shapely.MultiPolygon([box(26.0, 59.0, 26.5, 59.5), box(27.0, 59.0, 27.5, 59.5)])
    airspace = make_airspace(
        [box(24.0, 59.0, 25.0, 60.0), two_parts, box(23.1234567891234, 54.2, 23.5, 54.6)],
        airspace_id=["EER1", "EED2", "EYR3"],
        name=["Vaindloo", "Narva – Ülemiste", "Pabradė"],
        country=["EST", "EST", "LTU"],
        kind=["restricted", "danger", "tra"],
        floor_m=[-math.inf, 1500 * FT, 0.0],
        floor_ref=["SFC", "AGL", "MSL"],
        ceiling_m=[math.inf, 9500 * FT, 3000.0],
        ceiling_ref=["STD", "STD", "MSL"],
        valid_from=[None, "2025-09-19T06:00:00.123456789Z", "2025-10-23T16:00:00Z"],
        valid_to=[None, None, "2025-10-23T16:00:18.000000001Z"],
    )
    airspace["source_line"] = np.array([3, 17, 42], dtype="int64")
    return airspace


@pytest.mark.parametrize("ending", ENDINGS)
def test_round_trip_keeps_every_column(tmp_path, ending):
    table = _table()
    path = write(table, tmp_path / f"airspace.{ending}")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back, report = read(path)
    assert sorted(back.columns) == sorted(table.columns)  # GDAL writes the geometry last
    pd.testing.assert_frame_equal(back[table.columns], table)
    assert report.filled == []
    assert back["floor_m"].iloc[0] == -math.inf and back["ceiling_m"].iloc[0] == math.inf
    assert back["valid_from"].iloc[1].nanosecond == 789


def test_round_trip_of_an_openair_table(tmp_path):
    source = tmp_path / "zones.txt"
    source.write_text(
        "AC Q\nAN Circle\nAL GND\nAH UNL\nAA 2025-09-19T06:00Z/NONE\nV X=59:00:00 N 024:00:00 E\nDC 2\n"
    )
    table, report = read(source)
    assert report.format == "OpenAir" and report.openair.blocks_accepted == 1
    for ending in ("geojson", "gpkg", "parquet"):
        back, _ = read(write(table, tmp_path / f"zones.{ending}"))
        pd.testing.assert_frame_equal(back, table)


def test_geojson_holds_infinity_as_null(tmp_path):
    path = write(_table(), tmp_path / "a.geojson")
    text = path.read_text(encoding="utf-8")
    assert "Infinity" not in text and "inf" not in text.lower().replace("info", "")
    raw = gpd.read_file(path)
    assert raw["floor_m"].isna().tolist() == [True, False, False]


def test_write_replaces_the_file(tmp_path):
    path = tmp_path / "a.gpkg"
    write(_table(), path)
    write(_table().iloc[:1], path)
    assert len(read(path)[0]) == 1


def test_write_with_a_driver_whatever_the_ending(tmp_path):
    path = write(_table(), tmp_path / "airspace.data", driver="GeoJSON")
    assert read(path)[1].format == "GeoJSON"


def test_write_refuses_unknown_endings_listing_the_known(tmp_path):
    with pytest.raises(
        ValueError,
        match=r"a\.shp: cannot tell the format .* '\.shp'; known endings are "
        r"\.geojson, \.json, \.gpkg, \.parquet",
    ):
        write(_table(), tmp_path / "a.shp")
    with pytest.raises(
        ValueError, match="unknown driver 'KML'; expected one of GPKG, GeoJSON, Parquet"
    ):
        write(_table(), tmp_path / "a.kml", driver="KML")
    assert set(WRITE_DRIVERS) == {".geojson", ".json", ".gpkg", ".parquet"}


def test_write_validates_first(tmp_path):
    bad = _table()
    bad["floor_ref"] = "FL"
    with pytest.raises(ValueError, match=r"a\.geojson: column 'floor_ref'"):
        write(bad, tmp_path / "a.geojson")
    assert not (tmp_path / "a.geojson").exists()


# --- reading other people's files ---------------------------------------------


def test_column_mapping_with_text_limits(tmp_path):
    path = tmp_path / "theirs.geojson"
    gpd.GeoDataFrame(
        {
            "ID": ["EYD1", "EYD2", "EYD3"],
            "NAME": ["Kazlu Ruda", "Rukla", "Gaiziunai"],
            "LOWER": ["GND", "1500 ft AGL", "FL 65"],
            "UPPER": ["FL95", "5000ft AMSL", "UNL"],
            "TYPE": ["danger", "danger", "restricted"],
        },
        geometry=[box(24, 54, 25, 55), box(24, 55, 25, 56), box(25, 55, 26, 56)],
        crs=4326,
    ).to_file(path)
    airspace, report = read(
        path,
        columns={
            "airspace_id": "ID",
            "name": "NAME",
            "floor": "LOWER",
            "ceiling": "UPPER",
            "kind": "TYPE",
        },
    )
    assert airspace["airspace_id"].tolist() == ["EYD1", "EYD2", "EYD3"]
    assert airspace["name"].tolist() == ["Kazlu Ruda", "Rukla", "Gaiziunai"]
    assert airspace["kind"].tolist() == ["danger", "danger", "restricted"]
    assert airspace["floor_m"].tolist() == pytest.approx([-math.inf, 457.2, 1981.2])
    assert airspace["floor_ref"].tolist() == ["SFC", "AGL", "STD"]
    assert airspace["ceiling_m"].tolist() == pytest.approx([2895.6, 1524.0, math.inf])
    assert airspace["ceiling_ref"].tolist() == ["STD", "MSL", "STD"]
    assert report.filled == ["country"]
    assert "LOWER" in airspace.columns  # the file's own columns are kept


def test_column_mapping_with_numeric_limits_and_reprojection(tmp_path):
    path = tmp_path / "theirs.gpkg"
    frame = gpd.GeoDataFrame(
        {
            "code": ["A"],
            "bottom": [300.0],
            "bottom_ref": ["MSL"],
            "top": [2000.0],
            "top_ref": ["MSL"],
        },
        geometry=[box(24, 59, 25, 60)],
        crs=4326,
    ).to_crs(3035)
    frame.to_file(path, layer="zones")
    frame.iloc[:0].to_file(path, layer="empty")
    with pytest.warns(UserWarning, match="converted from EPSG:3035 to EPSG:4326"):
        airspace, _ = read(
            path,
            layer="zones",
            columns={
                "airspace_id": "code",
                "floor_m": "bottom",
                "floor_ref": "bottom_ref",
                "ceiling_m": "top",
                "ceiling_ref": "top_ref",
            },
        )
    row = airspace.iloc[0]
    assert (row.floor_m, row.floor_ref, row.ceiling_m, row.ceiling_ref) == (
        300.0,
        "MSL",
        2000.0,
        "MSL",
    )
    assert airspace.crs == "EPSG:4326"
    assert np.allclose(row.geometry.bounds, (24, 59, 25, 60), atol=1e-6)


def test_geometry_only_shapefile_is_completed(tmp_path):
    path = tmp_path / "fence.shp"
    gpd.GeoDataFrame({"NAME": ["field"]}, geometry=[box(0, 0, 1, 1)], crs=4326).to_file(path)
    airspace, report = read(path)
    assert report.format == "ESRI Shapefile"
    assert report.filled == [
        "airspace_id",
        "name",
        "country",
        "kind",
        "floor_m",
        "floor_ref",
        "ceiling_m",
        "ceiling_ref",
    ]
    assert (airspace["floor_m"].iloc[0], airspace["ceiling_m"].iloc[0]) == (-math.inf, math.inf)
    assert "filled with defaults: airspace_id" in str(report)


def test_an_airspace_table_saved_as_a_shapefile_keeps_its_ids_and_ceiling_refs(tmp_path):
    table = make_airspace([box(24, 59, 25, 60), box(25, 59, 26, 60)], airspace_id=["EER1", "EER2"],
                          floor_m=[300.0, 3048.0], floor_ref=["AGL", "STD"], ceiling_m=[1500.0, 6096.0],
                          ceiling_ref=["MSL", "STD"]).assign(transponder_code=pd.array(["7000", None], "string"))
    path = tmp_path / "zones.shp"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # geopandas: field names cut to 10 characters
        table.to_file(path)
    airspace, report = read(path)
    for name in ("airspace_id", "floor_ref", "ceiling_m", "ceiling_ref", "transponder_code"):
        pd.testing.assert_series_equal(airspace[name], table[name], check_dtype=False)
    assert "airspace_id" not in report.filled and "ceiling_ref" not in report.filled
    assert "airspace_i, ceiling_re, transponde as airspace_id, ceiling_ref, transponder_code" in str(report)


def test_openair_is_recognised_by_content_not_name(tmp_path):
    path = tmp_path / "airspace.dat"
    path.write_text(
        "* from a glider club\nAC P\nAN Luxeuil\nAL SFC\nAH 500FT AGL\n"
        "V X=47:47:20 N 006:21:20 E\nDC 1.1\n"
    )
    airspace, report = read(path)
    assert report.format == "OpenAir"
    assert airspace["kind"].tolist() == ["prohibited"]
    assert airspace["ceiling_m"].tolist() == [pytest.approx(152.4)]
    assert "1 accepted" in str(report)


def test_openair_strict_goes_through(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("AC R\nAN x\nAL GND\nAH FL95\nDP 54:xx N 010:00 E\n")
    assert len(read(path)[0]) == 0
    with pytest.raises(ValueError, match=r"a\.txt: line 5: bad coordinate"):
        read(path, strict=True)


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"floor": "NOPE"}, r"no column 'NOPE' in the file; it has 'ID', 'LOWER'"),
        ({"bottom": "LOWER"}, r"columns= has unknown key\(s\) 'bottom'; the keys are airspace_id"),
        ({"floor": "LOWER", "floor_m": "LOWER"}, r"columns= maps both 'floor' and 'floor_m'"),
        ({"floor": "ID"}, r"column 'ID': row 0: cannot read the vertical limit 'R1'"),
    ],
)
def test_bad_column_mapping(tmp_path, columns, message):
    path = tmp_path / "theirs.geojson"
    gpd.GeoDataFrame(
        {"ID": ["R1", "R2"], "LOWER": ["GND", "FL 5x"]}, geometry=[box(0, 0, 1, 1)] * 2, crs=4326
    ).to_file(path)
    with pytest.raises(ValueError, match=f"^{path}: {message}"):
        read(path, columns=columns)
    with pytest.raises(ValueError, match=rf"^{path}: column 'LOWER': row 1: cannot read .*'FL 5x'"):
        read(path, columns={"floor": "LOWER"})


def test_null_ceiling_in_a_users_geojson_is_unlimited(tmp_path):
    path = tmp_path / "theirs.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        '"properties": {"airspace_id": "X", "floor_m": null, "floor_ref": "SFC", "ceiling_m": null, '
        '"ceiling_ref": "STD", "valid_from": "2025-09-19T06:00:00+03:00"}, '
        '"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}'
    )
    airspace, report = read(path)
    assert (airspace["floor_m"].iloc[0], airspace["ceiling_m"].iloc[0]) == (-math.inf, math.inf)
    assert airspace["valid_from"].iloc[0] == pd.Timestamp("2025-09-19T03:00Z")
    assert report.filled == ["name", "country", "kind"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "broken.geojson",
            b'{"type": "FeatureCollection", "features": [',
            "cannot read as a vector file",
        ),
        ("noise.gpkg", b"\x00\x01\x02 not a geopackage", "cannot read as a vector file"),
        ("noise.parquet", b"PAR1 but not really", "cannot read as GeoParquet"),
        ("table.csv", b"name,floor\nA,GND\n", r"no geometry in the file \(CSV\)"),
        ("empty.geojson", b"", "the file is empty"),
    ],
)
def test_unreadable_files_name_themselves(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValueError, match=f"^{path}: {message}"):
        read(path)


def test_missing_file_and_unknown_format(tmp_path):
    with pytest.raises(ValueError, match=r"nowhere\.geojson: no such file"):
        read(tmp_path / "nowhere.geojson")
    path = write(_table(), tmp_path / "a.geojson")
    with pytest.raises(ValueError, match="unknown format 'kml'"):
        read(path, format="kml")
    with pytest.raises(ValueError, match="columns= maps the columns of vector files, not OpenAir"):
        (tmp_path / "o.txt").write_text("AC R\n")
        read(tmp_path / "o.txt", columns={"name": "x"})


def test_text_in_a_metres_column_suggests_the_mapping(tmp_path):
    path = tmp_path / "theirs.geojson"
    gpd.GeoDataFrame(
        {"ceiling_m": ["3000", "FL95"]}, geometry=[box(0, 0, 1, 1)] * 2, crs=4326
    ).to_file(path)
    with pytest.raises(
        ValueError,
        match=rf"^{path}: column 'ceiling_m': row 1: 'FL95' is not a number of metres; .*"
        r"columns=\{'ceiling': 'ceiling_m'\}",
    ):
        read(path)
    airspace, _ = read(path, columns={"ceiling": "ceiling_m"})
    assert airspace["ceiling_m"].tolist() == pytest.approx([3000 * FT, 9500 * FT])
