"""Trip comments (PRODUCT.md §4.6.9): post, edit ("edited"), delete, and the list.

- The owner and accepted members post (1–1000 characters); each post notifies the owner
  and the accepted members except the author (trip_comment, no email; `notify` skips
  anyone with a block either way with the author).
- The author edits (`edited_at` set: the "edited" label) or deletes their comment; the
  owner and organizers delete any. Deleting keeps the row with status deleted (purged
  with the author's content), so it leaves every list at once.
- The list follows the trip's access (`trips.access`); a share link never shows it.
  Comments of a user blocked either way with the viewer stay in place collapsed as
  "hidden" (no author, no text). Newest first, keyset pages on (created_at, id).
- A comment a moderator removed (§4.13.3) stays listed for its author and moderators
  only, with its removal banner (the reason; for the author its appeal); nobody edits
  or deletes it there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from citypulse.models import TripComment, TripCompanion, User
from citypulse.models.enums import CompanionStatus, ContentStatus, NotificationType
from citypulse.services import rate_limits
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.cursors import keyset_before, keyset_page, keyset_position
from citypulse.services.display_text import free_text_problem
from citypulse.services.errors import NotFound, PermissionDenied, ValidationFailed
from citypulse.services.moderation.removal_banner import RemovalBanner, removal_banner
from citypulse.services.notifications.create import notify
from citypulse.services.policies import is_moderator_now, require_active_actor
from citypulse.services.social.graph import blocked_between
from citypulse.services.trips.access import (
    TripAccess,
    require_member,
    trip_for_viewer,
)
from citypulse.services.trips.events import COMMENTS, trip_changed

BODY_LENGTH = 1000
PAGE_SIZE = 20
# §5.2 "Comments: 30 per 15 min", per user; posts and edits count.
COMMENTS_PER_USER = rate_limits.Limit("trip-comment", 30, timedelta(minutes=15))
COMMENT_NOT_FOUND = "Comment not found"
AUTHOR_ONLY = "Only the author can edit a comment"
NOT_YOURS = "Only the author, the owner or an organizer can delete this comment"
EMPTY = "Write a comment"
TOO_LONG = f"A comment must be at most {BODY_LENGTH} characters"


@dataclass(frozen=True)
class CommentRow:
    """One comment as the viewer sees it; `hidden`: by a blocked user (no author, no text)."""

    id: int
    author_username: str
    author_name: str
    body: str
    created_at: datetime
    edited: bool
    hidden: bool
    can_edit: bool
    can_delete: bool
    removal: RemovalBanner | None = None  # removed by a moderator: its author and moderators


@dataclass(frozen=True)
class CommentsPage:
    """A page of the trip's comments, newest first; `can_post`: the viewer may comment."""

    trip_id: int
    rows: tuple[CommentRow, ...]
    next_cursor: str | None
    can_post: bool


def _body(body: str | None) -> str:
    """The trimmed comment text (field "body")."""
    text = (body or "").strip()
    problem = free_text_problem("Comment", text)
    if problem is None and not text:
        problem = EMPTY
    if problem is None and len(text) > BODY_LENGTH:
        problem = TOO_LONG
    if problem is not None:
        raise ValidationFailed({"body": problem})
    return text


def _recipients(session: Session, trip_id: int) -> list[int]:
    """The owner and the accepted members of the trip (the owner has an accepted row)."""
    return list(
        session.execute(
            select(TripCompanion.user_id)
            .where(
                TripCompanion.trip_id == trip_id,
                TripCompanion.status == CompanionStatus.accepted,
            )
            .order_by(TripCompanion.id)
        ).scalars()
    )


def comment_post(session: Session, *, actor: Viewer, trip_id: int, body: str, now: datetime) -> int:
    """Post a comment as an accepted member; notifies the other members. Returns its id.

    Raises:
        PermissionDenied: not an active user; not an accepted member; a removed trip.
        NotFound: the trip is hidden from the actor.
        ValidationFailed: empty, over 1000 characters or control characters ("body").
        RateLimited: more than 30 comments and edits in 15 minutes.
    """
    access = require_member(session, actor, trip_id)
    text = _body(body)
    rate_limits.hit(session, COMMENTS_PER_USER, str(actor.user_id), now)
    trip = access.trip
    comment = TripComment(trip_id=trip.id, author_id=actor.user_id, body=text)
    comment.created_at = comment.updated_at = now
    session.add(comment)
    session.flush()
    assert comment.id is not None
    excerpt = text if len(text) <= 140 else text[:139].rstrip() + "…"
    for recipient_id in _recipients(session, trip.id):
        notify(session, recipient_id=recipient_id, type=NotificationType.trip_comment,
               actor=actor, title=f"{actor.full_name} commented on “{trip.title}”",
               message=f"{actor.full_name} (@{actor.username}): “{excerpt}”",
               target_type="trip", target_id=trip.id,
               action_url=f"/trips/{trip.id}?tab=comments", now=now)  # fmt: skip
    trip_changed(session, trip.id, COMMENTS)
    return comment.id


