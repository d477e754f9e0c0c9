"""Staged uploads: checked on arrival, private, bound to their owner, expiring, capped."""

import io
import os
import time
from pathlib import Path

import pytest
from PIL import Image

from citypulse.media import staging
from citypulse.media.staging import (
    MAX_AGE_SECONDS,
    StagedUploadMissing,
    StagingFull,
    StagingOwner,
    cleanup,
    discard,
    discard_all,
    load,
    load_all,
    stage,
    staging_dir,
)
from citypulse.media.validation import ImageRejected
from citypulse.settings import get_settings
from tests.support import images

ALICE = StagingOwner(1, "a" * 32)
ALICE_OTHER_TAB = StagingOwner(1, "b" * 32)
BOB = StagingOwner(2, "a" * 32)
PREVIEW = (160, 120)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path / "data")
    monkeypatch.setattr(get_settings(), "upload_dir", tmp_path / "public")
    return tmp_path / "data"


def staged_files() -> list[Path]:
    return sorted(staging_dir().iterdir())


def age(seconds: float) -> None:
    """Make every staged file look `seconds` old."""
    past = time.time() - seconds
    for path in staged_files():
        os.utime(path, (past, past))


def test_stage_keeps_the_original_bytes_privately_under_a_random_name(tmp_path: Path) -> None:
    data = images.jpeg_with_gps((800, 600))
    staged = stage(data, owner=ALICE, preview_size=PREVIEW)
    assert len(staged.ref) == 32 and int(staged.ref, 16) >= 0
    assert (staged.width, staged.height) == (600, 800)  # upright: the EXIF rotates it
    [path] = staged_files()
    assert staged.ref in path.name and "alice" not in path.name and "1:" not in path.name
    assert path.read_bytes() == data
    assert not (tmp_path / "public").exists()  # nothing under the served folder
    assert load(staged.ref, owner=ALICE) == data
    assert stage(data, owner=ALICE, preview_size=PREVIEW).ref != staged.ref


def test_the_preview_is_small_upright_and_carries_no_metadata() -> None:
    staged = stage(images.jpeg_with_gps((800, 600)), owner=ALICE, preview_size=PREVIEW)
    preview = Image.open(io.BytesIO(staged.preview))
    assert preview.format == "JPEG"
    assert preview.width <= 160 and preview.height <= 120
    assert preview.height > preview.width  # turned upright like the staged dimensions
    assert not preview.getexif() and "exif" not in preview.info


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (images.minimal_pdf(), "Only JPEG, PNG or WebP images are allowed"),
        (images.gif(), "Only JPEG, PNG or WebP images are allowed"),
        (images.truncated_jpeg(), "This image could not be read"),
        (b"", "This image could not be read"),
        (images.png_header_only(9000, 9000), "Images must be at most 40 megapixels"),
    ],
)
def test_invalid_uploads_are_refused_and_nothing_is_staged(data: bytes, message: str) -> None:
    with pytest.raises(ImageRejected) as caught:
        stage(data, owner=ALICE, preview_size=PREVIEW)
    assert caught.value.message == message
    assert staged_files() == []


def test_oversized_uploads_are_refused_before_decoding() -> None:
    with pytest.raises(ImageRejected, match="10 MB or smaller"):
        stage(images.oversized_png(), owner=ALICE, preview_size=PREVIEW)
    assert staged_files() == []


def test_another_users_or_another_tabs_upload_cannot_be_loaded_or_discarded() -> None:
    data = images.webp()
    ref = stage(data, owner=ALICE, preview_size=PREVIEW).ref
    for stranger in (BOB, ALICE_OTHER_TAB):
        with pytest.raises(StagedUploadMissing):
            load(ref, owner=stranger)
        assert discard(ref, owner=stranger) is False
    assert load(ref, owner=ALICE) == data  # still there for its owner
    assert discard(ref, owner=ALICE) is True
    assert staged_files() == []
    with pytest.raises(StagedUploadMissing):
        load(ref, owner=ALICE)
    assert discard(ref, owner=ALICE) is False


