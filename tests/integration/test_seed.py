"""The demo seed: complete, consistent counters, EXIF-free photos, and idempotent."""

from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, text
from sqlmodel import Session, select

from citypulse.auth.passwords import verify_password
from citypulse.models import Achievement, Category, City, Photo, Recommendation, Trip, User
from citypulse.seed import seed_demo_data
from citypulse.seed.people import DEMO_PASSWORD, DEMO_USERS


@pytest.fixture
def seeded(session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Session:
    from citypulse.settings import get_settings

    monkeypatch.setattr(get_settings(), "upload_dir", tmp_path)
    seed_demo_data(session)
    return session


def count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_reference_data_is_complete(seeded: Session) -> None:
    assert count(seeded, Category) == 8
    assert count(seeded, Achievement) == 17
    assert count(seeded, City) >= 30
    assert seeded.exec(select(City).where(City.latitude == 0, City.longitude == 0)).all() == []


def test_demo_accounts_can_use_the_published_password(seeded: Session) -> None:
    users = {u.username: u for u in seeded.exec(select(User)).all()}
    assert {demo.username for demo in DEMO_USERS} <= set(users)
    assert users["admin"].role == "admin"
    assert users["mod"].role == users["mod2"].role == "moderator"
    assert all(u.email_verified_at is not None for u in users.values())
    assert verify_password(users["alice"].password_hash, DEMO_PASSWORD)


def test_counters_match_their_rows(seeded: Session) -> None:
    drift = seeded.execute(
        text(
            """SELECT count(*) FROM recommendations r WHERE
               likes_count <> (SELECT count(*) FROM likes WHERE recommendation_id = r.id)
            OR saves_count <> (SELECT count(*) FROM saves WHERE recommendation_id = r.id)
            OR ratings_count <> (SELECT count(*) FROM ratings WHERE recommendation_id = r.id)"""
        )
    ).scalar_one()
    assert drift == 0
    assert count(seeded, Recommendation) >= 60
    assert count(seeded, Trip) == 3


def test_no_one_likes_or_rates_their_own_recommendation(seeded: Session) -> None:
    own = seeded.execute(
        text(
            """SELECT count(*) FROM recommendations r
               JOIN likes l ON l.recommendation_id = r.id AND l.user_id = r.author_id"""
        )
    ).scalar_one()
    assert own == 0


def test_photos_exist_without_metadata(seeded: Session, tmp_path: Path) -> None:
    photos = seeded.exec(select(Photo)).all()
    assert photos
    for photo in photos[:5]:
        with Image.open(tmp_path / photo.image_key) as image:
            assert image.format == "JPEG"
            assert not image.getexif()
        assert (tmp_path / photo.thumb_key).exists()


def test_running_twice_changes_nothing(seeded: Session) -> None:
    before = (count(seeded, User), count(seeded, Recommendation), count(seeded, Photo))
    message = seed_demo_data(seeded)
    assert "already present" in message
    assert (count(seeded, User), count(seeded, Recommendation), count(seeded, Photo)) == before


def test_recommendations_are_searchable_by_tag_and_city(seeded: Session) -> None:
    found = (
        seeded.execute(
            text(
                "SELECT title FROM recommendations "
                "WHERE search_vector @@ websearch_to_tsquery('citypulse_english', 'coffee toronto')"
            )
        )
        .scalars()
        .all()
    )
    assert "Sam James Coffee Bar" in found
