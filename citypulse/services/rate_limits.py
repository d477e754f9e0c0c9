"""Server-side rate limits (PRODUCT.md §5.2), counted in PostgreSQL fixed windows.

A limit is checked and counted in one atomic upsert, in the caller's transaction.
Tests may raise limits with RATE_LIMIT_MULTIPLIER; production refuses to disable them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session

from citypulse.services.errors import RateLimited
from citypulse.settings import get_settings


@dataclass(frozen=True)
class Limit:
    """At most `count` hits per `window` for one key."""

    name: str
    count: int
    window: timedelta


LOGIN_FAILURES_PER_ACCOUNT = Limit("login-account", 5, timedelta(minutes=15))
LOGIN_FAILURES_PER_IP = Limit("login-ip", 20, timedelta(minutes=15))
REGISTER_PER_IP = Limit("register-ip", 5, timedelta(hours=1))
RESEND_VERIFICATION_PER_EMAIL = Limit("resend-email", 3, timedelta(hours=1))
RESET_REQUEST_PER_EMAIL = Limit("reset-email", 3, timedelta(hours=1))
RESET_REQUEST_PER_IP = Limit("reset-ip", 10, timedelta(hours=1))
GOOGLE_SIGN_IN_PER_IP = Limit("google-ip", 20, timedelta(minutes=15))
REFRESH_PER_SESSION = Limit("refresh", 60, timedelta(minutes=15))
DATA_EXPORT_PER_USER = Limit("export", 1, timedelta(hours=24))

_UPSERT = text(
    """
    INSERT INTO rate_limit_hits (key, window_start, count) VALUES (:key, :window_start, 1)
    ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_hits.count + 1
    RETURNING count
    """
)
_PEEK = text("SELECT count FROM rate_limit_hits WHERE key = :key AND window_start = :window_start")
_FORGET = text("DELETE FROM rate_limit_hits WHERE key = :key")
_RELEASE = text(
    """
    UPDATE rate_limit_hits SET count = count - 1
    WHERE key = :key AND window_start = :window_start AND count > 0
    """
)


MAX_KEY_LENGTH = 200  # rate_limit_hits.key


def _key(limit: Limit, subject: str) -> str:
    """The row key of `subject` under `limit`; a subject too long for the column (a long
    email address) or holding characters PostgreSQL cannot store is keyed by its hash."""
    key = f"{limit.name}:{subject}"
    if len(key) <= MAX_KEY_LENGTH and "\x00" not in key:
        return key
    return f"{limit.name}:sha256:{hashlib.sha256(subject.encode()).hexdigest()}"


def _window_start(limit: Limit, now: datetime) -> datetime:
    seconds = int(limit.window.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=now.tzinfo)


def allowed(limit: Limit) -> int:
    """The effective limit (raised only by the test-only multiplier)."""
    return limit.count * max(1, get_settings().rate_limit_multiplier)


def _retry_after(limit: Limit, now: datetime) -> float:
    return (_window_start(limit, now) + limit.window - now).total_seconds()


def count_hit(session: Session, limit: Limit, subject: str, now: datetime) -> int:
    """Count one hit for `subject`; return the hits in the current window."""
    key = _key(limit, subject)
    return session.execute(
        _UPSERT, {"key": key, "window_start": _window_start(limit, now)}
    ).scalar_one()


def hit(session: Session, limit: Limit, subject: str, now: datetime) -> None:
    """Count one hit for `subject`; raise RateLimited once the limit is exceeded."""
    if count_hit(session, limit, subject, now) > allowed(limit):
        raise RateLimited(_retry_after(limit, now))


def check(session: Session, limit: Limit, subject: str, now: datetime) -> None:
    """Raise RateLimited if `subject` is already at the limit, without counting."""
    key = _key(limit, subject)
    count = session.execute(
        _PEEK, {"key": key, "window_start": _window_start(limit, now)}
    ).scalar_one_or_none()
    if count is not None and count >= allowed(limit):
        raise RateLimited(_retry_after(limit, now))


def release(session: Session, limit: Limit, subject: str, now: datetime) -> None:
    """Give back one hit counted at `now` (an attempt counted up front that did not fail)."""
    key = _key(limit, subject)
    session.execute(_RELEASE, {"key": key, "window_start": _window_start(limit, now)})


def forget(session: Session, limit: Limit, subject: str) -> None:
    """Drop every counted hit of `subject` (a successful login resets its failure count)."""
    session.execute(_FORGET, {"key": _key(limit, subject)})


def ip_subject(ip: str | None) -> str:
    """Rate-limit subject for a client address (unknown clients share one bucket)."""
    return ip or "unknown"
