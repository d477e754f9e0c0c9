"""The shared email layout: body blocks rendered to HTML and plain text from one source.

A builder describes its body as blocks (paragraphs, a code, links). `render_bodies`
escapes every value for the HTML in one place, so a `<script>` in a full name or a
moderator's message can never become markup. Links are absolute (PUBLIC_URL) because
an email client has no base URL.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from citypulse.settings import get_settings

MUTED = "color:#6b7280;font-size:12px;"
BUTTON = (
    "display:inline-block;background:#0f766e;color:#ffffff;padding:12px 20px;"
    "border-radius:6px;text-decoration:none;font-weight:bold;"
)


@dataclass(frozen=True)
class Code:
    """A short code shown large (the reset code)."""

    value: str


@dataclass(frozen=True)
class Link:
    """A labelled absolute link (a button in HTML, "label: url" in text)."""

    label: str
    url: str


Block = str | Code | Link


def absolute_url(path: str, **query: str) -> str:
    """Build an absolute link to `path` on the public site.

    Args:
        path: A site-relative path starting with "/", e.g. "/verify-email".
        **query: Query parameters, URL-encoded.

    Raises:
        ValueError: If `path` is not site-relative (a caller bug; we only link to our site).
    """
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"Email links must be site-relative paths, got {path!r}")
    url = get_settings().public_url.rstrip("/") + path
    return f"{url}?{urlencode(query)}" if query else url


def one_line(value: str) -> str:
    """Collapse whitespace: names and subjects are single-line, so they cannot forge text lines."""
    return re.sub(r"\s+", " ", value).strip()


def format_moment(moment: datetime) -> str:
    """Format a deadline unambiguously for any reader ("14 March 2025 at 09:00 UTC")."""
    aware = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    return f"{aware.day} {aware:%B %Y at %H:%M} UTC"


def _block_html(block: Block, *, footer: bool = False) -> str:
    if isinstance(block, Code):
        style = "font-size:32px;font-weight:bold;letter-spacing:8px;margin:24px 0;"
        return f'<p style="{style}">{html.escape(block.value)}</p>'
    if isinstance(block, Link):
        url, label = html.escape(block.url, quote=True), html.escape(block.label)
        if footer:
            return f'<p style="margin:4px 0;"><a href="{url}" style="{MUTED}">{label}</a></p>'
        return (
            f'<p style="margin:24px 0;"><a href="{url}" style="{BUTTON}">{label}</a></p>'
            f'<p style="{MUTED}">Or open this link: {url}</p>'
        )
    style = f' style="margin:4px 0;{MUTED}"' if footer else ""
    return f"<p{style}>{html.escape(block).replace(chr(10), '<br>')}</p>"


def _block_text(block: Block) -> str:
    if isinstance(block, Code):
        return f"    {block.value}"
    if isinstance(block, Link):
        return f"{block.label}: {block.url}"
    return block


def _page(title: str, body_html: str, footer_html: str) -> str:
    # Inline styles only: many mail clients drop <style> blocks.
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>"
        '<body style="margin:0;padding:24px;background:#f4f5f7;'
        'font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5;">'
        '<div style="max-width:560px;margin:0 auto;background:#ffffff;'
        'border-radius:8px;padding:32px;">'
        '<p style="font-size:20px;font-weight:bold;color:#0f766e;margin:0 0 24px;">CityPulse</p>'
        f'{body_html}</div><div style="max-width:560px;margin:16px auto 0;">{footer_html}</div>'
        "</body></html>"
    )


def render_bodies(
    subject: str, full_name: str, blocks: Sequence[Block], footer: Sequence[Block] = ()
) -> tuple[str, str]:
    """Render the greeting, `blocks` and `footer` into the shared layout.

    Args:
        subject: The email subject (also the HTML title).
        full_name: The recipient's name for the greeting (user-provided: escaped).
        blocks: Body paragraphs (plain text), codes and links, in order.
        footer: Small print under the card (e.g. unsubscribe links).

    Returns:
        The HTML body and the plain-text body.
    """
    body = [f"Hi {one_line(full_name) or 'there'},", *blocks]
    footer = [*footer, "CityPulse — discover cities with fellow travellers."]
    text = "\n\n".join(_block_text(b) for b in body)
    text += "\n\n-- \n" + "\n".join(_block_text(b) for b in footer) + "\n"
    body_html = "".join(_block_html(b) for b in body)
    footer_html = "".join(_block_html(b, footer=True) for b in footer)
    return _page(subject, body_html, footer_html), text
