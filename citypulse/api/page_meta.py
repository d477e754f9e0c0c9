"""Link previews without JavaScript: the shared pages' head names the thing (issue 15 item 9).

`/recommendations/<id>`, `/profile/<username>` and `/city/<name>` have no prerendered
HTML of their own: the static server answers them with the app's shell (`404.html`, the
client-side router takes over). A link-preview bot does not run that router, so it would
only ever see the shell's generic title. This middleware serves the same shell with the
page's own title, description and Open Graph / Twitter tags, built from the database for
a visitor (services/sharing/page_meta.py), so nothing private reaches them.

Any path it does not recognise, a value `params` refuses, or a missing shell (a
backend-only process) goes on to the app unchanged.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reflex import constants
from reflex.config import get_config
from reflex.utils import prerequisites
from sqlmodel import Session
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from citypulse.params import parse_id, parse_text
from citypulse.services.sharing.page_meta import (
    SITE,
    PageMeta,
    city_meta,
    profile_meta,
    recommendation_meta,
)
from citypulse.services.unit_of_work import run_transaction
from citypulse.settings import get_settings

SHELL = "404.html"  # what the static server answers for a route it has no file for
SHELL_MARK = "data-cp-shell"  # assets/page-shell.js drops this title once the app's is in
IMAGE_SIZES = "(max-width: 440px) 100vw, 800px"  # the carousel's `sizes`
# The shell's own head entries this replaces (Reflex writes a title, description, image).
_REPLACED = re.compile(
    r'<title>.*?</title>|<meta (?:name|property)="(?:description|og:[a-z:_]+|twitter:[a-z:_]+)"'
    r"[^>]*>",
    re.S,
)


def _recommendation(value: str) -> Callable[[Session], PageMeta | None] | None:
    rid = parse_id(value)
    return None if rid is None else lambda db: recommendation_meta(db, recommendation_id=rid)


def _profile(value: str) -> Callable[[Session], PageMeta | None] | None:
    name = parse_text(value, max_length=64)
    return None if not name else lambda db: profile_meta(db, username=name)


def _city(value: str) -> Callable[[Session], PageMeta | None] | None:
    name = parse_text(value, max_length=120)
    return None if not name else lambda db: city_meta(db, name=name)


ROUTES: tuple[tuple[re.Pattern[str], Callable[[str], Callable | None]], ...] = (
    (re.compile(r"/recommendations/([^/]+)/?"), _recommendation),
    (re.compile(r"/profile/([^/]+)/?"), _profile),
    (re.compile(r"/city/([^/]+)/?"), _city),
)


@dataclass
class _Shell:
    text: str = ""
    mtime: float = -1.0


def _static_dir() -> Path:
    config = get_config()
    return prerequisites.get_web_dir() / constants.Dirs.STATIC / config.frontend_path.strip("/")


def head_tags(meta: PageMeta, url: str, public_url: str) -> str:
    """The title and preview tags, every value escaped."""
    image = f"{public_url}{meta.image}" if meta.image else ""
    pairs = [
        ("name", "description", meta.description),
        ("property", "og:site_name", SITE),
        ("property", "og:type", meta.kind),
        ("property", "og:title", meta.title),
        ("property", "og:description", meta.description),
        ("property", "og:url", url),
        ("name", "twitter:card", "summary_large_image" if image else "summary"),
        ("name", "twitter:title", meta.title),
        ("name", "twitter:description", meta.description),
    ]
    if image:
        pairs += [("property", "og:image", image), ("name", "twitter:image", image)]
    tags = "".join(
        f'<meta {attr}="{key}" content="{html.escape(value, quote=True)}"/>'
        for attr, key, value in pairs
    )
    return f"<title {SHELL_MARK}>{html.escape(meta.title)}</title>{tags}"


# The page shell painted before the app's scripts run and long before the live connection
# answers (issue 15 item 11): the header bar with the logo and grey placeholders, hidden
# from assistive technology, gone as soon as the app has rendered its <main>.
SHELL_STYLE = (
    "<style>#cp-shell{font-family:system-ui,sans-serif}"
    "#cp-shell .bar{display:flex;align-items:center;gap:.5rem;height:3.5rem;"
    "padding:0 1rem;border-bottom:1px solid #dfe6e3}"
    "#cp-shell .page{max-width:72rem;margin:0 auto;padding:1.5rem 1rem}"
    "#cp-shell .line{height:1rem;margin:.75rem 0;border-radius:4px;background:#e6ebe9}"
    "#cp-shell .title{height:2.25rem;width:60%}"
    "#cp-shell .photo{height:16rem;border-radius:8px;background:#e6ebe9}"
    "body:has(main) #cp-shell{display:none}</style>"
)
SHELL_BODY = (
    '<div id="cp-shell" aria-hidden="true"><div class="bar">'
    '<img src="/logo.svg" alt="" width="28" height="28"/></div><div class="page">'
    '<div class="line title"></div><div class="photo"></div><div class="line"></div>'
    '<div class="line" style="width:80%"></div></div></div>'
)


def with_meta(shell: str, tags: str, *, skeleton: bool = True) -> str:
    """The shell with its generic title and preview tags replaced by `tags`, and (by
    default) the page skeleton painted first."""
    cleaned = _REPLACED.sub("", shell)
    page = cleaned.replace("</head>", tags + "</head>", 1)
    if skeleton:
        page = page.replace("</head>", SHELL_STYLE + "</head>", 1)
        page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + SHELL_BODY, page, count=1)
    return page


def preload_tag(meta: PageMeta) -> str:
    """Start fetching the page's largest image with the page itself (same srcset)."""
    if not meta.image_srcset:
        return ""
    return (
        f'<link rel="preload" as="image" fetchpriority="high" href="{html.escape(meta.image)}"'
        f' imagesrcset="{html.escape(meta.image_srcset)}" imagesizes="{IMAGE_SIZES}"/>'
    )


class PageMetaMiddleware:
    """Pure ASGI middleware: GET/HEAD of a shared page's path gets the named shell."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._shell = _Shell()

    def _read_shell(self, static_dir: Path) -> str:
        path = static_dir / SHELL
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return ""
        if mtime != self._shell.mtime:  # a new export: read it again
            self._shell = _Shell(path.read_text(encoding="utf-8"), mtime)
        return self._shell.text

    def _loader(self, path: str) -> Callable[[Session], PageMeta | None] | None:
        for pattern, make in ROUTES:
            if match := pattern.fullmatch(path):
                return make(match.group(1))
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        loader = self._loader(scope["path"])
        static_dir = _static_dir()
        shell = self._read_shell(static_dir) if loader is not None else ""
        # A page with a prerendered file of its own (e.g. /profile/edit) is not a share.
        own_file = static_dir / scope["path"].strip("/")
        if (
            not shell
            or own_file.with_suffix(".html").exists()
            or (own_file / "index.html").exists()
        ):
            return await self.app(scope, receive, send)
        meta = await asyncio.to_thread(run_transaction, loader)
        if meta is None:  # hidden or missing: the site's name and nothing about the page
            shell = with_meta(shell, f"<title {SHELL_MARK}>{SITE}</title>")
        else:
            public_url = get_settings().public_url.rstrip("/")
            tags = head_tags(meta, public_url + scope["path"], public_url) + preload_tag(meta)
            shell = with_meta(shell, tags)
        # The shell is re-read for every visit (as nginx serves it): never cached stale.
        response = Response(shell, media_type="text/html", headers={"Cache-Control": "no-cache"})
        await response(scope, receive, send)
