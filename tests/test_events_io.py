"""Events files: every format reads back to the same events table."""

import io
import json

import pandas as pd
import pytest
import shapely

from airspace import make_airspace
from detect import find_violations
from detect.events_io import event_record, read_events, write_events
from tracks import make_tracks

T0 = pd.Timestamp("2025-10-23T16:00:00.123456789Z")


@pytest.fixture
def events():
    zone = make_airspace(shapely.box(22.75, 54.6, 22.9, 54.7), airspace_id="LT1", country="LTU", kind="national")
    fixes = make_tracks("SU30", T0 + pd.to_timedelta([0, 7, 13, 21], unit="s"),
                        [22.70, 22.74, 22.77, 22.72], [54.65] * 4, alt_baro_m=[3000.0] * 4)
    found = find_violations(fixes, zone)
    assert len(found) == 1
    return found


@pytest.mark.parametrize("ending", [".csv", ".json", ".geojson", ".parquet"])
def test_every_format_reads_back_the_same_table(tmp_path, events, ending):
    path = write_events(events, tmp_path / f"events{ending}")
    back = read_events(path)
    pd.testing.assert_frame_equal(back, events, check_exact=False, rtol=1e-12)
    assert back["entry_time"].iloc[0] == events["entry_time"].iloc[0]  # to the nanosecond


def test_json_record_has_iso_times_and_no_nan(events):
    record = event_record(events.to_dict("records")[0])
    assert record["entry_time"].endswith("Z") and len(record["entry_time"]) == len("2025-10-23T16:00:00.123456789Z")
    json.dumps(record, allow_nan=False)


def test_unknown_ending_and_missing_columns_are_refused(tmp_path, events):
    with pytest.raises(ValueError, match="unknown events file ending"):
        write_events(events, tmp_path / "events.xlsx")
    bad = tmp_path / "bad.csv"
    bad.write_text("track_id,entry_time\nA,2025-01-01T00:00:00Z\n")
    with pytest.raises(ValueError, match="bad.csv: not an events table"):
        read_events(bad)
    with pytest.raises(ValueError, match="no such file"):
        read_events(tmp_path / "none.csv")


@pytest.mark.parametrize("ending", [".csv", ".json"])
def test_a_stream_holds_what_a_file_of_the_same_ending_holds(tmp_path, events, ending):
    stream = write_events(events, io.StringIO(), ending=ending)
    written = write_events(events, tmp_path / f"events{ending}")
    assert stream.getvalue() == written.read_text()


def test_a_stream_needs_a_text_ending(events):
    with pytest.raises(ValueError, match="a stream takes events as .csv or .json"):
        write_events(events, io.StringIO(), ending=".parquet")
    with pytest.raises(ValueError, match="not None"):
        write_events(events, io.StringIO())


@pytest.mark.parametrize("ending", [".csv", ".json", ".geojson", ".parquet"])
def test_times_in_another_zone_are_written_as_the_same_moments(tmp_path, events, ending):
    local = events.copy()
    for name in ("entry_time", "exit_time", "deepest_time"):
        local[name] = local[name].dt.tz_convert("Europe/Vilnius")
    back = read_events(write_events(local, tmp_path / f"events{ending}"))
    for name in ("entry_time", "exit_time", "deepest_time"):
        assert back[name].iloc[0] == events[name].iloc[0]  # the same moment, to the nanosecond


def test_writing_what_is_not_an_events_table_is_refused_in_one_line(tmp_path, events):
    with pytest.raises(ValueError, match="missing column"):
        write_events(pd.DataFrame({"track_id": ["A"]}), tmp_path / "events.csv")
    naive = events.assign(entry_time=events["entry_time"].dt.tz_localize(None))
    with pytest.raises(ValueError, match="'entry_time': expected times with a zone"):
        write_events(naive, tmp_path / "events.csv")
