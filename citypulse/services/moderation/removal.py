"""Removing and restoring content (PRODUCT.md §4.13.3): one command each, every type.

- Recommendation, trip, comment: status `removed` (soft); only the owner (with a banner)
  and moderators still see it — the visibility rules already admit the owner only.
- Review: the text is hidden (`review_status` removed); the rating still counts.
- Profile: bio, photos and links are cleared; what was cleared is kept in the audit
  entry's details (moderator-only) so a restore can put back what is still empty.
A removal resolves every open report of the item. Both actions are audited
(content_removal / content_restore), notify the owner in-app and by email, and re-evaluate
the owner's achievements that depend on the content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from citypulse.models import ModeratorAction, Profile, Rating, Recommendation, User
from citypulse.models.enums import (
    ActionType,
    ContentStatus,
    ModerationStatus,
    NotificationType,
    ReportContentType,
)
from citypulse.models.profiles import LINK_COLUMNS
from citypulse.models.trips import Trip, TripComment
from citypulse.params import parse_id
from citypulse.realtime import publish_after_commit
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.achievements import metrics
from citypulse.services.achievements.evaluate import evaluate
from citypulse.services.display_text import free_text_problem
from citypulse.services.errors import Conflict, NotFound, ValidationFailed
from citypulse.services.interactions.events import RecommendationRatingsChanged
from citypulse.services.moderation import audit
from citypulse.services.moderation.authority import require_may_act_on, require_moderator
from citypulse.services.moderation.reports import resolve_open_reports
from citypulse.services.notifications.create import notify

REASON_MIN, REASON_MAX = 10, 1000
REASON_LENGTH = f"Reason must be {REASON_MIN}–{REASON_MAX} characters"
CONTENT_NOT_FOUND = "Content not found"
ALREADY_REMOVED = "This content is already removed"
NOT_REMOVED = "This content is not removed"
PROFILE_FIELDS = ("bio", "avatar_key", "cover_key", *LINK_COLUMNS)


@dataclass(frozen=True)
class Item:
    """A piece of content as moderation sees it, whatever its type."""

    content_type: str
    content_id: int
    owner_id: int
    label: str  # "recommendation “Pastéis at dawn”", "review", "profile @alice", ...
    url: str  # where the owner sees it
    removed: bool
    row: Any  # the locked row (never leaves the services)


@dataclass(frozen=True)
class ModerationDone:
    """A removal or restore as the moderator's page reports it."""

    content_type: str
    content_id: int
    removed: bool
    audit_id: int
    resolved_reports: tuple[int, ...] = ()


def content_remove(
    session: Session, *, actor: Viewer, content_type: str, content_id: int, reason: str,
    now: datetime,
) -> ModerationDone:  # fmt: skip
    """Remove an item with a reason; resolves its open reports; owner notified.

    Raises:
        NotFound: not a moderator; no such item (deleted by its author counts as none).
        PermissionDenied: own content, an admin's, or a moderator's (unless admin).
        ValidationFailed: reason not 10–1000 characters.
        Conflict: already removed.
    """
    moderator = require_moderator(session, actor)
    text = _reason(reason)
    item = load_item(session, content_type, content_id, lock=True)
    require_may_act_on(session, moderator, item.owner_id)
    if item.removed:
        raise Conflict(ALREADY_REMOVED)
    details = _REMOVE[item.content_type](session, item, text, moderator.user_id, now)
    resolved = resolve_open_reports(
        session, moderator=moderator, content_type=item.content_type,
        content_id=item.content_id, note=text, now=now,
    )  # fmt: skip
    audit_id = audit.record(
        session, actor=actor, action_type=ActionType.content_removal,
        target_type=item.content_type, target_id=item.content_id,
        target_user_id=item.owner_id, reason=text,
        details={**details, "resolved_reports": list(resolved)}, now=now,
    )  # fmt: skip
    _tell_owner(session, item, removed=True, reason=text, now=now)
    _after_change(session, item, now)
    return ModerationDone(item.content_type, item.content_id, True, audit_id, resolved)


def content_restore(
    session: Session, *, actor: Viewer, content_type: str, content_id: int, reason: str,
    now: datetime,
) -> ModerationDone:  # fmt: skip
    """Reverse a removal (audited, owner notified); reports stay as they are.

    Raises:
        NotFound, PermissionDenied, ValidationFailed: as `content_remove`.
        Conflict: the item is not removed.
    """
    moderator = require_moderator(session, actor)
    text = _reason(reason)
    item = load_item(session, content_type, content_id, lock=True)
    require_may_act_on(session, moderator, item.owner_id)
    details = undo_removal(session, item, reason=text, now=now)
    audit_id = audit.record(
        session, actor=actor, action_type=ActionType.content_restore,
        target_type=item.content_type, target_id=item.content_id,
        target_user_id=item.owner_id, reason=text, details=details, now=now,
    )  # fmt: skip
    return ModerationDone(item.content_type, item.content_id, False, audit_id)


