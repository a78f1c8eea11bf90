"""The built-in illustrative scenario: tracks generated from readable waypoints.

The scenario is built from public reports of three incidents of 2025, plus
ordinary traffic; it is *illustrative, not recorded data*. Its waypoints live
in ``detect/examples/scenario_waypoints.csv`` (one row per waypoint, a header
comment saying what the file is), and :func:`scenario_tracks` turns them into
a tracks table at realistic sampling:

- three MiG-31s (``MIG31-1`` .. ``MIG31-3``), no transponder, 5 s primary
  radar, in loose formation at FL300, flying west along the Gulf of Finland
  corridor on the morning of 19 Sep 2025 (06:50 UTC, 09:50 local) and
  straying into Estonian airspace near Vaindloo island for about 12 minutes
  each, less than 10 km deep. The public reports give 12 minutes, "less
  than 10 km" and a route parallel to the border, but no speeds: a MiG-31
  cruising straight at 250 m/s would cover 180 km in that time, far beyond
  Vaindloo's 12 NM belt, so the file has them enter north of Vaindloo, fly
  one left-hand orbit of 3.5 km radius west of the island at a slow 155 m/s
  (300 kt, as if loitering while intercepted), then west inside the
  Estonian belt and out to the north-west, back into the corridor;
- nineteen drones (``DRONE-01`` .. ``DRONE-19``), 5 s radar, crossing from
  Belarus into eastern Poland overnight on 9-10 Sep 2025 (entries 23:46 to
  03:44 UTC) at 100-1000 m and 40-50 m/s from six entry areas along the
  border between 51.7 and 53.6 N; the tracks begin about 13 km inside
  Belarus (where radar picks them up) and all end inside Poland: the four
  marked ``shot down`` in their notes 10-30 km in, the others 50-215 km
  inside, where they came down;
- a Su-30 and an Il-78 (``SU30-1``, ``IL78-1``) from Kaliningrad on 23 Oct
  2025 (15:58 UTC), 5 s radar, the fighter in refuelling contact just below
  the tanker at 125 m/s: they fly east towards Kybartai, cross the border
  at 55 degrees, fly 625 m (5 s) parallel to it about 700 m inside
  Lithuania and turn back west, about 18 s inside (waypoints on the 5 s
  sampling grid, so the radar sees the turn). A shallower crossing would cut the winding river
  border several times;
- three airliners (``AWD101``, ``AWD202``, ``AWD303``, fictitious callsigns
  and addresses) with 1 s ADS-B at FL350-ish, pressure and GNSS altitude,
  staying in the international corridor of the Gulf of Finland and over the
  Baltic high seas: they raise no event against :data:`SCENARIO_COUNTRIES`.

Between waypoints a track follows the geodesic at constant speed, and its
altitude changes linearly in time. Every fix gets seeded Gaussian position
noise (:data:`POSITION_NOISE_M`), and altitude noise for radar; ADS-B
pressure altitude is rounded to 25 ft steps, as transponders report it.
"""

import io
import pathlib
from importlib import resources

import numpy as np
import pandas as pd
import pyproj

from tracks import make_tracks
from tracks.table import STRING_DTYPE, iso_times_utc
from tracks.units import FOOT_M, METRES_PER_DEGREE

SCENARIO_COUNTRIES = ("EST", "FIN", "POL", "LTU", "RUS", "BLR", "LVA")
"""ISO 3166-1 alpha-3 codes of the states the scenario flies over (its tests check all of them)."""

DEFENDED_COUNTRIES = ("EST", "FIN", "LVA", "LTU", "POL")
"""The states whose airspace the demo guards: the scenario's violations are of these."""

ILLUSTRATIVE_NOTE = "Illustrative scenario built from public reports; not recorded data."
"""The one-line label every output of the scenario carries."""

SCENARIO_SOURCE = "illustrative scenario"
"""The ``source`` column of every fix of :func:`scenario_tracks`."""

