"""Small row factories for integration tests: the minimum each table needs, nothing more.

Every factory adds its rows to `session` and flushes (ids are set, nothing is committed),
so the per-test rollback removes them. Keyword arguments override the defaults; anything
not covered is easiest set on the returned row.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from functools import cache

from sqlmodel import Session

from citypulse.auth.passwords import hash_password
from citypulse.models import (
    Category,
    City,
    Recommendation,
    User,
)
from citypulse.models.enums import AccountStatus, Role
from citypulse.services.accounts.rows import add_account

DEFAULT_PASSWORD = "Lisbon!Tram28"
_sequence = itertools.count(1)


@cache
def password_hash_for(password: str) -> str:
    """An argon2id hash of `password`, computed once per test run (hashing is slow)."""
    return hash_password(password)


def create_user(
    session: Session,
    *,
    username: str | None = None,
    email: str | None = None,
    full_name: str = "Test Traveller",
    password: str | None = DEFAULT_PASSWORD,
    verified: bool = True,
    status: AccountStatus = AccountStatus.active,
    role: Role = Role.user,
    now: datetime | None = None,
) -> User:
    """A user with its Profile, EmailPreferences and TravelPreferences rows.

    `password=None` makes a Google-only account (no password hash). The email defaults to
    `<username>@example.com`.
    """
    username = username or f"user_{next(_sequence)}"
    moment = now or datetime.now(UTC)
    user = User(
        username=username,
        email=(email or f"{username}@example.com").lower(),
        full_name=full_name,
        password_hash=password_hash_for(password) if password is not None else None,
        email_verified_at=moment if verified else None,
        terms_accepted_at=moment,
        account_status=status,
        role=role,
    )
    return add_account(session, user)


def create_category(session: Session, *, name: str | None = None) -> Category:
    """A (non-system) recommendation category."""
    category = Category(name=name or f"Category {next(_sequence)}")
    session.add(category)
    session.flush()
    return category


def create_city(session: Session, *, name: str | None = None, country: str = "Portugal") -> City:
    """A city with only its required columns."""
    city = City(name=name or f"City {next(_sequence)}", country=country)
    session.add(city)
    session.flush()
    return city


def create_recommendation(
    session: Session,
    *,
    author: User,
    category: Category | None = None,
    title: str = "Pastéis at dawn",
    description: str = "Warm custard tarts straight from the oven.",
    address: str = "Rua de Belém 84, Lisbon",
    author_rating: int = 5,
    visibility: str = "public",
) -> Recommendation:
    """A recommendation with only its required columns (no city, tag or photo links)."""
    recommendation = Recommendation(
        author_id=author.id,
        visibility=visibility,
        category_id=(category or create_category(session)).id,
        title=title,
        description=description,
        address=address,
        author_rating=author_rating,
    )
    session.add(recommendation)
    session.flush()
    return recommendation
