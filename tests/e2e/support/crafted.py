"""A hand-made client of the live connection: sends any event with any arguments.

This is what an attacker can do without the UI (ARCHITECTURE.md security invariant 1),
so the security journeys use it to call handlers the page would never offer.
"""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import socketio

NAMESPACE = "/_event"  # Reflex serves its socket.io namespace at this path too
QUIET_SECONDS = 0.5


class CraftedClient:
    """One socket.io connection to /_event with a chosen cookie header."""

    def __init__(self, origin: str, cookie_header: str = "") -> None:
        self.received: list[str] = []
        self._changed = threading.Condition()
        self._client = socketio.Client(reconnection=False)
        self._client.on("event", self._record, namespace=NAMESPACE)
        self.token = str(uuid.uuid4())  # the tab's client token (a bearer credential)
        headers = {}  # the websocket client adds the site's own Origin itself
        if cookie_header:
            headers["Cookie"] = cookie_header
        self._client.connect(
            f"{origin}?token={self.token}",
            namespaces=[NAMESPACE],
            socketio_path=NAMESPACE,
            transports=["websocket"],
            headers=headers,
            wait_timeout=10,
        )

    def _record(self, data: Any) -> None:
        with self._changed:
            self.received.append(json.dumps(data))
            self._changed.notify_all()

    def send(self, handler: str, payload: Any, path: str = "/settings") -> None:
        """Emit one event without waiting for a reply (some events get none)."""
        self._client.emit(
            "event",
            namespace=NAMESPACE,
            data=
            {"name": handler, "payload": payload,
             "router_data": {"pathname": path, "asPath": path}},
        )  # fmt: skip

    def call(self, handler: str, payload: dict[str, Any], path: str = "/settings") -> str:
        """Emit one event and return every message received until the reply settles."""
        before = len(self.received)
        self.send(handler, payload, path)
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.received) > before, timeout=15)
            # The reply may come in several updates: collect until the socket goes quiet.
            while self._changed.wait(timeout=QUIET_SECONDS):
                pass
        return "\n".join(self.received[before:])

    def close(self) -> None:
        self._client.disconnect()
