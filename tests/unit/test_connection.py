"""The live connection's private facts: what leaves router data, and who a tab is."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from reflex_base import constants

from citypulse.auth.tokens import issue_access_token
from citypulse.state import connection
from citypulse.state.connection import (
    ANONYMOUS,
    IdentityRegistry,
    facts_for,
    identity_of,
    install_connection_privacy,
)


class FakeNamespace:
    """Just the surface of Reflex's EventNamespace that the wrappers replace."""

    namespace = "/_event"

    def __init__(self) -> None:
        self.sid_to_token: dict[str, str] = {}
        self.emitted: list[tuple[str, str]] = []
        self.disconnected: list[str] = []
        self.app = self
        self.sio = self
        self.environ: dict = {}

    def get_environ(self, sid: str, namespace: str) -> dict:
        return self.environ

    def _build_static_router_data(self, sid: str, environ: dict) -> dict:
        return {
            constants.RouteVar.SESSION_ID: sid,
            constants.RouteVar.CLIENT_IP: "10.1.2.3",
            constants.RouteVar.HEADERS: {
                "cookie": "cp_access=secret",
                "x-forwarded-for": "203.0.113.7",
                "x-real-ip": "203.0.113.8",
                "user-agent": "Chromium",
            },
        }

    async def link_token_to_sid(self, sid: str, token: str, **kwargs: object) -> None:
        self.sid_to_token[sid] = token

    async def emit(self, event: str, data: str, to: str) -> None:
        self.emitted.append((event, data))

    def on_disconnect(self, sid: str) -> None:
        self.disconnected.append(sid)


class FakeApp:
    def __init__(self) -> None:
        self.event_namespace = FakeNamespace()


def installed() -> FakeNamespace:
    connection._registry = IdentityRegistry()
    app = FakeApp()
    install_connection_privacy(app)
    return app.event_namespace


def cookie_for(user_id: int, family: uuid.UUID) -> str:
    return f"cp_access={issue_access_token(user_id, family, datetime.now(UTC))}"


def test_router_data_keeps_no_cookie_and_no_address() -> None:
    namespace = installed()
    data = namespace._build_static_router_data("sid-1", {})
    headers = data[constants.RouteVar.HEADERS]
    assert set(headers) == {"user-agent"}
    assert data[constants.RouteVar.CLIENT_IP] == ""
    facts = facts_for("sid-1")
    assert facts is not None and facts.cookie == "cp_access=secret"
    namespace.on_disconnect("sid-1")
    assert facts_for("sid-1") is None and namespace.disconnected == ["sid-1"]


def test_identity_is_the_signed_session_family() -> None:
    family = uuid.uuid4()
    assert identity_of(cookie_for(7, family)) == f"7:{family}"
    assert identity_of("") == ANONYMOUS
    assert identity_of("cp_access=forged.token.value") == ANONYMOUS
    old = issue_access_token(7, family, datetime.now(UTC) - timedelta(hours=2))
    assert identity_of(f"cp_access={old}") == f"7:{family}"  # expiry is the session's job


def test_a_tab_reconnecting_as_someone_else_gets_a_new_token() -> None:
    namespace = installed()
    dave, carol = cookie_for(1, uuid.uuid4()), cookie_for(2, uuid.uuid4())

    async def connect(cookie: str, token: str) -> str:
        namespace.environ = {"HTTP_COOKIE": cookie}
        await namespace.link_token_to_sid("sid", token)
        return namespace.sid_to_token["sid"]

    async def scenario() -> None:
        assert await connect(dave, "tab-token") == "tab-token"
        assert await connect(dave, "tab-token") == "tab-token"  # a reconnect stays
        fresh = await connect("", "tab-token")  # signed out: someone new
        assert fresh != "tab-token" and ("new_token", fresh) in namespace.emitted
        assert await connect(carol, fresh) not in {fresh, "tab-token"}

    asyncio.run(scenario())


def test_a_tab_signed_out_live_gets_a_new_token_even_with_its_old_cookie() -> None:
    namespace = installed()
    cookie = cookie_for(3, uuid.uuid4())

    async def scenario() -> None:
        namespace.environ = {"HTTP_COOKIE": cookie}
        await namespace.link_token_to_sid("sid", "tab")
        await connection.mark_signed_out("tab")
        await namespace.link_token_to_sid("sid", "tab")
        assert namespace.sid_to_token["sid"] != "tab"

    asyncio.run(scenario())


def test_the_single_process_registry_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(connection, "MEMORY_IDENTITIES", 3)
    registry = IdentityRegistry()

    async def scenario() -> None:
        for index in range(5):
            await registry.set(f"token-{index}", "visitor")
        assert await registry.get("token-0") is None
        assert await registry.get("token-4") == "visitor"

    asyncio.run(scenario())


def open_socket(sid: str, connected_at: datetime) -> None:
    connection._facts[sid] = connection.ConnectionFacts("", None, connected_at)


def test_a_fresh_token_is_used_as_it_is() -> None:
    now = datetime.now(UTC)
    token = issue_access_token(5, uuid.uuid4(), now)
    open_socket("sid-fresh", now)
    assert connection.usable_access_token("sid-fresh", token, now) == token
    assert connection.usable_access_token("sid-fresh", None, now) is None
    assert connection.usable_access_token("sid-fresh", "not-a-jwt", now) is None


def test_a_stale_cookie_works_only_within_the_grace_after_its_expiry() -> None:
    issued = datetime.now(UTC) - timedelta(hours=3)
    token = issue_access_token(5, uuid.uuid4(), issued)
    expired_at = issued + timedelta(minutes=15)
    grace = connection.LIVE_TOKEN_GRACE
    open_socket("sid-stale", expired_at + timedelta(minutes=1))  # opened with it expired
    within = expired_at + grace - timedelta(seconds=1)
    assert connection.usable_access_token("sid-stale", token, within) == token
    beyond = expired_at + grace + timedelta(seconds=1)
    assert connection.usable_access_token("sid-stale", token, beyond) is None


def test_a_token_that_aged_on_its_socket_renews_the_socket(monkeypatch) -> None:
    issued = datetime.now(UTC) - timedelta(hours=3)
    token = issue_access_token(5, uuid.uuid4(), issued)
    expired_at = issued + timedelta(minutes=15)
    open_socket("sid-aged", issued)  # opened while the token was fresh
    renewed: list[str] = []
    monkeypatch.setattr(connection, "renew_connection", renewed.append)
    soon_after = expired_at + timedelta(minutes=1)
    assert connection.usable_access_token("sid-aged", token, soon_after) == token
    late = expired_at + connection.LIVE_TOKEN_GRACE + timedelta(minutes=1)
    with pytest.raises(connection.ConnectionRenewing):
        connection.usable_access_token("sid-aged", token, late)
    assert renewed == ["sid-aged", "sid-aged"]
