"""Near approaches: stays outside a volume but within a distance of it, found as parts of their own.

With ``approach_m`` (:func:`detect.prepare_airspace`), each part of each
volume gets an :class:`ApproachPart`: its approach band (:mod:`detect.band`,
every point within ``approach_m`` geodesic of the part, to
:data:`detect.band.OVERREACH_SHARE`), between the volume's floor lowered and
its ceiling raised by ``approach_vertical_m`` (limits at the surface or
unlimited stay so), in the same activation window. The approach parts are
detected like any other part, in batch and streaming alike; their inside
intervals along each piece of path are those of the band less those of the
volume itself (:func:`approach_intervals`). So one approach event is one
stay in the band outside the volume: it enters and leaves through the
band's faces, or through the face ``volume`` where it leaves or enters the
volume itself; an approach whose exit face is ``volume`` led into the
volume. Its closest approach is searched by :mod:`detect.closest`.

A part's band is taken alone: where two parts of one volume lie within twice
the distance of each other, an approach to one may lie in the other.
"""

from __future__ import annotations

import sys
import threading

import numpy as np

from detect.volumes import Part, Volume

#: Event kinds, in the column ``event``.
VIOLATION, APPROACH = "violation", "approach"


class ApproachPart(Part):
    """The approach band of one part of a volume, detected as a part of its own.

    Parameters
    ----------
    row : namedtuple
        The volume's row, its floor and ceiling widened (:func:`widened_row`).
    geometry_lonlat : shapely.Polygon or shapely.MultiPolygon
        The band (:func:`detect.band.approach_band`).
    crs : pyproj.CRS or str, optional
        As for :class:`detect.volumes.Part`.
    volume_part : detect.volumes.Part
        The part approached.

    Examples
    --------
    >>> import shapely
    >>> from airspace import make_airspace
    >>> from detect.volumes import prepare_airspace
    >>> prepared = prepare_airspace(make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1)), approach_m=1000.0)
    >>> [type(part).__name__ for part in prepared.parts], prepared.parts[1].approach_of is prepared.parts[0]
    (['Part', 'ApproachPart'], True)
    """

    def __init__(self, row, geometry_lonlat, crs, volume_part: Part):
        super().__init__(row, geometry_lonlat, crs, volume_part.terrain)
        self.approach_of = volume_part
        self._lock = threading.Lock()
        self._outline = None
        self._closest_targets: dict = {}

    def __getstate__(self):
        """What a pickle holds (to ship an airspace to other processes): the part without its closest targets.

        Examples
        --------
        >>> import pickle, shapely
        >>> from airspace import make_airspace
        >>> from detect.volumes import prepare_airspace
        >>> part = prepare_airspace(make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1)), approach_m=1000.0).parts[1]
        >>> copy = pickle.loads(pickle.dumps(part))
        >>> round(copy.closest_target(0).stray_m, 1) == round(part.closest_target(0).stray_m, 1)
        True
        """
        state = dict(self.__dict__)
        del state["_lock"]
        return {**state, "_outline": None, "_closest_targets": {}}

    def __setstate__(self, state):
        """A part from its pickle, with a lock of its own."""
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def closest_target(self, v: int):
        """The approached part in its depth view `v`, as :func:`detect.closest.closest_target` makes it, once.

        Examples
        --------
        >>> import shapely
        >>> from airspace import make_airspace
        >>> from detect.volumes import prepare_airspace
        >>> part = prepare_airspace(make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1)), approach_m=1000.0).parts[1]
        >>> round(part.closest_target(0).shared.polygon.area / 1e6, 1)  # the box itself, km2
        127.9
        """
        from detect.closest import closest_target, part_outline

        with self._lock:
            if v not in self._closest_targets:
                if self._outline is None:
                    self._outline = part_outline(self.approach_of.geometry_lonlat)
                self._closest_targets[v] = closest_target(self._outline,
                                                          self.approach_of.depth_views[v].prepare())
            return self._closest_targets[v]


def widened_row(row, approach_vertical_m: float | None):
    """A volume's row with its floor lowered and its ceiling raised by `approach_vertical_m` (open limits kept).

    Examples
    --------
    >>> from collections import namedtuple
    >>> Row = namedtuple("Row", "floor_m floor_ref ceiling_m ceiling_ref")
    >>> widened_row(Row(1000.0, "MSL", np.inf, "STD"), 150.0)
    Row(floor_m=850.0, floor_ref='MSL', ceiling_m=inf, ceiling_ref='STD')
    >>> widened_row(Row(-np.inf, "SFC", 3000.0, "STD"), 150.0)
    Row(floor_m=-inf, floor_ref='SFC', ceiling_m=3150.0, ceiling_ref='STD')
    """
    from detect.vertical import is_open_limit

    margin_m = approach_vertical_m or 0.0
    floor_m = row.floor_m if is_open_limit(row.floor_ref, row.floor_m) else row.floor_m - margin_m
    ceiling_m = row.ceiling_m if is_open_limit(row.ceiling_ref, row.ceiling_m) else row.ceiling_m + margin_m
    fields = row._asdict() if hasattr(row, "_asdict") else vars(row)  # a named tuple or a namespace
    return type(row)(**{**fields, "floor_m": floor_m, "ceiling_m": ceiling_m})


