"""The approach band of an airspace part: every point within a geodesic distance of it, as a lon/lat polygon.

The band is the union of the buffers of the part's pieces: the part is cut
along a lattice of :data:`CELL_DEG`-degree cells, and each piece its boundary
crosses is buffered in a frame centred on its cell (Lambert azimuthal
equal-area, whose scale within the cell's reach is true to a few parts in a
hundred thousand), then brought back to lon/lat, densified first so that its
edges are straight in any working frame to the centimetre. The buffer of a
union is the union of its pieces' buffers, and a piece wholly inside the
part adds nothing its neighbours' buffers do not hold, so the band is that
of the whole part. The pieces' edges, straight in lon/lat as stored, are
cut every :data:`EDGE_STEP_DEG` before they are projected. The buffer's
arcs are polygons drawn around the true circles (:data:`QUAD_SEGMENTS`), so
the band holds every point within the distance and reaches at most
:data:`OVERREACH_SHARE` of it farther: the tolerance of an approach's entry
and exit, within the depth's max(1 m, 0.1 %).

A part split at the antimeridian (as GeoJSON requires) is joined across it
first, and its band split there again.
"""

from __future__ import annotations

import numpy as np
import shapely

from detect.frame import Frame, _joined_at_seam, wrap_lon_deg

#: Side of the lattice cells the part is cut into, degrees; each piece is buffered in a frame of its own.
CELL_DEG = 1.5
#: The part's edges are straight in lon/lat (as the airspace table stores them): cut into pieces of at
#: most this many degrees before buffering, each then as straight in the frame as the lon/lat line.
EDGE_STEP_DEG = 0.005
#: Segments per quarter circle of the buffer's arcs.
QUAD_SEGMENTS = 32
#: How much farther than the distance the band may reach (the arcs' polygons drawn around the circles).
OVERREACH_SHARE = 1.0 / np.cos(np.pi / (4 * QUAD_SEGMENTS)) - 1.0
#: Longest edge of the band in its piece's frame, as a share of the distance, and at most this many metres.
EDGE_SHARE, LONGEST_EDGE_M = 0.1, 1_000.0


def approach_band(geometry_lonlat, approach_m: float):
    """Every point within `approach_m` (geodesic, WGS84) of a polygon, as a lon/lat polygon.

    Parameters
    ----------
    geometry_lonlat : shapely.Polygon or shapely.MultiPolygon
        An airspace part, EPSG:4326.
    approach_m : float
        The distance, metres, positive.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon

    Raises
    ------
    ValueError
        For a distance that is not positive.

    Examples
    --------
    A box and its band 1 km wide: the band's edge is 1 km out (to
    :data:`OVERREACH_SHARE`), measured on the ellipsoid:

    >>> from detect.geodesic import GEOD
    >>> band = approach_band(shapely.box(24.0, 59.0, 24.2, 59.1), 1_000.0)
    >>> west = shapely.intersection(band.boundary, shapely.LineString([(23.9, 59.05), (24.0, 59.05)]))
    >>> round(GEOD.inv(west.x, west.y, 24.0, 59.05)[2], 1)
    1000.3
    """
    if not approach_m > 0:
        raise ValueError(f"approach distance must be positive, not {approach_m!r}")
    radius_m = approach_m * (1.0 + OVERREACH_SHARE)  # the arcs' chords touch the circle
    edge_m = min(LONGEST_EDGE_M, EDGE_SHARE * approach_m)
    joined = _joined_at_seam(geometry_lonlat)  # longitudes up to 540 where it reaches across
    pieces, boxes = _boundary_pieces(joined)
    centres = shapely.get_coordinates(shapely.centroid(boxes))
    buffers = [_piece_buffer(piece, lon0, lat0, radius_m, edge_m) for piece, (lon0, lat0) in zip(pieces, centres)]
    return _split_at_seam(shapely.make_valid(shapely.union_all([joined, *buffers])))


