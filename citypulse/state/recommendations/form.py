"""/recommendations/create: the recommendation form, its live preview and pending photos.

`RecommendationFormFields` is shared with the edit page (`recommendation_edit`): form
errors, the category choice, the city autocomplete and the live preview. Every handler
treats its arguments as hostile (any client may call it with anything) and re-reads the
viewer from the session cookie before it reads or writes data.

Photos are checked the moment they are uploaded (type from the bytes, size, pixels) so the
field error shows at once. Accepted bytes wait in private temporary files under
`<data_dir>/tmp-uploads` with random names kept in a backend-only var; the browser only
gets a small re-encoded preview. Publishing hands them to `recommendation_create`.
"""

from __future__ import annotations

import asyncio
import base64
import re
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import reflex as rx

from citypulse.media.processing import encode_jpeg, upright
from citypulse.media.validation import MAX_BYTES, SIZE_MESSAGE, ImageRejected, validate_image_bytes
from citypulse.services.errors import ServiceError, ValidationFailed
from citypulse.services.profiles.settings import privacy_view
from citypulse.services.recommendations.cities import categories_list
from citypulse.services.recommendations.commands import recommendation_create
from citypulse.services.recommendations.forms import RecommendationForm
from citypulse.services.recommendations.photos import MAX_PHOTOS, TOO_MANY_PHOTOS, PhotoUpload
from citypulse.services.unit_of_work import run_transaction
from citypulse.settings import get_settings
from citypulse.state.recommendations.form_fields import (
    EMPTY_INITIAL,
    RecommendationFormFields,
    rejected_message,
)
from citypulse.state.session import SessionState

CREATE_UPLOAD_ID = "recommendation-photos"
PREVIEW_SIZE = (160, 120)  # a few KB each: per-tab state stays small
TEMP_SUFFIX = ".recphoto"
TEMP_NAME = re.compile(r"^[0-9a-f]{32}\.recphoto$")
TEMP_MAX_AGE_SECONDS = 6 * 3600
MAX_CAPTION_INPUT = 500  # the service refuses more than 200; this only bounds the state
MISSING_UPLOAD = "Your photos expired; please upload them again"


def temp_dir() -> Path:
    """Private folder for photos waiting to be published (never served)."""
    folder = get_settings().data_dir / "tmp-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _temp_path(name: str) -> Path | None:
    """The temp file of a generated name; None for anything else (no user paths)."""
    return temp_dir() / name if TEMP_NAME.fullmatch(name or "") else None


