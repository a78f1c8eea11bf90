"""Vertical limits as files write them: parse_limit, parse_limits."""

import math

import numpy as np
import pytest
from shapely import box

from airspace.limits import parse_limit, parse_limits
from tracks.units import FOOT_M
from airspace.table import make_airspace

# Metres worked out by hand: 1 ft = 0.3048 m, FL n = n * 100 ft.
SPELLINGS = [
    ("FL95", 2895.6, "STD"),
    ("FL 095", 2895.6, "STD"),
    ("FL 95 STD", 2895.6, "STD"),
    ("fl95", 2895.6, "STD"),
    ("FL245", 7467.6, "STD"),
    ("FL 0", 0.0, "STD"),
    ("1500ft AMSL", 457.2, "MSL"),
    ("1500 ft MSL", 457.2, "MSL"),
    ("1500FT", 457.2, "MSL"),
    ("1500 F", 457.2, "MSL"),
    ("1500' AMSL", 457.2, "MSL"),
    ("1500 feet", 457.2, "MSL"),
    ("1500", 457.2, "MSL"),
    ("2000 ALT", 609.6, "MSL"),
    ("1500 AGL", 457.2, "AGL"),
    ("1500ft GND", 457.2, "AGL"),
    ("1500 ft AGL", 457.2, "AGL"),
    ("1000 ft SFC", 304.8, "AGL"),
    ("1000ft ASFC", 304.8, "AGL"),
    ("500m", 500.0, "MSL"),
    ("500 m AMSL", 500.0, "MSL"),
    ("500 M MSL", 500.0, "MSL"),
    ("300 m agl", 300.0, "AGL"),
    ("1200 metres", 1200.0, "MSL"),
    ("5000 ft STD", 1524.0, "STD"),
    ("-1000 ft MSL", -304.8, "MSL"),
    ("0 AGL", 0.0, "AGL"),
    ("0 ft MSL", 0.0, "MSL"),
    ("  3500   ft   amsl ", 1066.8, "MSL"),
    ("MSL", 0.0, "MSL"),
    ("AMSL", 0.0, "MSL"),
    ("GND", -math.inf, "SFC"),
    ("gnd", -math.inf, "SFC"),
    ("SFC", -math.inf, "SFC"),
    ("Surface", -math.inf, "SFC"),
    ("0", -math.inf, "SFC"),
    ("UNL", math.inf, "STD"),
    ("unl", math.inf, "STD"),
    ("UNLIM", math.inf, "STD"),
    ("UNLIMITED", math.inf, "STD"),
    ("UNLTD", math.inf, "STD"),
]


@pytest.mark.parametrize(("text", "metres", "ref"), SPELLINGS)
def test_spellings(text, metres, ref):
    parsed_m, parsed_ref = parse_limit(text)
    assert parsed_ref == ref
    assert parsed_m == pytest.approx(metres, abs=1e-9)


def test_feet_are_international_feet_exactly():
    assert FOOT_M == 0.3048
    assert parse_limit("10000 ft")[0] == 3048.0
    assert parse_limit("FL100")[0] == 3048.0


def test_unlimited_and_surface_match_the_table_defaults():
    airspace = make_airspace(box(0, 0, 1, 1))
    assert parse_limit("SFC") == (airspace["floor_m"].iloc[0], airspace["floor_ref"].iloc[0])
    assert parse_limit("UNL") == (airspace["ceiling_m"].iloc[0], airspace["ceiling_ref"].iloc[0])


@pytest.mark.parametrize(
    "text",
    ["", "   ", "FL", "FL95 MSL", "abc", "100m AGL/423m AMSL", "1500 ft ft", "1500 NM", "ft"],
)
def test_unreadable_limits_are_refused_quoting_the_text(text):
    with pytest.raises(ValueError, match=f"cannot read the vertical limit {text!r}"):
        parse_limit(text)


def test_not_text_is_refused():
    with pytest.raises(ValueError, match="not text"):
        parse_limit(1500)


def test_parse_limits_column():
    metres, refs = parse_limits(["GND", "FL65", "GND", "3000 ft MSL", "FL65"])
    np.testing.assert_array_equal(metres, [-math.inf, 1981.2, -math.inf, 914.4, 1981.2])
    assert refs.tolist() == ["SFC", "STD", "SFC", "MSL", "STD"]


def test_parse_limits_names_the_first_bad_row():
    with pytest.raises(
        ValueError, match=r"^f.geojson: column 'UPPER': row 2: cannot read .*'FL9x'"
    ):
        parse_limits(["FL95", "FL95", "FL9x", "FL9y"], source="f.geojson: column 'UPPER'")
    with pytest.raises(ValueError, match=r"^limits: row 1: missing vertical limit"):
        parse_limits(["FL95", None])


def test_parse_limits_empty():
    metres, refs = parse_limits([])
    assert metres.shape == (0,) and refs.shape == (0,)
