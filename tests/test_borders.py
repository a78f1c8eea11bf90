"""borders: countries, sovereign airspace against known real facts, land, the cache."""

import logging
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import pytest
import shapely
from shapely import Point

import borders
import borders.sources
from borders.natural_earth import NATURAL_EARTH_ZIP
from borders.timezones import dissolve, finder, zone_polygons

NM_M = 1852.0
VAINDLOO = Point(26.362, 59.814)
MARIEHAMN = Point(19.94, 60.10)
GEOD = pyproj.Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """A cache directory of this module's own, set in AIRWARDEN_CACHE_DIR."""
    with pytest.MonkeyPatch.context() as patch:
        directory = tmp_path_factory.mktemp("cache")
        patch.setenv("AIRWARDEN_CACHE_DIR", str(directory))
        yield directory


@pytest.fixture(scope="module")
def states(cache):
    """Airspace of the Baltic states these tests need, by alpha-3 code."""
    table = borders.sovereign_airspace(
        ["EST", "FIN", "RUS", "DNK", "POL", "FJI", "USA"], dependencies=False
    )
    return table.set_index("iso_a3").geometry


# --- countries and lookup -----------------------------------------------------


def test_countries_table_has_every_iso_code_once():
    table = borders.countries()
    assert list(table.columns) == list(borders.COUNTRY_COLUMNS)
    assert len(table) == 250  # ISO 3166-1 has 249 officially assigned codes; and Kosovo, XK
    assert table["iso_a2"].is_unique and table["iso_a3"].is_unique
    assert table["iso_a2"].str.fullmatch(r"[A-Z]{2}").all()
    assert table["iso_a3"].str.fullmatch(r"[A-Z]{3}").all()
    sovereigns = set(table.loc[~table["is_dependency"], "iso_a3"])
    assert set(table["sovereign_iso_a3"]) <= sovereigns


