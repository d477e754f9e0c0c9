"""What the avatar/cover crop step shows: typed view models and the slider geometry.

The sliders give zoom 1–3× and positions 0–100 %; `crop_box` turns them into the
`CropBox` the media layer accepts, and `crop_frame` into the CSS of the frame drawn over
the preview and of the result preview.
"""

from __future__ import annotations

from dataclasses import dataclass

from citypulse.media.processing import MAX_ZOOM, CropBox


@dataclass(frozen=True)
class CropFrame:
    """CSS for the crop frame (percentages of the preview) and the result preview."""

    left: str = "0%"
    top: str = "0%"
    width: str = "100%"
    height: str = "100%"
    background_size: str = "100% auto"
    background_position: str = "50% 50%"
    zoom_label: str = "1.0×"


@dataclass(frozen=True)
class PhotoErrors:
    """Field errors of the two photos ('' when fine)."""

    avatar: str = ""
    cover: str = ""


def photo_error(kind: str, message: str) -> PhotoErrors:
    """`message` under the avatar or the cover."""
    return PhotoErrors(cover=message) if kind == "cover" else PhotoErrors(avatar=message)


def crop_box(width: int, height: int, ratio: int, zoom: float, x: float, y: float) -> CropBox:
    """The crop of a `width`×`height` upright image for zoom 1–3× and positions 0–100 %."""
    largest = max(1, min(width, height * ratio))
    box_width = max(largest // MAX_ZOOM, int(largest / zoom), min(ratio, largest))
    box_height = max(1, round(box_width / ratio))
    left = round((width - box_width) * x / 100)
    top = round((height - box_height) * y / 100)
    return CropBox(max(0, left), max(0, top), box_width)


def crop_frame(size: tuple[int, int], ratio: int, zoom: float, x: float, y: float) -> CropFrame:
    """The frame and result preview for the chosen crop of an image of `size`."""
    width, height = size
    if not width or not height:
        return CropFrame()
    box = crop_box(width, height, ratio, zoom, x, y)
    box_height = max(1, round(box.width / ratio))
    return CropFrame(
        left=f"{box.x / width * 100:.3f}%",
        top=f"{box.y / height * 100:.3f}%",
        width=f"{box.width / width * 100:.3f}%",
        height=f"{box_height / height * 100:.3f}%",
        background_size=f"{width / box.width * 100:.3f}% auto",
        background_position=f"{x:g}% {y:g}%",
        zoom_label=f"{zoom:.1f}×",
    )
