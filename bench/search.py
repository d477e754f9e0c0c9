"""`make bench-search` / `python -m bench.search`: places search at 1 M recommendations.

Builds its own database `citypulse_bench_search` (server of `TEST_DATABASE_URL`, else the
embedded test server), migrated to head: the finder bench's 100k people
(`bench.finder.fill_people`), then `--recommendations` places in SQL (generate_series):
titles and descriptions from word lists ("coffee" in ~6 % of titles and ~10 % of
descriptions, "zephyr" in ~0.02 %), the 8 system categories, 80 % priced, 70 % rated,
coordinates around 500 cities, 90 % public / 5 % buddies-only / 5 % private, 2 % removed,
a photo for every fourth. Then it calls `search_places` (the query /search runs) for
random viewers per scenario and prints p50/p95/max, and the EXPLAIN (ANALYZE, BUFFERS)
of each scenario's main statement with `--explain`. The database is dropped at the end
unless `--keep-database`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlmodel import Session

from bench.finder import _percentile, fill_people

TARGET_P95_MS = 30.0
DATABASE = "citypulse_bench_search"
ADJECTIVES = ("Quiet", "Golden", "Hidden", "Old", "Blue", "Little", "Grand", "Secret", "Sunny",
              "Corner", "Riverside", "Royal", "Wild", "Urban", "Green", "Happy")  # fmt: skip
NOUNS = ("Kitchen", "Garden", "Market", "Bakery", "Tavern", "Gallery", "Museum", "Trail",
         "Beach", "Bistro", "Bar", "Hostel", "Park", "Tower", "Bridge", "Cellar")  # fmt: skip
WORDS = ("views", "friendly", "staff", "sunset", "music", "crowded", "cheap", "local",
         "the", "best", "in", "town", "walk", "early", "weekend", "family", "terrace")  # fmt: skip


def _array(words: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join(f"'{w}'" for w in words) + "]"


def fill_places(connection: sa.Connection, *, count: int) -> None:
    """`count` recommendations (see the module docstring) with their primary city."""

    def run(sql: str, **values: object) -> None:
        connection.execute(sa.text(sql), values)

    run("UPDATE cities SET latitude = 35 + random() * 20, longitude = -10 + random() * 30")
    adjective = f"({_array(ADJECTIVES)})[1 + (g * 7) % {len(ADJECTIVES)}]"
    noun = f"({_array(NOUNS)})[1 + (g * 13 / 3) % {len(NOUNS)}]"
    word = f"({_array(WORDS)})[1 + floor(random() * {len(WORDS)})::int]"
    run(
        "CREATE TEMP TABLE bench_places AS SELECT g, "
        "(SELECT min(id) FROM users) "
        "  + floor(random() * (SELECT count(*) FROM users))::int AS author, "
        "(SELECT min(id) FROM categories) + floor(random() * 8)::int AS category, "
        "(SELECT min(id) FROM cities) + floor(500 * random() ^ 2)::int AS city "
        "FROM generate_series(1, :count) g",
        count=count,
    )
    run(
        "INSERT INTO recommendations (author_id, title, description, category_id, price_min, "
        "price_max, address, latitude, longitude, author_rating, visibility, status, "
        "ratings_count, rating_avg, likes_count, saves_count, views_count, search_terms, "
        "created_at, updated_at) "
        f"SELECT b.author, {adjective} || ' ' || {noun} || "
        "CASE WHEN g % 17 = 0 THEN ' Coffee' WHEN g % 5003 = 0 THEN ' Zephyr' ELSE '' END "
        "|| ' ' || g, "
        f"'A ' || {word} || ' place, ' || {word} || ' and ' || {word} || "
        "CASE WHEN g % 10 = 3 THEN ', great coffee' ELSE '' END || '.', "
        "b.category, p.low, p.low + p.span, 'Street ' || g, "
        "c.latitude + (random() - 0.5) * 0.2, c.longitude + (random() - 0.5) * 0.2, "
        "1 + g % 5, "
        "CASE WHEN g % 20 = 0 THEN 'private' WHEN g % 20 = 1 THEN 'friends_only' "
        "     ELSE 'public' END, CASE WHEN g % 50 = 7 THEN 'removed' ELSE 'active' END, "
        "r.n, CASE WHEN r.n > 0 THEN round((1 + random() * 4)::numeric, 2) ELSE 0 END, "
        "floor(random() * 50)::int, floor(random() * 20)::int, floor(random() * 500)::int, "
        "c.name || ' ' || cat.name, "
        "now() - (g::float / :count) * interval '730 days', now() "
        "FROM bench_places b JOIN cities c ON c.id = b.city "
        "JOIN categories cat ON cat.id = b.category "
        "CROSS JOIN LATERAL (SELECT CASE WHEN g % 5 = 0 THEN NULL "
        "  ELSE floor(random() * 60)::numeric END AS low, floor(random() * 40)::numeric AS span) p "
        "CROSS JOIN LATERAL (SELECT CASE WHEN g % 10 < 3 THEN 0 "
        "  ELSE 1 + floor(random() * 30)::int END AS n) r "
        "ORDER BY g",
        count=count,
    )
    run(
        "INSERT INTO recommendation_cities (recommendation_id, city_id, is_primary) "
        "SELECT r.id, b.city, true FROM recommendations r "
        "JOIN bench_places b ON b.g = r.id - (SELECT min(id) FROM recommendations) + 1"
    )
    run(
        "INSERT INTO photos (recommendation_id, image_key, thumb_key, width, height, "
        "file_size, position, is_primary) SELECT id, 'b/' || id, 'b/t' || id, 10, 10, 10, 0, "
        "true FROM recommendations WHERE id % 4 = 0"
    )


def _scenarios(category_id: int) -> dict[str, tuple[str, dict]]:
    cheap = {"categories": [category_id], "price": [0, 25], "min_rating": 4, "sort": "rating"}
    return {
        "rare": ("zephyr", {}),
        "common": ("coffee", {}),
        "the": ("the", {}),
        "rare+filt": ("zephyr", cheap),
        "common+filt": ("coffee", cheap),
        "common+new": ("coffee", {"sort": "recent", "has_photos": True}),
        "prefix": ("kitch", {}),
        "filters": ("", {"categories": [category_id], "min_rating": 4}),
        "near": ("", {"near": {"lat": 45.0, "lng": 5.0, "radius_km": 25}}),
        "near+text": ("coffee", {"near": {"lat": 45.0, "lng": 5.0, "radius_km": 50}}),
    }


def measure(
    engine: sa.Engine, *, viewers: int, rounds: int, explain: bool, warmup: int = 6
) -> tuple[dict[str, list[float]], dict[str, list[float]], dict[str, str]]:
    """Per scenario: wall-clock ms of each call, ms its statements spent in the database
    (round trips included, SQLAlchemy's Python work excluded), and the plan."""
    from citypulse.services.search.places import search_places
    from citypulse.services.search.request import parse_request

    with engine.connect() as connection:
        viewer_ids = [row[0] for row in connection.exec_driver_sql(
            "SELECT id FROM users WHERE account_status = 'active' ORDER BY random() LIMIT %s",
            (viewers,))]  # fmt: skip
        category_id = connection.exec_driver_sql(
            "SELECT id FROM categories WHERE name = 'Restaurant'"
        ).scalar_one()
    timings: dict[str, list[float]] = {}
    in_database: dict[str, list[float]] = {}
    plans: dict[str, str] = {}
    chooser = random.Random(7)  # noqa: S311 - a repeatable choice of viewers, not a secret
    spent = [0.0]

    def before(conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany) -> None:
        spent[0] += time.perf_counter() - conn.info.pop("bench_started")

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    with Session(engine) as session:
        for name, (text, filters) in _scenarios(category_id).items():
            request = parse_request(text, filters)
            values: list[float] = []
            database: list[float] = []
            # As a running app's pooled connections: psycopg prepares a statement on its
            # 6th execution, after which PostgreSQL skips planning. Calls end with a
            # commit, as the app's loader transaction does: a ROLLBACK makes psycopg drop
            # the connection's prepared statements (every call would be planned again).
            for uid in viewer_ids[:warmup]:
                search_places(session, uid, request, limit=20)
                session.commit()
            for _ in range(rounds):
                for _ in viewer_ids:
                    spent[0] = 0.0
                    started = time.perf_counter()
                    search_places(session, chooser.choice(viewer_ids), request, limit=20)
                    values.append((time.perf_counter() - started) * 1000)
                    database.append(spent[0] * 1000)
                    session.commit()
            timings[name] = values
            in_database[name] = database
            if explain:
                plans[name] = _explain(session, lambda r=request: search_places(
                    session, viewer_ids[0], r, limit=20))  # fmt: skip
    sa.event.remove(engine, "before_cursor_execute", before)
    sa.event.remove(engine, "after_cursor_execute", after)
    return timings, in_database, plans


def _explain(session: Session, call: Callable[[], object]) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the first query `call` runs (the ranked page)."""
    from citypulse.services.search.places import SEARCH_SETTINGS

    captured: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:
        if not captured and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            captured.append((statement, parameters))

    engine = session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        call()
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
        session.rollback()
    statement, parameters = captured[0]
    session.connection().exec_driver_sql(SEARCH_SETTINGS)  # as search_places does
    rows = (
        session.connection()
        .exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        .all()
    )
    session.rollback()
    return "\n".join(row[0] for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--recommendations", type=int, default=1_000_000)
    parser.add_argument("--viewers", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument(
        "--warmup", type=int, default=6, help="untimed calls per scenario (statements prepared)"
    )
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument(
        "--reuse-database", action="store_true", help="measure a database kept earlier"
    )
    options = parser.parse_args(argv)

    from citypulse.seed.reference import seed_categories
    from tests.support.database import (
        drop_database,
        migrate,
        recreate_database,
        url_for_database,
    )

    url = url_for_database(DATABASE) if options.reuse_database else recreate_database(DATABASE)
    engine = sa.create_engine(url)
    try:
        if not options.reuse_database:
            migrate(url)
            started = time.perf_counter()
            with Session(engine) as session:
                seed_categories(session)
                fill_people(session.connection(), users=options.users)
                fill_places(session.connection(), count=options.recommendations)
                session.commit()
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
            print(f"data built in {time.perf_counter() - started:.1f} s")
        with engine.connect() as connection:
            counts = connection.exec_driver_sql(
                "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM recommendations)"
            ).one()
        print(f"data: {counts[0]:,} users, {counts[1]:,} recommendations")
        print(f"load average before: {os.getloadavg()}")
        timings, in_database, plans = measure(
            engine, viewers=options.viewers, rounds=options.rounds, explain=options.explain,
            warmup=options.warmup,
        )  # fmt: skip
        print(f"load average after: {os.getloadavg()}")
    finally:
        engine.dispose()
        if not options.keep_database and not options.reuse_database:
            drop_database(DATABASE)
    print(f"{'':<12} {'':>5} {'in the database':^26} {'whole call (Python too)':^26}")
    print(f"{'scenario':<12} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
          f"{'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")  # fmt: skip
    worst = 0.0
    for name, values in timings.items():
        database = in_database[name]
        p95 = _percentile(database, 0.95)
        worst = max(worst, p95)
        print(f"{name:<12} {len(values):>5} {statistics.median(database):>8.1f} {p95:>8.1f} "
              f"{max(database):>8.1f} {statistics.median(values):>8.1f} "
              f"{_percentile(values, 0.95):>8.1f} {max(values):>8.1f}")  # fmt: skip
    for name, plan in plans.items():
        print(f"\n== {name}\n{plan}")
    verdict = "met" if worst <= TARGET_P95_MS else "NOT met"
    print(f"target p95 in the database <= {TARGET_P95_MS:.0f} ms: {verdict} "
          f"(worst p95 {worst:.1f} ms)")  # fmt: skip
    return 0 if worst <= TARGET_P95_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