def approach_volumes(volumes, approach_m: float, approach_vertical_m: float | None, crs=None) -> list:
    """An approach volume for each volume: its parts' bands, its limits widened.

    Examples
    --------
    >>> import shapely
    >>> from airspace import make_airspace
    >>> from detect.volumes import prepare_airspace
    >>> volumes = prepare_airspace(make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), airspace_id="R1")).volumes
    >>> [(volume.row.airspace_id, volume.event) for volume in approach_volumes(volumes, 1000.0, None)]
    [('R1', 'approach')]
    """
    from tqdm import tqdm

    from detect.band import approach_band
    from detect.band_cache import cached_band
    from detect.parallel import default_workers, map_in_threads

    if approach_vertical_m is not None and not approach_vertical_m >= 0:
        raise ValueError(f"vertical approach margin must not be negative, not {approach_vertical_m!r}")

    def band_of(part):  # national parts' bands kept on disk, as their prepared parts are
        build = cached_band if part.row.kind == "national" else approach_band
        try:
            return build(part.geometry_lonlat, approach_m)
        except ValueError as error:
            raise ValueError(f"airspace {part.row.airspace_id!r}: {error}") from None

    all_parts = [part for volume in volumes for part in volume.parts]
    # A bar on a terminal only: the bands of many states take a minute to build the first time.
    with tqdm(total=len(all_parts), unit="part", desc="approach bands", file=sys.stderr, leave=False,
              disable=None, delay=2.0) as bar:
        def counted(part):
            band = band_of(part)
            bar.update()
            return band

        bands = iter(map_in_threads(counted, all_parts, default_workers()))  # GEOS works outside the GIL
    approaches = []
    for volume in volumes:
        row = widened_row(volume.row, approach_vertical_m)
        parts = tuple(ApproachPart(row, next(bands), crs, part) for part in volume.parts)
        approaches.append(Volume(row, parts, APPROACH))
    return approaches


def approach_intervals(band_fa, band_fb, band_lo, band_hi, volume_fa, volume_fb, volume_lo, volume_hi):
    """The parts of the band's inside intervals outside the volume's, piece by piece.

    Both sets of intervals are fractions ``lo``..``hi`` of the piece from
    fix ``fa`` to fix ``fb``, sorted by ``fa`` then ``lo``, disjoint within a
    piece; the volume's lie within the band's. An empty remainder is
    dropped, but a single point of the band that touches no volume (a path
    that grazes the band) is kept.

    Returns
    -------
    row : ndarray of int64
        The band interval each remainder is part of.
    lo, hi : ndarray of float
    lo_volume, hi_volume : ndarray of int64
        The volume interval whose exit begins the remainder, and whose
        entry ends it; -1 where the band's own face does. A remainder that
        ends at a fix where the volume's next interval begins (or begins
        where one ended) has that interval's row.

    Examples
    --------
    A band over the whole piece from fix 0, the volume from 0.4 to 0.6:

    >>> row, lo, hi, lo_volume, hi_volume = approach_intervals(
    ...     np.array([0]), np.array([1]), np.array([0.0]), np.array([1.0]),
    ...     np.array([0]), np.array([1]), np.array([0.4]), np.array([0.6]))
    >>> row.tolist(), lo.tolist(), hi.tolist(), lo_volume.tolist(), hi_volume.tolist()
    ([0, 0], [0.0, 0.6], [0.4, 1.0], [-1, 0], [0, -1])
    """
    first = np.searchsorted(volume_fa, band_fa, side="left")
    count = np.searchsorted(volume_fa, band_fa, side="right") - first
    row = np.repeat(np.arange(len(band_fa)), count + 1)
    k = np.arange(len(row)) - np.repeat(np.cumsum(count + 1) - (count + 1), count + 1)  # gap number in piece
    before = first[row] + k - 1  # the volume interval the gap follows, if k > 0
    after = first[row] + k  # the one it precedes, if k < count
    has_before, has_after = k > 0, k < count[row]
    gap_lo = np.where(has_before, volume_hi[np.where(has_before, before, 0)] if len(volume_hi) else 0.0, 0.0)
    gap_hi = np.where(has_after, volume_lo[np.where(has_after, after, 0)] if len(volume_lo) else 1.0, 1.0)
    lo, hi = np.maximum(band_lo[row], gap_lo), np.minimum(band_hi[row], gap_hi)
    lo_volume = np.where(has_before & (gap_lo >= band_lo[row]), before, -1)
    hi_volume = np.where(has_after & (gap_hi <= band_hi[row]), after, -1)
    # A volume interval that begins or ends at the fix shared with the next or previous piece.
    starts, ends = np.flatnonzero(volume_lo == 0.0), np.flatnonzero(volume_hi == 1.0)
    hi_volume = _interval_at(volume_fa[starts], starts, band_fb[row], (hi == 1.0) & (hi_volume < 0), hi_volume)
    lo_volume = _interval_at(volume_fb[ends], ends, band_fa[row], (lo == 0.0) & (lo_volume < 0), lo_volume)
    kept = (lo < hi) | ((lo == hi) & (lo_volume < 0) & (hi_volume < 0))
    return row[kept], lo[kept], hi[kept], lo_volume[kept], hi_volume[kept]


def _interval_at(key_fix, rows, look_fix, wanted, face):
    """`face`, with the volume row whose key fix is `look_fix` where `wanted` and there is one."""
    wanted = np.flatnonzero(wanted)
    if not len(wanted) or not len(rows):
        return face
    order = np.argsort(key_fix, kind="stable")
    key_fix, rows = key_fix[order], rows[order]
    position = np.minimum(np.searchsorted(key_fix, look_fix[wanted]), len(key_fix) - 1)
    hit = key_fix[position] == look_fix[wanted]
    face = face.copy()
    face[wanted[hit]] = rows[position[hit]]
    return face
