"""Live fan-out proportional to the live tabs (issue 8, item 3).

Reflex 0.10.1 keeps every client token that ever linked a shared key; CityPulse unlinks
tabs that leave a page or disconnect and prunes tokens whose socket is gone. These
journeys open real socket.io tabs (as the compiled page does) against the in-process
backend and look at the shared states and at Reflex's fan-out itself.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import reflex as rx
from reflex.istate import shared
from sqlmodel import select

from citypulse.db import session_scope
from citypulse.models import User
from citypulse.state import live_links
from citypulse.state.recommendations.detail import RecommendationDetailState
from citypulse.state.recommendations.live import RecommendationLive, channel_key
from citypulse.state.session import UserChannel
from tests.e2e.support.people import create_member, create_place
from tests.e2e.support.tabs import LiveTab, sign_in_cookie
from tests.support.harness import SameOriginHarness

pytestmark = pytest.mark.harness_only("reads the backend's shared state in-process")

TABS = 100
DEAD_CLIENT = "Attempting to send delta to disconnected client"
LOADED = '"loaded_rx_state_": true'


def user_id(username: str) -> int:
    with session_scope() as session:
        return session.exec(select(User.id).where(User.username == username)).one()


def handler(name: str) -> str:
    return f"{RecommendationDetailState.get_full_name()}.{name}"


class Backend:
    """Runs coroutines on the in-process backend's event loop (where its state lives)."""

    def __init__(self, harness: SameOriginHarness) -> None:
        self.app = harness.app_instance
        self.loop = harness.backend.servers[0].get_loop()

    def run(self, make: Callable[[], Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(make(), self.loop).result(timeout=20)

    def linked(self, shared_cls: type[rx.SharedState], key: str) -> set[str]:
        """The client tokens Reflex would fan an update of `key` out to."""

        async def read() -> set[str]:
            token = rx.BaseStateToken(ident=key, cls=shared_cls)
            root = await self.app.state_manager.get_state(token)
            return set((await root.get_state(shared_cls))._linked_from)

        return self.run(read)

    def wait_linked(self, shared_cls, key: str, expected: set[str], timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while (found := self.linked(shared_cls, key)) != expected:
            assert time.monotonic() < deadline, f"{key}: {len(found)} linked, not {expected}"
            time.sleep(0.1)


@pytest.fixture
def backend(app_harness: SameOriginHarness) -> Backend:
    return Backend(app_harness)


@pytest.fixture
def fanouts(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The token sets a shared-state write is fanned out to, in order: live_links' own
    delta emission (shared states nothing computes from) or Reflex's fan-out."""
    calls: list[set[str]] = []
    original = shared._do_update_other_tokens
    original_emit = live_links._emit

    def recording(affected_tokens, previous_dirty_vars, state_type):
        tasks = original(affected_tokens, previous_dirty_vars, state_type)
        if tasks:  # one task per tab Reflex really updates
            calls.append(set(affected_tokens))
        return tasks

    async def recording_emit(app, tokens, update) -> None:
        if tokens:
            calls.append(set(tokens))
        await original_emit(app, tokens, update)

    monkeypatch.setattr(shared, "_do_update_other_tokens", recording)
    monkeypatch.setattr(live_links, "_emit", recording_emit)
    return calls


@pytest.fixture
def reflex_warnings() -> Iterator[list[str]]:
    """Warnings Reflex logs while the test runs (its app logger, whatever the config)."""
    messages: list[str] = []
    handler_ = logging.Handler(logging.WARNING)
    handler_.emit = lambda record: messages.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("reflex.app")
    level = logger.level
    logger.setLevel(logging.WARNING)  # so a suppressed level cannot hide the warning
    logger.addHandler(handler_)
    yield messages
    logger.removeHandler(handler_)
    logger.setLevel(level)


def open_tabs(origin: str, place: int, count: int, cookie: str = "") -> list[LiveTab]:
    """`count` tabs showing /recommendations/<place>, each hydrated and loaded."""
    path, params = f"/recommendations/{place}", {"id": str(place)}
    tabs = [LiveTab(origin, path, cookie, params=params) for _ in range(count)]
    for tab in tabs:
        tab.wait_for(lambda message: LOADED in message)
    return tabs


def test_a_like_reaches_only_the_tab_still_open(
    backend: Backend, backend_url: str, fanouts: list[set[str]], reflex_warnings: list[str]
) -> None:
    create_member("fanout_author")
    liker_email = create_member("fanout_liker")
    place = create_place("fanout_author", title="Hundred Tabs Cafe")
    key = channel_key(place)

    tabs = open_tabs(backend_url, place, TABS)
    backend.wait_linked(RecommendationLive, key, {tab.token for tab in tabs})
    survivor, closed = tabs[0], tabs[1:]
    for tab in closed:
        tab.close()
    backend.wait_linked(RecommendationLive, key, {survivor.token})

    liker = open_tabs(backend_url, place, 1, sign_in_cookie(backend_url, liker_email))[0]
    assert backend.linked(RecommendationLive, key) == {survivor.token, liker.token}
    fanouts.clear()
    seen = len(survivor.received)
    liker.send(handler("toggle_like"))
    survivor.wait_for(lambda message: '"likes": 1' in message)

    touched = set().union(*fanouts)
    assert survivor.token in touched
    assert touched <= {survivor.token, liker.token}, f"{len(touched)} tabs touched by one like"
    assert not touched & {tab.token for tab in closed}
    assert len(survivor.messages_since(seen)) <= 2  # the counters, nothing per dead tab
    assert not [m for m in reflex_warnings if DEAD_CLIENT in m], reflex_warnings
    for tab in (survivor, liker):
        tab.close()


def test_leaving_the_page_or_closing_the_tab_unlinks_every_key(
    backend: Backend, backend_url: str
) -> None:
    email = create_member("fanout_wanderer")
    first = create_place("fanout_wanderer", title="First Stop")
    second = create_place("fanout_wanderer", title="Second Stop")
    cookie = sign_in_cookie(backend_url, email)
    tab = open_tabs(backend_url, first, 1, cookie)[0]
    user_key = f"user-{user_id('fanout_wanderer')}"
    assert backend.linked(UserChannel, user_key) == {tab.token}
    assert backend.linked(RecommendationLive, channel_key(first)) == {tab.token}

    # Another recommendation in the same tab: the link moves with it.
    tab.path, tab.params = f"/recommendations/{second}", {"id": str(second)}
    tab.send(handler("load"))
    backend.wait_linked(RecommendationLive, channel_key(second), {tab.token})
    assert backend.linked(RecommendationLive, channel_key(first)) == set()

    # Client-side navigation away unmounts the page, which sends `leave`.
    tab.send(handler("leave"))
    backend.wait_linked(RecommendationLive, channel_key(second), set())
    assert tab.token in backend.linked(UserChannel, user_key)  # the tab itself is still open

    tab.close()
    backend.wait_linked(UserChannel, user_key, set())


def test_a_tab_forgotten_by_its_key_is_registered_again_and_can_leave(
    backend: Backend, backend_url: str
) -> None:
    """A tab a key forgot (its socket dropped, then came back) is registered again at its
    next event, and that event may leave the page: no event waits for a lock it holds."""
    create_member("fanout_returning")
    place = create_place("fanout_returning", title="Comeback Cafe")
    key = channel_key(place)
    tab = open_tabs(backend_url, place, 1)[0]

    async def forget() -> None:
        token = rx.BaseStateToken(ident=key, cls=RecommendationLive)
        async with backend.app.state_manager.modify_state(token) as root:
            (await root.get_state(RecommendationLive))._linked_from.discard(tab.token)

    backend.run(forget)
    assert backend.linked(RecommendationLive, key) == set()
    tab.send(handler("leave"))  # registered again as the event starts, then it leaves
    backend.wait_linked(RecommendationLive, key, set())
    seen = len(tab.received)
    tab.send(handler("load"))  # the tab still answers: its last event ended
    tab.wait_for(lambda message: any(LOADED in m for m in tab.messages_since(seen)))
    backend.wait_linked(RecommendationLive, key, {tab.token})
    tab.close()


def test_tokens_of_sockets_gone_elsewhere_are_pruned_before_fan_out(
    backend: Backend, backend_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that died never reported its disconnects: the next update forgets them."""
    create_member("fanout_pruned_author")
    liker_email = create_member("fanout_pruned_liker")
    place = create_place("fanout_pruned_author", title="Ghost Tabs Bistro")
    key = channel_key(place)
    viewer = open_tabs(backend_url, place, 1)[0]
    ghosts = {f"ghost-of-a-dead-worker-{n}" for n in range(50)}

    async def haunt() -> None:
        token = rx.BaseStateToken(ident=key, cls=RecommendationLive)
        async with backend.app.state_manager.modify_state(token) as root:
            (await root.get_state(RecommendationLive))._linked_from.update(ghosts)

    backend.run(haunt)
    assert backend.linked(RecommendationLive, key) == ghosts | {viewer.token}
    monkeypatch.setattr(live_links, "PRUNE_INTERVAL_SECONDS", 0.0)
    liker = open_tabs(backend_url, place, 1, sign_in_cookie(backend_url, liker_email))[0]
    liker.send(handler("toggle_like"))
    viewer.wait_for(lambda message: '"likes": 1' in message)
    assert backend.linked(RecommendationLive, key) == {viewer.token, liker.token}
    for tab in (viewer, liker):
        tab.close()
