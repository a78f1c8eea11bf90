"""``find_violations``: every stay of every track inside every airspace volume.

Vectorised over all fixes of all tracks; the only Python loops are over the
parts of airspace volumes (:mod:`detect.parts`) and their views. All pieces
of path are looked up once in a lon/lat index of the parts
(:mod:`detect.prefilter`); then, for each part near some piece:

1. the lon/lat cells of the view each candidate piece is seen in settle the
   pieces far from the boundary (:mod:`detect.cells`); the fixes of the others
   are projected into the view's working frame (:mod:`detect.frame`,
   :mod:`detect.views`);
2. each of those pieces' lateral inside intervals are found exactly
   (:mod:`detect.lateral`, with :mod:`detect.grid`);
3. they are cut by the vertical limits and the activation window
   (:mod:`detect.vertical`);
4. intervals that meet at a fix are joined into events, which get their
   faces, times, positions, altitudes and depth (:mod:`detect.depth`, over
   the pieces whose cells say they may hold the deepest point, measured on
   the ellipsoid by :mod:`detect.geodesic`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from detect.cells import may_reach, settle_pieces
from detect.depth import deepest_points
from detect.geodesic import geodesic_depths, refine_deepest
from detect.filters import EventFilters, option_number
from detect.events import (ENTRY_FACE_NAMES, EXIT_FACE_NAMES, concatenate_columns, empty_events, event_order,
                           events_frame)
from detect.grid import BOUNDARY, INSIDE
from detect.ground import vertical_runs
from detect.lateral import lateral_intervals
from detect.pieces import Fixes, Pieces, build_pieces
from detect.recent import recently_prepared
from detect.vertical import SOURCE_NAMES, AltitudeSources, at_least_interval, is_open_limit, window_interval
from detect.parallel import default_workers, map_in_threads, parts_between_tracks
from detect.volumes import Part, PreparedAirspace, prepare_airspace, refuse_preparing_options
from detect.approach import APPROACH, VIOLATION, approach_intervals
from detect.closest import closest_points
from tracks import track_registries, validate_tracks

LATERAL, FLOOR, CEILING, WINDOW = 0, 1, 2, 3
RECORDING_EDGE, GAP, VOLUME = 4, 5, 6
#: Candidate pieces projected and cut at once: bounds the memory of the lateral stage.
PIECES_PER_CHUNK = 1 << 18
#: A piece is left out of the depth search when its cells bound its depth below its event's
#: known depth by this share and this many metres (:func:`_may_be_deepest`).
DEPTH_PRUNE_SHARE = 0.01
DEPTH_PRUNE_M = 1.0


def find_violations(
    tracks: pd.DataFrame,
    airspace,
    *,
    crs=None,
    terrain=None,
    max_gap_s: float | None = None,
    min_duration_s: float | None = None,
    min_depth_m: float | None = None,
    workers: int | None = None,
    time_from=None,
    time_to=None,
    foreign_only: bool = False,
    exclude_registry=None,
    approach_m: float | None = None,
    approach_vertical_m: float | None = None,
) -> pd.DataFrame:
    """Find every stay of every track inside every airspace volume, and near approaches on request.

    Parameters
    ----------
    tracks : pandas.DataFrame
        The tracks table (:mod:`tracks.table`): ``track_id``, ``time``, ``lon``,
        ``lat``, ``alt_baro_m``, ``alt_geo_m``, optionally ``suspect``.
        Ids may be text, integers or categories; a table whose tracks are
        not each one run of rows in time order is sorted first
        (:func:`tracks.validate_tracks`).
        Or a dask DataFrame of it (:func:`tracks.read_dataset`): then the
        events are a dask DataFrame too (:func:`detect.distributed.events_of_dataset`).
    airspace : geopandas.GeoDataFrame or PreparedAirspace
        The airspace table in EPSG:4326, or the same prepared once by
        :func:`detect.prepare_airspace` for many calls.
    crs : pyproj.CRS or str, optional
        Working projection (metres) for all airspaces, e.g. to compare with
        another tool in one CRS. By default each airspace gets its own
        (:func:`detect.working_crs`). Not with a prepared airspace: that
        has its projection already.
    terrain : airspace.terrain.Terrain or str or pathlib.Path, optional
        The ground under ``AGL`` floors and ceilings, which then follow it
        between fixes (:mod:`detect.ground`): a terrain model or a raster
        file (:func:`detect.prepare_airspace`). Without one, AGL limits take
        the ground at sea level and their events say ``ground_assumed``.
        Not with a prepared airspace: give it to :func:`detect.prepare_airspace`.
    max_gap_s : float, optional
        Do not interpolate between fixes further apart than this: an event
        closes at the last fix before the gap, face ``gap``. Off by default;
        positive.
    min_duration_s, min_depth_m : float, optional
        Drop shorter or shallower events. Off by default: a real 18 s,
        700 m incursion must come out. The depth filter leaves approach
        events be (they have no depth). At least 0.
    workers : int, optional
        Threads to detect in, each on a part of the tracks (a part holds
        whole tracks, and at least :data:`detect.parallel.MIN_FIXES_PER_PART`
        fixes). By default one per core this process may use.
    approach_m : float, optional
        Also report near approaches (``event == "approach"``): each stay
        outside a volume within this geodesic distance of its lateral
        boundary, with its closest approach (:mod:`detect.approach`).
        Off by default. Not with a prepared airspace: give it to
        :func:`detect.prepare_airspace`.
    approach_vertical_m : float, optional
        With `approach_m`: for volumes with a floor or ceiling, how far
        below and above them an approach reaches. 0 by default.

    Returns
    -------
    pandas.DataFrame
        The events table (:data:`detect.events.EVENT_COLUMNS`), sorted by
        track, entry time and airspace. ``track_id`` keeps the tracks' ids
        and dtype (text ids in the ``"string"`` dtype); tracks are in the
        order of their ids: text as text, integers numerically, categories
        in the order of the categories. ``registry_country`` is the state
        of registry of the track's aircraft where the tracks have an
        ``icao24`` column (:func:`tracks.track_registries`).

    Examples
    --------
    >>> import shapely
    >>> from tracks import make_tracks
    >>> from airspace import make_airspace
    >>> zone = make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), airspace_id="R1")
    >>> fixes = make_tracks("MIG1", pd.to_datetime(["2025-09-19 09:00:00", "2025-09-19 09:01:00"], utc=True),
    ...                     lon=[23.9, 24.3], lat=[59.05, 59.05])
    >>> events = find_violations(fixes, zone)
    >>> events[["track_id", "entry_face", "exit_face"]].to_dict("records")
    [{'track_id': 'MIG1', 'entry_face': 'lateral', 'exit_face': 'lateral'}]
    >>> round(events["duration_s"].iloc[0])
    30

    Passing 0.01 degrees (1.1 km) south of the zone; midway the straight path bows 17 m north:

    >>> near = make_tracks("MIG2", fixes["time"], lon=[23.9, 24.3], lat=[58.99, 58.99])
    >>> approach = find_violations(near, zone, approach_m=2000.0).iloc[0]
    >>> approach["event"], approach["entry_face"], round(approach["closest_m"])
    ('approach', 'lateral', 1097)
    """
    max_gap_s = option_number(max_gap_s, "max_gap_s", zero=False)
    min_duration_s = option_number(min_duration_s, "min_duration_s")
    min_depth_m = option_number(min_depth_m, "min_depth_m")
    options = {name: value for name, value in locals().items()  # for each partition of a dask DataFrame
               if name not in ("tracks", "airspace", "crs", "terrain", "approach_m", "approach_vertical_m")}
    if isinstance(airspace, PreparedAirspace):
        refuse_preparing_options(crs=crs, terrain=terrain, approach_m=approach_m,
                                 approach_vertical_m=approach_vertical_m)
        prepared = airspace
    elif terrain is not None:
        prepared = prepare_airspace(airspace, crs, terrain, approach_m=approach_m,
                                    approach_vertical_m=approach_vertical_m)
    elif approach_m is not None or approach_vertical_m is not None:
        prepared = recently_prepared(airspace, crs, prepare_airspace, approach_m=approach_m,
                                     approach_vertical_m=approach_vertical_m)
    else:
        prepared = recently_prepared(airspace, crs, prepare_airspace)
    if type(tracks).__module__.startswith("dask."):
        from detect.distributed import events_of_dataset

        return events_of_dataset(tracks, prepared, options)
    filters = EventFilters.of(time_from, time_to, foreign_only, exclude_registry)
    tracks = validate_tracks(tracks)
    events = events_in_airspace(
        filters.fixes(tracks), prepared,
        max_gap_s=max_gap_s, min_duration_s=min_duration_s, min_depth_m=min_depth_m, workers=workers,
    )
    return filters.events(events, track_registries(tracks))


def events_in_airspace(
    tracks: pd.DataFrame,
    prepared: PreparedAirspace,
    *,
    max_gap_s: float | None = None,
    min_duration_s: float | None = None,
    min_depth_m: float | None = None,
    workers: int | None = None,
) -> pd.DataFrame:
    """:func:`find_violations` of a validated tracks table in a prepared airspace.

    For callers that detect in the same airspace many times (the streaming
    replay): the airspace is prepared once with :func:`detect.prepare_airspace`.

    Examples
    --------
    >>> import shapely
    >>> from airspace import make_airspace
    >>> from tracks import make_tracks, validate_tracks
    >>> zone = prepare_airspace(make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), airspace_id="R1"))
    >>> fixes = validate_tracks(make_tracks("MIG1", pd.date_range("2025-09-19 09:00", periods=2, freq="min",
    ...                         tz="UTC"), lon=[23.9, 24.3], lat=[59.05, 59.05]))
    >>> events_in_airspace(fixes, zone, min_duration_s=60).empty, len(events_in_airspace(fixes, zone))
    (True, 1)
    """
    id_dtype = tracks["track_id"].dtype
    if len(tracks) == 0 or not prepared.parts:
        return empty_events(id_dtype)
    workers = default_workers() if workers is None else workers
    fixes = Fixes.from_tracks(tracks)
    altitudes_m = {name: tracks[name].to_numpy(float) for name in ("alt_baro_m", "alt_geo_m")}
    columns = events_in_threads(fixes, altitudes_m, prepared, max_gap_s, workers)
    if columns is None:
        return empty_events(id_dtype)
    order = event_order(columns, id_dtype)
    if min_duration_s is not None:
        order = order[columns["duration_s"][order] >= min_duration_s]
    if min_depth_m is not None:
        order = order[(columns["max_depth_m"][order] >= min_depth_m) | (columns["event"][order] == APPROACH)]
    return events_frame({name: column[order] for name, column in columns.items()}, id_dtype)


def events_in_threads(fixes: Fixes, altitudes_m: dict, prepared: PreparedAirspace, max_gap_s: float | None,
                      workers: int, depth: str = "all", only=None):
    """:func:`events_of_fixes`, on parts of whole tracks in up to `workers` threads (where parts pay).

    Examples
    --------
    >>> from detect.example_data import example_tables
    >>> events, table, zones = example_tables()
    >>> altitudes = {name: table[name].to_numpy() for name in ("alt_baro_m", "alt_geo_m")}
    >>> columns = events_in_threads(Fixes.from_tracks(table), altitudes, prepare_airspace(zones), None, workers=2)
    >>> sorted(columns["max_depth_m"].round(3)) == sorted(events["max_depth_m"].round(3))
    True
    """
    ranges = parts_between_tracks(fixes, workers)
    n_parts = len(prepared.parts)

    def events_of_part(k):
        lo, hi = ranges[k]
        rows = fixes.rows_of_tracks(lo, hi)
        altitudes_of_part = {name: column[rows] for name, column in altitudes_m.items()}
        only_of_part = None
        if only is not None:  # these tracks' own, numbered from the first
            whole, pairs = only
            pairs = pairs[(pairs >= lo * n_parts) & (pairs < hi * n_parts)] - lo * n_parts
            only_of_part = (whole[lo:hi], pairs)
        return events_of_fixes(fixes.of_tracks(lo, hi), altitudes_of_part, prepared, max_gap_s,
                               start_share=k / len(ranges), depth=depth, only=only_of_part)

    parts = map_in_threads(events_of_part, list(range(len(ranges))), workers)
    parts = [part for part in parts if part is not None]
    return concatenate_columns(parts) if parts else None


def events_of_fixes(fixes: Fixes, altitudes_m: dict, prepared: PreparedAirspace, max_gap_s: float | None,
                    start_share: float = 0.0, depth: str = "all", only=None):
    """Event columns of fix arrays in every volume, unsorted and unfiltered; None when there are none.

    Parameters
    ----------
    fixes : detect.pieces.Fixes
        Tracks contiguous, each in time order.
    altitudes_m : dict
        ``alt_baro_m`` and ``alt_geo_m`` per fix.
    prepared : PreparedAirspace
    max_gap_s : float or None
        As for :func:`find_violations`.
    start_share : float
        Where in the list of parts near the fixes to start (then round to
        the start): threads that start apart seldom need a part's polygon at
        the same moment, so they seldom make copies of it on first use
        (:meth:`detect.volumes.View.covers_xy`).
    depth : {"all", "closed", "none"}
        Which events' deepest point to search: every one's, only those of
        events that begin and end within the fixes (not at a track's first
        or last fix), or none. Where not searched, ``max_depth_m`` and the
        deepest point's time and place are NaN (NaT).
    only : tuple of ndarray, optional
        Detect some tracks only in some parts: ``(whole, pairs)``, where
        ``whole`` says per track whether to detect it in every part, and
        ``pairs`` holds the sorted codes ``track * len(prepared.parts) +
        part`` of the other tracks' parts to detect them in.

    Examples
    --------
    >>> import shapely
    >>> from airspace import make_airspace
    >>> from tracks import make_tracks
    >>> zone = prepare_airspace(make_airspace(shapely.box(24.0, 59.0, 24.2, 59.1), airspace_id="R1"))
    >>> table = make_tracks("MIG1", pd.date_range("2025-09-19 09:00", periods=2, freq="min", tz="UTC"),
    ...                     lon=[23.9, 24.3], lat=[59.05, 59.05])
    >>> altitudes = {name: table[name].to_numpy() for name in ("alt_baro_m", "alt_geo_m")}
    >>> columns = events_of_fixes(Fixes.from_tracks(table), altitudes, zone, None, depth="none")
    >>> columns["entry_face"].tolist(), columns["max_depth_m"].tolist()
    (['lateral'], [nan])
    >>> events_of_fixes(Fixes.from_tracks(table), altitudes, zone, None, only=(np.array([False]), np.array([], int)))
    """
    pieces = build_pieces(fixes, max_gap_s)
    altitudes = AltitudeSources(altitudes_m, fixes.time_s, fixes.track_start)
    piece, part = prepared.index.candidates(fixes.lon_deg, fixes.lat_deg, pieces.a, pieces.b)
    if only is not None:
        whole, pairs = only
        track = fixes.track_code[pieces.a[piece]]
        kept = whole[track] | np.isin(track * len(prepared.parts) + part, pairs)
        piece, part = piece[kept], part[kept]
    order = np.argsort(part, kind="stable")  # by part, pieces in fix order within each
    piece, part = piece[order], part[order]
    bounds = np.searchsorted(part, np.arange(len(prepared.parts) + 1))
    del order
    events = []
    near = np.flatnonzero(np.diff(bounds))
    for k in np.roll(near, -int(start_share * len(near))):
        candidate = piece[bounds[k]:bounds[k + 1]]
        events.append(_part_events(fixes, pieces, altitudes, prepared.parts[k], candidate, depth))
    events = [part for part in events if part is not None]
    return concatenate_columns(events) if events else None


def _part_events(fixes: Fixes, pieces: Pieces, altitudes: AltitudeSources, part: Part, candidate,
                 depth: str = "all") -> dict | None:
    """Event columns of all tracks in one part of a volume, from the `candidate` pieces near it; None if none."""
    if part.approach_of is None:
        inside = _inside_of_part(fixes, pieces, altitudes, part, candidate)
    else:
        inside = _approach_of_part(fixes, pieces, altitudes, part, candidate)
    return None if inside is None else _joined_events(fixes, pieces, altitudes, part, inside, depth)


def _inside_of_part(fixes: Fixes, pieces: Pieces, altitudes: AltitudeSources, part: Part, candidate):
    """The inside parts of the `candidate` pieces in one part of a volume, in fix order; None if none.

    Each piece is seen in one view of the part (the frame of the lattice cell
    its first fix lies in, for a vast part); the inside parts of all views
    are put back in fix order, so that a stay is joined across views.
    """
    if len(part.views) == 1:
        seen_in_view = [(0, candidate)]
    else:
        view_of_piece = part.view_of(fixes.lon_deg[pieces.a[candidate]], fixes.lat_deg[pieces.a[candidate]])
        seen_in_view = [(v, candidate[view_of_piece == v]) for v in np.unique(view_of_piece)]
    parts = []
    for v, seen in seen_in_view:
        view = part.views[v].prepare()
        for chunk in np.array_split(seen, -(-len(seen) // PIECES_PER_CHUNK)):
            inside = _inside_pieces(fixes, altitudes, part, view, pieces.a[chunk], pieces.b[chunk])
            if inside is not None:
                parts.append(inside)
    if not parts:
        return None
    inside = parts[0] if len(parts) == 1 else _InsidePieces.concatenate(parts)
    del parts
    if len(part.views) > 1:
        inside = inside.take(np.lexsort((inside.lo, inside.fa)))
    return inside


def _approach_of_part(fixes: Fixes, pieces: Pieces, altitudes: AltitudeSources, part: Part, candidate):
    """The parts of the `candidate` pieces in an approach part's band but outside its volume; None if none."""
    band = _inside_of_part(fixes, pieces, altitudes, part, candidate)
    if band is None:
        return None
    candidate = candidate[np.isin(pieces.a[candidate], band.fa)]
    volume = _inside_of_part(fixes, pieces, altitudes, part.approach_of, candidate)
    if volume is None:
        return band
    row, lo, hi, lo_volume, hi_volume = approach_intervals(band.fa, band.fb, band.lo, band.hi, volume.fa,
                                                          volume.fb, volume.lo, volume.hi)
    if not len(row):
        return None
    from_lo, from_hi = lo_volume >= 0, hi_volume >= 0
    lo_volume, hi_volume = np.maximum(lo_volume, 0), np.maximum(hi_volume, 0)
    return _InsidePieces(
        band.fa[row], band.fb[row], lo, hi,
        np.where(from_lo, VOLUME, band.entry_code[row]), np.where(from_hi, VOLUME, band.exit_code[row]),
        np.where(from_lo, volume.lon_hi[lo_volume], band.lon_lo[row]),
        np.where(from_lo, volume.lat_hi[lo_volume], band.lat_lo[row]),
        np.where(from_hi, volume.lon_lo[hi_volume], band.lon_hi[row]),
        np.where(from_hi, volume.lat_lo[hi_volume], band.lat_hi[row]),
        band.ground_assumed[row])


