"""Browser tabs without a browser: socket.io clients that speak to /_event as a page does.

A `LiveTab` connects with the page's boot event in the CONNECT packet (what the compiled
frontend sends: hydrate, then the route's on_load handlers), records every delta the
server pushes, and can send further events. Dozens of them cost far less than Chromium
pages, so the fan-out tests open a hundred.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import socketio

from tests.e2e.support.people import password_for

NAMESPACE = "/_event"
BOOT_EVENT = "reflex___state____state.hydrate_and_load"


def sign_in_cookie(origin: str, email: str, **http: Any) -> str:
    """A real session cookie header obtained through the real /auth/login route."""
    response = httpx.post(
        f"{origin}/auth/login",
        data={"email": email, "password": password_for(email)},
        headers={"Origin": origin},
        **http,
    )
    assert response.status_code == 303, response.text
    return "; ".join(f"{c.name}={c.value}" for c in response.cookies.jar)


class LiveTab:
    """One tab: a client token, a socket, and the deltas it received (as JSON text)."""

    def __init__(
        self,
        origin: str,
        path: str,
        cookie: str = "",
        *,
        params: dict[str, str] | None = None,
        ssl_verify: Any = True,
    ):
        self.token = str(uuid.uuid4())
        self.path, self.params = path, dict(params or {})  # params: the route's [id] etc.
        self.received: list[str] = []
        self._changed = threading.Condition()
        self._client = socketio.Client(reconnection=False, ssl_verify=ssl_verify)
        self._client.on("event", self._record, namespace=NAMESPACE)
        self._client.on("new_token", self._renamed, namespace=NAMESPACE)
        boot = {"name": BOOT_EVENT, "payload": {}, "router_data": self._router_data()}
        self._client.connect(
            f"{origin}?token={self.token}",
            namespaces=[NAMESPACE],
            socketio_path=NAMESPACE,
            transports=["websocket"],
            headers={"Cookie": cookie} if cookie else {},
            auth={"event": boot},
            wait_timeout=20,
        )

    def _router_data(self) -> dict[str, Any]:
        return {"pathname": self.path, "asPath": self.path, "query": self.params}

    def _record(self, data: Any) -> None:
        with self._changed:
            self.received.append(json.dumps(data))
            self._changed.notify_all()

    def _renamed(self, token: str) -> None:
        self.token = token  # the server gave this socket a fresh token (as for a copied tab)

    def wait_for(self, check: Callable[[str], bool], timeout: float = 20) -> str:
        """The first received message that passes `check` (fails after `timeout`)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for message in self.received:
                    if check(message):
                        return message
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"no matching message for {self.path}: {self.received!r}"
                self._changed.wait(remaining)

    def send(self, handler: str, payload: dict[str, Any] | None = None) -> int:
        """Emit one event of this page; returns how many messages had arrived before it."""
        with self._changed:
            before = len(self.received)
        self._client.emit(
            "event",
            {"name": handler, "payload": payload or {}, "router_data": self._router_data()},
            namespace=NAMESPACE,
        )
        return before

    def messages_since(self, index: int) -> list[str]:
        with self._changed:
            return self.received[index:]

    def close(self) -> None:
        """Close the socket the way a closed browser tab does."""
        self._client.disconnect()