def _comment(session: Session, actor: Viewer, comment_id: int) -> tuple[TripAccess, TripComment]:
    """The active comment, locked, on a trip the actor may see (else `NotFound`)."""
    require_active_actor(session, actor)
    comment = session.execute(
        select(TripComment)
        .where(TripComment.id == comment_id, TripComment.status == ContentStatus.active)
        .with_for_update()
    ).scalar_one_or_none()
    if comment is None:
        raise NotFound(COMMENT_NOT_FOUND)
    try:
        access = trip_for_viewer(session, actor, comment.trip_id, lock=True)
    except NotFound:
        raise NotFound(COMMENT_NOT_FOUND) from None
    if access.via_share or access.as_moderator:
        raise NotFound(COMMENT_NOT_FOUND)
    return access, comment


def comment_edit(
    session: Session, *, actor: Viewer, comment_id: int, body: str, now: datetime
) -> None:
    """The author changes their comment's text; it shows "edited" from now on.

    Raises:
        PermissionDenied: not an active user; not the author; a removed trip.
        NotFound: no such active comment on a trip the actor may see.
        ValidationFailed: empty, too long or control characters ("body").
        RateLimited: more than 30 comments and edits in 15 minutes.
    """
    access, comment = _comment(session, actor, comment_id)
    if comment.author_id != actor.user_id or access.is_removed:
        raise PermissionDenied(AUTHOR_ONLY)
    text = _body(body)
    if text == comment.body:
        return
    rate_limits.hit(session, COMMENTS_PER_USER, str(actor.user_id), now)
    comment.body, comment.edited_at, comment.updated_at = text, now, now
    session.add(comment)
    session.flush()
    trip_changed(session, comment.trip_id, COMMENTS)


def _may_delete(access: TripAccess, author_id: int) -> bool:
    if access.is_removed:
        return False
    return access.viewer_id == author_id or access.is_organizer


def comment_delete(session: Session, *, actor: Viewer, comment_id: int, now: datetime) -> None:
    """The author, the owner or an organizer deletes the comment (status deleted).

    Raises:
        PermissionDenied: not an active user; none of those; a removed trip.
        NotFound: no such active comment on a trip the actor may see.
    """
    access, comment = _comment(session, actor, comment_id)
    if not _may_delete(access, comment.author_id):
        raise PermissionDenied(NOT_YOURS)
    comment.status, comment.updated_at = ContentStatus.deleted, now
    session.add(comment)
    session.flush()
    trip_changed(session, comment.trip_id, COMMENTS)


def trip_comments(
    session: Session,
    *,
    viewer: Viewer | None,
    trip_id: int,
    cursor: str | None = None,
    now: datetime | None = None,
) -> CommentsPage:
    """The trip's active comments for the viewer, newest first (`PAGE_SIZE` a page);
    removed ones too for their author and moderators (`now` dates the appeal's 30 days).

    Raises:
        NotFound: the trip is hidden from the viewer (a share link shows no comments).
    """
    access = trip_for_viewer(session, viewer, trip_id)
    if access.via_share:
        raise NotFound("Comments are not shared")
    viewer_id = access.viewer_id
    hidden = blocked_between(viewer_id, TripComment.author_id).label("hidden")
    listed = TripComment.status == ContentStatus.active
    if is_moderator_now(session, viewer):
        listed = TripComment.status.in_((ContentStatus.active, ContentStatus.removed))
    elif viewer_id is not None:
        removed = TripComment.status == ContentStatus.removed
        listed = or_(listed, and_(removed, TripComment.author_id == viewer_id))
    rows = session.execute(
        select(
            TripComment.id,
            TripComment.author_id,
            TripComment.body,
            TripComment.created_at,
            TripComment.edited_at,
            User.username,
            User.full_name,
            hidden,
            TripComment.status,
        )
        .join(User, User.id == TripComment.author_id)
        .where(
            TripComment.trip_id == access.trip.id,
            listed,
            keyset_before(TripComment.created_at, TripComment.id, keyset_position(cursor)),
        )
        .order_by(TripComment.created_at.desc(), TripComment.id.desc())
        .limit(PAGE_SIZE + 1)
    ).all()

    def row(r) -> CommentRow:
        own = viewer_id is not None and r.author_id == viewer_id
        if r.status == ContentStatus.removed:
            return CommentRow(
                id=r.id, author_username=r.username, author_name=r.full_name, body=r.body,
                created_at=r.created_at, edited=r.edited_at is not None, hidden=False,
                can_edit=False, can_delete=False,
                removal=removal_banner(session, viewer=viewer, content_type="trip_comment",
                                       content_id=r.id, owner_id=r.author_id,
                                       now=now or datetime.now(UTC)),
            )  # fmt: skip
        return CommentRow(
            id=r.id,
            author_username="" if r.hidden else r.username,
            author_name="" if r.hidden else r.full_name,
            body="" if r.hidden else r.body,
            created_at=r.created_at,
            edited=r.edited_at is not None,
            hidden=bool(r.hidden),
            can_edit=own and not access.is_removed,
            can_delete=viewer_id is not None and _may_delete(access, r.author_id),
        )

    page = keyset_page(rows, PAGE_SIZE, item=row)
    can_post = access.is_member and not access.is_removed
    return CommentsPage(access.trip.id, tuple(page.items), page.next_cursor, can_post)