def _joined_events(fixes: Fixes, pieces: Pieces, altitudes: AltitudeSources, part: Part,
                   inside: "_InsidePieces", depth: str = "all") -> dict:
    """Event columns of the inside parts of one part of a volume: intervals that meet at a fix are one event.

    `depth` says which events' deepest point to search (:func:`events_of_fixes`).
    """
    row = part.row
    fa, fb, lo, hi = inside.fa, inside.fb, inside.lo, inside.hi
    joins_previous = np.zeros(len(fa), bool)
    joins_previous[1:] = (fb[:-1] == fa[1:]) & (fa[:-1] != fa[1:]) & (hi[:-1] == 1.0) & (lo[1:] == 0.0)
    event = np.cumsum(~joins_previous) - 1
    first = np.flatnonzero(~joins_previous)
    last = np.concatenate([first[1:] - 1, [len(fa) - 1]])
    n_events = len(first)

    def time_at(frac, f_a, f_b):
        return fixes.time_ns[f_a] + np.round(frac * (fixes.time_ns[f_b] - fixes.time_ns[f_a])).astype(np.int64)

    entry_ns = time_at(lo[first], fa[first], fb[first])
    exit_ns = time_at(hi[last], fa[last], fb[last])
    entry_face, entry_uncertainty = _entry_faces(fixes, pieces, inside, first)
    exit_face, exit_uncertainty = _exit_faces(fixes, pieces, inside, last)

    # Fixes whose time lies within the event's (nanosecond) times; shared fixes once.
    at_a = time_at(lo, fa, fb) == fixes.time_ns[fa]
    at_b = (time_at(hi, fa, fb) == fixes.time_ns[fb]) & (fb != fa)
    n_fixes = np.add.reduceat(at_a.astype(np.int64) + at_b - joins_previous, first)
    del at_a, at_b, joins_previous

    min_alt, max_alt, alt_source = _altitude_range(altitudes, row, inside, first)
    if fixes.suspect is None:
        suspect = np.zeros(n_events, bool)
    else:
        suspect = np.logical_or.reduceat(fixes.suspect[fa] | fixes.suspect[fb], first)

    searched = np.full(n_events, depth == "all")
    if depth == "closed":
        searched = (entry_face != RECORDING_EDGE) & (exit_face != RECORDING_EDGE)
    depth_m, deep_lon, deep_lat = np.full(n_events, np.nan), np.full(n_events, np.nan), np.full(n_events, np.nan)
    deepest_ns = np.full(n_events, np.datetime64("NaT").view(np.int64))
    closest_m, closest_lon, closest_lat = (np.full(n_events, np.nan) for _ in range(3))
    closest_ns = deepest_ns.copy()
    if searched.any() and part.approach_of is not None:
        pieces = np.flatnonzero(searched[event])
        number = np.cumsum(searched) - 1
        found = closest_points(part, inside.lon_lo[pieces], inside.lat_lo[pieces], inside.lon_hi[pieces],
                               inside.lat_hi[pieces], number[event[pieces]], int(searched.sum()))
        piece, frac = pieces[found[1]], found[2]
        closest_m[searched], closest_lon[searched], closest_lat[searched] = found[0], found[3], found[4]
        closest_ns[searched] = time_at(lo[piece] + frac * (hi[piece] - lo[piece]), fa[piece], fb[piece])
    elif searched.any():
        # The deepest point of the searched events, over their own pieces.
        pieces = np.flatnonzero(searched[event]) if not searched.all() else np.arange(len(fa))
        number = np.cumsum(searched) - 1
        found = _deepest(part, fixes, inside.take(pieces) if len(pieces) < len(fa) else inside,
                         number[event[pieces]], int(searched.sum()))
        piece, frac = pieces[found[1]], found[2]
        deep_t = lo[piece] + frac * (hi[piece] - lo[piece])
        depth_m[searched], deep_lon[searched], deep_lat[searched] = found[0], found[3], found[4]
        deepest_ns[searched] = time_at(deep_t, fa[piece], fb[piece])
    return {
        "track_id": fixes.track_names[fixes.track_code[fa[first]]],
        "airspace_id": np.full(n_events, row.airspace_id, dtype=object),
        "country": np.full(n_events, row.country, dtype=object),
        "kind": np.full(n_events, row.kind, dtype=object),
        "entry_time": entry_ns,
        "exit_time": exit_ns,
        "duration_s": (exit_ns - entry_ns) / 1e9,
        "entry_face": ENTRY_FACE_NAMES[entry_face],
        "exit_face": EXIT_FACE_NAMES[exit_face],
        "entry_uncertainty_s": entry_uncertainty,
        "exit_uncertainty_s": exit_uncertainty,
        "max_depth_m": depth_m,
        "deepest_time": deepest_ns,
        "deepest_lon": deep_lon,
        "deepest_lat": deep_lat,
        "entry_lon": inside.lon_lo[first],
        "entry_lat": inside.lat_lo[first],
        "exit_lon": inside.lon_hi[last],
        "exit_lat": inside.lat_hi[last],
        "min_alt_m": min_alt,
        "max_alt_m": max_alt,
        "alt_source": alt_source,
        "n_fixes": n_fixes,
        "suspect": suspect,
        "ground_assumed": np.logical_or.reduceat(inside.ground_assumed, first),
        "event": np.full(n_events, VIOLATION if part.approach_of is None else APPROACH, dtype=object),
        "closest_m": closest_m,
        "closest_time": closest_ns,
        "closest_lon": closest_lon,
        "closest_lat": closest_lat,
        "registry_country": np.full(n_events, None, dtype=object),  # set from the tracks' icao24 (detect.filters)
    }


