"""Buddy and block service tests: real PostgreSQL, the real §5.2 limits, a small world."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from citypulse.settings import get_settings
from tests.integration.social.support import World, make_world


@pytest.fixture(autouse=True)
def real_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests assert the limits of §5.2 themselves, whatever RATE_LIMIT_MULTIPLIER says."""
    monkeypatch.setattr(get_settings(), "rate_limit_multiplier", 1)


@pytest.fixture
def world(session: Session) -> World:
    return make_world(session)
