"""Moderator pages."""
