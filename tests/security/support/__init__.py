"""Shared machinery of the security tier (handler discovery, crafted tabs, the world)."""
