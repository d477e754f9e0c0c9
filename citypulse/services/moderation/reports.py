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
from sqlmodel import Session, col, select

from citypulse.models import ContentReport, Rating
from citypulse.models.enums import (
    ActionType,
    ModerationStatus,
    NotificationType,
    ReportContentType,
    ReportReason,
    ReportStatus,
    TargetType,
)
from citypulse.params import parse_id
from citypulse.realtime import publish_after_commit
from citypulse.services import rate_limits
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.display_text import free_text_problem
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.interactions.core import RECOMMENDATION_NOT_FOUND, REPORTS_PER_USER
from citypulse.services.interactions.events import ContentReportCreated
from citypulse.services.moderation import audit
from citypulse.services.moderation.authority import (
    Moderator,
    require_may_act_on,
    require_may_handle_report,
    require_moderator,
)
from citypulse.services.notifications.create import notify
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


# ---- Status transitions (§2.3 status table, §4.13.2) ----------------------------------

REASON_MIN, REASON_MAX = 10, 1000
REOPEN_NEEDS_REASON = f"Give a reason of {REASON_MIN}–{REASON_MAX} characters to reopen"
NOTE_TOO_LONG = f"Note must be at most {REASON_MAX} characters"
NOTHING_TO_CHANGE = "No report of this item is in a state that allows this action"
ITEM_NOT_FOUND = "No reports found for this item"

_S = ReportStatus
OPEN = (_S.pending, _S.under_review)
CLOSED = (_S.resolved, _S.dismissed)


@dataclass(frozen=True)
class Transition:
    """One action of the status table: the statuses it applies to and the one it sets."""

    sources: tuple[ReportStatus, ...]
    target: ReportStatus
    default_reason: str
    reason_required: bool = False


TRANSITIONS: dict[str, Transition] = {
    "start_review": Transition((_S.pending,), _S.under_review, "Review started"),
    "back_to_pending": Transition((_S.under_review,), _S.pending, "Returned to pending"),
    "dismiss": Transition(OPEN, _S.dismissed, "Report dismissed: no rule was broken"),
    "reopen": Transition(CLOSED, _S.pending, "", reason_required=True),
}
# The actions the queue offers per status (§2.3); removal and warnings resolve on their own.
ACTIONS_BY_STATUS: dict[str, tuple[str, ...]] = {
    _S.pending: ("start_review", "dismiss"),
    _S.under_review: ("dismiss", "back_to_pending"),
    _S.resolved: ("reopen",),
    _S.dismissed: ("reopen",),
}


@dataclass(frozen=True)
class ReportsChanged:
    """The outcome of one queue action on an item's reports."""

    report_ids: tuple[int, ...]
    status: str
    audit_id: int | None


def report_status_update(
    session: Session,
    *,
    actor: Viewer,
    content_type: str,
    content_id: int,
    action: str,
    reason: str | None = None,
    now: datetime,
) -> ReportsChanged:
    """Apply one action of the status table to every report of an item it applies to.

    One audit entry (report_status_update) per action, naming every report it changed.
    Leaving pending records the reviewer and time; reopening clears them. Resolve and
    dismiss send report_update to each reporter (outcome only).

    Raises:
        NotFound: not a moderator; no reports of the item.
        PermissionDenied: a report the moderator filed, or content they may not act on.
        ValidationFailed: unknown action; reopen without a 10–1000 character reason.
        Conflict: no report of the item is in a status the action applies to.
    """
    moderator = require_moderator(session, actor)
    transition = TRANSITIONS.get(action) if isinstance(action, str) else None
    if transition is None:
        raise ValidationFailed({"action": "Unknown action"})
    text = _action_reason(transition, reason)
    reports = _locked_reports(session, content_type, content_id)
    changing = [r for r in reports if r.status in transition.sources]
    for report in changing:
        require_may_handle_report(
            session, moderator, reporter_id=report.reporter_id, owner_id=report.content_owner_id
        )
    if not changing:
        require_may_act_on(session, moderator, reports[0].content_owner_id)
        raise Conflict(NOTHING_TO_CHANGE)
    return _apply(session, moderator, changing, transition.target, text, now)


