"""Pictures: each function draws what it promises, from hand-made tables with known answers."""

import math

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

import borders
import plots
from airspace import make_airspace
from detect import find_violations, read_events, write_events
from plots.labels import distance_label, limit_label
from plots.style import COLOURS
from tracks import make_tracks

# A restricted box on the west coast of Saaremaa (Estonia): land, Estonian
# territorial sea, and no other state within 40 km, so only Estonia is built.
BOX = shapely.box(21.95, 58.20, 22.15, 58.30)
FL95_M = 95 * 100 * 0.3048


@pytest.fixture(scope="session", autouse=True)
def cache_dir(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AIRWARDEN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="module")
def airspace():
    return make_airspace(
        BOX, airspace_id="EER-T1", name="EER T1", country="EST", kind="restricted",
        floor_m=FL95_M, floor_ref="STD",
    )


@pytest.fixture(scope="module")
def tracks():
    # T1 flies east along 58.25 N at FL100 through the box, one fix a minute:
    # fixes at 21.85 and 22.25 are outside, 22.00 and 22.10 inside.
    # T2 cuts the box's south-west corner between two fixes both outside:
    # in at 21.95 E 58.21 N, out at 21.975 E 58.20 N, a sixth of its minute.
    t1 = make_tracks(
        "T1", pd.date_range("2025-09-19 09:00:00Z", periods=4, freq="60s"),
        lon=[21.85, 22.00, 22.10, 22.25], lat=58.25, alt_baro_m=3048.0, alt_geo_m=3100.0,
        callsign=["ESTX12"] * 4,
    )
    t2 = make_tracks(
        "T2", pd.to_datetime(["2025-09-19 10:00:00Z", "2025-09-19 10:01:00Z"]),
        lon=[21.90, 22.05], lat=[58.23, 58.17], alt_baro_m=3048.0,
    )
    return pd.concat([t1, t2], ignore_index=True)


@pytest.fixture(scope="module")
def events(tracks, airspace):
    found = find_violations(tracks, airspace)
    assert list(found["track_id"]) == ["T1", "T2"]
    return found


def texts(fig):
    """Every text drawn on a figure, its axes and annotations."""
    found = [text.get_text() for text in fig.texts]
    for ax in fig.axes:
        found += [text.get_text() for text in ax.texts]
        found.append(ax.get_title())
    return found


def joined(fig):
    return " ".join(" ".join(texts(fig)).split())


def local_xy(event, lon, lat):
    """Project into the azimuthal equidistant frame centred on the deepest point, as the map is drawn."""
    crs = pyproj.CRS.from_proj4(
        f"+proj=aeqd +lat_0={event['deepest_lat']} +lon_0={event['deepest_lon']} +datum=WGS84 +units=m")
    return pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)


def inside_line(fig):
    lines = [line for ax in fig.axes for line in ax.get_lines() if line.get_gid() == "track-inside"]
    assert len(lines) == 1
    return np.column_stack(lines[0].get_data())


def test_labels_by_hand():
    assert distance_label(700.0) == "0.70 km (0.38 NM)"  # 700 / 1852 = 0.378
    assert distance_label(12_456.0) == "12.5 km (6.7 NM)"  # 12456 / 1852 = 6.73
    assert distance_label(3.2) == "3.2 m (0.002 NM)"  # a near miss is not "0.00 km": 3.2 / 1852 = 0.0017
    assert distance_label(99.6) == "100 m (0.054 NM)"  # 99.6 / 1852 = 0.0538
    assert limit_label(FL95_M, "STD") == "FL95"
    assert limit_label(457.2, "MSL") == "1500 ft MSL"
    assert (limit_label(-math.inf, "SFC"), limit_label(math.inf, "STD")) == ("SFC", "UNL")


