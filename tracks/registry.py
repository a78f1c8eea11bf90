"""The state of registry of an aircraft, from its ICAO 24-bit address.

ICAO Annex 10, Volume III, Part I, Chapter 9 allocates the 24-bit aircraft
addresses to states in blocks (its Table 9-1): a state registers its
aircraft with addresses from its own block. :data:`ICAO24_BLOCKS` holds
that table, each block as its first address (hex), its size (``1K`` = 1,024
addresses, ``4K``, ``32K``, ``256K``, ``1M``) and the state's ISO 3166-1
alpha-3 code. Addresses in no state's block are unknown: the blocks the
Annex keeps for regions and future use, ICAO's own blocks (temporary and
special-use addresses, ``F00000``-``F07FFF``, ``899000``-``8993FF``,
``F09000``-``F093FF``), and the addresses a receiver makes up for aircraft
it hears without one (readsb's ``~`` prefix) or that are not 1 to 6 hex digits.

:func:`icao24_addresses` reads addresses written as text (hex, any case,
with or without leading zeros, spaces around ignored); :func:`registry_countries`
gives the state of each; :func:`track_registries` the state of each track
of a tracks table; :func:`registry_counts` counts how the tracks' addresses
came out, for a summary.
"""

import numpy as np
import pandas as pd

from tracks.runs import run_starts

#: Table 9-1 of ICAO Annex 10, Vol. III: first address, size and state (ISO alpha-3) of each block.
ICAO24_BLOCKS = """
    004000 1K ZWE   006000 4K MOZ   008000 32K ZAF   010000 32K EGY   018000 32K LBY   020000 32K MAR
    028000 32K TUN   030000 1K BWA   032000 4K BDI   034000 4K CMR   035000 1K COM   036000 4K COG
    038000 4K CIV   03E000 4K GAB   040000 4K ETH   042000 4K GNQ   044000 4K GHA   046000 4K GIN
    048000 1K GNB   04A000 1K LSO   04C000 4K KEN   050000 4K LBR   054000 4K MDG   058000 4K MWI
    05A000 1K MDV   05C000 4K MLI   05E000 1K MRT   060000 1K MUS   062000 4K NER   064000 4K NGA
    068000 4K UGA   06A000 1K QAT   06C000 4K CAF   06E000 4K RWA   070000 4K SEN   074000 1K SYC
    076000 1K SLE   078000 4K SOM   07A000 1K SWZ   07C000 4K SDN   080000 4K TZA   084000 4K TCD
    088000 4K TGO   08A000 4K ZMB   08C000 4K COD   090000 4K AGO   094000 1K BEN   096000 1K CPV
    098000 1K DJI   09A000 4K GMB   09C000 4K BFA   09E000 1K STP   0A0000 32K DZA   0A8000 4K BHS
    0AA000 1K BRB   0AB000 1K BLZ   0AC000 4K COL   0AE000 4K CRI   0B0000 4K CUB   0B2000 4K SLV
    0B4000 4K GTM   0B6000 4K GUY   0B8000 4K HTI   0BA000 4K HND   0BC000 1K VCT   0BE000 4K JAM
    0C0000 4K NIC   0C2000 4K PAN   0C4000 4K DOM   0C6000 4K TTO   0C8000 4K SUR   0CA000 1K ATG
    0CC000 1K GRD   0D0000 32K MEX   0D8000 32K VEN   100000 1M RUS   201000 1K NAM   202000 1K ERI
    300000 256K ITA   340000 256K ESP   380000 256K FRA   3C0000 256K DEU   400000 256K GBR   440000 32K AUT
    448000 32K BEL   450000 32K BGR   458000 32K DNK   460000 32K FIN   468000 32K GRC   470000 32K HUN
    478000 32K NOR   480000 32K NLD   488000 32K POL   490000 32K PRT   498000 32K CZE   4A0000 32K ROU
    4A8000 32K SWE   4B0000 32K CHE   4B8000 32K TUR   4C0000 32K SRB   4C8000 1K CYP   4CA000 4K IRL
    4CC000 4K ISL   4D0000 1K LUX   4D2000 1K MLT   4D4000 1K MCO   500000 1K SMR   501000 1K ALB
    501C00 1K HRV   502C00 1K LVA   503C00 1K LTU   504C00 1K MDA   505C00 1K SVK   506C00 1K SVN
    507C00 1K UZB   508000 32K UKR   510000 1K BLR   511000 1K EST   512000 1K MKD   513000 1K BIH
    514000 1K GEO   515000 1K TJK   516000 1K MNE   600000 1K ARM   600800 1K AZE   601000 1K KGZ
    601800 1K TKM   680000 1K BTN   681000 1K FSM   682000 1K MNG   683000 1K KAZ   684000 1K PLW
    700000 4K AFG   702000 4K BGD   704000 4K MMR   706000 4K KWT   708000 4K LAO   70A000 4K NPL
    70C000 1K OMN   70E000 4K KHM   710000 32K SAU   718000 32K KOR   720000 32K PRK   728000 32K IRQ
    730000 32K IRN   738000 32K ISR   740000 32K JOR   748000 32K LBN   750000 32K MYS   758000 32K PHL
    760000 32K PAK   768000 32K SGP   770000 32K LKA   778000 32K SYR   780000 256K CHN   7C0000 256K AUS
    800000 256K IND   840000 256K JPN   880000 32K THA   888000 32K VNM   890000 4K YEM   894000 4K BHR
    895000 1K BRN   896000 4K ARE   897000 1K SLB   898000 4K PNG   8A0000 32K IDN   900000 1K MHL
    901000 1K COK   902000 1K WSM   A00000 1M USA   C00000 256K CAN   C80000 32K NZL   C88000 4K FJI
    C8A000 1K NRU   C8C000 1K LCA   C8D000 1K TON   C8E000 1K KIR   C90000 1K VUT   E00000 256K ARG
    E40000 256K BRA   E80000 4K CHL   E84000 4K ECU   E88000 4K PRY   E8C000 4K PER   E90000 4K URY
    E94000 4K BOL
"""

