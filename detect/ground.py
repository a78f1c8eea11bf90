"""Vertical limits over terrain: where a piece of path lies between a floor and a ceiling that follow the ground.

An ``AGL`` limit is a height above the ground under the aircraft. With a
terrain model (:class:`airspace.terrain.Terrain`), the ground is sampled
along each piece of path, straight in the working frame, at
:meth:`~airspace.terrain.Terrain.sample_step_m` (half a cell of the model),
and taken as linear between samples, as the altitude is between fixes. The
height above the ground then is piecewise linear along the piece, so the
part of a piece between the floor and the ceiling can be several intervals:
an aircraft flying level over a ridge leaves an AGL ceiling's volume over the
ridge and comes back beyond it. Each sample interval's part is found exactly
(:func:`detect.vertical.at_least_interval`) and the parts that meet are
joined.

Where the model has no value (outside it, or a nodata cell), the ground is
taken at sea level, and the intervals say so (``ground_assumed``).
"""

from __future__ import annotations

import numpy as np

from detect.vertical import at_least_interval

#: Samples at most along one piece of path (a longer piece is sampled more sparsely).
MAX_SAMPLES_PER_PIECE = 4096
FLOOR, CEILING = 1, 2  # as the core numbers the faces


def vertical_runs(terrain, frame, lon_deg, lat_deg, fa, fb, t_from, t_to, floor, ceiling):
    """The intervals of pieces ``fa`` -> ``fb``, within ``t_from``..``t_to``, between a floor and a ceiling.

    Either limit may be AGL. Only the given stretch of each piece is sampled
    (its lateral inside part), and not even that where the altitude keeps
    the path inside or outside the limits over any ground the model has.

    Parameters
    ----------
    terrain : airspace.terrain.Terrain
    frame : detect.frame.Frame
        The frame the pieces are straight in.
    lon_deg, lat_deg : ndarray
        Fix positions.
    fa, fb : ndarray of int
        The pieces' first and last fixes.
    t_from, t_to : ndarray
        The stretch of each piece to look at, as fractions of it.
    floor, ceiling : tuple or None
        ``(alt_m, limit_m, is_agl)``: the altitude per fix the limit compares
        with (NaN meets it), the limit in metres, and whether it is a height
        above the ground; None for no limit.

    Returns
    -------
    row : ndarray of int
        Index into `fa` of each interval, in order (intervals of a piece in order too).
    lo, hi : ndarray
        The interval as fractions of the piece.
    lo_face, hi_face : ndarray of int
        :data:`FLOOR` or :data:`CEILING`: the limit that bounds each end.
    ground_assumed : ndarray of bool
        Whether the stretch has a sample where the model has no ground.

    Examples
    --------
    Level at 400 m across a ridge 300 m high, in a volume from 200 m above
    the ground up: inside over the plain on either side, below the floor over
    the ridge top, where the ground is higher than 200 m (it rises linearly
    from 24.05 to 24.15 degrees east and falls to 24.25):

    >>> from airspace.terrain import Terrain
    >>> from detect.frame import Frame
    >>> ridge = Terrain(np.array([[0.0, 0.0, 300.0, 0.0, 0.0]]), west=23.9, north=59.05, cell_x=0.1, cell_y=0.1)
    >>> frame = Frame.centred_at(24.1, 59.0)
    >>> alt = np.array([400.0, 400.0])
    >>> row, lo, hi, lo_face, hi_face, assumed = vertical_runs(
    ...     ridge, frame, np.array([23.95, 24.25]), np.array([59.0, 59.0]), np.array([0]), np.array([1]),
    ...     np.array([0.0]), np.array([1.0]), floor=(alt, 200.0, True), ceiling=None)
    >>> row.tolist(), (lo * 0.3 + 23.95).round(3).tolist(), (hi * 0.3 + 23.95).round(3).tolist()
    ([0, 0], [23.95, 24.183], [24.117, 24.25])
    >>> lo_face.tolist(), hi_face.tolist(), assumed.tolist()
    ([1, 1], [1, 1], [False, False])
    """
    x_a, y_a = frame.to_xy_m(lon_deg[fa], lat_deg[fa])
    x_b, y_b = frame.to_xy_m(lon_deg[fb], lat_deg[fb])
    length_m = np.hypot(x_b - x_a, y_b - y_a) * (t_to - t_from)
    step_m = terrain.sample_step_m(float(np.nanmean(lat_deg[fa])) if len(fa) else 0.0)
    n_segments = np.clip(np.ceil(length_m / step_m), 1, MAX_SAMPLES_PER_PIECE - 1).astype(np.int64)
    n_segments[_settled_by_altitude(terrain, fa, fb, floor, ceiling)] = 1
    starts = np.concatenate([[0], np.cumsum(n_segments + 1)])
    row_of_sample = np.repeat(np.arange(len(fa)), n_segments + 1)
    k = np.arange(starts[-1]) - starts[row_of_sample]
    t = t_from[row_of_sample] + k / n_segments[row_of_sample] * (t_to - t_from)[row_of_sample]
    lon, lat = frame.to_lonlat_deg(x_a[row_of_sample] + t * (x_b - x_a)[row_of_sample],
                                   y_a[row_of_sample] + t * (y_b - y_a)[row_of_sample])
    ground = terrain.ground_m(lon, lat)
    unknown = np.isnan(ground)
    ground_assumed = np.logical_or.reduceat(unknown, starts[:-1]) if len(fa) else np.zeros(0, bool)
    ground = np.where(unknown, 0.0, ground)

    def margin(limit, sign):
        """Per sample, how far the path is on the inside of `limit` (+inf where there is none)."""
        if limit is None:
            return np.full(len(t), np.inf)
        alt_m, limit_m, is_agl = limit
        a, b = alt_m[fa][row_of_sample], alt_m[fb][row_of_sample]
        height = a + t * (b - a) - (ground if is_agl else 0.0)
        return np.where(np.isnan(height), np.inf, sign * (height - limit_m))

    above_floor, below_ceiling = margin(floor, 1.0), margin(ceiling, -1.0)
    # Sample intervals: from each sample to the next of the same stretch.
    left = np.flatnonzero(k < n_segments[row_of_sample])
    right = left + 1
    f_lo, f_hi = at_least_interval(above_floor[left], above_floor[right], 0.0)
    c_lo, c_hi = at_least_interval(below_ceiling[left], below_ceiling[right], 0.0)
    u_lo, u_hi = np.maximum(f_lo, c_lo), np.minimum(f_hi, c_hi)
    kept = u_lo <= u_hi
    left, right, u_lo, u_hi = left[kept], right[kept], u_lo[kept], u_hi[kept]
    lo_face = np.where(f_lo[kept] >= c_lo[kept], FLOOR, CEILING)
    hi_face = np.where(f_hi[kept] <= c_hi[kept], FLOOR, CEILING)
    t_left, t_right = t[left], t[right]
    lo = np.where(u_lo == 0.0, t_left, t_left + u_lo * (t_right - t_left))
    hi = np.where(u_hi == 1.0, t_right, t_left + u_hi * (t_right - t_left))
    row = row_of_sample[left]
    # An interval that ends at a sample joins the next that starts there.
    joins = np.zeros(len(lo), bool)
    joins[1:] = (row[1:] == row[:-1]) & (right[:-1] == left[1:]) & (u_hi[:-1] == 1.0) & (u_lo[1:] == 0.0)
    run_first = np.flatnonzero(~joins)
    run_last = np.r_[run_first[1:] - 1, len(lo) - 1] if len(lo) else run_first
    return (row[run_first], lo[run_first], hi[run_last], lo_face[run_first], hi_face[run_last],
            ground_assumed[row[run_first]])


def _settled_by_altitude(terrain, fa, fb, floor, ceiling):
    """Per piece, whether its altitudes keep it wholly inside or wholly outside the limits over any ground.

    The ground is taken anywhere between the model's lowest and highest
    heights, and sea level (where the model has none).
    """
    ground_lo, ground_hi = terrain.height_range_m
    ground_lo, ground_hi = min(ground_lo, 0.0), max(ground_hi, 0.0)
    always_in = np.ones(len(fa), bool)
    never_in = np.zeros(len(fa), bool)
    for limit, sign in ((floor, 1.0), (ceiling, -1.0)):
        if limit is None:
            continue
        alt_m, limit_m, is_agl = limit
        a, b = alt_m[fa], alt_m[fb]
        with np.errstate(invalid="ignore"):
            low, high = np.fmin(a, b), np.fmax(a, b)
            if is_agl:
                low, high = low - ground_hi, high - ground_lo
            margin_lo = np.where(sign > 0, low - limit_m, limit_m - high)
            margin_hi = np.where(sign > 0, high - limit_m, limit_m - low)
        unknown = np.isnan(a) | np.isnan(b)
        always_in &= unknown | (margin_lo >= 0)
        never_in |= ~unknown & (margin_hi < 0)
    return always_in | never_in
