"""How `live_links` hands one key's delta to the linked tabs' sockets.

A burst (one notification to 1,000 people: 1,000 keys) must reach every socket this
worker holds without the event loop turning between keys, or the events the first tabs
send back run between the writes (docs/performance.md, notification fan-out, session 7).
Delivery through real sockets is covered by tests/e2e/test_live_fanout.py.
"""

from __future__ import annotations

import asyncio
import json
from types import SimpleNamespace

from socketio import packet as sio_packet

from citypulse.state import live_links

NAMESPACE = "/_event"


class Sockets:
    """This worker's engine.io sockets: records each packet queued on one."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send_packet(self, eio_sid: str, packet) -> None:
        self.sent.append((eio_sid, packet.encode()))


def app_with(here: list[str], elsewhere: list[str], relayed: list[str], sockets: Sockets):
    """An app whose worker holds the sockets of `here`; `elsewhere` are on another."""
    records = {token: SimpleNamespace(sid=f"sid-{token}", instance_id="this") for token in here}
    records |= {token: SimpleNamespace(sid="?", instance_id="other") for token in elsewhere}

    async def is_token_connected(token: str) -> bool:
        return token in records

    async def emit_update(update, token: str) -> None:
        relayed.append(token)

    server = SimpleNamespace(
        packet_class=sio_packet.Packet,
        eio=sockets,
        manager=SimpleNamespace(eio_sid_from_sid=lambda sid, namespace: f"eio-{sid}"),
    )
    tokens = SimpleNamespace(
        token_to_socket=records, instance_id="this", is_token_connected=is_token_connected
    )
    namespace = SimpleNamespace(
        server=server, namespace=NAMESPACE, _token_manager=tokens, emit_update=emit_update
    )
    return SimpleNamespace(event_namespace=namespace)


def test_a_delta_is_queued_on_each_local_socket_without_the_loop_turning() -> None:
    sockets, relayed = Sockets(), []
    here = [f"tab-{n}" for n in range(3)]
    app = app_with(here, ["remote"], relayed, sockets)
    update = {"delta": {"user_channel": {"notification_epoch": 2}}}

    async def emit() -> list[bool]:
        turned: list[bool] = []
        asyncio.get_running_loop().call_soon(turned.append, True)
        await live_links._emit(app, [*here, "remote", "closed"], update)
        return list(turned)  # before the loop runs what was scheduled

    assert asyncio.run(emit()) == []  # nothing else ran meanwhile
    assert [eio_sid for eio_sid, _ in sockets.sent] == [f"eio-sid-{t}" for t in here]
    for _, encoded in sockets.sent:  # what `namespace.emit("event", update, to=sid)` sends
        assert encoded.startswith(f"42{NAMESPACE},")  # engine.io message, socket.io event
        assert json.loads(encoded.split(",", 1)[1]) == ["event", update]
    assert relayed == ["remote"]  # another worker's tab: relayed; a closed tab: skipped


def test_live_tokens_answers_for_local_sockets_without_asking() -> None:
    relayed: list[str] = []
    app = app_with(["tab-1"], ["remote"], relayed, Sockets())

    async def check() -> tuple[set[str], list[bool]]:
        turned: list[bool] = []
        asyncio.get_running_loop().call_soon(turned.append, True)
        local = await live_links.live_tokens(app, ["tab-1"])
        return local, list(turned)

    assert asyncio.run(check()) == ({"tab-1"}, [])
    assert asyncio.run(live_links.live_tokens(app, ["tab-1", "remote", "gone"])) == {
        "tab-1",
        "remote",
    }
