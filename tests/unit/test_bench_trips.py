"""The trips bench's tab: it answers a channel move as a signed-in member's page watcher
does and records when each member's latest title reaches it, pushed or re-read
(superseded edits with their successor)."""

import asyncio

from bench.trips import TripTab, marker

NAMES = {"page": "root.session.trip", "live": "root.shared.trip_live",
         "plan": "root.shared.trip_plan_live",
         "catch_up": "root.session.trip.catch_up"}  # fmt: skip


class Recorder(TripTab):
    def __init__(self) -> None:
        super().__init__("http://127.0.0.1:1", 7, "", member=0, names=NAMES)
        self.sent: list[dict] = []

        async def emit(_kind, event, namespace):
            self.sent.append(event)

        self._client.emit = emit  # type: ignore[method-assign]


def days_delta(*titles: str, state: str = "page") -> dict:
    activities = [{"title": title} for title in titles]
    return {"delta": {NAMES[state]: {"days_rx_state_": [{"activities": activities}]}}}


def test_a_channel_move_sends_catch_up_with_the_dynamic_route() -> None:
    async def scenario() -> list[dict]:
        tab = Recorder()
        await tab._received({"delta": {NAMES["live"]: {"serial_rx_state_": 3}}})  # itinerary
        await tab._received({"delta": {NAMES["live"]: {"pull_serial_rx_state_": 2}}})
        await asyncio.sleep(0)
        return tab.sent

    (event,) = asyncio.run(scenario())
    assert event["name"] == NAMES["catch_up"]
    assert event["router_data"] == {"pathname": "/trips/[id]", "asPath": "/trips/7",
                                    "query": {"id": "7"}}  # fmt: skip


def test_arrivals_count_superseded_edits_with_their_successor() -> None:
    tab = Recorder()
    asyncio.run(tab._received(days_delta(marker(1, 0), marker(2, 0))))
    asyncio.run(tab._received(days_delta(marker(1, 3), marker(2, 0), state="plan")))
    asyncio.run(tab._received(days_delta(marker(1, 3), marker(2, 1), state="plan")))
    got = [(who, n) for who, n, _ in tab.arrivals]
    assert got == [(1, 0), (2, 0), (1, 1), (1, 2), (1, 3), (2, 1)]
    assert tab.catch_ups == 0
