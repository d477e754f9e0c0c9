"""`make bench-trips` / `python -m bench.trips`: live trip collaboration (issue 12, §6.3).

Target: 20 members editing one trip at 1 action/s each, p95 live propagation to the
other open tabs <= 300 ms.

Against the app started as by `make run` (a bench database of its own): one
collaborative trip with its owner and 19 participants (the 20-member cap), one activity
of each member's, and one signed-in websocket tab per member on /trips/<id>. Each tab
edits its own activity's title at 1 action/s (open loop, random phase): the page's
`open_item` then `save_item`, the real handlers. Every committed change takes the real
live path (TripChanged -> state/push.py -> the trip's shared key): the itinerary read
once and pushed to the signed-in pages that follow it (`TripPlanLive`), and the
channel's counters (`TripLive`). Each tab does what the page of a signed-in member does:
it sends `catch_up` (the page's watcher) when `TripLive.pull_serial` moves (changes other
than the itinerary alone), and takes the days from the pushed itinerary or its own
re-read, whichever brings them.

"Propagation" is from the moment the editor's tab sends `save_item` until another tab
receives the itinerary carrying the new title (19 measurements per action). An edit
superseded before it reached a tab (the member's next edit came first) counts as
arriving with its successor. "Save" is the editor's own round trip from when the
action was due (a backlog shows as latency, not as fewer actions).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import sys
import time
from datetime import UTC, datetime

import psutil

from bench import dataset
from bench.load import open_tabs
from bench.server import running_server
from bench.stats import format_table, summarize
from bench.tabs import NAMESPACE, Tab
from citypulse.settings import PROJECT_ROOT

WORKDIR = PROJECT_ROOT / ".data" / "bench-trips"
DATABASE = "citypulse_bench_trips"  # its own, so no other bench drops it
TARGET_P95_MS = 300.0
MARKER = re.compile(r"bench (\d+)\.(\d+)")
SAVE_TIMEOUT = 30.0


def _own_cpu_seconds() -> float:
    times = psutil.Process().cpu_times()
    return times.user + times.system


def marker(member: int, n: int) -> str:
    return f"bench {member}.{n}"


class TripTab(Tab):
    """A member's tab on /trips/<id>: follows the trip's channel like the page's watcher
    and records when each member's latest title reaches it."""

    def __init__(self, origin: str, trip_id: int, cookie: str, member: int, names) -> None:
        super().__init__(origin, f"/trips/{trip_id}", cookie)
        self.trip_id = trip_id
        self.member, self.names = member, names
        self.seen: dict[int, int] = {}  # member -> latest edit number seen in a re-read
        self.arrivals: list[tuple[int, int, float]] = []  # (member, edit, perf_counter)
        self.catch_ups = 0

    def _router_data(self) -> dict:
        # As the frontend sends a dynamic route: its pattern, the path, and the params.
        return {"pathname": "/trips/[id]", "asPath": self.path, "query": {"id": str(self.trip_id)}}

    async def _received(self, update: dict) -> None:
        arrived = time.perf_counter()
        delta = update.get("delta") or {}
        live = delta.get(self.names["live"]) or {}
        if any(var.startswith("pull_serial") for var in live):
            self.catch_ups += 1
            event = {"name": self.names["catch_up"], "payload": {},
                     "router_data": self._router_data()}  # fmt: skip
            asyncio.get_running_loop().create_task(
                self._client.emit("event", event, namespace=NAMESPACE)
            )
        days = [
            value
            for state in (self.names["page"], self.names["plan"])
            for var, value in (delta.get(state) or {}).items()
            if var.startswith("days")
        ]
        if days:
            for found in MARKER.finditer(json.dumps(days)):
                who, n = int(found.group(1)), int(found.group(2))
                if n > self.seen.get(who, -1):
                    for k in range(self.seen.get(who, -1) + 1, n + 1):
                        self.arrivals.append((who, k, arrived))
                    self.seen[who] = n
        await super()._received(update)


