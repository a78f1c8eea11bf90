"""Units of measure: the aviation units at the edges, and the Earth's size in metres.

SI inside, aviation units (ft, FL, kt, NM) only at the edges: readers of
recordings and of airspace files, the command line's messages and the map
labels. Every package converts with these numbers. The module imports
nothing, so that any package may import it.

Examples
--------
>>> round(95 * 100 * FOOT_M, 1)        # FL95 in metres
2895.6
>>> round(450 * KNOT_MPS, 2)           # 450 kt in m/s
231.5
>>> round(METRES_PER_DEGREE)           # one degree of a great circle
111195
"""

import math

FOOT_M = 0.3048
"""One international foot, in metres (exact)."""

NAUTICAL_MILE_M = 1852.0
"""One international nautical mile, in metres (exact)."""

KNOT_MPS = NAUTICAL_MILE_M / 3600
"""One knot (a nautical mile per hour), in metres per second."""

EARTH_RADIUS_M = 6_371_008.8
"""The mean radius of the WGS84 ellipsoid, in metres: the radius of the sphere used for bounds and estimates."""

METRES_PER_DEGREE = math.radians(EARTH_RADIUS_M)
"""The length of one degree of a great circle on that sphere, in metres (about 111.2 km).

For estimates only (margins, noise, padding): distances that are reported
are measured on the ellipsoid.
"""
