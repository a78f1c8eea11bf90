"""Seeded, deterministic generator of a day of European airliner traffic.

A synthetic day (2025-09-19, UTC) of airliner flights between 139 real
European airports (:data:`AIRPORTS`: the big hubs and regional airports
of the European states, Russia west of the Urals, Turkey, Iceland and the
Canaries), as a tracks table (DESIGN.md) for benchmarks at the scale of
national airspace: 30 million fixes is a busy day over Europe.

Each flight joins two different airports, drawn with a weight per airport
(hubs more often), at least :data:`MIN_ROUTE_M` apart. It follows the great
circle between them on a sphere of radius :data:`EARTH_RADIUS_M`, with one fix
every :data:`FIX_INTERVAL_S` seconds from its departure, and this profile:

- ground speed ramps linearly from :data:`RUNWAY_SPEED_MPS` at take-off to
  the flight's cruise speed (220-250 m/s) in :data:`SPEED_RAMP_S` seconds,
  holds it, and ramps down symmetrically before landing (a short hop never
  reaches cruise speed: its profile is a triangle);
- pressure altitude ``alt_baro_m`` climbs at :data:`CLIMB_RATE_MPS` to the
  flight's cruise flight level (FL330 to FL390) and descends at
  :data:`DESCENT_RATE_MPS` to land at the arrival time (a short hop turns
  down before reaching it);
- geometric altitude ``alt_geo_m`` is the pressure altitude corrected for the
  flight's air mass: a temperature deviation from ISA (scaling heights) and a
  sea-level pressure (QNH, shifting them), both drawn per flight.

Departures are spread over the 24 hours of the day with a diurnal weighting
(:data:`DEPARTURES_PER_HOUR`); flights still airborne at midnight go on into
the next day. Airports are taken at sea level. The routes are random pairs,
not today's airline network (flights over Ukraine, for instance, are there).

Flights are drawn until their fixes reach the number asked for; the last
flight is cut short there, so the table has exactly that many rows. Track ids
are ``"EU"`` and a zero-padded flight number (``"EU000123"``), so text order
is numeric order, in the order the flights are drawn (not of departure).

Everything is vectorised with numpy: flights are drawn in batches, and fixes
are made for chunks of flights at once into preallocated columns, so 30
million fixes take seconds and little more memory than the table itself
(about 1.7 GB: 56 bytes a fix, ``track_id`` as Arrow strings). The same seed
and size give the same table.

Examples
--------
>>> from europe_traffic import europe_traffic
>>> tracks = europe_traffic(100_000, seed=0)
>>> len(tracks), list(tracks.columns)  # doctest: +NORMALIZE_WHITESPACE
(100000, ['track_id', 'time', 'lon', 'lat', 'alt_baro_m', 'alt_geo_m'])
>>> tracks["track_id"].iloc[0]
'EU000000'
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

DAY = np.datetime64("2025-09-19T00:00:00", "ns")
"""Start (UTC) of the day of traffic."""

NS = 1_000_000_000
FIX_INTERVAL_S = 10
"""Seconds between fixes of a flight."""

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius: flights fly great circles of this sphere."""

MIN_ROUTE_M = 150_000.0
"""Shortest route flown (a pair of airports closer than this is redrawn)."""

CRUISE_SPEED_MPS = (220.0, 250.0)
"""Range of cruise ground speeds, one drawn uniformly per flight."""

RUNWAY_SPEED_MPS = 80.0
"""Ground speed at take-off and landing."""

SPEED_RAMP_S = 1200.0
"""Seconds from take-off speed to cruise speed (and back before landing)."""

CRUISE_FLIGHT_LEVELS = np.array([330, 350, 370, 390])
"""Cruise flight levels (hundreds of feet, pressure altitude), one drawn per flight."""

CLIMB_RATE_MPS = 10.0
DESCENT_RATE_MPS = 8.0

TEMPERATURE_DEVIATION_K = (5.0, 6.0)
"""Mean and standard deviation of the flight's air-mass deviation from ISA."""

QNH_HPA = (1015.0, 8.0)
"""Mean and standard deviation of the flight's sea-level pressure."""

