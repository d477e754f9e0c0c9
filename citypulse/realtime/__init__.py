"""Live updates: services publish small domain events after commit (no Reflex here).

The Reflex side registers a handler at start-up that turns events into pushes to open
tabs. Publishing never blocks or fails the user's action: handler errors are logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

logger = logging.getLogger(__name__)
PENDING_EVENTS = "citypulse.realtime_events"


@dataclass(frozen=True)
class SessionsRevoked:
    """Some of a user's sessions ended (logout, password change, deactivation, ban)."""

    user_id: int


Handler = Callable[[object], None]
BatchHandler = Callable[[list[object]], None]
_handlers: list[Handler] = []
_batch_handlers: list[BatchHandler] = []


def subscribe(handler: Handler) -> None:
    """Register a handler for every published event (idempotent)."""
    if handler not in _handlers:
        _handlers.append(handler)


def subscribe_batch(handler: BatchHandler) -> None:
    """Register a handler for each transaction's committed events, all at once
    (idempotent): the job worker relays them to the app this way (`relay`)."""
    if handler not in _batch_handlers:
        _batch_handlers.append(handler)


def publish_after_commit(session: Session, event: object) -> None:
    """Queue `event` to be dispatched once the session's transaction has committed."""
    session.info.setdefault(PENDING_EVENTS, []).append(event)


def dispatch(events: list[object]) -> None:
    """Hand committed events to every handler; a failing handler is only logged."""
    for event in events:
        for handler in list(_handlers):
            try:
                handler(event)
            except Exception:
                logger.exception("realtime handler failed for %s", type(event).__name__)
    for batch_handler in list(_batch_handlers):
        try:
            batch_handler(list(events))
        except Exception:
            logger.exception("realtime batch handler failed")