def _deepest(part: Part, fixes: Fixes, inside: "_InsidePieces", event, n_events):
    """Each event's deepest point (piece, fraction, lon/lat) and its geodesic depth.

    The depth is searched in the part's own frames (:attr:`Part.depth_views`),
    each inside piece in the frame of the cell its first fix lies in, over the
    pieces that may hold the deepest point (:func:`_may_be_deepest`).
    """
    depth_m = np.full(n_events, -np.inf)
    deep_piece = np.zeros(n_events, np.int64)
    deep_frac, deep_lon, deep_lat = np.zeros(n_events), np.zeros(n_events), np.zeros(n_events)
    depth_view = part.depth_view_of(fixes.lon_deg[inside.fa], fixes.lat_deg[inside.fa])
    for v in np.unique(depth_view):
        view = part.depth_views[v].prepare()
        frame = view.frame
        seen = np.flatnonzero(depth_view == v)
        if view.cells is not None:
            seen = _may_be_deepest(view.cells, fixes, inside, event, n_events, seen)
        seen_event, local_event = np.unique(event[seen], return_inverse=True)
        ends = _projected_ends(frame, inside, seen)
        frame_depth, piece, frac, _ = deepest_points(view.grid, local_event, *ends, len(seen_event))
        depth, imbalance = geodesic_depths(frame, view.grid, *_along(ends, piece, frac), frame_depth)
        piece, frac, depth = refine_deepest(frame, view.grid, local_event, *ends, piece, frac, depth,
                                            imbalance, frame_depth)
        deeper = depth > depth_m[seen_event]
        chosen = seen_event[deeper]
        depth_m[chosen], deep_piece[chosen], deep_frac[chosen] = depth[deeper], seen[piece[deeper]], frac[deeper]
        deep_lon[chosen], deep_lat[chosen] = frame.to_lonlat_deg(*_along(ends, piece[deeper], frac[deeper]))
    return depth_m, deep_piece, deep_frac, deep_lon, deep_lat


