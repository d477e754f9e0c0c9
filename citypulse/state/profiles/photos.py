"""Avatar and cover upload with a crop chosen by the user (PRODUCT.md §2.2, §4.2.4, §5.5).

Flow: the browser uploads one file; the server checks it (type from the bytes, size,
pixels), keeps the bytes in a private temporary file (never under /_upload, never in a
public var) and sends back a small metadata-free preview as a data URL. The user picks
the crop with three labelled sliders (zoom 1–3×, horizontal and vertical position); on
"Save photo" the server turns them into a `CropBox` of the upright image and
`avatar_set` / `cover_set` crops, re-encodes and stores the photo.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import re
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path

import reflex as rx

from citypulse.media.processing import AVATAR_RATIO, COVER_RATIO, MAX_ZOOM, CropBox, encode_jpeg
from citypulse.media.processing import upright as upright_image
from citypulse.media.validation import MAX_BYTES, SIZE_MESSAGE, ImageRejected, validate_image_bytes
from citypulse.services import rate_limits
from citypulse.services.errors import ServiceError, ValidationFailed
from citypulse.services.profiles.media import (
    PHOTO_UPLOADS,
    avatar_remove,
    avatar_set,
    cover_remove,
    cover_set,
)
from citypulse.services.unit_of_work import run_transaction
from citypulse.settings import get_settings
from citypulse.state.profiles.profile import upload_href
from citypulse.state.session import SessionState

logger = logging.getLogger(__name__)

KINDS = {"avatar": AVATAR_RATIO, "cover": COVER_RATIO}
PREVIEW_SIZE = (640, 640)
TEMP_MAX_AGE_SECONDS = 3600
TEMP_NAME = re.compile(r"^[0-9a-f]{32}\.profilephoto$")
TEMP_MAX_FILES = 200  # bounds the disk used by crops never saved (each tab keeps at most one)
BUSY_MESSAGE = "Too many uploads are waiting right now. Please try again in a few minutes."
SAVED = {"avatar": "Profile photo saved.", "cover": "Cover photo saved."}
REMOVED = {"avatar": "Profile photo removed.", "cover": "Cover photo removed."}


def temp_dir() -> Path:
    """Private folder for uploads waiting for their crop (not served)."""
    folder = get_settings().data_dir / "tmp-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old_uploads(folder: Path) -> None:
    cutoff = time.time() - TEMP_MAX_AGE_SECONDS
    for path in folder.glob("*.profilephoto"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def _keep_upload(data: bytes) -> tuple[str, str, int, int]:
    """Validate, store privately and preview an upload. Blocking (CPU and disk).

    Returns (temp name, preview data URL, upright width, upright height).
    Raises ImageRejected with a message for the field.
    """
    validated = validate_image_bytes(data)
    preview = upright_image(validated.image)
    preview.thumbnail(PREVIEW_SIZE)
    preview_url = "data:image/jpeg;base64," + base64.b64encode(encode_jpeg(preview)).decode()
    folder = temp_dir()
    _forget_old_uploads(folder)
    if sum(1 for _ in folder.glob("*.profilephoto")) >= TEMP_MAX_FILES:
        raise ImageRejected(BUSY_MESSAGE)
    name = f"{secrets.token_hex(16)}.profilephoto"
    with (folder / name).open("xb") as handle:
        handle.write(data)
    return name, preview_url, validated.width, validated.height


def _temp_path(name: str) -> Path | None:
    return temp_dir() / name if TEMP_NAME.fullmatch(name or "") else None


def _discard(name: str) -> None:
    if path := _temp_path(name):
        path.unlink(missing_ok=True)


def crop_box(width: int, height: int, ratio: int, zoom: float, x: float, y: float) -> CropBox:
    """The crop of a `width`×`height` upright image for zoom 1–3× and positions 0–100 %."""
    largest = max(1, min(width, height * ratio))
    box_width = max(largest // MAX_ZOOM, int(largest / zoom), min(ratio, largest))
    box_height = max(1, round(box_width / ratio))
    left = round((width - box_width) * x / 100)
    top = round((height - box_height) * y / 100)
    return CropBox(max(0, left), max(0, top), box_width)


def _number(value: object, low: float, high: float) -> float | None:
    try:
        number = float(str(value))
    except ValueError:
        return None
    return min(high, max(low, number)) if number == number else None  # NaN check


class ProfilePhotoState(SessionState):
    """The current avatar and cover, and the crop step of a new one."""

    avatar_url: str = ""
    cover_url: str = ""
    editing: str = ""  # "", "avatar" or "cover"
    preview: str = ""  # data URL of the re-encoded, downscaled upload (the user's own)
    upload_serial: int = 0  # resets the sliders for each new upload
    zoom: float = 1.0
    offset_x: float = 50.0
    offset_y: float = 50.0
    frame: dict[str, str] = {}
    errors: dict[str, str] = {}
    message: str = ""
    _temp_name: str = ""
    _size: tuple[int, int] = (0, 0)

    def _show_current(self, avatar_url: str, cover_url: str) -> None:
        self.avatar_url, self.cover_url = avatar_url, cover_url
        self._cancel()
        self.errors, self.message = {}, ""

    def _cancel(self) -> None:
        _discard(self._temp_name)
        self._temp_name, self._size, self.editing, self.preview, self.frame = "", (0, 0), "", "", {}

    def _reframe(self) -> None:
        """Frame over the preview and the result preview, from the chosen crop."""
        width, height = self._size
        if not self.editing or not width:
            self.frame = {}
            return
        ratio = KINDS[self.editing]
        box = crop_box(width, height, ratio, self.zoom, self.offset_x, self.offset_y)
        box_height = max(1, round(box.width / ratio))
        self.frame = {
            "left": f"{box.x / width * 100:.3f}%",
            "top": f"{box.y / height * 100:.3f}%",
            "width": f"{box.width / width * 100:.3f}%",
            "height": f"{box_height / height * 100:.3f}%",
            "size": f"{width / box.width * 100:.3f}% auto",
            "position": f"{self.offset_x:g}% {self.offset_y:g}%",
            "zoom": f"{self.zoom:.1f}×",
        }

    async def _receive(self, kind: str, files: list[rx.UploadFile]):
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        self._cancel()
        self.errors, self.message = {}, ""
        if not files:
            self.errors = {kind: "Choose an image to upload"}
            return None
        now = datetime.now(UTC)
        try:  # refuse early when saving would be refused anyway (5 per 15 min)
            await asyncio.to_thread(
                run_transaction,
                lambda db: rate_limits.check(db, PHOTO_UPLOADS, str(viewer.user_id), now),
            )
        except ServiceError as error:
            self.errors = {kind: error.message}
            return None
        data = await files[0].read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            self.errors = {kind: SIZE_MESSAGE}
            return None
        try:
            name, preview, width, height = await asyncio.to_thread(_keep_upload, data)
        except ImageRejected as error:
            self.errors = {kind: error.message}
            return None
        self._temp_name, self._size = name, (width, height)
        self.editing, self.preview = kind, preview
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
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        kind, path = self.editing, _temp_path(self._temp_name)
        if kind not in KINDS or path is None or not path.exists():
            self._cancel()
            self.errors = {kind or "avatar": "Choose an image to upload"}
            return None
        width, height = self._size
        crop = crop_box(width, height, KINDS[kind], self.zoom, self.offset_x, self.offset_y)
        setter, now = (avatar_set if kind == "avatar" else cover_set), datetime.now(UTC)
        try:
            key = await asyncio.to_thread(
                run_transaction,
                lambda db: setter(db, actor=viewer, data=path.read_bytes(), crop=crop, now=now),
            )
        except ValidationFailed as error:
            self.errors = {kind: error.field_errors.get(kind, error.message)}
            return None
        except ServiceError as error:
            self.errors = {kind: error.message}
            return None
        if kind == "avatar":
            self.avatar_url = upload_href(key)
        else:
            self.cover_url = upload_href(key)
        self._cancel()
        self.errors, self.message = {}, SAVED[kind]
        return None

    @rx.event
    async def remove_photo(self, kind: str):
        """Remove the viewer's avatar or cover (a placeholder shows instead)."""
        if kind not in KINDS:
            return None
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        remove = avatar_remove if kind == "avatar" else cover_remove
        try:
            await asyncio.to_thread(run_transaction, lambda db: remove(db, actor=viewer))
        except ServiceError as error:
            self.errors = {kind: error.message}
            return None
        if kind == "avatar":
            self.avatar_url = ""
        else:
            self.cover_url = ""
        self.errors, self.message = {}, REMOVED[kind]
        return None
