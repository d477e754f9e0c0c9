"""`python -m bench.leaderboard`: the leaderboard page's query at 100k users (§4.8).

Builds its own database `citypulse_bench_leaderboard` (on the server of
`TEST_DATABASE_URL`, else the embedded test server), migrated to head, and fills it in
SQL: the bench population of bench/finder.py (100k users, ~3 % not active, profiles,
a block graph is added here: ~2 blocks per 100 users) plus the maintained
`achievement_totals` a real history would leave: ~70 % of users with 1–17 completed
badges, points and families to match (many ties), a 30-day engagement score for ~40 %.

It then calls `leaderboard()` (the service the page calls: the top rows, RANK() and
"Your position") for random signed-in viewers on every board, top 20 and "Show more"
(100), and reports p50/p95/max per scenario. Target p95 ≤ 20 ms. The database is
dropped at the end unless `--keep-database`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid

import sqlalchemy as sa
from sqlmodel import Session

from bench.finder import fill_people
from bench.stats import format_table, percentile

TARGET_P95_MS = 20.0
DATABASE = "citypulse_bench_leaderboard"


def fill_scores(connection: sa.Connection) -> None:
    """Totals for ~70 % of users (skewed: most have a few badges), engagement for ~40 %."""

    def run(sql: str) -> None:
        connection.execute(sa.text(sql))

    run("SELECT setseed(0.17)")
    run(
        "INSERT INTO achievement_totals (user_id, completed, points, families, "
        "likes_received, engagement_score) "
        "SELECT id, c, c * 10 + (id % 4) * 5, least(c, 1 + id % 7), 0, "
        "CASE WHEN random() < 0.4 THEN round((random() ^ 3 * 500)::numeric, 1) ELSE 0 END "
        "FROM (SELECT id, 1 + floor(16 * random() ^ 3)::int AS c FROM users "
        "      WHERE random() < 0.7) AS s"
    )
    run(
        "INSERT INTO blocks (blocker_id, blocked_id) "
        "SELECT DISTINCT a, b FROM (SELECT u.id AS a, (SELECT min(id) FROM users) "
        "+ floor(random() * (SELECT count(*) FROM users))::int AS b FROM users u "
        "WHERE random() < 0.02) AS pairs WHERE a <> b ON CONFLICT DO NOTHING"
    )


def measure(engine: sa.Engine, *, viewers: int, rounds: int) -> dict[str, list[float]]:
    from citypulse.services.accounts.viewer import Viewer
    from citypulse.services.achievements.leaderboard import Board, leaderboard

    with engine.connect() as connection:
        ids = list(connection.execute(
            sa.text("SELECT user_id FROM achievement_totals ORDER BY random() LIMIT :n"),
            {"n": viewers},
        ).scalars())  # fmt: skip
    people = [Viewer(i, f"p{i}", "Bench", "user", "active", uuid.uuid4(), None) for i in ids]
    scenarios = {f"{board.value} 20": (board, 20) for board in Board}
    scenarios["overall 100"] = (Board.overall, 100)
    timings: dict[str, list[float]] = {name: [] for name in scenarios}
    rng = random.Random(7)  # noqa: S311  (the order of viewers, not a secret)
    with Session(engine) as session:
        for board, limit in scenarios.values():  # warm the prepared statements
            leaderboard(session, viewer=people[0], board=board, limit=limit)
        session.rollback()
        for _ in range(rounds):
            for name, (board, limit) in scenarios.items():
                for viewer in rng.sample(people, len(people)):
                    started = time.perf_counter()
                    leaderboard(session, viewer=viewer, board=board, limit=limit)
                    timings[name].append((time.perf_counter() - started) * 1000)
                    session.rollback()
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.leaderboard", description=__doc__)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--viewers", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep-database", action="store_true")
    options = parser.parse_args(argv)

    from citypulse.seed.reference import seed_categories
    from tests.support.database import drop_database, migrate, recreate_database

    url = recreate_database(DATABASE)
    engine = sa.create_engine(url)
    try:
        migrate(url)
        started = time.perf_counter()
        with Session(engine) as session:
            seed_categories(session)
            fill_people(session.connection(), users=options.users)
            fill_scores(session.connection())
            session.commit()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
            counts = connection.exec_driver_sql(
                "SELECT (SELECT count(*) FROM users), "
                "(SELECT count(*) FROM achievement_totals WHERE completed > 0), "
                "(SELECT count(*) FROM achievement_totals WHERE engagement_score > 0), "
                "(SELECT count(*) FROM blocks)"
            ).one()
        print(
            f"data: {counts[0]:,} users, {counts[1]:,} ranked, {counts[2]:,} engaged, "
            f"{counts[3]:,} blocks, built in {time.perf_counter() - started:.1f} s"
        )
        timings = measure(engine, viewers=options.viewers, rounds=options.rounds)
    finally:
        engine.dispose()
        if not options.keep_database:
            drop_database(DATABASE)
    rows = [["scenario", "n", "p50 ms", "p95 ms", "max ms"]]
    rows += [
        [name, str(len(values)), f"{statistics.median(values):.1f}",
         f"{percentile(values, 0.95):.1f}", f"{max(values):.1f}"]
        for name, values in timings.items()
    ]  # fmt: skip
    print(format_table(rows))
    worst = max(percentile(values, 0.95) for values in timings.values())
    verdict = "met" if worst <= TARGET_P95_MS else "NOT met"
    print(f"target p95 <= {TARGET_P95_MS:.0f} ms: {verdict} (worst p95 {worst:.1f} ms)")
    return 0 if worst <= TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
