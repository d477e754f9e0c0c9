"""How a person signs in through the real UI, and where journeys get their accounts.

The same journeys run against the built-in harness and against a deployment given by
`--base-url` (issue 16, tests/e2e/support/target.py). Helpers for test writers:

- `create_member(name)` → email of a fresh verified account. Harness: a new row in the
  test database named `name`. Deployment: the next unused account of the QA pool
  (`cli qa-accounts`), so its username is NOT `name`: use `member_username(name)` for
  URLs such as /profile/<username>.
- `member_username(name)` → the username `create_member(name)` stands for.
- `password_for(email)` → the password of that account (DEMO_PASSWORD on the harness and
  for demo accounts, QA_ACCOUNT_PASSWORD for pool accounts on a deployment). Use it
  instead of DEMO_PASSWORD wherever a journey types a member's password.
- `fresh_identity(stem)` → (username, email) nobody has yet, for sign-up journeys; on a
  deployment both are QA addresses, so its mail is readable from /qa/outbox.
- `log_in(page, email, password)`, `log_in_as(page, name, email=…)` → the login form.
- `create_place(...)`, `make_buddies(...)` → rows straight in the test database: a test
  that calls them is skipped against a deployment (harness only).
- `needs_demo_data()` → skip against a deployment without the demo seed (alice, bob, …);
  the `demo_data` marker does the same for a whole test.
"""

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from citypulse.seed.people import DEMO_PASSWORD, demo_email
from tests.e2e.support import target

_pool: dict[str, str] = {}  # deployment runs: journey's name -> pool username


def log_in(page: Page, email: str, password: str, *, remember: bool = False) -> None:
    """Fill the login form and submit it (no assertion on the outcome)."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    if remember:
        page.get_by_label("Remember me").check()
    page.get_by_role("button", name="Log in").click()


def log_in_as(page: Page, username: str, *, remember: bool = False, email: str = "") -> None:
    """Sign an account (demo by default) in from /login and wait for the dashboard."""
    if not email:
        needs_demo_data()
    page.goto("/login")
    email = email or demo_email(username)
    log_in(page, email, password_for(email), remember=remember)
    expect(page).to_have_url(re.compile(r"/dashboard/?$"))


def needs_demo_data() -> None:
    """Skip the running test against a deployment that has no demo seed."""
    if target.is_external() and not target.current().demo_data:
        pytest.skip("uses the demo seed (alice, bob, …): set QA_DEMO_DATA=1 if the site has it")


def password_for(email: str) -> str:
    """The password of a demo account, or of an account `create_member` handed out."""
    if target.is_external() and target.is_qa_address(email):
        return _qa_password()
    return DEMO_PASSWORD


def _qa_password() -> str:
    password = target.current().qa_password
    if not password:
        pytest.skip("needs a QA account: set QA_ACCOUNT_PASSWORD (see `cli qa-accounts`)")
    return password


def member_username(name: str) -> str:
    """The username of the account `create_member(name)` returned."""
    return _pool.get(name, name) if target.is_external() else name


def create_member(username: str, password: str = DEMO_PASSWORD) -> str:
    """A fresh verified account, for journeys that change it. Returns its email.

    Demo accounts stay untouched for the other journeys. Against a deployment this is
    the next account of the QA pool (`password` must then be left as it is).
    """
    if target.is_external():
        return _take_from_pool(username)
    from citypulse.db import session_scope
    from tests.support.factories import create_user

    with session_scope() as session:
        user = create_user(session, username=username, password=password)
        return user.email


def _take_from_pool(name: str) -> str:
    """The next unused QA pool account (one per journey's name for the whole run)."""
    config = target.current()
    _qa_password()  # skip early, with the reason, when the run has no QA accounts
    if name not in _pool:
        number = len(_pool) + 1
        if number > config.pool_size:
            pytest.fail(
                f"the QA pool has {config.pool_size} accounts and this run needs more: "
                "run `cli qa-accounts --count N` with a larger N and set QA_ACCOUNT_COUNT"
            )
        _pool[name] = f"{config.prefix}{number:03d}"
    return f"{_pool[name]}@{config.domain}"


def fresh_identity(stem: str) -> tuple[str, str]:
    """A (username, email) no account has, for a journey that signs up through the UI."""
    if not target.is_external():
        return stem, f"{stem}@example.test"
    config = target.current()
    username = f"{config.prefix}{stem[:8]}_{secrets.token_hex(3)}"
    return username, f"{username}@{config.domain}"


def create_place(author_username: str, *, title: str, visibility: str = "public") -> int:
    """A recommendation by an existing account, straight in the app's database."""
    target.needs_harness("creates its recommendation in the test database")
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
    target.needs_harness("creates the buddy connection in the test database")
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
