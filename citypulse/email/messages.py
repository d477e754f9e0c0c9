"""Email message builders: one small function per email (PRODUCT.md §4.12).

Each builder returns an `EmailMessage` with HTML and plain text rendered by the shared
layout (`citypulse.email.layout`), which escapes every user-provided value. Builders
never send: services pass the message to `citypulse.email.outbox.enqueue`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from citypulse.email.layout import (
    Block,
    Code,
    Link,
    absolute_url,
    format_moment,
    one_line,
    render_bodies,
)

TRANSACTIONAL_CATEGORIES = (
    "verification",
    "reset_code",
    "password_changed",
    "account",
    "moderation",
)
# Preference-controlled categories (PRODUCT.md §4.12), each with a one-click unsubscribe.
PREFERENCE_LABELS = {
    "buddy_requests": "buddy request",
    "recommendations": "recommendation activity",
    "trips": "trip",
    "achievements": "achievement",
    "weekly_digest": "weekly digest",
    "marketing": "news and offers",
}
PREFERENCE_CATEGORIES = tuple(PREFERENCE_LABELS)

VERIFICATION_VALID_HOURS = 24
RESET_CODE_VALID_MINUTES = 15
PURGE_REMINDER_DAYS = 7
SUBJECT_MAX_LENGTH = 255  # EmailOutbox.subject column width


@dataclass(frozen=True)
class EmailMessage:
    """One ready-to-send email; `category` says which rule (§4.12) it belongs to."""

    to: str
    subject: str
    html: str
    text: str
    category: str


def _build(
    to: str,
    subject: str,
    category: str,
    full_name: str,
    blocks: Sequence[Block],
    footer: Sequence[Block] = (),
) -> EmailMessage:
    subject = one_line(subject)[:SUBJECT_MAX_LENGTH]
    html_body, text_body = render_bodies(subject, full_name, blocks, footer)
    return EmailMessage(to, subject, html_body, text_body, category)


def verification_email(to: str, full_name: str, token: str) -> EmailMessage:
    """Ask the user to confirm their address; the link is valid 24 h (single use)."""
    blocks: list[Block] = [
        "Welcome to CityPulse! Please confirm that this is your email address.",
        Link("Verify my email", absolute_url("/verify-email", token=token)),
        f"The link is valid for {VERIFICATION_VALID_HOURS} hours. If you did not sign up "
        "for CityPulse, you can ignore this email.",
    ]
    return _build(to, "Confirm your CityPulse email address", "verification", full_name, blocks)


def reset_code_email(to: str, full_name: str, code: str) -> EmailMessage:
    """Send a 6-digit password reset code, valid 15 min.

    Raises:
        ValueError: If `code` is not exactly 6 digits.
    """
    if not re.fullmatch(r"\d{6}", code):
        raise ValueError("A reset code is exactly 6 digits")
    blocks: list[Block] = [
        "Use this code to reset your CityPulse password:",
        Code(code),
        f"The code is valid for {RESET_CODE_VALID_MINUTES} minutes.",
        "If you did not ask to reset your password, ignore this email: "
        "your password stays unchanged.",
    ]
    return _build(to, "Your CityPulse password reset code", "reset_code", full_name, blocks)


def password_changed_email(to: str, full_name: str) -> EmailMessage:
    """Confirm a password change or reset (the user is signed out everywhere else)."""
    blocks: list[Block] = [
        "The password of your CityPulse account was just changed, and your other "
        "sessions were signed out.",
        "If this wasn't you, reset your password right away:",
        Link("Reset my password", absolute_url("/reset-password")),
    ]
    return _build(to, "Your CityPulse password was changed", "password_changed", full_name, blocks)


def account_deactivated_email(to: str, full_name: str, deletion_due_at: datetime) -> EmailMessage:
    """Confirm a deactivation and state the purge deadline."""
    blocks: list[Block] = [
        "Your account is deactivated: your profile and content are hidden.",
        f"It will be permanently deleted on {format_moment(deletion_due_at)}. "
        "Log in before then if you change your mind, and it will be reactivated.",
        Link("Log in", absolute_url("/login")),
    ]
    return _build(to, "Your CityPulse account is deactivated", "account", full_name, blocks)


def purge_reminder_email(to: str, full_name: str, deletion_due_at: datetime) -> EmailMessage:
    """Remind a deactivated user 7 days before the purge."""
    subject = f"Your CityPulse account will be deleted in {PURGE_REMINDER_DAYS} days"
    blocks: list[Block] = [
        f"Your deactivated account will be permanently deleted on "
        f"{format_moment(deletion_due_at)}, with all its recommendations, trips and photos.",
        "To keep it, simply log in before then.",
        Link("Log in", absolute_url("/login")),
    ]
    return _build(to, subject, "account", full_name, blocks)


def account_deleted_email(to: str, full_name: str) -> EmailMessage:
    """Confirm that the account and its data were purged (sent after the purge)."""
    blocks: list[Block] = [
        "Your CityPulse account and its data have been permanently deleted.",
        "Thank you for travelling with us. You are welcome back any time.",
    ]
    return _build(to, "Your CityPulse account has been deleted", "account", full_name, blocks)


def account_reactivated_email(to: str, full_name: str) -> EmailMessage:
    """Confirm a reactivation by login during the grace period."""
    blocks: list[Block] = [
        "Welcome back — your account has been reactivated and is visible again.",
        Link("Open CityPulse", absolute_url("/dashboard")),
    ]
    return _build(to, "Welcome back to CityPulse", "account", full_name, blocks)


def moderation_notice_email(
    to: str, full_name: str, title: str, message: str, link_path: str | None = "/settings"
) -> EmailMessage:
    """Tell a user about a moderation decision (warning, sanction, appeal outcome).

    Raises:
        ValueError: If `link_path` is not a site-relative path.
    """
    blocks: list[Block] = [one_line(title), message]
    if link_path:
        blocks.append(Link("View details", absolute_url(link_path)))
    return _build(to, f"CityPulse: {title}", "moderation", full_name, blocks)


def preference_email(
    to: str,
    full_name: str,
    category: str,
    subject: str,
    lines: Sequence[str],
    link_path: str | None,
    unsubscribe_url: str,
) -> EmailMessage:
    """Build a preference-controlled email with its one-click unsubscribe and /settings link.

    Args:
        category: One of PREFERENCE_CATEGORIES.
        lines: Body paragraphs (plain text; escaped here).
        link_path: Optional site-relative path for the main button.
        unsubscribe_url: Absolute link from `citypulse.email.unsubscribe.unsubscribe_url`.

    Raises:
        ValueError: For an unknown category, a non-relative link_path or a relative unsubscribe_url.
    """
    if category not in PREFERENCE_LABELS:
        raise ValueError(f"Not a preference category: {category!r}")
    if not unsubscribe_url.startswith(("https://", "http://")):
        raise ValueError("unsubscribe_url must be absolute")
    label = PREFERENCE_LABELS[category]
    blocks: list[Block] = list(lines)
    if link_path:
        blocks.append(Link("Open in CityPulse", absolute_url(link_path)))
    footer = [
        f"You receive this email because {label} emails are on in your settings.",
        Link(f"Unsubscribe from {label} emails", unsubscribe_url),
        Link("Manage email settings", absolute_url("/settings")),
    ]
    return _build(to, subject, category, full_name, blocks, footer)