def _may_be_deepest(cells, fixes: Fixes, inside: "_InsidePieces", event, n_events, seen):
    """The pieces of `seen` that may hold their event's deepest point, judged by lon/lat cells alone.

    A piece is left out when its cells bound its depth below the depth its
    event is known to reach elsewhere, less :data:`DEPTH_PRUNE_SHARE` (the
    frame's distances differ from the ellipsoid's by far less within a part's
    own frame) and :data:`DEPTH_PRUNE_M`.
    """
    return seen[may_reach(cells, fixes.lon_deg, fixes.lat_deg, inside.fa[seen], inside.fb[seen], inside.lo[seen],
                          inside.hi[seen], event[seen], n_events, DEPTH_PRUNE_SHARE, DEPTH_PRUNE_M)]


def _projected_ends(frame, inside: "_InsidePieces", seen):
    """Frame ends ``(x_a, y_a, x_b, y_b)`` of inside parts `seen`; an end equal to the one before is projected once.

    Consecutive inside parts of a stay share a fix, so about half the ends are.
    """
    lon = np.column_stack([inside.lon_lo[seen], inside.lon_hi[seen]]).ravel()
    lat = np.column_stack([inside.lat_lo[seen], inside.lat_hi[seen]]).ravel()
    new = np.ones(len(lon), bool)
    new[1:] = (lon[1:] != lon[:-1]) | (lat[1:] != lat[:-1])
    x, y = frame.to_xy_m(lon[new], lat[new])
    point = np.cumsum(new) - 1
    x, y = x[point], y[point]
    return x[0::2], y[0::2], x[1::2], y[1::2]


