"""Stored images: random, unguessable names under the upload folder (PRODUCT.md §5.5).

No path is ever built from user input: keys are generated here and validated on read.
"""

from __future__ import annotations

import io
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from citypulse.settings import get_settings

DISPLAY_SIZE = (1600, 1200)
THUMBNAIL_SIZE = (400, 300)
JPEG_QUALITY = 85
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


def path_for(key: str) -> Path:
    """The file for a stored key; refuses anything that is not a generated key."""
    if not KEY_PATTERN.match(key):
        raise ValueError("not a stored image key")
    return upload_dir() / key


def encode_jpeg(image: Image.Image) -> bytes:
    """Re-encode as a JPEG without any metadata (EXIF, GPS, ICC comments)."""
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


def store_photo(image: Image.Image) -> StoredPhoto:
    """Orient, fit to the display size, write it and a cropped thumbnail. Blocking I/O."""
    oriented = ImageOps.exif_transpose(image)
    display = oriented.copy()
    display.thumbnail(DISPLAY_SIZE)
    thumbnail = ImageOps.fit(oriented, THUMBNAIL_SIZE)
    image_key, thumb_key = new_key(), new_key()
    display_bytes = encode_jpeg(display)
    path_for(image_key).write_bytes(display_bytes)
    path_for(thumb_key).write_bytes(encode_jpeg(thumbnail))
    return StoredPhoto(image_key, thumb_key, display.width, display.height, len(display_bytes))


def delete_stored(*keys: str | None) -> None:
    """Remove stored files; missing files are ignored."""
    for key in keys:
        if key:
            path_for(key).unlink(missing_ok=True)