@pytest.mark.parametrize(
    "ref", ["", "../../etc/passwd", "A" * 32, "0" * 31, "0" * 33, None, 7, "0" * 32 + "/x"]
)
def test_anything_but_a_generated_ref_is_missing(ref: object) -> None:
    stage(images.webp(), owner=ALICE, preview_size=PREVIEW)
    with pytest.raises(StagedUploadMissing):
        load(ref, owner=ALICE)  # type: ignore[arg-type]
    assert discard(ref, owner=ALICE) is False  # type: ignore[arg-type]
    assert len(staged_files()) == 1


def test_an_owner_needs_a_real_tab_secret() -> None:
    with pytest.raises(ValueError):
        StagingOwner(1, "")
    with pytest.raises(ValueError):
        StagingOwner(1, "short")


def test_expired_uploads_cannot_be_loaded_and_are_deleted() -> None:
    ref = stage(images.webp(), owner=ALICE, preview_size=PREVIEW).ref
    assert load(ref, owner=ALICE, now=time.time() + MAX_AGE_SECONDS - 60)
    with pytest.raises(StagedUploadMissing):
        load(ref, owner=ALICE, now=time.time() + MAX_AGE_SECONDS + 1)
    assert staged_files() == []


def test_cleanup_deletes_only_expired_uploads_and_stray_partial_writes() -> None:
    old = stage(images.webp(), owner=ALICE, preview_size=PREVIEW).ref
    (staging_dir() / ".0123.part").write_bytes(b"half a file")
    age(MAX_AGE_SECONDS + 60)
    fresh = stage(images.webp(), owner=BOB, preview_size=PREVIEW).ref  # runs cleanup first
    assert [path.name.split(".")[0] for path in staged_files()] == [fresh]
    with pytest.raises(StagedUploadMissing):
        load(old, owner=ALICE)
    assert cleanup() == 1
    assert cleanup(now=time.time() + MAX_AGE_SECONDS + 1) == 0
    assert staged_files() == []


def test_cleanup_looks_at_a_bounded_number_of_entries() -> None:
    for _ in range(5):
        stage(images.webp(), owner=ALICE, preview_size=PREVIEW)
    age(MAX_AGE_SECONDS + 60)
    assert cleanup(limit=2) == 0
    assert len(staged_files()) == 3  # only two were looked at
    assert cleanup() == 0
    assert staged_files() == []


def test_the_cap_refuses_new_uploads_until_old_ones_expire(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(staging, "MAX_FILES", 3)
    refs = [stage(images.webp(), owner=ALICE, preview_size=PREVIEW).ref for _ in range(3)]
    with pytest.raises(StagingFull) as caught:
        stage(images.webp(), owner=BOB, preview_size=PREVIEW)
    assert "Too many uploads are waiting" in caught.value.message
    assert isinstance(caught.value, ImageRejected)  # shown under the field like any refusal
    assert len(staged_files()) == 3
    discard(refs[0], owner=ALICE)
    stage(images.webp(), owner=BOB, preview_size=PREVIEW)  # room again
    age(MAX_AGE_SECONDS + 60)
    stage(images.webp(), owner=BOB, preview_size=PREVIEW)  # the expired ones made room
    assert len(staged_files()) == 1


def test_load_all_and_discard_all_act_on_the_owners_uploads_only() -> None:
    first = stage(images.webp((20, 10)), owner=ALICE, preview_size=PREVIEW).ref
    second = stage(images.webp((30, 10)), owner=ALICE, preview_size=PREVIEW).ref
    bobs = stage(images.webp((40, 10)), owner=BOB, preview_size=PREVIEW).ref
    widths = [Image.open(io.BytesIO(data)).width for data in load_all([second, first], owner=ALICE)]
    assert widths == [30, 20]
    with pytest.raises(StagedUploadMissing):
        load_all([first, bobs], owner=ALICE)
    discard_all([first, second, bobs], owner=ALICE)
    assert [path.name.split(".")[0] for path in staged_files()] == [bobs]
