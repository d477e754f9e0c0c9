"""Stored images: random, unguessable names under the upload folder (PRODUCT.md §5.5).

No path is ever built from user input: keys are generated here and validated on read.
Everything written here has been re-encoded by `citypulse.media.processing` first.
Blocking I/O: call from `asyncio.to_thread` in async code.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from citypulse.media.processing import ProcessedPhoto, photo_from_image, prepare_photo
from citypulse.media.validation import ValidatedImage
from citypulse.settings import get_settings

KEY_PATTERN = re.compile(r"^[0-9a-f]{32}\.jpg$")


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


def store_bytes(data: bytes) -> str:
    """Write already processed JPEG bytes under a new random key and return the key.

    The file appears atomically (written aside, then renamed) and never replaces another.
    """
    key = new_key()
    target = path_for(key)
    partial = target.with_name(f".{key}.{secrets.token_hex(4)}.part")
    try:
        with partial.open("xb") as handle:
            handle.write(data)
        if target.exists():  # 2**-128: still, never overwrite a stored file
            raise FileExistsError(target)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return key


def store_processed(photo: ProcessedPhoto) -> StoredPhoto:
    """Write a processed photo and its thumbnail; on failure nothing stays behind."""
    image_key = store_bytes(photo.display)
    try:
        thumb_key = store_bytes(photo.thumbnail)
    except BaseException:
        delete_stored(image_key)
        raise
    return StoredPhoto(image_key, thumb_key, photo.width, photo.height, photo.file_size)


def store_photo(image: Image.Image | ValidatedImage) -> StoredPhoto:
    """Orient, fit to the display size, write it and a cropped thumbnail. Blocking.

    Accepts a validated upload or a trusted Pillow image (the demo seed draws its own).
    """
    if isinstance(image, ValidatedImage):
        return store_processed(prepare_photo(image))
    return store_processed(photo_from_image(image))


def delete_stored(*keys: str | None) -> None:
    """Remove stored files; missing files are ignored."""
    for key in keys:
        if key:
            path_for(key).unlink(missing_ok=True)
