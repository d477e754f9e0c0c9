"""Social graph: buddies and blocks as SQL conditions."""
