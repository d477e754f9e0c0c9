"""Avatar and cover upload with a crop chosen by the user (PRODUCT.md §2.2, §4.2.4, §5.5).

Flow: the browser uploads one file; `media.staging` checks it (type from the bytes, size,
pixels) and keeps the bytes privately for this user and tab (never under /_upload, never
in a public var); the browser gets a small metadata-free preview as a data URL. The user
picks the crop with three labelled sliders (zoom 1–3×, horizontal and vertical position);
on "Save photo" the server turns them into a `CropBox` of the upright image and
`avatar_set` / `cover_set` crop, re-encode and store the staged photo.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import reflex as rx
from sqlmodel import Session

from citypulse.media import staging
from citypulse.media.processing import AVATAR_RATIO, COVER_RATIO, MAX_ZOOM, CropBox
from citypulse.media.staging import StagedUploadMissing, StagingOwner
from citypulse.media.validation import SIZE_MESSAGE, ImageRejected
from citypulse.services import rate_limits
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import ValidationFailed
from citypulse.services.profiles.media import (
    PHOTO_UPLOADS,
    avatar_remove,
    avatar_set,
    cover_remove,
    cover_set,
)
from citypulse.state.profiles.photo_views import (
    CropFrame,
    PhotoErrors,
    crop_box,
    crop_frame,
    photo_error,
)
from citypulse.state.profiles.profile import upload_href
from citypulse.state.session import SessionState
from citypulse.state.uploads import StagingTab, preview_url, read_limited, uploaded_files

KINDS = {"avatar": AVATAR_RATIO, "cover": COVER_RATIO}
PREVIEW_SIZE = (640, 640)
CHOOSE_MESSAGE = "Choose an image to upload"
EXPIRED_MESSAGE = "Your upload expired; please choose the photo again"
SAVED = {"avatar": "Profile photo saved.", "cover": "Cover photo saved."}
REMOVED = {"avatar": "Profile photo removed.", "cover": "Cover photo removed."}


def photo_upload_allowed(db: Session, *, actor: Viewer, now: datetime) -> None:
    """Refuse early when saving would be refused anyway (5 photos per 15 min)."""
    rate_limits.check(db, PHOTO_UPLOADS, str(actor.user_id), now)


def staged_photo_save(
    db: Session, *, actor: Viewer, kind: str, ref: str, tab: str, crop: CropBox, now: datetime
) -> str:
    """Save the actor's staged upload `ref` (from tab `tab`) as avatar or cover; its key.

    The staged file is looked up for the verified actor, so a ref staged by anyone else
    (or in another tab) is simply not found.

    Raises:
        ValidationFailed: {kind: message} when the staged upload is gone or the crop fails.
        RateLimited: see `avatar_set` / `cover_set`.
    """
    try:
        data = staging.load(ref, owner=StagingOwner(actor.user_id, tab))
    except (StagedUploadMissing, ValueError) as error:
        raise ValidationFailed({kind: EXPIRED_MESSAGE}) from error
    setter = avatar_set if kind == "avatar" else cover_set
    return setter(db, actor=actor, data=data, crop=crop, now=now)


def _number(value: object, low: float, high: float) -> float | None:
    try:
        number = float(str(value))
    except ValueError:
        return None
    return min(high, max(low, number)) if number == number else None  # NaN check


class ProfilePhotoState(StagingTab, SessionState):
    """The current avatar and cover, and the crop step of a new one."""

    avatar_url: str = ""
    cover_url: str = ""
    editing: str = ""  # "", "avatar" or "cover"
    preview: str = ""  # data URL of the re-encoded, downscaled upload (the user's own)
    upload_serial: int = 0  # resets the sliders for each new upload
    zoom: float = 1.0
    offset_x: float = 50.0
    offset_y: float = 50.0
    frame: CropFrame = CropFrame()
    errors: PhotoErrors = PhotoErrors()
    message: str = ""
    _staged_ref: str = ""
    _size: tuple[int, int] = (0, 0)

    def _show_current(self, avatar_url: str, cover_url: str) -> None:
        """The profile edit page loaded: show the stored photos, drop any crop step."""
        self.avatar_url, self.cover_url = avatar_url, cover_url
        self._cancel()
        self.errors, self.message = PhotoErrors(), ""

    def _cancel(self) -> None:
        """Leave the crop step; the staged upload is deleted (one unlink, no scan)."""
        if self._staged_ref and self._user_id:
            staging.discard(self._staged_ref, owner=self._staging_owner(self._user_id))
        self._staged_ref, self._size = "", (0, 0)
        self.editing, self.preview, self.frame = "", "", CropFrame()

    def _reframe(self) -> None:
        if self.editing in KINDS:
            ratio = KINDS[self.editing]
            self.frame = crop_frame(self._size, ratio, self.zoom, self.offset_x, self.offset_y)

    async def _receive(self, kind: str, files: list[rx.UploadFile]):
        outcome = await self._call(photo_upload_allowed, now=datetime.now(UTC))
        if outcome.signed_out:
            return outcome.redirect
        self._cancel()
        self.errors, self.message = PhotoErrors(), ""
        if not outcome.ok:
            self.errors = photo_error(kind, outcome.message)
            return None
        chosen = uploaded_files(files)
        if not chosen:
            self.errors = photo_error(kind, CHOOSE_MESSAGE)
            return None
        data = await read_limited(chosen[0])
        if data is None:
            self.errors = photo_error(kind, SIZE_MESSAGE)
            return None
        owner = self._staging_owner(self._user_id)
        try:
            staged = await asyncio.to_thread(
                staging.stage, data, owner=owner, preview_size=PREVIEW_SIZE
            )
        except ImageRejected as error:
            self.errors = photo_error(kind, error.message)
            return None
        self._staged_ref, self._size = staged.ref, (staged.width, staged.height)
        self.editing, self.preview = kind, preview_url(staged.preview)
        self.zoom, self.offset_x, self.offset_y = 1.0, 50.0, 50.0
        self.upload_serial += 1
        self._reframe()
        return None

    @rx.event
    async def upload_avatar(self, files: list[rx.UploadFile]):
        """A new avatar was chosen: check it and start the crop step."""
        return await self._receive("avatar", files)

    @rx.event
    async def upload_cover(self, files: list[rx.UploadFile]):
        """A new cover was chosen: check it and start the crop step."""
        return await self._receive("cover", files)

    @rx.event
    def set_zoom(self, value: float):
        if (zoom := _number(value, 1.0, float(MAX_ZOOM))) is not None:
            self.zoom = zoom
            self._reframe()

    @rx.event
    def set_offset_x(self, value: float):
        if (offset := _number(value, 0.0, 100.0)) is not None:
            self.offset_x = offset
            self._reframe()

    @rx.event
    def set_offset_y(self, value: float):
        if (offset := _number(value, 0.0, 100.0)) is not None:
            self.offset_y = offset
            self._reframe()

    @rx.event
    def cancel(self):
        """Drop the pending upload."""
        self._cancel()

    @rx.event
    async def save_photo(self):
        """Crop, re-encode and store the pending upload as the viewer's avatar or cover."""
        kind = self.editing
        if kind not in KINDS or not self._staged_ref:
            self._cancel()
            self.errors = photo_error(kind, CHOOSE_MESSAGE)
            return None
        width, height = self._size
        crop = crop_box(width, height, KINDS[kind], self.zoom, self.offset_x, self.offset_y)
        outcome = await self._call(
            staged_photo_save, kind=kind, ref=self._staged_ref, tab=self._staging_tab,
            crop=crop, now=datetime.now(UTC),
        )  # fmt: skip
        if outcome.signed_out:
            return outcome.redirect
        if not outcome.ok:
            message = outcome.field_errors.get(kind, outcome.message)
            if message == EXPIRED_MESSAGE:
                self._cancel()
            self.errors = photo_error(kind, message)
            return None
        if kind == "avatar":
            self.avatar_url = upload_href(outcome.value)
        else:
            self.cover_url = upload_href(outcome.value)
        self._cancel()
        self.errors, self.message = PhotoErrors(), SAVED[kind]
        return None

    @rx.event
    async def remove_photo(self, kind: str):
        """Remove the viewer's avatar or cover (a placeholder shows instead)."""
        if kind not in KINDS:
            return None
        outcome = await self._call(avatar_remove if kind == "avatar" else cover_remove)
        if outcome.signed_out:
            return outcome.redirect
        if not outcome.ok:
            self.errors = photo_error(kind, outcome.message)
            return None
        if kind == "avatar":
            self.avatar_url = ""
        else:
            self.cover_url = ""
        self.errors, self.message = PhotoErrors(), REMOVED[kind]
        return None