@pytest.mark.parametrize(
    ("text", "iso_a3"),
    [
        ("EE", "EST"),
        ("ee", "EST"),
        ("EST", "EST"),
        ("est", "EST"),
        ("Estonia", "EST"),
        ("  ESTONIA ", "EST"),
        ("FI", "FIN"),
        ("Finland", "FIN"),
        ("Poland", "POL"),
        ("RU", "RUS"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("Czechia", "CZE"),
        ("Czech Republic", "CZE"),
        ("South Korea", "KOR"),
        ("Korea (South)", "KOR"),
        ("United Kingdom", "GBR"),
        ("UK", "GBR"),
        ("Åland", "ALA"),
        ("aland islands", "ALA"),
        ("Côte d'Ivoire", "CIV"),
        ("Ivory Coast", "CIV"),
        ("Svalbard & Jan Mayen", "SJM"),
        ("Réunion", "REU"),
    ],
)
def test_lookup_by_alpha2_alpha3_and_english_name(text, iso_a3):
    assert borders.lookup(text)["iso_a3"] == iso_a3


def test_lookup_row_names_the_sovereign_of_a_dependency():
    aland = borders.lookup("AX")
    assert (aland["iso_a2"], aland["iso_a3"], aland["sovereign_iso_a3"]) == ("AX", "ALA", "FIN")
    assert aland["is_dependency"]
    finland = borders.lookup("FIN")
    assert finland["sovereign_iso_a3"] == "FIN" and not finland["is_dependency"]


@pytest.mark.parametrize(
    ("text", "suggested"),
    [("ESTT", "EST"), ("Estnia", "EST"), ("Finnland", "FIN"), ("Polnd", "POL")],
)
def test_unknown_country_suggests_the_nearest(text, suggested):
    with pytest.raises(
        ValueError, match=rf"unknown country '{text}'.*did you mean .*{suggested} \("
    ):
        borders.lookup(text)


def test_unknown_country_with_nothing_near_points_to_the_list():
    listed = r"the list of codes and names: borders.countries\(\), or `airwarden countries`"
    with pytest.raises(ValueError, match=r"unknown country 'QQ': " + listed):
        borders.lookup("QQ")


def test_parse_codes_accepts_one_several_and_comma_separated():
    assert borders.parse_codes("EST") == ["EST"]
    assert borders.parse_codes(["EST", "fi"]) == ["EST", "FIN"]
    assert borders.parse_codes("EST, FIN,EE") == ["EST", "FIN"]
    with pytest.raises(ValueError, match="no country given"):
        borders.parse_codes(" , ")


def test_dependencies_agree_with_natural_earth_sovereignty():
    """Natural Earth groups units by sovereign (SOV_A3); ours must agree but for Palestine."""
    units = pyogrio.read_dataframe(
        f"/vsizip/{NATURAL_EARTH_ZIP}", columns=["ISO_A2_EH", "SOV_A3"], read_geometry=False
    )
    units = (
        units[units["ISO_A2_EH"] != "-99"]
        .drop_duplicates("ISO_A2_EH")
        .set_index("ISO_A2_EH")["SOV_A3"]
    )
    table = borders.countries().set_index("iso_a2")
    table = table[table.index.isin(units.index)]
    pairs = pd.DataFrame({"ours": table["sovereign_iso_a3"], "natural_earth": units[table.index]})
    ours_per_theirs = pairs.groupby("natural_earth")["ours"].nunique()
    theirs_per_ours = pairs.groupby("ours")["natural_earth"].nunique()
    assert (theirs_per_ours == 1).all()  # no state of ours spans two Natural Earth sovereigns
    # Natural Earth puts Palestine under Israel (IS1); here it is its own, see SPECIAL_STATUS
    assert ours_per_theirs[ours_per_theirs > 1].index.tolist() == ["IS1"]
    assert sorted(pairs.loc[pairs["natural_earth"] == "IS1", "ours"]) == ["ISR", "PSE"]
    assert len(pairs) > 230


# --- sovereign airspace: real facts -------------------------------------------


def test_vaindloo_island_is_inside_estonia(states):
    assert states["EST"].contains(VAINDLOO)
    assert not states["FIN"].contains(VAINDLOO)


def test_gulf_of_finland_corridor_is_in_neither_state(states):
    """Both states claim only to 3 NM from the median line, leaving 6 NM of high seas."""
    lats = np.arange(59.6, 60.1, 0.0005)
    lons = np.full(lats.shape, 25.5)
    in_estonia = shapely.contains_xy(states["EST"], lons, lats)
    in_finland = shapely.contains_xy(states["FIN"], lons, lats)
    open_sea = lats[~in_estonia & ~in_finland]
    assert not (in_estonia & in_finland).any()
    estonia_edge, finland_edge = lats[in_estonia].max(), lats[in_finland].min()
    assert open_sea.min() > estonia_edge and open_sea.max() < finland_edge  # one gap between them
    _, _, width_m = GEOD.inv(25.5, estonia_edge, 25.5, finland_edge)
    assert 5.5 * NM_M < width_m < 7.0 * NM_M
    middle = Point(25.5, 59.875)
    assert not states["EST"].contains(middle) and not states["FIN"].contains(middle)


def test_kaliningrad_is_russian(states):
    kaliningrad = Point(20.51, 54.71)
    assert states["RUS"].contains(kaliningrad)
    assert not states["POL"].contains(kaliningrad)


def test_bornholm_is_danish(states):
    assert states["DNK"].contains(Point(14.92, 55.12))  # Aakirkeby, Bornholm


def test_hel_peninsula_is_polish(states):
    assert states["POL"].contains(Point(18.80, 54.605))  # Hel
    assert states["POL"].contains(Point(18.68, 54.683))  # Jurata, mid-peninsula


def test_a_disputed_area_is_in_both_claimants(cache):
    """Germany and the Netherlands both claim the Ems estuary."""
    both = borders.sovereign_airspace(["DEU", "NLD"], dependencies=False).geometry
    ems_estuary = Point(6.9, 53.40)
    assert both.contains(ems_estuary).all()
    assert not both.contains(Point(8.5, 54.9)).all()  # Sylt: German only


def test_kosovo_by_its_user_assigned_codes_is_in_its_own_and_serbias_airspace(cache):
    """Kosovo (XK, XKX, not in ISO 3166-1) is listed; its air is its own and, as Serbia claims it, Serbia's."""
    kosovo = borders.lookup("Kosovo")
    assert (kosovo["iso_a2"], kosovo.name, kosovo["sovereign_iso_a3"]) == ("XK", "XKX", "XKX")
    assert not kosovo["is_dependency"] and "claimed by Serbia" in kosovo["relation"]
    assert borders.lookup("xk").name == borders.lookup("Republic of Kosovo").name == "XKX"
    assert "XKX" in borders.parse_codes("all")
    both = borders.sovereign_airspace(["XKX", "SRB"]).set_index("iso_a3").geometry
    pristina, prizren = Point(21.166, 42.667), Point(20.74, 42.21)
    belgrade, skopje = Point(20.46, 44.81), Point(21.43, 42.0)
    assert both["XKX"].contains(pristina) and both["XKX"].contains(prizren)
    assert both["SRB"].contains(pristina)
    assert not both["XKX"].contains(belgrade) and not both["XKX"].contains(skopje)
    area_m2 = abs(GEOD.geometry_area_perimeter(both["XKX"])[0])
    assert 10_500e6 < area_m2 < 11_300e6  # 10,887 km² by Kosovo's own statistics


def test_crimea_is_ukraines_as_the_un_recognises(states):
    ukraine = borders.sovereign_airspace("UKR").geometry.iloc[0]
    simferopol = Point(34.10, 44.95)
    assert ukraine.contains(simferopol) and not states["RUS"].contains(simferopol)


def _coast_distance_m(lon, lat, coast_lon, coast_lat):
    """Geodesic distance from (lon, lat) to the nearest of the coastline points."""
    n_points = len(coast_lon)
    _, _, distance_m = GEOD.inv(
        np.full(n_points, lon), np.full(n_points, lat), coast_lon, coast_lat
    )
    return distance_m.min()


def _point_off_coast(distance_m, lon, coast_lon, coast_lat):
    """The point due north of the coast at `lon` that is `distance_m` from the coastline."""
    low, high = 54.75, 55.3
    for _ in range(40):
        middle = (low + high) / 2
        if _coast_distance_m(lon, middle, coast_lon, coast_lat) < distance_m:
            low = middle
        else:
            high = middle
    return Point(lon, low)


def test_territorial_sea_off_a_straight_polish_coast_is_12_nm(states):
    """Off the straight coast between Ustka and Łeba: 20 km out is Polish, 26 km is not."""
    world = borders.land()
    poland_land = world.loc[world["iso_a3"] == "POL", "geometry"].iloc[0]
    coast = shapely.segmentize(
        shapely.clip_by_rect(poland_land.boundary, 16.6, 54.4, 17.8, 55.0), 0.0005
    )
    coast_lon, coast_lat = shapely.get_coordinates(coast).T
    near = _point_off_coast(20_000, 17.2, coast_lon, coast_lat)
    far = _point_off_coast(26_000, 17.2, coast_lon, coast_lat)
    assert _coast_distance_m(near.x, near.y, coast_lon, coast_lat) == pytest.approx(20_000, abs=5)
    assert states["POL"].contains(near)
    assert not states["POL"].contains(far)


def test_aland_is_finlands_with_dependencies_only(cache):
    with_aland = borders.sovereign_airspace("FIN").geometry.iloc[0]
    without = borders.sovereign_airspace("FIN", dependencies=False).geometry.iloc[0]
    assert with_aland.contains(MARIEHAMN) and not without.contains(MARIEHAMN)
    aland = borders.sovereign_airspace("AX")
    assert aland[["iso_a3", "sovereign_iso_a3"]].iloc[0].tolist() == ["ALA", "FIN"]
    assert aland.geometry.iloc[0].contains(MARIEHAMN)
    assert with_aland.is_valid and with_aland.covers(aland.geometry.iloc[0])


@pytest.mark.parametrize(
    ("iso_a3", "west", "east"),
    [
        ("RUS", Point(179.0, 66.0), Point(-179.0, 66.0)),  # Chukotka either side of 180
        ("RUS", Point(179.0, 66.0), Point(-175.0, 66.0)),
        ("FJI", Point(178.44, -18.14), Point(-178.81, -18.24)),  # Suva; Lakeba, Lau group
        ("USA", Point(173.2, 52.9), Point(-176.64, 51.88)),  # Attu; Adak, Aleutians
    ],
)
def test_antimeridian_states_have_valid_geometry_on_both_sides(states, iso_a3, west, east):
    geometry = states[iso_a3]
    assert geometry.is_valid
    assert geometry.contains(west) and geometry.contains(east)
    min_lon, _, max_lon, _ = geometry.bounds
    assert (min_lon, max_lon) == (-180.0, 180.0)


def test_sovereign_airspace_table(states):
    table = borders.sovereign_airspace("EST,FIN,EE")
    assert list(table.columns) == list(borders.SOVEREIGN_AIRSPACE_COLUMNS)
    assert table["iso_a3"].tolist() == ["EST", "FIN"]
    assert table["name"].tolist() == ["Estonia", "Finland"]
    assert table.crs.to_epsg() == 4326
    assert table.geometry.is_valid.all()
    assert set(table.geom_type) <= {"Polygon", "MultiPolygon"}


def test_territory_without_a_time_zone_is_refused(cache):
    with pytest.raises(ValueError, match=r"Bouvet Island \(BVT\) has no time zone"):
        borders.sovereign_airspace("BV")


# --- the polygons from timezonefinder -----------------------------------------


@pytest.mark.parametrize("zone", ["Asia/Dubai", "Pacific/Fiji", "Europe/Mariehamn"])
def test_zone_polygons_equal_timezonefinders_public_get_geometry(zone):
    """The fast array path must read exactly what get_geometry returns (holes included)."""
    expected = finder().get_geometry(tz_name=zone, coords_as_pairs=False)
    polygons = zone_polygons(zone)
    assert len(polygons) == len(expected)
    for polygon, rings in zip(polygons, expected):
        ours = [polygon.exterior, *polygon.interiors]
        assert len(ours) == len(rings)
        for ring, (lons, lats) in zip(ours, rings):
            coordinates = shapely.get_coordinates(ring)
            np.testing.assert_array_equal(coordinates[: len(lons)], np.column_stack([lons, lats]))


def test_unknown_zone_is_refused():
    with pytest.raises(ValueError, match="no time zone 'Europe/Atlantis'"):
        zone_polygons("Europe/Atlantis")


def test_dissolve_merges_neighbours_and_overlaps():
    neighbours = dissolve([shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)])
    assert neighbours.equals(shapely.box(0, 0, 2, 1))
    overlapping = dissolve([shapely.box(0, 0, 2, 1), shapely.box(1, 0, 3, 1)])
    assert overlapping.equals(shapely.box(0, 0, 3, 1))
    apart = dissolve([shapely.box(0, 0, 1, 1), shapely.box(5, 0, 6, 1)])
    assert apart.geom_type == "MultiPolygon" and apart.area == 2.0
    bow_tie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    assert dissolve([bow_tie]).is_valid and dissolve([bow_tie]).area == pytest.approx(0.5)


