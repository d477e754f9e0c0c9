"""Seed the demo content: recommendations with photos, interactions, buddies and trips.

Counters are computed from the interaction rows in the same transaction, so they
match the rows exactly (ARCHITECTURE.md: counters never drift).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import text
from sqlmodel import Session, select

from citypulse.media.storage import store_photo
from citypulse.models import (
    Category,
    City,
    ItineraryItem,
    Like,
    Photo,
    Rating,
    Recommendation,
    RecommendationCity,
    RecommendationTag,
    Save,
    Tag,
    Trip,
    TripCity,
    TripCompanion,
    TripRecommendation,
    User,
    View,
)
from citypulse.seed.images import draw_postcard
from citypulse.seed.places import DemoPlace, demo_places
from citypulse.services.recommendations.search_terms import recommendation_search_terms

REVIEWS = [
    "Exactly as described, thank you for the tip!",
    "Went on a Tuesday and had it almost to myself.",
    "Worth every minute, I would go again tomorrow.",
    "Good, though busier than I expected at lunchtime.",
]
CITY_CURSOR_SPACING = timedelta(hours=7)  # spreads demo posts over the last weeks


def seed_recommendations(
    session: Session,
    users: dict[str, User],
    categories: dict[str, Category],
    cities: dict[str, City],
) -> list[Recommendation]:
    """Publish the demo places (with 1–2 generated photos each) in order, oldest first."""
    now = datetime.now(UTC)
    places = demo_places()
    recommendations = []
    tags: dict[str, Tag] = {}
    for index, place in enumerate(places):
        created_at = now - CITY_CURSOR_SPACING * (len(places) - index)
        recommendation = _recommendation(place, users, categories, cities, created_at)
        session.add(recommendation)
        session.flush()
        city = cities[place.city]
        session.add(
            RecommendationCity(
                recommendation_id=recommendation.id, city_id=city.id, is_primary=True
            )
        )
        for name in place.tags:
            tag = tags.get(name) or Tag(name=name)
            tags[name] = tag
            session.add(tag)
            session.flush()
            session.add(RecommendationTag(recommendation_id=recommendation.id, tag_id=tag.id))
        _add_photos(session, recommendation, place, photo_count=1 + index % 2)
        _add_city_visit(session, recommendation.author_id, city.id)
        recommendations.append(recommendation)
    session.flush()
    return recommendations


def _recommendation(
    place: DemoPlace,
    users: dict[str, User],
    categories: dict[str, Category],
    cities: dict[str, City],
    created_at: datetime,
) -> Recommendation:
    low, high = place.price
    city = cities[place.city]
    return Recommendation(
        author_id=users[place.author].id,
        title=place.title,
        description=place.description,
        category_id=categories[place.category].id,
        price_min=None if low is None else Decimal(str(low)),
        price_max=None if high is None else Decimal(str(high)),
        address=place.address,
        search_terms=recommendation_search_terms(place.tags, [place.city], place.category),
        latitude=city.latitude,
        longitude=city.longitude,
        best_months=[],
        author_rating=place.rating,
        visibility=place.visibility,
        created_at=created_at,
        updated_at=created_at,
    )


def _add_photos(
    session: Session, recommendation: Recommendation, place: DemoPlace, photo_count: int
) -> None:
    for position in range(photo_count):
        stored = store_photo(draw_postcard(f"{place.title}-{position}"))
        session.add(
            Photo(
                recommendation_id=recommendation.id,
                image_key=stored.image_key,
                thumb_key=stored.thumb_key,
                width=stored.width,
                height=stored.height,
                file_size=stored.file_size,
                caption=place.title if position == 0 else f"{place.city} nearby",
                position=position,
                is_primary=position == 0,
            )
        )


def _add_city_visit(session: Session, user_id: int, city_id: int) -> None:
    session.execute(
        text(
            "INSERT INTO city_visits (user_id, city_id, source) VALUES (:u, :c, 'recommendation') "
            "ON CONFLICT DO NOTHING"
        ),
        {"u": user_id, "c": city_id},
    )


def seed_interactions(
    session: Session, users: dict[str, User], recommendations: list[Recommendation]
) -> None:
    """Deterministic likes, saves, ratings and views by the demo users on public posts."""
    rng = random.Random(2026)  # noqa: S311 (reproducible demo data, not security)
    members = [users[name] for name in ("alice", "bob", "carol", "dave")]
    for recommendation in recommendations:
        if recommendation.visibility != "public":
            continue
        for member in members:
            if member.id == recommendation.author_id:
                continue
            if rng.random() < 0.45:
                session.add(Like(recommendation_id=recommendation.id, user_id=member.id))
            if rng.random() < 0.2:
                session.add(Save(recommendation_id=recommendation.id, user_id=member.id))
            if rng.random() < 0.3:
                review = rng.choice(REVIEWS) if rng.random() < 0.6 else None
                session.add(
                    Rating(
                        recommendation_id=recommendation.id,
                        user_id=member.id,
                        rating=rng.randint(3, 5),
                        review=review,
                    )
                )
            if rng.random() < 0.7:
                session.add(View(recommendation_id=recommendation.id, user_id=member.id))
    session.flush()
    _recount(session)


def _recount(session: Session) -> None:
    """Set every counter from the rows that cause it."""
    session.execute(
        text(
            """
            UPDATE recommendations r SET
              likes_count = (SELECT count(*) FROM likes WHERE recommendation_id = r.id),
              saves_count = (SELECT count(*) FROM saves WHERE recommendation_id = r.id),
              views_count = (SELECT count(*) FROM views WHERE recommendation_id = r.id),
              ratings_count = (SELECT count(*) FROM ratings WHERE recommendation_id = r.id),
              rating_avg = COALESCE(
                (SELECT round(avg(rating), 2) FROM ratings WHERE recommendation_id = r.id), 0)
            """
        )
    )


def seed_trips(session: Session, users: dict[str, User], cities: dict[str, City]) -> None:
    """alice's collaborative buddies-only trip (dave an accepted participant), bob's
    public Lisbon trip and carol's completed Lisbon trip with visited Places."""
    year = date.today().year + 1
    alices = _trip(
        session,
        users["alice"],
        "Toronto to Montreal by train",
        "friends_only",
        True,
        date(year, 6, 10),
        date(year, 6, 14),
        [(cities["Toronto"], 10, 12), (cities["Montreal"], 12, 14)],
    )
    # dave, alice's buddy, accepted her invitation: he plans the collaborative trip too.
    session.add(TripCompanion(trip_id=alices.id, user_id=users["dave"].id, role="participant",
                              status="accepted", invited_by_id=users["alice"].id,
                              responded_at=datetime.now(UTC)))  # fmt: skip
    _trip(session, users["bob"], "Lisbon long weekend", "public", False,
          date(year, 5, 1), date(year, 5, 5), [(cities["Lisbon"], 1, 5)])  # fmt: skip
    _completed_trip(session, users["carol"], cities["Lisbon"], year - 2)