def _along(ends, piece, frac):
    """Frame points at fractions along pieces with ends ``(x_a, y_a, x_b, y_b)``."""
    xa, ya, xb, yb = ends
    return xa[piece] + frac * (xb[piece] - xa[piece]), ya[piece] + frac * (yb[piece] - ya[piece])


@dataclass(frozen=True)
class _InsidePieces:
    """Parts of pieces inside one volume, in fix order.

    Fractions ``lo``..``hi`` of the piece from fix ``fa`` to fix ``fb``
    (straight in the frame it was seen in), the face that bounds each end,
    the ends' lon/lat in degrees, and whether an AGL limit took the ground
    at sea level somewhere along the piece.
    """

    fa: np.ndarray
    fb: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    entry_code: np.ndarray
    exit_code: np.ndarray
    lon_lo: np.ndarray
    lat_lo: np.ndarray
    lon_hi: np.ndarray
    lat_hi: np.ndarray
    ground_assumed: np.ndarray

    @classmethod
    def concatenate(cls, parts: list["_InsidePieces"]) -> "_InsidePieces":
        """The parts one after the other."""
        return cls(*(np.concatenate([getattr(part, field.name) for part in parts]) for field in fields(cls)))

    def take(self, order) -> "_InsidePieces":
        """The rows in `order`."""
        return type(self)(*(getattr(self, field.name)[order] for field in fields(self)))


