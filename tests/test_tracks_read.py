"""tracks.read: opening files, recognising formats, cleaning, flights and track ids, suspect fixes."""

import gzip
import json
import re

import numpy as np
import pandas as pd
import pytest

from tracks import validate_tracks
from tracks.reading import read

T0 = 1758274200  # 2025-09-19T09:30:00Z
HEADER = "time,icao24,lat,lon,velocity,onground,baroaltitude\n"


def _opensky(rows):
    """OpenSky CSV text from (seconds after T0, icao24, lat, lon[, velocity, onground]) rows."""
    lines = [HEADER]
    for row in rows:
        seconds, icao24, lat, lon = row[:4]
        velocity, on_ground = row[4:] if len(row) > 4 else (230.0, False)
        lines.append(f"{T0 + seconds},{icao24},{lat},{lon},{velocity},{on_ground},10000\n")
    return "".join(lines)


def _write(path, text):
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def _starts(path, line=None):
    return "^" + re.escape(f"{path}:" + (f"{line}:" if line else ""))


# --- files and folders ----------------------------------------------------------


def test_folder_is_its_files_sorted_and_gzip_by_content(tmp_path):
    folder = tmp_path / "day"
    folder.mkdir()
    _write(folder / "b.csv", _opensky([(20, "aaa111", 50.0, 10.02)]))
    # gzipped, with a name that does not say so
    _write(folder / "a.data", gzip.compress(_opensky([(0, "aaa111", 50.0, 10.0)]).encode()))
    _write(folder / ".hidden.csv", "not read")
    table, report = read(folder)
    assert [r.path.name for r in report.files] == ["a.data", "b.csv"]
    assert table["time"].tolist() == [pd.Timestamp(T0 + s, unit="s", tz="UTC") for s in (0, 20)]
    pd.testing.assert_frame_equal(validate_tracks(table), table)


