"""Crafted events on notifications (issue 10 acceptance): only the recipient may read,
mark or delete one. An intruder's tab aims every notification handler at the owner's
unread notification by id; the owner's own tab, sent the same events, shows the checks
can fail."""

from __future__ import annotations

import sqlalchemy as sa

from citypulse.models import Notification
from citypulse.services.unit_of_work import run_transaction
from tests.security.support.attacks_notifications import BELL, LIST, NOTIFICATIONS
from tests.security.support.discovery import public_handlers
from tests.security.support.wire import CraftedTab, on
from tests.security.support.world import NOTIFICATION_MESSAGE, World

BY_ID = (f"{BELL}.mark_read", f"{BELL}.open_item", f"{LIST}.open_entry", f"{BELL}.delete",
         f"{LIST}.remove")  # fmt: skip


def owners_notification(world: World) -> tuple[bool, int]:
    """(is_read, how many rows) of the owner's notification."""
    row = run_transaction(lambda db: db.execute(
        sa.select(Notification.is_read).where(Notification.id == world.notification_id)
    ).all())  # fmt: skip
    return (row[0][0] if row else False), len(row)


def test_an_intruder_cannot_read_mark_or_delete_the_owners_notification(
    backend_url: str, world: World
) -> None:
    handlers = public_handlers()
    page = on(NOTIFICATIONS)
    tab = CraftedTab(backend_url, world.intruder_cookie)
    try:
        frames = tab.call(handlers[f"{LIST}.load"].event, {}, page)
        frames += tab.call(handlers[f"{BELL}.sync"].event, {}, page)
        for name in BY_ID:
            reply = tab.call(handlers[name].event, {"notification_id": world.notification_id}, page)
            assert "Notification not found" in reply, name
            frames += reply
        frames += tab.call(handlers[f"{LIST}.read_all"].event, {}, page)
        frames += tab.call(handlers[f"{LIST}.delete_all_read"].event, {}, page)
    finally:
        tab.close()
    assert NOTIFICATION_MESSAGE not in frames
    assert owners_notification(world) == (False, 1)  # still there, still unread


def test_the_owner_reads_and_marks_it_so_the_checks_can_fail(
    backend_url: str, world: World
) -> None:
    handlers = public_handlers()
    page = on(NOTIFICATIONS)
    tab = CraftedTab(backend_url, world.owner_cookie)
    try:
        frames = tab.call(handlers[f"{LIST}.load"].event, {}, page)
        reply = tab.call(
            handlers[f"{BELL}.mark_read"].event, {"notification_id": world.notification_id}, page
        )
    finally:
        tab.close()
        marked = owners_notification(world)
        run_transaction(lambda db: db.execute(  # leave the world as it was
            sa.update(Notification).where(Notification.id == world.notification_id)
            .values(is_read=False, read_at=None)))  # fmt: skip
    assert NOTIFICATION_MESSAGE in frames
    assert "Notification not found" not in reply
    assert marked == (True, 1)
