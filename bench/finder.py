"""`make bench-finder` / `python -m bench.finder`: the find tab's first page at 100k users.

Builds its own database `citypulse_bench_finder` (on the server of `TEST_DATABASE_URL`,
else the embedded test server), migrated to head, fills it in SQL (generate_series, a
few seconds for 100k users), then calls `find_buddies` (the service the page calls:
query and mapping) for many viewers per scenario and reports p50/p95/max of the first
page. The database is dropped at the end unless `--keep-database`.

The data, deterministic (`setseed`): 500 cities, the 8 system categories; users with
names from 60 first and 60 last names, most with a bio, ~3 % not active and ~2 %
unverified, 80 % public / 10 % buddies-only / 10 % private profiles, 0–3 interests,
1–2 travel styles, 0–4 visited cities, a current city; ~12 buddies and ~1 pending request
per user (a random graph, so friends-of-friends exist), a few blocks; a recommendation
for every fifth user and a recent session for every third (the active buddies panel).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable

import sqlalchemy as sa
from sqlmodel import Session

TARGET_P95_MS = 50.0
DATABASE = "citypulse_bench_finder"
FIRST_NAMES = (
    "Ana", "Bruno", "Carla", "Diogo", "Elena", "Filipe", "Greta", "Hugo", "Ines", "Joao",
    "Karin", "Luis", "Marta", "Nuno", "Olga", "Pedro", "Quinn", "Rita", "Sofia", "Tiago",
    "Uma", "Vasco", "Wendy", "Xavier", "Yara", "Zeca", "Alice", "Bob", "Carol", "Dave", "Emma",
    "Felix", "Gina", "Hans", "Ivy", "Jack", "Kim", "Leo", "Mia", "Noah", "Omar", "Pia", "Raul",
    "Sara", "Tom", "Una", "Vera", "Will", "Yves", "Zoe", "Aiko", "Bea", "Cruz", "Dara", "Eli",
    "Fay", "Gil", "Hana", "Ian", "Jin",
)  # fmt: skip
LAST_NAMES = (
    "Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins",
    "Jesus", "Sousa", "Fernandes", "Goncalves", "Gomes", "Lopes", "Marques", "Alves",
    "Almeida", "Ribeiro", "Pinto", "Carvalho", "Teixeira", "Moreira", "Correia", "Mendes",
    "Nunes", "Soares", "Vieira", "Monteiro", "Cardoso", "Rocha", "Neves", "Coelho", "Cruz",
    "Cunha", "Pires", "Ramos", "Reis", "Simoes", "Antunes", "Matos", "Fonseca", "Machado",
    "Araujo", "Barbosa", "Tavares", "Lourenco", "Castro", "Figueiredo", "Azevedo", "Freitas",
    "Mota", "Baptista", "Campos", "Miranda", "Guerreiro", "Henriques", "Duarte", "Valente",
    "Leal", "Brito",
)  # fmt: skip
# SQL: a random existing user id (ids are consecutive after a fresh fill).
ANY_USER = "(SELECT min(id) FROM users) + floor(random() * CAST(:users AS integer))::int"
# SQL: a city, skewed like real travel (random()^2): the first city has ~4.5 % of the
# people living there and more visitors, most cities a few hundred.
ANY_CITY = "(SELECT min(id) FROM cities) + floor(500 * random() ^ 2)::int"
BIO_WORDS = (
    "hiking", "coffee", "museums", "surfing", "street", "food", "jazz", "architecture",
    "sunsets", "trains", "markets", "photography", "wine", "bouldering", "festivals",
    "bookshops", "tapas", "cycling", "diving", "opera", "gardens",
)  # fmt: skip


def _sql_array(words: tuple[str, ...] | list[str]) -> str:
    return "ARRAY[" + ", ".join(f"'{word}'" for word in words) + "]"


def _pick(words: tuple[str, ...] | list[str], expression: str) -> str:
    """SQL: one of `words`, chosen by the integer `expression` (1-based)."""
    return f"({_sql_array(words)})[1 + ({expression}) % {len(words)}]"


def fill_people(connection: sa.Connection, *, users: int, seed: float = 0.42) -> None:
    """Insert the bench population (see the module docstring) in plain SQL.

    Needs the system categories (`citypulse.seed.reference.seed_categories`) in place.
    """
    from citypulse.models.enums import ActivityLevel, TravelStyle

    styles = [member.value for member in TravelStyle]
    levels = [member.value for member in ActivityLevel]

    def run(sql: str, **values: object) -> None:
        connection.execute(sa.text(sql), values)

    run("SELECT setseed(:seed)", seed=seed)
    run(
        "INSERT INTO cities (name, country) SELECT 'Bench City ' || g, 'Benchland' "
        "FROM generate_series(1, 500) g"
    )
    first = _pick(FIRST_NAMES, "g")
    last = _pick(LAST_NAMES, "g / 60 + g * 7")
    bio = " || ' ' || ".join(_pick(BIO_WORDS, f"(g * {k}) / 7 + {k}") for k in (3, 5, 11))
    run(
        "INSERT INTO users (username, email, full_name, bio, account_status, "
        "email_verified_at, terms_accepted_at, created_at) "
        "SELECT 'p' || lpad(g::text, 6, '0'), 'p' || g || '@bench.citypulse.test', "
        f"{first} || ' ' || {last}, "
        f"CASE WHEN g % 10 < 7 THEN 'Loves ' || {bio} END, "
        "CASE WHEN g % 97 = 0 THEN 'suspended' WHEN g % 89 = 0 THEN 'banned' "
        "     WHEN g % 83 = 0 THEN 'deactivated' ELSE 'active' END, "
        "CASE WHEN g % 53 = 0 THEN NULL ELSE now() END, now(), "
        "now() - make_interval(secs => (CAST(:users AS integer) - g) * 600) "
        "FROM generate_series(1, CAST(:users AS integer)) g",
        users=users,
    )
    run(
        "INSERT INTO profiles (user_id, profile_visibility, current_city_id, location_sharing, "
        "buddy_requests_enabled) "
        "SELECT u.id, CASE WHEN r < 0.8 THEN 'public' WHEN r < 0.9 THEN 'friends_only' "
        f"ELSE 'private' END, {ANY_CITY}, "
        "random() < 0.9, random() < 0.95 "
        "FROM (SELECT id, random() AS r FROM users) u"
    )
    run(
        "INSERT INTO travel_preferences (user_id, travel_styles, activity_level) "
        f"SELECT id, ARRAY(SELECT DISTINCT ({_sql_array(styles)})[1 + floor(random() * "
        f"{len(styles)})::int] FROM generate_series(1, 1 + (id % 2)) WHERE id > 0)::varchar[], "
        f"({_sql_array(levels)})[1 + floor(random() * {len(levels)})::int] FROM users"
    )
    run(
        "INSERT INTO user_interests (user_id, category_id) "
        "SELECT DISTINCT u.id, c.id FROM users u "
        "CROSS JOIN LATERAL (SELECT id FROM categories WHERE is_system AND u.id > 0 "
        "ORDER BY random() LIMIT (u.id % 4)) c"
    )
    run(
        "INSERT INTO city_visits (user_id, city_id) "
        f"SELECT DISTINCT u.id, {ANY_CITY} "
        "FROM users u, generate_series(1, u.id % 5) ON CONFLICT DO NOTHING"
    )
    # ~12 accepted buddies and ~1 pending request per user, as a random graph.
    run(
        "INSERT INTO buddy_connections (requester_id, addressee_id, status, responded_at) "
        "SELECT a, b, CASE WHEN k = 0 THEN 'pending' ELSE 'accepted' END, "
        "CASE WHEN k = 0 THEN NULL ELSE now() END FROM ("
        f"  SELECT u.id AS a, {ANY_USER} AS b,"
        "  k FROM users u, generate_series(0, 6) k) pairs "
        "WHERE a <> b ON CONFLICT DO NOTHING",
        users=users,
    )
    run(
        "INSERT INTO blocks (blocker_id, blocked_id) "
        f"SELECT id, {ANY_USER} FROM users "
        "WHERE id % 50 = 0 ON CONFLICT DO NOTHING",
        users=users,
    )
    run("DELETE FROM blocks WHERE blocker_id = blocked_id")
    # Every fifth user has a recommendation; a third signed in within the last three days.
    run(
        "INSERT INTO recommendations (author_id, title, description, category_id, address, "
        "author_rating, visibility, created_at) "
        "SELECT u.id, 'Bench place ' || u.id, 'A place of the finder benchmark.', "
        "(SELECT min(id) FROM categories), 'Bench street ' || u.id, 4, "
        "CASE WHEN u.id % 3 = 0 THEN 'friends_only' ELSE 'public' END, "
        "now() - random() * interval '60 days' FROM users u WHERE u.id % 5 = 0"
    )
    run(
        "INSERT INTO auth_sessions (user_id, token_hash, family_id, last_used_at, expires_at) "
        "SELECT id, md5(id::text || random()::text), gen_random_uuid(), "
        "now() - random() * interval '3 days', now() + interval '30 days' FROM users "
        "WHERE id % 3 = 0"
    )


def _viewers(connection: sa.Connection, count: int) -> list[int]:
    """Active, verified users with buddies (suggestions need some), spread over the table."""
    return list(
        connection.execute(
            sa.text(
                "SELECT u.id FROM users u WHERE u.account_status = 'active' "
                "AND u.email_verified_at IS NOT NULL AND u.id % 97 = 1 "
                "AND EXISTS (SELECT 1 FROM buddy_connections c WHERE c.requester_id = u.id "
                "AND c.status = 'accepted') ORDER BY u.id LIMIT :count"
            ),
            {"count": count},
        ).scalars()
    )


def _scenarios(connection: sa.Connection) -> dict[str, Callable[..., object]]:
    """Per scenario: `call(session, viewer, rng)` running the loader once."""
    from citypulse.services.social.active import active_buddies
    from citypulse.services.social.finder import find_buddies

    city_ids = list(connection.exec_driver_sql("SELECT id FROM cities").scalars())
    top_city = connection.exec_driver_sql(
        "SELECT city_id FROM city_visits GROUP BY city_id ORDER BY count(*) DESC LIMIT 1"
    ).scalar_one()
    category_ids = list(
        connection.exec_driver_sql("SELECT id FROM categories WHERE is_system").scalars()
    )
    words = [name.lower()[:4] for name in FIRST_NAMES + LAST_NAMES] + list(BIO_WORDS)

    def finder(filters: Callable[[random.Random], dict]) -> Callable[..., object]:
        return lambda session, viewer, rng: find_buddies(session, viewer=viewer, **filters(rng))

    return {
        "plain": finder(lambda rng: {}),
        "text": finder(lambda rng: {"text": rng.choice(words)}),
        # One person's username, or two letters (too short for a trigram: the worst case).
        "text_rare": finder(
            lambda rng: {"text": rng.choice([f"p{rng.randrange(1, 100_000):06d}", "zq"])}
        ),
        "city": finder(lambda rng: {"city": rng.choice(city_ids)}),
        "city_top": finder(lambda rng: {"city": top_city}),
        "interests": finder(
            lambda rng: {"interests": tuple(rng.sample(category_ids, rng.randint(1, 2)))}
        ),
        "style": finder(lambda rng: {"travel_style": "solo", "activity_level": "high"}),
        "suggested": finder(lambda rng: {"suggested": True}),
        "active": lambda session, viewer, rng: active_buddies(session, viewer=viewer),
    }


def measure(engine: sa.Engine, *, viewers: int, rounds: int) -> dict[str, list[float]]:
    """Milliseconds of each scenario's first page (after one warm-up round)."""
    from citypulse.services.accounts.viewer import Viewer

    with engine.connect() as connection:
        viewer_ids = _viewers(connection, viewers)
        scenarios = _scenarios(connection)
    rng = random.Random(7)  # noqa: S311 - reproducible choices, not secrets
    timings: dict[str, list[float]] = {name: [] for name in scenarios}
    with Session(engine) as session:
        for round_number in range(rounds + 1):
            for viewer_id in viewer_ids:
                viewer = Viewer(viewer_id, "", "", "user", "active", uuid.uuid4(), None)
                for name, call in scenarios.items():
                    started = time.perf_counter()
                    call(session, viewer, rng)
                    elapsed = (time.perf_counter() - started) * 1000
                    session.rollback()
                    if round_number:  # round 0 warms the caches and the statement cache
                        timings[name].append(elapsed)
    return timings


