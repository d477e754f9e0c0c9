"""Stored images: random, unguessable names under the upload folder (PRODUCT.md §5.5).

No path is ever built from user input: keys are generated here and validated on read.
Everything written here has been re-encoded by `citypulse.media.processing` first.
A photo's smaller copy (`medium_key`) lives next to it under a name derived from its key,
so the database names only the photo and deleting the photo deletes the copy too.
Blocking I/O: call from `asyncio.to_thread` in async code.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from citypulse.media.processing import (
    MEDIUM_WIDTH,
    ProcessedPhoto,
    medium_from_display,
    photo_from_image,
    prepare_photo,
)
from citypulse.media.validation import ValidatedImage
from citypulse.settings import get_settings

KEY_PATTERN = re.compile(r"^[0-9a-f]{32}\.jpg$")
MEDIUM_SUFFIX = f"-{MEDIUM_WIDTH}w.jpg"


@dataclass(frozen=True)
class StoredPhoto:
    """The keys and size of one stored photo with its thumbnail."""

    image_key: str
    thumb_key: str
    width: int
    height: int
    file_size: int


def upload_dir() -> Path:
    """The folder served publicly under /_upload."""
    folder = get_settings().upload_dir
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_key() -> str:
    """A random file name with 128 bits of entropy."""
    return f"{secrets.token_hex(16)}.jpg"


def is_key(value: object) -> bool:
    """Whether `value` has the shape of a generated key (says nothing about existence)."""
    return isinstance(value, str) and KEY_PATTERN.fullmatch(value) is not None


def path_for(key: str) -> Path:
    """The file for a stored key; refuses anything that is not a generated key."""
    if not is_key(key):
        raise ValueError("not a stored image key")
    return upload_dir() / key


def medium_key(key: str) -> str:
    """The name of the MEDIUM_WIDTH copy of the photo stored as `key` (may not exist)."""
    return path_for(key).name.removesuffix(".jpg") + MEDIUM_SUFFIX


def medium_path(key: str) -> Path:
    return upload_dir() / medium_key(key)


def store_bytes(data: bytes) -> str:
    """Write already processed JPEG bytes under a new random key and return the key."""
    key = new_key()
    write_new(upload_dir() / key, data)
    return key


def write_new(target: Path, data: bytes) -> None:
    """Write `target` atomically (written aside, then renamed); never replaces a file."""
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        with partial.open("xb") as handle:
            handle.write(data)
        if target.exists():  # 2**-128: still, never overwrite a stored file
            raise FileExistsError(target)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def store_processed(photo: ProcessedPhoto) -> StoredPhoto:
    """Write a processed photo, its thumbnail and its medium copy; on failure nothing stays."""
    image_key = store_bytes(photo.display)
    thumb_key = None
    try:
        thumb_key = store_bytes(photo.thumbnail)
        if photo.medium is not None:
            write_new(medium_path(image_key), photo.medium)
    except BaseException:
        delete_stored(image_key, thumb_key)
        raise
    return StoredPhoto(image_key, thumb_key, photo.width, photo.height, photo.file_size)


def write_medium_copy(key: str) -> bool:
    """Make the medium copy of a photo stored without one; False when there is nothing to
    do (a copy exists, the photo is gone or not wider than the copy). Blocking."""
    if not is_key(key):  # not a file of ours (e.g. an imported row): nothing to read
        return False
    source = path_for(key)
    target = medium_path(key)
    if target.exists() or not source.exists():
        return False
    data = medium_from_display(source.read_bytes())
    if data is None:
        return False
    try:
        write_new(target, data)
    except FileExistsError:  # made meanwhile by another run
        return False
    return True


def store_photo(image: Image.Image | ValidatedImage) -> StoredPhoto:
    """Orient, fit to the display size, write it and a cropped thumbnail. Blocking.

    Accepts a validated upload or a trusted Pillow image (the demo seed draws its own).
    """
    if isinstance(image, ValidatedImage):
        return store_processed(prepare_photo(image))
    return store_processed(photo_from_image(image))


def delete_stored(*keys: str | None) -> None:
    """Remove stored files and their medium copies; missing files are ignored."""
    for key in keys:
        if key:
            path_for(key).unlink(missing_ok=True)
            medium_path(key).unlink(missing_ok=True)