def arrange_trip(usernames: list[str]) -> tuple[int, list[int]]:
    """A collaborative trip of the first user with the others accepted; one activity
    per member (edit 0). Returns the trip id and each member's activity id."""
    from sqlmodel import select

    from citypulse.db import session_scope
    from citypulse.models import ItineraryItem, Trip, TripCompanion, User

    with session_scope() as db:
        users = {u.username: u for u in db.exec(select(User).where(User.username.in_(usernames)))}
        members = [users[name] for name in usernames]
        trip = Trip(owner_id=members[0].id, title="Bench trip", visibility="friends_only",
                    is_collaborative=True)  # fmt: skip
        db.add(trip)
        db.flush()
        items = []
        for i, user in enumerate(members):
            role = "owner" if i == 0 else "participant"
            db.add(TripCompanion(trip_id=trip.id, user_id=user.id, role=role, status="accepted"))
            item = ItineraryItem(trip_id=trip.id, day_number=1, position=i, title=marker(i, 0),
                                 added_by_id=user.id, updated_by_id=user.id)  # fmt: skip
            db.add(item)
            db.flush()
            items.append(item.id)
        return trip.id, items


async def edit_loop(tab: TripTab, item_id: int, names, rate: float, start: float, end: float,
                    sent: dict, saves: list[float], failures: list[int]) -> None:  # fmt: skip
    """The member edits its activity at `rate`/s from `start` to `end` (open loop)."""
    offset = random.random() / rate  # noqa: S311 (spreads sends, not a secret)
    n = 0
    while (due := start + offset + n / rate) < end:
        n += 1
        if (wait := due - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        title = marker(tab.member, n)
        form = {"title": title, "day_number": "1", "activity_type": "other",
                "status": "planned"}  # fmt: skip
        await tab._client.emit(
            "event",
            {"name": names["open_item"], "payload": {"item_id": item_id},
             "router_data": tab._router_data()},
            namespace=NAMESPACE,
        )  # fmt: skip
        sent[(tab.member, n)] = time.perf_counter()

        def done(delta, title=title) -> bool:
            return title in json.dumps(delta.get(names["page"]) or {})

        try:
            arrived = await tab.call(names["save_item"], done, {"form": form},
                                     timeout=SAVE_TIMEOUT)  # fmt: skip
        except (TimeoutError, ConnectionError, OSError):
            failures.append(1)
            return
        saves.append(arrived - due)


async def run(server, options) -> tuple[list[list[str]], str]:
    from citypulse.state.trips.detail import TripState
    from citypulse.state.trips.live import TripLive
    from citypulse.state.trips.plan_live import TripPlanLive

    page = TripState.get_full_name()
    names = {"page": page, "live": TripLive.get_full_name(), "catch_up": f"{page}.catch_up",
             "plan": TripPlanLive.get_full_name(),
             "open_item": f"{page}.open_item", "save_item": f"{page}.save_item"}  # fmt: skip
    accounts = dataset.create_bench_tabs(options.members)
    trip_id, items = arrange_trip([a.username for a in accounts])
    tabs = [TripTab(server.origin, trip_id, a.cookie, i, names) for i, a in enumerate(accounts)]
    _, opened = await open_tabs(lambda i: tabs[i], len(tabs), options.members)
    assert not opened.failures, f"{opened.failures} member tabs did not open"

    sent: dict[tuple[int, int], float] = {}
    saves: list[float] = []
    failures: list[int] = []
    warm_until = time.perf_counter() + 0.5 + options.warmup
    start = time.perf_counter() + 0.5
    end = start + options.warmup + options.seconds
    cpu, client, began = server.usage().cpu_seconds, _own_cpu_seconds(), time.perf_counter()
    await asyncio.gather(
        *(edit_loop(t, items[t.member], names, options.rate, start, end, sent, saves, failures)
          for t in tabs)
    )  # fmt: skip
    await asyncio.sleep(options.drain)  # the last re-reads arrive
    cpu, client = server.usage().cpu_seconds - cpu, _own_cpu_seconds() - client
    busy = time.perf_counter() - began  # the window, its backlog and the drain
    window = end - start

    propagation, missing = [], 0
    measured = {key: at for key, at in sent.items() if at >= warm_until}
    for tab in tabs:
        got = {(who, k): at for who, k, at in tab.arrivals}
        for (who, k), at in measured.items():
            if who == tab.member:
                continue
            if (who, k) in got:
                propagation.append(got[(who, k)] - at)
            else:
                missing += 1
    for tab in tabs:
        await tab.close()

    prop = summarize("propagation", propagation, len(propagation) + missing, window)
    own = summarize("save", saves, len(saves) + len(failures), window)
    rows = [["measure", "actions", "samples", "missing", "p50 ms", "p95 ms", "p99 ms",
             "max ms"]]  # fmt: skip
    rows.append(["propagation to the other tabs", str(len(measured)), str(prop.completed),
                 str(missing), f"{prop.p50_ms:.0f}", f"{prop.p95_ms:.0f}", f"{prop.p99_ms:.0f}",
                 f"{prop.max_ms:.0f}"])  # fmt: skip
    rows.append(["editor's own save (from due)", str(len(sent)), str(own.completed),
                 str(len(failures)), f"{own.p50_ms:.0f}", f"{own.p95_ms:.0f}",
                 f"{own.p99_ms:.0f}", f"{own.max_ms:.0f}"])  # fmt: skip
    catch_ups = sum(t.catch_ups for t in tabs)
    summary = (
        f"{options.members} members, {options.rate:g} action/s each for {options.seconds:g} s "
        f"(+{options.warmup:g} s warm-up, not counted): {len(sent) / window:.1f} actions/s, "
        f"{catch_ups} catch_up re-reads sent, server CPU {cpu:.1f} s "
        f"over {busy:.0f} s ({100 * cpu / busy:.0f}% of one core; this load generator "
        f"{client:.1f} s)\n"
        f"target propagation p95 <= {TARGET_P95_MS:.0f} ms: {prop.p95_ms:.0f} ms, "
        + ("met" if prop.p95_ms <= TARGET_P95_MS and not missing else "NOT MET")
    )
    return rows, summary


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.trips",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--members", type=int, default=20, help="members with a tab (max 20)")
    parser.add_argument("--rate", type=float, default=1.0, help="actions per member per second")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured window")
    parser.add_argument("--warmup", type=float, default=5.0, help="edits before measuring")
    parser.add_argument("--drain", type=float, default=5.0, help="wait for late re-reads")
    parser.add_argument("--workers", type=int, default=1, help="2+: Redis at 127.0.0.1:6379")
    parser.add_argument("--keep-database", action="store_true", help=f"leave {DATABASE}")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    if not 2 <= options.members <= 20:
        raise SystemExit("--members must be 2..20 (a trip has at most 20 members)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    random.seed(12)
    dataset.BENCH_DATABASE = DATABASE  # read by every dataset helper at call time
    url = dataset.recreate_bench_database()
    dataset.use_bench_database(url)
    try:
        WORKDIR.mkdir(parents=True, exist_ok=True)
        print(f"Starting the server ({options.workers} worker(s)); its log: {WORKDIR}/server.log")
        load = os.getloadavg()[0]
        # Pages exported into a folder of its own: no wait for the e2e lock, and nothing
        # another tier exports replaces them meanwhile.
        with running_server(url, options.workers, WORKDIR, web_dir=WORKDIR / "web") as server:
            table, summary = asyncio.run(run(server, options))
        print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, workers {options.workers}, load average "
              f"{load:.1f} -> {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs")  # fmt: skip
        print(format_table(table))
        print(summary)
    finally:
        if not options.keep_database:
            dataset.drop_bench_database()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
