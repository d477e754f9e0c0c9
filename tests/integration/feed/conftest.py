"""Feed service tests: real PostgreSQL, a small world of four people."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.integration.feed.support import People, make_people


@pytest.fixture
def people(session: Session) -> People:
    return make_people(session)