def undo_removal(session: Session, item: Item, *, reason: str, now: datetime) -> dict[str, Any]:
    """Put a removed item (loaded locked, actor already authorised) back and tell its owner;
    returns what changed. Writes no audit entry: the caller's action writes its own (a
    moderator's content_restore, or a granted appeal's appeal_decision naming the item
    under "restored", see `restore_entries`), so each action has exactly one (§4.13.11).

    Raises:
        Conflict: the item is not removed.
    """
    if not item.removed:
        raise Conflict(NOT_REMOVED)
    details = _RESTORE[item.content_type](session, item, now)
    _tell_owner(session, item, removed=False, reason=reason, now=now)
    _after_change(session, item, now)
    return details


def restore_entries(content_type: str, content_id: int) -> ColumnElement[bool]:
    """SQL condition on `ModeratorAction`: the entries that put this item back — a
    moderator's content_restore, or a granted appeal's decision (details.restored)."""
    restored = col(ModeratorAction.details)["restored"]
    return or_(
        and_(
            ModeratorAction.action_type == ActionType.content_restore,
            ModeratorAction.target_type == content_type,
            ModeratorAction.target_id == content_id,
        ),
        and_(
            ModeratorAction.action_type == ActionType.appeal_decision,
            restored["content_type"].astext == content_type,
            restored["content_id"].as_integer() == content_id,
        ),
    )


def _reason(reason: object) -> str:
    text = reason.strip() if isinstance(reason, str) else ""
    if not REASON_MIN <= len(text) <= REASON_MAX:
        raise ValidationFailed({"reason": REASON_LENGTH})
    if problem := free_text_problem("Reason", text):
        raise ValidationFailed({"reason": problem})
    return text


# ---- Loading any item -----------------------------------------------------------------


def load_item(
    session: Session, content_type: str, content_id: object, *, lock: bool = False
) -> Item:
    """The item behind a report's (content_type, content_id), locked when asked.

    Raises:
        NotFound: unknown type, bad id, no such item, or deleted by its author.
    """
    if not isinstance(content_type, str) or content_type not in _LOADERS:
        raise NotFound(CONTENT_NOT_FOUND)
    ident = parse_id(content_id) if isinstance(content_id, int) else None
    if ident is None:
        raise NotFound(CONTENT_NOT_FOUND)
    item = _LOADERS[content_type](session, ident, lock)
    if item is None:
        raise NotFound(CONTENT_NOT_FOUND)
    return item


def _get(session: Session, model: type, ident: int, lock: bool) -> Any:
    query = select(model).where(model.id == ident)
    return session.exec(query.with_for_update() if lock else query).first()


def _recommendation(session: Session, ident: int, lock: bool) -> Item | None:
    rec = _get(session, Recommendation, ident, lock)
    if rec is None or rec.status == ContentStatus.deleted:
        return None
    return Item("recommendation", rec.id, rec.author_id, f"recommendation “{rec.title}”",
                f"/recommendations/{rec.id}", rec.status == ContentStatus.removed, rec)  # fmt: skip


def _review(session: Session, ident: int, lock: bool) -> Item | None:
    rating = _get(session, Rating, ident, lock)
    if rating is None or rating.review is None:
        return None
    rec = session.get(Recommendation, rating.recommendation_id)
    title = rec.title if rec is not None else ""
    return Item("review", rating.id, rating.user_id, f"review of “{title}”",
                f"/recommendations/{rating.recommendation_id}",
                rating.review_status == ModerationStatus.removed, rating)  # fmt: skip


def _profile(session: Session, ident: int, lock: bool) -> Item | None:
    user = _get(session, User, ident, lock)
    if user is None:
        return None
    return Item("profile", user.id, user.id, f"profile @{user.username}",
                f"/profile/{user.username}", _profile_removed(session, user.id), user)  # fmt: skip


def _trip(session: Session, ident: int, lock: bool) -> Item | None:
    trip = _get(session, Trip, ident, lock)
    if trip is None:
        return None
    return Item("trip", trip.id, trip.owner_id, f"trip “{trip.title}”", f"/trips/{trip.id}",
                trip.moderation_status == ModerationStatus.removed, trip)  # fmt: skip


def _trip_comment(session: Session, ident: int, lock: bool) -> Item | None:
    comment = _get(session, TripComment, ident, lock)
    if comment is None or comment.status == ContentStatus.deleted:
        return None
    return Item("trip_comment", comment.id, comment.author_id, "comment on a trip",
                f"/trips/{comment.trip_id}?tab=comments",
                comment.status == ContentStatus.removed, comment)  # fmt: skip


def _profile_removed(session: Session, user_id: int) -> bool:
    """A profile is removed when its latest removal/restore entry is a removal."""
    removal = and_(
        ModeratorAction.action_type == ActionType.content_removal,
        ModeratorAction.target_type == ReportContentType.profile,
        ModeratorAction.target_id == user_id,
    )
    last = session.exec(
        select(ModeratorAction.action_type)
        .where(or_(removal, restore_entries(ReportContentType.profile.value, user_id)))
        .order_by(col(ModeratorAction.created_at).desc(), col(ModeratorAction.id).desc())
        .limit(1)
    ).first()
    return last == ActionType.content_removal