@pytest.mark.parametrize(
    ("lon", "lat", "highlight", "expected"),
    [
        # Vaindloo: Estonia's and Finland's territorial sea, the high-seas corridor between them
        (26.36, 59.81, "EST", ["land", "sea: international airspace", "territorial sea",
                               "territorial sea of Estonia"]),
        (26.36, 59.81, None, ["land", "sea: international airspace", "territorial sea"]),
        (25.28, 54.69, "LTU", ["land"]),  # Vilnius, 270 km from the sea
        # off Saaremaa: Estonia's territorial sea reaches past the view's west edge; no other state near
        (22.05, 58.25, "EST", ["land", "territorial sea of Estonia"]),
    ],
)
def test_basemap_legend_lists_only_what_is_in_view(lon, lat, highlight, expected):
    from plots.basemap import draw_basemap
    from plots.map_projection import local_crs

    ax = Figure().add_subplot()
    entries = draw_basemap(ax, local_crs(lon, lat), (-20_000.0, -15_000.0, 20_000.0, 15_000.0), highlight=highlight)
    assert [entry.get_label() for entry in entries] == expected


def test_a_state_that_crosses_itself_once_projected_is_still_named_in_its_part_in_view():
    """A state far from the projection's centre can come out crossing itself (Alaska in a view of the Atlantic)."""
    from plots.basemap import _label_states

    ax = Figure(figsize=(8, 8)).add_subplot()
    ax.set_xlim(0, 2_000_000)
    ax.set_ylim(0, 2_000_000)
    bow_tie = shapely.Polygon([(0, 0), (2_000_000, 2_000_000), (2_000_000, 0), (0, 2_000_000)])
    assert not shapely.is_valid(bow_tie)
    _label_states(ax, {"USA": bow_tie}, (0.0, 0.0, 2_000_000.0, 2_000_000.0), None, [])
    [label] = ax.texts
    assert " ".join(label.get_text().split()) == borders.lookup("USA")["name"].upper()
    assert shapely.contains_xy(shapely.make_valid(bow_tie), *label.get_position())


@pytest.mark.parametrize(("lon", "lat"), [(179.75, -17.5), (-179.9, 52.0), (26.36, 59.81), (0.0, 89.5)],
                         ids=["Fiji", "Aleutians", "Vaindloo", "North Pole"])
def test_lonlat_bounds_hold_every_point_of_the_view(lon, lat):
    """Across the antimeridian or around a pole too: what is clipped to the bounds loses nothing in view."""
    from plots.map_projection import local_crs, lonlat_bounds

    crs = local_crs(lon, lat)
    box = (-150_000.0, -100_000.0, 150_000.0, 100_000.0)
    west, south, east, north = lonlat_bounds(crs, box)
    x, y = np.meshgrid(np.linspace(box[0], box[2], 61), np.linspace(box[1], box[3], 41))
    lons, lats = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(x.ravel(), y.ravel())
    tol = 1e-3  # degrees: the edges are sampled, so a bulge of an edge between samples may stick out by metres
    assert np.all((west - tol <= lons) & (lons <= east + tol) & (south - tol <= lats) & (lats <= north + tol))


def test_an_area_cut_at_the_antimeridian_is_drawn_whole():
    """Fiji's national airspace, stored in halves either side of 180 degrees, projects as one outline, none lost."""
    from plots.map_projection import geometry_to_local, local_crs
    from plots.shapes import outline_polygons

    fiji = borders.sovereign_airspace("FJI").geometry.iloc[0]
    crs = local_crs(180.0, -17.0)
    halves = shapely.get_parts(shapely.clip_by_rect(fiji, -180.0, -20.0, 180.0, -15.0))
    halves = halves[np.abs(shapely.bounds(halves)[:, [0, 2]]).max(axis=1) >= 180.0]  # the parts that touch 180
    assert len(halves) >= 2
    joined = geometry_to_local(crs, shapely.MultiPolygon(list(halves)))
    each = [geometry_to_local(crs, half) for half in halves]
    assert joined.area == pytest.approx(sum(part.area for part in each), rel=1e-9)
    to_lonlat = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform
    for ring in outline_polygons(Figure().add_subplot(), joined).get_segments():
        on_180 = np.abs(to_lonlat(ring[:, 0], ring[:, 1])[0]) > 180.0 - 1e-6
        assert not np.any(on_180[1:] & on_180[:-1])  # a ring may cross 180 degrees, never run along it


