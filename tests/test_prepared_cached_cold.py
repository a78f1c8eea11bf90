"""Events against the 46 European states are the same whether the airspace is cold, cached or prepared.

Cold: every part is projected and its grid built in the call (and stored in
the disk cache). Cached: a later call loads the parts from that cache.
Prepared: ``prepare_airspace`` once, then the call. The three must agree to
1 microsecond and 1 metre, on great-circle flights across many borders.
"""

import numpy as np
import pandas as pd
import pyproj
import pytest

import airspace
from detect import find_violations, prepare_airspace
from detect.part_cache import cache_root
from detect.recent import forget_recent
from tracks import make_tracks

EU46 = ("ALB AND AUT BEL BGR BIH BLR CHE CYP CZE DEU DNK ESP EST FIN FRA GBR GRC HRV HUN IRL ISL ITA LIE LTU "
        "LUX LVA MCO MDA MKD MLT MNE NLD NOR POL PRT ROU RUS SMR SRB SVK SVN SWE TUR UKR VAT").split()
#: (from lon, lat) -> (to lon, lat): Lisbon-Helsinki, Dublin-Istanbul, Oslo-Rome, Madrid-Moscow, Athens-Reykjavik
ROUTES = [((-9.14, 38.72), (24.94, 60.17)), ((-6.26, 53.35), (28.98, 41.01)), ((10.75, 59.91), (12.50, 41.90)),
          ((-3.70, 40.42), (37.62, 55.75)), ((23.73, 37.98), (-21.94, 64.15))]
GEOD = pyproj.Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def europe(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AIRWARDEN_CACHE_DIR", str(tmp_path_factory.mktemp("airwarden-cache")))
        yield airspace.national(EU46)


def _flights():
    parts = []
    for k, ((lon0, lat0), (lon1, lat1)) in enumerate(ROUTES):
        n = int(GEOD.inv(lon0, lat0, lon1, lat1)[2] // 7_500) + 2  # a fix every 30 s at 250 m/s
        points = np.array([(lon0, lat0)] + GEOD.npts(lon0, lat0, lon1, lat1, n - 2) + [(lon1, lat1)])
        time = pd.Timestamp("2025-09-19 06:00", tz="UTC") + pd.to_timedelta(np.arange(n) * 30, unit="s")
        parts.append(make_tracks(f"F{k}", time, lon=points[:, 0], lat=points[:, 1], alt_baro_m=11_000.0))
    return pd.concat(parts, ignore_index=True)


def _assert_same(a, b):
    assert len(a) == len(b)
    assert list(a["airspace_id"]) == list(b["airspace_id"])
    for column in ("entry_time", "exit_time", "deepest_time"):
        assert (a[column] - b[column]).abs().max() <= pd.Timedelta(microseconds=1), column
    assert np.abs(a["max_depth_m"] - b["max_depth_m"]).max() <= 1.0
    for column in ("entry_lon", "entry_lat", "exit_lon", "exit_lat", "deepest_lon", "deepest_lat"):
        assert np.abs(a[column] - b[column]).max() <= 1e-5, column  # about 1 m


def test_cold_cached_and_prepared_give_the_same_events(europe, monkeypatch, tmp_path):
    monkeypatch.setenv("AIRWARDEN_CACHE_DIR", str(tmp_path))
    flights = _flights()
    assert not cache_root().exists()
    cold = find_violations(flights, europe)
    stored = list(cache_root().iterdir())
    assert stored, "the cold call stored no prepared part"
    monkeypatch.setattr("detect.volumes.build_grid", lambda polygon: pytest.fail("a part was built, not loaded"))
    forget_recent()  # loaded from the disk cache, not the one this process kept
    cached = find_violations(flights, europe)
    monkeypatch.undo()
    monkeypatch.setenv("AIRWARDEN_CACHE_DIR", str(tmp_path / "empty"))  # prepared in memory, not loaded
    prepared = find_violations(flights, prepare_airspace(europe))
    assert len(cold) >= 2 * len(ROUTES)  # every flight crosses borders
    assert set(cold["country"]) >= {"PRT", "ESP", "FRA", "DEU", "FIN", "RUS", "TUR", "ISL"}
    _assert_same(cold, cached)
    _assert_same(cold, prepared)
