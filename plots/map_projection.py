"""The map frame: a local projection centred on what is drawn, so that distances are true.

Maps are drawn in an azimuthal equidistant projection on the WGS84
ellipsoid centred on the subject (an event's deepest point, or the middle
of all events): distances from the centre are exact and, within a few
hundred kilometres, every distance is true to a fraction of a percent, so a
scale bar in km and NM can be trusted, and north is straight up at the
centre.
"""

import functools

import numpy as np
import pyproj
import shapely


def local_crs(lon_deg, lat_deg):
    """The azimuthal equidistant projection (metres) centred on a point.

    Examples
    --------
    >>> crs = local_crs(26.362, 59.814)  # Vaindloo
    >>> x_m, y_m = to_local(crs, [26.362, 26.362], [59.814, 59.814 + 1 / 60])
    >>> [round(float(v)) for v in (x_m[0], y_m[0], y_m[1])]  # one arc minute north: about 1 NM
    [0, 0, 1857]
    """
    return pyproj.CRS.from_proj4(
        f"+proj=aeqd +lat_0={lat_deg:.12f} +lon_0={lon_deg:.12f} +datum=WGS84 +units=m"
    )


@functools.lru_cache(maxsize=32)
def _transformers(crs_wkt):
    crs = pyproj.CRS.from_wkt(crs_wkt)
    return (
        pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True),
        pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True),
    )


def to_local(crs, lon_deg, lat_deg):
    """Project lon/lat degrees to (x_m, y_m) arrays in `crs`.

    Examples
    --------
    >>> crs = local_crs(26.36, 59.81)
    >>> x_m, y_m = to_local(crs, [26.36, 26.36], [59.81, 59.90])
    >>> x_m.round(1).tolist(), y_m.round(1).tolist()
    ([0.0, 0.0], [0.0, 10026.9])
    """
    forward, _ = _transformers(crs.to_wkt())
    x_m, y_m = forward.transform(np.asarray(lon_deg, float), np.asarray(lat_deg, float))
    return np.asarray(x_m, float), np.asarray(y_m, float)


def to_lonlat(crs, x_m, y_m):
    """Unproject (x_m, y_m) in `crs` to lon/lat degrees.

    Examples
    --------
    >>> crs = local_crs(26.36, 59.81)
    >>> [round(float(value), 3) for value in to_lonlat(crs, 0.0, 10026.9)]
    [26.36, 59.9]
    """
    _, inverse = _transformers(crs.to_wkt())
    lon, lat = inverse.transform(np.asarray(x_m, float), np.asarray(y_m, float))
    return np.asarray(lon, float), np.asarray(lat, float)


MAX_EDGE_DEG = 0.25
"""Longest edge, in degrees, projected as a straight line by :func:`geometry_to_local` (about 28 km of latitude)."""
SEAM_DEG = 1e-9
"""How near 180 degrees east and west an area must reach to be taken as cut there (a buffered edge moves by ~1e-13)."""


