"""Locally drawn demo photos (no downloads): a skyline postcard per place."""

from __future__ import annotations

import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 900
PALETTES = [
    ((255, 183, 94), (237, 100, 166), (44, 62, 80)),
    ((135, 206, 235), (240, 248, 255), (47, 79, 79)),
    ((255, 222, 173), (255, 160, 122), (72, 61, 139)),
    ((176, 224, 230), (255, 250, 240), (25, 25, 112)),
    ((255, 204, 153), (204, 153, 255), (51, 51, 77)),
]


def draw_postcard(seed_text: str) -> Image.Image:
    """A deterministic skyline image for `seed_text` (same text, same picture)."""
    rng = random.Random(seed_text)  # noqa: S311 (decorative randomness)
    top, bottom, ink = rng.choice(PALETTES)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):
        t = y / HEIGHT
        draw.line(
            [(0, y), (WIDTH, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    sun_x, sun_r = rng.randint(150, WIDTH - 150), rng.randint(50, 110)
    draw.ellipse([sun_x - sun_r, 180 - sun_r, sun_x + sun_r, 180 + sun_r], fill=(255, 244, 214))
    x = 0
    while x < WIDTH:
        width, height = rng.randint(50, 140), rng.randint(150, 520)
        draw.rectangle([x, HEIGHT - height, x + width, HEIGHT], fill=ink)
        for wy in range(HEIGHT - height + 20, HEIGHT - 20, 40):
            for wx in range(x + 12, x + width - 12, 28):
                if rng.random() < 0.35:
                    draw.rectangle([wx, wy, wx + 10, wy + 16], fill=(255, 236, 160))
        x += width + rng.randint(0, 20)
    return image