# --- land ---------------------------------------------------------------------


def test_land_table():
    world = borders.land()
    assert list(world.columns) == ["iso_a2", "iso_a3", "name", "geometry"]
    assert world.crs.to_epsg() == 4326 and world.geometry.is_valid.all()
    assert world.loc[world["iso_a3"] == "FIN", "name"].tolist() == ["Finland"]
    assert (world["iso_a3"] != "-99").all()


def test_over_land_is_vectorised_and_tells_land_from_sea():
    lon = np.array([[24.75, 24.75], [25.5, 14.92]])
    lat = np.array([[59.43, 59.70], [59.875, 55.12]])
    # Tallinn, the gulf north of it; the corridor in mid-gulf, Bornholm
    np.testing.assert_array_equal(borders.over_land(lon, lat), [[True, False], [False, True]])
    assert borders.over_land(21.01, 52.23).shape == ()
    assert borders.over_land(21.01, 52.23)  # Warsaw
    np.testing.assert_array_equal(borders.over_land([np.nan, 0.0], [0.0, 0.0]), [False, False])
    assert borders.over_land(-175.0, 66.0) and borders.over_land(179.5, 66.0)  # Chukotka
    assert borders.over_land([], []).shape == (0,)


def test_attribution_names_each_source_and_licence():
    text = borders.ATTRIBUTION
    for needed in (
        "OpenStreetMap contributors",
        "ODbL",
        "timezonefinder-data",
        "Natural Earth",
        "public domain",
    ):
        assert needed in text