def _inside_pieces(fixes, altitudes, part, view, a, b):
    """The inside parts of pieces ``a`` -> ``b`` seen in `view`: lateral, vertical and in time; None if none."""
    seg, lat_lo, lat_hi = _lateral_inside(fixes, view, a, b)
    if not len(seg):
        return None

    row = part.row
    fa, fb = a[seg], b[seg]
    floor_alt, _ = _limit_altitude(altitudes, row.floor_ref, row.floor_m)
    ceiling_alt, _ = _limit_altitude(altitudes, row.ceiling_ref, row.ceiling_m)
    window_s = (_seconds(row.valid_from, fixes, -np.inf), _seconds(row.valid_to, fixes, np.inf))
    agl = (row.floor_ref == "AGL" and floor_alt is not None) or (row.ceiling_ref == "AGL" and ceiling_alt is not None)
    if floor_alt is None and ceiling_alt is None and window_s == (-np.inf, np.inf):
        # SFC to UNL, always active (national airspace): the lateral intervals are the answer.
        lateral = np.full(len(seg), LATERAL)
        return _inside_parts(fixes, view.frame, fa, fb, lat_lo, lat_hi, lateral, lateral, np.zeros(len(seg), bool))

    # Cut by the vertical band and the activation window.
    if part.terrain is not None:
        run, v_lo, v_hi, v_lo_face, v_hi_face, assumed = vertical_runs(
            part.terrain, view.frame, fixes.lon_deg, fixes.lat_deg, fa, fb, lat_lo, lat_hi,
            None if floor_alt is None else (floor_alt, row.floor_m, row.floor_ref == "AGL"),
            None if ceiling_alt is None else (ceiling_alt, row.ceiling_m, row.ceiling_ref == "AGL"))
        fa, fb, lat_lo, lat_hi = fa[run], fb[run], lat_lo[run], lat_hi[run]
    else:
        floor_lo, floor_hi = _at_least(floor_alt, fa, fb, row.floor_m)
        ceil_lo, ceil_hi = _at_least(None if ceiling_alt is None else -ceiling_alt, fa, fb, -row.ceiling_m)
        v_lo, v_hi = np.maximum(floor_lo, ceil_lo), np.minimum(floor_hi, ceil_hi)
        v_lo_face = np.where(floor_lo >= ceil_lo, FLOOR, CEILING)
        v_hi_face = np.where(floor_hi <= ceil_hi, FLOOR, CEILING)
        assumed = np.full(len(fa), agl)
    w_lo, w_hi = window_interval(fixes.time_s[fa], fixes.time_s[fb], *window_s)
    lo = np.maximum.reduce([lat_lo, v_lo, w_lo])
    hi = np.minimum.reduce([lat_hi, v_hi, w_hi])
    entry_code = np.where(lat_lo >= np.maximum(v_lo, w_lo), LATERAL, np.where(v_lo >= w_lo, v_lo_face, WINDOW))
    exit_code = np.where(lat_hi <= np.minimum(v_hi, w_hi), LATERAL, np.where(v_hi <= w_hi, v_hi_face, WINDOW))
    ok = lo <= hi
    if not ok.any():
        return None
    return _inside_parts(fixes, view.frame, fa[ok], fb[ok], lo[ok], hi[ok], entry_code[ok], exit_code[ok],
                         assumed[ok])


