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
import gzip
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from reflex import constants
from reflex.config import get_config
from reflex.utils import prerequisites
from sqlmodel import Session
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from citypulse.critical_css import defer_stylesheets
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


# The page's first paint (issue 15 item 11), before the app's scripts run and long before
# the live connection answers: a header bar with the logo, then the page itself as far as
# the visitor's view of it is known here (its heading, the line under it, the largest
# photo or the first row of cards), else grey placeholders. Hidden from assistive
# technology. It is styled by this <style> alone, so it does not wait for the app's
# global stylesheet (Radix: ~700 KB of CSS to fetch and parse): that one is loaded
# without holding the paint (`defer_stylesheets`) and switched on by
# assets/page-shell.js once loaded, which then marks <html data-cp-styled>. While the
# shell shows, the app (mounted but still waiting for its data, a spinner) stays
# invisible; once the app has rendered its page heading (`main h1`) and the stylesheet
# is on, the shell goes and the app shows, in one frame, by CSS; page-shell.js then
# removes the shell (or after a few seconds, if no heading ever came). The photos are
# the ones the page then shows, at least as large, so they are fetched once.
STYLED = "data-cp-styled"  # on <html> once the deferred stylesheets apply
SHELL_STYLE = (
    "<style>body{margin:0}"  # as the global stylesheet's reset: no shift when it applies
    "#cp-shell{font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,"
    "'Helvetica Neue',system-ui,sans-serif;line-height:1.5}"
    "#cp-shell .in{box-sizing:border-box;max-width:72rem;margin:0 auto;padding:0 1rem}"
    "#cp-shell .bar{border-bottom:1px solid #dfe6e3}"
    "#cp-shell .bar .in{display:flex;align-items:center;gap:.5rem;height:3.5rem;"
    "font-size:1.25rem;font-weight:700}"
    "#cp-shell .page{padding-top:2rem;padding-bottom:1.5rem}"
    "#cp-shell .head{margin:0;font-size:2.25rem;line-height:2.5rem;font-weight:700;"
    "letter-spacing:-.01em;overflow-wrap:anywhere}"
    "#cp-shell .sub{margin:.5rem 0 0;font-size:1.125rem;opacity:.7}"
    "#cp-shell .lead{margin:2rem 0 0}"
    "#cp-shell .line{height:1rem;margin:.75rem 0;border-radius:4px;background:#e6ebe9}"
    "#cp-shell .title{height:2.25rem;width:60%}"
    "#cp-shell .photo,#cp-shell .hero,#cp-shell .card img{border-radius:8px;"
    "background:#e6ebe9}"
    "#cp-shell .photo{height:16rem}"
    "#cp-shell .hero{display:block;width:100%;height:auto;max-height:480px;"
    "object-fit:cover;margin-top:5.5rem}"
    "#cp-shell .cards{display:grid;gap:1rem;margin-top:2rem}"
    "#cp-shell .card img{display:block;width:100%;height:150px;object-fit:cover}"
    "#cp-shell .card div{margin-top:.5rem;font-weight:700}"
    "@media (min-width:768px){#cp-shell .cards{grid-template-columns:1fr 1fr}}"
    "@media (min-width:1024px){#cp-shell .cards{grid-template-columns:1fr 1fr 1fr}"
    "#cp-shell .hero{max-width:75%}}"
    ".dark #cp-shell .bar{border-color:#2b302e}"
    ".dark #cp-shell .line,.dark #cp-shell .photo,.dark #cp-shell .hero,"
    ".dark #cp-shell .card img{background:#2b302e}"
    f"html[{STYLED}] body:has(main h1) #cp-shell{{display:none}}"
    f"html:not([{STYLED}]) #cp-shell~[data-is-root-theme],"
    "#cp-shell~[data-is-root-theme]:not(:has(main h1)){visibility:hidden;position:absolute;"
    "top:0;left:0;right:0}</style>"
)
# The shell's script is in every page's head already (citypulse/head_script.py, defer):
# it tidies the shell from the start.
# Where the first requests of the page go: ahead of the ~20 module preloads of the app's
# bundle, which otherwise fill the browser's six connections (HTTP/1.1) before the photo
# that is the page's largest paint is even asked for.
_HEAD_START = re.compile(r'<head\b[^>]*>(?:<meta char[sS]et="utf-8"\s*/?>)?', re.I)
SHELL_BAR = (
    '<div class="bar"><div class="in"><img src="/logo.svg" alt="" width="28" height="28"/>'
    f"{SITE}</div></div>"
)
PLACEHOLDERS = (
    '<div class="line title"></div><div class="photo"></div><div class="line"></div>'
    '<div class="line" style="width:80%"></div>'
)


