"""Image processing (PRODUCT.md §4.2.4, §4.3.1, §5.5): orient, fit, crop, strip metadata."""

import io

import pytest
from PIL import Image

from citypulse.media.processing import (
    AVATAR_RATIO,
    COVER_RATIO,
    CropBox,
    CropRejected,
    ProcessedPhoto,
    centered_crop,
    check_crop,
    default_avatar_crop,
    default_cover_crop,
    encode_jpeg,
    photo_from_image,
    prepare_avatar,
    prepare_cover,
    prepare_photo,
)
from citypulse.media.validation import ImageRejected, ValidatedImage, validate_image_bytes
from tests.support import images

RED, BLUE, WHITE = (220, 30, 30), (30, 30, 220), (255, 255, 255)
OUTSIDE = "The crop selection must lie inside the image"
SQUARE = "The crop selection must be square"
COVER_SHAPE = "The crop selection must be 3 times as wide as it is tall"
ZOOM = "The crop selection is too small: zoom in at most 3×"
INVALID = "The crop selection is not valid"


def validated(data: bytes) -> ValidatedImage:
    return validate_image_bytes(data)


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_bare_jpeg(data: bytes) -> Image.Image:
    """A JPEG with no EXIF, GPS, XMP, ICC profile or comment."""
    image = opened(data)
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    assert not image.getexif()
    assert not image.getexif().get_ifd(0x8825)
    for key in ("exif", "icc_profile", "comment", "xmp", "XML:com.adobe.xmp", "dpi"):
        assert key not in image.info, key
    assert not [marker for marker, _ in getattr(image, "applist", []) if marker != "APP0"]
    for needle in (b"Exif", b"CityPulseCam", b"shot at home", b"ICC_PROFILE", b"GPS"):
        assert needle not in data
    return image


