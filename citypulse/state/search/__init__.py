"""State of /search and the header search overlay (issue 11)."""
