"""Stored images: random names under the upload folder, never a path from user input."""

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from citypulse.media import storage
from citypulse.media.processing import CropBox, prepare_avatar, prepare_photo
from citypulse.media.storage import (
    StoredPhoto,
    delete_stored,
    is_key,
    medium_key,
    medium_path,
    new_key,
    path_for,
    store_bytes,
    store_photo,
    store_processed,
    upload_dir,
)
from citypulse.media.validation import ImageRejected, validate_image_bytes
from citypulse.settings import get_settings
from tests.support import images

KEY = re.compile(r"^[0-9a-f]{32}\.jpg$")


@pytest.fixture
def uploads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "uploads"
    monkeypatch.setattr(get_settings(), "upload_dir", folder)
    return folder


def stored_names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def test_upload_dir_is_created_on_demand(uploads: Path) -> None:
    assert not uploads.exists()
    assert upload_dir() == uploads
    assert uploads.is_dir()


def test_store_bytes_writes_under_a_random_key(uploads: Path) -> None:
    first, second = store_bytes(b"one"), store_bytes(b"two")
    assert KEY.match(first) and KEY.match(second)
    assert first != second
    assert (uploads / first).read_bytes() == b"one"
    assert path_for(second).read_bytes() == b"two"
    assert stored_names(uploads) == sorted([first, second])  # no partial files left


def test_store_photo_from_a_validated_upload(uploads: Path) -> None:
    upload = validate_image_bytes(images.jpeg_with_gps((2400, 1800), orientation=6))
    stored = store_photo(upload)
    assert isinstance(stored, StoredPhoto)
    medium = medium_key(stored.image_key)
    assert stored_names(uploads) == sorted([stored.image_key, stored.thumb_key, medium])
    display = Image.open(path_for(stored.image_key))
    thumb = Image.open(path_for(stored.thumb_key))
    middle = Image.open(uploads / medium)
    assert display.format == thumb.format == middle.format == "JPEG"
    assert (stored.width, stored.height) == display.size == (900, 1200)  # upright, fitted
    assert thumb.size == (400, 300)
    assert middle.size == (800, 1067)  # the carousel's slot, same shape
    assert stored.file_size == path_for(stored.image_key).stat().st_size
    for image in (display, thumb, middle):
        assert not image.getexif()
        assert "exif" not in image.info
        assert "comment" not in image.info


def test_store_processed_writes_both_files(uploads: Path) -> None:
    photo = prepare_photo(validate_image_bytes(images.webp((90, 70))))
    stored = store_processed(photo)
    assert path_for(stored.image_key).read_bytes() == photo.display
    assert path_for(stored.thumb_key).read_bytes() == photo.thumbnail
    assert (stored.width, stored.height, stored.file_size) == (90, 70, len(photo.display))


def test_store_photo_still_takes_a_pillow_image(uploads: Path) -> None:
    stored = store_photo(images.pattern((1800, 900)))
    assert (stored.width, stored.height) == (1600, 800)
    assert Image.open(path_for(stored.thumb_key)).size == (400, 300)
    assert Image.open(medium_path(stored.image_key)).size == (800, 400)


def test_a_photo_no_wider_than_the_slot_gets_no_medium_copy(uploads: Path) -> None:
    stored = store_photo(images.pattern((800, 600)))
    assert stored_names(uploads) == sorted([stored.image_key, stored.thumb_key])


def test_a_failed_medium_write_leaves_nothing(
    uploads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = storage.write_new

    def failing(target: Path, data: bytes) -> None:
        if target.name.endswith(storage.MEDIUM_SUFFIX):  # the photo and thumbnail are in
            raise OSError("disk full")
        real_write(target, data)

    monkeypatch.setattr(storage, "write_new", failing)
    with pytest.raises(OSError, match="disk full"):
        store_photo(images.pattern((1600, 1200)))
    assert stored_names(uploads) == []


def test_deleting_a_photo_deletes_its_medium_copy(uploads: Path) -> None:
    kept = store_photo(images.pattern((1600, 1200)))
    gone = store_photo(images.pattern((1600, 1200)))
    delete_stored(gone.image_key, gone.thumb_key)
    assert stored_names(uploads) == sorted(
        [kept.image_key, kept.thumb_key, medium_key(kept.image_key)]
    )


def test_avatar_bytes_are_stored_like_any_other_file(uploads: Path) -> None:
    upload = validate_image_bytes(images.png_with_alpha((200, 200)))
    key = store_bytes(prepare_avatar(upload, CropBox(0, 0, 200)))
    assert Image.open(io.BytesIO(path_for(key).read_bytes())).size == (400, 400)


def test_refused_uploads_store_nothing(uploads: Path) -> None:
    for data in (images.minimal_pdf(), images.oversized_png(), images.truncated_jpeg()):
        with pytest.raises(ImageRejected):
            store_photo(validate_image_bytes(data))
    assert stored_names(uploads) == []


def test_a_failed_thumbnail_write_leaves_nothing(
    uploads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_store_bytes = storage.store_bytes
    calls: list[str] = []

    def failing_second_write(data: bytes) -> str:
        if calls:
            raise OSError("disk full")
        calls.append(real_store_bytes(data))
        return calls[-1]

    monkeypatch.setattr(storage, "store_bytes", failing_second_write)
    with pytest.raises(OSError, match="disk full"):
        store_photo(images.pattern((50, 50)))
    assert len(calls) == 1
    assert stored_names(uploads) == []


def test_store_bytes_never_overwrites(uploads: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    existing = store_bytes(b"first")
    monkeypatch.setattr(storage, "new_key", lambda: existing)
    with pytest.raises(FileExistsError):
        store_bytes(b"second")
    assert path_for(existing).read_bytes() == b"first"
    assert stored_names(uploads) == [existing]


def test_delete_stored_removes_files_and_ignores_missing_ones(uploads: Path) -> None:
    kept, removed = store_bytes(b"kept"), store_bytes(b"gone")
    delete_stored(removed, None, "", new_key())
    assert stored_names(uploads) == [kept]


@pytest.mark.parametrize(
    "key",
    [
        "../x",
        "../" + "a" * 32 + ".jpg",
        "/etc/passwd",
        "/var/uploads/" + "a" * 32 + ".jpg",
        "sub/" + "a" * 32 + ".jpg",
        "A" * 32 + ".jpg",
        "a" * 31 + ".jpg",
        "a" * 32 + ".png",
        "a" * 32 + ".jpg\n",
        "a" * 32 + ".jpg/..",
        "photo.jpg",
        "",
        ".",
    ],
)
def test_path_for_refuses_anything_but_a_generated_key(uploads: Path, key: str) -> None:
    with pytest.raises(ValueError, match="not a stored image key"):
        path_for(key)
    with pytest.raises(ValueError):
        delete_stored(key or "x")
    assert not is_key(key)


def test_path_for_accepts_generated_keys_inside_the_folder(uploads: Path) -> None:
    key = new_key()
    assert is_key(key)
    assert path_for(key) == uploads / key
    assert path_for(key).resolve().parent == uploads.resolve()
    assert len({new_key() for _ in range(1000)}) == 1000
