"""The bench's own database, accounts and recommendations.

A database `citypulse_bench` is created on the server of `TEST_DATABASE_URL` (else
`DATABASE_URL`, else the embedded server), migrated and seeded by the app itself
(`citypulse.cli serve`, as `make run` does), then filled with bench accounts. Each
account gets a real server-side session and an access token minted by `citypulse.auth`,
so tabs are signed in without going through the login form and its rate limits.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import psycopg
from sqlalchemy.engine import make_url
from sqlmodel import select

from citypulse.api.cookies import ACCESS_COOKIE
from citypulse.auth.passwords import hash_password
from citypulse.auth.sessions import session_start
from citypulse.models import Category, Recommendation, User
from citypulse.models.enums import AccountStatus, Role
from citypulse.services.accounts.rows import add_account

BENCH_DATABASE = "citypulse_bench"
BENCH_PASSWORD = "Bench!Tram28-loadgen"  # the accounts can sign in by hand too
AUTHORS = 10  # bench recommendations are spread over a few authors
USER_AGENT = "citypulse-bench"


@dataclass(frozen=True)
class BenchTab:
    """One simulated tab: whose cookie it carries and which recommendation it shows."""

    username: str
    cookie: str
    recommendation_id: int


@cache
def server_url() -> str:
    """psycopg URL of the PostgreSQL server the bench database lives on (read once,
    before the bench points DATABASE_URL at its own database)."""
    from citypulse.db import database_url, to_psycopg_url

    configured = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    return to_psycopg_url(configured) if configured else database_url()


def bench_database_url() -> str:
    """The URL of the bench database on that server."""
    url = make_url(server_url()).set(database=BENCH_DATABASE)
    return url.render_as_string(hide_password=False)


def _admin(sql: str) -> None:
    from citypulse.db import to_libpq_url

    with psycopg.connect(to_libpq_url(server_url()), autocommit=True) as conn:
        conn.execute(sql)


def recreate_bench_database() -> str:
    """Drop any earlier bench database, create an empty one and return its URL."""
    _admin(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{BENCH_DATABASE}"')
    return bench_database_url()


def drop_bench_database() -> None:
    """Remove the bench database (the run leaves nothing behind)."""
    _admin(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')


def use_bench_database(url: str) -> None:
    """Point this process (and the server it starts) at the bench database."""
    from citypulse.db import database_url, get_engine
    from citypulse.settings import get_settings

    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    database_url.cache_clear()
    get_engine.cache_clear()


def _new_user(username: str, password_hash: str, now: datetime) -> User:
    return User(
        username=username,
        email=f"{username}@bench.citypulse.test",
        full_name=f"Bench {username}",
        password_hash=password_hash,
        email_verified_at=now,
        terms_accepted_at=now,
        account_status=AccountStatus.active,
        role=Role.user,
    )


def create_bench_tabs(count: int) -> list[BenchTab]:
    """`count` signed-in accounts, each with a public recommendation of its own to like.

    Recommendation i belongs to one of a few bench authors (never to tab i's account),
    so every tab may like it and no two tabs share a page: each like pushes its counters
    to one tab, which keeps fan-out out of the per-like figures.
    """
    from citypulse.db import session_scope

    now = datetime.now(UTC)
    password_hash = hash_password(BENCH_PASSWORD)  # once: argon2 is slow on purpose
    with session_scope() as db:
        category = db.exec(select(Category).order_by(Category.id)).first()
        if category is None:
            raise RuntimeError("the bench database has no categories: was it seeded?")
        authors = [
            add_account(db, _new_user(f"bench_author_{i:02d}", password_hash, now))
            for i in range(AUTHORS)
        ]
        tabs = []
        for i in range(count):
            user = add_account(db, _new_user(f"bench_{i:05d}", password_hash, now))
            place = Recommendation(
                author_id=authors[i % AUTHORS].id,
                visibility="public",
                category_id=category.id,
                title=f"Bench place {i}",
                description="A place that exists only for the benchmark.",
                address=f"Bench street {i}, Lisbon",
                author_rating=4,
            )
            db.add(place)
            db.flush()
            issued = session_start(
                db, user_id=user.id, remember_me=True, user_agent=USER_AGENT,
                ip="127.0.0.1", now=now,
            )  # fmt: skip
            cookie = f"{ACCESS_COOKIE}={issued.access_token}"
            tabs.append(BenchTab(user.username, cookie, place.id))
    return tabs


def visitor_pages() -> list[int]:
    """The demo world's public recommendations: pages the extra visitor tabs open.

    No bench tab likes them, so the tab states they leave behind change the size of the
    heap, not the fan-out of the likes being measured.
    """
    from citypulse.db import session_scope

    with session_scope() as db:
        rows = db.exec(
            select(Recommendation.id)
            .join(User, User.id == Recommendation.author_id)
            .where(Recommendation.visibility == "public")
            .where(~User.username.startswith("bench_"))
            .order_by(Recommendation.id)
        ).all()
    if not rows:
        raise RuntimeError("the bench database has no demo recommendations: was it seeded?")
    return list(rows)


def transaction_count() -> int:
    """Committed + rolled-back transactions of the bench database so far (PostgreSQL's
    own counters, read from another database so this query is not counted)."""
    from citypulse.db import to_libpq_url

    with psycopg.connect(to_libpq_url(server_url()), autocommit=True) as conn:
        row = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s",
            (BENCH_DATABASE,),
        ).fetchone()
    return int(row[0]) if row else 0
