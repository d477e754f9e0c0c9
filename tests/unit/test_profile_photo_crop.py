"""The crop chosen with the profile photo sliders is always one the media layer accepts."""

import itertools

import pytest

from citypulse.media.processing import AVATAR_RATIO, COVER_RATIO, centered_crop, check_crop
from citypulse.state.profiles.photo_views import crop_box

SIZES = [(1, 1), (2, 7), (3, 1), (400, 400), (600, 800), (800, 600), (1201, 399), (4000, 3000)]
ZOOMS = [1.0, 1.37, 2.0, 2.99, 3.0]
OFFSETS = [0.0, 12.5, 50.0, 99.9, 100.0]


@pytest.mark.parametrize("ratio", [AVATAR_RATIO, COVER_RATIO])
def test_every_slider_position_gives_a_valid_crop(ratio: int) -> None:
    for (width, height), zoom, x, y in itertools.product(SIZES, ZOOMS, OFFSETS, OFFSETS):
        if min(width, height * ratio) < ratio:
            continue  # no box of this shape fits at all: the service refuses such images
        box = crop_box(width, height, ratio, zoom, x, y)
        check_crop(box, width, height, ratio)  # raises CropRejected when invalid


def test_zoom_one_centred_is_the_default_crop() -> None:
    for width, height in SIZES[3:]:
        for ratio in (AVATAR_RATIO, COVER_RATIO):
            box = crop_box(width, height, ratio, 1.0, 50.0, 50.0)
            default = centered_crop(width, height, ratio)
            assert abs(box.x - default.x) <= ratio and abs(box.width - default.width) <= ratio
            assert abs(box.y - default.y) <= 1


def test_zoom_three_at_the_top_left_corner() -> None:
    box = crop_box(600, 800, AVATAR_RATIO, 3.0, 0.0, 0.0)
    assert (box.x, box.y, box.width) == (0, 0, 200)