def test_an_edge_along_a_parallel_keeps_its_course_once_projected():
    """A cut along 61 degrees north from 20 to 40 degrees east, as clipping to a view makes: not one chord."""
    from plots.map_projection import geometry_to_local, local_crs, to_local

    crs = local_crs(30.0, 60.5)
    outline = geometry_to_local(crs, shapely.box(20.0, 60.0, 40.0, 61.0)).exterior
    on_the_parallel = shapely.Point(*(float(value) for value in to_local(crs, 30.0, 61.0)))
    assert outline.distance(on_the_parallel) < 50.0  # metres; the chord of the two corners passes 41 km away


@pytest.mark.parametrize(("lons", "centre"), [([24.0, 28.0], 26.0), ([178.6, -178.6], -180.0),
                                              ([170.0, -150.0], -170.0), ([-170.0, 10.0, 100.0], 100.0)])
def test_tracks_are_centred_on_the_narrowest_box_of_their_longitudes(lons, centre):
    from plots.map_projection import centre_of_lonlat

    assert centre_of_lonlat(np.array(lons), np.zeros(len(lons)))[0] == pytest.approx(centre)


def test_incident_map_title_times_depth_attribution(events, tracks, airspace):
    event = events.iloc[0]
    fig = plots.incident_map(event, tracks, airspace)
    assert isinstance(fig, Figure)
    text = joined(fig)
    assert "T1 (callsign ESTX12)" in text and "Estonia" in text and "19 Sep 2025" in text
    assert f"entry {event['entry_time']:%H:%M:%S} Z" in text
    assert f"exit {event['exit_time']:%H:%M:%S} Z" in text
    km, nm = event["max_depth_m"] / 1000, event["max_depth_m"] / 1852
    assert f"deepest {km:.2f} km ({nm:.2f} NM)" in text
    assert " ".join(borders.ATTRIBUTION.split()) in text
    assert plots.ILLUSTRATIVE_TEXT not in text
    legend = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert "territorial sea of Estonia" in legend and "territorial sea" not in legend  # no other state near
    hatched = [c for ax in fig.axes for c in ax.collections if isinstance(c, PathCollection) and c.get_hatch() == "///"]
    assert hatched, "the territorial sea is drawn hatched"


def test_incident_map_inside_line_runs_from_entry_to_exit(events, tracks, airspace):
    event = events.iloc[0]
    line = inside_line(plots.incident_map(event, tracks, airspace))
    x_m, y_m = local_xy(event, [event["entry_lon"], event["exit_lon"]], [event["entry_lat"], event["exit_lat"]])
    np.testing.assert_allclose(line[0], [x_m[0], y_m[0]], atol=0.01)
    np.testing.assert_allclose(line[-1], [x_m[1], y_m[1]], atol=0.01)
    assert len(line) == 2 + 2  # the two fixes inside between the crossings


def test_corner_cut_with_no_fix_inside_still_shows_its_red_piece(events, tracks, airspace):
    event = events.iloc[1]
    assert event["n_fixes"] == 0
    line = inside_line(plots.incident_map(event, tracks, airspace))
    assert len(line) == 2
    assert np.hypot(*(line[1] - line[0])) > 500  # a visible piece, not a dot
    ax = next(ax for ax in plots.incident_map(event, tracks, airspace).axes if ax.get_lines())
    width_m = np.ptp(ax.get_xlim())
    assert width_m < 60_000  # zoomed on the event, not the region


def test_incident_map_draws_into_given_axes(events, tracks, airspace):
    fig = Figure(figsize=(8, 7))
    ax = fig.add_subplot()
    assert plots.incident_map(events.iloc[0], tracks, airspace, ax=ax) is fig
    assert "T1" in ax.get_title() and len(inside_line(fig)) == 4


