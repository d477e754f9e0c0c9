"""Helpers for the feed tests: people, posts at chosen times and interactions in windows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from citypulse.models import Category, Like, Rating, Recommendation, Save, User, UserInterest, View
from citypulse.services.feed.pages import FeedPage, feed_page
from tests.integration.interactions.support import viewer
from tests.integration.profiles.support import connect
from tests.support.factories import create_category, create_user

NOW = datetime.now(UTC).replace(microsecond=0)


@dataclass
class People:
    """alice (the viewer), bob and carol (strangers), dave (alice's buddy)."""

    alice: User
    bob: User
    carol: User
    dave: User


def make_people(session: Session) -> People:
    people = People(
        alice=create_user(session, username="f_alice", full_name="Alice Martins"),
        bob=create_user(session, username="f_bob", full_name="Bob Silva"),
        carol=create_user(session, username="f_carol", full_name="Carol Reis"),
        dave=create_user(session, username="f_dave", full_name="Dave Costa"),
    )
    connect(session, people.alice, people.dave)
    return people


def post(
    session: Session,
    author: User,
    category: Category | None = None,
    *,
    age: timedelta = timedelta(hours=1),
    visibility: str = "public",
    title: str = "A place worth the walk",
) -> Recommendation:
    """A recommendation by `author` created `age` before NOW."""
    rec = Recommendation(
        author_id=author.id, category_id=(category or create_category(session)).id,
        title=title, description="Worth a detour on any day of the week.",
        address="Somewhere 1", author_rating=4, visibility=visibility,
        created_at=NOW - age, updated_at=NOW - age,
    )  # fmt: skip
    session.add(rec)
    session.flush()
    return rec


def interests(session: Session, user: User, *categories: Category) -> None:
    for category in categories:
        session.add(UserInterest(user_id=user.id, category_id=category.id))
    session.flush()


def fans(session: Session, count: int) -> list[User]:
    return [create_user(session) for _ in range(count)]


def like(session: Session, rec: Recommendation, user: User, age: timedelta) -> None:
    session.add(Like(recommendation_id=rec.id, user_id=user.id, created_at=NOW - age))
    session.flush()


def save(session: Session, rec: Recommendation, user: User, age: timedelta) -> None:
    session.add(Save(recommendation_id=rec.id, user_id=user.id, created_at=NOW - age))
    session.flush()


def rate(session: Session, rec: Recommendation, user: User, age: timedelta) -> None:
    session.add(Rating(recommendation_id=rec.id, user_id=user.id, rating=5, created_at=NOW - age))
    session.flush()


def views(session: Session, rec: Recommendation, count: int, age: timedelta) -> None:
    for _ in range(count):
        session.add(View(recommendation_id=rec.id, created_at=NOW - age, viewed_at=NOW - age))
    session.flush()


def page(
    session: Session, user: User, tab: str, cursor: str | None = None, **kwargs: object
) -> FeedPage:
    kwargs.setdefault("now", NOW)
    return feed_page(session, viewer=viewer(user), tab=tab, cursor=cursor, **kwargs)


def ids(result: FeedPage) -> list[int]:
    return [item.card.id for item in result.items]


def scroll(session: Session, user: User, tab: str, **kwargs: object) -> list[int]:
    """Every id of a tab from the first page to the end."""
    seen: list[int] = []
    result = page(session, user, tab, **kwargs)
    seen += ids(result)
    while result.next_cursor is not None:
        result = page(session, user, tab, result.next_cursor, **kwargs)
        seen += ids(result)
    return seen


def same_session_factory(session: Session) -> Callable[[], AbstractContextManager[Session]]:
    """Background work (rankings made ahead, completions) in the test's own transaction
    (rolled back after it)."""

    @contextmanager
    def same_session() -> Iterator[Session]:
        yield session

    return same_session
