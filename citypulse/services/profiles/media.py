"""Avatar and cover photos (PRODUCT.md §4.2.4, §5.5; "Avatar/cover uploads: 5 per 15 min").

The owner chooses the crop (a square for the avatar, 3:1 for the cover, zoom 1–3×); the
server decodes, crops, re-encodes without metadata and stores the JPEG under a random key.

Files and the transaction: the new file is written before the row changes. When the
transaction commits, the replaced file is deleted; when it rolls back, the new file is
deleted and the old one stays. Image work is blocking: call these from a worker thread
(`asyncio.to_thread(run_transaction, ...)`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Literal

from sqlmodel import Session

from citypulse.media.processing import (
    CropBox,
    default_avatar_crop,
    default_cover_crop,
    prepare_avatar,
    prepare_cover,
)
from citypulse.media.storage import store_bytes
from citypulse.media.transaction_files import delete_after_commit, written_in_transaction
from citypulse.media.validation import ImageRejected, validate_image_bytes
from citypulse.services import rate_limits
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import ValidationFailed
from citypulse.services.profiles.queries import owner_account, profile_row

PHOTO_UPLOADS = rate_limits.Limit("profile-photo", 5, timedelta(minutes=15))
Crop = CropBox | Mapping[str, object] | None
PhotoKind = Literal["avatar", "cover"]

_PIPELINES = {
    "avatar": (default_avatar_crop, prepare_avatar),
    "cover": (default_cover_crop, prepare_cover),
}


def _track_files(session: Session, *, stored: str | None, replaced: str | None) -> None:
    """Delete `replaced` after commit, or `stored` after rollback."""
    written_in_transaction(session, stored)
    delete_after_commit(session, replaced)


def _processed(kind: PhotoKind, data: bytes, crop: Crop) -> bytes:
    """The stored JPEG for an upload, or ValidationFailed on the `kind` field."""
    default_crop, prepare = _PIPELINES[kind]
    if not isinstance(data, bytes | bytearray):
        raise ValidationFailed({kind: "Choose an image to upload"})
    try:
        validated = validate_image_bytes(bytes(data))
        if crop is None:
            box = default_crop(validated)
        elif isinstance(crop, CropBox):
            box = crop
        elif isinstance(crop, Mapping):
            box = CropBox.from_client(crop)
        else:
            raise ValidationFailed({kind: "The crop selection is not valid"})
        return prepare(validated, box)
    except ImageRejected as error:
        raise ValidationFailed({kind: error.message}) from error


def _photo_set(
    session: Session, actor: Viewer, kind: PhotoKind, data: bytes, crop: Crop, now: datetime
) -> str:
    user = owner_account(session, actor)
    rate_limits.hit(session, PHOTO_UPLOADS, str(user.id), now)
    jpeg = _processed(kind, data, crop)
    profile = profile_row(session, user.id, lock=True)  # one photo change at a time
    column = f"{kind}_key"
    key = store_bytes(jpeg)
    _track_files(session, stored=key, replaced=getattr(profile, column))
    setattr(profile, column, key)
    session.add(profile)
    session.flush()
    return key


def _photo_remove(session: Session, actor: Viewer, kind: PhotoKind) -> None:
    user = owner_account(session, actor)
    profile = profile_row(session, user.id, lock=True)  # one photo change at a time
    column = f"{kind}_key"
    if getattr(profile, column) is None:
        return
    _track_files(session, stored=None, replaced=getattr(profile, column))
    setattr(profile, column, None)
    session.add(profile)
    session.flush()


def avatar_set(session: Session, *, actor: Viewer, data: bytes, crop: Crop, now: datetime) -> str:
    """Set the actor's avatar from uploaded bytes and a square crop; returns the new key.

    `crop` is a `CropBox`, the cropper's `{"x", "y", "width"[, "height"]}` pixels of the
    upright image, or None for the centred square. Blocking (CPU and disk).

    Raises:
        NotFound / PermissionDenied: see `profiles.owner_account`.
        RateLimited: more than 5 avatar/cover uploads in 15 min.
        ValidationFailed: `avatar` – not a JPEG/PNG/WebP, too large, unreadable, bad crop.
    """
    return _photo_set(session, actor, "avatar", data, crop, now)


def cover_set(session: Session, *, actor: Viewer, data: bytes, crop: Crop, now: datetime) -> str:
    """Set the actor's cover from uploaded bytes and a 3:1 crop; returns the new key.

    Same rules as `avatar_set`; field errors are on `cover`.
    """
    return _photo_set(session, actor, "cover", data, crop, now)


def avatar_remove(session: Session, *, actor: Viewer) -> None:
    """Remove the actor's avatar (the UI shows a placeholder); the file goes after commit."""
    _photo_remove(session, actor, "avatar")


def cover_remove(session: Session, *, actor: Viewer) -> None:
    """Remove the actor's cover (the UI shows a placeholder); the file goes after commit."""
    _photo_remove(session, actor, "cover")
