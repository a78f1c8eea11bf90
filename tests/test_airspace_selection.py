"""Volumes chosen by kind, OpenAir class and an altitude band: hand cases, and the band's crossings exactly."""

import math

import numpy as np
import pandas as pd
import pytest
import shapely

from airspace import make_airspace, read_openair, select_airspace
from detect import find_violations
from tracks import make_tracks

T0 = pd.Timestamp("2025-09-19T09:00:00Z")


def _openair_box(openair_class, name, low, high, lat_minutes):
    """An OpenAir block: a box from lon 24.0 to 24.2, `lat_minutes` north of 59 N and 6' high."""
    corners = [(lat_minutes, 0), (lat_minutes + 6, 0), (lat_minutes + 6, 12), (lat_minutes, 12)]
    points = "".join(f"DP 59:{lat:02d}:00 N 024:{lon:02d}:00 E\n" for lat, lon in corners)
    return f"AC {openair_class}\nAN {name}\nAL {low}\nAH {high}\n{points}"


#: Three volumes of an OpenAir file: a restricted area (GND-FL95), a danger area (1000-5000 ft MSL), a TMA
#: (1500 ft AGL-FL95), northwards from 59 N.
OPENAIR = (_openair_box("R", "EER1 Keila", "GND", "FL95", 0) + _openair_box("Q", "EED2 Paldiski", "1000ft MSL",
           "5000ft MSL", 10) + _openair_box("c", "TMA Tallinn", "1500ft AGL", "FL95", 20))


@pytest.fixture
def openair_zones(tmp_path):
    path = tmp_path / "estonia.txt"
    path.write_text(OPENAIR)
    return read_openair(path)[0]


def test_kinds_and_classes_keep_those_volumes_in_any_case(openair_zones):
    assert select_airspace(openair_zones, classes="r,Q")["name"].tolist() == ["EER1 Keila", "EED2 Paldiski"]
    assert select_airspace(openair_zones, classes=["C"])["name"].tolist() == ["TMA Tallinn"]
    kinds = dict(zip(openair_zones["name"], openair_zones["kind"]))
    chosen = select_airspace(openair_zones, kinds=kinds["EER1 Keila"].upper())
    assert chosen["name"].tolist() == [name for name, kind in kinds.items() if kind == kinds["EER1 Keila"]]
    both = select_airspace(openair_zones, kinds=sorted(set(kinds.values())), classes="Q")
    assert both["name"].tolist() == ["EED2 Paldiski"]


def test_unknown_kinds_and_classes_are_refused_naming_those_there_are(openair_zones):
    with pytest.raises(ValueError, match=r"class 'x': no volume has it; the classes here are c, q, r"):
        select_airspace(openair_zones, classes="R,X")
    with pytest.raises(ValueError, match="only OpenAir volumes have a class"):
        select_airspace(make_airspace(shapely.box(24, 59, 25, 60)), classes="R")


def test_the_band_replaces_lower_floors_and_higher_ceilings_of_its_reference(openair_zones):
    keila = select_airspace(openair_zones, classes="R", min_alt="FL50", max_alt="FL200")
    assert keila[["floor_ref", "ceiling_ref"]].values.tolist() == [["STD", "STD"]]
    np.testing.assert_allclose(keila[["floor_m", "ceiling_m"]].values, [[50 * 100 * 0.3048, 95 * 100 * 0.3048]])
    paldiski = select_airspace(openair_zones, classes="Q", min_alt="2000ft", max_alt="4000 ft MSL")
    assert paldiski[["floor_m", "ceiling_m"]].values.round(3).tolist() == [[609.6, 1219.2]]
    # 5000 ft MSL (1524 m) is below FL100 (3048 m) by more than any weather makes of it: no room, dropped.
    assert select_airspace(openair_zones, classes="Q", min_alt="FL100").empty
    # The band's FL300 is above the TMA's ceiling FL95, which stays; its floor above the ground is untouched.
    tma = select_airspace(openair_zones, classes="C", max_alt="FL300")
    assert tma[["floor_ref", "ceiling_ref"]].values.tolist() == [["AGL", "STD"]]
    np.testing.assert_allclose(tma[["floor_m", "ceiling_m"]].values.astype(float), [[457.2, 2895.6]])


@pytest.mark.parametrize("band, message", [
    ({"min_alt": "FL40"}, "EED2 Paldiski|eed2-paldiski"),  # FL40 (1219 m) vs 1000 ft MSL (305 m): the weather
    ({"min_alt": "500 m AGL", "classes": "Q"}, "depends on the ground"),
    ({"min_alt": "FL100", "max_alt": "FL50"}, "is below min_alt"),
    ({"max_alt": "high"}, "max_alt: cannot read the vertical limit"),
])
def test_bands_that_do_not_compare_are_refused(openair_zones, band, message):
    with pytest.raises(ValueError, match=message):
        select_airspace(openair_zones, **band)


def test_an_event_cut_by_the_band_enters_through_its_floor_and_leaves_through_its_ceiling():
    # Eastbound along lat 59.5 from lon 23.5 (09:00) to 25.5 (09:08), climbing from 0 to FL200 (6096 m)
    # steadily: FL100 at 09:04:00, FL140 (4267.2 m) at 09:05:36. Estonia's airspace is the box lon 24-25.
    seconds = np.arange(0, 481, 30)
    fixes = make_tracks("CLIMB", T0 + pd.to_timedelta(seconds, unit="s"), lon=23.5 + 2.0 * seconds / 480,
                        lat=np.full(len(seconds), 59.5), alt_baro_m=6096.0 * seconds / 480,
                        alt_geo_m=6096.0 * seconds / 480)
    estonia = make_airspace(shapely.box(24.0, 59.0, 25.0, 60.0), airspace_id="EE", country="EST", kind="national")
    whole = find_violations(fixes, estonia)
    assert whole[["entry_face", "exit_face"]].values.tolist() == [["lateral", "lateral"]]
    events = find_violations(fixes, select_airspace(estonia, min_alt="FL100", max_alt="FL140"))
    assert events[["entry_face", "exit_face"]].values.tolist() == [["floor", "ceiling"]]
    assert abs(events["entry_time"].iloc[0] - (T0 + pd.Timedelta(seconds=240))) < pd.Timedelta(microseconds=1)
    assert abs(events["exit_time"].iloc[0] - (T0 + pd.Timedelta(seconds=336))) < pd.Timedelta(microseconds=1)
    np.testing.assert_allclose(events[["min_alt_m", "max_alt_m"]].values, [[3048.0, 4267.2]], atol=1e-6)
    # A band wholly below the stay's altitudes leaves nothing; one that holds the stay leaves it whole.
    # (over Estonia from 09:02:00, at 1524 m, on)
    assert find_violations(fixes, select_airspace(estonia, max_alt="1500 m")).empty
    around = find_violations(fixes, select_airspace(estonia, min_alt="GND", max_alt="UNL"))
    pd.testing.assert_frame_equal(around, whole)
    assert math.isinf(select_airspace(estonia, min_alt="GND")["floor_m"].iloc[0])
