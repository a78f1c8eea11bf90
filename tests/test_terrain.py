"""AGL limits over a terrain model: hand cases, a dense-sampling oracle, files, streaming and the command line.

The hand cases and the oracle work in EPSG:3035 (``crs=`` of the detection
and the terrain's own CRS), where the path is straight in the terrain's
grid, so that the ground under it is known exactly: bilinear between cell
centres, hence linear along a line where the heights change along one axis.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from pyproj import Transformer

from airspace import make_airspace, write
from airspace.terrain import Terrain, read_terrain
from detect import StreamingDetector, find_violations, prepare_airspace
from detect.cli.group import main
from detect.events_io import read_events
from tracks import make_tracks
from tracks.errors import ReadError

rasterio = pytest.importorskip("rasterio")

TO_LAEA = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)
TO_LONLAT = Transformer.from_crs("EPSG:3035", "EPSG:4326", always_xy=True)
X0, Y0 = TO_LAEA.transform(10.0, 52.0)
CELL_M = 1000.0
START = pd.Timestamp("2025-09-19 09:00", tz="UTC")


def laea_terrain(heights, crs="EPSG:3035"):
    """A terrain whose column 0 is centred 10 km west of (X0, Y0) and row 0 10 km north of it."""
    return Terrain(np.asarray(heights, float), west=X0 - 10_000 - CELL_M / 2, north=Y0 + 10_000 + CELL_M / 2,
                   cell_x=CELL_M, cell_y=CELL_M, crs=crs)


def column_centre_m(j):
    return X0 - 10_000 + CELL_M * j


def level_track(x_from_m, x_to_m, alt_m, seconds=100.0, n_fixes=2, track_id="LOW1"):
    """A track along y = Y0 in EPSG:3035, at constant geometric altitude."""
    x = np.linspace(x_from_m, x_to_m, n_fixes)
    lon, lat = TO_LONLAT.transform(x, np.full(n_fixes, Y0))
    times = START + pd.to_timedelta(np.linspace(0.0, seconds, n_fixes), unit="s")
    return make_tracks(track_id, times, lon=lon, lat=lat, alt_geo_m=np.full(n_fixes, alt_m),
                       alt_baro_m=np.full(n_fixes, alt_m))


def wide_zone(**limits):
    """A zone far wider than the tracks, so that only its vertical limits matter."""
    return make_airspace(shapely.box(9.0, 51.5, 11.5, 52.5), airspace_id="LOW", kind="restricted", **limits)


def seconds_after_start(times):
    return ((pd.Series(times) - START).dt.total_seconds()).to_numpy()


def test_a_rising_ground_takes_an_agl_floor_with_it():
    # Ground rises 20 m a km eastwards: 100 m at the start, 200 m at X0, 1,100 m at the end.
    ramp = laea_terrain(np.tile(20.0 * np.arange(60), (21, 1)))
    tracks = level_track(X0 - 5_000, X0 + 45_000, alt_m=500.0)
    zone = wide_zone(floor_m=300.0, floor_ref="AGL")
    events = find_violations(tracks, zone, crs="EPSG:3035", terrain=ramp)
    # 500 m - ground >= 300 m while the ground is at most 200 m: up to X0, a tenth of the way.
    assert len(events) == 1
    event = events.iloc[0]
    assert (event["entry_face"], event["exit_face"]) == ("start", "floor")
    assert seconds_after_start([event["exit_time"]])[0] == pytest.approx(10.0, abs=1e-6)
    assert not event["ground_assumed"]


def test_a_ridge_splits_a_stay_under_an_agl_floor_in_two():
    # A ridge 300 m high along column 30, its flanks falling 30 m a km to the plain.
    ridge = np.maximum(0.0, 300.0 - 30.0 * np.abs(np.arange(60) - 30.0))
    terrain = laea_terrain(np.tile(ridge, (21, 1)))
    crest = column_centre_m(30)
    tracks = level_track(crest - 20_000, crest + 20_000, alt_m=500.0, seconds=400.0)
    events = find_violations(tracks, wide_zone(floor_m=300.0, floor_ref="AGL"), crs="EPSG:3035", terrain=terrain)
    # Inside where the ground is at most 200 m: farther than 3,333.3 m from the crest (10 m a second).
    assert events["entry_face"].tolist() == ["start", "floor"]
    assert events["exit_face"].tolist() == ["floor", "end"]
    expected_s = [200.0 - 10_000 / 3 / 100, 200.0 + 10_000 / 3 / 100]
    assert seconds_after_start([events["exit_time"].iloc[0], events["entry_time"].iloc[1]]) == pytest.approx(
        expected_s, abs=1e-6)


def test_flat_ground_is_the_same_as_a_limit_above_sea_level():
    tracks = pd.concat([level_track(X0 - 5_000, X0 + 5_000, alt_m=a, track_id=f"T{k}", n_fixes=3)
                        .assign(alt_geo_m=lambda t, a=a: [a, a + 900.0, a - 200.0])
                        for k, a in enumerate([100.0, 600.0, 1200.0])], ignore_index=True)
    plateau = Terrain(np.full((30, 30), 450.0), west=9.0, north=52.6, cell_x=0.1, cell_y=0.05)
    agl = find_violations(tracks, wide_zone(floor_m=300.0, floor_ref="AGL", ceiling_m=1000.0, ceiling_ref="AGL"),
                          terrain=plateau)
    msl = find_violations(tracks, wide_zone(floor_m=750.0, floor_ref="MSL", ceiling_m=1450.0, ceiling_ref="MSL"))
    assert len(agl) == len(msl) > 0
    for column in ("entry_time", "exit_time"):
        assert (agl[column] - msl[column]).abs().max() <= pd.Timedelta(microseconds=1)
    assert agl["entry_face"].tolist() == msl["entry_face"].tolist()
    assert agl["exit_face"].tolist() == msl["exit_face"].tolist()


def test_without_terrain_the_ground_is_at_sea_level_and_events_say_so():
    tracks = level_track(X0 - 5_000, X0 + 5_000, alt_m=500.0)
    zones = pd.concat([wide_zone(floor_m=300.0, floor_ref="AGL"),
                       wide_zone(floor_m=300.0, floor_ref="MSL").assign(airspace_id="MSL")], ignore_index=True)
    with pytest.warns(UserWarning, match="ground_assumed"):
        events = find_violations(tracks, zones)
    assert dict(zip(events["airspace_id"], events["ground_assumed"])) == {"LOW": True, "MSL": False}


def test_where_the_terrain_ends_the_ground_is_assumed():
    # The model covers only the western half of the track; there the ground is 400 m.
    west_half = Terrain(np.full((5, 5), 400.0), west=TO_LONLAT.transform(X0, Y0)[0] - 0.5,
                        north=52.5, cell_x=0.1, cell_y=0.2)
    tracks = level_track(X0 - 10_000, X0 + 10_000, alt_m=600.0, n_fixes=5)
    events = find_violations(tracks, wide_zone(ceiling_m=300.0, ceiling_ref="AGL"), terrain=west_half)
    # 600 m is 200 m above the model's ground, under the ceiling; beyond it, 600 m above the sea, over it.
    assert len(events) == 1 and events["exit_face"].iloc[0] == "ceiling"
    assert events["ground_assumed"].iloc[0]


def dense_oracle_inside(terrain, tracks, floor_m, ceiling_m, samples=4000):
    """Per dense sample of each piece (straight in EPSG:3035): time, inside or not, and the margin to a limit."""
    times, inside, margin = [], [], []
    for _, track in tracks.groupby("track_id", sort=False):
        x, y = TO_LAEA.transform(track["lon"].to_numpy(), track["lat"].to_numpy())
        t_s = seconds_after_start(track["time"])
        alt = track["alt_geo_m"].to_numpy()
        for k in range(len(track) - 1):
            f = np.linspace(0.0, 1.0, samples)
            px, py = x[k] + f * (x[k + 1] - x[k]), y[k] + f * (y[k + 1] - y[k])
            lon, lat = TO_LONLAT.transform(px, py)
            height = alt[k] + f * (alt[k + 1] - alt[k]) - terrain.ground_m(lon, lat)
            times.append(t_s[k] + f * (t_s[k + 1] - t_s[k]))
            inside.append((height >= floor_m) & (height <= ceiling_m))
            margin.append(np.minimum(np.abs(height - floor_m), np.abs(height - ceiling_m)))
    return np.concatenate(times), np.concatenate(inside), np.concatenate(margin)


@pytest.mark.parametrize("seed", range(6))
def test_agl_limits_agree_with_dense_sampling_of_the_ground(seed):
    rng = np.random.default_rng(seed)
    rows, columns = np.meshgrid(np.arange(21), np.arange(61), indexing="ij")
    phase = rng.uniform(0.0, 2 * np.pi, 2)
    heights = (450.0 + 400.0 * np.sin(columns / 3.0 + phase[0]) * np.cos(rows / 4.0 + phase[1])
               + rng.uniform(-30.0, 30.0, rows.shape))
    terrain = laea_terrain(heights)
    # How far the ground, linear between the core's samples (half a cell apart), may be from the
    # bilinear ground: an eighth of the second derivative along the path times the step squared.
    twist = np.abs(heights[:-1, :-1] - heights[:-1, 1:] - heights[1:, :-1] + heights[1:, 1:]).max()
    tolerance_m = twist / 32 + 1e-6
    n_fixes = 6
    x = np.sort(rng.uniform(X0 - 9_000, X0 + 49_000, n_fixes))
    y = Y0 + rng.uniform(-9_000, 9_000, n_fixes)
    lon, lat = TO_LONLAT.transform(x, y)
    alt = rng.uniform(0.0, 2000.0, n_fixes)
    times = START + pd.to_timedelta(np.cumsum(rng.uniform(20.0, 200.0, n_fixes)), unit="s")
    tracks = make_tracks("R", times, lon=lon, lat=lat, alt_geo_m=alt, alt_baro_m=alt)
    floor_m, ceiling_m = rng.uniform(100.0, 600.0), rng.uniform(900.0, 1500.0)
    zone = wide_zone(floor_m=floor_m, floor_ref="AGL", ceiling_m=ceiling_m, ceiling_ref="AGL")
    events = find_violations(tracks, zone, crs="EPSG:3035", terrain=terrain)
    t_s, inside, margin = dense_oracle_inside(terrain, tracks, floor_m, ceiling_m)
    entry, exit_ = seconds_after_start(events["entry_time"]), seconds_after_start(events["exit_time"])
    covered = ((t_s[:, None] >= entry[None, :] - 1e-6) & (t_s[:, None] <= exit_[None, :] + 1e-6)).any(axis=1)
    judged = margin > tolerance_m
    assert judged.mean() > 0.9
    assert (covered[judged] == inside[judged]).all()


def test_streaming_gives_the_batch_events_over_terrain():
    ridge = np.maximum(0.0, 300.0 - 30.0 * np.abs(np.arange(60) - 30.0))
    terrain = laea_terrain(np.tile(ridge, (21, 1)))
    crest = column_centre_m(30)
    tracks = level_track(crest - 20_000, crest + 20_000, alt_m=500.0, seconds=400.0, n_fixes=41)
    prepared = prepare_airspace(wide_zone(floor_m=300.0, floor_ref="AGL"), crs="EPSG:3035", terrain=terrain)
    batch = find_violations(tracks, prepared)
    detector = StreamingDetector(prepared)
    closed = [n.event for k in range(0, 41, 7) for n in detector.push(tracks.iloc[k:k + 7]) if n.kind != "entry"]
    closed += [n.event for n in detector.finish() if n.kind != "entry"]
    streamed = pd.DataFrame(closed)
    assert len(streamed) == len(batch) == 2
    assert (streamed["entry_time"].to_numpy() == batch["entry_time"].to_numpy()).all()
    assert (streamed["exit_time"].to_numpy() == batch["exit_time"].to_numpy()).all()


def write_dem(path, heights, west, north, cell, crs="EPSG:4326", nodata=-9999.0):
    from rasterio.transform import Affine

    heights = np.asarray(heights, np.float32)
    with rasterio.open(path, "w", driver="GTiff", width=heights.shape[1], height=heights.shape[0], count=1,
                       dtype="float32", crs=crs, transform=Affine(cell, 0, west, 0, -cell, north),
                       nodata=nodata) as out:
        out.write(heights, 1)
    return path


def test_read_terrain_reads_the_window_over_the_given_bounds(tmp_path):
    heights = np.arange(200 * 300, dtype=float).reshape(200, 300)
    path = write_dem(tmp_path / "dem.tif", heights, west=0.0, north=60.0, cell=0.01)
    whole, window = read_terrain(path), read_terrain(path, bounds_deg=(1.0, 59.0, 1.2, 59.5))
    assert window.heights_m.shape[0] < 200 and window.heights_m.shape[1] < 300
    lon, lat = np.array([1.013, 1.1, 1.187]), np.array([59.02, 59.25, 59.49])
    assert window.ground_m(lon, lat) == pytest.approx(whole.ground_m(lon, lat))
    assert np.isnan(read_terrain(path).ground_m([5.0], [59.0])[0])


def test_a_broken_terrain_file_is_one_line_naming_it(tmp_path):
    broken = tmp_path / "dem.tif"
    broken.write_bytes(b"II*\x00not a tiff at all")
    with pytest.raises(ReadError, match=r"dem\.tif: cannot read as a terrain raster"):
        read_terrain(broken)
    with pytest.raises(ReadError, match="no such file"):
        read_terrain(tmp_path / "missing.tif")
    path = write_dem(tmp_path / "far.tif", np.zeros((3, 3)), west=100.0, north=10.0, cell=0.1)
    with pytest.raises(ReadError, match="no terrain within"):
        read_terrain(path, bounds_deg=(10.0, 50.0, 11.0, 51.0))


def test_without_rasterio_the_message_says_what_to_install(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "rasterio", None)
    with pytest.raises(ImportError, match=r"airwarden\[terrain\]"):
        read_terrain(tmp_path / "dem.tif")


def test_the_detect_command_takes_a_terrain_model(tmp_path):
    dem = write_dem(tmp_path / "dem.tif", np.full((20, 20), 450.0), west=9.0, north=53.0, cell=0.2)
    tracks = level_track(X0 - 5_000, X0 + 5_000, alt_m=600.0)
    tracks.to_csv(tmp_path / "low.csv", index=False)
    write(wide_zone(ceiling_m=300.0, ceiling_ref="AGL"), tmp_path / "zone.geojson")
    runner = CliRunner()
    args = ["detect", str(tmp_path / "low.csv"), "--airspace", str(tmp_path / "zone.geojson")]
    on_terrain = runner.invoke(main, [*args, "--terrain", str(dem)])
    at_sea_level = runner.invoke(main, args)
    assert on_terrain.exit_code == 0 and at_sea_level.exit_code == 0
    (tmp_path / "on.csv").write_text(on_terrain.stdout)
    (tmp_path / "sea.csv").write_text(at_sea_level.stdout)
    # 600 m is 150 m above the model's ground (inside); over the sea it is 600 m (above the ceiling).
    assert read_events(tmp_path / "on.csv")["ground_assumed"].tolist() == [False]
    assert read_events(tmp_path / "sea.csv").empty
    broken = runner.invoke(main, [*args, "--terrain", str(Path(tmp_path / "zone.geojson"))])
    assert broken.exit_code == 2
    assert "zone.geojson" in broken.stderr and "Traceback" not in broken.stderr


def test_a_terrain_model_with_no_agl_limit_to_use_is_said_and_not_read(tmp_path):
    with pytest.warns(UserWarning, match=r"no volume has an AGL limit: the terrain model .*missing\.tif is not used"):
        prepare_airspace(wide_zone(floor_m=300.0, floor_ref="MSL"), terrain=tmp_path / "missing.tif")


def test_the_profile_draws_the_ground_and_agl_limits_over_it():
    import plots
    from plots.style import COLOURS
    from tracks.units import FOOT_M

    ramp = laea_terrain(np.tile(20.0 * np.arange(60), (21, 1)))
    tracks = level_track(X0 - 5_000, X0 + 45_000, alt_m=500.0, n_fixes=11)
    zone = wide_zone(floor_m=300.0, floor_ref="AGL")
    events = find_violations(tracks, zone, crs="EPSG:3035", terrain=ramp)
    tracks["ground_m"] = ramp.ground_m(tracks["lon"].to_numpy(), tracks["lat"].to_numpy())
    figure = plots.altitude_profile(events.iloc[0], tracks, zone.iloc[0])
    edges = [line for line in figure.axes[0].lines if line.get_color() == COLOURS["volume_edge"]]
    floors = [line.get_ydata() for line in edges if len(line.get_ydata()) > 2]
    shown = tracks[tracks["time"] <= events["exit_time"].iloc[0] + pd.Timedelta(minutes=2)]
    assert len(floors) == 1
    assert floors[0] == pytest.approx((shown["ground_m"].to_numpy() + 300.0) / FOOT_M)
    assert "ground (terrain model)" in figure.axes[0].get_legend_handles_labels()[1]


def test_the_commands_print_the_ground_warning_as_one_line(tmp_path):
    from detect.recent import forget_recent

    tracks = level_track(X0 - 5_000, X0 + 5_000, alt_m=200.0)
    tracks.to_csv(tmp_path / "low.csv", index=False)
    write(wide_zone(ceiling_m=300.0, ceiling_ref="AGL"), tmp_path / "zone.geojson")
    for command in ("detect", "replay"):
        forget_recent()  # as a new process: the airspace is prepared, and warned about, in the command
        result = CliRunner().invoke(main, [command, str(tmp_path / "low.csv"), "--airspace",
                                           str(tmp_path / "zone.geojson")])
        assert result.exit_code == 0
        lines = [line for line in result.stderr.splitlines() if "ground at sea level" in line]
        assert len(lines) == 1 and lines[0].startswith("warning: AGL limits"), command
        assert "UserWarning" not in result.stderr
