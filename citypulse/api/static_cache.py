"""How long a browser may keep what the app's static server sends (issue 15 item 11).

`make run` (and any deployment without our nginx) serves the exported frontend from the
app itself, already gzipped (Reflex writes a .gz beside every file at export and serves
it to browsers that take gzip), but without saying how long to keep it. The same rules
as deploy/nginx/nginx.conf.template:

- `/assets/` holds Vite's output, every name carrying its content's hash: kept for a
  year and never revalidated (`immutable`), so a second visit asks for none of it;
- `/citypulse.js?v=<content hash>`, the app's one head script (citypulse/head_script.py),
  is as good as hashed when asked for with its version: kept the same way;
- a page (HTML) is asked for again on every visit (`no-cache`): a browser's heuristic
  caching could otherwise keep an old page naming assets a new export has removed.

A response that already says how to cache (the shared pages' shell, API routes) keeps
its own header.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ASSETS = "/assets/"
VERSIONED = frozenset({"/citypulse.js"})  # named with ?v=<content hash> by the pages
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def cache_control(path: str, status: int, content_type: str, query: str = "") -> str | None:
    """The Cache-Control for a response that set none (None: leave it so)."""
    if status not in (200, 304):
        return None
    if path.startswith(ASSETS) or (path in VERSIONED and query.startswith("v=")):
        return IMMUTABLE
    if content_type.startswith("text/html"):
        return REVALIDATE
    return None


class StaticCacheMiddleware:
    """Pure ASGI middleware: adds Cache-Control to GET/HEAD answers that have none."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")

        async def send_with_cache(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "cache-control" not in headers:
                    kind = headers.get("content-type", "")
                    value = cache_control(path, message["status"], kind, query)
                    if value:
                        headers["Cache-Control"] = value
            await send(message)

        await self.app(scope, receive, send_with_cache)
