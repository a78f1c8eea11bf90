"""Pictures drawn from the tracks, airspace and events tables (issue 6)."""
