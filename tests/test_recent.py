"""An unprepared airspace is prepared once for repeated calls, and afresh when its content changes."""

import pandas as pd
import shapely

import detect.core
from airspace import make_airspace
from detect import find_violations, prepare_airspace
from detect.recent import forget_recent
from tracks import make_tracks


def _crossing():
    time = pd.to_datetime(["2025-09-19 09:00:00", "2025-09-19 09:01:00"], utc=True)
    return make_tracks("MIG1", time, lon=[23.9, 24.5], lat=[59.05, 59.05])


def test_same_table_prepared_once_and_changed_table_afresh(monkeypatch):
    forget_recent()
    calls = []

    def counted(airspace, crs=None):
        calls.append(crs)
        return prepare_airspace(airspace, crs)

    monkeypatch.setattr(detect.core, "prepare_airspace", counted)
    zone = make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), airspace_id="R1")
    first = find_violations(_crossing(), zone)
    again = find_violations(_crossing(), zone.copy())
    assert len(calls) == 1
    pd.testing.assert_frame_equal(first, again)
    find_violations(_crossing(), zone, crs="EPSG:3301")
    assert calls == [None, "EPSG:3301"]

    zone.loc[0, "geometry"] = shapely.box(24.0, 59.0, 24.4, 59.1)  # changed in place: twice as wide
    wider = find_violations(_crossing(), zone)
    assert len(calls) == 3
    # A crossing at constant speed spends time in proportion to width: 20 s, then 40 s.
    assert round(first["duration_s"].iloc[0]) == 20 and round(wider["duration_s"].iloc[0]) == 40
    pd.testing.assert_frame_equal(wider, find_violations(_crossing(), prepare_airspace(zone)))