def _percentile(values: list[float], fraction: float) -> float:
    from bench.stats import percentile

    return percentile(values, fraction)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.finder", description=__doc__)
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
            session.commit()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
            counts = connection.exec_driver_sql(
                "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM buddy_connections), "
                "(SELECT count(*) FROM city_visits), (SELECT count(*) FROM user_interests)"
            ).one()
        print(
            f"data: {counts[0]:,} users, {counts[1]:,} connections, {counts[2]:,} city visits, "
            f"{counts[3]:,} interests, built in {time.perf_counter() - started:.1f} s"
        )
        timings = measure(engine, viewers=options.viewers, rounds=options.rounds)
    finally:
        engine.dispose()
        if not options.keep_database:
            drop_database(DATABASE)
    print(f"{'scenario':<10} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    worst = 0.0
    for name, values in timings.items():
        p95 = _percentile(values, 0.95)
        worst = max(worst, p95)
        print(
            f"{name:<10} {len(values):>5} {statistics.median(values):>8.1f} {p95:>8.1f} "
            f"{max(values):>8.1f}"
        )
    verdict = "met" if worst <= TARGET_P95_MS else "NOT met"
    print(f"target p95 <= {TARGET_P95_MS:.0f} ms: {verdict} (worst p95 {worst:.1f} ms)")
    return 0 if worst <= TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
