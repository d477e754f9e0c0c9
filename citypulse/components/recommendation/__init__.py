"""Pieces of the recommendation pages."""