_SIZES = {"1K": 1 << 10, "4K": 1 << 12, "32K": 1 << 15, "256K": 1 << 18, "1M": 1 << 20}


def _block_arrays():
    """Starts, ends (exclusive) and states of the blocks, sorted by start."""
    words = np.array(ICAO24_BLOCKS.split(), dtype=object).reshape(-1, 3)
    start = np.array([int(text, 16) for text in words[:, 0]], np.int64)
    end = start + np.array([_SIZES[size] for size in words[:, 1]], np.int64)
    order = np.argsort(start)
    return start[order], end[order], words[order, 2]


_BLOCK_START, _BLOCK_END, _BLOCK_STATE = _block_arrays()

_HEX_ADDRESS = r"[0-9A-Fa-f]{1,6}"


def icao24_addresses(icao24) -> np.ndarray:
    """ICAO 24-bit addresses written as hex text, as integers; -1 where missing or not an address.

    Parameters
    ----------
    icao24 : array_like of str
        Addresses as recordings write them: 1 to 6 hex digits, any case,
        with or without leading zeros; spaces around are ignored. Anything
        else (a ``~`` prefix, a ``0x``, more digits, a number) is not an address.

    Returns
    -------
    numpy.ndarray of int64

    Examples
    --------
    >>> icao24_addresses(["3C6444", "4ca1d3", " 0511E3", "511e3", "~3c6444", "", None, "1000000"]).tolist()
    [3957828, 5022163, 332259, 332259, -1, -1, -1, -1]
    """
    codes, texts = pd.factorize(pd.Series(np.asarray(icao24, dtype=object), dtype=object), use_na_sentinel=True)
    stripped = pd.Series(texts, dtype=object).map(lambda text: text.strip() if isinstance(text, str) else "")
    valid = stripped.str.fullmatch(_HEX_ADDRESS).fillna(False).to_numpy(bool)
    parsed = np.full(len(texts) + 1, -1, np.int64)  # the last for missing values (code -1)
    parsed[:-1][valid] = [int(text, 16) for text in stripped[valid]]
    return parsed[codes]


