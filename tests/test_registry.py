"""The state of registry from the ICAO 24-bit address: hand cases from Annex 10 Vol. III Table 9-1, and properties."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracks import make_tracks
from tracks.registry import ICAO24_BLOCKS, icao24_addresses, registry_counts, registry_countries, track_registries

#: Blocks copied by hand from the Annex's table: state, first and last address.
ANNEX_BLOCKS = [
    ("FRA", 0x380000, 0x3BFFFF), ("DEU", 0x3C0000, 0x3FFFFF), ("USA", 0xA00000, 0xAFFFFF),
    ("RUS", 0x100000, 0x1FFFFF), ("EST", 0x511000, 0x5113FF), ("LTU", 0x503C00, 0x503FFF),
    ("LVA", 0x502C00, 0x502FFF), ("POL", 0x488000, 0x48FFFF), ("FIN", 0x460000, 0x467FFF),
    ("SMR", 0x500000, 0x5003FF), ("HRV", 0x501C00, 0x501FFF), ("NAM", 0x201000, 0x2013FF),
    ("ZWE", 0x004000, 0x0043FF), ("BOL", 0xE94000, 0xE94FFF), ("VUT", 0xC90000, 0xC903FF),
    ("GBR", 0x400000, 0x43FFFF), ("UKR", 0x508000, 0x50FFFF), ("BLR", 0x510000, 0x5103FF),
]

#: Addresses in no state's block: regional reserves, ICAO's own blocks, future use, gaps between small blocks.
NO_STATE = [0x000000, 0x003FFF, 0x004400, 0x200000, 0x2013FF + 1, 0x503BFF, 0x511400, 0x899000, 0x8993FF,
            0xB00000, 0xF00000, 0xF07FFF, 0xF09000, 0xFFFFFF, 0x0FFFFF]


def _hex(address, width=6, upper=False):
    text = f"{address:0{width}x}"
    return text.upper() if upper else text


def _table_blocks():
    """The module's table read the plain way: (state, first, last) per block."""
    words = ICAO24_BLOCKS.split()
    sizes = {"1K": 1024, "4K": 4096, "32K": 32768, "256K": 262144, "1M": 1048576}
    return [(words[k + 2], int(words[k], 16), int(words[k], 16) + sizes[words[k + 1]] - 1)
            for k in range(0, len(words), 3)]


def _scan(address):
    """The state of an address by looking at every block in turn."""
    states = [state for state, first, last in _table_blocks() if first <= address <= last]
    assert len(states) <= 1
    return states[0] if states else None


@pytest.mark.parametrize("state, first, last", ANNEX_BLOCKS)
def test_block_edges_map_to_the_state_and_beyond_them_not(state, first, last):
    inside = [first, first + 1, (first + last) // 2, last - 1, last]
    assert registry_countries([_hex(a) for a in inside]).tolist() == [state] * 5
    outside = [a for a in (first - 1, last + 1) if 0 <= a <= 0xFFFFFF]
    assert all(registry_countries([_hex(a)]).tolist()[0] != state for a in outside)


def test_addresses_in_no_states_block_are_unknown():
    assert registry_countries([_hex(a) for a in NO_STATE]).tolist() == [None] * len(NO_STATE)


def test_the_estonian_block_is_bounded_by_unallocated_addresses():
    # 511000-5113FF is Estonia's; 510400-510FFF and 511400-511FFF are allocated to nobody.
    assert registry_countries(["5103ff", "510400", "510fff", "511000", "5113ff", "511400"]).tolist() == [
        "BLR", None, None, "EST", "EST", None]


def test_blocks_are_aligned_and_do_not_overlap():
    blocks = sorted(_table_blocks(), key=lambda block: block[1])
    for state, first, last in blocks:
        size = last - first + 1
        assert first % size == 0, state
    assert all(earlier[2] < later[1] for earlier, later in zip(blocks[:-1], blocks[1:]))
    assert {state for state, _, _ in blocks} >= {state for state, _, _ in ANNEX_BLOCKS}


def test_spellings_of_one_address_agree_and_others_are_not_addresses():
    spellings = ["3C6444", "3c6444", " 3c6444 ", "3C6444\t"]
    assert icao24_addresses(spellings).tolist() == [0x3C6444] * 4
    assert icao24_addresses(["4000", "004000", "04000"]).tolist() == [0x4000] * 3
    bad = ["~3c6444", "0x3c6444", "3c64441", "3g6444", "", "  ", None, np.nan, 3957828, "3c 6444"]
    assert icao24_addresses(bad).tolist() == [-1] * len(bad)
    assert registry_countries(bad).tolist() == [None] * len(bad)


@given(st.integers(0, 0xFFFFFF), st.integers(1, 6), st.booleans())
def test_every_address_has_the_state_of_the_block_holding_it(address, width, upper):
    text = _hex(address, width, upper)  # at least `width` digits, leading zeros where the address is shorter
    assert registry_countries([text]).tolist() == [_scan(address)]


@given(st.sampled_from(ANNEX_BLOCKS), st.floats(0, 1))
def test_every_address_of_a_hand_block_maps_to_its_state(block, share):
    state, first, last = block
    address = first + int(share * (last - first))
    assert registry_countries([_hex(address)]).tolist() == [state]


def test_tracks_get_the_state_of_their_address_and_are_counted_by_outcome():
    time = pd.date_range("2025-09-19 09:00", periods=6, freq="min", tz="UTC")
    fixes = make_tracks(["AF", "AF", "ICAO", "BAD", "NONE", "LT"], time, lon=[24.0] * 6, lat=[59.0] * 6)
    address = {"AF": "39AC45", "ICAO": "f00001", "BAD": "~abc", "NONE": None, "LT": "503c1f"}
    fixes["icao24"] = pd.array(fixes["track_id"].map(address), dtype="string")
    assert track_registries(fixes) == {"AF": "FRA", "ICAO": None, "BAD": None, "NONE": None, "LT": "LTU"}
    assert registry_counts(fixes) == {"state": 2, "unassigned": 1, "malformed": 1, "missing": 1}
    assert track_registries(fixes.drop(columns="icao24")) == {}
    assert registry_counts(fixes.drop(columns="icao24"))["missing"] == 5
