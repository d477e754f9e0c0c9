"""Moderation events published after commit (state/push.py turns them into pushes).

They live in an `events` module so the job worker's relay (realtime/relay.py) can
rebuild them in the app: the auto-lift pass's `AccountStandingChanged` reaches the
user's open tabs like an action taken in the app.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AccountStandingChanged:
    """A user's status or role changed: their open tabs re-check the session."""

    user_id: int


@dataclass(frozen=True)
class AppealsChanged:
    """An appeal was filed or decided: the moderators' queues and counts re-read."""

    appeal_id: int
