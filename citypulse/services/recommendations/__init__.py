"""Recommendations: commands, queries, cities, form rules, links, photos and the visibility rule."""