def test_illustrative_label_iff_asked(events, tracks, airspace):
    event = events.iloc[0]
    assert plots.ILLUSTRATIVE_TEXT in joined(plots.incident_map(event, tracks, airspace, illustrative=True))
    assert plots.ILLUSTRATIVE_TEXT in joined(plots.timeline(events, illustrative=True))
    assert plots.ILLUSTRATIVE_TEXT not in joined(plots.timeline(events))


def test_incident_map_refuses_unknown_track(events, tracks, airspace):
    with pytest.raises(ValueError, match="no fix of track 'T1'"):
        plots.incident_map(events.iloc[0], tracks[tracks["track_id"] != "T1"], airspace)


def test_altitude_profile_limits_and_times(events, tracks, airspace):
    event = events.iloc[0]
    fig = plots.altitude_profile(event, tracks, airspace.iloc[0])
    text = joined(fig)
    assert "floor FL95" in text and "ceiling UNL" in text
    assert "T1" in text and "Estonia" in text and "19 Sep 2025" in text
    assert f"entry {event['entry_time']:%H:%M:%S} Z" in text
    styles = {line.get_linestyle() for line in fig.axes[0].get_lines()
              if line.get_label().startswith(("pressure", "geometric"))}
    assert styles == {"-", "--"}  # baro solid, geo dashed


def test_an_event_or_volume_given_as_a_one_row_table_is_drawn_as_its_row(events, tracks, airspace):
    event = events.iloc[0]
    first = events[events.index == events.index[0]]
    volume = airspace[airspace["airspace_id"] == event["airspace_id"]]
    assert inside_line(plots.incident_map(first, tracks, airspace)).tolist() == inside_line(
        plots.incident_map(event, tracks, airspace)).tolist()
    assert f"entry {event['entry_time']:%H:%M:%S} Z" in joined(plots.altitude_profile(first, tracks, volume))
    with pytest.raises(ValueError, match=f"^event: expected one row, got a table of {len(events)} rows"):
        plots.incident_map(events, tracks, airspace)


def test_profile_of_a_long_stay_keeps_its_entry_and_exit_labels_within_the_picture(airspace):
    """Ten hours inside: the few minutes either side are a sliver of the axis, too narrow for a label."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    long_stay = make_tracks(
        "LONG", pd.date_range("2025-09-19 08:00:00Z", periods=62, freq="10min"),
        lon=[21.90] + [22.05] * 60 + [22.20], lat=58.25, alt_baro_m=3048.0,
    )
    [event] = [row for _, row in find_violations(long_stay, airspace).iterrows()]
    assert event["duration_s"] > 9 * 3600
    fig = plots.altitude_profile(event, long_stay, airspace.iloc[0])
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    picture = fig.bbox
    labels = [text for text in fig.axes[0].texts if text.get_text().startswith(("entry ", "exit "))]
    assert len(labels) == 2
    for label in labels:
        box = label.get_window_extent(renderer)
        assert picture.x0 <= box.x0 and box.x1 <= picture.x1, label.get_text()


def test_profile_of_a_stay_the_recording_starts_and_ends_in_says_so(airspace):
    """Every fix inside: no entry or exit was seen, as the map says too."""
    inside_only = make_tracks("IN", pd.date_range("2025-09-19 08:00:00Z", periods=3, freq="1min"),
                              lon=[22.0, 22.05, 22.1], lat=58.25, alt_baro_m=3048.0)
    [event] = [row for _, row in find_violations(inside_only, airspace).iterrows()]
    assert (event["entry_face"], event["exit_face"]) == ("start", "end")
    labels = [text.get_text() for text in plots.altitude_profile(event, inside_only, airspace.iloc[0]).axes[0].texts]
    assert "already inside 08:00:00 Z" in labels and "lost inside 08:02:00 Z" in labels
    assert not any(label.startswith(("entry ", "exit ")) for label in labels)


def test_timeline_one_bar_per_event_with_durations(events):
    fig = plots.timeline(events)
    bars = [patch for ax in fig.axes for patch in ax.patches]
    assert len(bars) == len(events)
    text = joined(fig)
    # T1: in at 21.95 E, 40 s after its first fix; out at 22.15 E, 20 s after its third: 100 s.
    # T2: 10 s (see the tracks fixture).
    assert "1 min 40 s" in text and "10 s" in text


def test_counted_timeline_over_years_has_colours_years_and_whole_counts_apart_from_its_legend(events):
    """Ten states' events over four years: too many days for bars, so counted."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_hex

    codes = ["FRA", "SVN", "ITA", "AUT", "DEU", "GBR", "BRA", "ESP", "CHE", "BEL"]
    starts = pd.date_range("2018-03-01T12:00Z", "2022-03-01T12:00Z", periods=40)
    many = pd.concat([events.iloc[[0]]] * len(starts), ignore_index=True).assign(
        entry_time=starts, exit_time=starts + pd.Timedelta(minutes=5),
        country=[codes[k % len(codes)] for k in range(len(starts))],
        airspace_id=[f"national-{codes[k % len(codes)]}" for k in range(len(starts))],
        track_id=[f"T{k}" for k in range(len(starts))])
    fig = plots.timeline(many)
    FigureCanvasAgg(fig).draw()
    [legend] = fig.legends
    colours = [to_hex(patch.get_facecolor()) for patch in legend.get_patches()]
    assert len(colours) == 9 and len(set(colours)) == 9  # eight states and "other", each its own colour
    counts_ax, inside_ax = fig.axes
    labels = " ".join(label.get_text() for label in inside_ax.get_xticklabels())
    assert {"2019", "2020", "2021", "2022"} <= set(labels.split())
    for ax in (counts_ax, inside_ax):
        ticks = ax.get_yticks()
        assert np.array_equal(ticks, np.round(ticks))
    renderer = fig.canvas.get_renderer()
    assert not legend.get_window_extent(renderer).overlaps(inside_ax.xaxis.label.get_window_extent(renderer))


