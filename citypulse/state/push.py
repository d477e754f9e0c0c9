"""Turns committed domain events (citypulse.realtime) into pushes to open tabs.

Services dispatch events from worker threads; pushes run on the app's event loop and
never block or fail the action that caused them.
"""

from __future__ import annotations

import asyncio
import logging

import reflex as rx

from citypulse.realtime import SessionsRevoked, subscribe
from citypulse.services.interactions.events import ViewerInteractionChanged
from citypulse.state.session import UserChannel

logger = logging.getLogger(__name__)


async def _bump_user_channel(app: rx.App, user_id: int, field: str) -> None:
    token = rx.BaseStateToken(ident=f"user-{user_id}", cls=UserChannel)
    async with app.modify_state(token) as root:
        channel = await root.get_state(UserChannel)
        setattr(channel, field, getattr(channel, field) + 1)


def _log_failure(future) -> None:
    if not future.cancelled() and future.exception() is not None:
        logger.warning("live push failed: %s", future.exception())


async def start_live_pushes(app: rx.App) -> None:
    """Lifespan task: route realtime events of this worker to its event loop."""
    loop = asyncio.get_running_loop()

    def handle(event: object) -> None:
        if isinstance(event, SessionsRevoked):
            coroutine = _bump_user_channel(app, event.user_id, "session_epoch")
        elif isinstance(event, ViewerInteractionChanged):
            coroutine = _bump_user_channel(app, event.user_id, "interaction_epoch")
        else:
            return
        asyncio.run_coroutine_threadsafe(coroutine, loop).add_done_callback(_log_failure)

    subscribe(handle)
