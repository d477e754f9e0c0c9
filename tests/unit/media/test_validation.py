"""Upload validation (PRODUCT.md §5.5): type from the bytes, size and pixel bounds."""

import io

import pytest
from PIL import Image

from citypulse.media import validation
from citypulse.media.validation import (
    MAX_BYTES,
    MAX_PIXELS,
    ImageRejected,
    ValidatedImage,
    sniff_format,
    validate_image_bytes,
)
from tests.support import images

TYPE = "Only JPEG, PNG or WebP images are allowed"
SIZE = "Images must be 10 MB or smaller"
PIXELS = "Images must be at most 40 megapixels"
UNREADABLE = "This image could not be read"


def rejection(data: bytes, **limits: int) -> str:
    with pytest.raises(ImageRejected) as caught:
        validate_image_bytes(data, **limits)
    assert str(caught.value) == caught.value.message
    return caught.value.message


def test_limits_match_the_product_rules() -> None:
    assert MAX_BYTES == 10 * 1024 * 1024
    assert MAX_PIXELS == 40_000_000
    assert issubclass(ImageRejected, ValueError)


@pytest.mark.parametrize(
    ("data", "format_name", "mime", "size"),
    [
        (images.jpeg_with_gps((100, 50), orientation=None), "JPEG", "image/jpeg", (100, 50)),
        (images.png_with_alpha((80, 60)), "PNG", "image/png", (80, 60)),
        (images.webp((90, 70)), "WEBP", "image/webp", (90, 70)),
    ],
    ids=["jpeg", "png", "webp"],
)
def test_accepts_jpeg_png_and_webp(
    data: bytes, format_name: str, mime: str, size: tuple[int, int]
) -> None:
    result = validate_image_bytes(data)
    assert isinstance(result, ValidatedImage)
    assert (result.format, result.mime_type) == (format_name, mime)
    assert (result.width, result.height) == size
    assert result.byte_size == len(data)
    assert not result.is_animated
    assert result.image.size == size


def test_reports_upright_dimensions_for_rotated_photos() -> None:
    result = validate_image_bytes(images.jpeg_with_gps((100, 50), orientation=6))
    assert result.orientation == 6
    assert (result.width, result.height) == (50, 100)
    assert result.image.size == (100, 50)  # the pixels themselves are turned by processing


def test_a_pdf_renamed_jpg_is_refused() -> None:
    # The file name and declared type never reach the validator: only the bytes count.
    assert rejection(images.minimal_pdf()) == TYPE


@pytest.mark.parametrize(
    "data",
    [
        images.gif(),
        images.encode(Image.new("RGB", (10, 10)), "BMP"),
        images.encode(Image.new("RGB", (10, 10)), "TIFF"),
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        b"<html><script>alert(1)</script></html>",
        b"RIFF\x10\x00\x00\x00WAVEfmt ",
    ],
    ids=["gif", "bmp", "tiff", "svg", "html", "wav"],
)
def test_other_types_are_refused(data: bytes) -> None:
    assert rejection(data) == TYPE


def test_an_11_mb_image_is_refused() -> None:
    data = images.oversized_png()
    assert len(data) > 11 * 1024 * 1024
    assert rejection(data) == SIZE


def test_size_is_checked_before_anything_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("Image.open called on an oversized upload")

    monkeypatch.setattr(validation.Image, "open", must_not_open)
    assert rejection(b"\xff\xd8\xff" + bytes(MAX_BYTES)) == SIZE
    assert rejection(b"%PDF-1.4" + bytes(MAX_BYTES)) == SIZE


def test_size_limit_is_inclusive_and_configurable() -> None:
    data = images.webp()
    assert validate_image_bytes(data, max_bytes=len(data)).byte_size == len(data)
    assert rejection(data, max_bytes=len(data) - 1).startswith("Images must be ")
    assert validation._size_message(2 * 1024 * 1024) == "Images must be 2 MB or smaller"


def test_more_than_40_megapixels_is_refused_from_the_header() -> None:
    # The IHDR claims 8000×6000 but carries no pixel data: only a header check can say
    # "too many pixels" rather than "could not be read".
    data = images.png_header_only(8000, 6000)
    assert len(data) < 100
    assert rejection(data) == PIXELS


def test_decompression_bombs_are_refused_as_too_many_pixels() -> None:
    # Beyond 2 × Image.MAX_IMAGE_PIXELS Pillow itself refuses to open the file.
    assert rejection(images.png_header_only(20_000, 20_000)) == PIXELS
    assert rejection(images.png_header_only(1_000_000, 1_000_000)) == PIXELS


def test_pixel_limit_is_inclusive_and_configurable() -> None:
    data = images.encode(images.pattern((100, 100)), "PNG")
    assert validate_image_bytes(data, max_pixels=10_000).width == 100
    assert rejection(data, max_pixels=9_999) == "Images must be at most 0.009999 megapixels"
    assert rejection(images.png_header_only(6000, 6000), max_pixels=30_000_000) == (
        "Images must be at most 30 megapixels"
    )


def test_40_megapixels_exactly_passes_the_pixel_check() -> None:
    # 8000×5000 = 40 MP: not refused for its size (it then fails to decode: no pixel data).
    assert rejection(images.png_header_only(8000, 5000)) == UNREADABLE


@pytest.mark.parametrize(
    "data",
    [
        images.truncated_jpeg(),
        b"\xff\xd8\xff\xe0" + b"\x00" * 64,
        b"\x89PNG\r\n\x1a\n" + b"garbage" * 10,
        b"RIFF\x20\x00\x00\x00WEBPVP8 " + b"\x00" * 20,
        b"\xff\xd8\xff" + images.png_with_alpha(),
        images.png_header_only(0, 10),
    ],
    ids=["truncated-jpeg", "jpeg-magic-only", "png-garbage", "webp-garbage", "png-as-jpeg", "0px"],
)
def test_undecodable_data_is_refused(data: bytes) -> None:
    assert rejection(data) == UNREADABLE


def test_empty_upload_is_refused() -> None:
    assert rejection(b"") == UNREADABLE


def test_the_whole_truncated_jpeg_header_is_fine_but_decoding_is_not() -> None:
    data = images.truncated_jpeg()
    assert Image.open(io.BytesIO(data)).size == (400, 300)  # the header alone looks valid
    assert rejection(data) == UNREADABLE


@pytest.mark.parametrize(
    ("data", "first_colour"),
    [(images.animated_webp(), (255, 0, 0)), (images.animated_png(), (0, 0, 255))],
    ids=["webp", "apng"],
)
def test_animated_images_keep_the_first_frame(
    data: bytes, first_colour: tuple[int, int, int]
) -> None:
    result = validate_image_bytes(data)
    assert result.is_animated
    assert result.frame_count == 2
    pixel = result.image.convert("RGB").getpixel((5, 5))
    assert all(abs(a - b) <= 8 for a, b in zip(pixel, first_colour, strict=True))


def test_sniffing_uses_magic_numbers_only() -> None:
    assert sniff_format(images.jpeg_with_gps()) == "JPEG"
    assert sniff_format(images.png_with_alpha()) == "PNG"
    assert sniff_format(images.webp()) == "WEBP"
    assert sniff_format(images.minimal_pdf()) is None
    assert sniff_format(b"RIFF") is None
