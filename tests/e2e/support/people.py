"""How a person signs in through the real UI (shared by the journeys)."""

import re

from playwright.sync_api import Page, expect

from citypulse.seed.people import DEMO_PASSWORD, demo_email


def log_in(page: Page, email: str, password: str, *, remember: bool = False) -> None:
    """Fill the login form and submit it (no assertion on the outcome)."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    if remember:
        page.get_by_label("Remember me").check()
    page.get_by_role("button", name="Log in").click()


def log_in_as(page: Page, username: str, *, remember: bool = False, email: str = "") -> None:
    """Sign an account (demo by default) in from /login and wait for the dashboard."""
    page.goto("/login")
    log_in(page, email or demo_email(username), DEMO_PASSWORD, remember=remember)
    expect(page).to_have_url(re.compile(r"/dashboard/?$"))


def create_member(username: str, password: str = DEMO_PASSWORD) -> str:
    """A fresh verified account in the app's database, for journeys that change it.

    Returns its email. Demo accounts stay untouched for the other journeys.
    """
    from citypulse.db import session_scope
    from tests.support.factories import create_user

    with session_scope() as session:
        user = create_user(session, username=username, password=password)
        return user.email


def create_place(author_username: str, *, title: str, visibility: str = "public") -> int:
    """A recommendation by an existing account, straight in the app's database."""
    from sqlmodel import select

    from citypulse.db import session_scope
    from citypulse.models import Category, User
    from tests.support.factories import create_recommendation

    with session_scope() as session:
        author = session.exec(select(User).where(User.username == author_username)).one()
        category = session.exec(select(Category).where(Category.name == "Restaurant")).one()
        place = create_recommendation(
            session, author=author, category=category, title=title, visibility=visibility
        )
        return place.id


def make_buddies(a: str, b: str) -> None:
    """An accepted buddy connection between two existing accounts."""
    from datetime import UTC, datetime

    from sqlmodel import select

    from citypulse.db import session_scope
    from citypulse.models import BuddyConnection, User

    with session_scope() as session:
        first = session.exec(select(User).where(User.username == a)).one()
        second = session.exec(select(User).where(User.username == b)).one()
        session.add(
            BuddyConnection(requester_id=first.id, addressee_id=second.id, status="accepted",
                            responded_at=datetime.now(UTC))
        )  # fmt: skip
