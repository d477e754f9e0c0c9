"""Profiles: privacy-aware views (queries), editing, media and profile settings."""