# --- the cache ----------------------------------------------------------------


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("AIRWARDEN_CACHE_DIR", str(tmp_path))
    return tmp_path / "sovereign-airspace"


def _no_build(zone):
    raise AssertionError(f"rebuilt {zone} although it was cached")


def test_cache_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("AIRWARDEN_CACHE_DIR", str(tmp_path / "here"))
    assert borders.cache_dir() == tmp_path / "here"
    monkeypatch.delenv("AIRWARDEN_CACHE_DIR")
    assert borders.cache_dir().name == "airwarden"


def test_second_call_loads_from_the_cache(fresh_cache, monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="airwarden")
    first = borders.sovereign_airspace("EST")
    assert (fresh_cache / "EST.parquet").exists()
    assert re.search(
        r"building sovereign airspace of Estonia \(EST\) from timezonefinder-data \S+", caplog.text
    )
    assert re.search(r"built sovereign airspace of Estonia \(EST\) in \d+\.\d s", caplog.text)
    caplog.clear()
    monkeypatch.setattr("borders.sovereign.zone_polygons", _no_build)
    second = borders.sovereign_airspace("EST")
    assert caplog.text == ""
    assert second.geometry.iloc[0].equals_exact(first.geometry.iloc[0], tolerance=0)


def test_corrupt_cache_file_is_rebuilt_with_a_warning(fresh_cache, caplog):
    borders.sovereign_airspace("EST")
    (fresh_cache / "EST.parquet").write_bytes(b"PAR1 this is not parquet")
    caplog.set_level(logging.INFO, logger="airwarden")
    rebuilt = borders.sovereign_airspace("EST")
    assert rebuilt.geometry.iloc[0].contains(VAINDLOO)
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and "unreadable" in warnings[0].getMessage()
    caplog.clear()
    borders.sovereign_airspace("EST")  # the rebuilt file is good
    assert caplog.text == ""


