"""Recommendation photos: uploads, stored files and the author's photo actions (§4.3.2).

Files and rows must agree. Files written during a transaction are deleted if it rolls
back (or the action raises); files of removed photos are deleted only once the removal
has committed. Image checks and processing are blocking: callers run services in a
worker thread (`asyncio.to_thread`), never on the event loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import defer
from sqlmodel import Session, col

from citypulse.media.processing import ProcessedPhoto, prepare_photo
from citypulse.media.storage import StoredPhoto, store_processed
from citypulse.media.transaction_files import (
    delete_after_commit,
    discard_now,
    written_in_transaction,
)
from citypulse.media.validation import ImageRejected, validate_image_bytes
from citypulse.models import Photo, Recommendation
from citypulse.models.enums import ContentStatus
from citypulse.services import rate_limits
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.display_text import free_text_problem
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.policies import require_active_actor
from citypulse.services.rate_limits import Limit
from citypulse.services.recommendations.forms import squash
from citypulse.services.recommendations.queries import NOT_FOUND_MESSAGE, PhotoView, photo_views

RECOMMENDATION_EDITS = Limit("rec-edit", 50, timedelta(minutes=15))
PHOTO_UPLOADS = Limit("rec-photo", 20, timedelta(hours=1))
MAX_PHOTOS = 5
MAX_CAPTION = 200

TOO_MANY_PHOTOS = "At most 5 photos"
CAPTION_ERROR = "Captions must be at most 200 characters"
PHOTO_NOT_FOUND = "Photo not found"
PHOTOS_CHANGED = "The photos have changed; reload the page and try again"
REMOVED_MESSAGE = "This recommendation was removed by a moderator"
INACTIVE_MESSAGE = "Your account cannot do this right now"


def caption_problem(caption: str) -> str | None:
    """The field error for a (squashed) caption: too long or holding control characters."""
    return CAPTION_ERROR if len(caption) > MAX_CAPTION else free_text_problem("Caption", caption)


@dataclass(frozen=True, eq=False)
class PhotoUpload:
    """One uploaded photo as the page sends it (the bytes decide the type, not the name)."""

    data: bytes
    caption: str = ""
    is_primary: bool = False


def discard_files(session: Session, stored: Sequence[StoredPhoto]) -> None:
    """Delete files written by this failed action now (the rollback would do it too)."""
    discard_now(session, *[key for photo in stored for key in (photo.image_key, photo.thumb_key)])


def store_uploads(session: Session, prepared: Sequence[ProcessedPhoto]) -> list[StoredPhoto]:
    """Write processed photos; they are deleted again if the transaction rolls back."""
    stored: list[StoredPhoto] = []
    try:
        for photo in prepared:
            item = store_processed(photo)
            stored.append(item)
            written_in_transaction(session, item.image_key, item.thumb_key)
    except BaseException:
        discard_files(session, stored)
        raise
    return stored


# --- checks --------------------------------------------------------------------------------


def prepare_uploads(
    uploads: Sequence[PhotoUpload], *, existing: int = 0
) -> tuple[list[ProcessedPhoto], dict[str, str]]:
    """Check count, captions and every image, and process them (no file is written).

    Returns the processed photos, or field errors under "photos" (plus "photos.<i>" for
    the photo at index i).
    """
    if existing + len(uploads) > MAX_PHOTOS:
        return [], {"photos": TOO_MANY_PHOTOS}
    prepared: list[ProcessedPhoto] = []
    for index, upload in enumerate(uploads):
        if problem := caption_problem(squash(upload.caption)):
            return [], {"photos": problem, f"photos.{index}": problem}
        try:
            prepared.append(prepare_photo(validate_image_bytes(upload.data)))
        except ImageRejected as rejected:
            return [], {"photos": rejected.message, f"photos.{index}": rejected.message}
    return prepared, {}


def count_uploads(session: Session, actor: Viewer, count: int, now: datetime) -> None:
    """Count `count` photo uploads against the 20/h limit."""
    for _ in range(count):
        rate_limits.hit(session, PHOTO_UPLOADS, str(actor.user_id), now)


def require_active(session: Session, actor: Viewer) -> Viewer:
    """The actor, refused unless active and verified (the shared policy, this message)."""
    return require_active_actor(
        session, actor, restricted=INACTIVE_MESSAGE, unverified=INACTIVE_MESSAGE
    )


def own_recommendation(
    session: Session, actor: Viewer, recommendation_id: int, *, allow_removed: bool = False
) -> Recommendation:
    """The actor's own recommendation, locked for the change.

    Raises:
        NotFound: missing, deleted or someone else's (hidden means 404).
        PermissionDenied: removed by a moderator (unless `allow_removed`), or the
            actor's account is not active.
    """
    rec = session.execute(
        select(Recommendation)
        .options(defer(Recommendation.search_vector))
        .where(
            Recommendation.id == recommendation_id,
            Recommendation.author_id == actor.user_id,
            Recommendation.status != ContentStatus.deleted,
        )
        .with_for_update()
    ).scalar_one_or_none()
    if rec is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    require_active(session, actor)
    if rec.status == ContentStatus.removed and not allow_removed:
        raise PermissionDenied(REMOVED_MESSAGE)
    return rec


def _photos(session: Session, recommendation_id: int) -> list[Photo]:
    return list(
        session.execute(
            select(Photo)
            .where(Photo.recommendation_id == recommendation_id)
            .order_by(col(Photo.position))
        ).scalars()
    )


def _photo(session: Session, recommendation_id: int, photo_id: int) -> Photo:
    for photo in _photos(session, recommendation_id):
        if photo.id == photo_id:
            return photo
    raise NotFound(PHOTO_NOT_FOUND)


def add_photo_rows(
    session: Session,
    recommendation_id: int,
    stored: Sequence[StoredPhoto],
    uploads: Sequence[PhotoUpload],
    *,
    first_position: int = 0,
    make_primary: int | None = None,
) -> None:
    """Insert photo rows at consecutive positions; `make_primary` indexes `stored`."""
    if make_primary is not None:
        for photo in _photos(session, recommendation_id):
            photo.is_primary = False
        session.flush()  # the one-primary index is not deferrable
    for index, (item, upload) in enumerate(zip(stored, uploads, strict=True)):
        session.add(
            Photo(
                recommendation_id=recommendation_id,
                image_key=item.image_key,
                thumb_key=item.thumb_key,
                width=item.width,
                height=item.height,
                file_size=item.file_size,
                caption=squash(upload.caption) or None,
                position=first_position + index,
                is_primary=index == make_primary,
            )
        )
    session.flush()


def _edit(session: Session, actor: Viewer, recommendation_id: int, now: datetime) -> int:
    rec = own_recommendation(session, actor, recommendation_id)
    rate_limits.hit(session, RECOMMENDATION_EDITS, str(actor.user_id), now)
    return rec.id


# --- the author's photo actions ------------------------------------------------------------


def recommendation_photo_add(
    session: Session, *, actor: Viewer, recommendation_id: int, upload: PhotoUpload, now: datetime
) -> tuple[PhotoView, ...]:
    """Add one photo (author only; at most 5 in all). Primary when it is the first one
    or `upload.is_primary`.

    Raises:
        NotFound, PermissionDenied: see `own_recommendation`.
        ValidationFailed: {"photos": "At most 5 photos" or the image's rejection message}.
        RateLimited: 50 edits per 15 min, 20 photo uploads per hour.
    """
    rec_id = _edit(session, actor, recommendation_id, now)
    count_uploads(session, actor, 1, now)
    existing = _photos(session, rec_id)
    prepared, errors = prepare_uploads([upload], existing=len(existing))
    if errors:
        raise ValidationFailed(errors)
    stored = store_uploads(session, prepared)
    try:
        primary = 0 if (upload.is_primary or not existing) else None
        add_photo_rows(
            session, rec_id, stored, [upload], first_position=len(existing), make_primary=primary
        )
        return photo_views(session, rec_id)
    except BaseException:
        discard_files(session, stored)
        raise


def recommendation_photo_remove(
    session: Session, *, actor: Viewer, recommendation_id: int, photo_id: int, now: datetime
) -> tuple[PhotoView, ...]:
    """Remove a photo (author only). Positions close up; if it was the primary, the photo
    now first becomes primary. Its files are deleted after the commit.

    Raises:
        NotFound: "Photo not found", or see `own_recommendation`.
    """
    rec_id = _edit(session, actor, recommendation_id, now)
    photo = _photo(session, rec_id, photo_id)
    was_primary = photo.is_primary
    delete_after_commit(session, photo.image_key, photo.thumb_key)
    session.delete(photo)
    session.flush()
    remaining = _photos(session, rec_id)
    for position, item in enumerate(remaining):
        item.position = position
    if was_primary and remaining:
        remaining[0].is_primary = True
    session.flush()
    return photo_views(session, rec_id)


def recommendation_photos_reorder(
    session: Session,
    *,
    actor: Viewer,
    recommendation_id: int,
    photo_ids_in_order: Sequence[int],
    now: datetime,
) -> tuple[PhotoView, ...]:
    """Set the photo order (author only); the ids must be exactly the current photos.

    Raises:
        Conflict: the list does not match the current photos.
    """
    rec_id = _edit(session, actor, recommendation_id, now)
    photos = {photo.id: photo for photo in _photos(session, rec_id)}
    ids = list(photo_ids_in_order)
    if len(ids) != len(photos) or set(ids) != set(photos):
        raise Conflict(PHOTOS_CHANGED)
    for position, photo_id in enumerate(ids):
        photos[photo_id].position = position  # the unique constraint is deferred
    session.flush()
    return photo_views(session, rec_id)


def recommendation_photo_set_primary(
    session: Session, *, actor: Viewer, recommendation_id: int, photo_id: int, now: datetime
) -> tuple[PhotoView, ...]:
    """Make one photo the primary (author only)."""
    rec_id = _edit(session, actor, recommendation_id, now)
    photo = _photo(session, rec_id, photo_id)
    for item in _photos(session, rec_id):
        item.is_primary = False
    session.flush()
    photo.is_primary = True
    session.flush()
    return photo_views(session, rec_id)


def recommendation_photo_caption(
    session: Session,
    *,
    actor: Viewer,
    recommendation_id: int,
    photo_id: int,
    caption: str,
    now: datetime,
) -> tuple[PhotoView, ...]:
    """Set or clear a photo's caption (author only; at most 200 characters).

    Raises:
        ValidationFailed: {"caption": "Captions must be at most 200 characters"}.
    """
    rec_id = _edit(session, actor, recommendation_id, now)
    photo = _photo(session, rec_id, photo_id)
    text = squash(caption)
    if problem := caption_problem(text):
        raise ValidationFailed({"caption": problem})
    photo.caption = text or None
    session.flush()
    return photo_views(session, rec_id)