def test_overview_numbers_every_event(events, tracks, airspace):
    text = texts(plots.overview_map(events, tracks, airspace))
    assert {"1", "2"} <= set(text) or "1\u20132" in text
    assert any(" ".join(borders.ATTRIBUTION.split()) in " ".join(t.split()) for t in text)


def test_overview_numbers_do_not_cover_each_other(airspace):
    """30 passes through the box, their deepest points crowded: no two numbers' boxes overlap as drawn."""
    import io

    geod = pyproj.Geod(ellps="WGS84")
    rng = np.random.default_rng(3)
    n, fixes = 30, 12
    centre_lon, centre_lat = rng.uniform(21.97, 22.13, n), rng.uniform(58.21, 58.29, n)
    lon, lat, _ = geod.fwd(np.repeat(centre_lon, fixes), np.repeat(centre_lat, fixes),
                           np.repeat(rng.uniform(0.0, 360.0, n), fixes), np.tile((np.arange(fixes) - 5.5) * 1000.0, n))
    start = pd.Timestamp("2025-09-19 00:00Z") + pd.to_timedelta(np.arange(n) * 600, unit="s")
    times = np.repeat(start.tz_convert(None).to_numpy(), fixes) + np.tile(np.arange(fixes) * np.timedelta64(10, "s"), n)
    passes = make_tracks(np.repeat([f"P{i:02d}" for i in range(n)], fixes), pd.DatetimeIndex(times, tz="UTC"),
                         lon=lon, lat=lat, alt_baro_m=3000.0)
    events = find_violations(passes, airspace)
    assert len(events) == n
    fig = plots.overview_map(events, passes, airspace)
    fig.savefig(io.BytesIO(), format="rgba")  # lays the numbers out as drawn
    numbers = [text for text in fig.axes[0].texts if text.get_text()[:1].isdigit()]
    boxes = [text.get_bbox_patch().get_window_extent() for text in numbers]
    assert len(boxes) >= 10  # crowded, yet not merged into a few
    overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if min(a.x1, b.x1) - max(a.x0, b.x0) > 1 and min(a.y1, b.y1) - max(a.y0, b.y0) > 1]
    assert not overlaps