def resolve_open_reports(
    session: Session,
    *,
    moderator: Moderator,
    content_type: str,
    content_id: int,
    note: str,
    now: datetime,
) -> tuple[int, ...]:
    """Resolve every open report of an item as part of another action (a removal, a
    warning about it), in the caller's transaction; report_update to each reporter.

    The caller has authorised the moderator on the content and writes its own audit
    entry (naming the returned report ids): one entry per action.
    """
    reports = _locked_reports(session, content_type, content_id, missing_ok=True)
    changing = [r for r in reports if r.status in OPEN]
    _set_status(session, moderator, changing, ReportStatus.resolved, note, now)
    return tuple(r.id for r in changing)


def _action_reason(transition: Transition, reason: str | None) -> str:
    text = reason.strip() if isinstance(reason, str) else ""
    if transition.reason_required and not REASON_MIN <= len(text) <= REASON_MAX:
        raise ValidationFailed({"reason": REOPEN_NEEDS_REASON})
    if len(text) > REASON_MAX:
        raise ValidationFailed({"reason": NOTE_TOO_LONG})
    if problem := free_text_problem("Reason", text):
        raise ValidationFailed({"reason": problem})
    return text or transition.default_reason


def _locked_reports(
    session: Session, content_type: str, content_id: int, *, missing_ok: bool = False
) -> list[ContentReport]:
    if content_type not in ReportContentType.__members__ or parse_id(content_id) is None:
        if missing_ok:
            return []
        raise NotFound(ITEM_NOT_FOUND)
    reports = list(
        session.exec(
            select(ContentReport)
            .where(
                ContentReport.content_type == content_type,
                ContentReport.content_id == content_id,
            )
            .order_by(col(ContentReport.id))
            .with_for_update()
        ).all()
    )
    if not reports and not missing_ok:
        raise NotFound(ITEM_NOT_FOUND)
    return reports


def _apply(
    session: Session,
    moderator: Moderator,
    reports: list[ContentReport],
    target: ReportStatus,
    reason: str,
    now: datetime,
) -> ReportsChanged:
    before = sorted({str(r.status) for r in reports})
    _set_status(session, moderator, reports, target, reason, now)
    first = reports[0]
    audit_id = audit.record(
        session,
        actor=moderator.viewer,
        action_type=ActionType.report_status_update,
        target_type=TargetType.content_report,
        target_id=first.id,
        target_user_id=first.content_owner_id,
        reason=reason,
        details={
            "report_ids": [r.id for r in reports],
            "content_type": str(first.content_type),
            "content_id": first.content_id,
            "from": before,
            "to": target.value,
        },
        now=now,
    )
    return ReportsChanged(tuple(r.id for r in reports), target.value, audit_id)


def _set_status(
    session: Session,
    moderator: Moderator,
    reports: list[ContentReport],
    target: ReportStatus,
    note: str,
    now: datetime,
) -> None:
    for report in reports:
        report.status = target
        report.updated_at = now
        if target == ReportStatus.pending:  # back to pending or reopened: not reviewed
            report.reviewed_by_id, report.reviewed_at, report.resolution_note = None, None, None
        else:
            report.reviewed_by_id, report.reviewed_at = moderator.user_id, now
            if target in CLOSED:
                report.resolution_note = note
        session.add(report)
    session.flush()
    if target in CLOSED:
        for report in reports:
            _tell_reporter(session, report, target, now)


_OUTCOME = {
    ReportStatus.resolved: "Thanks for your report: a moderator reviewed it and took action.",
    ReportStatus.dismissed: (
        "Thanks for your report: a moderator reviewed it and found no rule was broken."
    ),
}


def _tell_reporter(session: Session, report: ContentReport, target: ReportStatus, now) -> None:
    if report.reporter_id is None:  # the reporter was purged
        return
    label = str(report.content_type).replace("_", " ")
    notify(
        session,
        recipient_id=report.reporter_id,
        type=NotificationType.report_update,
        actor=None,
        title=f"Your report about a {label} was reviewed",
        message=_OUTCOME[target],
        target_type="content_report",
        target_id=report.id,
        now=now,
    )
