"""National airspace as airspace-table rows, from :func:`borders.sovereign_airspace`.

A state's national airspace is the air over its land, internal waters and
territorial sea, from the surface up without limit. Its source is
OpenStreetMap data (ODbL): show :data:`borders.ATTRIBUTION` wherever it is
used.
"""

import math

import numpy as np

from airspace.table import make_airspace
from borders import sovereign_airspace


def national(codes, *, dependencies=True):
    """The national airspace of one or several states, one row each.

    Parameters
    ----------
    codes : str or iterable of str
        ISO 3166-1 alpha-2 or alpha-3 codes or English names, in any case:
        ``"EST"``, ``"EST,FIN"`` or ``["EST", "FIN"]``. A dependency may be
        asked for by itself (``"AX"``, Åland). ``"EU"`` and ``"NATO"``
        stand for their member states (dated lists in
        :mod:`borders.regions`): ``"EU,NOR"``. ``"all"`` (any case, alone)
        is every state in the world, for a log of every stay in every
        state a track passes through: one row per state that is not a
        dependency (198), each with its dependencies.
    dependencies : bool, default True
        Include the territories under each state's sovereignty that ISO
        lists apart (Finland with Åland; see :mod:`borders.territories`).
        With ``"all"``, False gives every territory that has airspace in a
        row of its own instead (247 rows: Åland is ``national-ALA``, not
        part of ``national-FIN``), so the whole world is still covered;
        ``country`` is still the sovereign's code.

    Returns
    -------
    geopandas.GeoDataFrame
        An airspace table (:func:`airspace.validate_airspace`), one row per
        state in the order asked, repeats dropped: ``airspace_id``
        ``"national-<ISO_A3>"`` (of the code asked for), ``name`` the
        English name, ``country`` the alpha-3 code of the sovereign state
        (``"FIN"`` for Åland too), ``kind`` ``"national"``, floor SFC
        (``-inf``), ceiling UNL (``+inf``, ``"STD"``).

    Raises
    ------
    TypeError
        If `codes` is neither text nor a list (None included: the whole
        world is ``"all"``).
    ValueError
        For an unknown country, with the nearest codes and names suggested,
        or ``"all"`` given with other codes.

    Examples
    --------
    >>> baltic = national("EST,LV")  # doctest: +SKIP
    >>> baltic[["airspace_id", "name", "country", "kind", "floor_m", "ceiling_m"]]  # doctest: +SKIP
         airspace_id     name country      kind  floor_m  ceiling_m
    0  national-EST  Estonia     EST  national     -inf        inf
    1  national-LVA   Latvia     LVA  national     -inf        inf
    >>> len(national("all"))  # the first time, builds the world in under a minute  # doctest: +SKIP
    198
    """
    if not isinstance(codes, str) and not np.iterable(codes):
        raise TypeError(f"national: {codes!r} is not state codes; give codes such as 'EST,FIN' "
                        "or ['EST', 'FIN'], or 'all' for every state")
    states = sovereign_airspace(codes, dependencies=dependencies)
    return make_airspace(
        states.geometry,
        airspace_id=[f"national-{code}" for code in states["iso_a3"]],
        name=list(states["name"]),
        country=list(states["sovereign_iso_a3"]),
        kind="national",
        floor_m=-math.inf,
        floor_ref="SFC",
        ceiling_m=math.inf,
        ceiling_ref="STD",
    )