def test_cache_file_of_another_build_is_rebuilt(fresh_cache, caplog, monkeypatch):
    borders.sovereign_airspace("EST")
    path = fresh_cache / "EST.parquet"
    stale = {"key": ["EST"], "build_stamp": ["airwarden-borders 0"]}
    gpd.GeoDataFrame(stale, geometry=[shapely.box(0, 0, 1, 1)], crs=4326).to_parquet(path)
    caplog.set_level(logging.INFO, logger="airwarden")
    assert borders.sovereign_airspace("EST").geometry.iloc[0].contains(VAINDLOO)
    assert "stale (built with airwarden-borders 0)" in caplog.text
    caplog.clear()
    monkeypatch.setattr(borders.sources, "timezone_data_version", lambda: "9.9.9")
    assert borders.sovereign_airspace("EST").geometry.iloc[0].contains(VAINDLOO)
    assert "stale" in caplog.text and "building" in caplog.text


def test_unwritable_cache_still_answers(tmp_path, monkeypatch, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("AIRWARDEN_CACHE_DIR", str(blocker))
    caplog.set_level(logging.INFO, logger="airwarden")
    assert borders.sovereign_airspace("EST").geometry.iloc[0].contains(VAINDLOO)
    assert "could not write the cache file" in caplog.text
