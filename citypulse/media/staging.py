"""Uploads waiting for the user's next step (publish, crop): one private staging folder.

A chosen photo is checked at once (`validate_image_bytes`: type from the bytes, size,
pixels) and its original bytes wait here until the user publishes or saves, under a
random 128-bit name that also carries a digest of its owner (the user and the browser
tab that staged it). Loading or discarding needs both the name and the same owner, so
no one can reference another user's (or another tab's) staged upload, even with its
name. The folder is never served. `stage`, `load` and `cleanup` block (Pillow, reads, a
directory scan): call them with `asyncio.to_thread` or inside a service call; `discard`
is a single unlink. No Reflex here: the state classes only call these functions.

One rule for every staged upload: it expires `MAX_AGE_SECONDS` after it was staged, and
at most `MAX_FILES` wait at once. `cleanup` is the only sweep; `stage` runs it (off the
event loop) before counting against the cap, and it looks at no more than `SCAN_LIMIT`
entries, so its cost stays bounded however the folder is used.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from citypulse.media.processing import encode_jpeg, upright
from citypulse.media.validation import ImageRejected, validate_image_bytes
from citypulse.settings import get_settings

MAX_AGE_SECONDS = 3 * 3600  # long enough to write a recommendation around its photos
MAX_FILES = 500  # bounds the disk used by uploads never published (10 MB each at most)
SCAN_LIMIT = 2 * MAX_FILES  # one cleanup pass never looks at more entries than this
FOLDER_NAME = "staging"
SUFFIX = ".staged"
BUSY_MESSAGE = "Too many uploads are waiting right now. Please try again in a few minutes."
_REF = re.compile(r"^[0-9a-f]{32}$")


class StagingFull(ImageRejected):
    """The cap is reached: the upload is refused (the message fits under the field)."""


class StagedUploadMissing(LookupError):
    """No such staged upload for this owner: never staged, discarded, expired or not yours."""


@dataclass(frozen=True)
class StagingOwner:
    """Who may use a staged upload: one signed-in user in one browser tab.

    `tab` is a random per-tab secret kept server-side by the caller (never the Reflex
    client token, which must not reach disk or logs).
    """

    user_id: int
    tab: str

    def __post_init__(self) -> None:
        if len(self.tab) < 16:  # an empty or short tab secret would let tabs share uploads
            raise ValueError("a staging owner needs a random tab secret")

    @property
    def digest(self) -> str:
        """What the file name carries instead of the owner itself."""
        return hashlib.sha256(f"{self.user_id}:{self.tab}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class StagedImage:
    """A staged upload: `ref` names it (keep it server-side), plus what the form shows.

    `width`/`height` are the upright dimensions (the crop's coordinate system);
    `preview` is a small re-encoded JPEG without any metadata.
    """

    ref: str
    width: int
    height: int
    preview: bytes


def staging_dir() -> Path:
    """The private folder of staged uploads (created on demand, never served)."""
    folder = get_settings().data_dir / FOLDER_NAME
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(ref: str, owner: StagingOwner) -> Path | None:
    """The file of `ref` for `owner`; None for anything that is not a generated ref."""
    if not isinstance(ref, str) or not _REF.fullmatch(ref):
        return None
    return staging_dir() / f"{ref}.{owner.digest}{SUFFIX}"


def cleanup(*, now: float | None = None, limit: int = SCAN_LIMIT) -> int:
    """Delete expired staged uploads (and stray partial writes); return how many remain.

    Looks at no more than `limit` entries. Blocking: never call it on the event loop.
    """
    cutoff = (time.time() if now is None else now) - MAX_AGE_SECONDS
    remaining = 0
    with os.scandir(staging_dir()) as entries:
        for seen, entry in enumerate(entries):
            if seen >= limit:
                break
            try:
                if entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
                elif entry.name.endswith(SUFFIX):
                    remaining += 1
            except FileNotFoundError:  # another worker's cleanup got there first
                continue
    return remaining


def _preview(image: Image.Image, size: tuple[int, int]) -> bytes:
    """A small upright JPEG of `image` without metadata (what the browser gets)."""
    small = upright(image)
    small.thumbnail(size)
    return encode_jpeg(small)


def stage(data: bytes, *, owner: StagingOwner, preview_size: tuple[int, int]) -> StagedImage:
    """Check an upload and keep its bytes for `owner`; returns the ref and a preview.

    Raises:
        ImageRejected: not an allowed image, too large, too many pixels, unreadable.
        StagingFull: `MAX_FILES` uploads are already waiting.
    """
    validated = validate_image_bytes(data)
    preview = _preview(validated.image, preview_size)
    if cleanup() >= MAX_FILES:
        raise StagingFull(BUSY_MESSAGE)
    ref = secrets.token_hex(16)
    path = staging_dir() / f"{ref}.{owner.digest}{SUFFIX}"
    partial = path.with_name(f".{ref}.part")
    try:
        with partial.open("xb") as handle:
            handle.write(data)
        os.replace(partial, path)  # the staged file appears whole or not at all
    finally:
        partial.unlink(missing_ok=True)
    return StagedImage(ref, validated.width, validated.height, preview)


def load(ref: str, *, owner: StagingOwner, now: float | None = None) -> bytes:
    """The bytes staged under `ref` by `owner` (they stay staged until discarded).

    Raises:
        StagedUploadMissing: unknown ref, another owner's, discarded or expired.
    """
    path = _path(ref, owner)
    try:
        if path is None:
            raise FileNotFoundError(ref)
        if path.stat().st_mtime < (time.time() if now is None else now) - MAX_AGE_SECONDS:
            path.unlink(missing_ok=True)
            raise FileNotFoundError(ref)
        return path.read_bytes()
    except FileNotFoundError as error:
        raise StagedUploadMissing(ref) from error


def discard(ref: str, *, owner: StagingOwner) -> bool:
    """Delete `owner`'s staged upload `ref`; False when there was none of theirs."""
    path = _path(ref, owner)
    try:
        if path is None:
            return False
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def discard_all(refs: list[str], *, owner: StagingOwner) -> None:
    """Delete several of `owner`'s staged uploads (unknown refs are ignored)."""
    for ref in refs:
        discard(ref, owner=owner)


def load_all(refs: list[str], *, owner: StagingOwner, now: float | None = None) -> list[bytes]:
    """The bytes of several staged uploads, in order.

    Raises:
        StagedUploadMissing: any one of them is gone (nothing is returned then).
    """
    return [load(ref, owner=owner, now=now) for ref in refs]
