"""The airspace table: validate_airspace, make_airspace, complete_airspace."""

import math
import re
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import shapely
from shapely import Polygon, box

from airspace import AIRSPACE_COLUMNS, ALTITUDE_REFS, KINDS, OPTIONAL_AIRSPACE_COLUMNS
from airspace import complete_airspace, make_airspace, validate_airspace

BOW_TIE = Polygon([(24, 59), (25, 60), (25, 59), (24, 60)])
ROW1 = re.escape("row 1 (airspace_id 'R2')")


def _table(**columns):
    """A valid two-row table (ids R1, R2) with `columns` replaced."""
    table = make_airspace(
        [box(24.0, 59.0, 25.0, 60.0), box(25.0, 59.0, 26.0, 60.0)],
        airspace_id=["R1", "R2"],
        name=["Vaindloo", "Narva"],
        country="EST",
        floor_m=[-math.inf, 300.0],
        floor_ref=["SFC", "MSL"],
        ceiling_m=[6000.0, 9000.0],
        ceiling_ref=["STD", "MSL"],
    )
    for name, values in columns.items():
        table[name] = values
    return table


def _all_dtypes():
    return {**AIRSPACE_COLUMNS, **OPTIONAL_AIRSPACE_COLUMNS}


# --- accepted -----------------------------------------------------------------


def test_make_airspace_defaults():
    airspace = make_airspace(box(0, 0, 1, 1))
    row = airspace.iloc[0]
    assert (row.airspace_id, row["name"], row.country, row.kind) == ("A1", "A1", "", "restricted")
    limits = (row.floor_m, row.floor_ref, row.ceiling_m, row.ceiling_ref)
    assert limits == (-math.inf, "SFC", math.inf, "STD")
    assert pd.isna(row.valid_from) and pd.isna(row.valid_to)
    assert airspace.crs == "EPSG:4326"
    assert {name: airspace[name].dtype for name in _all_dtypes()} == _all_dtypes()


def test_make_airspace_broadcasts_and_numbers_ids():
    airspace = make_airspace([box(0, 0, 1, 1)] * 3, kind=["danger", "tra", "prohibited"])
    assert airspace["airspace_id"].tolist() == ["A1", "A2", "A3"]
    assert airspace["kind"].tolist() == ["danger", "tra", "prohibited"]
    assert (airspace["ceiling_m"] == math.inf).all()


def test_make_airspace_activation_window():
    airspace = make_airspace(
        box(0, 0, 1, 1),
        valid_from="2025-09-19T06:00:00Z",
        valid_to=pd.Timestamp("2025-09-19T12:00+03:00"),
    )
    assert airspace["valid_from"].iloc[0] == pd.Timestamp("2025-09-19T06:00Z")
    assert airspace["valid_to"].iloc[0] == pd.Timestamp("2025-09-19T09:00Z")


@pytest.mark.parametrize("geometry", ["POLYGON ((0 0, 1 0, 1 1, 0 0))", [box(0, 0, 1, 1), {"type": "Polygon"}]])
def test_make_airspace_refuses_what_is_not_a_geometry_by_name(geometry):
    with pytest.raises(TypeError, match="^make_airspace: geometry: expected shapely geometries, found (str|dict)"):
        make_airspace(geometry)


def test_make_airspace_length_mismatch():
    with pytest.raises(ValueError, match="make_airspace: floor_m has 3 values for 2 geometries"):
        make_airspace([box(0, 0, 1, 1)] * 2, floor_m=[1.0, 2.0, 3.0], floor_ref="MSL")


def test_validate_returns_a_copy_with_exact_dtypes():
    table = _table()
    table["ceiling_m"] = pd.array([6000, 9000], dtype="Int64")
    table["airspace_id"] = table["airspace_id"].astype(object)
    out = validate_airspace(table)
    assert {name: out[name].dtype for name in _all_dtypes()} == _all_dtypes()
    assert out["ceiling_m"].tolist() == [6000.0, 9000.0]
    assert table["airspace_id"].dtype == object


@pytest.mark.parametrize("dtype", [pd.CategoricalDtype(), pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string()))],
                         ids=["categories", "arrow dictionary"])
def test_text_columns_held_as_categories_are_read_as_their_text(dtype):
    table = _table()
    written = {name: table[name].tolist() for name in ("airspace_id", "name", "country", "kind", "floor_ref")}
    for name, values in written.items():
        table[name] = pd.Series(values, index=table.index).astype(dtype)
    out = validate_airspace(table)
    for name, values in written.items():
        assert out[name].dtype == AIRSPACE_COLUMNS[name]
        assert out[name].tolist() == values


