"""The Starlette app that carries CityPulse's own HTTP routes (mounted via api_transformer)."""

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from citypulse.api.auth_routes import AUTH_ROUTES
from citypulse.api.calendar_routes import CALENDAR_ROUTES
from citypulse.api.email_routes import EMAIL_ROUTES
from citypulse.api.export_routes import EXPORT_ROUTES
from citypulse.api.google_routes import GOOGLE_ROUTES
from citypulse.api.health import health
from citypulse.api.page_meta import PageMetaMiddleware
from citypulse.api.qa_routes import QA_ROUTES
from citypulse.api.static_cache import StaticCacheMiddleware
from citypulse.api.upload_guard import UploadHandlerGuard


def build_api() -> Starlette:
    """All custom HTTP routes; Reflex's `/_event`, `/_upload`, `/ping` stay its own.

    Reflex mounts its own app inside this one, so the middleware also sees `/_upload`.
    """
    return Starlette(
        routes=[
            Route("/health", health, methods=["GET"]),
            *AUTH_ROUTES,
            *GOOGLE_ROUTES,
            *EMAIL_ROUTES,
            *EXPORT_ROUTES,
            *CALENDAR_ROUTES,
            *QA_ROUTES,  # 404 unless QA mode is on (issue 16)
        ],
        # Shared pages' link previews: their shell served with their own title and tags;
        # how long browsers keep the exported frontend (as deploy/nginx says).
        middleware=[
            Middleware(UploadHandlerGuard),
            Middleware(PageMetaMiddleware),
            Middleware(StaticCacheMiddleware),
        ],
    )
