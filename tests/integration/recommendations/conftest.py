"""Recommendation service tests: real rate limits and a private upload folder per test."""

from pathlib import Path

import pytest

from citypulse.settings import get_settings


@pytest.fixture(autouse=True)
def real_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests assert the limits of §5.2 themselves, whatever RATE_LIMIT_MULTIPLIER says."""
    monkeypatch.setattr(get_settings(), "rate_limit_multiplier", 1)


@pytest.fixture(autouse=True)
def uploads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder photo files are written to (empty at the start of each test)."""
    folder = tmp_path / "uploads"
    monkeypatch.setattr(get_settings(), "upload_dir", folder)
    return folder
