"""Reflex State classes: thin adapters that re-establish the viewer and call services."""
