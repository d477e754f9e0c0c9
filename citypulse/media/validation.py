"""Upload validation: is this really a JPEG, PNG or WebP image of a bounded size?

PRODUCT.md §5.5 and ARCHITECTURE.md security invariant 5. The declared type and file name
are never consulted: the type comes from the bytes (magic number) and must be confirmed by
a successful Pillow decode. The byte size is checked before any parsing and the pixel count
from the header before the pixels are decoded. Blocking (CPU): call it in `asyncio.to_thread`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

from PIL import ExifTags, Image

MEGABYTE = 1024 * 1024
MAX_BYTES = 10 * MEGABYTE
MAX_PIXELS = 40_000_000

ImageFormat = Literal["JPEG", "PNG", "WEBP"]
MIME_TYPES: dict[str, str] = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
ALLOWED_FORMATS: tuple[ImageFormat, ...] = ("JPEG", "PNG", "WEBP")

TYPE_MESSAGE = "Only JPEG, PNG or WebP images are allowed"
SIZE_MESSAGE = "Images must be 10 MB or smaller"
PIXELS_MESSAGE = "Images must be at most 40 megapixels"
UNREADABLE_MESSAGE = "This image could not be read"

# EXIF orientations that swap width and height (rotations by 90° / 270°, transverse).
_SWAPPING_ORIENTATIONS = frozenset({5, 6, 7, 8})


class ImageRejected(ValueError):
    """An upload that is refused; `message` is safe to show under the form field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, eq=False)
class ValidatedImage:
    """A decoded image that passed every check (first frame only for animations).

    `width`/`height` are the upright dimensions, after the EXIF orientation is applied: the
    ones the user sees in the browser and the coordinate system of a `CropBox`.
    `image` is the decoded first frame, still in its stored orientation with its metadata;
    use `citypulse.media.processing` to produce anything that is stored or served.
    """

    image: Image.Image
    format: ImageFormat
    width: int
    height: int
    orientation: int
    byte_size: int
    frame_count: int

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[self.format]

    @property
    def is_animated(self) -> bool:
        return self.frame_count > 1


def sniff_format(data: bytes) -> ImageFormat | None:
    """The allowed image format announced by the magic number of `data`, if any."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _size_message(max_bytes: int) -> str:
    if max_bytes == MAX_BYTES:
        return SIZE_MESSAGE
    return f"Images must be {max_bytes / MEGABYTE:g} MB or smaller"


def _pixels_message(max_pixels: int) -> str:
    if max_pixels == MAX_PIXELS:
        return PIXELS_MESSAGE
    return f"Images must be at most {max_pixels / 1_000_000:g} megapixels"


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (1–8); 1 when absent or unreadable."""
    try:
        value = image.getexif().get(ExifTags.Base.Orientation, 1)
    except Exception:  # malformed EXIF must not make a good photo unusable
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def validate_image_bytes(
    data: bytes, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS
) -> ValidatedImage:
    """Check and decode an uploaded image, or raise `ImageRejected` with a field message.

    Order: byte size (before any parsing), magic number, header parse restricted to the
    allowed format, pixel count from the header (before decoding), then the full decode of
    the first frame. Whatever the decoder raises on hostile input becomes "could not be read".
    """
    if len(data) > max_bytes:
        raise ImageRejected(_size_message(max_bytes))
    if not data:
        raise ImageRejected(UNREADABLE_MESSAGE)
    detected = sniff_format(data)
    if detected is None:
        raise ImageRejected(TYPE_MESSAGE)
    try:
        # Lazy: only the header is parsed here. `formats` keeps every other decoder out.
        image = Image.open(io.BytesIO(data), formats=[detected])
    except Image.DecompressionBombError as error:  # > 2 × Image.MAX_IMAGE_PIXELS
        raise ImageRejected(_pixels_message(max_pixels)) from error
    except Exception as error:
        raise ImageRejected(UNREADABLE_MESSAGE) from error
    if image.format != detected:
        raise ImageRejected(TYPE_MESSAGE)
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ImageRejected(UNREADABLE_MESSAGE)
    if width * height > max_pixels:
        raise ImageRejected(_pixels_message(max_pixels))
    try:
        frame_count = int(getattr(image, "n_frames", 1))
        if frame_count > 1:
            image.seek(0)  # animations: only the first frame is ever decoded
        image.load()
    except Image.DecompressionBombError as error:
        raise ImageRejected(_pixels_message(max_pixels)) from error
    except Exception as error:  # truncated or corrupt data: OSError, SyntaxError, ...
        raise ImageRejected(UNREADABLE_MESSAGE) from error
    if image.size != (width, height):
        raise ImageRejected(UNREADABLE_MESSAGE)
    orientation = _orientation(image)
    if orientation in _SWAPPING_ORIENTATIONS:
        width, height = height, width
    return ValidatedImage(
        image=image,
        format=detected,
        width=width,
        height=height,
        orientation=orientation,
        byte_size=len(data),
        frame_count=max(frame_count, 1),
    )
