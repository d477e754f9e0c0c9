"""The app adds the security headers itself, so a deployment without our Nginx is safe.

Wraps the whole backend (CityPulse's routes, Reflex's `/_upload`, `/ping`, `/_health`
and, under `make run`, the exported pages): every HTTP response gets the headers of
`citypulse.api.security_headers`, the same definition the Nginx config is rendered
from. Behind Nginx the values are the same, so nothing conflicts.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from citypulse.api.security_headers import inline_script_hashes, security_headers
from citypulse.settings import PROJECT_ROOT, Settings, get_settings

_cache: tuple[tuple[object, ...], dict[str, str]] | None = None


def exported_pages() -> Path:
    """Where `reflex export` / `reflex run --env prod` writes the static pages."""
    return PROJECT_ROOT / os.environ.get("REFLEX_WEB_WORKDIR", ".web") / "build" / "client"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def connect_sources(settings: Settings) -> list[str]:
    """The backend's WebSocket origin (and its HTTP origin when it is another site)."""
    api = _origin(settings.api_url)
    sources = ["ws" + api.removeprefix("http")]  # http→ws, https→wss
    if api != _origin(settings.public_url):
        sources.append(api)
    return sources


def form_targets(settings: Settings) -> list[str]:
    """Google's sign-in origin when Google sign-in is configured (its form redirects there)."""
    return [_origin(settings.google_discovery_url)] if settings.google_client_id else []


def current_headers() -> dict[str, str]:
    """The headers for now: recomputed when a new export replaces the pages."""
    global _cache
    settings, pages = get_settings(), exported_pages()
    try:
        stamp: object = (pages / "index.html").stat().st_mtime_ns
    except OSError:  # not exported yet (the backend starts before the export in tests)
        stamp = None
    key = (stamp, settings.public_url, settings.api_url, tuple(form_targets(settings)))
    if _cache is None or _cache[0] != key:
        headers = security_headers(
            script_hashes=inline_script_hashes(pages) if stamp else [],
            connect_sources=connect_sources(settings),
            https=settings.public_url.startswith("https://"),
            form_targets=form_targets(settings),
        )
        _cache = (key, headers)
    return _cache[1]


class SecurityHeadersMiddleware:
    """Pure ASGI middleware: sets the security headers on every HTTP response start."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = current_headers()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers[name] = value  # replaces, e.g. Reflex's own nosniff on uploads
            await send(message)

        await self.app(scope, receive, send_with_headers)


def with_security_headers(app: ASGIApp) -> ASGIApp:
    """An `api_transformer` for `rx.App`: wraps the whole backend."""
    return SecurityHeadersMiddleware(app)
