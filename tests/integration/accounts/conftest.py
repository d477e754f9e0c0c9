"""Service tests run on the per-test rolled-back `session` with the real rate limits."""

import pytest

from citypulse.settings import get_settings


@pytest.fixture(autouse=True)
def real_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests assert the limits of §5.2 themselves, whatever RATE_LIMIT_MULTIPLIER says."""
    monkeypatch.setattr(get_settings(), "rate_limit_multiplier", 1)