@pytest.mark.parametrize("ending, magic", [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_save_writes_the_format_of_the_ending(tmp_path, events, ending, magic):
    path = plots.save(plots.timeline(events), tmp_path / f"t.{ending}")
    assert path.read_bytes()[:len(magic)] == magic


def test_save_refuses_unknown_ending(tmp_path, events):
    with pytest.raises(ValueError, match=r"\.jpg"):
        plots.save(plots.timeline(events), tmp_path / "t.jpg")
    assert not (tmp_path / "t.jpg").exists()


def test_write_event_maps_names_every_file(tmp_path, events, tracks, airspace):
    seen = []
    paths = plots.write_event_maps(events, tracks, airspace, tmp_path, progress=seen.append)
    names = sorted(path.name for path in paths)
    assert names == sorted([
        "event-001_T1_EST.png", "event-001_T1_EST_profile.png",
        "event-002_T2_EST.png", "event-002_T2_EST_profile.png",
        "timeline.png", "overview.png",
    ])
    assert seen == paths and all(path.read_bytes()[:4] == b"\x89PNG" for path in paths)


def test_no_event_chosen_still_draws_the_timeline_and_overview_of_all(tmp_path, events, tracks, airspace):
    paths = plots.write_event_maps(events.iloc[:0], tracks, airspace, tmp_path, all_events=events)
    assert sorted(path.name for path in paths) == ["overview.png", "timeline.png"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["overview.png", "timeline.png"]


# --- custom airspace, doubt, many events ---------------------------------------------------------


@pytest.fixture(scope="module")
def custom_airspace():
    """The same box as an OpenAir file gives it: no state."""
    table = make_airspace(BOX, airspace_id="R45A", name="LF-R 45 A", country="EST", kind="restricted")
    table["country"] = None
    return table


@pytest.mark.parametrize("read_back", [False, True], ids=["found", "read back from CSV"])
def test_custom_airspace_is_named_in_titles_and_file_names(tmp_path, tracks, custom_airspace, read_back):
    events = find_violations(tracks, custom_airspace)
    if read_back:  # the empty country comes back as NA
        events = read_events(write_events(events, tmp_path / "events.csv"))
    assert (events["country"].fillna("").astype(str).str.strip() == "").all()  # no state
    paths = plots.write_event_maps(events, tracks, custom_airspace, tmp_path)
    names = sorted(path.name for path in paths)
    assert "event-001_T1_R45A.png" in names and "event-002_T2_R45A_profile.png" in names
    incident = joined(plots.incident_map(events.iloc[0], tracks, custom_airspace))
    assert "in LF-R 45 A (restricted, id R45A)" in incident
    profile = joined(plots.altitude_profile(events.iloc[0], tracks, custom_airspace.iloc[0]))
    assert "altitude in LF-R 45 A (restricted, id R45A)" in profile
    overview = joined(plots.overview_map(events, tracks, custom_airspace))
    assert "violated: LF-R 45 A" in overview
    on_map = plots.overview_map(events, tracks, custom_airspace).axes[0].texts
    assert "LF-R 45 A" in [text.get_text() for text in on_map]  # the volume named on the map


def test_a_gap_in_the_recording_is_dashed_labelled_and_doubted(tracks, airspace):
    # T3 flies east through the box with no fix for 20 minutes inside it.
    t3 = make_tracks("T3", pd.to_datetime(["2025-09-19 11:00:00Z", "2025-09-19 11:01:00Z", "2025-09-19 11:21:00Z",
                                           "2025-09-19 11:22:00Z"]),
                     lon=[21.85, 22.00, 22.10, 22.25], lat=58.26, alt_baro_m=3048.0)
    event = find_violations(t3, airspace).iloc[0]
    assert event["exit_uncertainty_s"] == 60.0 and event["duration_s"] > 1200  # the exit is in an ordinary minute
    fig = plots.incident_map(event, t3, airspace)
    dashed = [line for line in fig.axes[0].get_lines()
              if line.get_linestyle() == "--" and line.get_color() == COLOURS["track_inside"]]
    assert len(dashed) == 1  # the 20-minute stretch only
    x, y = dashed[0].get_data()
    expected_x, expected_y = local_xy(event, [22.00, 22.10], [58.26, 58.26])
    assert np.allclose(x, expected_x, atol=1.0) and np.allclose(y, expected_y, atol=1.0)
    assert "no data for 20 min 00 s" in joined(fig)


def test_suspect_and_low_certainty_events_say_so_in_the_title(events, tracks, airspace):
    doubtful = events.iloc[0].copy()
    doubtful["suspect"] = True
    doubtful["entry_uncertainty_s"] = 377.0
    heading = plots.incident_map(doubtful, tracks, airspace).texts[1].get_text()
    assert "SUSPECT" in heading and "LOW CERTAINTY (entry \u00b1377 s)" in heading
    assert "SUSPECT" not in plots.incident_map(events.iloc[0], tracks, airspace).texts[1].get_text()


def test_many_events_are_counted_not_listed(tracks, airspace):
    many = pd.concat([find_violations(tracks, airspace)] * 40, ignore_index=True)  # 80 events
    overview = plots.overview_map(many, tracks, airspace)
    counts = [text.get_text() for text in overview.axes[0].texts if text.get_text().replace(",", "").isdigit()]
    # T1's 40 deepest points are one place, T2's 40 another: two clusters of 40
    assert sorted(counts) == ["40", "40"]
    assert "the 40 deepest of 80 events" in joined(overview)
    timeline = plots.timeline(pd.concat([many.assign(track_id=many.index.astype(str))], ignore_index=True))
    assert "counted per" in joined(timeline)
    assert sum(patch.get_height() for patch in timeline.axes[0].patches) == 80  # every entry counted once


def test_pictures_drawn_by_workers_are_those_drawn_here(tmp_path, tracks, airspace):
    many = pd.concat([find_violations(tracks, airspace)] * 6, ignore_index=True)  # 12 events: drawn by workers
    here = plots.write_event_maps(many, tracks, airspace, tmp_path / "here", workers=1)
    there = plots.write_event_maps(many, tracks, airspace, tmp_path / "there", workers=2)
    assert [path.name for path in here] == [path.name for path in there]
    assert len(there) == 2 * 12 + 2 and all(path.read_bytes()[:4] == b"\x89PNG" for path in there)


def test_a_long_title_is_set_smaller_to_stay_within_the_picture():
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from plots.decor import title

    heading = ("4a1b41-20180801T1559Z in LOW FLYING ZONE (restricted, id low-flying-zone) \u2014 19 Sep 2025 "
               "\u2014 GROUND ASSUMED (AGL limit over sea level) \u2014 LOW CERTAINTY (exit \u00b1377 s)")
    figure = Figure(figsize=(12.0, 8.5))
    FigureCanvasAgg(figure)
    long_line, short_line = title(figure, heading, "entry 09:08:25 Z")
    renderer = figure.canvas.get_renderer()
    extent = long_line.get_window_extent(renderer)
    assert 0 <= extent.x0 and extent.x1 <= figure.bbox.width
    assert long_line.get_fontsize() < 14 and short_line.get_fontsize() == 10.5


def test_a_label_whose_point_is_crowded_on_every_side_goes_farther_out_clear_of_the_others():
    from plots.placement import DISTANCE_PT, label_box_pt, label_rectangle, place_label

    ax = Figure(figsize=(8, 8)).add_subplot(xlim=(-50_000.0, 50_000.0), ylim=(-50_000.0, 50_000.0))
    anchor = (0.0, 0.0)
    size = label_box_pt("exit 07:47:50 Z\n(recording ends)", 10)
    # The boxes another label would take at every one of the eight places around the point.
    taken = shapely.union_all([
        label_rectangle(ax, anchor, (DISTANCE_PT * math.cos(a), DISTANCE_PT * math.sin(a)), size)
        for a in np.radians(np.arange(0, 360, 45))])
    offset, box = place_label(ax, anchor, "closest 0.00 km (0.00 NM)\nat 07:47:50 Z", 10, avoid=taken)
    assert math.hypot(*offset) > 1.5 * DISTANCE_PT
    assert shapely.distance(box, taken) > 0
