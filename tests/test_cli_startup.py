"""The command line's start: what help, version and usage errors import; Ctrl-C at any moment.

Each test runs ``python -m detect`` in a subprocess from the repository root,
so that the packages of this checkout are the ones run, and a fresh
interpreter shows what a command imports. ``-X importtime`` lists the
modules imported on stderr; no timing is asserted.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_AIRSPACE = ROOT / "detect" / "examples" / "baltic_airspace.geojson"
HEAVY = (
    "dask", "distributed", "geopandas", "matplotlib", "numba", "numpy", "pandas", "pyarrow", "pyogrio", "pyproj",
    "scipy", "shapely", "timezonefinder",
)
INTERRUPTED_LINES = ("airwarden: interrupted", "interrupted: 0 event(s) so far", "interrupted: 1 event(s) so far")


def airwarden(*args, **options):
    """``python -X importtime -m detect ARGS`` from the repository root, started."""
    return subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "detect", *map(str, args)],
        cwd=ROOT, text=True, **options,
    )


def imported_packages(stderr):
    """The top-level packages of the modules ``-X importtime`` lists in `stderr`."""
    return {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in stderr.splitlines()
        if line.startswith("import time:")
    }


def messages(stderr):
    """The lines of `stderr` that are not ``-X importtime``'s."""
    return [line for line in stderr.splitlines() if not line.startswith("import time:")]


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["--help"], 0),
        (["--version"], 0),
        (["detect", "--help"], 0),
        (["replay", "-h"], 0),
        (["map", "--help"], 0),
        (["demo", "--help"], 0),
        (["tracks", "--help"], 0),
        (["airspace", "--help"], 0),
        (["countries", "--help"], 0),
        (["detect", "--min-depth", "-3", "flights.csv"], 2),
        (["detect", "--no-such-option"], 2),
        (["no-such-command"], 2),
        (["detect"], 2),
        (["replay", "flights.csv"], 2),
        (["replay", "flights.csv", "--against", "EST", "--out", "events.txt"], 2),
        (["airspace", "EST", "--out", "airspace.txt"], 2),
        (["tracks", "flights.csv", "--out", "tracks.txt"], 2),
    ],
)
def test_help_version_and_usage_errors_import_nothing_heavy(args, status):
    process = airwarden(*args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate(timeout=60)
    assert process.returncode == status, err
    assert sorted(imported_packages(err) & set(HEAVY)) == []
    if status == 0:
        assert out
    else:
        assert "Traceback" not in err and messages(err)


def test_tracks_help_lists_every_format():
    from tracks.formats import format_specs

    process = airwarden("tracks", "--help", stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out, _ = process.communicate(timeout=60)
    unwrapped = "".join(out.split())  # the help wraps lines, at hyphens too
    assert "oneof" + ",".join(sorted(format_specs())) + "." in unwrapped


def test_format_names_read_from_the_sources_are_the_modules_names():
    from tracks.formats import format_names, format_specs

    assert format_names() == sorted(format_specs())


def test_packages_give_their_exports_on_first_use():
    code = "\n".join([
        "import sys",
        "import borders, detect, tracks",
        f"heavy = sorted(set({HEAVY!r}) & set(sys.modules))",
        "assert heavy == [], heavy",
        "import borders.sovereign, borders.land_areas, tracks.reading  # imports borders.country_codes too",
        "assert callable(borders.countries) and callable(borders.land) and callable(tracks.read)",
        "assert borders.country_codes is sys.modules['borders.country_codes'] and tracks.reading.read is tracks.read",
        "assert borders.land_areas.land is borders.land and borders.country_codes.countries is borders.countries",
        "from tracks import read",
        "from detect import find_violations, prepare_airspace, StreamingDetector, EVENT_COLUMNS",
        "assert read is tracks.read and find_violations.__module__ == 'detect.core'",
        "for package in (borders, detect, tracks):",
        "    assert all(getattr(package, name) is not None for name in package.__all__)",
        "    assert set(package.__all__) <= set(dir(package))",
        "assert borders.sources.ATTRIBUTION == borders.ATTRIBUTION",
        "try:",
        "    detect.no_such_name",
        "except AttributeError as error:",
        "    assert str(error) == \"module 'detect' has no attribute 'no_such_name'\"",
        "else:",
        "    raise AssertionError('detect.no_such_name')",
    ])
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


# --- Ctrl-C -------------------------------------------------------------------


@pytest.fixture(scope="module")
def endless_recording(tmp_path_factory):
    """Two hours of one aircraft inside EX-R1 of the example airspace from its first fix."""
    path = tmp_path_factory.mktemp("recording") / "endless.csv"
    lines = ["track_id,time,lon,lat,alt_baro_m,alt_geo_m"]
    for k in range(1440):
        minutes, seconds = divmod(5 * k, 60)
        lines.append(
            f"SLOW1,2025-09-19T{9 + minutes // 60:02d}:{minutes % 60:02d}:{seconds:02d}Z,"
            f"{26.1 + k * 1e-4:.6f},59.75,2000.0,2060.0"
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def _default_sigint():
    """In the child: Ctrl-C as a terminal delivers it, even if the test runner ignores SIGINT."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupted_run(args, ready, delay, env=None):
    """Start the command line, wait for `ready` on its stderr, then `delay` s, and press Ctrl-C.

    Returns
    -------
    tuple of (int, str)
        The exit status and stderr without ``-X importtime``'s lines.
    """
    process = airwarden(*args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_default_sigint, env=env)
    lines, seen = [], threading.Event()

    def read():
        for line in process.stderr:
            lines.append(line)
            if ready in line:
                seen.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert seen.wait(60), f"never saw {ready!r}: {''.join(lines)[-2000:]}"
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        status = process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    reader.join(10)
    return status, "\n".join(messages("".join(lines)))


@pytest.mark.parametrize("delay", [0.0, 0.1, 0.3, 0.6])
def test_ctrl_c_while_a_replay_starts_exits_130_without_traceback(endless_recording, delay):
    # "| detect.cli.entry" ends the import of the entry point: from there on, every
    # moment (imports of the command's modules, reading, building) is airwarden's.
    status, err = interrupted_run(
        ["replay", endless_recording, "--airspace", EXAMPLE_AIRSPACE, "--realtime"], "| detect.cli.entry", delay,
    )
    assert status == 130, err
    assert "Traceback" not in err
    assert err.splitlines()[-1] in INTERRUPTED_LINES


@pytest.mark.parametrize("delay", [1.0, 2.0])
def test_ctrl_c_while_a_first_run_compiles_exits_130(endless_recording, tmp_path, delay):
    # With no compiled code cached (a first run after installing), the detection core is compiled
    # while the replay starts: a Ctrl-C in the imports and the compilation must end it too.
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba-cache")}
    status, err = interrupted_run(
        ["replay", endless_recording, "--airspace", EXAMPLE_AIRSPACE, "--realtime"], "| detect.cli.entry", delay, env,
    )
    assert status == 130, err
    assert "Traceback" not in err
    assert err.splitlines()[-1] in INTERRUPTED_LINES


def test_ctrl_c_during_a_replay_writes_the_events_so_far_and_exits_130(endless_recording, tmp_path):
    out = tmp_path / "events.csv"
    status, err = interrupted_run(
        ["replay", endless_recording, "--airspace", EXAMPLE_AIRSPACE, "--realtime", "--out", out], "ENTRY", 0.1,
    )
    assert status == 130, err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "interrupted: 1 event(s) so far"
    assert out.read_text().count("\n") == 2


def test_ctrl_c_swallowed_in_a_finalizer_is_raised_again():
    # Ctrl-C while matplotlib's weakref callbacks run (maps being drawn) lands where Python cannot
    # raise it: it prints "Exception ignored" and goes on. The entry point's hook raises it again.
    code = "\n".join([
        "import sys, time",
        "from detect.cli.entry import _interrupt_again",
        "sys.unraisablehook = _interrupt_again",
        "class Finalized:",
        "    def __del__(self):",
        "        raise KeyboardInterrupt",
        "try:",
        "    Finalized()",
        "    deadline = time.monotonic() + 30",
        "    while time.monotonic() < deadline:",
        "        time.sleep(0.01)",
        "except KeyboardInterrupt:",
        "    print('raised again')",
    ])
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "raised again"
    assert done.stderr == ""


def _run_module(tmp_path, command_body):
    """``python -m`` a module that runs the entry point on a group whose command is `command_body`."""
    (tmp_path / "fake_airwarden.py").write_text("\n".join([
        "import detect.cli.group",
        "from detect.cli.entry import run",
        "def command():",
        *(f"    {line}" for line in command_body),
        "detect.cli.group.main = command",
        "run()",
    ]))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)])}
    return subprocess.run([sys.executable, "-m", "fake_airwarden"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)


HIDDEN_CTRL_C = {
    # CPython remembers a KeyboardInterrupt that left exec'd text (numba and dataclasses run such code)
    # and, under python -m, would end the process by SIGINT instead of the status asked for.
    "in-code-compiled-from-text": ['exec("raise KeyboardInterrupt")'],
    # numba's compiler, cut short by a Ctrl-C inside a callback that swallows it, fails with an error of
    # its own before the Ctrl-C is raised again: that error is the interruption's.
    "error-after-a-swallowed-ctrl-c": [
        "class Finalized:",
        "    def __del__(self):",
        "        raise KeyboardInterrupt",
        "Finalized()",
        "raise RuntimeError('no compiled object yet')",
    ],
    # A Ctrl-C while a compiled module initialises (numba's _devicearray) comes out of the import as
    # an ImportError, not as a KeyboardInterrupt: it is the interruption's all the same.
    "inside-the-import-of-a-compiled-module": [
        "import os, signal",
        "try:",
        "    os.kill(os.getpid(), signal.SIGINT)",
        "    import time; time.sleep(30)",
        "except KeyboardInterrupt:",
        "    raise ImportError('numba._devicearray failed to import')",
    ],
    # The same ImportError, skipped by a library importing an optional dependency: the Ctrl-C is lost there,
    # and the command would go on (a paced replay, for hours) but for the Ctrl-C raised again.
    "lost-in-the-import-of-an-optional-dependency": [
        "import os, signal, time",
        "try:",
        "    os.kill(os.getpid(), signal.SIGINT)",
        "    time.sleep(30)",
        "except (KeyboardInterrupt, ImportError):",
        "    pass",
        "time.sleep(30)",
    ],
    # llvmlite's objects, left half made by a Ctrl-C while numba compiles, crash the interpreter when
    # they are finalized at exit (a segmentation fault): here an object whose finalizer crashes stands in.
    "objects-left-half-made-not-finalized-at-exit": [
        "import builtins, ctypes, os, signal, time",
        "class CrashesWhenFinalized:",
        "    def __del__(self):",
        "        ctypes.string_at(0)",
        "builtins.left_half_made = CrashesWhenFinalized()",
        "os.kill(os.getpid(), signal.SIGINT)",
        "time.sleep(30)",
    ],
}
"""Commands in which a Ctrl-C reaches the entry point in a disguise, by the case it stands for."""


@pytest.mark.parametrize("command_body", HIDDEN_CTRL_C.values(), ids=HIDDEN_CTRL_C.keys())
def test_a_disguised_ctrl_c_still_exits_130_with_one_line(tmp_path, command_body):
    done = _run_module(tmp_path, command_body)
    assert done.returncode == 130, done.stderr
    assert done.stderr == "airwarden: interrupted\n"
