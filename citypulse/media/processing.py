"""Image processing: auto-orient, crop/fit, flatten to RGB and re-encode without metadata.

PRODUCT.md §4.2.4 (avatar 400×400, cover 1200×400), §4.3.1 (photos fitted to 1600×1200 plus
a 400×300 thumbnail) and §5.5. A photo wider than 800 px also gets an 800-wide copy: the
place page's carousel shows it in an 800 px slot (issue 15 item 11). Every output is a fresh
JPEG that carries no EXIF, GPS, XMP, ICC profile or comment. All functions are blocking
(CPU): call them in `asyncio.to_thread`.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass

from PIL import Image, ImageOps

from citypulse.media.validation import ImageRejected, ValidatedImage

try:  # colour management is optional in Pillow builds; without it profiles are just dropped
    from PIL import ImageCms
except ImportError:  # pragma: no cover - every wheel we use ships LittleCMS
    ImageCms = None  # type: ignore[assignment]

DISPLAY_SIZE = (1600, 1200)
THUMBNAIL_SIZE = (400, 300)
MEDIUM_WIDTH = 800  # the carousel's slot on a desktop (components/recommendation/carousel.py)
AVATAR_SIZE = (400, 400)
COVER_SIZE = (1200, 400)
AVATAR_RATIO = 1  # width / height of the avatar crop
COVER_RATIO = 3  # width / height of the cover crop
MAX_ZOOM = 3
JPEG_QUALITY = 85
BACKGROUND = (255, 255, 255)
RESAMPLE = Image.Resampling.LANCZOS

CROP_INVALID_MESSAGE = "The crop selection is not valid"
CROP_OUTSIDE_MESSAGE = "The crop selection must lie inside the image"
CROP_SQUARE_MESSAGE = "The crop selection must be square"
CROP_COVER_SHAPE_MESSAGE = "The crop selection must be 3 times as wide as it is tall"
CROP_ZOOM_MESSAGE = "The crop selection is too small: zoom in at most 3×"

_SIXTEEN_BIT_MODES = frozenset({"I", "I;16", "I;16L", "I;16B", "I;16N"})


class CropRejected(ImageRejected):
    """A crop box that does not fit the image or the required shape (a field message)."""


@dataclass(frozen=True)
class CropBox:
    """A crop chosen by the user, in pixels of the upright image (after auto-orient).

    `height` may be omitted: it is then derived from `width` and the required ratio (square
    for avatars, 3:1 for covers). Use `CropBox.from_client` for numbers coming from a
    browser cropper (floats are rounded there).
    """

    x: int
    y: int
    width: int
    height: int | None = None

    def __post_init__(self) -> None:
        values = (self.x, self.y, self.width, self.height if self.height is not None else 1)
        if any(isinstance(v, bool) or not isinstance(v, int) for v in values):
            raise CropRejected(CROP_INVALID_MESSAGE)

    @classmethod
    def from_client(cls, data: Mapping[str, object]) -> CropBox:
        """Build from `{"x", "y", "width"[, "height"]}` numbers (e.g. a cropper's pixels)."""

        def number(key: str) -> int:
            value = data.get(key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise CropRejected(CROP_INVALID_MESSAGE)
            if not math.isfinite(value):
                raise CropRejected(CROP_INVALID_MESSAGE)
            return round(value)

        height = number("height") if data.get("height") is not None else None
        return cls(number("x"), number("y"), number("width"), height)


@dataclass(frozen=True)
class ProcessedPhoto:
    """A recommendation photo ready to store: display JPEG (≤1600×1200), 400×300 thumb and,
    when the display is wider than MEDIUM_WIDTH, the same picture MEDIUM_WIDTH wide."""

    display: bytes
    width: int
    height: int
    thumbnail: bytes
    thumb_width: int
    thumb_height: int
    medium: bytes | None = None

    @property
    def file_size(self) -> int:
        return len(self.display)


# --- crop geometry ------------------------------------------------------------------------


def check_crop(crop: CropBox, width: int, height: int, ratio: int) -> tuple[int, int, int, int]:
    """Validate `crop` on a `width`×`height` upright image; returns (left, top, right, bottom).

    The box must have the shape `ratio` (width / height, ±1 px of rounding), lie inside the
    image and correspond to a zoom between 1× and 3×: its width is between a third of and
    the whole width of the largest box of that shape that fits the image.
    """
    crop_height = crop.height if crop.height is not None else round(crop.width / ratio)
    if abs(crop_height * ratio - crop.width) > ratio:
        raise CropRejected(CROP_SQUARE_MESSAGE if ratio == 1 else CROP_COVER_SHAPE_MESSAGE)
    if (
        crop.width < 1
        or crop_height < 1
        or crop.x < 0
        or crop.y < 0
        or crop.x + crop.width > width
        or crop.y + crop_height > height
    ):
        raise CropRejected(CROP_OUTSIDE_MESSAGE)
    largest_width = min(width, height * ratio)
    if crop.width < max(1, largest_width // MAX_ZOOM):
        raise CropRejected(CROP_ZOOM_MESSAGE)
    return crop.x, crop.y, crop.x + crop.width, crop.y + crop_height


def centered_crop(width: int, height: int, ratio: int) -> CropBox:
    """The largest centred box of shape `ratio` on a `width`×`height` image (zoom 1×)."""
    box_height = max(1, min(height, width // ratio))
    box_width = min(width, box_height * ratio)
    return CropBox((width - box_width) // 2, (height - box_height) // 2, box_width, box_height)


def default_avatar_crop(validated: ValidatedImage) -> CropBox:
    return centered_crop(validated.width, validated.height, AVATAR_RATIO)


def default_cover_crop(validated: ValidatedImage) -> CropBox:
    return centered_crop(validated.width, validated.height, COVER_RATIO)


# --- pixel pipeline -----------------------------------------------------------------------


def upright(image: Image.Image) -> Image.Image:
    """A copy of `image` turned by its EXIF orientation (first frame of an animation)."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # malformed EXIF: keep the stored orientation rather than refuse
        return image.copy()


def _working_copy(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when there is transparency, so that resampling is smooth and correct."""
    if image.mode in _SIXTEEN_BIT_MODES:  # 16-bit greyscale PNG: scale to 8 bits first
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L").convert("RGB")
    if image.mode == "RGBA" or image.has_transparency_data:
        return image.convert("RGBA")
    return image.convert("RGB")


def _flatten(image: Image.Image) -> Image.Image:
    """Composite transparency on white; always returns an RGB image."""
    if image.mode != "RGBA":
        return image.convert("RGB")
    background = Image.new("RGB", image.size, BACKGROUND)
    background.paste(image, mask=image.getchannel("A"))
    return background


@functools.cache
def _srgb_profile() -> object:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert RGB pixels from an embedded RGB profile (e.g. Display P3) to sRGB.

    The profile itself is never written out; converting keeps the colours right once it is
    gone. Unusable or non-RGB profiles are ignored.
    """
    if not icc_profile or ImageCms is None:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        if source.profile.xcolor_space.strip() != "RGB":
            return image
        converted = ImageCms.profileToProfile(image, source, _srgb_profile(), outputMode="RGB")
    except Exception:  # a broken profile is dropped, not fatal
        return image
    return converted if converted is not None else image


def _finish(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    return _to_srgb(_flatten(image), icc_profile)


def encode_jpeg(image: Image.Image) -> bytes:
    """Encode as a progressive JPEG (quality 85) carrying no metadata at all.

    The pixels are copied into a brand-new image first, so nothing from `image.info`
    (EXIF, GPS, XMP, ICC profile, comments, DPI) can reach the encoder.
    """
    rgb = image if image.mode == "RGB" else _flatten(_working_copy(image))
    bare = Image.new("RGB", rgb.size)
    bare.paste(rgb)
    buffer = io.BytesIO()
    bare.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def _medium(display: Image.Image) -> bytes | None:
    """`display` scaled down to MEDIUM_WIDTH (same shape), or None when it is not wider."""
    if display.width <= MEDIUM_WIDTH:
        return None
    height = max(1, round(display.height * MEDIUM_WIDTH / display.width))
    return encode_jpeg(display.resize((MEDIUM_WIDTH, height), RESAMPLE, reducing_gap=3.0))


def medium_from_display(data: bytes) -> bytes | None:
    """The MEDIUM_WIDTH copy of a stored display JPEG (ours, already processed), for photos
    stored before copies were made (`citypulse media-variants`)."""
    with Image.open(io.BytesIO(data)) as image:
        return _medium(image.convert("RGB"))


def photo_from_image(image: Image.Image) -> ProcessedPhoto:
    """Process any Pillow image (already trusted, e.g. drawn by the seed) as a photo."""
    turned = upright(image)
    icc_profile = turned.info.get("icc_profile")
    working = _working_copy(turned)
    working.thumbnail(DISPLAY_SIZE, RESAMPLE)
    display = _finish(working, icc_profile)
    thumbnail = ImageOps.fit(display, THUMBNAIL_SIZE, RESAMPLE)
    return ProcessedPhoto(
        display=encode_jpeg(display),
        width=display.width,
        height=display.height,
        thumbnail=encode_jpeg(thumbnail),
        thumb_width=thumbnail.width,
        thumb_height=thumbnail.height,
        medium=_medium(display),
    )


def prepare_photo(validated: ValidatedImage) -> ProcessedPhoto:
    """A recommendation photo: upright, fitted within 1600×1200 (never enlarged), plus a
    400×300 centre-cropped thumbnail; both metadata-free JPEGs."""
    return photo_from_image(validated.image)


def _cropped(validated: ValidatedImage, crop: CropBox, ratio: int, size: tuple[int, int]) -> bytes:
    turned = upright(validated.image)
    box = check_crop(crop, turned.width, turned.height, ratio)
    icc_profile = turned.info.get("icc_profile")
    region = _working_copy(turned.crop(box))
    resized = region.resize(size, RESAMPLE, reducing_gap=3.0)
    return encode_jpeg(_finish(resized, icc_profile))


def prepare_avatar(validated: ValidatedImage, crop: CropBox) -> bytes:
    """The user's square crop as a 400×400 metadata-free JPEG; raises `CropRejected`."""
    return _cropped(validated, crop, AVATAR_RATIO, AVATAR_SIZE)


def prepare_cover(validated: ValidatedImage, crop: CropBox) -> bytes:
    """The user's 3:1 crop as a 1200×400 metadata-free JPEG; raises `CropRejected`."""
    return _cropped(validated, crop, COVER_RATIO, COVER_SIZE)