def close(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


# --- photos -------------------------------------------------------------------------------


def test_gps_jpeg_source_really_carries_metadata() -> None:
    source = opened(images.jpeg_with_gps())
    exif = source.getexif()
    assert exif[0x0112] == 6
    assert exif.get_ifd(0x8825)  # GPS latitude/longitude present
    assert source.info.get("comment") == b"shot at home"


def test_photo_outputs_carry_no_metadata() -> None:
    photo = prepare_photo(validated(images.jpeg_with_gps((800, 600))))
    assert isinstance(photo, ProcessedPhoto)
    assert_bare_jpeg(photo.display)
    assert_bare_jpeg(photo.thumbnail)
    assert photo.file_size == len(photo.display)


def test_orientation_is_applied() -> None:
    # Stored 100×50 (red left, blue right) with orientation 6: viewed upright it is 50×100
    # with red on top (a 90° clockwise turn).
    photo = prepare_photo(validated(images.jpeg_with_gps((100, 50), orientation=6)))
    image = assert_bare_jpeg(photo.display)
    assert (photo.width, photo.height) == image.size == (50, 100)
    assert close(image.getpixel((25, 10)), RED)
    assert close(image.getpixel((25, 90)), BLUE)


def test_unrotated_photo_keeps_its_layout() -> None:
    photo = prepare_photo(validated(images.jpeg_with_gps((100, 50), orientation=1)))
    image = opened(photo.display)
    assert image.size == (100, 50)
    assert close(image.getpixel((10, 25)), RED)
    assert close(image.getpixel((90, 25)), BLUE)


@pytest.mark.parametrize(
    ("size", "display"),
    [
        ((4000, 1000), (1600, 400)),
        ((2000, 3000), (800, 1200)),
        ((3200, 2400), (1600, 1200)),
        ((300, 200), (300, 200)),  # never enlarged
    ],
)
def test_display_fits_within_1600_by_1200(size: tuple[int, int], display: tuple[int, int]) -> None:
    photo = prepare_photo(validated(images.encode(images.pattern(size), "JPEG")))
    assert (photo.width, photo.height) == opened(photo.display).size == display
    assert (photo.thumb_width, photo.thumb_height) == opened(photo.thumbnail).size == (400, 300)


def test_transparency_is_flattened_on_white() -> None:
    photo = prepare_photo(validated(images.png_with_alpha((80, 60))))
    image = assert_bare_jpeg(photo.display)
    assert close(image.getpixel((2, 2)), WHITE, 8)
    assert close(image.getpixel((40, 30)), (255, 0, 0))


@pytest.mark.parametrize(
    "data",
    [
        images.palette_png(),
        images.sixteen_bit_png(),
        images.cmyk_jpeg(),
        images.webp(),
        images.animated_webp(),
        images.animated_png(),
        images.jpeg_with_icc(),
        images.encode(Image.new("L", (30, 20), 128), "PNG"),
        images.encode(Image.new("LA", (30, 20), (128, 100)), "PNG"),
        images.encode(Image.new("1", (30, 20), 1), "PNG"),
    ],
    ids=[
        "palette",
        "16-bit",
        "cmyk",
        "webp",
        "anim-webp",
        "apng",
        "icc",
        "grey",
        "grey-alpha",
        "1bit",
    ],
)
def test_every_accepted_kind_becomes_a_bare_rgb_jpeg(data: bytes) -> None:
    photo = prepare_photo(validated(data))
    assert_bare_jpeg(photo.display)
    assert_bare_jpeg(photo.thumbnail)


def test_sixteen_bit_grey_keeps_its_brightness() -> None:
    photo = prepare_photo(validated(images.sixteen_bit_png()))  # 40000 / 65535 ≈ 156
    assert close(opened(photo.display).getpixel((5, 5)), (156, 156, 156), 6)


def test_animated_images_use_the_first_frame() -> None:
    photo = prepare_photo(validated(images.animated_webp()))
    assert close(opened(photo.display).getpixel((5, 5)), (255, 0, 0))


def test_photo_from_image_leaves_the_source_untouched() -> None:
    source = images.pattern((2000, 1500))
    photo = photo_from_image(source)
    assert source.size == (2000, 1500)
    assert (photo.width, photo.height) == (1600, 1200)


def test_encode_jpeg_drops_info_of_the_image_it_is_given() -> None:
    image = images.pattern((20, 20))
    image.info.update(comment=b"secret", exif=b"Exif\x00\x00junk", icc_profile=b"junk")
    assert_bare_jpeg(encode_jpeg(image))
    assert_bare_jpeg(encode_jpeg(image.convert("RGBA")))


# --- avatar and cover ---------------------------------------------------------------------


def test_avatar_is_the_chosen_square_at_400() -> None:
    source = validated(images.jpeg_with_gps((300, 200), orientation=1))  # red | blue
    left = opened(prepare_avatar(source, CropBox(0, 0, 150)))
    right = opened(prepare_avatar(source, CropBox(150, 0, 150, 150)))
    assert left.size == right.size == (400, 400)
    assert close(left.getpixel((200, 200)), RED)
    assert close(right.getpixel((200, 200)), BLUE)
    assert_bare_jpeg(prepare_avatar(source, CropBox(50, 0, 200)))


def test_cover_is_the_chosen_3_to_1_box_at_1200_by_400() -> None:
    source = validated(images.jpeg_with_gps((900, 600)))  # upright 600×900
    cover = assert_bare_jpeg(prepare_cover(source, CropBox(0, 100, 600, 200)))
    assert cover.size == (1200, 400)
    assert cover.size == opened(prepare_cover(source, CropBox(0, 0, 600))).size


def test_crops_use_upright_coordinates() -> None:
    source = validated(images.jpeg_with_gps((100, 50), orientation=6))  # upright 50×100
    top = opened(prepare_avatar(source, CropBox(0, 0, 50)))
    bottom = opened(prepare_avatar(source, CropBox(0, 50, 50)))
    assert close(top.getpixel((200, 200)), RED)
    assert close(bottom.getpixel((200, 200)), BLUE)
    with pytest.raises(CropRejected, match=OUTSIDE):
        prepare_avatar(source, CropBox(50, 0, 50))


def test_transparent_avatar_is_flattened() -> None:
    source = validated(images.png_with_alpha((80, 80)))
    avatar = opened(prepare_avatar(source, default_avatar_crop(source)))
    assert close(avatar.getpixel((5, 5)), WHITE, 8)


@pytest.mark.parametrize(
    ("crop", "message"),
    [
        (CropBox(-1, 0, 500), OUTSIDE),
        (CropBox(0, -1, 500), OUTSIDE),
        (CropBox(601, 0, 400), OUTSIDE),  # 601 + 400 > 1000
        (CropBox(0, 301, 500), OUTSIDE),  # 301 + 500 > 800
        (CropBox(0, 0, 900), OUTSIDE),  # larger than the shorter side
        (CropBox(0, 0, 0), OUTSIDE),
        (CropBox(0, 0, 400, 300), SQUARE),
        (CropBox(0, 0, 265), ZOOM),  # below 800 / 3
        (CropBox(1000, 800, 1, 1), OUTSIDE),
    ],
)
def test_bad_avatar_crops_are_refused(crop: CropBox, message: str) -> None:
    with pytest.raises(CropRejected) as caught:
        check_crop(crop, 1000, 800, AVATAR_RATIO)
    assert caught.value.message == message


@pytest.mark.parametrize(
    "crop",
    [CropBox(0, 0, 800), CropBox(200, 0, 800, 800), CropBox(0, 0, 266), CropBox(0, 0, 300, 301)],
)
def test_avatar_crops_between_zoom_1_and_3_are_accepted(crop: CropBox) -> None:
    left, top, right, bottom = check_crop(crop, 1000, 800, AVATAR_RATIO)
    assert (left, top) == (crop.x, crop.y)
    assert (right - left, bottom - top) == (crop.width, crop.height or crop.width)


@pytest.mark.parametrize(
    ("crop", "expected"),
    [
        (CropBox(0, 0, 1200), None),  # zoom 1 on 1200×800: the whole width
        (CropBox(0, 0, 1200, 400), None),
        (CropBox(0, 0, 400), None),  # zoom 3
        (CropBox(0, 0, 399), ZOOM),
        (CropBox(0, 0, 1200, 300), COVER_SHAPE),
        (CropBox(0, 0, 600, 600), COVER_SHAPE),
        (CropBox(1, 0, 1200), OUTSIDE),
        (CropBox(0, 500, 900), None),  # 500 + 300 = 800: touches the bottom edge
        (CropBox(0, 501, 900), OUTSIDE),
    ],
)
def test_cover_crop_rules(crop: CropBox, expected: str | None) -> None:
    if expected is None:
        check_crop(crop, 1200, 800, COVER_RATIO)
        return
    with pytest.raises(CropRejected) as caught:
        check_crop(crop, 1200, 800, COVER_RATIO)
    assert caught.value.message == expected


def test_cover_on_a_tall_image_is_limited_by_the_width() -> None:
    # 600×2000: the largest 3:1 box is 600×200; zoom 3 is 200×~67.
    check_crop(CropBox(0, 1000, 600), 600, 2000, COVER_RATIO)
    check_crop(CropBox(0, 0, 200), 600, 2000, COVER_RATIO)
    with pytest.raises(CropRejected, match=ZOOM):
        check_crop(CropBox(0, 0, 195), 600, 2000, COVER_RATIO)


def test_crop_rejected_is_an_image_rejection() -> None:
    assert issubclass(CropRejected, ImageRejected)
    source = validated(images.webp((90, 60)))
    with pytest.raises(ImageRejected, match=SQUARE):
        prepare_avatar(source, CropBox(0, 0, 60, 40))
    with pytest.raises(ImageRejected, match=COVER_SHAPE):
        prepare_cover(source, CropBox(0, 0, 60, 60))


@pytest.mark.parametrize(
    "values",
    [(0.0, 0, True, None), ("0", 0, 10, None), (0, 0, 10, 1.5), (0, None, 10, None)],
)
def test_crop_box_accepts_only_integers(values: tuple[object, ...]) -> None:
    with pytest.raises(CropRejected, match=INVALID):
        CropBox(*values)  # type: ignore[arg-type]


def test_crop_box_from_client_rounds_numbers() -> None:
    assert CropBox.from_client({"x": 10.4, "y": 0.6, "width": 333.33, "height": 111.1}) == (
        CropBox(10, 1, 333, 111)
    )
    assert CropBox.from_client({"x": 0, "y": 0, "width": 50}) == CropBox(0, 0, 50, None)
    for bad in (
        {"x": 0, "y": 0},
        {"x": float("nan"), "y": 0, "width": 5},
        {"x": 0, "y": float("inf"), "width": 5},
        {"x": "1", "y": 0, "width": 5},
        {"x": False, "y": 0, "width": 5},
    ):
        with pytest.raises(CropRejected, match=INVALID):
            CropBox.from_client(bad)


def test_centered_crops_are_zoom_1_and_valid() -> None:
    assert centered_crop(1000, 800, AVATAR_RATIO) == CropBox(100, 0, 800, 800)
    assert centered_crop(1000, 1000, COVER_RATIO) == CropBox(0, 333, 999, 333)
    assert centered_crop(600, 2000, COVER_RATIO) == CropBox(0, 900, 600, 200)
    source = validated(images.jpeg_with_gps((100, 50), orientation=6))
    assert default_avatar_crop(source) == CropBox(0, 25, 50, 50)
    assert default_cover_crop(source) == CropBox(1, 42, 48, 16)
    assert opened(prepare_cover(source, default_cover_crop(source))).size == (1200, 400)


def test_icc_profiles_are_applied_then_dropped() -> None:
    data = images.jpeg_with_icc((120, 90))
    assert opened(data).info.get("icc_profile")
    image = assert_bare_jpeg(prepare_photo(validated(data)).display)
    assert close(image.getpixel((10, 45)), RED)
    assert close(image.getpixel((110, 45)), BLUE)


def test_a_broken_icc_profile_is_ignored() -> None:
    data = images.encode(images.pattern((40, 40)), "JPEG", icc_profile=b"not a profile" * 20)
    assert_bare_jpeg(prepare_photo(validated(data)).display)