def test_unknown_kind_is_accepted_when_lower_case():
    assert "mil-zone" not in KINDS
    assert validate_airspace(_table(kind="mil-zone"))["kind"].iloc[0] == "mil-zone"


def test_a_height_over_ground_is_not_compared_with_sea_level_limits():
    table = _table(
        floor_m=[-math.inf, 5000.0],
        floor_ref=["SFC", "AGL"],
        ceiling_m=[6000.0, 3000.0],
        ceiling_ref="STD",
    )
    assert validate_airspace(table)["floor_m"].iloc[1] == 5000.0


def test_sea_level_and_flight_level_limits_are_compared_beyond_the_weather():
    # 2250 m STD over 2050 m MSL can both hold in low pressure (a volume of
    # its own); 5000 m over sea level lies above FL98 (2987 m pressure
    # altitude) in any weather: the volume would be empty.
    low_pressure = _table(floor_m=[-math.inf, 2250.0], floor_ref=["SFC", "STD"], ceiling_m=[6000.0, 2050.0],
                          ceiling_ref="MSL")
    assert validate_airspace(low_pressure)["floor_m"].iloc[1] == 2250.0
    table = _table(floor_m=[-math.inf, 5000.0], floor_ref=["SFC", "MSL"], ceiling_m=[6000.0, 2987.04],
                   ceiling_ref="STD")
    with pytest.raises(ValueError, match=r"floor 5000.0 m MSL is above the ceiling 2987.04 m STD at row 1"):
        validate_airspace(table)


def test_minus_inf_floor_with_any_reference_and_equal_limits():
    table = _table(floor_m=[-math.inf, 9000.0], floor_ref=["MSL", "MSL"])
    validate_airspace(table)


def test_missing_country_becomes_unknown():
    assert validate_airspace(_table(country=[None, "LTU"]))["country"].tolist() == ["", "LTU"]


def test_geometry_collection_keeps_its_polygons_quietly():
    collection = shapely.GeometryCollection([box(0, 0, 1, 1), shapely.LineString([(2, 2), (3, 3)])])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        airspace = make_airspace(collection)
    assert airspace.geometry.iloc[0].equals(box(0, 0, 1, 1))


