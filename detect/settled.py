"""Which tracks of a streaming batch can change state: those with a piece the lon/lat cells do not settle.

A piece of path that the lon/lat cells of a part (:mod:`detect.cells`) settle
wholly inside or wholly outside the part neither enters nor leaves it. A
track whose every new piece is settled, near every part, stays in the
volumes it was in: a streaming batch need not detect it, as long as it is
settled inside only volumes it has an open stay in, and those have no
vertical limits and no activation window (crossing those is not lateral).
An approach part is settled by its band's cells and its volume's together.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from detect.cells import settle_pieces
from detect.grid import BOUNDARY, INSIDE, OUTSIDE
from detect.pieces import Fixes, Pieces
from detect.vertical import is_open_limit


class PartVolumes(NamedTuple):
    """The volume of each part of a prepared airspace, and which volumes are lateral only.

    ``volume_of_part`` indexes ``PreparedAirspace.volumes``; ``lateral_only``
    is True for a volume from the surface up with no activation window.

    Examples
    --------
    >>> volumes = PartVolumes(volume_of_part=np.array([0, 0, 1]), lateral_only=np.array([True, False]))
    >>> volumes.lateral_only[volumes.volume_of_part].tolist()  # of each part
    [True, True, False]
    """

    volume_of_part: np.ndarray
    lateral_only: np.ndarray

    @classmethod
    def of(cls, prepared) -> "PartVolumes":
        """The parts' volumes and the volumes' limits of a prepared airspace.

        Examples
        --------
        >>> import shapely
        >>> from airspace import make_airspace
        >>> from detect.volumes import prepare_airspace
        >>> two = make_airspace([shapely.box(0, 0, 1, 1), shapely.box(2, 0, 3, 1)], airspace_id=["A", "B"],
        ...                     ceiling_m=[np.inf, 3000.0], ceiling_ref=["STD", "MSL"])
        >>> PartVolumes.of(prepare_airspace(two)).lateral_only.tolist()
        [True, False]
        """
        number = {id(part): v for v, volume in enumerate(prepared.volumes) for part in volume.parts}
        volume_of_part = np.array([number[id(part)] for part in prepared.parts], np.int64)
        lateral_only = np.array([_lateral_only(volume.row) for volume in prepared.volumes], bool)
        return cls(volume_of_part, lateral_only)


def _part_states(part, fixes: Fixes, a, b) -> np.ndarray:
    """What a part's lon/lat cells settle of pieces ``a`` -> ``b``: inside, outside or boundary (unsettled)."""
    state = np.full(len(a), BOUNDARY, np.int8)
    views = part.views
    view_of_piece = np.zeros(len(a), np.int64) if len(views) == 1 else part.view_of(fixes.lon_deg[a], fixes.lat_deg[a])
    for v in np.unique(view_of_piece):
        cells = views[v].prepare().cells
        if cells is not None:
            seen = view_of_piece == v
            state[seen] = settle_pieces(cells, fixes.lon_deg, fixes.lat_deg, a[seen], b[seen])
    return state


def _approach_states(band, volume, lateral_only: bool) -> np.ndarray:
    """Pieces settled in an approach part (:mod:`detect.approach`), from their states in its band and its volume.

    A piece is outside the approach where it is outside the band, or inside
    a volume with no vertical limits; inside where it is inside the band
    and outside the volume.

    Examples
    --------
    >>> band, volume = np.array([OUTSIDE, INSIDE, INSIDE, INSIDE]), np.array([OUTSIDE, INSIDE, OUTSIDE, BOUNDARY])
    >>> _approach_states(band, volume, True).tolist() == [OUTSIDE, OUTSIDE, INSIDE, BOUNDARY]
    True
    """
    outside = (band == OUTSIDE) | ((volume == INSIDE) & lateral_only)
    inside = (band == INSIDE) & (volume == OUTSIDE)
    return np.where(outside, OUTSIDE, np.where(inside, INSIDE, BOUNDARY)).astype(np.int8)


