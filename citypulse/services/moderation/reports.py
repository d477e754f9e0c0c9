"""Reports by users for the moderation queue (PRODUCT.md §4.13.1).

Supported here: recommendations (content_id = recommendation id), reviews (content_id
= rating id) and profiles (content_id = the reported user's id). Trips and comments
add a resolver to `_RESOLVERS` when they exist. The reporter is never revealed to the
reported user: nothing here notifies the owner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session

from citypulse.models import ContentReport, Rating
from citypulse.models.enums import (
    ModerationStatus,
    ReportContentType,
    ReportReason,
)
from citypulse.realtime import publish_after_commit
from citypulse.services import rate_limits
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.display_text import free_text_problem
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.interactions.core import RECOMMENDATION_NOT_FOUND, REPORTS_PER_USER
from citypulse.services.interactions.events import ContentReportCreated
from citypulse.services.policies import is_active_user, require_active_actor
from citypulse.services.recommendations.visibility import recommendation_visible
from citypulse.services.social.graph import blocked_either_way

_R = ReportReason
# §4.13.1, in the order the form lists them.
REPORT_REASONS: dict[ReportContentType, tuple[ReportReason, ...]] = {
    ReportContentType.recommendation: (
        _R.spam, _R.inappropriate, _R.misleading, _R.offensive, _R.copyright, _R.other,
    ),
    ReportContentType.review: (_R.spam, _R.offensive, _R.misleading, _R.other),
    ReportContentType.profile: (
        _R.spam, _R.inappropriate, _R.misleading, _R.offensive, _R.harassment,
        _R.impersonation, _R.other,
    ),
    ReportContentType.trip: (_R.spam, _R.inappropriate, _R.misleading, _R.offensive, _R.other),
    ReportContentType.trip_comment: (_R.spam, _R.offensive, _R.harassment, _R.other),
}  # fmt: skip
DESCRIPTION_LENGTH = 1000
OTHER_DESCRIPTION_MIN = 10

ALREADY_REPORTED = "You have already reported this"
OWN_CONTENT = "You cannot report your own content"
UNSUPPORTED_TYPE = "This content cannot be reported"
REASON_INVALID = "Choose one of the listed reasons"
DESCRIPTION_TOO_LONG = f"Description must be at most {DESCRIPTION_LENGTH} characters"
OTHER_NEEDS_DESCRIPTION = f"Describe the problem in at least {OTHER_DESCRIPTION_MIN} characters"
USER_NOT_FOUND = "User not found"
REVIEW_NOT_FOUND = "Review not found"


@dataclass(frozen=True)
class ReportReceipt:
    """The stored report, as its reporter may see it."""

    report_id: int
    content_type: str
    content_id: int
    reason: str
    status: str


def report_create(
    session: Session,
    *,
    actor: Viewer,
    content_type: str,
    content_id: int,
    reason: str,
    description: str | None,
    now: datetime,
) -> ReportReceipt:
    """Report content that the actor can see and does not own; one report per item.

    Profiles may be reported across a block (§4.5.6 "Reports remain allowed"); other
    content must be visible to the reporter, which a block prevents.

    Raises:
        ValidationFailed: unsupported `content_type`, a `reason` not allowed for it, or a
            `description` over 1000 characters or under 10 for "other".
        PermissionDenied: not an active user, or the actor's own content.
        NotFound: the item does not exist or is hidden from the actor.
        Conflict: "You have already reported this".
        RateLimited: more than 20 reports in a day.
    """
    reporter_id = require_active_actor(session, actor).user_id
    kind, why, text = _validated(content_type, reason, description)
    if isinstance(content_id, bool) or not isinstance(content_id, int):
        raise NotFound("Not found")
    rate_limits.hit(session, REPORTS_PER_USER, str(reporter_id), now)
    owner_id = _RESOLVERS[kind](session, reporter_id, content_id)
    if owner_id == reporter_id:
        raise PermissionDenied(OWN_CONTENT)
    report_id = session.execute(
        pg_insert(ContentReport)
        .values(
            reporter_id=reporter_id,
            content_type=kind,
            content_id=content_id,
            content_owner_id=owner_id,
            reason=why,
            description=text,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing()
        .returning(ContentReport.id)
    ).scalar()
    if report_id is None:
        raise Conflict(ALREADY_REPORTED)
    publish_after_commit(session, ContentReportCreated(report_id, kind.value))
    return ReportReceipt(report_id, kind.value, content_id, why.value, "pending")


def _validated(
    content_type: str, reason: str, description: str | None
) -> tuple[ReportContentType, ReportReason, str | None]:
    if content_type not in _RESOLVERS:
        raise ValidationFailed({"content_type": UNSUPPORTED_TYPE})
    kind = ReportContentType(content_type)
    if reason not in REPORT_REASONS[kind]:
        raise ValidationFailed({"reason": REASON_INVALID})
    why = ReportReason(reason)
    text = (description or "").strip()
    if len(text) > DESCRIPTION_LENGTH:
        raise ValidationFailed({"description": DESCRIPTION_TOO_LONG})
    if problem := free_text_problem("Description", text):
        raise ValidationFailed({"description": problem})
    if why == ReportReason.other and len(text) < OTHER_DESCRIPTION_MIN:
        raise ValidationFailed({"description": OTHER_NEEDS_DESCRIPTION})
    return kind, why, text or None


def _recommendation_owner(session: Session, reporter_id: int, content_id: int) -> int:
    recommendation = recommendation_visible(session, reporter_id, content_id)
    if recommendation is None or not recommendation.is_active:
        raise NotFound(RECOMMENDATION_NOT_FOUND)
    return recommendation.author_id


def _review_owner(session: Session, reporter_id: int, content_id: int) -> int:
    rating = session.get(Rating, content_id)
    if (
        rating is None
        or rating.review is None
        or rating.review_status != ModerationStatus.active
        or not is_active_user(session, rating.user_id)
        or blocked_either_way(session, reporter_id, rating.user_id)
    ):
        raise NotFound(REVIEW_NOT_FOUND)
    _recommendation_owner(session, reporter_id, rating.recommendation_id)
    return rating.user_id


def _profile_owner(session: Session, _reporter_id: int, content_id: int) -> int:
    if not is_active_user(session, content_id):
        raise NotFound(USER_NOT_FOUND)
    return content_id


_RESOLVERS: dict[str, Callable[[Session, int, int], int]] = {
    ReportContentType.recommendation: _recommendation_owner,
    ReportContentType.review: _review_owner,
    ReportContentType.profile: _profile_owner,
}
