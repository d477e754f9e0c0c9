"""The live relay (citypulse/realtime/relay.py) against real PostgreSQL.

Events committed in a process without live pushes (the job worker) are sent with
NOTIFY after the commit; one listening app process (the holder of the relay's advisory
lock) rebuilds them and hands them to the live path. The tab end of it is proven by
tests/e2e/test_notifications_from_worker.py.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import pytest
from sqlalchemy import Engine

from citypulse import realtime
from citypulse.db import database_url, to_libpq_url
from citypulse.realtime import SessionsRevoked, publish_after_commit, relay
from citypulse.services.notifications.events import NotificationCreated
from citypulse.services.social.events import BuddiesChanged
from citypulse.services.unit_of_work import run_transaction

WAIT_SECONDS = 10.0


def conninfo() -> str:
    return to_libpq_url(database_url())


async def until(check: Callable[[], bool], what: str) -> None:
    deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
    while not check():
        assert asyncio.get_running_loop().time() < deadline, what
        await asyncio.sleep(0.02)


async def send_until_heard(heard: list[object], event: object) -> None:
    """Send `event` until a listener has it (a listener LISTENs a moment after it starts)."""
    deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
    while event not in heard:
        assert asyncio.get_running_loop().time() < deadline, "no listener heard the relay"
        await asyncio.to_thread(relay.send, [event])
        await asyncio.sleep(0.1)


def start(deliver: Callable[[object], None]) -> asyncio.Task:
    return asyncio.get_running_loop().create_task(
        relay.listen(deliver, conninfo=conninfo, standby_seconds=0.05)
    )


async def stop(*tasks: asyncio.Task) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def test_events_sent_after_a_commit_reach_the_listener_in_order(engine: Engine) -> None:
    async def scenario() -> list[object]:
        heard: list[object] = []
        listener = start(heard.append)
        try:
            await send_until_heard(heard, SessionsRevoked(user_id=0))
            heard.clear()
            sent = [
                NotificationCreated(recipient_id=7, notification_id=70),
                BuddiesChanged(user_ids=(7, 8)),
                NotificationCreated(recipient_id=8, notification_id=71),
            ]
            await asyncio.to_thread(relay.send, sent)
            await until(lambda: len(heard) >= 3, "the three events never arrived")
            return heard
        finally:
            await stop(listener)

    assert asyncio.run(scenario()) == [
        NotificationCreated(recipient_id=7, notification_id=70),
        BuddiesChanged(user_ids=(7, 8)),  # the tuple comes back a tuple
        NotificationCreated(recipient_id=8, notification_id=71),
    ]


def test_a_transaction_in_a_forwarding_process_is_relayed_after_its_commit_only(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the job worker does (`forward_to_app` in `run_worker`): its committed events
    go to the listener; a rolled-back transaction's events go nowhere."""
    monkeypatch.setattr(realtime, "_handlers", [])
    monkeypatch.setattr(realtime, "_batch_handlers", [])
    relay.forward_to_app()
    relay.forward_to_app()  # idempotent: one message per transaction

    def committed(session) -> None:
        publish_after_commit(session, NotificationCreated(recipient_id=5, notification_id=50))

    def refused(session) -> None:
        publish_after_commit(session, NotificationCreated(recipient_id=5, notification_id=51))
        raise ValueError("rolled back")

    async def scenario() -> list[object]:
        heard: list[object] = []
        listener = start(heard.append)
        try:
            await send_until_heard(heard, SessionsRevoked(user_id=0))
            heard.clear()
            with pytest.raises(ValueError):
                await asyncio.to_thread(run_transaction, refused)
            await asyncio.to_thread(run_transaction, committed)
            await until(lambda: len(heard) >= 1, "the committed event never arrived")
            await asyncio.sleep(0.3)  # a duplicate or the refused one would be here by now
            return heard
        finally:
            await stop(listener)

    assert asyncio.run(scenario()) == [NotificationCreated(recipient_id=5, notification_id=50)]


def test_one_app_process_listens_and_another_takes_over_when_it_goes(engine: Engine) -> None:
    async def scenario() -> tuple[list[object], list[object]]:
        first: list[object] = []
        second: list[object] = []
        leader = start(first.append)
        await send_until_heard(first, SessionsRevoked(user_id=1))
        standby = start(second.append)
        try:
            await asyncio.sleep(0.3)  # the standby has tried the lock a few times
            await asyncio.to_thread(relay.send, [SessionsRevoked(user_id=2)])
            await until(lambda: SessionsRevoked(user_id=2) in first, "the leader missed it")
            await asyncio.sleep(0.3)
            assert second == [], "both app processes delivered the same event"
            await stop(leader)  # its connection closes: the lock is free
            await send_until_heard(second, SessionsRevoked(user_id=3))
            return first, second
        finally:
            await stop(leader, standby)

    first, second = asyncio.run(scenario())
    assert SessionsRevoked(user_id=3) not in first
    assert second[-1] == SessionsRevoked(user_id=3)


def test_many_events_are_packed_into_messages_postgresql_accepts() -> None:
    events = [NotificationCreated(recipient_id=n, notification_id=10_000 + n) for n in range(800)]
    payloads = list(relay.messages(events))
    assert len(payloads) > 1
    assert all(len(payload.encode()) <= relay.MAX_PAYLOAD for payload in payloads)
    assert [event for payload in payloads for event in relay.received(payload)] == events


@pytest.mark.parametrize(
    "item",
    [
        {"type": "os:system", "fields": {}},
        {"type": "citypulse.services.notifications.create:notify", "fields": {}},
        {"type": "citypulse.services.notifications.events:Missing", "fields": {}},
        {"type": "citypulse.settings:Settings", "fields": {}},
        {"type": "citypulse.services.notifications.events:NotificationCreated", "fields": {"x": 1}},
    ],
)
def test_only_citypulse_events_are_rebuilt_from_a_message(item: dict) -> None:
    assert relay.received(json.dumps([item])) == []


def test_a_malformed_message_is_dropped() -> None:
    assert relay.received("not json") == []
    assert relay.received('{"type": "x"}') == []