def registry_countries(icao24) -> np.ndarray:
    """The state of registry (ISO 3166-1 alpha-3) of each ICAO 24-bit address; None where unknown.

    Parameters
    ----------
    icao24 : array_like of str
        Addresses as :func:`icao24_addresses` reads them.

    Returns
    -------
    numpy.ndarray of object
        The code of the state whose block (:data:`ICAO24_BLOCKS`) holds the
        address; None for an address in no state's block, or not an address.

    Examples
    --------
    France's block is 380000-3BFFFF, Germany's 3C0000-3FFFFF; Estonia has
    the 1,024 addresses from 511000; 899000 is ICAO's, and 200000 unallocated:

    >>> registry_countries(["3bffff", "3C0000", "511000", "5113ff", "511400", "899000", "200000", "x"]).tolist()
    ['FRA', 'DEU', 'EST', 'EST', None, None, None, None]
    """
    address = icao24_addresses(icao24)
    block = np.searchsorted(_BLOCK_START, address, side="right") - 1
    inside = (block >= 0) & (address < _BLOCK_END[np.maximum(block, 0)])
    return np.where(inside, _BLOCK_STATE[np.maximum(block, 0)], None)


def track_registries(tracks: pd.DataFrame) -> dict:
    """The state of registry of each track with an ``icao24``: the state of its first fix's address.

    Parameters
    ----------
    tracks : pandas.DataFrame
        A validated tracks table: each track one run of rows, in time order.

    Returns
    -------
    dict
        Track id to ISO alpha-3 code, or None where the address is unknown
        or not an address; empty when the table has no ``icao24`` column.

    Examples
    --------
    >>> from tracks import make_tracks
    >>> fixes = make_tracks(["A", "A", "B"], pd.date_range("2025-09-19", periods=3, freq="min", tz="UTC"),
    ...                     lon=[24.0] * 3, lat=[59.0] * 3)
    >>> fixes["icao24"] = ["4ca1d3", "4ca1d3", "~7000"]
    >>> track_registries(fixes)
    {'A': 'IRL', 'B': None}
    """
    if "icao24" not in tracks.columns:
        return {}
    first = run_starts(tracks["track_id"])
    return dict(zip(tracks["track_id"].iloc[first].to_numpy(object),
                    registry_countries(tracks["icao24"].iloc[first].to_numpy(object))))


def registry_counts(tracks: pd.DataFrame) -> dict:
    """How many tracks have an address of a state, an address in no state's block, a malformed one, or none.

    Parameters
    ----------
    tracks : pandas.DataFrame
        A tracks table, as :func:`track_registries` takes it.

    Returns
    -------
    dict
        ``state``, ``unassigned`` (in no state's block: unallocated or
        ICAO's), ``malformed`` (not 1 to 6 hex digits) and ``missing``
        (no address; every track when the table has no ``icao24`` column).

    Examples
    --------
    >>> from tracks import make_tracks
    >>> fixes = make_tracks(list("ABCD"), pd.date_range("2025-09-19", periods=4, freq="min", tz="UTC"),
    ...                     lon=[24.0] * 4, lat=[59.0] * 4)
    >>> fixes["icao24"] = ["4ca1d3", "f00001", "~7000", None]
    >>> registry_counts(fixes)
    {'state': 1, 'unassigned': 1, 'malformed': 1, 'missing': 1}
    """
    first = run_starts(tracks["track_id"])
    if "icao24" not in tracks.columns:
        return {"state": 0, "unassigned": 0, "malformed": 0, "missing": len(first)}
    icao24 = tracks["icao24"].iloc[first].to_numpy(object)
    missing = pd.isna(icao24)
    address = icao24_addresses(icao24)
    known = pd.notna(registry_countries(icao24))
    return {"state": int(known.sum()), "unassigned": int(((address >= 0) & ~known).sum()),
            "malformed": int(((address < 0) & ~missing).sum()), "missing": int(missing.sum())}