WAYPOINT_COLUMNS = (
    "track_id",
    "callsign",
    "icao24",
    "kind",
    "time_utc",
    "lon",
    "lat",
    "alt_baro_m",
    "alt_geo_m",
    "period_s",
    "sensor",
    "source",
    "notes",
)
"""Columns of the waypoint file, in file order."""

SENSORS = ("radar", "adsb")
"""Sensors a waypoint file may name: primary radar (pressure altitude only) and ADS-B (both altitudes)."""

POSITION_NOISE_M = {"radar": 30.0, "adsb": 3.0}
"""Standard deviation of the horizontal noise of each coordinate, metres, by sensor."""

RADAR_ALTITUDE_NOISE_M = 20.0
"""Standard deviation of the noise of radar pressure altitude, metres."""

ADSB_ALTITUDE_STEP_M = 25 * FOOT_M
"""ADS-B pressure altitude is reported in 25 ft steps."""

ADSB_GEO_NOISE_M = 3.0
"""Standard deviation of the noise of ADS-B GNSS altitude, metres."""

_PER_TRACK = ("callsign", "icao24", "kind", "period_s", "sensor", "source")
_FLOAT_COLUMNS = ("lon", "lat", "alt_baro_m", "alt_geo_m", "period_s")
_TEXT_COLUMNS = ("track_id", "callsign", "icao24", "kind", "sensor", "source", "notes")
_GEOD = pyproj.Geod(ellps="WGS84")


def waypoints_path():
    """Path of the built-in waypoint file.

    Returns
    -------
    importlib.resources.abc.Traversable
        ``detect/examples/scenario_waypoints.csv`` inside the installed package.

    Examples
    --------
    >>> path = waypoints_path()
    >>> path.name, path.is_file()
    ('scenario_waypoints.csv', True)
    """
    return resources.files("detect") / "examples" / "scenario_waypoints.csv"