def test_other_geometry_column_name_and_crs84():
    table = _table().rename_geometry("shape").set_crs("OGC:CRS84", allow_override=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = validate_airspace(table)
    assert out.geometry.name == "geometry" and out.crs == "EPSG:4326"


# --- repaired, converted ------------------------------------------------------


def test_bow_tie_is_repaired_with_a_warning_naming_it():
    table = _table(geometry=[box(24, 59, 25, 60), BOW_TIE])
    with pytest.warns(UserWarning, match=f"src: repaired .* {ROW1}: Self-intersection") as caught:
        out = validate_airspace(table, source="src")
    assert len(caught) == 1
    repaired = out.geometry.iloc[1]
    assert repaired.geom_type == "MultiPolygon" and repaired.is_valid
    assert repaired.area == pytest.approx(0.5)


def test_a_geometry_is_checked_for_validity_once_and_an_invalid_one_each_time(monkeypatch):
    import airspace.table

    checked, is_valid = [], shapely.is_valid

    def counted(geometries):
        checked.append(len(geometries))
        return is_valid(geometries)

    monkeypatch.setattr(airspace.table.shapely, "is_valid", counted)
    table = _table(geometry=[box(24, 59, 25, 60), BOW_TIE])
    for expected in (2, 1):  # both, then the bow tie again (still invalid), not the box
        with pytest.warns(UserWarning, match="repaired"):
            validate_airspace(table)
        assert checked[-1] == expected
    assert validate_airspace(table.iloc[[0]]).geometry.iloc[0] is table.geometry.iloc[0]
    assert checked[-1] == 0


def test_nothing_polygonal_left_after_repair():
    flat = Polygon([(24, 59), (25, 60), (26, 61), (24, 59)])
    with pytest.raises(
        ValueError,
        match=f"src: column 'geometry': nothing polygonal remains .* at {ROW1}",
    ):
        validate_airspace(_table(geometry=[box(0, 0, 1, 1), flat]), source="src")


def test_projected_crs_is_converted_with_a_warning():
    table = _table().to_crs(3035)
    with pytest.warns(UserWarning, match="src: converted from EPSG:3035 to EPSG:4326"):
        out = validate_airspace(table, source="src")
    assert out.crs == "EPSG:4326"
    assert np.allclose(out.geometry.iloc[0].bounds, (24.0, 59.0, 25.0, 60.0), atol=1e-6)


def test_no_crs_is_refused_with_advice():
    table = _table().set_crs(None, allow_override=True)
    with pytest.raises(
        ValueError,
        match=re.escape("src: the table has no CRS") + ".*set_crs\\('EPSG:4326'\\)",
    ):
        validate_airspace(table, source="src")


# --- refused ------------------------------------------------------------------


def test_not_a_geodataframe():
    with pytest.raises(TypeError, match="src: expected a geopandas GeoDataFrame"):
        validate_airspace(pd.DataFrame(_table()), source="src")


def test_missing_columns_are_named():
    with pytest.raises(
        ValueError,
        match=r"^src: missing column\(s\) 'floor_ref', 'ceiling_m'; the table has",
    ):
        validate_airspace(_table().drop(columns=["floor_ref", "ceiling_m"]), source="src")


def test_missing_geometry_column():
    table = gpd.GeoDataFrame(pd.DataFrame(_table()).drop(columns="geometry"))
    with pytest.raises(ValueError, match=r"missing column\(s\) 'geometry'"):
        validate_airspace(table)


def test_duplicate_ids():
    with pytest.raises(
        ValueError,
        match="^src: column 'airspace_id': duplicate airspace_id 'R1' at row 1, first at row 0",
    ):
        validate_airspace(_table(airspace_id=["R1", "R1"]), source="src")


@pytest.mark.parametrize("bad_id", ["", "  ", None])
def test_empty_id(bad_id):
    with pytest.raises(ValueError, match="^src: column 'airspace_id': empty airspace_id at row 1"):
        validate_airspace(_table(airspace_id=["R1", bad_id]), source="src")


@pytest.mark.parametrize(
    ("column", "values", "message"),
    [
        (
            "floor_ref",
            ["SFC", "FL"],
            f"column 'floor_ref': unknown reference 'FL' at {ROW1}; expected one of 'SFC'",
        ),
        (
            "ceiling_ref",
            ["STD", "UNL"],
            f"column 'ceiling_ref': not a ceiling reference 'UNL' at {ROW1}; .*UNL",
        ),
        (
            "ceiling_ref",
            ["STD", "SFC"],
            f"column 'ceiling_ref': not a ceiling reference 'SFC' at {ROW1}",
        ),
        ("floor_ref", ["SFC", "msl"], f"column 'floor_ref': unknown reference 'msl' at {ROW1}"),
        ("floor_m", [-math.inf, math.nan], f"column 'floor_m': NaN floor .* at {ROW1}"),
        ("ceiling_m", [6000.0, math.nan], f"column 'ceiling_m': NaN ceiling .* at {ROW1}"),
        ("floor_m", [-math.inf, math.inf], f"column 'floor_m': floor \\+inf at {ROW1}"),
        ("ceiling_m", [6000.0, -math.inf], f"column 'ceiling_m': ceiling -inf at {ROW1}"),
        (
            "floor_ref",
            ["SFC", "SFC"],
            f"column 'floor_m': floor_ref 'SFC' needs floor_m -inf, found 300.0 at {ROW1}",
        ),
        (
            "floor_m",
            [-math.inf, 9500.0],
            f"column 'floor_m': floor 9500.0 m MSL is above the ceiling 9000.0 m "
            f"MSL at {ROW1}",
        ),
        (
            "floor_m",
            [-math.inf, "high"],
            f"column 'floor_m': expected numbers, found str 'high' at {ROW1}",
        ),
        (
            "country",
            ["EST", "EE"],
            f"column 'country': not an ISO 3166-1 alpha-3 code: 'EE' at {ROW1}",
        ),
        (
            "kind",
            ["danger", "TRA"],
            f"column 'kind': not a non-empty lower-case kind: 'TRA' at {ROW1}; known kinds",
        ),
        ("kind", ["danger", ""], f"column 'kind': not a non-empty lower-case kind: '' at {ROW1}"),
        ("name", ["Vaindloo", 7.5], f"column 'name': expected text, found float 7.5 at {ROW1}"),
    ],
)
def test_bad_values_name_column_and_row(column, values, message):
    with pytest.raises(ValueError, match=f"^src: {message}"):
        validate_airspace(_table(**{column: values}), source="src")


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (None, "missing geometry"),
        (Polygon(), "empty geometry"),
        (shapely.LineString([(0, 0), (1, 1)]), "a LineString, expected a Polygon or MultiPolygon"),
        (shapely.GeometryCollection([shapely.Point(0, 0)]), "nothing polygonal remains"),
        (box(179, 0, 181, 1), r"coordinates outside lon \[-180, 180\], lat \[-90, 90\]"),
        (box(0, 89, 1, 91), r"coordinates outside lon \[-180, 180\], lat \[-90, 90\]"),
    ],
)
def test_bad_geometry(geometry, message):
    with pytest.raises(ValueError, match=f"^src: column 'geometry': {message} at {ROW1}"):
        validate_airspace(_table(geometry=[box(0, 0, 1, 1), geometry]), source="src")


