"""OpenAir reader on hand-written files: every record type, arcs and circles, broken files."""

import math
import textwrap

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod

from airspace.openair import looks_like_openair, read_openair

GEOD = Geod(ellps="WGS84")
NM = 1852.0
FT = 0.3048
CENTRE = (24.0, 59.0)  # lon, lat of "59:00:00 N 024:00:00 E"
CENTRE_TEXT = "59:00:00 N 024:00:00 E"
HEAD = "AC R\nAN Test\nAL GND\nAH FL95\n"


def _write(tmp_path, text, name="airspace.txt", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(textwrap.dedent(text).lstrip("\n").encode(encoding))
    return path


def _read(tmp_path, text, **kwargs):
    return read_openair(_write(tmp_path, text), **kwargs)


def _decimal(lon, lat):
    """A point in decimal degrees with hemisphere letters."""
    return f"{abs(lat):.7f} {'N' if lat >= 0 else 'S'} {abs(lon):.7f} {'E' if lon >= 0 else 'W'}"


def _dms(lon, lat):
    """A point as DD:MM:SS.ssss N DDD:MM:SS.ssss E (a few mm of rounding)."""

    def angle(value, width):
        seconds = round(abs(value) * 3600, 4)
        degrees, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{int(degrees):0{width}d}:{int(minutes):02d}:{seconds:07.4f}"

    return f"{angle(lat, 2)} {'N' if lat >= 0 else 'S'} {angle(lon, 3)} {'E' if lon >= 0 else 'W'}"


def _from_centre(geometry, centre=CENTRE):
    """Azimuths (degrees) and geodesic distances (m) of the exterior vertices, closing one dropped."""
    lon, lat = np.asarray(geometry.exterior.coords)[:-1].T
    azimuth, _, distance = GEOD.inv(
        np.full(len(lon), centre[0]), np.full(len(lon), centre[1]), lon, lat
    )
    return np.asarray(azimuth) % 360.0, np.asarray(distance)


def _point_at(azimuth_deg, distance_m, centre=CENTRE):
    lon, lat, _ = GEOD.fwd(centre[0], centre[1], azimuth_deg, distance_m)
    return shapely.Point(lon, lat)


def _sagittas(geometry, centre=CENTRE):
    """Distance from the circle of each chord midpoint (geodesic midpoints), metres."""
    coords = np.asarray(geometry.exterior.coords)
    lon1, lat1 = coords[:-1].T
    lon2, lat2 = coords[1:].T
    azimuth, _, length = GEOD.inv(lon1, lat1, lon2, lat2)
    mid_lon, mid_lat, _ = GEOD.fwd(lon1, lat1, azimuth, np.asarray(length) / 2)
    _, _, to_mid = GEOD.inv(
        np.full(len(mid_lon), centre[0]), np.full(len(mid_lon), centre[1]), mid_lon, mid_lat
    )
    return np.asarray(to_mid)


def _area_m2(geometry):
    return abs(GEOD.geometry_area_perimeter(geometry)[0])


# --- polygons, coordinates, records ------------------------------------------


def test_polygon_with_comments_styling_and_frequencies(tmp_path):
    airspace, report = _read(
        tmp_path,
        """
        * Test file: a comment line
        AC R
        AN ED-R10B Todendorf   * the name keeps its star
        AH 40000ft AMSL
        AL GND
        AF 123.450
        AG Kiel Info
        SP 0,1,255,0,0
        SB -1,-1,-1

        DP 54:25:00 N 010:40:00 E
        DP 54:25:00 N 010:50:00 E   * inline comment
        dp 54:15:00 N 010:50:00 E
        DP 54:15:00 N 010:40:00 E
        DP 54:25:00 N 010:40:00 E
        """,
    )
    assert len(airspace) == 1
    row = airspace.iloc[0]
    assert row["name"] == "ED-R10B Todendorf   * the name keeps its star"
    assert row["airspace_id"] == "ed-r10b-todendorf-the-name-keeps-its-star"
    assert (row.kind, row.openair_class, row.openair_line) == ("restricted", "R", 2)
    assert (row.floor_m, row.floor_ref) == (-math.inf, "SFC")
    assert (row.ceiling_m, row.ceiling_ref) == (pytest.approx(40000 * FT), "MSL")
    expected = shapely.box(10 + 40 / 60, 54.25, 10 + 50 / 60, 54 + 25 / 60)
    assert row.geometry.geom_type == "Polygon"
    assert row.geometry.symmetric_difference(expected).area < 1e-12
    assert len(row.geometry.exterior.coords) == 5  # the repeated first point is not doubled
    assert (report.blocks_read, report.blocks_accepted, report.rejected) == (1, 1, {})
    assert (row.frequency, row.station, row.openair_type) == ("123.450", "Kiel Info", "")
    assert pd.isna(row.transponder_code)
    assert any("SB 1, SP 1" in note for note in report.notes)
    assert report.repaired == {"lower case": 1} and report.first_repaired_lines == {"lower case": [13]}
    assert any("lower case" in note and "(line 13)" in note for note in report.notes)


@pytest.mark.parametrize(
    ("text", "lon", "lat"),
    [
        ("54:25:00 N 010:40:00 E", 10 + 40 / 60, 54 + 25 / 60),
        ("54:25:00N 010:40:00E", 10 + 40 / 60, 54 + 25 / 60),
        ("54:25:00N,010:40:00E", 10 + 40 / 60, 54 + 25 / 60),
        ("54:25:00 N, 010:40:00 E", 10 + 40 / 60, 54 + 25 / 60),
        ("54:25.500 N 010:40.250 E", 10 + 40.25 / 60, 54 + 25.5 / 60),
        ("54:25:30.5 N 010:40:15.25 E", 10 + 40 / 60 + 15.25 / 3600, 54 + 25 / 60 + 30.5 / 3600),
        ("35:31:21.0000 N 114:15:0.0000 E", 114.25, 35 + 31 / 60 + 21 / 3600),
        ("33:52:00 S 151:12:30 E", 151 + 12.5 / 60, -(33 + 52 / 60)),
        ("40:38:00 n 073:47:00 w", -(73 + 47 / 60), 40 + 38 / 60),
        ("5:05:00 N 1:02:00 W", -(1 + 2 / 60), 5 + 5 / 60),
        ("54.4 N 10.25 E", 10.25, 54.4),
    ],
)
def test_coordinate_spellings(tmp_path, text, lon, lat):
    others = [_decimal(lon + 0.1, lat), _decimal(lon, lat + 0.1)]
    airspace, report = _read(tmp_path, HEAD + f"DP {text}\nDP {others[0]}\nDP {others[1]}\n")
    assert report.rejected == {}
    first = airspace.geometry.iloc[0].exterior.coords[0]
    assert first == pytest.approx((lon, lat), abs=1e-12)


@pytest.mark.parametrize(
    "text",
    [
        "54:61:00 N 010:00:00 E",
        "54:25:60.5 N 010:00:00 E",
        "91:00:00 N 010:00:00 E",
        "54:25:00 N 181:00:00 E",
        "54:25.5:10 N 010:00:00 E",
        "54:25:00 X 010:00:00 E",
        "54:25:00 N",
        "54:2x:00 N 010:00:00 E",
        "",
    ],
)
def test_bad_coordinate_names_its_line(tmp_path, text):
    body = (
        HEAD
        + "DP 54:00:00 N 010:00:00 E\n"
        + f"DP {text}\n"
        + "DP 54:10:00 N 010:10:00 E\n"
        + "AC Q\nAN Next\nAL GND\nAH 2000 ft\nV X=54:00:00 N 010:00:00 E\nDC 2\n"
    )
    airspace, report = _read(tmp_path, body)
    assert airspace["name"].tolist() == ["Next"]
    assert report.rejected == {"bad coordinate": 1}
    assert report.first_rejected_lines == {"bad coordinate": [6]}
    assert report.problems[0].startswith("line 6: bad coordinate")
    with pytest.raises(ValueError, match=r"airspace.txt: line 6: bad coordinate"):
        _read(tmp_path, body, strict=True)


@pytest.mark.parametrize(
    ("al", "ah", "floor", "ceiling"),
    [
        ("GND", "FL95", (-math.inf, "SFC"), (9500 * FT, "STD")),
        ("SFC", "UNL", (-math.inf, "SFC"), (math.inf, "STD")),
        ("0", "UNLIMITED", (-math.inf, "SFC"), (math.inf, "STD")),
        ("1500 ft AGL", "FL 065", (1500 * FT, "AGL"), (6500 * FT, "STD")),
        ("1000ft GND", "4500ft AMSL", (1000 * FT, "AGL"), (4500 * FT, "MSL")),
        ("500m MSL", "2000 m", (500.0, "MSL"), (2000.0, "MSL")),
        ("MSL", "3500", (0.0, "MSL"), (3500 * FT, "MSL")),
        ("FL 95 STD", "FL245", (9500 * FT, "STD"), (24500 * FT, "STD")),
        ("fl65", "unl", (6500 * FT, "STD"), (math.inf, "STD")),
    ],
)
def test_limits_of_each_kind(tmp_path, al, ah, floor, ceiling):
    airspace, _ = _read(
        tmp_path, f"AC Q\nAN L\nAL {al}\nAH {ah}\nV X={CENTRE_TEXT}\nDC 1\n", strict=True
    )
    row = airspace.iloc[0]
    assert (row.floor_m, row.floor_ref) == (pytest.approx(floor[0]), floor[1])
    assert (row.ceiling_m, row.ceiling_ref) == (pytest.approx(ceiling[0]), ceiling[1])


@pytest.mark.parametrize(
    ("records", "kind"),
    [
        ("AC R", "restricted"),
        ("AC Q", "danger"),
        ("AC P", "prohibited"),
        ("AC CTR", "ctr"),
        ("AC TMZ", "tmz"),
        ("AC RMZ", "rmz"),
        ("AC C", "class-c"),
        ("AC G", "class-g"),
        ("AC GP", "glider-prohibited"),
        ("AC W", "wave"),
        ("AC C\nAY TMA", "tma"),
        ("AC D\nAY CTR", "ctr"),
        ("AC UNC\nAY DANGER", "danger"),
        ("AC E\nAY GLIDING_SECTOR", "glider"),
    ],
)
def test_class_and_type_give_the_kind(tmp_path, records, kind):
    airspace, _ = _read(tmp_path, f"{records}\nAN K\nAL GND\nAH FL95\nV X={CENTRE_TEXT}\nDC 1\n")
    assert airspace["kind"].tolist() == [kind]
    assert airspace["openair_class"].tolist() == [records.split("\n")[0][3:]]


def test_unknown_class_and_type_are_kept_with_a_note(tmp_path):
    airspace, report = _read(
        tmp_path,
        f"AC XYZ\nAN A\nAL GND\nAH FL95\nV X={CENTRE_TEXT}\nDC 1\n"
        f"AC C\nAY ACC_SECTOR\nAN B\nAL GND\nAH FL95\nV X={CENTRE_TEXT}\nDC 1\n",
    )
    assert airspace["kind"].tolist() == ["xyz", "acc-sector"]
    assert any("acc-sector, xyz" in note for note in report.notes)


def test_ai_gives_the_id_and_names_give_unique_slugs(tmp_path):
    block = "AL GND\nAH FL95\nV X=59:00:00 N 024:00:00 E\nDC 1\n"
    airspace, _ = _read(
        tmp_path,
        f"AC C\nAY TMA\nAI 67fc5d9f1a51\nAN Tallinn TMA\n{block}"
        f"AC R\nAN Ülemiste (R-1)\n{block}"
        f"AC R\nAN ülemiste R 1\n{block}"
        f"AC R\nAN Ülemiste R-1\n{block}",
    )
    assert airspace["airspace_id"].tolist() == [
        "67fc5d9f1a51",
        "ulemiste-r-1",
        "ulemiste-r-1-2",
        "ulemiste-r-1-3",
    ]
    assert airspace["name"].tolist()[1] == "Ülemiste (R-1)"


def test_activation_windows(tmp_path):
    block = "AL GND\nAH FL95\nV X=59:00:00 N 024:00:00 E\nDC 1\n"
    airspace, report = _read(
        tmp_path,
        f"AC R\nAN Day\nAA 2025-09-19T06:00Z/2025-09-19T24:00Z\n{block}"
        f"AC R\nAI EYR1\nAN Twice\nAA 2025-10-23T16:00Z/NONE\nAA NONE/2025-10-22T00:00Z\n{block}"
        f"AC R\nAN Notam\nAA NONE\n{block}",
    )

    def utc(text):
        return pd.Timestamp(text, tz="UTC")

    assert airspace["airspace_id"].tolist() == ["day", "EYR1-1", "EYR1-2"]
    assert airspace["valid_from"].tolist()[:2] == [utc("2025-09-19T06:00"), utc("2025-10-23T16:00")]
    assert airspace["valid_to"].iloc[0] == utc("2025-09-20T00:00")
    assert pd.isna(airspace["valid_to"].iloc[1]) and pd.isna(airspace["valid_from"].iloc[2])
    assert airspace["valid_to"].iloc[2] == utc("2025-10-22T00:00")
    assert report.skipped == {"never active (AA NONE)": 1}
    assert report.first_skipped_lines == {"never active (AA NONE)": [17]}


def test_airway_is_skipped_and_counted(tmp_path):
    airspace, report = _read(
        tmp_path,
        f"AC R\nAN Airway\nAL GND\nAH FL100\nV W=5\nDY 54:00:00 N 010:00:00 E\n"
        f"DY 54:10:00 N 010:00:00 E\n{HEAD}V X={CENTRE_TEXT}\nDC 2\n",
    )
    assert airspace["name"].tolist() == ["Test"]
    assert report.skipped == {"airway (DY), not drawn": 1}
    assert report.first_skipped_lines == {"airway (DY), not drawn": [1]}
    assert (report.blocks_read, report.blocks_accepted) == (2, 1)
    assert "skipped 1: airway (DY), not drawn (line 1)" in str(report)


# --- circles and arcs ---------------------------------------------------------


def test_circle_radius_chord_error_and_area(tmp_path):
    radius = 20 * NM
    airspace, _ = _read(tmp_path, HEAD + f"V X={CENTRE_TEXT}\nDC 20\n", strict=True)
    circle = airspace.geometry.iloc[0]
    _, distance = _from_centre(circle)
    assert np.abs(distance - radius).max() < 1.0
    sagitta = radius - _sagittas(circle)
    assert sagitta.max() < 50.0
    assert sagitta.min() > 25.0  # not drawn with far more points than needed
    assert _area_m2(circle) == pytest.approx(math.pi * radius**2, rel=5e-3)


def test_small_circle_is_still_round(tmp_path):
    airspace, _ = _read(tmp_path, HEAD + f"V X={CENTRE_TEXT}\nDC 0.5\n", strict=True)
    circle = airspace.geometry.iloc[0]
    assert len(circle.exterior.coords) >= 36  # 10 degree steps at most
    assert _area_m2(circle) == pytest.approx(math.pi * (0.5 * NM) ** 2, rel=1e-2)


def test_tighter_chord_error_on_request(tmp_path):
    airspace, _ = read_openair(
        _write(tmp_path, HEAD + f"V X={CENTRE_TEXT}\nDC 20\n"), max_chord_error_m=5.0
    )
    assert (20 * NM - _sagittas(airspace.geometry.iloc[0])).max() < 5.0


def _slice(tmp_path, arc_records):
    text = HEAD + f"V X={CENTRE_TEXT}\nDP {CENTRE_TEXT}\n" + arc_records
    return _read(tmp_path, text, strict=True)[0].geometry.iloc[0]


def test_clockwise_arc(tmp_path):
    radius = 10 * NM
    pie = _slice(tmp_path, "DA 10,90,180\n")
    azimuth, distance = _from_centre(pie)
    assert distance[0] < 1e-6  # the DP at the centre
    assert np.abs(distance[1:] - radius).max() < 1.0
    assert azimuth[1] == pytest.approx(90.0) and azimuth[-1] == pytest.approx(180.0)
    assert (np.diff(azimuth[1:]) > 0).all()
    assert (radius - _sagittas(pie)[1:-1]).max() < 50.0
    assert pie.contains(_point_at(135, 5 * NM))
    assert not pie.contains(_point_at(45, 5 * NM)) and not pie.contains(_point_at(270, 5 * NM))
    assert _area_m2(pie) == pytest.approx(math.pi * radius**2 / 4, rel=1e-2)


def test_anticlockwise_arc(tmp_path):
    radius = 10 * NM
    pie = _slice(tmp_path, "V D=-\nDA 10,90,180\n")
    azimuth, distance = _from_centre(pie)
    assert np.abs(distance[1:] - radius).max() < 1.0
    turned = np.unwrap(azimuth[1:], period=360.0)
    assert turned[0] == pytest.approx(90.0) and turned[-1] == pytest.approx(90.0 - 270.0)
    assert (np.diff(turned) < 0).all()
    assert pie.contains(_point_at(0, 5 * NM)) and pie.contains(_point_at(270, 5 * NM))
    assert not pie.contains(_point_at(135, 5 * NM))
    assert _area_m2(pie) == pytest.approx(math.pi * radius**2 * 3 / 4, rel=1e-2)


def test_full_circle_arc_and_direction_reset_at_ac(tmp_path):
    radius = 3 * NM
    text = (
        HEAD
        + f"V X={CENTRE_TEXT}\nV D=-\nDA 3,0,360\n"
        + HEAD.replace("Test", "Second")
        + f"V X={CENTRE_TEXT}\nDP {CENTRE_TEXT}\nDA 3,90,180\n"
    )
    airspace, _ = _read(tmp_path, text, strict=True)
    assert _area_m2(airspace.geometry.iloc[0]) == pytest.approx(math.pi * radius**2, rel=1e-2)
    # V D=- of the first airspace does not carry over: the second arc is clockwise, a quarter
    assert _area_m2(airspace.geometry.iloc[1]) == pytest.approx(math.pi * radius**2 / 4, rel=1e-2)


@pytest.mark.parametrize(("direction", "sweep"), [("+", 90.0), ("-", -270.0)])
def test_arc_between_two_points(tmp_path, direction, sweep):
    radius = 10 * NM
    north = _point_at(0.0, radius)
    east = _point_at(90.0, radius)
    pie = _slice(
        tmp_path, f"V D={direction}\nDB {_dms(north.x, north.y)}, {_dms(east.x, east.y)}\n"
    )
    azimuth, distance = _from_centre(pie)
    assert np.abs(distance[1:] - radius).max() < 1.0
    coords = np.asarray(pie.exterior.coords)
    assert coords[1] == pytest.approx([north.x, north.y], abs=1e-7)
    assert coords[-2] == pytest.approx([east.x, east.y], abs=1e-7)
    turned = np.unwrap(azimuth[1:], period=360.0)
    assert turned[-1] - turned[0] == pytest.approx(sweep, abs=1e-4)
    assert (np.sign(np.diff(turned)) == np.sign(sweep)).all()
    assert (radius - _sagittas(pie)[1:-1]).max() < 50.0
    fraction = abs(sweep) / 360.0
    assert _area_m2(pie) == pytest.approx(math.pi * radius**2 * fraction, rel=1e-2)


def test_arc_between_points_at_different_distances(tmp_path):
    pie = _slice(tmp_path, "DB 59:10:00 N 024:00:00 E, 59:00:00 N 024:20:00 E\n")
    _, distance = _from_centre(pie)
    first, last = distance[1], distance[-1]
    assert first < last  # 10' of latitude is shorter than 20' of longitude at 59 N
    assert (np.diff(distance[1:]) > 0).all()  # the radius goes from one to the other


def test_circle_across_the_antimeridian(tmp_path):
    airspace, _ = _read(tmp_path, HEAD + "V X=17:00:00 S 179:59:00 E\nDC 10\n", strict=True)
    fiji = airspace.geometry.iloc[0]
    assert fiji.geom_type == "MultiPolygon" and fiji.is_valid
    assert fiji.contains(shapely.Point(179.9, -17.0)) and fiji.contains(
        shapely.Point(-179.9, -17.0)
    )
    assert not fiji.contains(shapely.Point(0.0, -17.0))
    assert _area_m2(fiji) == pytest.approx(math.pi * (10 * NM) ** 2, rel=1e-2)


# --- broken files -------------------------------------------------------------


BROKEN = """\
AN Orphan
AL GND
AC R
AN Good
AL GND
AH FL95
DP 54:00:00 N 010:00:00 E
DP 54:10:00 N 010:00:00 E
DP 54:10:00 N 010:20:00 E
AC Q
AN First
AL GND
AH 2000ft
AN Second
AC R
AN Unknown record
XX what is this
AC R
AN Bad limit
AL GND
AH FL
AC R
AN Ceiling at ground
AL FL50
AH GND
AC R
AN No floor
AH FL95
AC R
AN Arc without centre
AL GND
AH FL95
DA 5,0,90
AC R
AN Truncated
AL GND
AH FL95
DP 54:00:00 N 010:00:00 E
DP 54:10:00 N 010:00:00 E
"""

BROKEN_REASONS = {
    "no AC before this record": [1],
    "repeated record": [14],
    "unknown record": [17],
    "bad limit": [21, 25],
    "missing limit": [26],
    "bad arc or circle": [33],
    "fewer than 3 points": [34],
}


def test_broken_blocks_are_rejected_with_their_lines(tmp_path):
    airspace, report = _read(tmp_path, BROKEN)
    assert airspace["name"].tolist() == ["Good"]
    assert report.first_rejected_lines == BROKEN_REASONS
    assert report.rejected == {reason: len(lines) for reason, lines in BROKEN_REASONS.items()}
    assert (report.blocks_read, report.blocks_accepted, report.blocks_rejected) == (9, 1, 8)
    text = str(report)
    assert "rejected 2: bad limit (line 21, 25)" in text
    assert (
        "line 34: fewer than 3 points: 2 distinct point(s) in the airspace at lines 34-39" in text
    )
    assert "line 14: repeated record: a second AN (first at line 11" in text


def test_strict_raises_at_the_first_broken_block(tmp_path):
    with pytest.raises(
        ValueError, match=r"airspace.txt: line 1: no AC before this record: AN Orphan"
    ):
        _read(tmp_path, BROKEN, strict=True)
    with pytest.raises(ValueError, match=r"airspace.txt: line 6: bad limit: .*'FL 9 5 x'"):
        _read(
            tmp_path,
            "AC R\nAN A\nAL GND\nV X=59:00:00 N 024:00:00 E\nDC 1\nAH FL 9 5 x\n",
            strict=True,
        )


def test_floor_above_ceiling_is_a_bad_limit(tmp_path):
    _, report = _read(tmp_path, "AC R\nAN A\nAL FL100\nAH FL50\nV X=59:00:00 N 024:00:00 E\nDC 1\n")
    assert report.first_rejected_lines == {"bad limit": [3]}


@pytest.mark.parametrize(
    ("al", "ah", "rejected"),
    [
        ("FL100", "3000ft", True),  # 3048 m STD over 914.4 m MSL: above in any weather
        ("FL50", "1500 m", False),  # 1524 m STD, 1500 m MSL: which is higher depends on the day
        ("FL100", "3000ft AGL", False),  # a height over the ground compares with no altitude
    ],
)
def test_a_flight_level_floor_above_an_altitude_ceiling_rejects_the_block_alone(tmp_path, al, ah, rejected):
    circle = "V X=59:00:00 N 024:00:00 E\nDC 1\n"
    airspace, report = _read(tmp_path, f"AC R\nAN A\nAL {al}\nAH {ah}\n{circle}AC R\nAN B\nAL GND\nAH FL95\n{circle}")
    assert airspace["name"].tolist() == (["B"] if rejected else ["A", "B"])
    assert report.first_rejected_lines == ({"bad limit": [3]} if rejected else {})


def test_points_in_a_line_have_no_area(tmp_path):
    _, report = _read(
        tmp_path,
        HEAD + "DP 54:00:00 N 010:00:00 E\nDP 54:10:00 N 010:00:00 E\nDP 54:20:00 N 010:00:00 E\n",
    )
    assert report.first_rejected_lines == {"no area": [1]}


def test_circle_mixed_with_points_is_refused(tmp_path):
    _, report = _read(tmp_path, HEAD + f"DP {CENTRE_TEXT}\nV X={CENTRE_TEXT}\nDC 2\n")
    assert report.first_rejected_lines == {"bad arc or circle": [7]}


def test_all_blocks_broken_gives_an_empty_valid_table(tmp_path):
    airspace, report = _read(tmp_path, "AC R\nAN A\nAL GND\nAH FL95\nDP 54:00:00 N 010:00:00 E\n")
    assert len(airspace) == 0 and airspace.crs == "EPSG:4326"
    assert {"airspace_id", "floor_m", "valid_from", "geometry"} <= set(airspace.columns)
    assert report.rejected == {"fewer than 3 points": 1}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\n  \n\t\n", "the file is empty"),
        (b"AC R\nAN x\x00\x01\x02", "line 2: binary data"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "line 2: binary data"),
        (
            b"track_id,time,lon,lat\nA,2025-01-01T00:00Z,1,2\n",
            "not an OpenAir airspace file: no AC",
        ),
        (b"AN Lonely\nAL GND\nDP 54:00:00 N 010:00:00 E\n", "not an OpenAir airspace file: no AC"),
    ],
)
def test_unusable_files_raise_naming_the_file(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=f"^{path}: {message}"):
        read_openair(path)


