"""Helpers for the recommendation service tests: viewers, forms, photos and row counts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from citypulse.models import (
    BuddyConnection,
    Category,
    City,
    CityVisit,
    Photo,
    Recommendation,
    RecommendationCity,
    RecommendationTag,
    Tag,
    User,
)
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.recommendations.forms import RecommendationForm
from citypulse.services.recommendations.photos import PhotoUpload
from tests.support import images
from tests.support.factories import create_recommendation

COUNTED = (
    Recommendation,
    RecommendationCity,
    RecommendationTag,
    Tag,
    Photo,
    City,
    Category,
    CityVisit,
)


def viewer_for(user: User) -> Viewer:
    """The Viewer a signed-in request of `user` would carry."""
    return Viewer(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        status=user.account_status,
        family_id=uuid.uuid4(),
        suspended_until=None,
    )


def form(**overrides: Any) -> RecommendationForm:
    """A valid form (city typed as text, category by id must be given by the caller)."""
    values: dict[str, Any] = {
        "title": "Pilot Coffee Roasters",
        "description": "Small-batch espresso in an old brick warehouse by the water.",
        "city_text": "Toronto, Canada",
        "address": "50 Wagstaff Dr, Toronto",
        "author_rating": 4,
    }
    values.update(overrides)
    return RecommendationForm(**values)


def jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    """A small JPEG carrying GPS EXIF (as a phone would upload it)."""
    return images.jpeg_with_gps(size)


def upload(caption: str = "", *, primary: bool = False, data: bytes | None = None) -> PhotoUpload:
    return PhotoUpload(
        data=data if data is not None else jpeg(), caption=caption, is_primary=primary
    )


def befriend(session: Session, a: User, b: User) -> None:
    session.add(
        BuddyConnection(
            requester_id=a.id, addressee_id=b.id, status="accepted", responded_at=datetime.now(UTC)
        )
    )
    session.flush()


def table_counts(session: Session) -> dict[str, int]:
    """Row counts of every table a recommendation writes to."""
    return {
        model.__name__: session.execute(select(func.count()).select_from(model)).scalar_one()
        for model in COUNTED
    }


def stored_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def city(session: Session, name: str, country: str, state: str | None = None) -> City:
    row = City(name=name, country=country, state_province=state)
    session.add(row)
    session.flush()
    return row


def listed_rec(
    session: Session, *, author: User, city_row: City, created_at: datetime, **kwargs: Any
) -> Recommendation:
    """A recommendation row linked to `city_row` as its primary city, created at `created_at`."""
    rec = create_recommendation(session, author=author, **kwargs)
    rec.created_at = created_at
    session.add(RecommendationCity(recommendation_id=rec.id, city_id=city_row.id, is_primary=True))
    session.flush()
    return rec