ISA_SEA_LEVEL_K = 288.15
METRES_PER_HPA = 8.3
"""Height of one hectopascal near sea level."""

DEPARTURES_PER_HOUR = np.array(
    [1, 1, 1, 1, 2, 5, 9, 11, 11, 10, 10, 10, 10, 10, 10, 10, 10, 11, 11, 10, 8, 6, 3, 2], dtype=float
)
"""Relative number of departures in each UTC hour of the day."""

FLIGHT_BATCH = 4096
"""Flights drawn from the generator at a time (part of what a seed means)."""

CHUNK_FIXES = 2_000_000
"""About how many fixes are made at once."""

# ICAO code, longitude, latitude (degrees, WGS84), weight (relative number of flights).
_AIRPORT_ROWS = """
EGLL  -0.4543 51.4700 5   London Heathrow
EGKK  -0.1903 51.1481 3   London Gatwick
EGSS   0.2350 51.8850 2   London Stansted
EGCC  -2.2750 53.3537 2   Manchester
EGBB  -1.7480 52.4539 1   Birmingham
EGPH  -3.3725 55.9500 2   Edinburgh
EGPF  -4.4331 55.8719 1   Glasgow
EGAA  -6.2158 54.6575 1   Belfast
EIDW  -6.2701 53.4213 3   Dublin
EICK  -8.4911 51.8413 1   Cork
LFPG   2.5479 49.0097 5   Paris Charles de Gaulle
LFPO   2.3794 48.7233 3   Paris Orly
LFMN   7.2159 43.6584 2   Nice
LFLL   5.0811 45.7256 2   Lyon
LFML   5.2214 43.4393 1   Marseille
LFBO   1.3638 43.6291 1   Toulouse
LFBD  -0.7156 44.8283 1   Bordeaux
LFRS  -1.6108 47.1532 1   Nantes
LFST   7.6283 48.5383 1   Strasbourg
LFSB   7.5290 47.5896 1   Basel-Mulhouse
EDDF   8.5706 50.0333 5   Frankfurt
EDDM  11.7861 48.3538 4   Munich
EDDB  13.5033 52.3667 3   Berlin
EDDH   9.9882 53.6304 2   Hamburg
EDDL   6.7668 51.2895 2   Duesseldorf
EDDK   7.1427 50.8659 1   Cologne Bonn
EDDS   9.2219 48.6899 1   Stuttgart
EDDN  11.0781 49.4987 1   Nuremberg
EDDP  12.2416 51.4239 1   Leipzig
EHAM   4.7639 52.3086 5   Amsterdam
EHEH   5.3745 51.4501 1   Eindhoven
EBBR   4.4844 50.9014 3   Brussels
EBLG   5.4432 50.6374 1   Liege
ELLX   6.2044 49.6233 1   Luxembourg
LSZH   8.5492 47.4647 3   Zurich
LSGG   6.1090 46.2381 2   Geneva
LOWW  16.5697 48.1103 3   Vienna
LOWS  13.0043 47.7933 1   Salzburg
LOWI  11.3440 47.2602 1   Innsbruck
LEMD  -3.5676 40.4719 4   Madrid
LEBL   2.0785 41.2971 4   Barcelona
LEPA   2.7388 39.5517 3   Palma de Mallorca
LEMG  -4.4991 36.6749 2   Malaga
LEAL  -0.5582 38.2822 2   Alicante
LEVC  -0.4815 39.4893 1   Valencia
LEZL  -5.8931 37.4180 1   Seville
LEBB  -2.9106 43.3011 1   Bilbao
GCLP -15.3866 27.9319 1   Gran Canaria
GCTS -16.5725 28.0445 1   Tenerife South
LPPT  -9.1359 38.7813 3   Lisbon
LPPR  -8.6814 41.2481 1   Porto
LPFR  -7.9659 37.0144 1   Faro
LIRF  12.2389 41.8003 4   Rome Fiumicino
LIMC   8.7231 45.6306 3   Milan Malpensa
LIML   9.2767 45.4451 1   Milan Linate
LIME   9.7042 45.6739 1   Bergamo
LIPZ  12.3519 45.5053 1   Venice
LIPE  11.2887 44.5354 1   Bologna
LIRN  14.2908 40.8860 1   Naples
LICC  15.0664 37.4668 1   Catania
LICJ  13.0910 38.1759 1   Palermo
LMML  14.4775 35.8575 1   Malta
LGAV  23.9445 37.9364 3   Athens
LGTS  22.9709 40.5197 1   Thessaloniki
LGIR  25.1803 35.3397 1   Heraklion
LGRP  28.0862 36.4054 1   Rhodes
LCLK  33.6249 34.8751 1   Larnaca
LTFM  28.7519 41.2753 5   Istanbul
LTFJ  29.3092 40.8986 2   Istanbul Sabiha Gokcen
LTAI  30.8005 36.8987 2   Antalya
LTAC  32.9951 40.1281 1   Ankara
LTBJ  27.1570 38.2924 1   Izmir
LTCG  39.7897 40.9951 1   Trabzon
EKCH  12.6561 55.6180 3   Copenhagen
EKBI   9.1518 55.7403 1   Billund
ENGM  11.1004 60.1939 3   Oslo
ENBR   5.2181 60.2934 1   Bergen
ENZV   5.6378 58.8767 1   Stavanger
ENVA  10.9240 63.4578 1   Trondheim
ENTC  18.9189 69.6833 1   Tromso
ESSA  17.9186 59.6519 3   Stockholm Arlanda
ESGG  12.2798 57.6628 1   Gothenburg
ESPA  22.1219 65.5438 1   Lulea
EFHK  24.9633 60.3172 3   Helsinki
EFOU  25.3546 64.9301 1   Oulu
EFRO  25.8304 66.5648 1   Rovaniemi
BIKF -22.6056 63.9850 1   Keflavik
BIAR -18.0727 65.6600 1   Akureyri
EETN  24.8328 59.4133 1   Tallinn
EVRA  23.9711 56.9236 1   Riga
EYVI  25.2858 54.6341 1   Vilnius
EYKA  24.0848 54.9639 1   Kaunas
EPWA  20.9671 52.1657 3   Warsaw
EPKK  19.7848 50.0777 1   Krakow
EPGD  18.4662 54.3776 1   Gdansk
EPWR  16.8858 51.1027 1   Wroclaw
EPKT  19.0800 50.4743 1   Katowice
LKPR  14.2600 50.1008 2   Prague
LKTB  16.6944 49.1513 1   Brno
LZIB  17.2127 48.1702 1   Bratislava
LZKZ  21.2411 48.6631 1   Kosice
LHBP  19.2611 47.4298 2   Budapest
LHDC  21.6153 47.4889 1   Debrecen
LJLJ  14.4576 46.2237 1   Ljubljana
LDZA  16.0688 45.7429 1   Zagreb
LDSP  16.2980 43.5389 1   Split
LDDU  18.2682 42.5614 1   Dubrovnik
LQSA  18.3315 43.8246 1   Sarajevo
LYBE  20.3091 44.8184 1   Belgrade
LYNI  21.8537 43.3373 1   Nis
LYPG  19.2519 42.3594 1   Podgorica
LYTV  18.7233 42.4047 1   Tivat
LATI  19.7206 41.4147 1   Tirana
LWSK  21.6214 41.9616 1   Skopje
LBSF  23.4114 42.6967 1   Sofia
LBBG  27.5152 42.5696 1   Burgas
LBWN  27.8251 43.2321 1   Varna
LROP  26.0850 44.5711 2   Bucharest
LRCL  23.6862 46.7852 1   Cluj-Napoca
LRTR  21.3379 45.8099 1   Timisoara
LUKK  28.9310 46.9277 1   Chisinau
UKBB  30.8947 50.3450 2   Kyiv Boryspil
UKLL  23.9561 49.8125 1   Lviv
UKOO  30.6765 46.4268 1   Odesa
UMMS  28.0307 53.8825 1   Minsk
UUEE  37.4146 55.9726 4   Moscow Sheremetyevo
UUDD  37.9063 55.4088 2   Moscow Domodedovo
UUWW  37.2615 55.5915 2   Moscow Vnukovo
ULLI  30.2625 59.8003 3   St Petersburg
UMKK  20.5926 54.8900 1   Kaliningrad
ULMM  32.7508 68.7817 1   Murmansk
UWGG  43.7840 56.2301 1   Nizhny Novgorod
UWKD  49.2787 55.6062 1   Kazan
UWWW  50.1643 53.5049 1   Samara
UWUU  55.8744 54.5575 1   Ufa
USPP  56.0212 57.9145 1   Perm
URWW  44.3455 48.7825 1   Volgograd
URRP  39.9247 47.4939 1   Rostov-on-Don
URSS  39.9566 43.4499 1   Sochi
"""


