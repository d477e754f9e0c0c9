"""Give Playwright an ffmpeg for video recording: Debian's, where it looks for its own.

Playwright records a failed test's video (`--video retain-on-failure`, issue 16) with an
ffmpeg it normally downloads (`playwright install ffmpeg`), which this machine cannot.
Debian's ffmpeg encodes the same VP8 WebM; `make browser` links it in place. Idempotent.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import playwright


def playwright_ffmpeg_path() -> Path:
    """Where this Playwright version runs ffmpeg from on Linux."""
    driver = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    revision = next(
        entry["revision"]
        for entry in json.loads(driver.read_text())["browsers"]
        if entry["name"] == "ffmpeg"
    )
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright"
    return Path(root) / f"ffmpeg-{revision}" / "ffmpeg-linux"


def main() -> int:
    system = shutil.which("ffmpeg")
    if system is None:
        print("ffmpeg_link: no ffmpeg on PATH (apt-get install ffmpeg)", file=sys.stderr)
        return 1
    link = playwright_ffmpeg_path()
    if link.exists():
        return 0
    link.parent.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)  # a dangling link left by an older ffmpeg
    link.symlink_to(system)
    return 0


if __name__ == "__main__":
    sys.exit(main())