def test_window_reversed():
    table = _table(
        valid_from=pd.Timestamp("2025-09-20", tz="UTC"),
        valid_to=[pd.NaT, pd.Timestamp("2025-09-19", tz="UTC")],
    )
    with pytest.raises(
        ValueError,
        match="^src: column 'valid_from': valid_from 2025-09-20 .* "
        f"is after valid_to 2025-09-19 .* at {ROW1}",
    ):
        validate_airspace(table, source="src")


def test_naive_window_is_refused():
    table = _table(valid_from=[pd.NaT, pd.Timestamp("2025-09-20")])
    with pytest.raises(
        ValueError,
        match=f"^src: column 'valid_from': naive time \\(no time zone\\) at {ROW1}; .*tz_localize",
    ):
        validate_airspace(table, source="src")


def test_an_arrow_window_with_a_zone_is_read_as_the_same_moments():
    opens = pd.Series(pd.to_datetime(["2025-09-19T09:00+03:00", "2025-09-20T09:00+03:00"]))
    window = opens.astype(pd.ArrowDtype(pa.timestamp("us", tz="Europe/Tallinn")))
    out = validate_airspace(_table(valid_from=window))
    assert out["valid_from"].dtype == OPTIONAL_AIRSPACE_COLUMNS["valid_from"]
    assert out["valid_from"].tolist() == [pd.Timestamp("2025-09-19T06:00Z"), pd.Timestamp("2025-09-20T06:00Z")]


def test_unreadable_window_is_refused():
    with pytest.raises(ValueError, match=f"^src: column 'valid_to': expected tz-aware times.*'tomorrow' at {ROW1}"
                       ) as refused:
        validate_airspace(_table(valid_to=["2025-09-20T00:00Z", "tomorrow"]), source="src")
    assert "\n" not in str(refused.value)  # one line, not pandas' advice


# --- complete_airspace --------------------------------------------------------


def test_complete_airspace_fills_and_tells():
    fence = gpd.GeoDataFrame({"name": ["field"]}, geometry=[box(0, 0, 1, 1)], crs=4326)
    airspace, filled = complete_airspace(fence, source="fence.geojson")
    limits = ["floor_m", "floor_ref", "ceiling_m", "ceiling_ref"]
    assert filled == ["airspace_id", "country", "kind", *limits]
    assert airspace["name"].iloc[0] == "field"


def test_complete_airspace_matches_make_airspace_defaults():
    geometries = [box(0, 0, 1, 1), box(1, 0, 2, 1)]
    completed, filled = complete_airspace(gpd.GeoDataFrame(geometry=geometries, crs=4326))
    assert "name" in filled
    made = make_airspace(geometries)
    pd.testing.assert_frame_equal(completed[made.columns], made)


def test_complete_airspace_keeps_what_is_there_and_validates():
    table = _table().drop(columns=["kind"])
    airspace, filled = complete_airspace(table)
    assert filled == ["kind"]
    assert airspace["floor_ref"].tolist() == ["SFC", "MSL"]
    with pytest.raises(ValueError, match="^user.geojson: column 'floor_m'"):
        complete_airspace(table.assign(floor_m=100.0, floor_ref="SFC"), source="user.geojson")


def test_complete_airspace_with_another_geometry_column_name():
    fence = gpd.GeoDataFrame({"shape": [box(0, 0, 1, 1)]}, geometry="shape", crs=4326)
    airspace, filled = complete_airspace(fence)
    assert "geometry" not in filled and airspace.geometry.name == "geometry"


def test_complete_airspace_refuses_no_crs():
    with pytest.raises(ValueError, match="f.shp: the table has no CRS"):
        complete_airspace(gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1)]), source="f.shp")


def test_altitude_refs_and_kinds():
    assert ALTITUDE_REFS == ("SFC", "MSL", "STD", "AGL")
    assert all(kind == kind.lower() for kind in KINDS)