def _lateral_inside(fixes, view, a, b):
    """Lateral inside intervals of pieces ``a`` -> ``b`` in `view` (as :func:`lateral_intervals` gives them).

    Pieces that the view's lon/lat cells settle (:mod:`detect.cells`) are
    not projected; the others are cut exactly (:func:`_cut_inside`).
    """
    if view.cells is None:
        state = np.full(len(a), BOUNDARY, np.int8)
    else:
        state = settle_pieces(view.cells, fixes.lon_deg, fixes.lat_deg, a, b)
    settled, unsettled = np.flatnonzero(state == INSIDE), np.flatnonzero(state == BOUNDARY)
    seg, lat_lo, lat_hi = _cut_inside(fixes, view, a[unsettled], b[unsettled])
    seg = np.concatenate([settled, unsettled[seg]])
    order = np.argsort(seg, kind="stable")
    return (seg[order], np.concatenate([np.zeros(len(settled)), lat_lo])[order],
            np.concatenate([np.ones(len(settled)), lat_hi])[order])


def _cut_inside(fixes, view, a, b):
    """:func:`lateral_intervals` of pieces ``a`` -> ``b``, their fixes projected into the view's frame, each once."""
    if not len(a):
        return np.empty(0, np.int64), np.empty(0), np.empty(0)
    # Pieces are in fix order, so `a` and `b` are sorted: two sorted runs, merged in linear time.
    used = np.sort(np.concatenate([a, b]), kind="stable")
    used = used[np.concatenate([[True], used[1:] != used[:-1]])]
    x_used, y_used = view.frame.to_xy_m(fixes.lon_deg[used], fixes.lat_deg[used])
    return lateral_intervals(view.grid, view.covers_xy, x_used, y_used, np.searchsorted(used, a),
                             np.searchsorted(used, b))


def _inside_parts(fixes, frame, fa, fb, lo, hi, entry_code, exit_code, ground_assumed) -> _InsidePieces:
    """The inside parts, their ends placed in lon/lat."""
    return _InsidePieces(fa, fb, lo, hi, entry_code, exit_code,
                         *_point_lonlat(fixes, frame, fa, fb, lo), *_point_lonlat(fixes, frame, fa, fb, hi),
                         ground_assumed)


