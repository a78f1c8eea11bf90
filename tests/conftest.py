"""Fixtures that several test modules take by name."""

import pytest


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """A cache folder of the test's own (``AIRWARDEN_CACHE_DIR``): no test sees what another built."""
    monkeypatch.setenv("AIRWARDEN_CACHE_DIR", str(tmp_path / "cache"))
