"""Every state at once: ``national("all")``, ``--against all``, and the EU and NATO shorthands.

The whole world is built once for this module, in a cache of its own, by the
first command of the module (``airwarden airspace all``), whose messages say
what is being built; every other test reads it from that cache.
"""

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from shapely import Point

import borders
from airspace.national_airspace import national
from airspace.table import validate_airspace
from detect.cli.group import main
from detect.events_io import read_events

PARIS = Point(2.35, 48.86)
SAINT_DENIS_REUNION = Point(55.45, -20.88)
MARIEHAMN = Point(19.94, 60.10)

# Known members, written out here independently of borders.regions (reviewed 2026-12).
EU_MEMBERS = {
    "AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GRC", "HRV", "HUN",
    "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "SWE",
}  # fmt: skip
NATO_MEMBERS = {
    "ALB", "BEL", "BGR", "CAN", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GBR", "GRC", "HRV",
    "HUN", "ISL", "ITA", "LTU", "LUX", "LVA", "MKD", "MNE", "NLD", "NOR", "POL", "PRT", "ROU", "SVK",
    "SVN", "SWE", "TUR", "USA",
}  # fmt: skip


def run(*args):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr, result.stderr
    return result


@pytest.fixture(scope="module", autouse=True)
def world(tmp_path_factory):
    """The whole world built once into this module's cache, by ``airwarden airspace all``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AIRWARDEN_CACHE_DIR", str(tmp_path_factory.mktemp("world-cache")))
        out = tmp_path_factory.mktemp("world") / "world.parquet"
        result = run("airspace", "all", "--out", str(out))
        yield result, out


def states():
    """The alpha-3 codes of every state that is not a dependency, from the countries table."""
    table = borders.countries()
    return list(table.loc[~table["is_dependency"], "iso_a3"])


@pytest.fixture
def border_tracks(tmp_path):
    """A track flown north along 25.5° E from inside Latvia to inside Estonia, one fix a minute."""
    times = pd.date_range("2025-09-19T09:00:00Z", periods=15, freq="60s")
    tracks = pd.DataFrame(
        {
            "track_id": "BORDER1",
            "time": times.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "lon": 25.5,
            "lat": np.linspace(57.5, 58.2, len(times)),
            "alt_baro_m": 9000.0,
            "alt_geo_m": 9100.0,
        }
    )
    path = tmp_path / "border.csv"
    tracks.to_csv(path, index=False)
    return path


# --- national("all") ------------------------------------------------------------


def test_the_first_build_of_the_world_says_what_it_builds(world):
    result, out = world
    assert result.exit_code == 0, result.stderr
    assert "building sovereign airspace of 248 territories" in result.stderr
    assert "built sovereign airspace of 248 territories" in result.stderr
    assert f"national airspace of {len(states())} states and territories" in result.stderr
    assert borders.ATTRIBUTION in result.stderr
    assert len(gpd.read_parquet(out)) == len(states())


def test_all_is_one_row_per_state():
    table = validate_airspace(national("all"), source="all")
    expected = states()
    assert len(expected) == 199  # 249 ISO codes, 51 of them dependencies, and Kosovo
    assert len(table) == len(expected)
    assert sorted(table["airspace_id"]) == sorted(f"national-{code}" for code in expected)
    assert (table["airspace_id"] == "national-" + table["country"]).all()
    assert {"national-FRA", "national-USA", "national-RUS", "national-FJI"} <= set(table["airspace_id"])
    assert set(table["kind"]) == {"national"}
    france = table.set_index("country").geometry["FRA"]
    assert france.contains(PARIS) and france.contains(SAINT_DENIS_REUNION)  # with its dependencies


@pytest.mark.parametrize("codes", ["ALL", "All", " all ", ["all"]])
def test_all_in_any_case(codes):
    assert national(codes)["airspace_id"].tolist() == national("all")["airspace_id"].tolist()


def test_all_without_dependencies_is_every_territory_by_itself():
    table = national("all", dependencies=False).set_index("airspace_id")
    countries = borders.countries()
    with_airspace = countries[countries["time_zones"] != ""]
    assert len(table) == len(with_airspace) == 248  # all but Bouvet Island and Heard Island, and Kosovo
    assert sorted(table.index) == sorted("national-" + with_airspace["iso_a3"])
    assert table.at["national-ALA", "country"] == "FIN"
    assert table.at["national-REU", "country"] == "FRA"
    assert table.geometry["national-ALA"].contains(MARIEHAMN)
    assert not table.geometry["national-FIN"].contains(MARIEHAMN)


def test_all_with_other_codes_is_refused():
    with pytest.raises(ValueError, match="give it alone"):
        national("all,EST")


# --- region shorthands ------------------------------------------------------------


@pytest.mark.parametrize("codes", ["EU", "eu", ["EU"]])
def test_eu_is_its_27_member_states(codes):
    table = national(codes)
    assert len(table) == 27
    assert set(table["country"]) == EU_MEMBERS
    assert {"DEU", "FRA", "POL", "EST", "IRL", "CYP"} <= set(table["country"])
    assert "NOR" not in set(table["country"]) and "GBR" not in set(table["country"])


def test_a_shorthand_mixes_with_codes_in_place_without_repeats():
    assert national("EU,NOR")["country"].tolist() == sorted(EU_MEMBERS) + ["NOR"]
    assert national(["NOR", "EU", "EST"])["country"].tolist() == ["NOR"] + sorted(EU_MEMBERS)


def test_nato_is_its_32_member_states():
    table = national("NATO")
    assert len(table) == 32
    assert set(table["country"]) == NATO_MEMBERS
    assert {"USA", "CAN", "TUR", "FIN", "SWE", "GBR", "NOR"} <= set(table["country"])
    assert not {"AUT", "IRL", "CHE", "UKR"} & set(table["country"])


def test_the_shorthands_are_dated_states_and_hide_no_country():
    assert borders.REGIONS_REVIEWED == "2026-12"
    assert set(borders.REGIONS) == {"EU", "NATO"}
    countries = borders.countries().set_index("iso_a3")
    for name, members in borders.REGIONS.items():
        assert len(members) == len(set(members))
        assert not countries.loc[list(members), "is_dependency"].any()
        for spelling in (name, name.lower()):
            with pytest.raises(ValueError, match="unknown country"):
                borders.lookup(spelling)  # "EU" is no ISO 3166-1 country code here
    with pytest.raises(ValueError, match="unknown country"):
        borders.lookup("all")


# --- the command line ----------------------------------------------------------------


def check_border_events(events):
    """A flight from Latvia into Estonia: one stay in each, the second entered where the first ends."""
    assert events["country"].tolist() == ["LVA", "EST"]
    assert events["airspace_id"].tolist() == ["national-LVA", "national-EST"]
    latvia, estonia = events.iloc[0], events.iloc[1]
    assert (latvia["entry_face"], latvia["exit_face"]) == ("start", "lateral")
    assert (estonia["entry_face"], estonia["exit_face"]) == ("lateral", "end")
    crossing = abs(pd.Timestamp(estonia["entry_time"]) - pd.Timestamp(latvia["exit_time"]))
    assert crossing < pd.Timedelta(seconds=5)
    assert 57.5 < latvia["exit_lat"] < 58.2


def test_detect_against_all_logs_a_stay_in_each_state(border_tracks):
    result = run("detect", str(border_tracks), "--against", "all")
    assert result.exit_code == 0, result.stderr
    assert borders.ATTRIBUTION in result.stderr
    check_border_events(pd.read_csv(io.StringIO(result.stdout)))


def test_replay_against_all_logs_a_stay_in_each_state(border_tracks, tmp_path):
    out = tmp_path / "crossings.csv"
    result = run("replay", str(border_tracks), "--against", "ALL", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert borders.ATTRIBUTION in result.stderr
    check_border_events(read_events(out))


def test_detect_against_a_shorthand_and_a_code(border_tracks):
    result = run("detect", str(border_tracks), "--against", "EU,NOR")
    assert result.exit_code == 0, result.stderr
    assert "Sweden, Norway" in result.stderr  # the 28 states are listed
    check_border_events(pd.read_csv(io.StringIO(result.stdout)))


def test_airspace_export_of_every_territory(tmp_path):
    out = tmp_path / "territories.gpkg"
    result = run("airspace", "all", "--no-dependencies", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert "building" not in result.stderr  # from the cache built by the first command
    table = gpd.read_file(out)
    # 249 ISO codes and Kosovo, less Bouvet Island and Heard Island
    assert len(table) == 248 and "national-ALA" in set(table["airspace_id"])


@pytest.mark.parametrize("command", ["detect", "replay", "airspace"])
def test_help_tells_of_all_and_the_shorthands_with_the_attribution(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "EU or NATO" in text and "all" in text
    assert "© OpenStreetMap contributors, ODbL 1.0" in text
