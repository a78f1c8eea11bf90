"""Where a label goes next to the point it names: clear of the track, of other labels, inside the axes.

A label is tried in eight directions around its point, at a fixed distance
in points; each try is scored by its clearance (in points) from the lines
and labels to avoid, with a bonus for the preferred direction, and refused
if the label would leave the axes. Sizes of text are estimated from the
number of characters, which is enough to keep labels apart.
"""

import math

import numpy as np
import shapely

DISTANCE_PT = 44.0
"""How far a label is set from its point, points."""

_CHAR_WIDTH_EM = 0.62
_LINE_HEIGHT_EM = 1.35
_PREFERENCE_PT = 12.0
#: Labels that overlap something at :data:`DISTANCE_PT` are tried up to this many times as far out.
FARTHEST_RING = 3
_ENOUGH_PT = 60.0


def _points_per_unit(ax):
    (xmin, xmax), (ymin, ymax) = ax.get_xlim(), ax.get_ylim()
    position = ax.get_position()
    width_pt = position.width * ax.figure.get_figwidth() * 72
    height_pt = position.height * ax.figure.get_figheight() * 72
    return width_pt / (xmax - xmin), height_pt / (ymax - ymin)


def label_box_pt(text, fontsize):
    """Estimated (width, height) of a text in points, with its box's padding.

    Examples
    --------
    >>> label_box_pt("entry 16:00:59 Z", 10)
    (107.2, 19.5)
    """
    lines = text.split("\n")
    return (
        max(len(line) for line in lines) * fontsize * _CHAR_WIDTH_EM + 8,
        len(lines) * fontsize * _LINE_HEIGHT_EM + 6,
    )


def alignment(offset_pt):
    """Horizontal and vertical alignment of a label set off by `offset_pt` from its point.

    Examples
    --------
    >>> alignment((20.0, -20.0)), alignment((0.0, 44.0))
    (('left', 'top'), ('center', 'bottom'))
    """
    dx, dy = offset_pt
    return (
        "left" if dx > 8 else "right" if dx < -8 else "center",
        "bottom" if dy > 8 else "top" if dy < -8 else "center",
    )


def label_rectangle(ax, anchor, offset_pt, size_pt, align=None):
    """The label's box as a shapely rectangle in data units.

    The label is aligned as :func:`alignment` says for its offset, or as
    `align` (horizontal, vertical) says.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot(xlim=(0.0, 100.0), ylim=(0.0, 100.0))
    >>> box = label_rectangle(ax, (50.0, 50.0), (20.0, 20.0), (40.0, 10.0))
    >>> box.bounds[0] > 50.0 and box.bounds[1] > 50.0  # above and right of its point
    True
    >>> label_rectangle(ax, (50.0, 50.0), (0.0, 0.0), (40.0, 10.0), ("right", "top")).bounds[2:] == (50.0, 50.0)
    True
    """
    sx, sy = _points_per_unit(ax)
    ha, va = alignment(offset_pt) if align is None else align
    width, height = size_pt
    left = {"left": 0.0, "center": -width / 2, "right": -width}[ha] + offset_pt[0]
    bottom = {"bottom": 0.0, "center": -height / 2, "top": -height}[va] + offset_pt[1]
    return shapely.box(
        anchor[0] + left / sx, anchor[1] + bottom / sy,
        anchor[0] + (left + width) / sx, anchor[1] + (bottom + height) / sy,
    )


def place_label(ax, anchor, text, fontsize, *, avoid, preferred=(0.0, 1.0), distance_pt=DISTANCE_PT):
    """The offset in points that sets a label clear of `avoid`, and the label's box.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        With its limits set.
    anchor : array_like
        The point named, data units.
    text : str
        The label (its size is estimated from it).
    fontsize : float
    avoid : shapely.Geometry
        Lines, points and boxes to keep clear of, data units.
    preferred : array_like
        The direction to choose when others are no better.
    distance_pt : float

    Returns
    -------
    offset_pt : tuple of float
    box : shapely.Polygon
        The label's box in data units (to avoid in later placements).

    Examples
    --------
    >>> import shapely
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot(xlim=(-10_000.0, 10_000.0), ylim=(-10_000.0, 10_000.0))
    >>> track = shapely.LineString([(0, -10_000), (0, 10_000)])  # north-south through the point
    >>> offset, box = place_label(ax, (0.0, 0.0), "entry", 10, avoid=track)
    >>> alignment(offset)  # beside the track, not on it
    ('right', 'center')
    """
    sx, sy = _points_per_unit(ax)
    view = shapely.box(ax.get_xlim()[0], ax.get_ylim()[0], ax.get_xlim()[1], ax.get_ylim()[1])
    preferred = np.asarray(preferred, float)
    norm = math.hypot(*preferred)
    preferred = preferred / norm if norm > 0 else np.array([0.0, 1.0])
    size = label_box_pt(text, fontsize)
    best = None
    for ring in range(1, FARTHEST_RING + 1):  # farther out only while every place overlaps something
        for angle in np.radians(np.arange(0, 360, 45)) + math.atan2(preferred[1], preferred[0]):
            direction = np.array([math.cos(angle), math.sin(angle)])
            offset = (ring * distance_pt * direction[0], ring * distance_pt * direction[1])
            box = label_rectangle(ax, anchor, offset, size)
            clear = False
            if not view.contains(box):
                score = -1e6 - shapely.area(shapely.difference(box, view))
            else:
                gap_units = shapely.distance(box, avoid) if avoid is not None and not avoid.is_empty else np.inf
                gap_pt = min(gap_units * min(sx, sy), _ENOUGH_PT)
                clear = gap_pt > 0
                score = gap_pt + _PREFERENCE_PT * float(np.dot(direction, preferred)) - (1e3 if not clear else 0)
            if best is None or score > best[0]:
                best = (score, offset, box, clear)
        if best[3]:
            break
    return best[1], best[2]
