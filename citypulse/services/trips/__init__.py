"""Trips (PRODUCT.md §4.6): access, the trip itself, cities, itinerary, Places, sharing,
calendar export, companions and comments. Every service starts from `access`."""