def airport_table() -> pd.DataFrame:
    """The airports flights join, from the table typed in this module.

    Returns
    -------
    pandas.DataFrame
        One row per airport: ``icao``, ``lon``, ``lat`` (WGS84 degrees),
        ``weight`` (relative number of departures and arrivals), ``name``.

    Examples
    --------
    >>> airports = airport_table()
    >>> airports.set_index("icao").loc["EETN", ["lon", "lat"]].tolist()
    [24.8328, 59.4133]
    """
    rows = [line.split(maxsplit=4) for line in _AIRPORT_ROWS.strip().splitlines()]
    table = pd.DataFrame(rows, columns=["icao", "lon", "lat", "weight", "name"])
    return table.astype({"lon": float, "lat": float, "weight": float})


AIRPORTS = airport_table()
"""The airports of :func:`airport_table`, built once."""


def unit_vectors(lon_deg, lat_deg):
    """Unit vectors (x, y, z) of points on the sphere.

    Parameters
    ----------
    lon_deg, lat_deg : numpy.ndarray
        Degrees.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 3)``.
    """
    lon, lat = np.radians(lon_deg), np.radians(lat_deg)
    cos_lat = np.cos(lat)
    return np.column_stack([cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)])


def central_angle(a, b):
    """Angle (radians) between unit vectors, accurate at all angles.

    Parameters
    ----------
    a, b : numpy.ndarray
        Shape ``(n, 3)``.

    Returns
    -------
    numpy.ndarray
        Shape ``(n,)``.
    """
    return np.arctan2(np.linalg.norm(np.cross(a, b), axis=1), np.einsum("ij,ij->i", a, b))


