"""The working frame: the planar projection in which tracks are straight.

Detection works in planar frames (metres): one per part of a volume
(:mod:`detect.parts`), or one per lattice cell of a vast part
(:mod:`detect.views`). By default a frame is a Lambert azimuthal equal-area
projection on the WGS84 ellipsoid, centred on its part or cell: it is valid
over a whole hemisphere, so it serves airspaces across the antimeridian and
around the poles alike, and it is among PROJ's fastest projections (several
times faster than the ellipsoidal azimuthal equidistant: ``bench/`` measures
both). Its scale error stays under 0.1 % within 600 km of the centre;
depths are measured on the ellipsoid at the end (:mod:`detect.geodesic`), so
the frame mostly decides what "straight between two fixes" means.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pyproj
import shapely

from tracks.units import EARTH_RADIUS_M

WGS84 = pyproj.CRS.from_epsg(4326)
SEAM_VERTEX_STEP_DEG = 0.02
_GEOD = pyproj.Geod(ellps="WGS84")


def working_crs(geometry_lonlat) -> pyproj.CRS:
    """Return the default working projection for one airspace geometry.

    Parameters
    ----------
    geometry_lonlat : shapely.Geometry
        Polygon or MultiPolygon in EPSG:4326 (lon, lat degrees).

    Returns
    -------
    pyproj.CRS
        Ellipsoidal Lambert azimuthal equal-area, centred on the mean of the
        geometry's vertices taken as unit vectors on the sphere (so a shape
        split at the antimeridian is centred near 180 degrees, not near 0).

    Examples
    --------
    >>> import shapely
    >>> crs = working_crs(shapely.box(179.0, -17.0, 180.0, -16.0) | shapely.box(-180.0, -17.0, -179.0, -16.0))
    >>> crs.coordinate_operation.method_name, round(abs(crs.coordinate_operation.params[1].value))  # lon_0
    ('Lambert Azimuthal Equal Area', 180)
    """
    return _laea_crs(*spherical_centre_deg(geometry_lonlat))


def _laea_crs(lon0_deg: float, lat0_deg: float) -> pyproj.CRS:
    return pyproj.CRS.from_proj4(
        f"+proj=laea +lat_0={lat0_deg:.4f} +lon_0={lon0_deg:.4f} +datum=WGS84 +units=m +no_defs")


def _laea_step(lon0_deg: float, lat0_deg: float) -> str:
    """The PROJ step of the default frame centred on (lon0, lat0), rounded as :func:`working_crs` rounds."""
    return f"+proj=laea +lat_0={lat0_deg:.4f} +lon_0={lon0_deg:.4f} +ellps=WGS84"


def spherical_centre_deg(geometry_lonlat) -> tuple[float, float]:
    """Centre (lon, lat) in degrees of a geometry's vertices, as a mean unit vector.

    Examples
    --------
    >>> import shapely
    >>> lon, lat = spherical_centre_deg(shapely.MultiPoint([(179.0, 10.0), (-179.0, 10.0)]))  # across the antimeridian
    >>> round(abs(lon), 6), round(lat, 3)
    (180.0, 10.001)
    """
    coords = shapely.get_coordinates(geometry_lonlat)
    lon_rad = np.radians(coords[:, 0])
    lat_rad = np.radians(coords[:, 1])
    x = np.mean(np.cos(lat_rad) * np.cos(lon_rad))
    y = np.mean(np.cos(lat_rad) * np.sin(lon_rad))
    z = np.mean(np.sin(lat_rad))
    lon0 = np.degrees(np.arctan2(y, x))
    lat0 = np.degrees(np.arctan2(z, np.hypot(x, y)))
    return float(lon0), float(lat0)


class Frame:
    """Forward and inverse transforms between lon/lat and one working CRS.

    Parameters
    ----------
    crs : pyproj.CRS or str
        A projected CRS with metre units. Its transformers are built once per
        process (building one from an EPSG code costs PROJ tens of
        milliseconds) and shared: pyproj transformers are thread-safe.

    Examples
    --------
    >>> frame = Frame("EPSG:3301")  # Estonian Coordinate System of 1997
    >>> x, y = frame.to_xy_m(24.75, 59.44)  # Tallinn
    >>> round(float(x)), round(float(y))
    (542555, 6589368)
    >>> lon, lat = frame.to_lonlat_deg(x, y)
    >>> round(float(lon), 9), round(float(lat), 9)
    (24.75, 59.44)
    """

    def __init__(self, crs):
        self._key = _crs_key(crs)
        self._crs, self._forward, self._inverse = _crs_transformers(self._key)
        self._centre_deg = None

    @classmethod
    def centred_on(cls, geometry_lonlat) -> "Frame":
        """The default frame of a geometry (:func:`working_crs`), built without a CRS object.

        Examples
        --------
        >>> Frame.centred_on(shapely.MultiPoint([(25.0, 59.0), (27.0, 59.0)])).key
        '+proj=laea +lat_0=59.0039 +lon_0=26.0000 +ellps=WGS84'
        """
        return cls.centred_at(*spherical_centre_deg(geometry_lonlat))

    @classmethod
    def centred_at(cls, lon0_deg: float, lat0_deg: float) -> "Frame":
        """The default kind of frame (Lambert azimuthal equal-area) centred on a point.

        A PROJ pipeline costs about 50 microseconds to build, a transformer
        between two CRS objects about 6 milliseconds; both give the same
        numbers to the bit.

        Examples
        --------
        >>> frame = Frame.centred_at(26.0, 59.0)
        >>> x, y = frame.to_xy_m([26.0, 27.0], [59.0, 59.0])  # the centre is (0, 0)
        >>> x.round().tolist(), y.round().tolist()
        ([0.0, 57473.0], [0.0, 429.0])
        """
        frame = cls.__new__(cls)
        frame._centre_deg = (float(lon0_deg), float(lat0_deg))
        frame._crs = None
        definition = _laea_step(*frame._centre_deg)
        frame._forward = pyproj.Transformer.from_pipeline(
            f"+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step {definition}")
        frame._inverse = pyproj.Transformer.from_pipeline(
            f"+proj=pipeline +step +inv {definition} +step +proj=unitconvert +xy_in=rad +xy_out=deg")
        return frame

    @property
    def key(self) -> str:
        """A text that names the frame's CRS (for cache keys).

        Examples
        --------
        >>> Frame("EPSG:3301").key, Frame.centred_at(26.0, 59.0).key
        ('EPSG:3301', '+proj=laea +lat_0=59.0000 +lon_0=26.0000 +ellps=WGS84')
        """
        return self._key if self._centre_deg is None else _laea_step(*self._centre_deg)

    @property
    def crs(self) -> pyproj.CRS:
        """The working CRS.

        Examples
        --------
        >>> crs = Frame.centred_at(26.0, 59.0).crs
        >>> crs.coordinate_operation.method_name, crs.coordinate_operation.params[1].value
        ('Lambert Azimuthal Equal Area', 26.0)
        """
        if self._crs is None:
            self._crs = _laea_crs(*self._centre_deg)
        return self._crs

    def anisotropy_bound(self, lon_deg, lat_deg, radius_m) -> np.ndarray:
        """Bound of the frame's greatest over least scale within `radius_m` of each point (>= 1).

        Frame distances within that disc are true distances times a scale
        between ``s`` and ``ratio * s``. For the default frame (Lambert
        azimuthal equal-area) the ratio at angular distance ``c`` from the
        centre is ``1 / cos(c / 2) ** 2`` on the sphere; 10 % is added for the
        ellipsoid (PROJ's own scale factors stay within it). For any other
        CRS, PROJ's scale factors are sampled at the point and at eight
        points around it, and 1 % added.

        Examples
        --------
        >>> import shapely
        >>> frame = Frame.centred_on(shapely.box(9.0, 49.0, 11.0, 51.0))
        >>> ratio = frame.anisotropy_bound(np.array([10.0, 15.0]), np.array([50.0, 50.0]), np.array([1e3, 1e5]))
        >>> (ratio - 1).round(5).tolist()
        [1e-05, 0.00134]
        """
        lon_deg, lat_deg = np.asarray(lon_deg, float), np.asarray(lat_deg, float)
        radius_m = np.asarray(radius_m, float)
        if self._centre_deg is not None:
            cos_c = np.clip(unit_vectors(lon_deg, lat_deg) @ unit_vectors(*self._centre_deg), -1.0, 1.0)
            c_max = np.minimum(np.arccos(cos_c) + radius_m / EARTH_RADIUS_M, np.pi * 0.999)
            return 1.0 + 1.1 * (1.0 / np.cos(c_max / 2.0) ** 2 - 1.0)
        angles = np.radians(np.arange(0, 360, 45))
        ring_lon, ring_lat, _ = _GEOD.fwd(np.repeat(lon_deg, 8), np.repeat(lat_deg, 8),
                                          np.tile(np.degrees(angles), len(lon_deg)),
                                          np.repeat(radius_m, 8))
        factors = _crs_proj(self._key).get_factors(np.concatenate([lon_deg, ring_lon]),
                                                   np.concatenate([lat_deg, ring_lat]))
        n = len(lon_deg)
        major = np.column_stack([factors.tissot_semimajor[:n], factors.tissot_semimajor[n:].reshape(n, 8)])
        minor = np.column_stack([factors.tissot_semiminor[:n], factors.tissot_semiminor[n:].reshape(n, 8)])
        return 1.01 * major.max(axis=1) / minor.min(axis=1)

    def to_xy_m(self, lon_deg, lat_deg) -> tuple[np.ndarray, np.ndarray]:
        """Project lon/lat degrees to frame metres.

        Examples
        --------
        >>> x, y = Frame.centred_at(26.0, 59.0).to_xy_m([26.0, 26.0], [59.0, 60.0])
        >>> x.round().tolist(), y.round().tolist()  # 1 degree north: 111404 m on the ellipsoid
        ([0.0, 0.0], [0.0, 111401.0])
        """
        return self._forward.transform(np.asarray(lon_deg, float), np.asarray(lat_deg, float))

    def to_lonlat_deg(self, x_m, y_m) -> tuple[np.ndarray, np.ndarray]:
        """Unproject frame metres to lon/lat degrees, lon wrapped to [-180, 180).

        Examples
        --------
        >>> lon, lat = Frame.centred_at(180.0, 0.0).to_lonlat_deg([-1000.0, 1000.0], [0.0, 0.0])
        >>> lon.round(4).tolist(), lat.tolist()  # either side of the antimeridian
        ([179.991, -179.991], [0.0, 0.0])
        """
        lon, lat = self._inverse.transform(np.asarray(x_m, float), np.asarray(y_m, float))
        return wrap_lon_deg(lon), lat

    def polygon_to_frame(self, geometry_lonlat):
        """Project an airspace polygon into the frame, healing antimeridian seams.

        A shape split at +/-180 degrees (as GeoJSON requires) has parts that
        share an edge along the seam, with vertices that need not match. The
        parts east of the seam are shifted by 360 degrees and unioned with
        those west of it in lon/lat, where both sides of the seam lie on the
        one line x = 180, so that the seam is not a boundary in the frame.

        Examples
        --------
        >>> seam = shapely.box(179.0, -17.0, 180.0, -16.0) | shapely.box(-180.0, -17.0, -179.0, -16.0)
        >>> len(seam.geoms), len(Frame.centred_on(seam).polygon_to_frame(seam).geoms)  # one part in the frame
        (2, 1)
        """
        projected = shapely.transform(
            _joined_at_seam(geometry_lonlat), lambda xy: np.column_stack(self._forward.transform(xy[:, 0], xy[:, 1]))
        )
        if not np.all(np.isfinite(shapely.get_coordinates(projected))):
            raise ValueError(f"airspace does not project into the working frame {self.crs.name!r}")
        try:
            return _healed(projected)
        except shapely.errors.GEOSException as error:
            raise ValueError(f"airspace does not project cleanly into the working frame {self.crs.name!r} "
                             f"({error}); give another --crs") from None


def _crs_key(crs) -> str:
    """A hashable key of a CRS: the text as given, or an object's WKT."""
    if isinstance(crs, str):
        return crs
    try:
        return pyproj.CRS.from_user_input(crs).to_wkt()
    except pyproj.exceptions.CRSError as error:
        raise ValueError(f"working crs {crs!r} is not a coordinate reference system ({error})") from None


@functools.lru_cache(maxsize=64)
def _crs_transformers(crs_input: str):
    """The checked CRS and its forward and inverse transformers, built once per CRS."""
    try:
        crs = pyproj.CRS.from_user_input(crs_input)
    except pyproj.exceptions.CRSError as error:
        raise ValueError(f"working crs {crs_input!r} is not a coordinate reference system ({error})") from None
    if not crs.is_projected:
        raise ValueError(f"working crs must be projected (metres), got {crs.name!r}")
    return (crs, pyproj.Transformer.from_crs(WGS84, crs, always_xy=True),
            pyproj.Transformer.from_crs(crs, WGS84, always_xy=True))


@functools.lru_cache(maxsize=64)
def _crs_proj(crs_input: str) -> pyproj.Proj:
    """A :class:`pyproj.Proj` of a CRS (for its scale factors), built once per CRS."""
    with warnings.catch_warnings():  # PROJ-string export loses nothing that scale factors need
        warnings.simplefilter("ignore", UserWarning)
        return pyproj.Proj(pyproj.CRS.from_user_input(crs_input))


def _joined_at_seam(geometry_lonlat):
    """The geometry with its parts on both sides of the antimeridian joined (longitudes up to 540)."""
    minx, _, maxx, _ = shapely.bounds(geometry_lonlat)
    if minx > -180.0 and maxx < 180.0:
        return geometry_lonlat
    parts = shapely.get_parts(geometry_lonlat)
    part_minx, _, part_maxx, _ = shapely.bounds(parts).T
    east, west = part_minx <= -180.0, part_maxx >= 180.0
    if not east.any() or not west.any():
        return geometry_lonlat
    shifted = shapely.transform(parts[east], lambda xy: xy + np.array([360.0, 0.0]))
    # The union drops vertices that lie on a straight line in lon/lat; putting vertices back every
    # SEAM_VERTEX_STEP_DEG keeps such edges on their lon/lat line in the frame too.
    joined = shapely.get_parts(shapely.segmentize(
        shapely.union_all(np.concatenate([shifted, parts[west & ~east]])), SEAM_VERTEX_STEP_DEG))
    return shapely.multipolygons(np.concatenate([joined, parts[~east & ~west]]))


def _healed(projected):
    """A valid projected polygon: anything invalid repaired."""
    if not shapely.is_valid(projected):  # parts that touch along a line: an overlay union
        projected = shapely.union_all(shapely.get_parts(projected), grid_size=1e-3)
    if not shapely.is_valid(projected):  # a projection that folds the shape (near its antipode)
        parts = shapely.get_parts(shapely.make_valid(projected))
        polygonal = np.isin(shapely.get_type_id(parts), (3, 6))  # Polygon, MultiPolygon
        projected = shapely.union_all(parts[polygonal], grid_size=1e-3)
    return projected


def unit_vectors(lon_deg, lat_deg) -> np.ndarray:
    """Unit vectors (x, y, z along the last axis) of lon/lat degrees on the sphere.

    Examples
    --------
    >>> unit_vectors(np.array([0.0, 90.0]), np.array([0.0, 0.0])).round(12).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """
    lon, lat = np.radians(lon_deg), np.radians(lat_deg)
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)


def wrap_lon_deg(lon_deg):
    """Wrap longitudes to [-180, 180).

    Examples
    --------
    >>> wrap_lon_deg([180.0, 190.0, -181.0]).tolist()
    [-180.0, -170.0, 179.0]
    """
    return (np.asarray(lon_deg, float) + 180.0) % 360.0 - 180.0
