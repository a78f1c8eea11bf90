"""Shapely polygons drawn on matplotlib axes as filled paths or outlines."""

import numpy as np
import shapely
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.path import Path

_POLYGON = 3


def polygons(geometries):
    """Every Polygon in `geometries` (multi-parts and collections opened, other types dropped).

    Examples
    --------
    >>> import shapely
    >>> two = shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)])
    >>> len(polygons([two, shapely.Point(0, 0)]))
    2
    """
    parts = shapely.get_parts(shapely.get_parts(np.atleast_1d(np.asarray(geometries, dtype=object))))
    return parts[(shapely.get_type_id(parts) == _POLYGON) & ~shapely.is_empty(parts)]


def polygon_path(polygon):
    """A matplotlib Path of a shapely Polygon, its holes as extra rings.

    Examples
    --------
    >>> import shapely
    >>> square_with_hole = shapely.box(0, 0, 2, 2).difference(shapely.box(0.5, 0.5, 1, 1))
    >>> polygon_path(square_with_hole).codes.tolist()  # 1 move to, 2 line to, 79 close
    [1, 2, 2, 2, 79, 1, 2, 2, 2, 79]
    """
    rings = [np.asarray(polygon.exterior.coords)] + [np.asarray(ring.coords) for ring in polygon.interiors]
    codes = np.concatenate([[Path.MOVETO] + [Path.LINETO] * (len(ring) - 2) + [Path.CLOSEPOLY] for ring in rings])
    return Path(np.concatenate(rings), codes)


def fill_polygons(ax, geometries, **style):
    """Add the polygons of `geometries` to `ax` as one PathCollection (None if there are none).

    `style` goes to :class:`matplotlib.collections.PathCollection`
    (``facecolor``, ``edgecolor``, ``hatch``, ``linewidth``, ``zorder``, ``label``).

    Examples
    --------
    >>> import shapely
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> type(fill_polygons(ax, shapely.box(0, 0, 1, 1), facecolor="red")).__name__
    'PathCollection'
    >>> fill_polygons(ax, shapely.Point(0, 0)) is None
    True
    """
    paths = [polygon_path(polygon) for polygon in polygons(geometries)]
    if not paths:
        return None
    return ax.add_collection(PathCollection(paths, **style), autolim=False)


def outline_polygons(ax, geometries, **style):
    """Add the rings of the polygons of `geometries` to `ax` as one LineCollection (None if none).

    `style` goes to :class:`matplotlib.collections.LineCollection`.

    Examples
    --------
    >>> import shapely
    >>> from matplotlib.figure import Figure
    >>> square_with_hole = shapely.box(0, 0, 2, 2).difference(shapely.box(0.5, 0.5, 1, 1))
    >>> len(outline_polygons(Figure().add_subplot(), square_with_hole).get_segments())  # two rings
    2
    """
    rings = []
    for polygon in polygons(geometries):
        rings.append(np.asarray(polygon.exterior.coords))
        rings.extend(np.asarray(ring.coords) for ring in polygon.interiors)
    if not rings:
        return None
    return ax.add_collection(LineCollection(rings, **style), autolim=False)
