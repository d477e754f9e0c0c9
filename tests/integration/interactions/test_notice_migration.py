"""Revision 0002: existing likes and ratings count as already announced; downgrade drops it."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import command

from tests.support.database import alembic_config, drop_database, recreate_database

SEED = """
INSERT INTO users (id, username, email, full_name) VALUES
  (1, 'm_alice', 'm_alice@example.com', 'Alice M'), (2, 'm_bob', 'm_bob@example.com', 'Bob M');
INSERT INTO categories (id, name) VALUES (1, 'Migration category');
INSERT INTO recommendations (id, author_id, title, description, category_id, address,
                             author_rating)
  VALUES (1, 1, 'A place', 'A place worth a visit.', 1, 'Somewhere 1', 5);
INSERT INTO likes (recommendation_id, user_id) VALUES (1, 2);
INSERT INTO ratings (recommendation_id, user_id, rating) VALUES (1, 2, 4);
"""


def test_upgrade_backfills_and_downgrade_drops() -> None:
    name = f"citypulse_migr_{secrets.token_hex(4)}"
    url = recreate_database(name)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        command.upgrade(alembic_config(url), "0001")
        with engine.begin() as conn:
            for statement in filter(str.strip, SEED.split(";")):
                conn.execute(sa.text(statement))
        command.upgrade(alembic_config(url), "0002")
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT recommendation_id, user_id, kind FROM interaction_notices")
            ).all()
        assert sorted(tuple(row) for row in rows) == [(1, 2, "like"), (1, 2, "rating")]

        command.downgrade(alembic_config(url), "0001")
        assert "interaction_notices" not in sa.inspect(engine).get_table_names()
        command.upgrade(alembic_config(url), "head")
        assert "interaction_notices" in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
        drop_database(name)