def _lateral_only(row) -> bool:
    """Whether a volume's limits are the surface and unlimited, and it is always active."""
    timeless = all(pd.isna(getattr(row, name, None)) for name in ("valid_from", "valid_to"))
    return is_open_limit(row.floor_ref, row.floor_m) and is_open_limit(row.ceiling_ref, row.ceiling_m) and timeless


class Settled(NamedTuple):
    """What the cells say of each track of a batch.

    ``unsettled_track`` and ``unsettled_part`` list, once each, the (track,
    part) pairs with a piece the cells do not settle, or settle inside a
    volume that is not lateral only; ``inside_track`` and ``inside_volume``
    the (track, volume) pairs with a piece settled inside.

    Examples
    --------
    >>> settled = Settled(np.array([2]), np.array([0]), np.array([0, 1]), np.array([0, 0]))
    >>> settled.unsettled_track.tolist(), settled.inside_track.tolist()  # settled_tracks has one on real tracks
    ([2], [0, 1])
    """

    unsettled_track: np.ndarray
    unsettled_part: np.ndarray
    inside_track: np.ndarray
    inside_volume: np.ndarray


def settled_tracks(prepared, volumes: PartVolumes, fixes: Fixes, pieces: Pieces) -> Settled:
    """What the lon/lat cells settle of each track's pieces, near every part of the airspace.

    Parameters
    ----------
    prepared : detect.volumes.PreparedAirspace
    volumes : PartVolumes
        Of `prepared`.
    fixes : detect.pieces.Fixes
    pieces : detect.pieces.Pieces
        Of `fixes`.

    Returns
    -------
    Settled

    Examples
    --------
    >>> import pandas as pd
    >>> import shapely
    >>> from airspace import make_airspace
    >>> from detect.pieces import build_pieces
    >>> from detect.volumes import prepare_airspace
    >>> from tracks import make_tracks
    >>> prepared = prepare_airspace(make_airspace(shapely.box(5.0, 45.0, 6.0, 46.0), airspace_id="R"))
    >>> times = pd.date_range("2025-09-19", periods=6, freq="10s", tz="UTC")
    >>> table = make_tracks(["deep"] * 2 + ["far"] * 2 + ["crossing"] * 2, times,
    ...                     lon=[5.5, 5.51, 9.0, 9.01, 5.99, 6.01], lat=[45.5] * 6)
    >>> fixes = Fixes.from_tracks(table)
    >>> settled = settled_tracks(prepared, PartVolumes.of(prepared), fixes, build_pieces(fixes, None))
    >>> fixes.track_names[settled.unsettled_track].tolist(), fixes.track_names[settled.inside_track].tolist()
    (['crossing'], ['deep'])
    """
    piece, part = prepared.index.candidates(fixes.lon_deg, fixes.lat_deg, pieces.a, pieces.b)
    state = np.full(len(piece), BOUNDARY, np.int8)
    order = np.argsort(part, kind="stable")
    bounds = np.searchsorted(part[order], np.arange(len(prepared.parts) + 1))
    for k in np.flatnonzero(np.diff(bounds)):
        near = order[bounds[k]:bounds[k + 1]]
        a, b = pieces.a[piece[near]], pieces.b[piece[near]]
        state[near] = _part_states(prepared.parts[k], fixes, a, b)
        if prepared.parts[k].approach_of is not None:
            state[near] = _approach_states(state[near], _part_states(prepared.parts[k].approach_of, fixes, a, b),
                                           volumes.lateral_only[volumes.volume_of_part[k]])
    track = fixes.track_code[pieces.a[piece]]
    volume = volumes.volume_of_part[part]
    inside = state == INSIDE
    unsettled = (state == BOUNDARY) | (inside & ~volumes.lateral_only[volume])
    n_parts, n_volumes = len(prepared.parts), len(volumes.lateral_only)
    unsettled_pairs = np.unique(track[unsettled] * n_parts + part[unsettled])
    inside_pairs = np.unique(track[inside] * n_volumes + volume[inside])
    return Settled(unsettled_pairs // n_parts, unsettled_pairs % n_parts, inside_pairs // n_volumes,
                   inside_pairs % n_volumes)
