"""Seed the demo accounts of PRODUCT.md §7 with profiles, preferences and interests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NamedTuple

from sqlmodel import Session, select

from citypulse.auth.passwords import hash_password
from citypulse.models import (
    Category,
    City,
    TravelPreferences,
    User,
    UserInterest,
)
from citypulse.services.accounts.rows import add_account

DEMO_PASSWORD = "CityPulse#Demo1"
DEMO_EMAIL_DOMAIN = "citypulse.test"


class DemoUser(NamedTuple):
    username: str
    full_name: str
    role: str
    bio: str
    hometown: str
    current_city: str
    interests: tuple[str, ...]
    styles: tuple[str, ...]


DEMO_USERS = [
    DemoUser(
        "alice",
        "Alice Tremblay",
        "user",
        "Toronto local, coffee snob and weekend hiker.",
        "Montreal",
        "Toronto",
        ("Restaurant", "Nature"),
        ("cultural", "mid_range"),
    ),
    DemoUser(
        "bob",
        "Bob Okafor",
        "user",
        "London-based museum lover who travels by train.",
        "Lagos",
        "London",
        ("Attraction", "Transportation"),
        ("budget", "solo"),
    ),
    DemoUser(
        "carol",
        "Carol Rossi",
        "user",
        "Food writer chasing the perfect pastry across Europe.",
        "Rome",
        "Paris",
        ("Restaurant", "Shopping"),
        ("cultural", "relaxation"),
    ),
    DemoUser(
        "dave",
        "Dave Nakamura",
        "user",
        "Ramen, trails and night markets. Mostly in Asia.",
        "Vancouver",
        "Tokyo",
        ("Nature", "Entertainment"),
        ("adventure", "backpacking"),
    ),
    DemoUser(
        "mod",
        "Maya Singh",
        "moderator",
        "Community moderator. Be kind, be useful.",
        "Dublin",
        "Dublin",
        ("Attraction",),
        ("group",),
    ),
    DemoUser(
        "mod2",
        "Leo Martins",
        "moderator",
        "Community moderator and Lisbon guide.",
        "Porto",
        "Lisbon",
        ("Nature",),
        ("solo",),
    ),
    DemoUser("admin", "Ada Admin", "admin", "Keeps CityPulse running.", "Berlin", "Berlin", (), ()),
    # Travellers for the buddy pages (citypulse/seed/social.py); the acceptance journeys
    # of §7 use only the accounts above.
    DemoUser(
        "felix",
        "Felix Wagner",
        "user",
        "Cyclist collecting bakeries across Europe.",
        "Vienna",
        "Berlin",
        ("Restaurant", "Activity"),
        ("adventure", "budget"),
    ),
    DemoUser(
        "gina",
        "Gina Park",
        "user",
        "Architecture walks and late-night jazz.",
        "Seoul",
        "Barcelona",
        ("Attraction", "Entertainment"),
        ("cultural",),
    ),
    DemoUser(
        "hugo",
        "Hugo Lambert",
        "user",
        "Slow travel, long trains, good books.",
        "Lyon",
        "Lisbon",
        ("Transportation", "Nature"),
        ("solo", "relaxation"),
    ),
    DemoUser(
        "iris",
        "Iris Novak",
        "user",
        "Weekend hikes and hidden viewpoints.",
        "Prague",
        "Amsterdam",
        ("Nature",),
        ("adventure",),
    ),
]


def demo_email(username: str) -> str:
    """The demo address of a demo account."""
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


def seed_users(
    session: Session, categories: dict[str, Category], cities: dict[str, City]
) -> dict[str, User]:
    """Create missing demo accounts (verified, active); return all of them by username."""
    users: dict[str, User] = {}
    password_hash: str | None = None
    now = datetime.now(UTC)
    for demo in DEMO_USERS:
        user = session.exec(select(User).where(User.username == demo.username)).first()
        if user is None:
            password_hash = password_hash or hash_password(DEMO_PASSWORD)
            user = User(
                username=demo.username,
                email=demo_email(demo.username),
                password_hash=password_hash,
                full_name=demo.full_name,
                role=demo.role,
                bio=demo.bio,
                hometown=demo.hometown,
                current_location=demo.current_city,
                email_verified_at=now,
                terms_accepted_at=now,
            )
            add_account(session, user, current_city_id=cities[demo.current_city].id)
            _add_user_rows(session, user, demo, categories)
        users[demo.username] = user
    session.flush()
    return users


def _add_user_rows(
    session: Session,
    user: User,
    demo: DemoUser,
    categories: dict[str, Category],
) -> None:
    """The demo travel styles and interests (the account rows exist already)."""
    preferences = session.exec(
        select(TravelPreferences).where(TravelPreferences.user_id == user.id)
    ).one()
    preferences.travel_styles = list(demo.styles)
    session.add(preferences)
    for interest in demo.interests:
        session.add(UserInterest(user_id=user.id, category_id=categories[interest].id))
