"""Trips service tests: real PostgreSQL, a small world of people."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.integration.trips.support import People, make_people


@pytest.fixture
def people(session: Session) -> People:
    return make_people(session)