def geometry_to_local(crs, geometry):
    """Project a shapely geometry (or array of them) from lon/lat to `crs`.

    The edges of an area longer than :data:`MAX_EDGE_DEG` are cut into
    pieces first, so that an edge straight in lon/lat (a cut along a
    parallel, such as the one that clips an area to a view) keeps its
    course once projected, rather than becoming one chord that may cross
    the view. Lines and points are projected as they are: a line may step
    across the antimeridian from one vertex to the next.

    An area stored in parts on either side of the antimeridian (Fiji,
    Chukotka) comes out whole (:func:`joined_at_180`), so that no outline
    is drawn along 180 degrees, which is no border.

    Examples
    --------
    >>> import shapely
    >>> round(geometry_to_local(local_crs(26.36, 59.81), shapely.Point(26.36, 59.90)).y, 1)
    10026.9
    >>> halves = shapely.MultiPolygon([shapely.box(179.5, -17.5, 180.0, -17.0),
    ...                                shapely.box(-180.0, -17.5, -179.5, -17.0)])
    >>> geometry_to_local(local_crs(180.0, -17.25), halves).geom_type
    'Polygon'
    """
    forward, _ = _transformers(crs.to_wkt())

    def project(coords):
        x_m, y_m = forward.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x_m, y_m])

    areas = shapely.get_dimensions(geometry) == 2
    west, _, east, _ = np.moveaxis(shapely.bounds(geometry), -1, 0)
    cut = (west <= -180.0 + SEAM_DEG) & (east >= 180.0 - SEAM_DEG) & areas
    if np.ndim(areas) == 0:
        if areas:
            geometry = shapely.segmentize(joined_at_180(geometry) if cut else geometry, MAX_EDGE_DEG)
    elif areas.any():
        geometry = np.array(geometry, dtype=object)
        geometry[cut] = [joined_at_180(area) for area in geometry[cut]]
        geometry[areas] = shapely.segmentize(geometry[areas], MAX_EDGE_DEG)
    return shapely.transform(geometry, project)


def joined_at_180(area):
    """`area` (lon/lat) with its parts that meet at the antimeridian joined, those west of it moved by 360 degrees.

    The parts that lie west of 180 degrees (longitudes -180 to 0) are
    moved east by 360 degrees, where they meet the parts that end at 180
    along the same line; those that touch it are united there. Longitudes
    above 180 project as the same places.

    Examples
    --------
    >>> import shapely
    >>> halves = shapely.MultiPolygon([shapely.box(179.5, -17.5, 180.0, -17.0),
    ...                                shapely.box(-180.0, -17.5, -179.5, -17.0)])
    >>> joined = joined_at_180(halves)
    >>> joined.geom_type, joined.bounds
    ('Polygon', (179.5, -17.5, 180.5, -17.0))
    """
    parts = shapely.get_parts(area)
    west = shapely.bounds(parts)[:, 2] <= 0.0
    parts[west] = shapely.transform(parts[west], lambda coords: coords + [360.0, 0.0])
    bounds = shapely.bounds(parts)
    at_180 = (bounds[:, 0] <= 180.0 + SEAM_DEG) & (bounds[:, 2] >= 180.0 - SEAM_DEG)
    joined = shapely.get_parts(shapely.union_all(shapely.make_valid(parts[at_180]), grid_size=SEAM_DEG))
    joined = joined[shapely.get_type_id(joined) == shapely.GeometryType.POLYGON]  # not a degenerate part's lines
    polygons = [*parts[~at_180], *joined]
    return polygons[0] if len(polygons) == 1 else shapely.multipolygons(polygons)


def centre_of_lonlat(lon_deg, lat_deg):
    """The centre of the narrowest lon/lat box holding the points, across the antimeridian where that is narrower.

    The box's longitudes are the complement of the widest gap between the
    points' longitudes, so that points on both sides of 180 degrees are
    centred near it, not on the other side of the Earth.

    Examples
    --------
    >>> centre_of_lonlat(np.array([24.0, 28.0]), np.array([58.0, 60.0]))
    (26.0, 59.0)
    >>> centre_of_lonlat(np.array([178.6, -178.6]), np.array([-17.0, -17.2]))  # Fiji, across 180 degrees
    (-180.0, -17.1)
    """
    lon = np.sort(np.asarray(lon_deg, float) % 360.0)
    gaps = np.diff(np.append(lon, lon[0] + 360.0))
    widest = int(np.argmax(gaps))
    west, east = lon[(widest + 1) % len(lon)], lon[widest]
    middle = (west + (east - west) % 360.0 / 2 + 180.0) % 360.0 - 180.0
    return round(float(middle), 9), float(np.min(lat_deg) + np.max(lat_deg)) / 2


