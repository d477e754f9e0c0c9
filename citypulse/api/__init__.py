"""Starlette routes served next to Reflex's own endpoints."""