def _boundary_pieces(geometry_lonlat):
    """The polygon cut along the lattice of :data:`CELL_DEG` cells: the pieces its boundary crosses, and their cells.

    The polygon's box is halved along lattice lines, each half's piece cut
    from its parent's, until each box is one cell: every vertex is handled
    once per halving, not once per cell.

    Examples
    --------
    A box 2 x 1 degrees, cut on the lattice lines every 1.5 degrees (24 E,
    25.5 E, 60 N): two pieces with area (the strip along 60 N has none):

    >>> pieces, boxes = _boundary_pieces(shapely.box(24.0, 59.0, 26.0, 60.0))
    >>> [round(float(area), 2) for area in shapely.area(pieces)], round(float(sum(shapely.area(pieces))), 6)
    ([1.5, 0.5], 2.0)
    """
    west, south, east, north = shapely.bounds(geometry_lonlat)
    box = np.floor(np.array([west, south]) / CELL_DEG).astype(np.int64)
    box = np.concatenate([box, np.floor(np.array([east, north]) / CELL_DEG).astype(np.int64) + 1])
    boxes, pieces = box[None, :], np.array([geometry_lonlat], dtype=object)
    while True:
        width, height = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
        split = (width > 1) | (height > 1)
        if not split.any():
            break
        along_x = width >= height
        middle = np.where(along_x, boxes[:, 0] + width // 2, boxes[:, 1] + height // 2)
        low, high = boxes.copy(), boxes.copy()
        low[along_x, 2], high[along_x, 0] = middle[along_x], middle[along_x]
        low[~along_x, 3], high[~along_x, 1] = middle[~along_x], middle[~along_x]
        children = np.concatenate([low[split], high[split]])
        parents = np.concatenate([pieces[split], pieces[split]])
        cut = shapely.intersection(parents, shapely.box(*(children * CELL_DEG).T))
        kept = ~shapely.is_empty(cut) & (shapely.area(cut) > 0)
        boxes = np.concatenate([boxes[~split], children[kept]])
        pieces = np.concatenate([pieces[~split], cut[kept]])
    cells = shapely.box(*(boxes * CELL_DEG).T)
    boundary = shapely.boundary(geometry_lonlat)
    shapely.prepare(boundary)
    crossed = shapely.intersects(boundary, cells)
    return pieces[crossed], cells[crossed]


def _split_at_seam(geometry):
    """A polygon with longitudes beyond +/-180 cut there, each side brought back into [-180, 180]."""
    minx, _, maxx, _ = shapely.bounds(geometry)
    if minx >= -180.0 and maxx <= 180.0:
        return geometry
    sides = [shapely.transform(shapely.clip_by_rect(geometry, west, -90.0, west + 360.0, 90.0),
                               lambda xy, shift=shift: xy + np.array([shift, 0.0]))
             for west, shift in ((-540.0, 360.0), (-180.0, 0.0), (180.0, -360.0))]
    polygons = shapely.get_parts(np.array(sides, object))
    polygons = polygons[np.isin(shapely.get_type_id(polygons), (3,))]  # Polygons only
    return shapely.multipolygons(polygons)


def _piece_buffer(piece_lonlat, lon0_deg: float, lat0_deg: float, radius_m: float, edge_m: float):
    """The buffer of one piece of the part, made in a frame centred on its cell, in lon/lat."""
    frame = Frame.centred_at(lon0_deg, lat0_deg)
    piece_m = frame.polygon_to_frame(shapely.segmentize(piece_lonlat, EDGE_STEP_DEG))
    buffer = shapely.segmentize(shapely.buffer(piece_m, radius_m, quad_segs=QUAD_SEGMENTS), edge_m)

    def to_lonlat(xy):  # longitudes kept near the cell's, not wrapped at +/-180
        lon, lat = frame.to_lonlat_deg(xy[:, 0], xy[:, 1])
        return np.column_stack([lon0_deg + wrap_lon_deg(lon - lon0_deg), lat])

    return shapely.transform(buffer, to_lonlat)