def draw_routes(rng, size, airports=AIRPORTS):
    """Departure and arrival airports of `size` flights, by weight, at least :data:`MIN_ROUTE_M` apart.

    Parameters
    ----------
    rng : numpy.random.Generator
    size : int
    airports : pandas.DataFrame, optional
        As :func:`airport_table`.

    Returns
    -------
    origin, destination : numpy.ndarray of int
        Row numbers in `airports`.
    """
    p = airports["weight"].to_numpy() / airports["weight"].sum()
    xyz = unit_vectors(airports["lon"].to_numpy(), airports["lat"].to_numpy())
    origin = rng.choice(len(p), size=size, p=p)
    destination = rng.choice(len(p), size=size, p=p)
    while True:  # redraw the destinations of routes too short (a loop over rounds, not flights)
        short = central_angle(xyz[origin], xyz[destination]) * EARTH_RADIUS_M < MIN_ROUTE_M
        if not short.any():
            return origin, destination
        destination[short] = rng.choice(len(p), size=int(short.sum()), p=p)


def flight_duration_s(distance_m, cruise_mps):
    """Block time of flights with the speed profile of this module.

    Speed ramps from :data:`RUNWAY_SPEED_MPS` to `cruise_mps` over
    :data:`SPEED_RAMP_S` and back at the end; a route too short for both ramps
    has a triangular profile, symmetric, with the same acceleration.

    Parameters
    ----------
    distance_m, cruise_mps : numpy.ndarray

    Returns
    -------
    numpy.ndarray
        Seconds from departure to arrival.
    """
    v0 = RUNWAY_SPEED_MPS
    accel = (cruise_mps - v0) / SPEED_RAMP_S
    ramps_m = (v0 + cruise_mps) * SPEED_RAMP_S  # both ramps
    full = 2.0 * SPEED_RAMP_S + (distance_m - ramps_m) / cruise_mps
    half = (np.sqrt(v0 * v0 + accel * distance_m) - v0) / accel  # triangle: a h^2 + 2 v0 h = d
    return np.where(distance_m >= ramps_m, full, 2.0 * half)


