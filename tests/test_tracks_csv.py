"""read_tracks_csv: good files, bad files (errors naming file and line), bad rows (counted)."""

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracks import TRACK_COLUMNS, read_tracks_csv, validate_tracks
from tracks.table_csv import REJECT_REASONS, TrackReadReport

HEADER = "track_id,time,lon,lat,alt_baro_m,alt_geo_m\n"
GOOD_ROWS = (
    "MIG1,2025-09-19T09:30:00Z,24.35,59.82,9000,9100\n"
    "MIG1,2025-09-19T09:30:10Z,24.37,59.82,9000,\n"
    "MIG2,2025-09-19T09:30:00Z,24.36,59.80,,\n"
)


def _write(tmp_path, text, name="tracks.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def _read(tmp_path, text):
    return read_tracks_csv(_write(tmp_path, text))


def _file_error(path, line=None):
    """Start of the message of a file-level error, as a regex."""
    return "^" + re.escape(f"{path}:" + (f"{line}: " if line else " "))


# --- good files ---------------------------------------------------------------


def test_good_file(tmp_path):
    tracks, report = _read(tmp_path, HEADER + GOOD_ROWS)
    assert dict(tracks.dtypes) == dict(TRACK_COLUMNS)
    assert tracks["track_id"].tolist() == ["MIG1", "MIG1", "MIG2"]
    assert tracks["time"].iloc[1] == pd.Timestamp("2025-09-19T09:30:10Z")
    assert tracks["alt_geo_m"].isna().tolist() == [False, True, True]
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (3, 3, 0)
    assert report.rejected == {} and report.notes == [] and report.reordered == 0
    pd.testing.assert_frame_equal(validate_tracks(tracks), tracks)


def test_altitude_columns_may_be_absent(tmp_path):
    tracks, _ = _read(tmp_path, "track_id,time,lon,lat\nA,2025-09-19T09:30:00Z,1,2\n")
    assert list(tracks.columns) == list(TRACK_COLUMNS)
    assert tracks[["alt_baro_m", "alt_geo_m"]].isna().all().all()


def test_optional_and_unknown_columns_are_kept(tmp_path):
    text = (
        "note,track_id,time,lon,lat,callsign,suspect,ground_speed_mps\n"
        'x,A,2025-09-19T09:30:00Z,1,2,"RFF,1",true,250.5\n'
        ",A,2025-09-19T09:30:01Z,1,2,,0,\n"
    )
    tracks, report = _read(tmp_path, text)
    extra = ["note", "callsign", "suspect", "ground_speed_mps"]
    assert list(tracks.columns) == [*TRACK_COLUMNS, *extra]
    assert tracks["callsign"].iloc[0] == "RFF,1" and pd.isna(tracks["callsign"].iloc[1])
    assert tracks["suspect"].tolist() == [True, False]
    assert tracks["ground_speed_mps"].iloc[0] == 250.5
    assert tracks["note"].iloc[0] == "x"
    assert any("'note'" in note for note in report.notes)


def test_offsets_are_converted_to_utc(tmp_path):
    tracks, report = _read(tmp_path, "track_id,time,lon,lat\nA,2025-09-19T12:30:00.5+03:00,1,2\n")
    assert tracks["time"].iloc[0] == pd.Timestamp("2025-09-19T09:30:00.5Z")
    assert report.notes == []


def test_naive_times_are_read_as_utc_and_reported(tmp_path):
    text = "track_id,time,lon,lat\nA,2025-09-19T09:30:00Z,1,2\nA,2025-09-19 09:30:01,1,2\n"
    tracks, report = _read(tmp_path, text)
    assert tracks["time"].iloc[1] == pd.Timestamp("2025-09-19T09:30:01Z")
    assert report.notes == ["read 1 time(s) without a time zone as UTC (first at line 3)"]


def test_unix_seconds_are_exact(tmp_path):
    text = "track_id,time,lon,lat\nA,1758274200,1,2\nA,1758274200.123456789,1,2\nA,20250919,1,2\n"
    tracks, report = _read(tmp_path, text)
    assert tracks["time"].tolist() == [
        pd.Timestamp(20250919, unit="s", tz="UTC"),
        pd.Timestamp("2025-09-19T09:30:00Z"),
        pd.Timestamp("2025-09-19T09:30:00.123456789Z"),
    ]
    assert report.notes == ["read 3 time(s) as unix seconds"]


def test_padded_fields_and_missing_tokens_read_as_clean(tmp_path):
    clean, _ = _read(tmp_path, HEADER + GOOD_ROWS)
    padded = (
        " track_id , time,lon,lat,alt_baro_m,alt_geo_m\n"
        "MIG1 , 2025-09-19T09:30:00Z,24.35 ,59.82,9000,9100\n"
        "MIG1,2025-09-19T09:30:10Z,\t24.37,59.82, 9000 ,NA\n"
        "MIG2,2025-09-19T09:30:00Z,24.36,59.80, ,nan\n"
    )
    tracks, report = _read(tmp_path, padded)
    pd.testing.assert_frame_equal(tracks, clean)
    assert report.rows_rejected == 0


def test_missing_value_tokens_mean_unknown_altitude(tmp_path):
    text = HEADER + "A,2025-09-19T09:30:00Z,1,2,NA,null\nA,2025-09-19T09:30:01Z,1,2,nan,\n"
    tracks, report = _read(tmp_path, text)
    assert tracks[["alt_baro_m", "alt_geo_m"]].isna().all().all()
    assert report.rows_rejected == 0


def test_crlf_bom_and_blank_lines(tmp_path):
    crlf = (HEADER + "\n" + GOOD_ROWS + "  \n").replace("\n", "\r\n")
    text = "\ufeff" + crlf
    tracks, report = _read(tmp_path, text)
    assert len(tracks) == 3
    assert report.notes == ["skipped 2 blank line(s)"]


def test_blank_lines_keep_line_numbers_right(tmp_path):
    text = HEADER + "\n\nA,bad,1,2,,\n"
    _, report = _read(tmp_path, text)
    assert report.first_rejected_lines == {"unparseable time": [4]}


def test_header_only_gives_an_empty_table(tmp_path):
    tracks, report = _read(tmp_path, HEADER)
    assert len(tracks) == 0 and dict(tracks.dtypes) == dict(TRACK_COLUMNS)
    assert report.rows_read == 0 and "no data rows (header only)" in report.notes


def test_times_out_of_order_are_sorted_and_counted(tmp_path):
    text = (
        "track_id,time,lon,lat\n"
        "B,2025-09-19T09:30:00Z,1,2\n"
        "A,2025-09-19T09:30:20Z,1,2\n"
        "A,2025-09-19T09:30:10Z,1,2\n"
        "A,2025-09-19T09:30:00Z,1,2\n"
        "A,2025-09-19T09:30:30Z,1,2\n"
    )
    tracks, report = _read(tmp_path, text)
    assert tracks["track_id"].tolist() == ["A", "A", "A", "A", "B"]
    assert tracks["time"].is_monotonic_increasing is False
    assert tracks["time"].iloc[:4].is_monotonic_increasing
    assert report.reordered == 2 and report.rows_rejected == 0


# --- bad rows -----------------------------------------------------------------


def test_bad_rows_are_rejected_and_counted_by_reason(tmp_path):
    text = HEADER + (
        "A,2025-09-19T09:30:00Z,24.0,59.0,9000,\n"  # 2 good
        "A,2025-09-19T09:30:01Z,,59.0,9000,\n"  # 3 lon missing
        "A,2025-09-19T09:30:02Z,24.0,NaN,9000,\n"  # 4 lat NaN
        "A,2025-09-19T09:30:03Z,east,59.0,9000,\n"  # 5 lon unparseable
        "A,2025-09-19T09:30:04Z,181.0,59.0,9000,\n"  # 6 lon out of range
        "A,2025-09-19T09:30:05Z,24.0,-90.5,9000,\n"  # 7 lat out of range
        "A,2025-09-19T09:30:06Z,24.0,59.0,FL300,\n"  # 8 altitude unparseable
        "A,2025-09-19T09:30:07Z,24.0,59.0,,inf\n"  # 9 altitude infinite
        "A,soon,24.0,59.0,9000,\n"  # 10 time unparseable
        ",2025-09-19T09:30:09Z,24.0,59.0,9000,\n"  # 11 empty track_id
        "A,2025-09-19T09:30:00Z,24.5,59.5,9000,\n"  # 12 duplicate of line 2
        "A,2025-09-19T09:30:10Z,180,90,,\n"  # 13 good: lon 180 is -180
    )
    tracks, report = _read(tmp_path, text)
    assert report.rejected == {
        "empty track_id": 1,
        "unparseable time": 1,
        "missing or unparseable lon/lat": 3,
        "lon/lat out of range": 2,
        "unparseable altitude": 2,
        "duplicate (track_id, time)": 1,
    }
    assert report.first_rejected_lines == {
        "empty track_id": [11],
        "unparseable time": [10],
        "missing or unparseable lon/lat": [3, 4, 5],
        "lon/lat out of range": [6, 7],
        "unparseable altitude": [8, 9],
        "duplicate (track_id, time)": [12],
    }
    assert report.rows_accepted + report.rows_rejected == report.rows_read == 12
    assert tracks["lon"].tolist() == [24.0, -180.0]
    assert "wrote lon 180 as -180 on 1 row(s)" in report.notes


def test_duplicates_keep_the_first(tmp_path):
    text = HEADER + "A,2025-09-19T09:30:00Z,1,1,,\nA,2025-09-19T12:30:00+03:00,2,2,,\n"
    tracks, report = _read(tmp_path, text)
    assert tracks["lon"].tolist() == [1.0]
    assert report.first_rejected_lines == {"duplicate (track_id, time)": [3]}


def test_a_rejected_row_does_not_count_as_first_of_a_duplicate(tmp_path):
    text = HEADER + "A,2025-09-19T09:30:00Z,,1,,\nA,2025-09-19T09:30:00Z,2,2,,\n"
    tracks, report = _read(tmp_path, text)
    assert tracks["lon"].tolist() == [2.0]
    assert report.rejected == {"missing or unparseable lon/lat": 1}


def test_first_rejected_lines_keep_five(tmp_path):
    text = HEADER + "".join(f"A,t{k},1,2,,\n" for k in range(8))
    _, report = _read(tmp_path, text)
    assert report.first_rejected_lines == {"unparseable time": [2, 3, 4, 5, 6]}
    assert "rejected 8: unparseable time (line 2, 3, 4, 5, 6, ...)" in str(report)


def test_bad_optional_values_do_not_reject_the_row(tmp_path):
    text = "track_id,time,lon,lat,ground_speed_mps,suspect\nA,2025-09-19T09:30:00Z,1,2,fast,maybe\n"
    tracks, report = _read(tmp_path, text)
    assert np.isnan(tracks["ground_speed_mps"].iloc[0])
    assert bool(tracks["suspect"].iloc[0]) is True
    assert "1 unreadable ground_speed_mps value(s) set to NaN (first at line 2)" in report.notes
    suspect_note = "1 unreadable suspect value(s) treated as True (suspect) (first at line 2)"
    assert suspect_note in report.notes


def test_report_reads_well(tmp_path):
    text = HEADER + (
        "A,2025-09-19T09:30:00Z,1,2,,\nA,x,1,2,,\nA,y,1,2,,\n,2025-09-19T09:30:00Z,1,2,,\n"
    )
    _, report = _read(tmp_path, text)
    assert str(report).splitlines() == [
        f"{report.path}: 4 rows read, 1 accepted, 3 rejected, 0 reordered",
        "  rejected 1: empty track_id (line 5)",
        "  rejected 2: unparseable time (line 3, 4)",
    ]
    assert isinstance(report, TrackReadReport)


ROW_KINDS = {
    "good": "{id},2025-09-19T09:{m:02d}:{s:02d}Z,24.0,59.0,9000,\n",
    "bad time": "{id},09:{m}:{s},24.0,59.0,9000,\n",
    "bad lon": "{id},2025-09-19T09:{m:02d}:{s:02d}Z,,59.0,9000,\n",
    "far lat": "{id},2025-09-19T09:{m:02d}:{s:02d}Z,24.0,95.0,9000,\n",
    "bad altitude": "{id},2025-09-19T09:{m:02d}:{s:02d}Z,24.0,59.0,high,\n",
    "no id": ",2025-09-19T09:{m:02d}:{s:02d}Z,24.0,59.0,9000,\n",
}


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(sorted(ROW_KINDS)),
            st.sampled_from("AB"),
            st.integers(0, 3),
            st.integers(0, 3),
        ),
        max_size=25,
    )
)
def test_nothing_is_dropped_silently(tmp_path_factory, rows):
    text = HEADER + "".join(ROW_KINDS[kind].format(id=i, m=m, s=s) for kind, i, m, s in rows)
    tracks, report = _read(tmp_path_factory.mktemp("csv"), text)
    assert report.rows_read == len(rows)
    assert report.rows_accepted == len(tracks)
    assert report.rows_accepted + report.rows_rejected == len(rows)
    assert set(report.rejected) <= set(REJECT_REASONS)
    pd.testing.assert_frame_equal(validate_tracks(tracks), tracks)


