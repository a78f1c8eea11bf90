"""The two CSV readers read the same words as missing values."""

import math

import pytest

import tracks
from tracks import read_tracks_csv

WORDS = ["", "N/A", "n/a", " N/A ", "NA", "nan", "NaN", "NAN", "-nan", "null", "NULL", "Null", "None", "none",
         "#N/A", "<NA>"]


def _altitudes_of_tracks_table_file(path, word):
    path.write_text("track_id,time,lon,lat,alt_baro_m,alt_geo_m\n"
                    f"A,2025-01-01T00:00:00Z,24.0,59.0,{word},100\n"
                    "A,2025-01-01T00:00:10Z,24.1,59.0,1000,100\n")
    table, report = read_tracks_csv(path)
    return table["alt_baro_m"].tolist(), report


def _altitudes_of_any_csv(path, word):
    path.write_text("time,hex,x,y,alt\n"
                    f"2025-01-01T00:00:00Z,abc123,24.0,59.0,{word}\n"
                    "2025-01-01T00:00:10Z,abc123,24.1,59.0,1000\n")
    table, report = tracks.read(path, columns={"time": "time", "aircraft": "hex", "lon": "x", "lat": "y",
                                               "alt_baro": "alt"})
    return table["alt_baro_m"].tolist(), report


@pytest.mark.parametrize("word", WORDS)
@pytest.mark.parametrize("reader", [_altitudes_of_tracks_table_file, _altitudes_of_any_csv])
def test_a_missing_word_is_a_missing_altitude_in_both_readers(tmp_path, reader, word):
    altitudes, report = reader(tmp_path / "fixes.csv", word)
    assert len(altitudes) == 2 and math.isnan(altitudes[0]) and altitudes[1] == 1000.0
    assert "unreadable" not in str(report) and "rejected 1" not in str(report)