_LOADERS = {
    "recommendation": _recommendation,
    "review": _review,
    "profile": _profile,
    "trip": _trip,
    "trip_comment": _trip_comment,
}


# ---- Changing each type ---------------------------------------------------------------


def _remove_recommendation(session: Session, item: Item, reason: str, by: int, now) -> dict:
    rec = item.row
    rec.status, rec.removed_reason, rec.removed_by_id, rec.removed_at = (
        ContentStatus.removed, reason, by, now,
    )  # fmt: skip
    rec.updated_at = now
    session.add(rec)
    return {}


def _restore_recommendation(session: Session, item: Item, now) -> dict:
    rec = item.row
    rec.status, rec.removed_reason, rec.removed_by_id, rec.removed_at = (
        ContentStatus.active, None, None, None,
    )  # fmt: skip
    rec.updated_at = now
    session.add(rec)
    return {}


def _set_review(session: Session, item: Item, status: ModerationStatus, now) -> dict:
    item.row.review_status, item.row.updated_at = status, now
    session.add(item.row)
    publish_after_commit(session, RecommendationRatingsChanged(item.row.recommendation_id))
    return {"recommendation_id": item.row.recommendation_id}


def _remove_profile(session: Session, item: Item, _reason: str, _by: int, now) -> dict:
    user = item.row
    profile = session.exec(select(Profile).where(Profile.user_id == user.id)).one()
    cleared = {"bio": user.bio} | {f: getattr(profile, f) for f in PROFILE_FIELDS[1:]}
    user.bio, user.updated_at = None, now
    for field in PROFILE_FIELDS[1:]:
        setattr(profile, field, None)
    profile.updated_at = now
    session.add_all([user, profile])
    return {"cleared": {k: v for k, v in cleared.items() if v}}


def _restore_profile(session: Session, item: Item, now) -> dict:
    """Put back what the last removal cleared, where the owner has not set something new."""
    user = item.row
    removal = session.exec(
        select(ModeratorAction.details)
        .where(
            ModeratorAction.target_type == ReportContentType.profile,
            ModeratorAction.target_id == user.id,
            ModeratorAction.action_type == ActionType.content_removal,
        )
        .order_by(col(ModeratorAction.created_at).desc(), col(ModeratorAction.id).desc())
        .limit(1)
    ).first()
    cleared: dict = (removal or {}).get("cleared", {})
    profile = session.exec(select(Profile).where(Profile.user_id == user.id)).one()
    restored = []
    for field, value in cleared.items():
        owner_row = user if field == "bio" else profile
        if field in PROFILE_FIELDS and getattr(owner_row, field) is None:
            setattr(owner_row, field, value)
            restored.append(field)
    user.updated_at = profile.updated_at = now
    session.add_all([user, profile])
    return {"restored": restored}


def _set_trip(session: Session, item: Item, status: ModerationStatus, reason: str | None, now):
    trip = item.row
    trip.moderation_status, trip.removed_reason, trip.updated_at = status, reason, now
    session.add(trip)
    return {}


def _set_comment(session: Session, item: Item, status: ContentStatus, now) -> dict:
    item.row.status, item.row.updated_at = status, now
    session.add(item.row)
    return {"trip_id": item.row.trip_id}


_REMOVE = {
    "recommendation": _remove_recommendation,
    "review": lambda s, i, _r, _b, now: _set_review(s, i, ModerationStatus.removed, now),
    "profile": _remove_profile,
    "trip": lambda s, i, r, _b, now: _set_trip(s, i, ModerationStatus.removed, r, now),
    "trip_comment": lambda s, i, _r, _b, now: _set_comment(s, i, ContentStatus.removed, now),
}
_RESTORE = {
    "recommendation": _restore_recommendation,
    "review": lambda s, i, now: _set_review(s, i, ModerationStatus.active, now),
    "profile": _restore_profile,
    "trip": lambda s, i, now: _set_trip(s, i, ModerationStatus.active, None, now),
    "trip_comment": lambda s, i, now: _set_comment(s, i, ContentStatus.active, now),
}


def _tell_owner(session: Session, item: Item, *, removed: bool, reason: str, now) -> None:
    """content_removed / content_restored to the owner: in-app and by email (moderation)."""
    kind = NotificationType.content_removed if removed else NotificationType.content_restored
    what = "removed" if removed else "restored"
    notify(
        session,
        recipient_id=item.owner_id,
        type=kind,
        actor=None,
        title=f"A moderator {what} your {item.label}",
        message=f"Reason: {reason}",
        target_type=item.content_type,
        target_id=item.content_id,
        action_url=item.url,
        now=now,
    )


def _after_change(session: Session, item: Item, now: datetime) -> None:
    """Badges that count the content follow its status (achievements contract)."""
    session.flush()
    if item.content_type == "recommendation":
        evaluate(session, user_id=item.owner_id, metrics=metrics.STATUS_CHANGED, now=now)
    elif item.content_type == "review":
        evaluate(session, user_id=item.owner_id, metrics=metrics.RATED_RATER, now=now)
