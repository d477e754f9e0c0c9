"""The Starlette app that carries CityPulse's own HTTP routes (mounted via api_transformer)."""

from starlette.applications import Starlette
from starlette.routing import Route

from citypulse.api.health import health


def build_api() -> Starlette:
    """All custom HTTP routes; Reflex's `/_event`, `/_upload`, `/ping` stay its own."""
    return Starlette(routes=[Route("/health", health, methods=["GET"])])