def lonlat_bounds(crs, box_m, *, steps=16):
    """The lon/lat bounds (west, south, east, north) of a box in `crs`, its edges sampled.

    A box across the antimeridian, or around a pole, spans every longitude
    (``west`` -180, ``east`` 180): bounds in [-180, 180] cannot hold it
    otherwise, and what is clipped to them must lose nothing in view.

    Parameters
    ----------
    crs : pyproj.CRS
    box_m : tuple of float
        ``(xmin, ymin, xmax, ymax)`` in metres.
    steps : int
        Points per edge: the edges of a projected box are curves in lon/lat.

    Examples
    --------
    >>> bounds = lonlat_bounds(local_crs(26.36, 59.81), (-5000.0, -5000.0, 5000.0, 5000.0))
    >>> [round(value, 3) for value in bounds]
    [26.271, 59.765, 26.449, 59.855]
    >>> [round(value, 3) for value in lonlat_bounds(local_crs(179.9, -17.5), (-50e3, -50e3, 50e3, 50e3))]
    [-180.0, -17.952, 180.0, -17.048]
    """
    _, inverse = _transformers(crs.to_wkt())
    xmin, ymin, xmax, ymax = box_m
    t = np.linspace(0.0, 1.0, steps)
    width, height = xmax - xmin, ymax - ymin
    x_m = np.concatenate([xmin + width * t, np.full(steps, xmax), xmax - width * t, np.full(steps, xmin)])
    y_m = np.concatenate([np.full(steps, ymin), ymin + height * t, np.full(steps, ymax), ymax - height * t])
    lon, lat = inverse.transform(x_m, y_m)
    west, south, east, north = float(np.min(lon)), float(np.min(lat)), float(np.max(lon)), float(np.max(lat))
    forward, _ = _transformers(crs.to_wkt())
    poles_x, poles_y = forward.transform([0.0, 0.0], [-90.0, 90.0])
    pole_inside = (xmin <= np.asarray(poles_x)) & (np.asarray(poles_x) <= xmax) & (ymin <= np.asarray(poles_y)) & (
        np.asarray(poles_y) <= ymax)
    if pole_inside[0]:
        south = -90.0
    if pole_inside[1]:
        north = 90.0
    if pole_inside.any() or np.any(np.abs(np.diff(np.append(lon, lon[0]))) > 180.0):
        west, east = -180.0, 180.0  # the box holds a pole, or its edges cross the antimeridian
    return west, south, east, north


def axes_aspect(ax):
    """Width over height of the axes as drawn on their figure: the shape a map's view must have.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure(figsize=(8.0, 4.0)).add_axes((0.0, 0.0, 0.5, 1.0))
    >>> float(axes_aspect(ax))
    1.0
    """
    fig = ax.figure
    position = ax.get_position()
    return (position.width * fig.get_figwidth()) / (position.height * fig.get_figheight())


def fitted_box(x_m, y_m, *, margin_m, aspect):
    """A box around points, with a margin, widened to a width/height ratio.

    Parameters
    ----------
    x_m, y_m : array_like of float
        Points that must be in view (NaN ignored).
    margin_m : float
        Added on every side.
    aspect : float
        Width over height of the box returned (the axes' shape).

    Returns
    -------
    tuple of float
        ``(xmin, ymin, xmax, ymax)``, centred on the points' bounding box.

    Examples
    --------
    >>> [float(value) for value in fitted_box([0, 1000], [0, 500], margin_m=100.0, aspect=2.0)]
    [-200.0, -100.0, 1200.0, 600.0]
    """
    x_m, y_m = np.asarray(x_m, float), np.asarray(y_m, float)
    xmin, xmax = np.nanmin(x_m) - margin_m, np.nanmax(x_m) + margin_m
    ymin, ymax = np.nanmin(y_m) - margin_m, np.nanmax(y_m) + margin_m
    width, height = xmax - xmin, ymax - ymin
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        xmin, xmax = xmin - grow, xmax + grow
    else:
        grow = (width / aspect - height) / 2
        ymin, ymax = ymin - grow, ymax + grow
    return xmin, ymin, xmax, ymax
