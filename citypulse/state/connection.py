"""The live connection's private facts, kept off the state tree (ARCHITECTURE.md invariants 4, 8).

Reflex copies the WebSocket handshake's headers and the client's address into every
event's router data, which is pickled with the state, written to the log when an event
fails and sent to the browser in deltas. Here the session cookie and the client address
stay server-side, per socket, and are stripped (with the proxy address headers) from
the router data before Reflex stores it (§5.4: IP addresses never reach the browser).

The identity behind a tab's cookie is remembered per client token: when a tab
reconnects as someone else (signed in, signed out, another account), it gets a fresh
client token, so one person's state never reaches the next (PRODUCT.md §5.3).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import reflex as rx
from reflex_base import constants

from citypulse.api.cookies import ACCESS_COOKIE, parse_cookie_header
from citypulse.auth.client_info import client_ip
from citypulse.auth.sessions import IDLE_TIMEOUT
from citypulse.auth.tokens import InvalidToken, read_access_token, verify
from citypulse.settings import get_settings

logger = logging.getLogger(__name__)
# Headers that identify the person or their address: kept server-side, never in state.
PRIVATE_HEADERS = frozenset(
    {"cookie", "x-forwarded-for", "x-real-ip", "forwarded", "asgi-scope-client"}
)
SIGNED_OUT = "signed-out"  # identity of a tab whose session ended while it was open
ANONYMOUS = "visitor"
IDENTITY_TTL_SECONDS = 3600 * 24  # longer than any state Reflex keeps for a token
MEMORY_IDENTITIES = 100_000  # bound of the single-process registry
# How long past its expiry the live connection still accepts an access token. The
# handshake's cookie is frozen for the socket's life; a socket whose token expired
# while it was open is renewed (closed, so the browser reconnects with its refreshed
# cookie). A copied cookie therefore stops working this long after it expires.
LIVE_TOKEN_GRACE = IDLE_TIMEOUT
RENEW_DELAY_SECONDS = 0.5  # let the current event's reply reach the browser first


@dataclass(frozen=True)
class ConnectionFacts:
    """What the handshake told about one socket that must not live in state."""

    cookie: str
    client_ip: str | None
    connected_at: datetime


class ConnectionRenewing(Exception):
    """The socket's token is too old to act on; the socket is being reopened."""


_facts: dict[str, ConnectionFacts] = {}  # by Socket.IO session id, dropped on disconnect


def facts_for(sid: str) -> ConnectionFacts | None:
    """The private facts of socket `sid` (None for an unknown or closed socket)."""
    return _facts.get(sid)


def identity_of(cookie_header: str) -> str:
    """Who a cookie header speaks for: the signed session family, or 'visitor'.

    Only the signature is checked (no database): a revoked session still names its
    family here; the tab is marked signed out separately when the session ends live.
    """
    token = parse_cookie_header(cookie_header).get(ACCESS_COOKIE)
    if not token:
        return ANONYMOUS
    try:
        claims = read_access_token(token, datetime.now(UTC), allow_expired=True)
    except InvalidToken:
        return ANONYMOUS
    return f"{claims.user_id}:{claims.family_id}"


class IdentityRegistry:
    """Client token (hashed) → identity it was last used by; Redis across workers."""

    def __init__(self) -> None:
        self._memory: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._redis: Any = None
        if url := get_settings().redis_url:
            import redis.asyncio as redis

            self._redis = redis.from_url(url)

    @staticmethod
    def _key(client_token: str) -> str:
        # The tab token is a bearer credential: store only its hash.
        return "citypulse:tab-identity:" + hashlib.sha256(client_token.encode()).hexdigest()

    async def get(self, client_token: str) -> str | None:
        """The identity this token was last used by, if remembered."""
        key = self._key(client_token)
        if self._redis is not None:
            value = await self._redis.get(key)
            return value.decode() if value is not None else None
        entry = self._memory.get(key)
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    async def set(self, client_token: str, identity: str) -> None:
        """Remember `identity` for this token (bounded, expiring)."""
        key = self._key(client_token)
        if self._redis is not None:
            await self._redis.set(key, identity, ex=IDENTITY_TTL_SECONDS)
            return
        self._memory[key] = (identity, time.monotonic() + IDENTITY_TTL_SECONDS)
        self._memory.move_to_end(key)
        while len(self._memory) > MEMORY_IDENTITIES:
            self._memory.popitem(last=False)


