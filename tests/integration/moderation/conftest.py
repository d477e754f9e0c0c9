"""Moderation tests read only the audit entries they wrote (see support.audit_rows)."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from citypulse.models import ModeratorAction
from tests.integration.moderation import support


@pytest.fixture(autouse=True)
def audit_baseline(session: Session) -> None:
    """Remember the last committed audit id before the test runs."""
    support.audit_baseline = session.exec(select(func.max(ModeratorAction.id))).one() or 0