def _completed_trip(session: Session, owner: User, city: City, year: int) -> None:
    """carol's completed public Lisbon trip: two days of activities and visited Places
    (public recommendations in Lisbon by others), and Lisbon among her visited cities."""
    trip = _trip(session, owner, "Lisbon in the spring", "public", False,
                 date(year, 4, 3), date(year, 4, 6), [(city, 3, 6)])  # fmt: skip
    trip.status = "completed"
    for day, title, kind in ((1, "Tram 28 across Alfama", "sightseeing"),
                             (2, "Pastries in Belém", "food")):  # fmt: skip
        session.add(ItineraryItem(trip_id=trip.id, day_number=day, title=title,
                                  activity_date=date(year, 4, 2 + day), activity_type=kind,
                                  status="completed", added_by_id=owner.id))  # fmt: skip
    visited = session.exec(
        select(Recommendation.id)
        .join(RecommendationCity, RecommendationCity.recommendation_id == Recommendation.id)
        .where(RecommendationCity.city_id == city.id, Recommendation.visibility == "public",
               Recommendation.author_id != owner.id)
        .order_by(Recommendation.id).limit(3)
    ).all()  # fmt: skip
    for recommendation_id in visited:
        session.add(TripRecommendation(trip_id=trip.id, recommendation_id=recommendation_id,
                                       status="visited", added_by_id=owner.id))  # fmt: skip
    session.execute(
        text(
            "INSERT INTO city_visits (user_id, city_id, visit_month, source) "
            "VALUES (:user_id, :city_id, :month, 'trip') ON CONFLICT DO NOTHING"
        ),
        {"user_id": owner.id, "city_id": city.id, "month": f"{year}-04"},
    )


def _trip(
    session: Session,
    owner: User,
    title: str,
    visibility: str,
    collaborative: bool,
    start: date,
    end: date,
    stops: list[tuple[City, int, int]],
) -> Trip:
    trip = Trip(
        owner_id=owner.id,
        title=title,
        description=f"{owner.full_name.split()[0]}'s plan: {title.lower()}.",
        start_date=start,
        end_date=end,
        visibility=visibility,
        is_collaborative=collaborative,
        currency="USD",
    )
    session.add(trip)
    session.flush()
    session.add(TripCompanion(trip_id=trip.id, user_id=owner.id, role="owner", status="accepted"))
    for position, (city, arrival_day, departure_day) in enumerate(stops, start=1):
        session.add(
            TripCity(
                trip_id=trip.id,
                city_id=city.id,
                position=position,
                arrival_date=start.replace(day=arrival_day),
                departure_date=start.replace(day=departure_day),
            )
        )
    return trip