_registry: IdentityRegistry | None = None


def _identities() -> IdentityRegistry:
    global _registry
    if _registry is None:
        _registry = IdentityRegistry()
    return _registry


async def mark_signed_out(client_token: str) -> None:
    """The session of this tab ended while it was open: its next connection starts fresh."""
    await _identities().set(client_token, SIGNED_OUT)


def usable_access_token(sid: str, token: str | None, now: datetime) -> str | None:
    """The socket's access token if the live connection may still act on it.

    Unexpired: yes. Expired while this socket was open: yes within LIVE_TOKEN_GRACE, and
    the socket is renewed so the browser reconnects with its current cookie; past the
    grace the event is not run (`ConnectionRenewing`). Already expired when the socket
    opened (a stale or copied cookie): yes within the grace, else None (signed out).
    """
    if not token:
        return None
    try:
        expires = verify("access", token, now, allow_expired=True).get("exp")
    except InvalidToken:
        return None
    if expires is None or expires > now.timestamp():
        return token
    expired_at = datetime.fromtimestamp(expires, UTC)
    facts = facts_for(sid)
    if facts is not None and facts.connected_at < expired_at:
        renew_connection(sid)
        if now - expired_at > LIVE_TOKEN_GRACE:
            raise ConnectionRenewing
        return token
    return token if now - expired_at <= LIVE_TOKEN_GRACE else None


_namespace: Any = None  # the app's event namespace, once installed


def renew_connection(sid: str) -> None:
    """Close the socket's transport soon; the browser reconnects with its current cookie."""
    if _namespace is None:
        return
    server = _namespace.app.sio

    async def close() -> None:
        await asyncio.sleep(RENEW_DELAY_SECONDS)
        eio_sid = server.manager.eio_sid_from_sid(sid, _namespace.namespace)
        if eio_sid is not None:
            await server.eio.disconnect(eio_sid)

    task = asyncio.get_running_loop().create_task(close())
    _renewals.add(task)
    task.add_done_callback(_renewals.discard)


_renewals: set[asyncio.Task] = set()


def _cookie_from_environ(environ: dict) -> str:
    for name, value in (environ.get("asgi.scope") or {}).get("headers", []):
        if name.lower() == b"cookie":
            return value.decode("latin-1")
    return environ.get("HTTP_COOKIE", "")


def install_connection_privacy(app: rx.App) -> None:
    """Wrap the app's event namespace: private facts per socket, fresh tokens per identity."""
    global _namespace
    namespace = app.event_namespace
    if namespace is None or getattr(namespace, "_citypulse_private", False):
        return
    _namespace = namespace
    build_router_data = namespace._build_static_router_data
    link_token = namespace.link_token_to_sid
    on_disconnect = namespace.on_disconnect

    def private_router_data(sid: str, environ: dict) -> dict[str, Any]:
        data = build_router_data(sid, environ)
        headers = data[constants.RouteVar.HEADERS]
        peer = data.get(constants.RouteVar.CLIENT_IP) or None
        _facts[sid] = ConnectionFacts(
            cookie=headers.get("cookie", ""),
            client_ip=client_ip(peer, headers),
            connected_at=datetime.now(UTC),
        )
        data[constants.RouteVar.HEADERS] = {
            name: value for name, value in headers.items() if name not in PRIVATE_HEADERS
        }
        data[constants.RouteVar.CLIENT_IP] = ""
        return data

    async def link_token_for_identity(sid: str, token: str, **kwargs: Any) -> None:
        environ = namespace.app.sio.get_environ(sid, namespace.namespace) or {}
        identity = identity_of(_cookie_from_environ(environ))
        previous = await _identities().get(token)
        if previous is not None and previous != identity:
            token = str(uuid.uuid4())  # someone else now: never reuse the old state
            await namespace.emit("new_token", token, to=sid)
        await link_token(sid, token, **kwargs)
        await _identities().set(namespace.sid_to_token.get(sid, token), identity)

    def forget_socket(sid: str) -> Any:
        _facts.pop(sid, None)
        return on_disconnect(sid)

    namespace._build_static_router_data = private_router_data
    namespace.link_token_to_sid = link_token_for_identity
    namespace.on_disconnect = forget_socket
    namespace._citypulse_private = True
