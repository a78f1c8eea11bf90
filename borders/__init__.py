"""Sovereign airspace and land of the world's states, from embedded data (issue 4)."""