def test_truncated_gzip_names_the_file(tmp_path):
    data = gzip.compress(_opensky([(k, "aaa111", 50.0, 10.0) for k in range(2000)]).encode())
    path = _write(tmp_path / "cut.csv.gz", data[: len(data) // 2])
    with pytest.raises(ValueError, match=_starts(path) + " truncated or corrupt gzip"):
        read(path)


@pytest.mark.parametrize("content", [b"", b"\n  \n", gzip.compress(b"")])
def test_empty_file(tmp_path, content):
    path = _write(tmp_path / "empty.csv", content)
    with pytest.raises(ValueError, match=_starts(path, 1) + " the file is empty"):
        read(path)


def test_binary_garbage(tmp_path):
    path = _write(tmp_path / "garbage.csv", b"time,icao24\n\x00\x17\x99\xff" * 10)
    with pytest.raises(ValueError, match=_starts(path, 2) + " binary data"):
        read(path)


def test_missing_file(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        read(tmp_path / "nope.csv")


def test_unrecognised_format_lists_the_formats(tmp_path):
    path = _write(tmp_path / "notes.csv", "hello,world\n1,2\n")
    with pytest.raises(ValueError, match=re.escape(
            f"{path}: cannot recognise the format; give --format (one of ") + ".*opensky"):
        read(path)


def test_unknown_format_name(tmp_path):
    path = _write(tmp_path / "a.csv", _opensky([(0, "aaa111", 50.0, 10.0)]))
    with pytest.raises(ValueError, match="unknown format 'nmea'"):
        read(path, format="nmea")


# --- broken tabular files ------------------------------------------------------


def test_wrong_delimiter_is_said(tmp_path):
    path = _write(tmp_path / "semi.csv", _opensky([(0, "aaa111", 50.0, 10.0)]).replace(",", ";"))
    with pytest.raises(ValueError, match=_starts(path, 1) + " the columns are separated by ';'"):
        read(path, format="opensky")


def test_missing_column_lists_the_columns(tmp_path):
    path = _write(tmp_path / "nolat.csv", "time,icao24,lon\n1,aaa111,10\n")
    with pytest.raises(ValueError, match=_starts(path, 1) + r" missing column\(s\) 'lat'; "
                       "the header has 'time', 'icao24', 'lon'"):
        read(path, format="opensky")


def test_header_and_no_rows(tmp_path):
    path = _write(tmp_path / "header.csv", HEADER)
    with pytest.raises(ValueError, match=_starts(path, 1) + " a header and no data rows"):
        read(path)


def test_unreadable_values_are_counted_by_line(tmp_path):
    text = _opensky([(0, "aaa111", 50.0, 10.0), (10, "aaa111", 50.0, 10.0)])
    text += f"soon,aaa111,50,10,230,False,10000\n{T0 + 30},aaa111,north,10,230,False,10000\n\n"
    text += f"{T0 + 40},aaa111,50,10.01,230,False,high\n"
    table, report = read(_write(tmp_path / "bad.csv", text))
    assert len(table) == 3
    assert report.files[0].first_rejected_lines == {
        "unparseable time": [4], "unparseable lon/lat": [5], "empty line or no values": [6]}
    assert np.isnan(table["alt_baro_m"].iloc[-1])
    assert any("unreadable alt_baro" in note for note in report.files[0].notes)


# --- cleaning -------------------------------------------------------------------


def test_rejections_by_reason_and_reordering(tmp_path):
    rows = [
        (0, "aaa111", 50.0, 10.0),
        (20, "aaa111", 50.0, 10.02),
        (10, "aaa111", 50.0, 10.01),  # out of order: reordered, kept
        (20, "aaa111", 50.0, 10.02),  # duplicate, same position
        (20, "aaa111", 51.0, 10.02),  # duplicate, another position
        (30, "aaa111", "nan", 10.0),
        (40, "aaa111", 91.0, 10.0),
        (50, "aaa111", 50.0, 180.5),
        (60, "", 50.0, 10.0),
    ]
    table, report = read(_write(tmp_path / "a.csv", _opensky(rows)))
    assert table["lon"].tolist() == [10.0, 10.01, 10.02]
    file_report = report.files[0]
    assert file_report.first_rejected_lines == {
        "missing lon/lat": [7],
        "lon/lat out of range": [8, 9],
        "missing aircraft id": [10],
        "duplicate (aircraft, time)": [5],
        "conflicting duplicate (aircraft, time), other position": [6],
    }
    assert (file_report.rows_read, file_report.rows_accepted, file_report.reordered) == (9, 3, 1)
    assert report.rows_rejected == 6


def test_lon_180_is_written_as_minus_180(tmp_path):
    table, _ = read(_write(tmp_path / "a.csv", _opensky([(0, "aaa111", 0.0, 180.0)])))
    assert table["lon"].tolist() == [-180.0]


def test_duplicates_across_files_keep_the_first_file(tmp_path):
    first = _write(tmp_path / "1.csv", _opensky([(0, "aaa111", 50.0, 10.0)]))
    second = _write(tmp_path / "2.csv", _opensky([(0, "aaa111", 50.0, 10.0), (10, "aaa111", 50.0, 10.01)]))
    table, report = read([first, second])
    assert len(table) == 2
    assert report.files[1].first_rejected_lines == {"duplicate (aircraft, time)": [2]}
    assert [r.rows_accepted for r in report.files] == [1, 1]


def test_files_with_different_columns(tmp_path):
    with_callsign = _write(tmp_path / "1.csv", "time,icao24,lat,lon,callsign\n"
                           f"{T0},aaa111,50.0,10.0,RYR1\n")
    without = _write(tmp_path / "2.csv", _opensky([(10, "bbb222", 50.0, 10.0)]))
    table, _ = read([with_callsign, without])
    assert table["callsign"].iloc[0] == "RYR1" and pd.isna(table["callsign"].iloc[1])
    assert np.isnan(table["ground_speed_mps"].iloc[0]) and table["ground_speed_mps"].iloc[1] == 230
    pd.testing.assert_frame_equal(validate_tracks(table), table)


def test_flights_split_on_gaps_and_track_ids(tmp_path):
    rows = [
        (0, "aaa111", 50.0, 10.0), (600, "aaa111", 50.0, 11.0),   # flight 1
        (600 + 1801, "aaa111", 50.0, 12.0),                        # > 30 min later: flight 2
        (0, "BBB222", 51.0, 10.0), (3000, "BBB222", 51.0, 11.0),  # one aircraft, gap 50 min
    ]
    table, report = read(_write(tmp_path / "a.csv", _opensky(rows)))
    # 2025-09-19T09:30Z and 10:10:01Z; bbb222 has two flights too
    assert table["track_id"].tolist() == [
        "aaa111-20250919T0930Z", "aaa111-20250919T0930Z", "aaa111-20250919T1010Z",
        "bbb222-20250919T0930Z", "bbb222-20250919T1020Z"]
    assert report.tracks == 4
    table, report = read(tmp_path / "a.csv", split_gap_s=3600)
    assert table["track_id"].unique().tolist() == ["aaa111", "bbb222"]
    pd.testing.assert_frame_equal(validate_tracks(table), table)


def test_track_ids_clash_in_one_minute(tmp_path):
    rows = [(0, "aaa111", 50.0, 10.0), (20, "aaa111", 50.0, 10.01), (40, "aaa111", 50.0, 10.02)]
    table, _ = read(_write(tmp_path / "a.csv", _opensky(rows)), split_gap_s=15)
    assert table["track_id"].tolist() == [
        "aaa111-20250919T0930Z", "aaa111-20250919T0930Z-2", "aaa111-20250919T0930Z-3"]


def test_track_ids_sorted_even_when_suffixes_change_the_order(tmp_path):
    # "ab" has two flights: "ab-2025..." sorts before "ab!" although "ab" < "ab!"
    rows = [(0, "ab", 50.0, 10.0), (4000, "ab", 50.0, 10.0), (0, "ab!", 50.0, 10.0)]
    table, _ = read(_write(tmp_path / "a.csv", _opensky(rows)))
    assert table["track_id"].tolist() == ["ab!", "ab-20250919T0930Z", "ab-20250919T1036Z"]
    pd.testing.assert_frame_equal(validate_tracks(table), table)


def test_icao24_is_the_aircraft_key_whether_or_not_it_is_the_track_id(tmp_path):
    one_flight_each = _write(tmp_path / "a.csv", _opensky([(0, "AAA111", 50.0, 10.0),
                                                           (0, "bbb222", 51.0, 10.0)]))
    table, _ = read(one_flight_each)
    assert table["icao24"].tolist() == table["track_id"].tolist() == ["aaa111", "bbb222"]
    two_flights = _write(tmp_path / "b.csv", _opensky([(0, "AAA111", 50.0, 10.0),
                                                       (4000, "aaa111", 50.0, 10.0)]))
    table, _ = read(two_flights)
    assert table["icao24"].tolist() == ["aaa111", "aaa111"]
    assert table["track_id"].tolist() == ["aaa111-20250919T0930Z", "aaa111-20250919T1036Z"]
    # a later file whose aircraft key is not an icao24 address (a readsb trace)
    anonymous = _write(tmp_path / "trace_full_~1a2b3c.json", json.dumps(
        {"icao": "~1a2b3c", "timestamp": T0, "trace": [[0, 59.8, 24.3, 35000, 450, 90.0, 0, 0]]}))
    table, _ = read([two_flights, one_flight_each, anonymous], chunk_rows=1)
    assert table["track_id"].tolist()[-2:] == ["bbb222", "~1a2b3c"]
    assert table["icao24"].tolist()[:-1] == ["aaa111"] * 2 + ["bbb222"]
    assert pd.isna(table["icao24"].iloc[-1])
    pd.testing.assert_frame_equal(validate_tracks(table), table)


# --- suspect fixes ----------------------------------------------------------------


def test_impossible_jump_flags_both_ends(tmp_path):
    rows = [
        (0, "aaa111", 55.0, 20.0),
        (10, "aaa111", 55.0, 20.04),   # 2.6 km in 10 s: 256 m/s, fine
        (20, "aaa111", 55.0, 22.0),    # 125 km in 10 s: impossible
        (30, "aaa111", 55.0, 22.04),
    ]
    table, report = read(_write(tmp_path / "a.csv", _opensky(rows)))
    assert table["suspect"].tolist() == [False, True, True, False]
    assert (report.suspect, report.suspect_jump, report.suspect_frozen) == (2, 2, 0)


def test_small_time_steps_and_rounding_are_not_jumps(tmp_path):
    # 1 s apart, 1.2 km: 1200 m/s at face value, but times are rounded to the second
    rows = [(0, "aaa111", 55.0, 20.0), (1, "aaa111", 55.0, 20.0188)]
    table, _ = read(_write(tmp_path / "a.csv", _opensky(rows)))
    assert not table["suspect"].any()


def test_frozen_position_while_moving(tmp_path):
    frozen = [(10 * k, "aaa111", 55.0, 20.0) for k in range(8)]  # 70 s at one spot, 230 m/s
    parked = [(10 * k, "ccc333", 55.0, 21.0, 0.0, True) for k in range(8)]  # on the ground
    table, report = read(_write(tmp_path / "a.csv", _opensky(frozen + parked)))
    assert table.loc[table["track_id"] == "aaa111", "suspect"].all()
    assert not table.loc[table["track_id"] == "ccc333", "suspect"].any()
    assert report.suspect_frozen == 8


# --- strict mode -------------------------------------------------------------------


def test_strict_mode_raises_naming_file_and_line(tmp_path):
    path = _write(tmp_path / "a.csv", _opensky([(0, "aaa111", 50.0, 10.0), (10, "aaa111", 95.0, 10.0)]))
    with pytest.raises(ValueError, match=_starts(path, 3) + r" rejected \(lon/lat out of range\)"):
        read(path, strict=True)
    dup = _write(tmp_path / "d.csv", _opensky([(0, "aaa111", 50.0, 10.0)] * 2))
    with pytest.raises(ValueError, match=_starts(dup, 3) + r" rejected \(duplicate"):
        read(dup, strict=True)
    table, _ = read(_write(tmp_path / "ok.csv", _opensky([(0, "aaa111", 50.0, 10.0)])), strict=True)
    assert len(table) == 1


@pytest.mark.parametrize("chunk_rows", [1, 3, 16])
def test_chunks_give_the_same_table(tmp_path, chunk_rows):
    rng = np.random.default_rng(5)
    rows = [(int(s), f"a{k % 7}", 50 + k * 1e-4, 10.0) for k, s in enumerate(rng.permutation(300))]
    path = _write(tmp_path / "a.csv", _opensky(rows))
    whole, whole_report = read(path)
    chunked, chunked_report = read(path, chunk_rows=chunk_rows)
    pd.testing.assert_frame_equal(whole, chunked)
    assert whole_report.reordered == chunked_report.reordered > 0


# --- lines, chunks and parsers ---------------------------------------------------


def test_rejected_lines_across_chunks_and_files(tmp_path):
    # chunks of about 4 rows; in each chunk rows are regrouped by aircraft, yet the
    # lines reported are the first in file order, in each file
    first = [(0, "bbb222", 50.0, 10.0), (0, "aaa111", 50.0, 10.0), (10, "bbb222", 50.0, 10.01),
             (10, "aaa111", "nan", 10.0),                               # line 5: no position
             (20, "bbb222", 50.0, 10.02), (0, "bbb222", 50.0, 10.0),   # line 7: duplicate
             (20, "aaa111", 50.0, 10.02), (0, "aaa111", 50.0, 10.0),   # line 9: duplicate
             (30, "aaa111", 95.0, 10.0),                               # line 10: out of range
             (10, "bbb222", 50.0, 10.5)]                               # line 11: conflicting
    second = [(40, "aaa111", 50.0, 10.04), (20, "aaa111", 50.0, 10.02),  # line 3: duplicate
              (50, "bbb222", 50.0, 10.0), (40, "aaa111", 50.0, 10.04),   # line 5: duplicate
              (60, "ccc333", 50.0, 10.0), (40, "bbb222", 91.0, 10.0)]    # line 7: out of range
    paths = [_write(tmp_path / "1.csv", _opensky(first)), _write(tmp_path / "2.csv", _opensky(second))]
    for chunk_rows in (1, 4, 1_000_000):
        table, report = read(paths, chunk_rows=chunk_rows)
        assert [r.first_rejected_lines for r in report.files] == [
            {"missing lon/lat": [5], "lon/lat out of range": [10],
             "duplicate (aircraft, time)": [7, 9],
             "conflicting duplicate (aircraft, time), other position": [11]},
            {"lon/lat out of range": [7], "duplicate (aircraft, time)": [3, 5]},
        ]
        assert [r.rows_accepted for r in report.files] == [5, 3]
        assert len(table) == 8
    with pytest.raises(ValueError, match=_starts(paths[0], 5) + r" rejected \(missing lon/lat"):
        read(paths, chunk_rows=4, strict=True)
    fine = _write(tmp_path / "3.csv", _opensky([(k, "aaa111", 50.0, 10.0) for k in range(9)]
                                               + [(3, "aaa111", 50.0, 10.0)]))
    with pytest.raises(ValueError, match=_starts(fine, 11) + r" rejected \(duplicate"):
        read(fine, chunk_rows=4, strict=True)


def test_duplicates_do_not_make_reordered_fixes(tmp_path):
    # four repeats of bbb222 come before aaa111, which is in time order: nothing is reordered
    rows = [(20, "bbb222", 50.0, 10.0)] * 5 + [(0, "aaa111", 50.0, 10.0), (20, "aaa111", 50.0, 10.1)]
    _, report = read(_write(tmp_path / "a.csv", _opensky(rows)))
    assert report.rejected == {"duplicate (aircraft, time)": 4}
    assert report.reordered == 0


def test_a_block_pyarrow_refuses_is_read_by_pandas(tmp_path):
    # an altitude that is not a number in the middle: pyarrow reads the blocks
    # before it, pandas the rest; the table is the one pandas alone gives
    rows = [(10 * k, f"a{k % 3}", 50.0, 10.0 + k * 1e-3) for k in range(40)]
    text = _opensky(rows).splitlines(keepends=True)
    text[25] = text[25].replace(",10000\n", ",high\n")
    path = _write(tmp_path / "a.csv", "".join(text))
    by_pandas, pandas_report = read(path)  # one block: refused at once
    mixed, mixed_report = read(path, chunk_rows=5)
    pd.testing.assert_frame_equal(by_pandas, mixed)
    assert str(pandas_report) == str(mixed_report)
    assert any("unreadable alt_baro value(s) set to NaN (first at line 26)" in note
               for note in mixed_report.files[0].notes)


def test_blank_line_is_counted_at_its_line(tmp_path):
    rows = [(10 * k, "aaa111", 50.0, 10.0 + k * 1e-3) for k in range(20)]
    text = _opensky(rows).splitlines(keepends=True)
    text.insert(12, "\n")
    path = _write(tmp_path / "a.csv", "".join(text))
    for chunk_rows in (4, 1_000_000):
        table, report = read(path, chunk_rows=chunk_rows)
        assert report.files[0].first_rejected_lines == {"empty line or no values": [13]}
        assert len(table) == 20


def test_text_in_quotes_and_text_of_digits(tmp_path):
    header = "time,icao24,lat,lon,callsign,baroaltitude\n"
    lines = [f'{T0},"aaa111",50.0,10.0,"RY""R1",1000\n',
             f'{T0 + 10},"aaa111",50.0,10.01,"NA",1000\n',
             f"{T0 + 20},aaa111,50.0,10.02,00123,1000\n"]
    path = _write(tmp_path / "a.csv", header + "".join(lines))
    expected = ['RY"R1', "(missing)", "00123"]
    table, _ = read(path)
    assert table["callsign"].fillna("(missing)").tolist() == expected
    # the same through pandas (a block pyarrow refuses: a quoted field holding a comma)
    refused = _write(tmp_path / "b.csv", header + "".join(lines) + f'{T0 + 30},aaa111,50,10,"A,B",1\n')
    table, _ = read(refused)
    assert table["callsign"].fillna("(missing)").tolist() == expected + ["A,B"]


@pytest.mark.parametrize("late_word", ["false", "NA"])  # NA in a flag: the block parsed again
def test_missing_words_in_text_numbers_and_flags(tmp_path, late_word):
    header = "time,icao24,lat,lon,callsign,onground,baroaltitude\n"
    lines = [f"{T0 + 10 * k},aaa111,50.0,{10 + k * 1e-3},RYR1,false,1000\n" for k in range(30)]
    lines[3] = lines[3].replace("RYR1", "null")
    lines[5] = lines[5].replace(",1000", ",NaN")
    lines[7] = lines[7].replace("aaa111", "N/A")
    lines[9] = lines[9].replace("50.0", "nan")
    lines[21] = lines[21].replace("false", late_word)
    path = _write(tmp_path / "a.csv", header + "".join(lines))
    chunked, chunked_report = read(path, chunk_rows=4)
    table, report = read(path)
    pd.testing.assert_frame_equal(table, chunked)
    assert str(report) == str(chunked_report)
    assert pd.isna(table["callsign"].iloc[3]) and np.isnan(table["alt_baro_m"].iloc[5])
    assert report.files[0].first_rejected_lines == {"missing aircraft id": [9],
                                                    "missing lon/lat": [11]}
    # pandas alone (a block pyarrow refuses at once: a quoted comma, on a row
    # rejected for its time) reads the same
    refused = _write(tmp_path / "b.csv", header + 'never,"a,b",50,10,x,false,1\n' + "".join(lines))
    by_pandas, _ = read(refused)
    pd.testing.assert_frame_equal(by_pandas, table)


def test_report_prints_readably(tmp_path):
    path = _write(tmp_path / "a.csv", _opensky([(0, "aaa111", 50.0, 10.0), (10, "aaa111", 95.0, 10.0)]))
    _, report = read(path)
    text = str(report)
    assert f"[opensky] {path}: 2 rows read, 1 accepted, 1 rejected" in text
    assert "total: 1 file(s), 2 rows read, 1 fixes in 1 track(s)" in text
    assert "rejected 1: lon/lat out of range" in text
