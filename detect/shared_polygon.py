"""A polygon several threads test points and lines against at once, each through a prepared copy of its own.

A GEOS prepared geometry must not be used by two threads at once
(libgeos/geos#825), and an unprepared one costs time linear in its vertices
per test. A :class:`SharedPolygon` lends each call a prepared copy that no
other call holds, made when none is free: as many copies as calls ever ran
at once.
"""

from __future__ import annotations

import shapely


class SharedPolygon:
    """A polygon made ready for :func:`shapely.intersects_xy` and :func:`shapely.intersects` from several threads.

    Parameters
    ----------
    polygon : shapely.Polygon or shapely.MultiPolygon
        Prepared here, and lent as the first copy.

    Examples
    --------
    >>> import numpy as np
    >>> box = SharedPolygon(shapely.box(0.0, 0.0, 2.0, 1.0))
    >>> box.intersects_xy(np.array([1.0, 2.0, 3.0]), np.array([0.5, 1.0, 0.5])).tolist()  # its edge counts
    [True, True, False]
    >>> box.intersects(np.array([shapely.LineString([(3, 0), (3, 1)])])).tolist()
    [False]
    """

    def __init__(self, polygon):
        shapely.prepare(polygon)
        self.polygon = polygon
        self._spare = [polygon]  # copies no call holds (list.pop and append are atomic)

    def intersects_xy(self, x, y):
        """Whether points lie inside the polygon or on its boundary."""
        return self._lent(shapely.intersects_xy, x, y)

    def intersects(self, geometries):
        """Whether geometries meet the polygon."""
        return self._lent(shapely.intersects, geometries)

    def _lent(self, test, *args):
        try:
            copy = self._spare.pop()
        except IndexError:
            copy = shapely.from_wkb(shapely.to_wkb(self.polygon))
            shapely.prepare(copy)
        try:
            return test(copy, *args)
        finally:
            self._spare.append(copy)
