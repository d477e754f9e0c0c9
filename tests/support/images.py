"""Deterministic image fixtures built with Pillow (no files on disk, no network)."""

from __future__ import annotations

import io
import math
import random
import struct
import zlib

from PIL import ExifTags, Image, ImageCms, ImageDraw

GPS_IFD = 0x8825
ORIENTATION_TAG = 0x0112
ROTATE_90_CW = 6  # EXIF orientation: the stored image must be turned 90° clockwise to view


def encode(image: Image.Image, format_name: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format_name, **options)
    return buffer.getvalue()


def pattern(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A picture whose left half is red and right half blue (to check orientation)."""
    image = Image.new("RGB", size, (220, 30, 30))
    ImageDraw.Draw(image).rectangle([size[0] // 2, 0, size[0], size[1]], fill=(30, 30, 220))
    return image.convert(mode)


def gps_exif(orientation: int | None = ROTATE_90_CW) -> Image.Exif:
    """EXIF with camera make, a GPS position (Eiffel tower) and optionally an orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "CityPulseCam"
    exif[ExifTags.Base.Model] = "Test 1"
    if orientation is not None:
        exif[ORIENTATION_TAG] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 29.6)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 17.0, 40.2)
    return exif


def jpeg_with_gps(
    size: tuple[int, int] = (100, 50), orientation: int | None = ROTATE_90_CW
) -> bytes:
    """A JPEG with EXIF (GPS IFD 0x8825, orientation 6 by default) and a comment."""
    return encode(
        pattern(size),
        "JPEG",
        exif=gps_exif(orientation),
        comment=b"shot at home",
        quality=95,
    )


def srgb_icc_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def jpeg_with_icc(size: tuple[int, int] = (120, 90)) -> bytes:
    return encode(pattern(size), "JPEG", icc_profile=srgb_icc_profile())


def png_with_alpha(size: tuple[int, int] = (80, 60)) -> bytes:
    """A fully transparent PNG with an opaque red square in the middle."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    w, h = size
    ImageDraw.Draw(image).rectangle([w // 4, h // 4, 3 * w // 4, 3 * h // 4], fill=(255, 0, 0, 255))
    return encode(image, "PNG")


def palette_png(size: tuple[int, int] = (64, 64)) -> bytes:
    image = pattern(size).convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    return encode(image, "PNG", transparency=0)


def sixteen_bit_png(size: tuple[int, int] = (40, 30)) -> bytes:
    return encode(Image.new("I;16", size, 40000), "PNG")


def cmyk_jpeg(size: tuple[int, int] = (50, 40)) -> bytes:
    return encode(Image.new("CMYK", size, (0, 255, 255, 0)), "JPEG")


def webp(size: tuple[int, int] = (90, 70)) -> bytes:
    return encode(pattern(size), "WEBP", quality=90)


def animated_webp(size: tuple[int, int] = (60, 40)) -> bytes:
    """Two frames: red then green."""
    frames = [Image.new("RGB", size, (255, 0, 0)), Image.new("RGB", size, (0, 255, 0))]
    return encode(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100)


def animated_png(size: tuple[int, int] = (60, 40)) -> bytes:
    """An APNG with two frames: blue then yellow."""
    frames = [Image.new("RGB", size, (0, 0, 255)), Image.new("RGB", size, (255, 255, 0))]
    return encode(frames[0], "PNG", save_all=True, append_images=frames[1:], duration=100)


def gif(size: tuple[int, int] = (20, 20)) -> bytes:
    return encode(pattern(size), "GIF")


def minimal_pdf() -> bytes:
    """A valid one-page `%PDF-1.4` document (what a user might rename to photo.jpg)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref_at = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return body


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims `width`×`height` (8-bit RGB) with a token IDAT.

    Nothing of that size is ever materialised: a validator must refuse it from the header.
    """
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def truncated_jpeg(size: tuple[int, int] = (400, 300)) -> bytes:
    """A noisy JPEG cut at 60 % of its length: valid header, missing scan data."""
    data = encode(noise(size), "JPEG", quality=90)
    return data[: len(data) * 6 // 10]


def noise(size: tuple[int, int], seed: int = 4) -> Image.Image:
    """Incompressible RGB noise (deterministic)."""
    rng = random.Random(seed)
    return Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))


def oversized_png(min_bytes: int = 11 * 1024 * 1024) -> bytes:
    """A real, decodable PNG of random noise larger than `min_bytes` (11 MB by default)."""
    side = math.isqrt(min_bytes // 3) + 16
    data = encode(noise((side, side)), "PNG", compress_level=0)
    assert len(data) > min_bytes
    return data