def _point_lonlat(fixes, frame, fa, fb, frac):
    """Lon/lat of the points at fractions `frac` along pieces ``fa`` -> ``fb``, straight in `frame`.

    At 0 and 1 they are the fixes themselves; only points between fixes are
    placed in the frame.
    """
    lon, lat = fixes.lon_deg[fa], fixes.lat_deg[fa]
    at_b = frac == 1.0
    lon[at_b], lat[at_b] = fixes.lon_deg[fb[at_b]], fixes.lat_deg[fb[at_b]]
    between = np.flatnonzero((frac > 0.0) & (frac < 1.0))
    if len(between):
        xa, ya = frame.to_xy_m(fixes.lon_deg[fa[between]], fixes.lat_deg[fa[between]])
        xb, yb = frame.to_xy_m(fixes.lon_deg[fb[between]], fixes.lat_deg[fb[between]])
        t = frac[between]
        lon[between], lat[between] = frame.to_lonlat_deg(xa + t * (xb - xa), ya + t * (yb - ya))
    return lon, lat


def _entry_faces(fixes: Fixes, pieces: Pieces, inside: _InsidePieces, first):
    """Entry face codes and uncertainties (s) of events starting at pieces `first`."""
    fa = inside.fa[first]
    return _end_faces(inside.entry_code[first], fixes.time_s[inside.fb[first]] - fixes.time_s[fa],
                      inside.lo[first] == 0.0, fixes.track_start[fa], pieces.gap_before_s(fa))


def _exit_faces(fixes: Fixes, pieces: Pieces, inside: _InsidePieces, last):
    """Exit face codes and uncertainties (s) of events ending at pieces `last`."""
    fb = inside.fb[last]
    return _end_faces(inside.exit_code[last], fixes.time_s[fb] - fixes.time_s[inside.fa[last]],
                      inside.hi[last] == 1.0, fixes.track_end[fb], pieces.gap_after_s(fb))


def _end_faces(face, uncertainty, at_fix, at_track_edge, gap_s):
    """Faces and uncertainties of event ends, given their faces and pieces' durations.

    An end at a fix is the recording's edge where the track starts or ends
    there, else a gap's where a gap (`gap_s`, seconds) lies beyond it; an
    end by activation is exact.
    """
    edge = at_fix & at_track_edge
    gap = at_fix & ~edge & np.isfinite(gap_s)
    face[edge], uncertainty[edge] = RECORDING_EDGE, np.nan
    face[gap], uncertainty[gap] = GAP, gap_s[gap]
    uncertainty[face == WINDOW] = 0.0
    return face, uncertainty


def _altitude_range(altitudes: AltitudeSources, row, inside: _InsidePieces, first):
    """Least and greatest altitude along each event's inside path, and its source.

    The altitude shown is the one the floor compares with, else the
    ceiling's, else pressure altitude; linear within a piece, so the ends of
    the inside parts suffice.
    """
    floor_alt, floor_source = _limit_altitude(altitudes, row.floor_ref, row.floor_m)
    ceiling_alt, ceiling_source = _limit_altitude(altitudes, row.ceiling_ref, row.ceiling_m)
    shown_alt, shown_source = _shown_altitude(altitudes, floor_alt, floor_source, ceiling_alt, ceiling_source)
    alt_a, alt_b = shown_alt[inside.fa], shown_alt[inside.fb]
    alt_lo = alt_a + inside.lo * (alt_b - alt_a)
    alt_hi = alt_a + inside.hi * (alt_b - alt_a)
    with np.errstate(invalid="ignore"):
        min_alt = np.fmin.reduceat(np.fmin(alt_lo, alt_hi), first)
        max_alt = np.fmax.reduceat(np.fmax(alt_lo, alt_hi), first)
    return min_alt, max_alt, SOURCE_NAMES[shown_source[inside.fa[first]]]


def _limit_altitude(altitudes: AltitudeSources, ref: str, limit_m: float):
    """Altitude per fix that a limit compares with, or None for SFC/UNL limits."""
    if is_open_limit(ref, limit_m):
        return None, None
    return altitudes.for_reference(ref)


def _at_least(alt_m, fa, fb, limit_m):
    """Interval where altitude >= limit; the whole piece when there is no limit."""
    if alt_m is None:
        return np.zeros(len(fa)), np.ones(len(fa))
    return at_least_interval(alt_m[fa], alt_m[fb], limit_m)


def _shown_altitude(altitudes, floor_alt, floor_source, ceiling_alt, ceiling_source):
    """The altitude reported in min/max_alt_m: the floor's, else the ceiling's, else pressure altitude."""
    if floor_alt is not None:
        return floor_alt, floor_source
    if ceiling_alt is not None:
        return ceiling_alt, ceiling_source
    return altitudes.for_reference("STD")


def _seconds(timestamp, fixes: Fixes, default: float) -> float:
    """An activation bound in the fixes' seconds, or ``default`` when unset."""
    if timestamp is None or pd.isna(timestamp):
        return default
    return (pd.Timestamp(timestamp).value - fixes.origin_ns) / 1e9
