"""Achievement tests: the §4.7 catalogue is seeded in each test's transaction."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from citypulse.seed.reference import seed_achievements


@pytest.fixture(autouse=True)
def catalogue(session: Session) -> None:
    seed_achievements(session)
