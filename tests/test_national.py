"""airspace.national: national airspace as rows of the airspace table."""

import math

import pytest
import shapely
from shapely import Point

import borders
from airspace.national_airspace import national
from airspace.table import AIRSPACE_COLUMNS, validate_airspace

VAINDLOO = Point(26.362, 59.814)
MARIEHAMN = Point(19.94, 60.10)


@pytest.fixture(autouse=True)
def cache(tmp_path_factory, monkeypatch):
    """All tests of this module share one cache directory of their own."""
    monkeypatch.setenv(
        "AIRWARDEN_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "national-cache")
    )


@pytest.mark.parametrize("codes", ["EST", "ee", "Estonia", ["EST"]])
def test_one_state_is_one_national_row(codes):
    table = national(codes)
    assert len(table) == 1
    row = table.iloc[0]
    assert row["airspace_id"] == "national-EST"
    assert (row["name"], row["country"], row["kind"]) == ("Estonia", "EST", "national")
    assert row["floor_m"] == -math.inf and row["floor_ref"] == "SFC"
    assert row["ceiling_m"] == math.inf
    assert row.geometry.contains(VAINDLOO)


@pytest.mark.parametrize("codes", ["EST,FIN", "EST, FIN", ["EST", "FIN"], ["EE", "Finland", "EST"]])
def test_several_states_in_the_order_asked(codes):
    table = national(codes)
    assert table["airspace_id"].tolist() == ["national-EST", "national-FIN"]
    assert table["country"].tolist() == ["EST", "FIN"]


def test_rows_are_a_valid_airspace_table():
    table = national("EST,LVA")
    for column in AIRSPACE_COLUMNS:
        assert column in table.columns
    assert table.crs.to_epsg() == 4326
    again = validate_airspace(table, source="national")
    assert again["airspace_id"].tolist() == table["airspace_id"].tolist()
    estonia, latvia = table.geometry
    assert estonia.intersection(latvia).area == pytest.approx(
        0.0, abs=1e-9
    )  # neighbours share only a border


def test_dependencies_follow_the_sovereign():
    with_aland, without = (
        national("FIN").geometry.iloc[0],
        national("FIN", dependencies=False).geometry.iloc[0],
    )
    assert with_aland.contains(MARIEHAMN) and not without.contains(MARIEHAMN)
    aland = national("AX").iloc[0]
    assert (aland["airspace_id"], aland["country"]) == ("national-ALA", "FIN")


def test_national_matches_borders_geometry():
    expected = borders.sovereign_airspace("EST").geometry.iloc[0]
    assert shapely.equals(national("EST").geometry.iloc[0], expected)


@pytest.mark.parametrize("codes", ["ESTT", "EST,XYZQ"])
def test_unknown_code_is_refused_with_suggestions(codes):
    with pytest.raises(ValueError, match="unknown country"):
        national(codes)


def test_no_code_is_refused():
    with pytest.raises(ValueError, match="no country given"):
        national("")


@pytest.mark.parametrize("codes", [None, 5])
def test_codes_that_are_not_text_or_a_list_are_refused(codes):
    with pytest.raises(TypeError, match="'all' for every state"):
        national(codes)
