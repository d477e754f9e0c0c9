"""One simulated browser tab: a socket.io client of `/_event`, as the Reflex frontend.

The frontend (reflex `utils/state.js`) connects to `/_event?token=<uuid>` over a
websocket with the page's `hydrate_and_load` event in the CONNECT packet's auth data,
then emits `event` packets `{name, payload, router_data: {pathname, asPath, query}}`.
The server answers with `event` packets `{delta: {state: {var: value}}, events: [...]}`.
There is no "done" marker, so a call waits for the first delta that shows its effect.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any

import socketio

NAMESPACE = "/_event"
ROOT_STATE = "reflex___state____state"
HYDRATE = f"{ROOT_STATE}.hydrate_and_load"
HYDRATED = "is_hydrated_rx_state_"

Delta = dict[str, dict[str, Any]]
Predicate = Callable[[Delta], bool]


def hydrated(delta: Delta) -> bool:
    """The page is open: its on_load handlers ran and Reflex marked the tab hydrated."""
    return delta.get(ROOT_STATE, {}).get(HYDRATED) is True


def touches(state_name: str) -> Predicate:
    """A delta that changes any var of `state_name` (the handler's own state)."""
    return lambda delta: state_name in delta


class Tab:
    """A signed-in (or visitor) tab on one page; one event in flight at a time."""

    def __init__(self, origin: str, path: str, cookie: str = "") -> None:
        self.origin, self.path, self.cookie = origin, path, cookie
        self.token = str(uuid.uuid4())
        self.unmatched = 0  # deltas that answered nothing we waited for (pushes, extras)
        self._client = socketio.AsyncClient(reconnection=False)
        self._client.on("event", self._received, namespace=NAMESPACE)
        self._waiting: tuple[Predicate, asyncio.Future[float]] | None = None

    def _router_data(self) -> dict[str, Any]:
        return {"pathname": self.path, "asPath": self.path}

    async def _received(self, update: dict[str, Any]) -> None:
        delta = update.get("delta") or {}
        waiting = self._waiting
        if waiting is not None and waiting[0](delta) and not waiting[1].done():
            waiting[1].set_result(time.perf_counter())
            self._waiting = None
        else:
            self.unmatched += 1

    def _expect(self, done: Predicate) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting = (done, future)
        return future

    async def open(self, timeout: float = 30.0) -> float:
        """Connect and hydrate the page (with its on_load); returns the seconds it took."""
        started = time.perf_counter()
        answered = self._expect(hydrated)
        headers = {"Origin": self.origin}
        if self.cookie:
            headers["Cookie"] = self.cookie
        boot = {"name": HYDRATE, "payload": {}, "router_data": self._router_data()}
        await self._client.connect(
            f"{self.origin}?token={self.token}",
            headers=headers,
            auth={"event": boot},
            transports=["websocket"],
            namespaces=[NAMESPACE],
            socketio_path=NAMESPACE,
            wait_timeout=timeout,
        )
        return await asyncio.wait_for(answered, timeout) - started

    async def call(
        self, handler: str, done: Predicate, payload: dict[str, Any] | None = None,
        *, timeout: float = 30.0,
    ) -> float:  # fmt: skip
        """Emit one event; returns the time at which its effect arrived (perf_counter)."""
        answered = self._expect(done)
        event = {"name": handler, "payload": payload or {}, "router_data": self._router_data()}
        await self._client.emit("event", event, namespace=NAMESPACE)
        try:
            return await asyncio.wait_for(answered, timeout)
        finally:
            self._waiting = None

    async def close(self) -> None:
        """Disconnect, as a closed browser tab does (the server keeps its state)."""
        await self._client.disconnect()
