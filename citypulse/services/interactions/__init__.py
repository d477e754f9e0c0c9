"""Interactions: likes, saves, ratings, views and shares, and their domain events."""
