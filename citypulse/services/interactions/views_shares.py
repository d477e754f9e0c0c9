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

from citypulse.models.enums import AccountStatus, SharePlatform
from citypulse.services import rate_limits
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound, ValidationFailed
from citypulse.services.interactions.core import (
    INTERACTIONS_PER_USER,
    RECOMMENDATION_NOT_FOUND,
    Counters,
    InteractionState,
    bump_counter,
    counters_changed,
    interaction_target,
)
from citypulse.services.policies import Standing, require_active_actor, standing_of
from citypulse.services.prepared import Prepared
from citypulse.services.rate_limits import Limit
from citypulse.services.recommendations.visibility import (
    VisibleRecommendation,
    recommendation_visible,
)
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
    recommendation = recommendation_visible(session, viewer_id, recommendation_id)
    if recommendation is None:
        raise NotFound(RECOMMENDATION_NOT_FOUND)
    standing = None if viewer_id is None else standing_of(session, viewer_id)
    return visit_counted(
        session, viewer_id=viewer_id, standing=standing, recommendation=recommendation,
        anon_key=anon_key, ip=ip, is_bot=is_bot, now=now,
    ) is not None  # fmt: skip


def visit_counted(
    session: Session,
    *,
    viewer_id: int | None,
    standing: Standing | None,
    recommendation: VisibleRecommendation,
    anon_key: str | None,
    ip: str | None,
    is_bot: bool,
    now: datetime,
) -> Counters | None:
    """`view_record` for a recommendation already known visible to `viewer_id`.

    `standing` is the signed-in viewer's current standing (from `policies`). Returns the
    counters after the view when it counted, else None.
    """
    if is_bot or not recommendation.is_active:
        return None
    if viewer_id is not None:
        return _signed_in_view(session, recommendation, viewer_id, standing, now)
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
    require_active_actor(session, actor)
    if platform not in SharePlatform.__members__:
        raise ValidationFailed({"platform": UNKNOWN_PLATFORM})
    rate_limits.hit(session, INTERACTIONS_PER_USER, str(actor.user_id), now)
    target = interaction_target(session, actor, recommendation_id)
    rid, uid = target.id, actor.user_id
    _lock(session, f"share:{uid}:{rid}:{platform}")
    counted = _RECENT_SHARE.run(
        session, recommendation_id=rid, user_id=uid, platform=platform,
        since=now - SHARE_COUNT_WINDOW,
    ).first() is None  # fmt: skip
    _ADD_SHARE.run(session, recommendation_id=rid, user_id=uid, platform=platform, now=now)
    counters = target.counters
    if counted:
        counters = bump_counter(session, rid, "shares_count", +1)
        counters_changed(session, rid, counters)
    state = InteractionState.of(rid, target.own, counters, is_author=target.author_id == uid)
    return ShareResult(counted, f"/recommendations/{rid}", state)


def _signed_in_view(
    session: Session,
    recommendation: VisibleRecommendation,
    viewer_id: int,
    standing: Standing | None,
    now: datetime,
) -> Counters | None:
    if viewer_id == recommendation.author_id:
        return None
    if standing is None or standing.status != AccountStatus.active or standing.is_moderator:
        return None
    rid = recommendation.id
    _lock(session, f"view:user:{viewer_id}:{rid}")
    added = _ADD_SIGNED_IN_VIEW.run(
        session, recommendation_id=rid, user_id=viewer_id, now=now,
        since=now - SIGNED_IN_VIEW_WINDOW,
    ).first()  # fmt: skip
    return None if added is None else _counted(session, rid)


def _anonymous_view(
    session: Session,
    recommendation: VisibleRecommendation,
    anon_key: str | None,
    ip: str | None,
    now: datetime,
) -> Counters | None:
    if not anon_key:
        return None  # no cookie id: nothing to deduplicate on (most bots)
    rid = recommendation.id
    key_hash = hashlib.sha256(anon_key.encode()).hexdigest()
    _lock(session, f"view:anon:{key_hash}:{rid}")
    recent = _RECENT_ANONYMOUS_VIEW.run(
        session, recommendation_id=rid, key_hash=key_hash, since=now - ANONYMOUS_VIEW_WINDOW
    ).first()
    if recent is not None:
        return None
    subject = f"{ip_hash(ip)}:{rid}"
    if rate_limits.count_hit(session, ANONYMOUS_VIEWS_PER_IP, subject, now) > (
        ANONYMOUS_VIEWS_PER_IP.count
    ):
        return None
    _ADD_ANONYMOUS_VIEW.run(session, recommendation_id=rid, key_hash=key_hash, now=now)
    return _counted(session, rid)


def ip_hash(ip: str | None) -> str:
    """A keyed hash of the client address (IPv4 is too small a space for a plain hash)."""
    secret = get_settings().jwt_secret.encode()
    message = f"view-ip:{rate_limits.ip_subject(ip)}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _counted(session: Session, recommendation_id: int) -> Counters:
    counters = bump_counter(session, recommendation_id, "views_count", +1)
    counters_changed(session, recommendation_id, counters)
    return counters


# Under the advisory lock, "not seen in the window" and the insert are one statement.
_ADD_SIGNED_IN_VIEW = Prepared(
    sa.text(
        "INSERT INTO views (recommendation_id, user_id, viewed_at, created_at) "
        "SELECT :recommendation_id, :user_id, :now, :now WHERE NOT EXISTS ("
        "  SELECT 1 FROM views WHERE user_id = :user_id"
        "  AND recommendation_id = :recommendation_id AND viewed_at > :since"
        ") RETURNING id"
    )
)
_RECENT_ANONYMOUS_VIEW = Prepared(
    sa.text(
        "SELECT 1 FROM views WHERE anon_key_hash = :key_hash "
        "AND recommendation_id = :recommendation_id AND viewed_at > :since LIMIT 1"
    )
)
_ADD_ANONYMOUS_VIEW = Prepared(
    sa.text(
        "INSERT INTO views (recommendation_id, anon_key_hash, viewed_at, created_at) "
        "VALUES (:recommendation_id, :key_hash, :now, :now)"
    )
)
_RECENT_SHARE = Prepared(
    sa.text(
        "SELECT 1 FROM shares WHERE user_id = :user_id AND recommendation_id = :recommendation_id "
        "AND platform = :platform AND created_at > :since LIMIT 1"
    )
)
_ADD_SHARE = Prepared(
    sa.text(
        "INSERT INTO shares (recommendation_id, user_id, platform, created_at) "
        "VALUES (:recommendation_id, :user_id, :platform, :now)"
    )
)
_LOCK = Prepared(sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"))


def _lock(session: Session, key: str) -> None:
    """A transaction-scoped advisory lock on `key` (released at commit or rollback)."""
    _LOCK.run(session, key=key)
