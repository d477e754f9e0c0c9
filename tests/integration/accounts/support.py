"""Helpers for the account service tests: the Viewer a signed-in request would carry."""

from __future__ import annotations

import uuid

from citypulse.models import User
from citypulse.services.accounts.viewer import Viewer

VANISHED_USER_ID = 987654


def actor(user: User, family_id: uuid.UUID | None = None) -> Viewer:
    """`user` signed in on the browser `family_id` (a browser with no session if not given)."""
    return Viewer(
        user.id, user.username, user.full_name, user.role, user.account_status,
        family_id or uuid.uuid4(), None,
    )  # fmt: skip


def vanished() -> Viewer:
    """A viewer whose account no longer exists."""
    return Viewer(VANISHED_USER_ID, "gone", "Gone", "user", "active", uuid.uuid4(), None)
