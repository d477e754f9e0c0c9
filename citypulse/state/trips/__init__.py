"""Trips states: the trip page and its forms, the lists, the live channel."""