def distance_flown_m(t_s, duration_s, distance_m, cruise_mps):
    """Distance along the route at time `t_s` after departure.

    Parameters
    ----------
    t_s : numpy.ndarray
        Seconds since departure, in ``[0, duration_s]``.
    duration_s, distance_m, cruise_mps : numpy.ndarray
        Of each fix's flight (as :func:`flight_duration_s`).

    Returns
    -------
    numpy.ndarray
        Metres, rising from 0 to `distance_m`.
    """
    v0 = RUNWAY_SPEED_MPS
    accel = (cruise_mps - v0) / SPEED_RAMP_S
    ramp_end = np.minimum(SPEED_RAMP_S, duration_s / 2.0)

    def climbing(t):  # distance after t seconds of the opening ramp (t <= ramp_end)
        return v0 * t + 0.5 * accel * t * t

    opening = climbing(np.minimum(t_s, ramp_end))
    cruise = cruise_mps * np.clip(t_s - ramp_end, 0.0, np.maximum(duration_s - 2.0 * ramp_end, 0.0))
    to_go = np.minimum(duration_s - t_s, ramp_end)
    closing = climbing(ramp_end) - climbing(np.maximum(to_go, 0.0))
    return np.minimum(opening + cruise + closing, distance_m)


def pressure_altitude_m(t_s, duration_s, cruise_m):
    """Pressure altitude: climb to cruise, cruise, descend to land at the arrival time.

    Parameters
    ----------
    t_s, duration_s, cruise_m : numpy.ndarray
        Seconds since departure, block time and cruise altitude of each fix's flight.

    Returns
    -------
    numpy.ndarray
        Metres, 0 at departure and arrival.
    """
    return np.maximum(
        np.minimum(np.minimum(CLIMB_RATE_MPS * t_s, DESCENT_RATE_MPS * (duration_s - t_s)), cruise_m), 0.0
    )


def draw_flights(rng, size, airports=AIRPORTS):
    """Draw `size` flights: route, speed, flight level, air mass, departure.

    Parameters
    ----------
    rng, size, airports
        As :func:`draw_routes`.

    Returns
    -------
    dict of numpy.ndarray
        ``origin``, ``destination`` (airport rows), ``angle_rad`` (central
        angle of the route), ``distance_m``, ``cruise_mps``, ``cruise_m``
        (pressure altitude), ``temperature_deviation_k``, ``qnh_hpa``,
        ``departure_s`` (whole seconds after midnight), ``duration_s`` and
        ``n_fixes`` (fixes at 0, 10, 20, ... s up to the arrival).
    """
    origin, destination = draw_routes(rng, size, airports)
    xyz = unit_vectors(airports["lon"].to_numpy(), airports["lat"].to_numpy())
    angle = central_angle(xyz[origin], xyz[destination])
    distance = angle * EARTH_RADIUS_M
    cruise_mps = rng.uniform(*CRUISE_SPEED_MPS, size=size)
    cruise_m = rng.choice(CRUISE_FLIGHT_LEVELS, size=size) * 100 * 0.3048
    hour = rng.choice(24, size=size, p=DEPARTURES_PER_HOUR / DEPARTURES_PER_HOUR.sum())
    departure = hour * 3600 + rng.integers(0, 3600, size=size)
    duration = flight_duration_s(distance, cruise_mps)
    return {
        "origin": origin,
        "destination": destination,
        "angle_rad": angle,
        "distance_m": distance,
        "cruise_mps": cruise_mps,
        "cruise_m": cruise_m,
        "temperature_deviation_k": rng.normal(*TEMPERATURE_DEVIATION_K, size=size),
        "qnh_hpa": rng.normal(*QNH_HPA, size=size),
        "departure_s": departure.astype(np.int64),
        "duration_s": duration,
        "n_fixes": (np.floor(duration / FIX_INTERVAL_S).astype(np.int64) + 1),
    }


