"""Helpers for the buddy finder and active buddies tests: people with profiles to match."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from citypulse.models import (
    Category,
    City,
    CityVisit,
    Profile,
    TravelPreferences,
    User,
    UserInterest,
)
from citypulse.models.enums import AccountStatus, Visibility
from citypulse.services.social.finder import FinderPage, find_buddies
from tests.integration.interactions.support import viewer
from tests.support.factories import create_user

# Later than any user another test (or a committed fixture) may have made, so in the
# newest-first list these people come first.
FUTURE = datetime(2031, 1, 1, tzinfo=UTC)
_minutes = itertools.count(1)


def person(
    session: Session,
    username: str,
    *,
    full_name: str | None = None,
    bio: str | None = None,
    visibility: Visibility = Visibility.public,
    requests_enabled: bool = True,
    status: AccountStatus = AccountStatus.active,
    verified: bool = True,
    created_at: datetime | None = None,
    current_city: City | None = None,
    location_sharing: bool = True,
    visited: Sequence[City] = (),
    styles: Sequence[str] = (),
    level: str | None = None,
    interests: Sequence[Category] = (),
) -> User:
    """A user with the profile, preferences, interests and visits the finder matches on.

    Each new person is one minute newer than the previous one unless `created_at` is given.
    """
    user = create_user(
        session,
        username=username,
        full_name=full_name or username.replace("_", " ").title(),
        status=status,
        verified=verified,
    )
    user.bio = bio
    user.created_at = created_at or FUTURE + timedelta(minutes=next(_minutes))
    session.add(user)
    profile = session.exec(select(Profile).where(Profile.user_id == user.id)).one()
    profile.profile_visibility = visibility
    profile.buddy_requests_enabled = requests_enabled
    profile.current_city_id = current_city.id if current_city else None
    profile.location_sharing = location_sharing
    session.add(profile)
    preferences = session.exec(
        select(TravelPreferences).where(TravelPreferences.user_id == user.id)
    ).one()
    preferences.travel_styles = list(styles)
    if level is not None:
        preferences.activity_level = level
    session.add(preferences)
    session.add_all(UserInterest(user_id=user.id, category_id=c.id) for c in interests)
    session.add_all(CityVisit(user_id=user.id, city_id=c.id) for c in visited)
    session.flush()
    return user


def find(session: Session, user: User, **filters: object) -> FinderPage:
    """`find_buddies` as `user` sees it."""
    return find_buddies(session, viewer=viewer(user), **filters)  # type: ignore[arg-type]


def names(page: FinderPage) -> list[str]:
    return [row.username for row in page.rows]


def every_page(session: Session, user: User, **filters: object) -> list[list[str]]:
    """The usernames of every page, following the cursors to the end."""
    pages, cursor = [], None
    while True:
        page = find(session, user, cursor=cursor, **filters)
        pages.append(names(page))
        if page.next_cursor is None:
            return pages
        cursor = page.next_cursor