def scenario_waypoints(path=None):
    """Read the scenario's waypoint file.

    Parameters
    ----------
    path : str or path-like, optional
        A waypoint file; the built-in one (:func:`waypoints_path`) by
        default. Lines starting with ``#`` at the top are comments; then a
        header with :data:`WAYPOINT_COLUMNS` and one row per waypoint, each
        track's rows together and in time order.

    Returns
    -------
    pandas.DataFrame
        One row per waypoint with :data:`WAYPOINT_COLUMNS` (``time_utc``
        read as ``datetime64[ns, UTC]``, empty ``alt_geo_m`` as NaN) and a
        ``line`` column, the waypoint's line number in the file.

    Raises
    ------
    ValueError
        Naming the file and line, for: missing columns; an unreadable or
        naive time; a missing or non-numeric number; ``lon``/``lat`` out of
        range; a sensor not in :data:`SENSORS`; a period that is not
        positive; GNSS altitude missing for ADS-B or given for radar; a
        label (callsign, sensor, ...) that changes within a track; times not
        increasing within a track; a track with fewer than two waypoints,
        or with its rows not together.

    Examples
    --------
    >>> waypoints = scenario_waypoints()
    >>> sorted(waypoints["kind"].unique())
    ['airliner', 'drone', 'fighter', 'jet', 'tanker']
    >>> waypoints["source"].unique().tolist()
    ['illustrative']
    """
    path = waypoints_path() if path is None else pathlib.Path(path)
    with resources.as_file(path) as file:
        text = file.read_text(encoding="utf-8")
    lines = text.splitlines()
    n_comments = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    try:
        table = pd.read_csv(
            io.StringIO("\n".join(lines[n_comments:])),
            dtype=str,
            keep_default_na=False,
            na_values=[""],
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ValueError(f"{path.name}: cannot read the waypoints: {exc}") from None
    missing = [column for column in WAYPOINT_COLUMNS if column not in table.columns]
    if missing:
        raise ValueError(
            f"{path.name}: line {n_comments + 1}: missing column(s) {', '.join(missing)} in the header"
        )
    table = table[list(WAYPOINT_COLUMNS)].copy()
    table["line"] = np.arange(len(table)) + n_comments + 2
    return _checked(_typed(table, path.name), path.name)


def _typed(table, name):
    """`table` of text with times and numbers read; raises naming the first bad line."""
    for column in _TEXT_COLUMNS:
        table[column] = table[column].astype(STRING_DTYPE).str.strip()
    times, naive = iso_times_utc(table["time_utc"])
    _refuse(table, name, table["time_utc"].isna() | times.isna(), "time_utc", "missing or unreadable time")
    _refuse(table, name, naive, "time_utc", "time without a time zone (write it in UTC with a Z)")
    table["time_utc"] = times
    for column in _FLOAT_COLUMNS:
        values = pd.to_numeric(table[column], errors="coerce")
        unreadable = table[column].notna() & values.isna()
        _refuse(table, name, unreadable, column, "not a number")
        table[column] = values.astype("float64")
    for column in ("track_id", "kind", "sensor", "source", "lon", "lat", "alt_baro_m", "period_s"):
        _refuse(table, name, table[column].isna(), column, "missing value")
    return table


def _checked(table, name):
    """Check values and per-track consistency of a typed waypoint table."""
    _refuse(table, name, (table["lon"] < -180) | (table["lon"] >= 180), "lon", "outside [-180, 180)")
    _refuse(table, name, table["lat"].abs() > 90, "lat", "outside [-90, 90]")
    _refuse(table, name, ~table["sensor"].isin(SENSORS), "sensor", f"not one of {', '.join(SENSORS)}")
    _refuse(table, name, ~(table["period_s"] > 0), "period_s", "not positive")
    adsb = table["sensor"] == "adsb"
    _refuse(table, name, adsb & table["alt_geo_m"].isna(), "alt_geo_m", "missing for an ADS-B track")
    _refuse(table, name, ~adsb & table["alt_geo_m"].notna(), "alt_geo_m", "given for a radar track")
    same_track = table["track_id"].eq(table["track_id"].shift())
    for column in _PER_TRACK:
        first = table.groupby("track_id", sort=False)[column].transform("first")
        changed = ~(table[column].eq(first).fillna(False) | (table[column].isna() & first.isna()))
        _refuse(table, name, changed, column, "differs from the track's first waypoint")
    back_in_time = same_track & ~(table["time_utc"] > table["time_utc"].shift())
    _refuse(table, name, back_in_time, "time_utc", "not after the track's previous waypoint")
    starts = table["track_id"][~same_track]
    _refuse(table, name, ~same_track & starts.duplicated().reindex(table.index, fill_value=False),
            "track_id", "track's rows are not together")
    single = table.groupby("track_id", sort=False)["track_id"].transform("size") < 2
    _refuse(table, name, single, "track_id", "a track needs at least two waypoints")
    return table


def _refuse(table, name, bad, column, problem):
    """Raise 'name: line N: column 'c': problem' for the first True of `bad`, if any."""
    bad = np.asarray(bad, dtype=bool)
    if bad.any():
        pos = int(np.argmax(bad))
        raise ValueError(
            f"{name}: line {table['line'].iloc[pos]}: column {column!r}: {problem} "
            f"(track {table['track_id'].iloc[pos]!r})"
        )


def scenario_tracks(seed=0, *, waypoints=None):
    """Generate the scenario's tracks table from its waypoints.

    Parameters
    ----------
    seed : int, default 0
        Seed of the position and altitude noise: the same seed gives the
        same table.
    waypoints : pandas.DataFrame, optional
        A waypoint table as :func:`scenario_waypoints` returns it; the
        built-in one by default.

    Returns
    -------
    pandas.DataFrame
        A tracks table (:func:`tracks.validate_tracks`) with ``callsign``,
        ``icao24``, ``ground_speed_mps``, ``track_deg`` (of the geodesic leg
        the fix lies on) and ``source`` (:data:`SCENARIO_SOURCE`). Each track
        is sampled every ``period_s`` from its first waypoint's time to its
        last; ``alt_geo_m`` is NaN for radar tracks.

    Raises
    ------
    ValueError
        If `waypoints` is empty.

    Examples
    --------
    >>> tracks = scenario_tracks()
    >>> tracks.loc[tracks["track_id"] == "MIG31-1", "time"].diff().max()
    Timedelta('0 days 00:00:05')
    >>> tracks["source"].unique().tolist()
    ['illustrative scenario']
    """
    waypoints = scenario_waypoints() if waypoints is None else waypoints
    if len(waypoints) == 0:
        raise ValueError("scenario_tracks: the waypoint table is empty")
    rng = np.random.default_rng(seed)
    parts = [_sampled_track(track, rng) for _, track in waypoints.groupby("track_id", sort=True)]
    columns = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    columns["time"] = pd.to_datetime(columns.pop("time_ns"), utc=True)
    return make_tracks(**columns, source=SCENARIO_SOURCE)


def _sampled_track(track, rng):
    """Columns of one track's fixes: sampled on its period, along geodesic legs, with noise."""
    first = track.iloc[0]
    period_ns = round(float(first["period_s"]) * 1e9)
    way_ns = track["time_utc"].to_numpy("datetime64[ns]").astype(np.int64)
    time_ns = np.arange(way_ns[0], way_ns[-1] + 1, period_ns)
    leg = np.clip(np.searchsorted(way_ns, time_ns, side="right") - 1, 0, len(way_ns) - 2)
    fraction = (time_ns - way_ns[leg]) / (way_ns[leg + 1] - way_ns[leg])
    lon_way, lat_way = track["lon"].to_numpy(float), track["lat"].to_numpy(float)
    azimuth_deg, _, length_m = _GEOD.inv(lon_way[:-1], lat_way[:-1], lon_way[1:], lat_way[1:])
    lon, lat, back_deg = _GEOD.fwd(
        lon_way[leg], lat_way[leg], azimuth_deg[leg], length_m[leg] * fraction
    )
    lon, lat = _with_noise(lon, lat, POSITION_NOISE_M[first["sensor"]], rng)
    alt_baro_m = _along(track["alt_baro_m"], leg, fraction)
    alt_geo_m = _along(track["alt_geo_m"], leg, fraction)
    if first["sensor"] == "radar":
        alt_baro_m = alt_baro_m + rng.normal(0.0, RADAR_ALTITUDE_NOISE_M, len(time_ns))
    else:
        alt_baro_m = np.round(alt_baro_m / ADSB_ALTITUDE_STEP_M) * ADSB_ALTITUDE_STEP_M
        alt_geo_m = alt_geo_m + rng.normal(0.0, ADSB_GEO_NOISE_M, len(time_ns))
    leg_s = np.diff(way_ns) / 1e9
    n = len(time_ns)
    return {
        "track_id": np.full(n, first["track_id"], dtype=object),
        "time_ns": time_ns,
        "lon": lon,
        "lat": lat,
        "alt_baro_m": alt_baro_m,
        "alt_geo_m": alt_geo_m,
        "callsign": np.full(n, first["callsign"], dtype=object),
        "icao24": np.full(n, first["icao24"], dtype=object),
        "ground_speed_mps": (length_m / leg_s)[leg],
        "track_deg": (np.asarray(back_deg) + 180.0) % 360.0,
    }


def _along(values, leg, fraction):
    """Linear interpolation of waypoint `values` at `fraction` of each fix's `leg`."""
    values = values.to_numpy(float)
    return values[leg] + (values[leg + 1] - values[leg]) * fraction


def _with_noise(lon, lat, sigma_m, rng):
    """`lon`, `lat` moved by Gaussian noise of `sigma_m` metres east and north."""
    east_m, north_m = rng.normal(0.0, sigma_m, (2, len(lon)))
    lat_noisy = lat + north_m / METRES_PER_DEGREE
    lon_noisy = lon + east_m / (METRES_PER_DEGREE * np.cos(np.radians(lat)))
    return lon_noisy, lat_noisy
