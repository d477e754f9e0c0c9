"""A crafted tab: any event, with any arguments, as if sent from any page.

Built on the e2e tier's `CraftedClient` (one socket.io connection to /_event, with or
without a cookie). Two additions make hundreds of calls fast and attributable:
- the router data a browser would send for a page (path, query and route parameters),
  since many handlers act on the id in the page's route;
- a marker after each event: Reflex sends nothing back for an event that changes no var,
  so waiting for silence would cost seconds per call. The marker (`set_is_hydrated` on
  the root state) always yields a delta, and a tab's events run in order, so its reply
  means the event before it has finished.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from reflex.state import State

from tests.e2e.support.crafted import NAMESPACE, CraftedClient

MARKER_EVENT = f"{State.get_full_name()}.set_is_hydrated"
MARKER_VAR = '"is_hydrated_rx_state_"'
REPLY_TIMEOUT = 30.0
# What Reflex's default backend exception handler shows for an unhandled handler error.
SERVER_ERROR_SIGNS = ("An error occurred", "backend_error")
_ROUTE_ARG = re.compile(r"\[([^\]]+)\]")


@dataclass(frozen=True)
class Page:
    """The page a crafted event claims to come from: a route and its values."""

    route: str = "/"
    params: dict[str, str] = field(default_factory=dict)  # route arguments
    search: dict[str, str] = field(default_factory=dict)  # the query string

    @property
    def path(self) -> str:
        return _ROUTE_ARG.sub(lambda m: quote(self.params.get(m.group(1), ""), safe=""), self.route)

    def router_data(self) -> dict[str, Any]:
        """What the browser's `withRouterData` sends with every event."""
        query = f"?{urlencode(self.search)}" if self.search else ""
        data: dict[str, Any] = {"pathname": self.path, "asPath": self.path + query}
        if self.search or self.params:
            data["query"] = {**self.search, **self.params}
        return data


def on(route: str, **values: object) -> Page:
    """`on("/recommendations/[id]", id=5, tab="x")`: route arguments fill the route."""
    names = set(_ROUTE_ARG.findall(route))
    params = {k: str(v) for k, v in values.items() if k in names}
    search = {k: str(v) for k, v in values.items() if k not in names}
    return Page(route, params, search)


def server_error_in(frames: str) -> bool:
    """True when the frames carry Reflex's "An error occurred" toast."""
    return any(sign in frames for sign in SERVER_ERROR_SIGNS)


class CraftedTab(CraftedClient):
    """One tab (client token) on one socket; events are awaited through the marker."""

    def __init__(self, origin: str, cookie_header: str = "") -> None:
        super().__init__(origin, cookie_header)
        self.origin = origin

    def emit(self, event: str, payload: Any, page: Page) -> None:
        self._client.emit(
            "event",
            namespace=NAMESPACE,
            data={"name": event, "payload": payload, "router_data": page.router_data()},
        )

    def call(self, event: str, payload: Any = None, page: Page = Page()) -> str:  # type: ignore[override]
        """Send one event, then the marker; every frame received until the marker's reply."""
        before = len(self.received)
        self.emit(event, payload if payload is not None else {}, page)
        return self._settle(before, page)

    def upload(self, event: str, files: list[tuple[str, bytes, str]], page: Page = Page()) -> str:
        """Call an upload handler the way `rx.upload` does: a multipart POST to /_upload.

        The handler runs against this tab's state (the client token header), so the tab
        is first placed on `page` with a marker. Returns the HTTP status and the frames.
        """
        self._settle(len(self.received), page)
        before = len(self.received)
        response = httpx.post(
            f"{self.origin}/_upload",
            headers={"reflex-client-token": self.token, "reflex-event-handler": event},
            files=[("files", item) for item in files],
            timeout=REPLY_TIMEOUT,
        )
        frames = self._settle(before, page)
        return f"HTTP {response.status_code}\n{response.text}\n{frames}"

    def _settle(self, before: int, page: Page) -> str:
        self.emit(MARKER_EVENT, {"value": True}, page)

        def marker_seen() -> bool:
            return any(MARKER_VAR in frame for frame in self.received[before:])

        with self._changed:
            assert self._changed.wait_for(marker_seen, timeout=REPLY_TIMEOUT), "no reply"
        return "\n".join(self.received[before:])

    def everything(self) -> str:
        """Every frame this tab received."""
        return "\n".join(self.received)


def frames_json(frames: str) -> list[dict]:
    """The frames as JSON objects (for tests that look inside deltas)."""
    return [json.loads(line) for line in frames.splitlines() if line.startswith("{")]