def _text(value: str) -> str:
    return html.escape(value, quote=True)


def shell_body(meta: PageMeta | None) -> str:
    """The first paint: what is known of the page (every value escaped), else placeholders."""
    if meta is None or not meta.heading:
        content = PLACEHOLDERS
    else:
        content = f'<p class="head">{_text(meta.heading)}</p>'
        if meta.subheading:
            content += f'<p class="sub">{_text(meta.subheading)}</p>'
        if meta.lead:
            content += f'<p class="lead">{_text(meta.lead)}</p>'
        if meta.image_srcset:  # the carousel's first photo, as the carousel asks for it
            size = (
                f' width="{meta.image_width}" height="{meta.image_height}"'
                if meta.image_width and meta.image_height
                else ""
            )
            content += (
                f'<img class="hero" src="{_text(meta.image)}" srcset="{_text(meta.image_srcset)}"'
                f' sizes="{IMAGE_SIZES}"{size} alt="" fetchpriority="high"/>'
            )
        if meta.cards:
            cards = "".join(
                f'<div class="card"><img src="{_text(card.thumb_url)}" alt="" width="400"'
                f' height="300"/><div>{_text(card.title)}</div></div>'
                if card.thumb_url
                else f'<div class="card"><img alt=""/><div>{_text(card.title)}</div></div>'
                for card in meta.cards
            )
            content += f'<div class="cards">{cards}</div>'
    page = f'<div class="in page">{content}</div>'
    return f'<div id="cp-shell" aria-hidden="true">{SHELL_BAR}{page}</div>'


def with_meta(
    shell: str, tags: str, *, skeleton: bool = True, meta: PageMeta | None = None, first: str = ""
) -> str:
    """The shell with its generic title and preview tags replaced by `tags`, and (by
    default) the page's first paint (`meta`'s content, else placeholders) first.
    `first` goes at the top of <head> (after the charset)."""
    cleaned = _REPLACED.sub("", shell)
    page = cleaned.replace("</head>", tags + "</head>", 1)
    if first:
        page = _HEAD_START.sub(lambda m: m.group(0) + first, page, count=1)
    if skeleton:
        page = defer_stylesheets(page).replace("</head>", SHELL_STYLE + "</head>", 1)
        body = shell_body(meta)
        page = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + body, page, count=1)
    return page


def preload_tag(meta: PageMeta) -> str:
    """Start fetching the page's largest image with the page itself (same srcset), or
    the first card's photo."""
    if meta.image_srcset:
        return (
            f'<link rel="preload" as="image" fetchpriority="high" href="{_text(meta.image)}"'
            f' imagesrcset="{_text(meta.image_srcset)}" imagesizes="{IMAGE_SIZES}"/>'
        )
    if meta.cards and meta.cards[0].thumb_url:
        return (
            f'<link rel="preload" as="image" fetchpriority="high"'
            f' href="{_text(meta.cards[0].thumb_url)}"/>'
        )
    return ""


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
            if scope.get("query_string"):  # ?category=, ?country=: the cards would differ
                meta = replace(meta, cards=())
            public_url = get_settings().public_url.rstrip("/")
            tags = head_tags(meta, public_url + scope["path"], public_url)
            shell = with_meta(shell, tags, meta=meta, first=preload_tag(meta))
        await shell_response(shell, scope)(scope, receive, send)


def shell_response(page: str, scope: Scope) -> Response:
    """The page, gzipped when the browser takes it (as the static server sends the
    other pages); re-read for every visit (as nginx serves it): never cached stale."""
    headers = {"Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    body = page.encode("utf-8")
    if "gzip" in Headers(scope=scope).get("accept-encoding", ""):
        body = gzip.compress(body, compresslevel=6)
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)
