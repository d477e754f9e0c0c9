"""A small searchable world: people, cities with coordinates, categories and places."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from citypulse.models import (
    Category,
    City,
    Photo,
    Profile,
    Recommendation,
    RecommendationCity,
    User,
)
from citypulse.services.accounts.viewer import Viewer
from tests.integration.interactions.support import viewer
from tests.integration.profiles.support import block, connect
from tests.integration.support import NOW
from tests.support.factories import create_category, create_user

__all__ = ["NOW", "World", "block", "connect", "make_world", "place", "viewer"]


@dataclass
class World:
    alice: User
    bob: User
    carol: User
    dave: User  # alice's buddy
    restaurant: Category
    cafe: Category
    lisbon: City
    porto: City
    places: dict[str, Recommendation] = field(default_factory=dict)

    def v(self, user: User) -> Viewer:
        return viewer(user)


_order = iter(range(1, 10_000))


def place(
    session: Session,
    *,
    author: User,
    title: str,
    category: Category,
    city: City,
    description: str = "A place worth the trip, really.",
    price: tuple[int, int] | None = None,
    rating: tuple[float, int] = (0, 0),
    coordinates: tuple[float, float] | None = None,
    visibility: str = "public",
    status: str = "active",
    photo: bool = False,
    **extra: Any,
) -> Recommendation:
    """A recommendation with its search terms (category and city), created in order."""
    rec = Recommendation(
        author_id=author.id,
        title=title,
        description=description,
        address=f"{city.name} centre",
        category_id=category.id,
        author_rating=5,
        visibility=visibility,
        status=status,
        price_min=None if price is None else Decimal(price[0]),
        price_max=None if price is None else Decimal(price[1]),
        rating_avg=Decimal(str(rating[0])),
        ratings_count=rating[1],
        latitude=None if coordinates is None else coordinates[0],
        longitude=None if coordinates is None else coordinates[1],
        search_terms=f"{city.name} {category.name}",
        created_at=NOW - timedelta(hours=1000 - next(_order)),
        **extra,
    )
    session.add(rec)
    session.flush()
    session.add(RecommendationCity(recommendation_id=rec.id, city_id=city.id, is_primary=True))
    if photo:
        session.add(
            Photo(
                recommendation_id=rec.id,
                image_key=f"p/{rec.id}.jpg",
                thumb_key=f"p/{rec.id}-t.jpg",
                width=10,
                height=10,
                file_size=10,
                position=0,
                is_primary=True,
            )
        )
    session.flush()
    return rec


def make_world(session: Session) -> World:
    alice = create_user(session, username="q_alice", full_name="Alice Martins")
    bob = create_user(session, username="q_bob", full_name="Bob Silva")
    carol = create_user(session, username="q_carol", full_name="Carol Reis")
    dave = create_user(session, username="q_dave", full_name="Dave Costa")
    connect(session, alice, dave)
    lisbon = City(name="Lisbonia", country="Portugal", latitude=38.72, longitude=-9.14)
    porto = City(name="Portuense", country="Portugal", latitude=41.15, longitude=-8.61)
    session.add_all([lisbon, porto])
    session.flush()
    world = World(
        alice,
        bob,
        carol,
        dave,
        create_category(session, name="Restaurantia"),
        create_category(session, name="Drinkery"),
        lisbon,
        porto,
    )
    return world


def set_private(session: Session, user: User, visibility: str = "private") -> None:
    profile = session.query(Profile).filter(Profile.user_id == user.id).one()
    profile.profile_visibility = visibility
    session.add(profile)
    session.flush()
