"""Test databases: a fresh, migrated PostgreSQL database per test tier.

The server is `TEST_DATABASE_URL` when set (CI points it at the machine's PostgreSQL),
otherwise a private embedded server under `.data/pg-test`.
"""

from __future__ import annotations

import os

import psycopg
from sqlalchemy.engine import make_url

from citypulse.db import embedded_server_url, to_libpq_url, to_psycopg_url
from citypulse.settings import PROJECT_ROOT


def server_url() -> str:
    """psycopg URL of the server tests may create databases on."""
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        return to_psycopg_url(configured)
    return embedded_server_url(PROJECT_ROOT / ".data" / "pg-test")


def url_for_database(name: str) -> str:
    """The server URL pointed at database `name`."""
    return make_url(server_url()).set(database=name).render_as_string(hide_password=False)


def recreate_database(name: str) -> str:
    """Drop and create database `name`; return its psycopg URL."""
    with psycopg.connect(to_libpq_url(server_url()), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url_for_database(name)


def drop_database(name: str) -> None:
    """Drop database `name` if it exists."""
    with psycopg.connect(to_libpq_url(server_url()), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def alembic_config(url: str):
    """An alembic Config for this project pointed at `url`."""
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.cmd_opts = None
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str) -> None:
    """Upgrade database at `url` to head."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")


def use_database(url: str) -> None:
    """Point this process's settings (and so the app and services) at `url`."""
    from citypulse.db import database_url, get_engine
    from citypulse.settings import get_settings

    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("APP_ENV", "test")
    get_settings.cache_clear()
    database_url.cache_clear()
    get_engine.cache_clear()
