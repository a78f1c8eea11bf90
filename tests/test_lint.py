"""The code keeps the linter's rules (ruff, configured in ruff.toml): no unused imports or names, lines within 120."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "airspace", "borders", "detect",
                             "plots", "tracks", "tests", "bench"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
