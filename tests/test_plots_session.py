"""Importing plots and drawing leave the user's matplotlib session as it was."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import sys
import matplotlib
import pandas as pd
import plots
events = pd.DataFrame({
    "track_id": ["T1"], "airspace_id": ["R1"], "country": ["EST"],
    "entry_time": pd.to_datetime(["2025-09-19 09:00:40Z"]), "exit_time": pd.to_datetime(["2025-09-19 09:02:20Z"]),
    "duration_s": [100.0], "max_depth_m": [700.0], "suspect": [False],
})
plots.save(plots.timeline(events), sys.argv[1])
print(matplotlib.get_backend(), "matplotlib.pyplot" in sys.modules)
"""


def test_plots_keep_the_backend_and_stay_out_of_pyplot(tmp_path):
    png = tmp_path / "timeline.png"
    env = {"MPLBACKEND": "svg", "PYTHONPATH": str(ROOT), "AIRWARDEN_CACHE_DIR": str(tmp_path / "cache"),
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(png)], capture_output=True, text=True, env=env,
                            cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["svg", "False"]
    assert png.read_bytes()[:4] == b"\x89PNG"