def _sweep_old(folder: Path) -> None:
    cutoff = time.time() - TEMP_MAX_AGE_SECONDS
    for path in folder.glob(f"*{TEMP_SUFFIX}"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def preview_data_url(data: bytes) -> str:
    """Validate an upload and return a small metadata-free JPEG preview (blocking).

    Raises:
        ImageRejected: with the field message (type, size, pixels, unreadable).
    """
    validated = validate_image_bytes(data)
    preview = upright(validated.image)
    preview.thumbnail(PREVIEW_SIZE)
    return "data:image/jpeg;base64," + base64.b64encode(encode_jpeg(preview)).decode()


def keep_upload(data: bytes) -> tuple[str, str]:
    """Validate, preview and store an upload privately (blocking): (temp name, preview)."""
    preview = preview_data_url(data)
    folder = temp_dir()
    _sweep_old(folder)
    name = f"{secrets.token_hex(16)}{TEMP_SUFFIX}"
    with (folder / name).open("xb") as handle:
        handle.write(data)
    return name, preview


def discard_uploads(names: list[str]) -> None:
    """Delete temp files by their generated names (blocking)."""
    for name in names:
        if path := _temp_path(name):
            path.unlink(missing_ok=True)


def read_uploads(items: list[tuple[str, str, bool]]) -> list[PhotoUpload] | None:
    """(temp name, caption, primary) → PhotoUploads; None when a file has gone (blocking)."""
    uploads = []
    for name, caption, primary in items:
        path = _temp_path(name)
        if path is None or not path.is_file():
            return None
        uploads.append(PhotoUpload(data=path.read_bytes(), caption=caption, is_primary=primary))
    return uploads


async def read_limited(upload: Any) -> bytes | None:
    """The bytes of one uploaded file, or None when it is over 10 MB (read stops early)."""
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > MAX_BYTES:
        return None
    data = await upload.read(MAX_BYTES + 1)
    return None if len(data) > MAX_BYTES else data


def uploaded_files(files: object) -> list[Any]:
    """Only real uploaded files (a crafted event may send JSON instead)."""
    if not isinstance(files, list):
        return []
    return [item for item in files if isinstance(item, rx.UploadFile)]


class RecommendationFormState(RecommendationFormFields, SessionState):
    """The create form; photos wait in temp files until "Publish"."""

    _pending: dict[str, str] = {}  # photo slot id → temp file name (server-side only)
    _published_id: int = 0  # a second "Publish" click queued behind the first must not repost

    async def _discard_pending(self) -> None:
        names = list(self._pending.values())
        self._pending, self.photos = {}, []
        if names:
            await asyncio.to_thread(discard_uploads, names)

    @rx.event
    async def load(self):
        """on_load: an empty form; visibility preselected from the viewer's settings."""
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        await self._discard_pending()
        self._published_id = 0

        def read(db):
            try:
                default = privacy_view(db, actor=viewer).default_rec_visibility
            except ServiceError:
                default = ""
            return categories_list(db), str(default or "")

        categories, visibility = await asyncio.to_thread(run_transaction, read)
        self._start_form(
            {**EMPTY_INITIAL, "visibility": visibility}, [], categories, own_category=None
        )
        return None

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        """Check each chosen photo now; keep the good ones (at most 5 in all)."""
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        self._clear_photo_errors()
        error, added = "", 0
        for upload in uploaded_files(files):
            if len(self.photos) >= MAX_PHOTOS:
                error = error or TOO_MANY_PHOTOS
                break
            data = await read_limited(upload)
            if data is None:
                error = error or SIZE_MESSAGE
                continue
            try:
                name, preview = await asyncio.to_thread(keep_upload, data)
            except ImageRejected as rejected:
                error = error or rejected.message
                continue
            slot = secrets.token_hex(8)
            self._pending = {**self._pending, slot: name}
            first = not self.photos
            self.photos = [
                *self.photos,
                {"id": slot, "preview": preview, "caption": "",
                 "primary": "yes" if first else "", "error": ""},
            ]  # fmt: skip
            added += 1
        self._photos_outcome(error, added)
        return rx.clear_selected_files(CREATE_UPLOAD_ID)

    @rx.event
    def photos_rejected(self, codes: list[str]):
        """The file picker refused files before upload (too many, or not an image type)."""
        self._clear_photo_errors()
        self._photos_outcome(rejected_message(codes), 0)

    def _slot_index(self, slot: object) -> int:
        for index, photo in enumerate(self.photos):
            if photo["id"] == slot:
                return index
        return -1

    @rx.event
    def set_caption(self, slot: str, caption: str):
        """Caption of a pending photo (checked by the service on publish)."""
        index = self._slot_index(slot)
        if index >= 0:
            photos = [dict(photo) for photo in self.photos]
            photos[index]["caption"] = str(caption)[:MAX_CAPTION_INPUT]
            self.photos = photos

    @rx.event
    def set_primary(self, slot: str):
        """Make one pending photo the primary one."""
        if self._slot_index(slot) >= 0:
            self.photos = [
                {**photo, "primary": "yes" if photo["id"] == slot else ""} for photo in self.photos
            ]

    @rx.event
    def move_photo(self, slot: str, step: int):
        """Move a pending photo one place up (-1) or down (+1)."""
        index = self._slot_index(slot)
        target = index + (1 if step == 1 else -1)
        if index >= 0 and 0 <= target < len(self.photos):
            photos = list(self.photos)
            photos[index], photos[target] = photos[target], photos[index]
            self.photos = photos

    @rx.event
    async def remove_photo(self, slot: str):
        """Drop a pending photo (its temp file is deleted)."""
        index = self._slot_index(slot)
        if index < 0:
            return
        name = self._pending.get(str(slot), "")
        self._pending = {key: value for key, value in self._pending.items() if key != slot}
        photos = [photo for photo in self.photos if photo["id"] != slot]
        if photos and not any(photo["primary"] for photo in photos):
            photos[0] = {**photos[0], "primary": "yes"}
        self.photos = photos
        self._clear_photo_errors()
        await asyncio.to_thread(discard_uploads, [name])

    @rx.event
    async def submit(self, form: dict):
        """Publish: validate everything, store it atomically, open the new page."""
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        if self._published_id:
            return rx.redirect(f"/recommendations/{self._published_id}")
        values = self._form_values(form)
        items = [
            (self._pending.get(photo["id"], ""), photo["caption"], photo["primary"] == "yes")
            for photo in self.photos
        ]
        uploads = await asyncio.to_thread(read_uploads, items)
        if uploads is None:
            await self._discard_pending()
            self._show_errors({"photos": MISSING_UPLOAD})
            return None
        now = datetime.now(UTC)
        try:
            detail = await asyncio.to_thread(
                run_transaction,
                lambda db: recommendation_create(
                    db, actor=viewer, form=RecommendationForm(**values), photos=uploads, now=now
                ),
            )
        except ValidationFailed as error:
            self._show_errors(error.field_errors)
            return None
        except ServiceError as error:
            self._show_errors({}, error.message)
            return None
        self._published_id = detail.id
        await self._discard_pending()
        self.errors, self.form_error = {}, ""
        return rx.redirect(f"/recommendations/{detail.id}")
