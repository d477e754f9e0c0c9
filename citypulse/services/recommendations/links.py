"""Rows linked to a recommendation: its category, city, tags and search terms (§4.3.1).

Typed cities, custom categories and tags are inserted with ON CONFLICT DO NOTHING on
their case-insensitive unique indexes, so two people creating the same one at once both
end up using one row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlmodel import Session, col

from citypulse.models import (
    Category,
    City,
    Profile,
    Recommendation,
    RecommendationCity,
    RecommendationTag,
    Tag,
)
from citypulse.models.enums import Visibility
from citypulse.models.places import CITY_IDENTITY_SQL
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.recommendations.forms import CategoryChoice, CityChoice
from citypulse.services.recommendations.queries import tag_names
from citypulse.services.recommendations.search_terms import recommendation_search_terms

NEW_CATEGORIES_PER_DAY = 5
CATEGORY_LIMIT_ERROR = "You can add at most 5 new categories per day"


def category_quota_errors(
    session: Session, actor: Viewer, choice: CategoryChoice | None, now: datetime
) -> dict[str, str]:
    if choice is None or choice.category_id is not None:
        return {}
    created = session.execute(
        select(func.count(Category.id)).where(
            Category.created_by_id == actor.user_id, Category.created_at > now - timedelta(days=1)
        )
    ).scalar_one()
    return {"category": CATEGORY_LIMIT_ERROR} if created >= NEW_CATEGORIES_PER_DAY else {}


def resolve_category(
    session: Session, actor: Viewer, choice: CategoryChoice, now: datetime
) -> Category:
    """The chosen category, creating a custom one (a concurrent twin is reused)."""
    if choice.category_id is None:
        session.execute(
            text(
                "INSERT INTO categories (name, is_system, created_by_id, created_at, updated_at) "
                "VALUES (:name, false, :user_id, :now, :now) ON CONFLICT ((lower(name))) DO NOTHING"
            ),
            {"name": choice.name, "user_id": actor.user_id, "now": now},
        )
        return session.execute(
            select(Category).where(func.lower(Category.name) == choice.name.lower())
        ).scalar_one()
    return session.get_one(Category, choice.category_id)


def resolve_city(session: Session, choice: CityChoice) -> City:
    """The chosen city, creating a typed one without coordinates (a concurrent twin is reused)."""
    if choice.city_id is None:
        target = ", ".join(f"({expression})" for expression in CITY_IDENTITY_SQL)
        session.execute(
            text(
                "INSERT INTO cities (name, state_province, country) "
                f"VALUES (:name, :state, :country) ON CONFLICT ({target}) DO NOTHING"
            ),
            {"name": choice.name, "state": choice.state, "country": choice.country},
        )
        identity = " AND ".join(f"{e} = lower(btrim(:{k}))" for e, k in zip(
            CITY_IDENTITY_SQL, ("name", "state", "country"), strict=True))  # fmt: skip
        city_id = session.execute(
            text(f"SELECT id FROM cities WHERE {identity}"),
            {"name": choice.name, "state": choice.state or "", "country": choice.country},
        ).scalar_one()
        return session.get_one(City, city_id)
    return session.get_one(City, choice.city_id)


def add_city_visit(session: Session, user_id: int, city_id: int) -> None:
    session.execute(
        text(
            "INSERT INTO city_visits (user_id, city_id, source) "
            "VALUES (:user_id, :city_id, 'recommendation') ON CONFLICT DO NOTHING"
        ),
        {"user_id": user_id, "city_id": city_id},
    )


def set_tags(session: Session, recommendation_id: int, names: Sequence[str]) -> None:
    session.execute(
        RecommendationTag.__table__.delete().where(
            RecommendationTag.__table__.c.recommendation_id == recommendation_id
        )
    )
    for name in names:
        session.execute(
            text("INSERT INTO tags (name) VALUES (:name) ON CONFLICT ((lower(name))) DO NOTHING"),
            {"name": name},
        )
    if names:
        tag_ids = session.execute(select(Tag.id).where(col(Tag.name).in_(names))).scalars()
        session.add_all(
            RecommendationTag(recommendation_id=recommendation_id, tag_id=tag_id)
            for tag_id in tag_ids
        )
    session.flush()


def set_primary_city(session: Session, recommendation_id: int, city_id: int) -> None:
    links = (
        session.execute(
            select(RecommendationCity).where(
                RecommendationCity.recommendation_id == recommendation_id
            )
        )
        .scalars()
        .all()
    )
    primary = next((link for link in links if link.is_primary), None)
    existing = next((link for link in links if link.city_id == city_id), None)
    if existing is not None and existing is primary:
        return
    if existing is not None:  # a secondary city becomes the primary one
        if primary is not None:
            primary.is_primary = False
            session.flush()  # the one-primary index is not deferrable
        existing.is_primary = True
    elif primary is not None:
        primary.city_id = city_id
    else:
        session.add(
            RecommendationCity(
                recommendation_id=recommendation_id, city_id=city_id, is_primary=True
            )
        )
    session.flush()


def refresh_search_terms(session: Session, rec: Recommendation) -> None:
    city_names = session.execute(
        select(City.name)
        .join(RecommendationCity, col(RecommendationCity.city_id) == City.id)
        .where(RecommendationCity.recommendation_id == rec.id)
        .order_by(col(RecommendationCity.is_primary).desc(), col(City.name))
    ).scalars()
    category = session.get_one(Category, rec.category_id)
    rec.search_terms = recommendation_search_terms(
        tag_names(session, rec.id), list(city_names), category.name
    )


def default_visibility(session: Session, user_id: int) -> str:
    row = session.execute(select(Profile).where(Profile.user_id == user_id)).scalar_one_or_none()
    return row.default_rec_visibility if row else Visibility.public
