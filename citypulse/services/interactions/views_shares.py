"""Views and shares (PRODUCT.md §4.4.4–§4.4.5).

Views: never counted for bots (the caller passes its user-agent verdict), the author,
moderators/admins or inactive accounts. A signed-in user counts once per rolling 24 h
per recommendation and an anonymous cookie id once per rolling hour (both decided from
`views` rows). The cap of 20 anonymous views per IP per recommendation per day is kept
in `rate_limit_hits` under `view-anon-ip:<HMAC of the IP>:<recommendation id>` in a
fixed UTC-day window, counted only for views that pass the cookie check; neither the IP
nor the cookie id is stored in clear. A visit without a cookie id is not counted.

Each decision takes a transaction-scoped advisory lock on (subject, recommendation), so
two simultaneous page loads of the same viewer cannot both count.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from citypulse.models import Recommendation, Share, User, View
from citypulse.models.enums import AccountStatus, ContentStatus, Role, SharePlatform
from citypulse.services import rate_limits
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound, ValidationFailed
from citypulse.services.interactions.core import (
    INTERACTIONS_PER_USER,
    RECOMMENDATION_NOT_FOUND,
    InteractionState,
    bump_counter,
    counters_changed,
    interaction_target,
    require_active_actor,
    state_for,
)
from citypulse.services.rate_limits import Limit
from citypulse.services.recommendations.visibility import visible_recommendation
from citypulse.settings import get_settings

SIGNED_IN_VIEW_WINDOW = timedelta(hours=24)
ANONYMOUS_VIEW_WINDOW = timedelta(hours=1)
# A product rule rather than abuse protection: exactly 20, never scaled for tests.
ANONYMOUS_VIEWS_PER_IP = Limit("view-anon-ip", 20, timedelta(days=1))
SHARE_COUNT_WINDOW = timedelta(hours=24)
UNKNOWN_PLATFORM = "Choose where to share it"


@dataclass(frozen=True)
class ShareResult:
    """The recorded share: whether shares_count rose, and the (relative) link to share."""

    counted: bool
    link: str
    state: InteractionState


def view_record(
    session: Session,
    *,
    viewer_id: int | None,
    anon_key: str | None,
    ip: str | None,
    is_bot: bool,
    recommendation_id: int,
    now: datetime,
) -> bool:
    """Record a visit of the detail page; True when it counted as a view.

    `viewer_id` is the verified signed-in user (None for visitors), `anon_key` the
    visitor's random cookie id and `ip` the client address (both only hashed).

    Raises:
        NotFound: the recommendation is hidden from this viewer.
    """
    recommendation = visible_recommendation(session, recommendation_id, viewer_id)
    if recommendation is None:
        raise NotFound(RECOMMENDATION_NOT_FOUND)
    if is_bot or recommendation.status != ContentStatus.active:
        return False
    if viewer_id is not None:
        return _signed_in_view(session, recommendation, viewer_id, now)
    return _anonymous_view(session, recommendation, anon_key, ip, now)


def share_record(
    session: Session, *, actor: Viewer, recommendation_id: int, platform: str, now: datetime
) -> ShareResult:
    """Record a share; shares_count rises at most once per user, platform and 24 h.

    Raises:
        ValidationFailed: `platform` is not one of copy_link, twitter, facebook, whatsapp,
            email, other.
        PermissionDenied: not an active user.
        NotFound: the recommendation is hidden, removed or missing.
        RateLimited: more than 60 likes, saves, shares and ratings in a minute.
    """
    user = require_active_actor(session, actor)
    if platform not in SharePlatform.__members__:
        raise ValidationFailed({"platform": UNKNOWN_PLATFORM})
    rate_limits.hit(session, INTERACTIONS_PER_USER, str(user.id), now)
    recommendation = interaction_target(session, user.id, recommendation_id)
    rid = recommendation.id
    _lock(session, f"share:{user.id}:{rid}:{platform}")
    counted = not _exists(
        session,
        Share.recommendation_id == rid,
        Share.user_id == user.id,
        Share.platform == platform,
        Share.created_at > now - SHARE_COUNT_WINDOW,
    )
    session.add(Share(recommendation_id=rid, user_id=user.id, platform=platform, created_at=now))
    session.flush()
    if counted:
        bump_counter(session, rid, "shares_count", +1)
        counters_changed(session, rid)
    return ShareResult(
        counted, f"/recommendations/{rid}", state_for(session, recommendation, user.id)
    )


def _signed_in_view(
    session: Session, recommendation: Recommendation, viewer_id: int, now: datetime
) -> bool:
    if viewer_id == recommendation.author_id:
        return False
    viewer = session.get(User, viewer_id)
    if (
        viewer is None
        or viewer.account_status != AccountStatus.active
        or viewer.role in (Role.moderator, Role.admin)
    ):
        return False
    _lock(session, f"view:user:{viewer_id}:{recommendation.id}")
    if _exists(
        session,
        View.recommendation_id == recommendation.id,
        View.user_id == viewer_id,
        View.viewed_at > now - SIGNED_IN_VIEW_WINDOW,
    ):
        return False
    _add_view(session, recommendation.id, now, user_id=viewer_id)
    return True


def _anonymous_view(
    session: Session,
    recommendation: Recommendation,
    anon_key: str | None,
    ip: str | None,
    now: datetime,
) -> bool:
    if not anon_key:
        return False  # no cookie id: nothing to deduplicate on (most bots)
    key_hash = hashlib.sha256(anon_key.encode()).hexdigest()
    _lock(session, f"view:anon:{key_hash}:{recommendation.id}")
    if _exists(
        session,
        View.recommendation_id == recommendation.id,
        View.anon_key_hash == key_hash,
        View.viewed_at > now - ANONYMOUS_VIEW_WINDOW,
    ):
        return False
    subject = f"{ip_hash(ip)}:{recommendation.id}"
    if rate_limits.count_hit(session, ANONYMOUS_VIEWS_PER_IP, subject, now) > (
        ANONYMOUS_VIEWS_PER_IP.count
    ):
        return False
    _add_view(session, recommendation.id, now, anon_key_hash=key_hash)
    return True


def ip_hash(ip: str | None) -> str:
    """A keyed hash of the client address (IPv4 is too small a space for a plain hash)."""
    secret = get_settings().jwt_secret.encode()
    message = f"view-ip:{rate_limits.ip_subject(ip)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _add_view(
    session: Session,
    recommendation_id: int,
    now: datetime,
    *,
    user_id: int | None = None,
    anon_key_hash: str | None = None,
) -> None:
    session.add(
        View(
            recommendation_id=recommendation_id,
            user_id=user_id,
            anon_key_hash=anon_key_hash,
            viewed_at=now,
            created_at=now,
        )
    )
    session.flush()
    bump_counter(session, recommendation_id, "views_count", +1)
    counters_changed(session, recommendation_id)


def _exists(session: Session, *conditions: sa.ColumnElement[bool]) -> bool:
    return session.execute(sa.select(sa.exists().where(*conditions))).scalar() is True


def _lock(session: Session, key: str) -> None:
    """A transaction-scoped advisory lock on `key` (released at commit or rollback)."""
    session.execute(
        sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key}
    )
