"""CityPulse: a travel social network built with Reflex."""

__version__ = "0.1.0"