def flights_for(n_fixes, rng, airports=AIRPORTS):
    """Draw flights until they have `n_fixes` fixes; cut the last one short.

    Parameters
    ----------
    n_fixes : int
    rng : numpy.random.Generator
    airports : pandas.DataFrame, optional

    Returns
    -------
    dict of numpy.ndarray
        As :func:`draw_flights`, for just enough flights; ``n_fixes`` sums to
        `n_fixes`.
    """
    batches, total = [], 0
    while total < n_fixes:
        batch = draw_flights(rng, FLIGHT_BATCH, airports)
        batches.append(batch)
        total += int(batch["n_fixes"].sum())
    if not batches:
        return draw_flights(rng, 0, airports)
    flights = {key: np.concatenate([b[key] for b in batches]) for key in batches[0]}
    cumulative = np.cumsum(flights["n_fixes"])
    keep = int(np.searchsorted(cumulative, n_fixes)) + 1  # first flight reaching n_fixes
    flights = {key: value[:keep] for key, value in flights.items()}
    flights["n_fixes"][-1] -= int(cumulative[keep - 1]) - n_fixes
    return flights


def track_id_bytes(n_flights):
    """ASCII track ids ``EU`` + zero-padded flight number, as a byte matrix.

    Parameters
    ----------
    n_flights : int

    Returns
    -------
    numpy.ndarray of uint8
        Shape ``(n_flights, width)``: row ``i`` spells ``"EU"`` and ``i`` with
        at least 6 digits, all rows the same width.
    """
    digits = max(6, len(str(max(n_flights - 1, 0))))
    number = np.arange(n_flights, dtype=np.int64)[:, None]
    powers = 10 ** np.arange(digits - 1, -1, -1, dtype=np.int64)
    ids = np.empty((n_flights, digits + 2), dtype=np.uint8)
    ids[:, :2] = np.frombuffer(b"EU", dtype=np.uint8)
    ids[:, 2:] = (number // powers) % 10 + ord("0")
    return ids


def fill_fixes(flights, chunk, start, columns, ids, airports=AIRPORTS):
    """Make the fixes of a chunk of flights into the preallocated columns.

    Parameters
    ----------
    flights : dict of numpy.ndarray
        As :func:`flights_for`.
    chunk : slice
        The flights to make.
    start : int
        Row of the chunk's first fix in the columns.
    columns : dict of numpy.ndarray
        ``time_ns`` (UTC nanoseconds since 1970), ``lon``, ``lat``,
        ``alt_baro_m``, ``alt_geo_m`` (one entry per fix of all flights) and ``track_id`` (a byte matrix, one row
        per fix); filled in place.
    ids : numpy.ndarray of uint8
        As :func:`track_id_bytes`, one row per flight.
    airports : pandas.DataFrame, optional

    Returns
    -------
    int
        Row after the chunk's last fix.
    """
    f = {key: value[chunk] for key, value in flights.items()}
    counts = f["n_fixes"]
    n = int(counts.sum())
    rows = slice(start, start + n)
    flight = np.repeat(np.arange(len(counts)), counts)  # flight of each fix, within the chunk
    first = np.cumsum(counts) - counts
    t_s = (np.arange(n) - first[flight]).astype(np.float64) * FIX_INTERVAL_S

    duration = f["duration_s"][flight]
    fraction = distance_flown_m(t_s, duration, f["distance_m"][flight], f["cruise_mps"][flight])
    fraction /= f["distance_m"][flight]

    # Spherical interpolation along the great circle: p = (sin((1-f)w) a + sin(f w) b) / sin w.
    xyz = unit_vectors(airports["lon"].to_numpy(), airports["lat"].to_numpy())
    angle = f["angle_rad"][flight]
    sin_angle = np.sin(angle)
    w_a = np.sin((1.0 - fraction) * angle) / sin_angle
    w_b = np.sin(fraction * angle) / sin_angle
    a = xyz[f["origin"]][flight]
    b = xyz[f["destination"]][flight]
    p = w_a[:, None] * a + w_b[:, None] * b
    columns["lon"][rows] = np.degrees(np.arctan2(p[:, 1], p[:, 0]))
    columns["lat"][rows] = np.degrees(np.arctan2(p[:, 2], np.hypot(p[:, 0], p[:, 1])))

    baro = pressure_altitude_m(t_s, duration, f["cruise_m"][flight])
    columns["alt_baro_m"][rows] = baro
    scale = 1.0 + f["temperature_deviation_k"][flight] / ISA_SEA_LEVEL_K
    columns["alt_geo_m"][rows] = baro * scale + (f["qnh_hpa"][flight] - 1013.25) * METRES_PER_HPA

    columns["time_ns"][rows] = (f["departure_s"][flight] + t_s.astype(np.int64)) * NS + DAY.astype(np.int64)
    columns["track_id"][rows] = ids[chunk][flight]
    return start + n


def chunks_of(counts, fixes_per_chunk=CHUNK_FIXES):
    """Slices of consecutive flights with about `fixes_per_chunk` fixes each.

    Parameters
    ----------
    counts : numpy.ndarray of int
        Fixes of each flight.
    fixes_per_chunk : int, optional

    Returns
    -------
    list of slice
    """
    edges = np.searchsorted(np.cumsum(counts), np.arange(fixes_per_chunk, int(counts.sum()), fixes_per_chunk))
    edges = np.unique(np.concatenate([[0], edges + 1, [len(counts)]]).clip(0, len(counts)))
    return [slice(int(lo), int(hi)) for lo, hi in zip(edges[:-1], edges[1:]) if hi > lo]


def tracks_frame(columns, width):
    """The tracks table over the filled columns, without copying them.

    Parameters
    ----------
    columns : dict of numpy.ndarray
        As filled by :func:`fill_fixes`.
    width : int
        Bytes of one track id.

    Returns
    -------
    pandas.DataFrame
        ``track_id`` in pandas' Arrow-backed string dtype, ``time`` as
        ``datetime64[ns, UTC]``, the rest float64.
    """
    n = len(columns["lon"])
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    data = columns["track_id"].reshape(-1)
    text = pa.Array.from_buffers(pa.large_string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])
    track_id = pd.array(text, dtype=pd.StringDtype(na_value=np.nan))
    time = pd.Series(columns["time_ns"].view("M8[ns]"), copy=False)
    return pd.DataFrame(
        {
            "track_id": track_id,
            "time": time.dt.tz_localize("UTC"),
            "lon": columns["lon"],
            "lat": columns["lat"],
            "alt_baro_m": columns["alt_baro_m"],
            "alt_geo_m": columns["alt_geo_m"],
        },
        copy=False,
    )


