"""Region shorthands: ``EU`` and ``NATO``, as explicit, dated lists of member states.

:func:`borders.parse_codes` (so ``--against EU,NOR`` and
``airspace.national("NATO")``) expands a shorthand into its member states,
in the order below (by alpha-3 code). A shorthand names *states*: with
dependencies (the default) each state's row includes its dependencies
(Denmark with Greenland and the Faroes, France with its overseas
territories), whether or not the organisation's treaties apply there.

Membership changes rarely and is public, but it does change, so the lists
are written out here rather than derived, and the date they were last
reviewed is stated. Sources to check them against, whenever they are
reviewed: the European Union's list of its countries
(https://european-union.europa.eu/principles-countries-history/eu-countries_en)
and NATO's list of its member countries
(https://www.nato.int/cps/en/natohq/topics_52044.htm).

Last reviewed: 2026-12 (:data:`REGIONS_REVIEWED`). Known changes up to then:
the EU has had 27 members since the United Kingdom left on 31 Jan 2020; NATO
has had 32 since Sweden joined on 7 Mar 2024 (Finland on 4 Apr 2023).

Only shorthands that someone keeps up to date belong here: when a list is
changed, change :data:`REGIONS_REVIEWED` and the test that pins its members
(``tests/test_national_all.py``).
"""

from types import MappingProxyType

REGIONS_REVIEWED = "2026-12"
"""Year and month the member lists of :data:`REGIONS` were last checked against their sources."""

EU = (
    "AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN",
    "FRA", "GRC", "HRV", "HUN", "IRL", "ITA", "LTU", "LUX", "LVA", "MLT",
    "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "SWE",
)  # fmt: skip
"""The 27 member states of the European Union (reviewed 2026-12), ISO alpha-3."""

NATO = (
    "ALB", "BEL", "BGR", "CAN", "CZE", "DEU", "DNK", "ESP", "EST", "FIN",
    "FRA", "GBR", "GRC", "HRV", "HUN", "ISL", "ITA", "LTU", "LUX", "LVA",
    "MKD", "MNE", "NLD", "NOR", "POL", "PRT", "ROU", "SVK", "SVN", "SWE",
    "TUR", "USA",
)  # fmt: skip
"""The 32 member states of the North Atlantic Treaty Organization (reviewed 2026-12), ISO alpha-3."""

REGIONS = MappingProxyType({"EU": EU, "NATO": NATO})
"""Each shorthand (matched in any case) and the alpha-3 codes of its member states."""


def region_members(text):
    """The member states of the region shorthand `text`, or None if it is not one.

    Parameters
    ----------
    text : str
        A shorthand in any case, surrounding spaces ignored: ``"EU"``,
        ``"nato"``.

    Returns
    -------
    tuple of str or None
        Alpha-3 codes of the member states, or None.

    Examples
    --------
    >>> len(region_members("eu")), len(region_members("NATO")), region_members("EST")
    (27, 32, None)
    """
    return REGIONS.get(str(text).strip().upper())