# --- bad files ----------------------------------------------------------------


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.csv"
    with pytest.raises(ValueError, match=_file_error(path) + "no such file"):
        read_tracks_csv(path)


def test_directory(tmp_path):
    with pytest.raises(ValueError, match=_file_error(tmp_path) + "is a directory"):
        read_tracks_csv(tmp_path)


@pytest.mark.parametrize("text", ["", "\n\n", "  \r\n"])
def test_empty_file(tmp_path, text):
    path = _write(tmp_path, text)
    with pytest.raises(ValueError, match=_file_error(path) + "the file is empty"):
        read_tracks_csv(path)


def test_binary_garbage(tmp_path):
    path = _write(tmp_path, b"track_id,time\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ValueError, match=_file_error(path, 4) + "binary data"):
        read_tracks_csv(path)


def test_not_utf8(tmp_path):
    path = _write(tmp_path, HEADER.encode() + "A,2025-09-19T09:30:00Z,1,2,,\nÅ,".encode("latin-1"))
    with pytest.raises(ValueError, match=_file_error(path, 3) + r"not UTF-8 text \(byte 0xc5"):
        read_tracks_csv(path)


def test_no_header(tmp_path):
    path = _write(tmp_path, GOOD_ROWS)
    with pytest.raises(
        ValueError,
        match=_file_error(path, 1) + "no header: the first line looks like data",
    ):
        read_tracks_csv(path)


def test_wrong_columns_lists_what_is_there(tmp_path):
    path = _write(tmp_path, "id,timestamp,lon,lat\nA,2025-09-19T09:30:00Z,1,2\n")
    with pytest.raises(
        ValueError,
        match=_file_error(path, 1)
        + re.escape(
            "missing required column(s) 'track_id', 'time'; "
            "the header has 'id', 'timestamp', 'lon', 'lat'"
        ),
    ):
        read_tracks_csv(path)


def test_duplicate_column_in_header(tmp_path):
    path = _write(tmp_path, "track_id,time,lon,lat,lon\n")
    with pytest.raises(
        ValueError,
        match=_file_error(path, 1) + "column 'lon' appears more than once",
    ):
        read_tracks_csv(path)


def test_truncated_last_line(tmp_path):
    path = _write(tmp_path, HEADER + GOOD_ROWS + "MIG2,2025-09-19T09:30:10Z,24.3")
    with pytest.raises(
        ValueError,
        match=_file_error(path, 5) + r"3 fields, the header has 6; the last line is cut short",
    ):
        read_tracks_csv(path)


def test_row_with_too_many_fields(tmp_path):
    path = _write(tmp_path, HEADER + "A,2025-09-19T09:30:00Z,1,2,3,4,5\n" + GOOD_ROWS)
    with pytest.raises(ValueError, match=_file_error(path, 2) + "7 fields, the header has 6$"):
        read_tracks_csv(path)


def test_row_with_too_few_fields_in_the_middle(tmp_path):
    path = _write(tmp_path, HEADER + "A,2025-09-19T09:30:00Z,1\n" + GOOD_ROWS)
    with pytest.raises(ValueError, match=_file_error(path, 2) + "3 fields, the header has 6$"):
        read_tracks_csv(path)


def test_open_quote(tmp_path):
    text = 'track_id,time,lon,lat,callsign\nA,2025-09-19T09:30:00Z,1,2,"RFF\n1"\n'
    path = _write(tmp_path, text)
    with pytest.raises(ValueError, match=_file_error(path, 2) + "a quote .* is left open"):
        read_tracks_csv(path)


def test_stray_carriage_return(tmp_path):
    path = _write(tmp_path, HEADER + "A,2025-09-19T09:30:00Z,1,2,\r,\n")
    with pytest.raises(ValueError, match=_file_error(path, 2) + "a carriage return"):
        read_tracks_csv(path)
