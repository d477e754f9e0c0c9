"""Staged uploads reach the services only for the user and tab that staged them.

The create form's publish and the profile photo's save load staged files inside the
action's transaction for the verified actor; a ref from another user or another tab,
or an expired one, is refused with a field error and nothing is written.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from citypulse.media import staging
from citypulse.media.processing import CropBox
from citypulse.media.staging import MAX_AGE_SECONDS, StagingOwner, stage
from citypulse.models import Photo, Profile, Recommendation
from citypulse.services.errors import ValidationFailed
from citypulse.settings import get_settings
from citypulse.state.profiles.photos import EXPIRED_MESSAGE, staged_photo_save
from citypulse.state.recommendations.form import MISSING_UPLOAD, recommendation_publish
from tests.integration.recommendations.support import form, viewer_for
from tests.integration.support import NOW, run_action
from tests.support import images
from tests.support.factories import create_category, create_user

TAB = "1" * 32
OTHER_TAB = "2" * 32


@pytest.fixture(autouse=True)
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path / "data")
    monkeypatch.setattr(get_settings(), "upload_dir", tmp_path / "public")
    monkeypatch.setattr(get_settings(), "rate_limit_multiplier", 1)
    return tmp_path / "public"


@pytest.fixture
def people(session: Session):
    alice = create_user(session, username="st_alice")
    bob = create_user(session, username="st_bob")
    return alice, bob, create_category(session, name="Staged bakery")


def staged(user, tab: str = TAB, size: tuple[int, int] = (640, 480)) -> str:
    owner = StagingOwner(user.id, tab)
    return stage(images.jpeg_with_gps(size), owner=owner, preview_size=(160, 120)).ref


def publish(session: Session, user, category, photos, tab: str = TAB):
    return run_action(
        session, recommendation_publish, actor=viewer_for(user), tab=tab, now=NOW,
        form=form(category_id=category.id), photos=photos,
    )  # fmt: skip


def counts(session: Session) -> tuple[int, int]:
    recs = session.execute(select(func.count(Recommendation.id))).scalar_one()
    photos = session.execute(select(func.count(Photo.id))).scalar_one()
    return recs, photos


def test_publish_stores_the_owners_staged_photos_in_order(session: Session, people, folders):
    alice, _bob, category = people
    # The EXIF orientation turns the stored 300×200 upright: 200 wide, 300 high.
    first, second = staged(alice, size=(300, 200)), staged(alice, size=(200, 300))
    detail = publish(session, alice, category, [(first, "Door", False), (second, "Buns", True)])
    rows = session.execute(
        select(Photo).where(Photo.recommendation_id == detail.id).order_by(Photo.position)
    ).scalars()
    assert [(p.caption, p.is_primary, p.width > p.height) for p in rows] == [
        ("Door", False, False),
        ("Buns", True, True),
    ]
    assert len(list(folders.iterdir())) == 4  # display image and thumbnail each
    # Staged files stay until the page discards them (a failed publish can be retried).
    assert staging.load(first, owner=StagingOwner(alice.id, TAB))


@pytest.mark.parametrize("stranger", ["other user", "other tab", "no tab"])
def test_publish_refuses_refs_staged_by_someone_else(session: Session, people, stranger):
    alice, bob, category = people
    ref = staged(alice)
    before = counts(session)
    user, tab = {"other user": (bob, TAB), "other tab": (alice, OTHER_TAB),
                 "no tab": (alice, "")}[stranger]  # fmt: skip
    with pytest.raises(ValidationFailed) as caught:
        publish(session, user, category, [(ref, "", True)], tab=tab)
    assert caught.value.field_errors == {"photos": MISSING_UPLOAD}
    assert counts(session) == before
    assert staging.load(ref, owner=StagingOwner(alice.id, TAB))  # untouched for its owner


def test_publish_refuses_expired_or_discarded_photos(session: Session, people) -> None:
    alice, _bob, category = people
    expired, discarded = staged(alice), staged(alice)
    past = time.time() - MAX_AGE_SECONDS - 60
    for path in staging.staging_dir().glob(f"{expired}.*"):
        os.utime(path, (past, past))
    staging.discard(discarded, owner=StagingOwner(alice.id, TAB))
    before = counts(session)
    for ref in (expired, discarded, "not-a-ref"):
        with pytest.raises(ValidationFailed, match=MISSING_UPLOAD):
            publish(session, alice, category, [(ref, "", True)])
    assert counts(session) == before


def test_publish_without_photos_needs_no_staging_tab(session: Session, people) -> None:
    alice, _bob, category = people
    detail = publish(session, alice, category, [], tab="")
    assert detail.photos == ()


def avatar_key(session: Session, user) -> str | None:
    return session.execute(
        select(Profile.avatar_key).where(Profile.user_id == user.id)
    ).scalar_one()


def save_avatar(session: Session, user, ref: str, tab: str = TAB) -> str:
    return run_action(
        session, staged_photo_save, actor=viewer_for(user), kind="avatar", ref=ref, tab=tab,
        crop=CropBox(0, 0, 480), now=NOW,
    )  # fmt: skip


def test_a_staged_profile_photo_is_saved_for_its_owner_only(session: Session, people, folders):
    alice, bob, _category = people
    ref = staged(alice)
    for user, tab in ((bob, TAB), (alice, OTHER_TAB)):
        with pytest.raises(ValidationFailed) as caught:
            save_avatar(session, user, ref, tab)
        assert caught.value.field_errors == {"avatar": EXPIRED_MESSAGE}
    assert avatar_key(session, alice) is None and avatar_key(session, bob) is None
    key = save_avatar(session, alice, ref)
    assert avatar_key(session, alice) == key and (folders / key).is_file()
