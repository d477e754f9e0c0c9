"""Profile service tests: real PostgreSQL, per-test rollback, the real rate limits."""

from pathlib import Path

import pytest
from sqlmodel import Session

from citypulse.settings import get_settings
from tests.integration.profiles.support import People, make_people


@pytest.fixture(autouse=True)
def real_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests pin the limits of §5.2, whatever RATE_LIMIT_MULTIPLIER says."""
    monkeypatch.setattr(get_settings(), "rate_limit_multiplier", 1)


@pytest.fixture
def upload_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private upload folder for the test."""
    folder = tmp_path / "uploads"
    monkeypatch.setattr(get_settings(), "upload_dir", folder)
    folder.mkdir()
    return folder


@pytest.fixture
def people(session: Session) -> People:
    return make_people(session)