def europe_traffic(n_fixes, seed=0):
    """A seeded day of European airliner traffic as a tracks table.

    Parameters
    ----------
    n_fixes : int
        Rows of the table: flights are added until reached, the last is cut
        short.
    seed : int, default 0
        Seed of the :class:`numpy.random.Generator`; the same seed and
        `n_fixes` give the same table.

    Returns
    -------
    pandas.DataFrame
        The tracks table (DESIGN.md): ``track_id`` (``"EU000000"``, ...),
        ``time`` (``datetime64[ns, UTC]``, on 2025-09-19 and, for late
        flights, the morning after), ``lon``, ``lat``, ``alt_baro_m``,
        ``alt_geo_m`` (float64), sorted by ``track_id`` then ``time``, one fix
        every 10 s, no duplicate ``(track_id, time)``, RangeIndex.

    Examples
    --------
    >>> tracks = europe_traffic(2_000, seed=1)
    >>> len(tracks), tracks["track_id"].is_monotonic_increasing
    (2000, True)
    """
    n_fixes = int(n_fixes)
    if n_fixes < 0:
        raise ValueError(f"europe_traffic: n_fixes must be >= 0, got {n_fixes}")
    rng = np.random.default_rng(seed)
    flights = flights_for(n_fixes, rng)
    ids = track_id_bytes(len(flights["n_fixes"]))
    columns = {
        "time_ns": np.empty(n_fixes, dtype=np.int64),
        "lon": np.empty(n_fixes),
        "lat": np.empty(n_fixes),
        "alt_baro_m": np.empty(n_fixes),
        "alt_geo_m": np.empty(n_fixes),
        "track_id": np.empty((n_fixes, ids.shape[1]), dtype=np.uint8),
    }
    row = 0
    for chunk in chunks_of(flights["n_fixes"]):
        row = fill_fixes(flights, chunk, row, columns, ids)
    assert row == n_fixes
    return tracks_frame(columns, ids.shape[1])
