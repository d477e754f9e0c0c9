"""Search service tests: real PostgreSQL (full text, pg_trgm), a small world per test."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.integration.search.support import World, make_world


@pytest.fixture
def world(session: Session) -> World:
    return make_world(session)
