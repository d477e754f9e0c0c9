"""Avatar and cover photos: crop, re-encode, replace, remove, limits (PRODUCT.md §4.2.4)."""

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import Session

from citypulse.media.processing import CropBox
from citypulse.services.errors import RateLimited, ValidationFailed
from citypulse.services.profiles.media import avatar_remove, avatar_set, cover_remove, cover_set
from tests.integration.profiles.support import People, profile_of, viewer_of
from tests.integration.support import NOW, run_action


def photo_bytes(size: tuple[int, int] = (900, 600), fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", size, (200, 60, 40))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif)
    return buffer.getvalue()


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def set_avatar(session: Session, user, data: bytes | None = None, crop=None) -> str:
    return run_action(
        session, avatar_set, actor=viewer_of(user), data=data or photo_bytes(), crop=crop, now=NOW
    )


def test_avatar_set_replace_and_remove_keep_only_the_current_file(
    session: Session, people: People, upload_dir: Path
) -> None:
    alice = people.alice
    first = set_avatar(session, alice, crop={"x": 100.4, "y": 0, "width": 600})
    assert files(upload_dir) == [first] and profile_of(session, alice).avatar_key == first
    with Image.open(upload_dir / first) as stored:
        assert (stored.format, stored.size) == ("JPEG", (400, 400))
        assert not stored.getexif() and "exif" not in stored.info
    second = set_avatar(session, alice, photo_bytes(fmt="PNG"))
    assert files(upload_dir) == [second] and second != first
    run_action(session, avatar_remove, actor=viewer_of(alice))
    assert files(upload_dir) == [] and profile_of(session, alice).avatar_key is None
    run_action(session, avatar_remove, actor=viewer_of(alice))  # nothing left to remove


def test_cover_uses_a_three_to_one_crop(session: Session, people: People, upload_dir: Path) -> None:
    alice = people.alice
    key = run_action(
        session,
        cover_set,
        actor=viewer_of(alice),
        data=photo_bytes((1500, 900)),
        crop=CropBox(0, 100, 1500, 500),
        now=NOW,
    )
    with Image.open(upload_dir / key) as stored:
        assert stored.size == (1200, 400)
    avatar = set_avatar(session, alice)
    run_action(session, cover_remove, actor=viewer_of(alice))
    assert files(upload_dir) == [avatar] and profile_of(session, alice).cover_key is None


@pytest.mark.parametrize(
    ("data", "crop", "message"),
    [
        (b"%PDF-1.7 not an image", None, "Only JPEG, PNG or WebP images are allowed"),
        (b"\xff\xd8\xff" + b"garbage" * 10, None, "This image could not be read"),
        (None, {"x": 0, "y": 0, "width": 600, "height": 300}, "The crop selection must be square"),
        (None, {"x": 500, "y": 0, "width": 600}, "The crop selection must lie inside the image"),
        (None, {"x": "0", "y": 0, "width": 600}, "The crop selection is not valid"),
        (None, "0,0,600", "The crop selection is not valid"),
    ],
)
def test_refused_uploads_store_nothing(
    session: Session, people: People, upload_dir: Path, data, crop, message: str
) -> None:
    old = set_avatar(session, people.alice)
    with pytest.raises(ValidationFailed) as caught:
        set_avatar(session, people.alice, data, crop)
    assert caught.value.field_errors == {"avatar": message}
    assert files(upload_dir) == [old] and profile_of(session, people.alice).avatar_key == old


def test_a_failed_transaction_removes_the_new_file_and_keeps_the_old(
    session: Session, people: People, upload_dir: Path
) -> None:
    old = set_avatar(session, people.alice)

    def set_then_fail(session: Session, **kwargs) -> None:
        avatar_set(session, **kwargs)
        raise RuntimeError("a later step of the same action failed")

    with pytest.raises(RuntimeError):
        run_action(
            session,
            set_then_fail,
            actor=viewer_of(people.alice),
            data=photo_bytes(),
            crop=None,
            now=NOW,
        )
    assert files(upload_dir) == [old]
    session.expire_all()
    assert profile_of(session, people.alice).avatar_key == old


def test_five_avatar_or_cover_uploads_per_fifteen_minutes(
    session: Session, people: People, upload_dir: Path
) -> None:
    alice = people.alice
    for _ in range(3):
        set_avatar(session, alice)
    for _ in range(2):
        run_action(
            session, cover_set, actor=viewer_of(alice), data=photo_bytes(), crop=None, now=NOW
        )
    with pytest.raises(RateLimited):
        set_avatar(session, alice)
    assert len(files(upload_dir)) == 2  # the current avatar and cover only
    set_avatar(session, people.bob)
