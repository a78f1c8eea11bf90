"""Which state each territory with its own ISO 3166-1 code belongs to.

ISO 3166-1, and with it the tz database's ``zone.tab``, lists many territories
apart from the state that holds sovereignty over them: Åland (``AX``) apart
from Finland, Svalbard (``SJ``) apart from Norway, Puerto Rico (``PR``) apart
from the United States. Their air is still that state's airspace: the Chicago
Convention (art. 2) counts as a state's territory "the land areas and
territorial waters adjacent thereto under the sovereignty, suzerainty,
protection or mandate of such State".

The rule here: :data:`DEPENDENCIES` maps every such territory to its state.
Asking for a state gives its own zones *and* its dependencies by default
(Finland includes Åland); ``dependencies=False`` gives the state's own zones
only. A dependency can also be asked for by itself (``"AX"``): that gives its
own airspace, and its ``sovereign_iso_a3`` names the state.

Where sovereignty is disputed, the table follows who administers the
territory and says so in the relation (the Falklands, Gibraltar, the British
Indian Ocean Territory). Entries that ISO lists as countries but are not
plainly states are in :data:`SPECIAL_STATUS`; they are not dependencies of
anyone here.

What the time-zone data cannot separate
---------------------------------------
The polygons are time zones, so a territory that shares a zone with a state
comes with it: Kosovo lies in ``Europe/Belgrade`` (Serbia), Northern Cyprus in
``Asia/Famagusta`` and the British Sovereign Base Areas in ``Asia/Nicosia``
(Cyprus), Crimea in ``Europe/Simferopol``, which ``zone.tab`` gives to Ukraine.
Bouvet Island (``BV``) and Heard Island and McDonald Islands (``HM``) have no
time zone, hence no polygon: they are listed but have no airspace here.

Kosovo
------
Kosovo has no ISO 3166-1 code. It is listed by the user-assigned codes
``XK`` and ``XKX`` that the European Union and the IMF use (and Natural
Earth, as ``ISO_A2_EH``), as a state whose status is disputed: Serbia claims
it (:data:`USER_ASSIGNED`, :data:`SPECIAL_STATUS`). No time zone separates it
from Serbia, so its airspace is its Natural Earth 1:10m polygon
(:data:`NATURAL_EARTH_AIRSPACE`); it is landlocked, so that is the whole of
it. Serbia's zone still covers it: like the disputed areas below, Kosovo's
air is in both airspaces, and ``all`` (every state) reports an aircraft
there once for each.

Disputed areas
--------------
Where two states claim the same area, the source data puts it in both
states' zones, and so the two airspaces overlap there: Abkhazia (Georgia and
Russia), the West Bank (Israel and Palestine), Abyei and Kafia Kingi (Sudan
and South Sudan), the Ems estuary (Germany and the Netherlands), Dixon
Entrance, Machias Seal Island and part of the Beaufort Sea (Canada and the
United States), the Southern Patagonian Ice Field (Argentina and Chile), and
a few small border areas in Asia and the Balkans. An aircraft there is in
both; an event is reported for each.
"""

from types import MappingProxyType