def test_missing_file(tmp_path):
    with pytest.raises(ValueError, match="nowhere.txt: no such file"):
        read_openair(tmp_path / "nowhere.txt")


def test_latin1_file_is_read_with_a_note(tmp_path):
    path = _write(
        tmp_path,
        f"AC R\nAN Zürich Süd\nAL GND\nAH FL95\nV X={CENTRE_TEXT}\nDC 1\n",
        encoding="latin-1",
    )
    airspace, report = read_openair(path)
    assert airspace["name"].tolist() == ["Zürich Süd"]
    assert report.encoding == "latin-1"
    assert any("read as latin-1" in note and "line 2" in note for note in report.notes)


def test_utf8_with_bom_and_crlf(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(
        f"\ufeffAC R\r\nAN Tõnu\r\nAL GND\r\nAH FL95\r\nV X={CENTRE_TEXT}\r\nDC 1\r\n".encode()
    )
    airspace, report = read_openair(path)
    assert airspace["name"].tolist() == ["Tõnu"] and report.encoding == "utf-8"


def test_byte_order_mark_before_latin1_text(tmp_path):
    """A UTF-8 byte-order mark on a file whose text is Latin-1 (two files joined, an editor's guess)."""
    path = tmp_path / "joined.txt"
    path.write_bytes(b"\xef\xbb\xbf" + f"AC R\r\nAN Zürich Süd\r\nAL GND\r\nAH FL95\r\nV X={CENTRE_TEXT}\r\nDC 1\r\n"
                     .encode("latin-1"))
    airspace, report = read_openair(path)
    assert airspace["name"].tolist() == ["Zürich Süd"]
    assert report.encoding == "latin-1"
    assert any(f"byte 0x{'ü'.encode('latin-1')[0]:02x} on line 2" in note for note in report.notes), report.notes
    assert report.blocks_accepted == report.blocks_read == 1


def test_looks_like_openair():
    assert looks_like_openair("* header\n\nAC R\nAN x\n")
    assert looks_like_openair("  an Name\n")
    assert not looks_like_openair('{"type": "FeatureCollection"}')
    assert not looks_like_openair("ACCESS denied\n")


def test_repeated_ai_and_missing_name_are_noted(tmp_path):
    block = "AL GND\nAH FL95\nV X=59:00:00 N 024:00:00 E\nDC 1\n"
    airspace, report = _read(
        tmp_path, f"AC R\nAI X1\nAN A\n{block}AC R\nAI X1\nAN B\n{block}AC Q\n{block}"
    )
    assert airspace["airspace_id"].tolist() == ["X1", "X1-2", "airspace"]
    assert airspace["name"].tolist() == ["A", "B", "airspace"]
    assert any("AI given to several airspaces" in note and "X1" in note for note in report.notes)
    assert any("without AN at line 15" in note for note in report.notes)


# --- OpenAir v2 and the repairs real files need ------------------------------

REPAIRED = """\
*VERSION: 2.0
*WRITTEN_BY: hand
AC
AY TRA
AN Empty class
AF 123.300
AG Nordholz Radar
AX 7000
al FL95 or 1000ft AGL
ah FL130 but min 1000ft GND
VX=59:00:00 N 024:00:00 E
VD=-
DA 5, 0, 90
DP 59:00:00 N 024:00:60 E
AC R
AN No window at all
AL GND
AH FL95
AA NONE/NONE
DP 59:00:00 N 024:00:00 E
DP 59:10:00 N 024:00:00 E
DP 59:10:00 N 024:10:00 E
AC Q
AN Odd code
AL GND
AH 3000ft
AX 7891
TO terrain
TC terrain
DP 59:00:00 N 024:00:00 E
DP 59:10:00 N 024:00:00 E
DP 59:10:00 N 024:10:00 E
"""


def test_v2_records_header_and_repairs_are_read_and_counted(tmp_path):
    airspace, report = _read(tmp_path, REPAIRED)
    assert (report.version, report.written_by) == ("2.0", "hand")
    assert (report.blocks_read, report.blocks_accepted, report.blocks_skipped) == (3, 2, 1)
    assert report.skipped == {"never active (AA NONE)": 1}
    assert report.repaired == {
        "lower case": 2, "V no space": 2, "AC empty": 1, "two limits": 2, "sixty": 1, "AA NONE/NONE": 1, "AX": 1,
    }
    assert report.first_repaired_lines == {
        "lower case": [9, 10], "V no space": [11, 12], "AC empty": [3], "two limits": [9, 10], "sixty": [14],
        "AA NONE/NONE": [19], "AX": [27],
    }
    assert any(note.startswith("seconds or minutes of 60") and note.endswith("1 (line 14)") for note in report.notes)
    assert any("TC 1, TO 1" in note for note in report.notes)
    empty, odd = airspace.iloc[0], airspace.iloc[1]
    # AC without a class: unclassified, its kind from AY, AY kept apart from AC.
    assert (empty.openair_class, empty.openair_type, empty.kind) == ("", "TRA", "tra")
    assert (empty.frequency, empty.station, empty.transponder_code) == ("123.300", "Nordholz Radar", "7000")
    # The higher of the two, with the ground at sea level: FL95 over 1000 ft, FL130 over 1000 ft.
    assert (empty.floor_m, empty.floor_ref) == (pytest.approx(9500 * FT), "STD")
    assert (empty.ceiling_m, empty.ceiling_ref) == (pytest.approx(13000 * FT), "STD")
    # VD=- drew the arc anticlockwise from 0 to 90 degrees: the long way round, through south.
    azimuth, distance = _from_centre(empty.geometry)
    assert np.any((azimuth > 170) & (azimuth < 190))
    # 024:00:60 is 024:01:00.
    vertices = np.asarray(empty.geometry.exterior.coords)
    assert np.abs(vertices - [24 + 1 / 60, 59.0]).sum(axis=1).min() < 1e-12
    assert (odd.transponder_code, odd.kind, odd.openair_type) == ("7891", "danger", "")


def test_two_limits_that_do_not_read_are_a_bad_limit(tmp_path):
    _, report = _read(tmp_path, "AC R\nAN X\nAL FL95 or sometimes\nAH FL130\nV X=59:00:00 N 024:00:00 E\nDC 1\n")
    assert report.rejected == {"bad limit": 1} and report.first_rejected_lines == {"bad limit": [3]}
    assert report.repaired == {}


def test_radio_columns_round_trip_through_files_and_the_airspace_command(tmp_path):
    from airspace import read, write
    from tests.cli_runs import run

    source = tmp_path / "zones.txt"
    source.write_text(
        "AC D\nAY CTR\nAN CTR Kiel\nAF 119.900\nAG Kiel Tower\nAX 7000\nAL GND\nAH 2500ft\n"
        "V X=54:22:00 N 010:08:00 E\nDC 5\n"
        "AC R\nAN ED-R1\nAL GND\nAH FL95\nV X=54:00:00 N 010:00:00 E\nDC 2\n"
    )
    table, _ = read(source)
    assert table["frequency"].tolist()[0] == "119.900" and pd.isna(table["frequency"].iloc[1])
    for ending in ("geojson", "gpkg", "parquet"):
        back, _ = read(write(table, tmp_path / f"zones.{ending}"))
        pd.testing.assert_frame_equal(back, table)
    result = run("airspace", "--file", source, "--out", tmp_path / "cli.gpkg")
    assert result.exit_code == 0, result.stderr
    back, _ = read(tmp_path / "cli.gpkg")
    assert back[["openair_type", "frequency", "station", "transponder_code"]].iloc[0].tolist() == [
        "CTR", "119.900", "Kiel Tower", "7000",
    ]


def test_limits_with_stray_units_ar_frequency_and_aa_none_among_others(tmp_path):
    box = "DP 59:00:00 N 024:00:00 E\nDP 59:10:00 N 024:00:00 E\nDP 59:10:00 N 024:10:00 E\n"
    airspace, report = _read(
        tmp_path,
        f"AC C\nAN Units\nAR 130.125 MHz\nAL 2900AMSL FT\nAH UNL FT\n{box}"
        f"AC R\nAN Overridden\nAL GND\nAH FL95\nAA 2025-09-19T06:00Z/2025-09-19T09:00Z\nAA NONE\n{box}"
        f"AC Q\nAN Notam limits\nAL SFC\nAH NOTAM\n{box}",
    )
    row = airspace.iloc[0]
    assert (row.floor_m, row.floor_ref, row.ceiling_m) == (pytest.approx(2900 * FT), "MSL", math.inf)
    assert row.frequency == "130.125 MHz"
    assert report.repaired == {"unit last": 1, "UNL unit": 1, "AA NONE and others": 1}
    assert report.first_repaired_lines == {"unit last": [4], "UNL unit": [5], "AA NONE and others": [9]}
    assert report.skipped == {"never active (AA NONE)": 1}
    assert report.rejected == {"bad limit": 1} and report.first_rejected_lines == {"bad limit": [21]}
