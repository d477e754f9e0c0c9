"""Every finder filter and the active buddies panel are answered from indexes (0003).

A scratch database (migrated, dropped at the end) holds the bench population
(`bench.finder.fill_people`, deterministic) at 3,000 users, vacuumed and analysed like a
live database. Each statement `find_buddies` / `active_buddies` sends is EXPLAINed with
sequential scans disabled: a `Seq Scan` left in the plan means no index can serve that
part, and the filter's own index (or the per-person probe index) must appear.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session

from bench.finder import fill_people
from citypulse.seed.reference import seed_categories
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.social import finder
from citypulse.services.social.active import active_buddies
from citypulse.services.social.finder import find_buddies
from tests.support.database import drop_database, migrate, recreate_database

USERS = 3_000
DATABASE = f"citypulse_finder_plans_{os.getpid()}"


@pytest.fixture(scope="module")
def engine() -> Iterator[sa.Engine]:
    """The scratch database with the bench population, committed and analysed."""
    url = recreate_database(DATABASE)
    engine = sa.create_engine(url)
    try:
        migrate(url)
        with Session(engine) as session:
            seed_categories(session)
            fill_people(session.connection(), users=USERS)
            session.commit()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
        yield engine
    finally:
        engine.dispose()
        drop_database(DATABASE)


@pytest.fixture
def session(engine: sa.Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session
        session.rollback()


@pytest.fixture
def population(session: Session) -> dict[str, Any]:
    """A viewer with buddies, and the ids the filters need."""
    run = session.connection().exec_driver_sql
    viewer_id = run(
        "SELECT requester_id FROM buddy_connections c JOIN users u ON u.id = c.requester_id "
        "WHERE c.status = 'accepted' AND u.account_status = 'active' "
        "AND u.email_verified_at IS NOT NULL ORDER BY requester_id LIMIT 1"
    ).scalar_one()
    return {
        "viewer": Viewer(viewer_id, "", "", "user", "active", None, None),  # type: ignore[arg-type]
        "city": run("SELECT max(id) FROM cities").scalar_one(),  # a small city
        "category": run("SELECT min(id) FROM categories WHERE is_system").scalar_one(),
    }


@contextmanager
def sent_statements(session: Session) -> Iterator[list[tuple[str, Any]]]:
    """The statements (with their parameters) the session sends inside the block."""
    sent: list[tuple[str, Any]] = []

    def record(_conn, _cursor, statement, parameters, *_args) -> None:
        sent.append((statement, parameters))

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(connection, "before_cursor_execute", record)


def plan_of(session: Session, call: Callable[[], object]) -> dict:
    """The plan of the one statement of `call` that reads `users` for the list."""
    with sent_statements(session) as sent:
        call()
    statement, parameters = next(s for s in sent if "FROM users" in s[0] and "LIMIT" in s[0])
    connection = session.connection()
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    try:
        rows = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
        return rows.scalar_one()[0]["Plan"]
    finally:
        connection.exec_driver_sql("SET LOCAL enable_seqscan = on")


def nodes(plan: dict) -> Iterator[dict]:
    yield plan
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def indexes_on(plan: dict, table: str) -> set[str]:
    """The indexes the plan reads `table` through."""
    return {
        node["Index Name"]
        for node in nodes(plan)
        if "Index Name" in node
        and (node.get("Relation Name") == table or node["Index Name"].startswith(f"ix_{table}"))
    }


def seq_scans(plan: dict) -> list[str]:
    return [node["Relation Name"] for node in nodes(plan) if node["Node Type"] == "Seq Scan"]


# Per filter: the table it reads and the indexes that may serve it. A filter most people
# match is cheapest as a walk down the newest-first index with one probe per person (the
# unique `user_id` indexes); a selective one starts from its own index. Both are indexes.
UNIQUE_BY_USER = {"uq_user_interests_user_id_category_id", "uq_travel_preferences_user_id"}


@pytest.mark.parametrize(
    ("filters", "table", "expected"),
    [
        ({}, "users", {"ix_users_created_at_id"}),
        ({"text": "p000123"}, "users", {"ix_users_username_trgm", "ix_users_full_name_trgm",
                                         "ix_users_bio_trgm"}),
        ({"city": "CITY"}, "city_visits", {"ix_city_visits_city_id"}),
        ({"city": "CITY"}, "profiles", {"ix_profiles_current_city_id"}),
        ({"interests": "CATEGORY"}, "user_interests", {"ix_user_interests_category_id"}),
        ({"travel_style": "luxury"}, "travel_preferences", {"ix_travel_preferences_travel_styles"}),
        ({"activity_level": "low"}, "travel_preferences",
         {"ix_travel_preferences_activity_level_user_id"}),
        ({"suggested": True}, "buddy_connections", {"ix_buddy_connections_requester_id_status",
                                                    "ix_buddy_connections_addressee_id_status"}),
    ],
    ids=["plain", "text", "city-visited", "city-current", "interests", "travel_style",
         "activity_level", "suggested"],
)  # fmt: skip
def test_each_filter_uses_an_index(
    session: Session, population: dict[str, Any], filters: dict, table: str, expected: set[str]
) -> None:
    values = {"CITY": population["city"], "CATEGORY": (population["category"],)}
    kwargs = {key: values.get(value, value) for key, value in filters.items()}

    plan = plan_of(session, lambda: find_buddies(session, viewer=population["viewer"], **kwargs))

    assert seq_scans(plan) == []
    used = indexes_on(plan, table)
    assert used & (expected | UNIQUE_BY_USER), (table, used)
    # The exclusions are index reads too: blocks either way and my own connections.
    assert indexes_on(plan, "blocks") and indexes_on(plan, "buddy_connections")


def test_a_popular_city_is_walked_with_one_index_probe_per_person(
    session: Session, population: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(finder, "POPULAR_CITY", 1)  # every city counts as popular
    viewer, city = population["viewer"], population["city"]

    plan = plan_of(session, lambda: find_buddies(session, viewer=viewer, city=city))

    assert seq_scans(plan) == []
    assert "ix_users_created_at_id" in indexes_on(plan, "users")
    assert indexes_on(plan, "city_visits") == {"uq_city_visits_user_id_city_id"}


def test_active_buddies_use_indexes(session: Session, population: dict[str, Any]) -> None:
    plan = plan_of(session, lambda: active_buddies(session, viewer=population["viewer"]))

    assert seq_scans(plan) == []
    assert indexes_on(plan, "auth_sessions") == {"ix_auth_sessions_user_id_last_used_at"}
    assert "ix_recommendations_author_id_created_at_id" in indexes_on(plan, "recommendations")
