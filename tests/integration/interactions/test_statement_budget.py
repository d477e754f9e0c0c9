"""What a like and a page open cost the database, through the real unit of work.

The hot paths are one transaction each with a handful of prepared statements (issue 8:
a like was 2 transactions and ~12 ORM statements, a page open 6 transactions). These
budgets keep it that way. Like the concurrency test, this one commits for real.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, event
from sqlmodel import Session

from citypulse.auth.sessions import session_start
from citypulse.db import get_engine
from citypulse.models import Category, RateLimitHit, User
from citypulse.services.accounts.viewer import viewer_from_access_token
from citypulse.services.interactions.likes_saves import like_toggle
from citypulse.services.recommendations.page import Visit, recommendation_page
from citypulse.services.unit_of_work import run_transaction
from tests.integration.support import NOW
from tests.support.factories import create_category, create_recommendation, create_user

LIKE_BUDGET = 5  # viewer, rate limit, target, row, counters
FIRST_LIKE_BUDGET = LIKE_BUDGET + 2  # + the first-like memory and the notification
PAGE_BUDGET = 7  # viewer, page row, view lock + insert + counters, photos, ratings


@dataclass
class Scene:
    token: str
    rec_id: int
    user_ids: list[int]
    category_id: int


@dataclass
class Sent:
    statements: list[str] = field(default_factory=list)
    commits: int = 0


@pytest.fixture
def scene(engine: Engine) -> Iterator[Scene]:
    tag = secrets.token_hex(3)
    with Session(engine, expire_on_commit=False) as db:
        author = create_user(db, username=f"cost_author_{tag}")
        bob = create_user(db, username=f"cost_bob_{tag}")
        category = create_category(db, name=f"Cost {tag}")
        rec_id = create_recommendation(db, author=author, category=category).id
        issued = session_start(db, user_id=bob.id, remember_me=True, user_agent=None, ip=None,
                               now=NOW)  # fmt: skip
        db.commit()
    yield Scene(issued.access_token, rec_id, [author.id, bob.id], category.id)
    with Session(engine) as db:
        db.execute(sa.delete(User).where(User.id.in_([author.id, bob.id])))  # cascades
        db.execute(sa.delete(Category).where(Category.id == category.id))
        db.execute(sa.delete(RateLimitHit).where(RateLimitHit.key == f"interact:{bob.id}"))
        db.commit()


def measured(work: Callable[[Session], object]) -> tuple[object, Sent]:
    """Run `work` the way SessionState does (one `run_transaction`), recording the SQL."""
    sent, engine = Sent(), get_engine()

    def statement(_conn, _cursor, sql, *_args) -> None:
        sent.statements.append(sql)

    def commit(_conn) -> None:
        sent.commits += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        return run_transaction(work), sent
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)


def like(scene: Scene, now) -> tuple[object, Sent]:
    def work(db: Session):
        viewer = viewer_from_access_token(db, scene.token, now, live_connection=True)
        return like_toggle(db, actor=viewer, recommendation_id=scene.rec_id, now=now)

    return measured(work)


def test_a_like_is_one_transaction_of_a_few_statements(scene: Scene) -> None:
    state, sent = like(scene, NOW)
    assert state.liked and sent.commits == 1
    assert len(sent.statements) <= FIRST_LIKE_BUDGET, sent.statements
    for seconds in (1, 2):  # unlike, then like again (the author was told once already)
        state, sent = like(scene, NOW + timedelta(seconds=seconds))
        assert sent.commits == 1
        assert len(sent.statements) <= LIKE_BUDGET, sent.statements
    assert state.liked and state.likes == 1


def test_opening_the_page_is_one_transaction(scene: Scene) -> None:
    def open_page(db: Session):
        viewer = viewer_from_access_token(db, scene.token, NOW, live_connection=True)
        visit = Visit("browser", "203.0.113.1", is_bot=False)
        return recommendation_page(
            db, viewer=viewer, recommendation_id=scene.rec_id, visit=visit, now=NOW
        )

    page, sent = measured(open_page)
    assert page.own.views == 1 and sent.commits == 1
    assert len(sent.statements) <= PAGE_BUDGET, sent.statements
    page, sent = measured(open_page)  # a repeat visit within 24 h moves no counter
    assert page.own.views == 1 and sent.commits == 1
    assert len(sent.statements) <= PAGE_BUDGET - 1, sent.statements
    assert not any(sql.lstrip().startswith("UPDATE") for sql in sent.statements)
