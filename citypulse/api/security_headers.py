"""The security headers of every response: one definition for the app and for Nginx.

Behind our Nginx they come from `deploy/nginx/render.py`, which loads this file by path
and writes them into the config; without Nginx (`make run`, any other proxy) the app
adds the same ones itself (`citypulse.api.security_middleware`). Only what must differ
is a parameter: the inline-script hashes of the exported pages, where the live
connection goes, and HSTS (only on https).

Standard library only: the Nginx image build renders its config with a bare Python.

CSP notes: inline scripts are allowed only by the hashes of the exported pages;
'unsafe-eval' is required because Reflex evaluates scripts that handlers return
(rx.toast, rx.call_script, set_color_mode) with eval(); inline styles come from
emotion/Radix; blob: images are upload previews; the page's WebSocket goes to the
backend origin; form-action also names Google's sign-in origin, because the "Continue
with Google" form is redirected there and browsers check form-action on redirects.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

# Inline scripts only: a <script> with a src attribute is covered by 'self'.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.I)

HSTS = "max-age=31536000; includeSubDomains"
FRAME_OPTIONS = "DENY"
CONTENT_TYPE_OPTIONS = "nosniff"
REFERRER_POLICY = "strict-origin-when-cross-origin"
PERMISSIONS_POLICY = "geolocation=(self), camera=(), microphone=()"


def script_hashes_of(html: str) -> set[str]:
    """CSP source expressions (`'sha256-…'`) for the inline scripts of one page."""
    return {
        f"'sha256-{base64.b64encode(hashlib.sha256(body.encode('utf-8')).digest()).decode()}'"
        for body in INLINE_SCRIPT.findall(html)
    }


def inline_script_hashes(static_root: Path) -> list[str]:
    """CSP source expressions for every distinct inline script of the exported pages."""
    hashes: set[str] = set()
    for page in sorted(Path(static_root).rglob("*.html")):
        hashes |= script_hashes_of(page.read_text(encoding="utf-8"))
    return sorted(hashes)


def content_security_policy(
    script_hashes: Iterable[str], connect_sources: Iterable[str], form_targets: Iterable[str] = ()
) -> str:
    """The Content-Security-Policy value.

    Args:
        script_hashes: `'sha256-…'` expressions of the inline scripts pages may run.
        connect_sources: Origins besides 'self' the page may connect to (the WebSocket).
        form_targets: Origins besides 'self' a form may lead to (Google sign-in).
    """
    directives = (
        ("default-src", ["'self'"]),
        ("script-src", ["'self'", "'unsafe-eval'", *script_hashes]),
        ("style-src", ["'self'", "'unsafe-inline'"]),
        ("img-src", ["'self'", "data:", "blob:", "https:"]),
        ("font-src", ["'self'", "data:"]),
        ("connect-src", ["'self'", *connect_sources]),
        ("object-src", ["'none'"]),
        ("base-uri", ["'self'"]),
        ("form-action", ["'self'", *form_targets]),
        ("frame-ancestors", ["'none'"]),
    )
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives)


def security_headers(
    *,
    script_hashes: Iterable[str],
    connect_sources: Iterable[str],
    https: bool,
    form_targets: Iterable[str] = (),
) -> dict[str, str]:
    """Every security header with its value, in the order Nginx writes them.

    Args:
        script_hashes: See `content_security_policy`.
        connect_sources: See `content_security_policy`.
        https: Whether the site is served over TLS (adds Strict-Transport-Security).
        form_targets: See `content_security_policy`.
    """
    headers = {"Strict-Transport-Security": HSTS} if https else {}
    headers.update(
        {
            "Content-Security-Policy": content_security_policy(
                script_hashes, connect_sources, form_targets
            ),
            "X-Frame-Options": FRAME_OPTIONS,
            "X-Content-Type-Options": CONTENT_TYPE_OPTIONS,
            "Referrer-Policy": REFERRER_POLICY,
            "Permissions-Policy": PERMISSIONS_POLICY,
        }
    )
    return headers


def nginx_directives(headers: dict[str, str], indent: str = "        ") -> str:
    """`add_header … always;` lines (`always` puts them on error responses too).

    The app sends the same headers when it runs without nginx; behind nginx its copies
    are hidden (`proxy_hide_header`) so each header reaches the browser once.
    """
    for name, value in headers.items():
        if '"' in value or "\n" in value or not re.fullmatch(r"[A-Za-z-]+", name):
            raise ValueError(f"header {name} cannot be written into nginx.conf")
    added = [f'{indent}add_header {name} "{value}" always;' for name, value in headers.items()]
    hidden = [f"{indent}proxy_hide_header {name};" for name in headers]
    return "\n".join(added + hidden)