DEPENDENCIES = MappingProxyType(
    {
        # alpha-2: (alpha-2 of the sovereign state, how the territory relates to it)
        "AX": ("FI", "autonomous region, part of Finland"),
        "SJ": ("NO", "part of Norway (Svalbard under the Svalbard Treaty)"),
        "BV": ("NO", "dependency of Norway"),
        "GL": ("DK", "autonomous territory of the Kingdom of Denmark"),
        "FO": ("DK", "autonomous territory of the Kingdom of Denmark"),
        "GG": ("GB", "Crown Dependency"),
        "JE": ("GB", "Crown Dependency"),
        "IM": ("GB", "Crown Dependency"),
        "AI": ("GB", "British Overseas Territory"),
        "BM": ("GB", "British Overseas Territory"),
        "IO": ("GB", "British Overseas Territory (claimed by Mauritius)"),
        "VG": ("GB", "British Overseas Territory"),
        "KY": ("GB", "British Overseas Territory"),
        "FK": ("GB", "British Overseas Territory (claimed by Argentina)"),
        "GI": ("GB", "British Overseas Territory (claimed by Spain)"),
        "MS": ("GB", "British Overseas Territory"),
        "PN": ("GB", "British Overseas Territory"),
        "SH": ("GB", "British Overseas Territory"),
        "GS": ("GB", "British Overseas Territory (claimed by Argentina)"),
        "TC": ("GB", "British Overseas Territory"),
        "PR": ("US", "unincorporated territory of the United States"),
        "GU": ("US", "unincorporated territory of the United States"),
        "MP": ("US", "commonwealth in political union with the United States"),
        "AS": ("US", "unincorporated territory of the United States"),
        "VI": ("US", "unincorporated territory of the United States"),
        "UM": ("US", "minor outlying islands of the United States"),
        "HK": ("CN", "special administrative region of China"),
        "MO": ("CN", "special administrative region of China"),
        "GF": ("FR", "overseas department and region of France"),
        "GP": ("FR", "overseas department and region of France"),
        "MQ": ("FR", "overseas department and region of France"),
        "RE": ("FR", "overseas department and region of France"),
        "YT": ("FR", "overseas department and region of France"),
        "PM": ("FR", "overseas collectivity of France"),
        "BL": ("FR", "overseas collectivity of France"),
        "MF": ("FR", "overseas collectivity of France"),
        "PF": ("FR", "overseas collectivity of France"),
        "WF": ("FR", "overseas collectivity of France"),
        "NC": ("FR", "sui generis collectivity of France"),
        "TF": ("FR", "overseas territory of France"),
        "AW": ("NL", "constituent country of the Kingdom of the Netherlands"),
        "CW": ("NL", "constituent country of the Kingdom of the Netherlands"),
        "SX": ("NL", "constituent country of the Kingdom of the Netherlands"),
        "BQ": ("NL", "special municipalities of the Netherlands"),
        "CX": ("AU", "external territory of Australia"),
        "CC": ("AU", "external territory of Australia"),
        "NF": ("AU", "external territory of Australia"),
        "HM": ("AU", "external territory of Australia"),
        "CK": ("NZ", "self-governing in free association with New Zealand (Realm of New Zealand)"),
        "NU": ("NZ", "self-governing in free association with New Zealand (Realm of New Zealand)"),
        "TK": ("NZ", "dependent territory of New Zealand"),
    }
)
"""Territories with their own ISO 3166-1 code under another state's sovereignty.

Maps the territory's alpha-2 code to ``(sovereign alpha-2, relation)``.
"""

SPECIAL_STATUS = MappingProxyType(
    {
        "AQ": "Antarctic Treaty area: territorial claims suspended, no sovereign",
        "TW": "governed by Taiwan, claimed by China",
        "EH": "non-self-governing territory, status disputed (Morocco, Sahrawi Republic)",
        "PS": "State of Palestine, UN observer state",
        "XK": "partially recognised state, claimed by Serbia; XK/XKX are user-assigned codes, not ISO 3166-1",
    }
)
"""Entries listed as their own state here although not plainly sovereign states.

Maps the alpha-2 code to the status shown as their relation.
"""

SOVEREIGN_STATE = "sovereign state"
"""The relation of every other entry."""

USER_ASSIGNED = MappingProxyType({"XK": ("XKX", "Europe/Belgrade")})
"""Entries with no ISO 3166-1 code, by the user-assigned alpha-2 code the EU and the IMF use.

Maps it to ``(alpha-3 code, time zone)``: Kosovo, ``XKX``, in
``Europe/Belgrade``.
"""

NATURAL_EARTH_AIRSPACE = MappingProxyType({"XKX": "KOS"})
"""Territories whose airspace is their Natural Earth polygon, by alpha-3: Natural Earth's own ``ADM0_A3`` code.

For a territory that no time zone separates from its neighbour, and that is
landlocked, so that its land is all of its airspace.
"""
