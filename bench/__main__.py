"""`make bench` / `python -m bench`: measure the app under N signed-in websocket tabs.

Phases, in one run against one server (figures are the server's processes only):
  open     N tabs (+ probe tabs) connect and open /recommendations/<id> (hydrate + load)
  state    every tab presses the carousel's pause button (no database) at R/s
  like     every tab presses Like at R/s; probe tabs keep pressing pause at 1/s
  open+like  while the tabs keep liking, new tabs open demo recommendation pages at O/s
  retained more tabs open demo pages and close until --retained tab states are kept,
           then the like load again, then one timed full reclaim pass (runtime.py)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import sys
import time
from dataclasses import dataclass

import psutil

from bench import dataset, report
from bench.load import Stream, drive, open_tabs, openers
from bench.server import Server, redis_used_bytes, running_server
from bench.stats import kb_per_tab
from bench.tabs import Tab, touches
from citypulse.settings import PROJECT_ROOT

WORKDIR = PROJECT_ROOT / ".data" / "bench"  # the server's log and loop records
SETTLE_SECONDS = 11.0  # PostgreSQL 15 publishes an idle backend's counters within 10 s


@dataclass
class Phase:
    """One measured window: its event streams and what the server spent meanwhile."""

    name: str
    streams: dict[str, Stream]
    seconds: float
    cpu_seconds: float
    transactions: int | None
    transaction_seconds: float  # the window the transaction count covers (incl. settling)
    loop: list[dict]
    client_cpu_seconds: float  # the load generator's own CPU, for context


def _own_cpu_seconds() -> float:
    times = psutil.Process().cpu_times()
    return times.user + times.system


class Bench:
    """Holds the server, the tabs and the running list of measured phases."""

    def __init__(self, server: Server, identities: list[dataset.BenchTab], options) -> None:
        from citypulse.state.recommendations.detail import RecommendationDetailState

        detail = RecommendationDetailState.get_full_name()
        self.like, self.pause = f"{detail}.toggle_like", f"{detail}.toggle_autoplay"
        self.detail_changed = touches(detail)
        self.server, self.identities, self.options = server, identities, options
        self.phases: list[Phase] = []
        self.pages = dataset.visitor_pages()
        self.opened = 0

    def tab(self, i: int) -> Tab:
        """Tab i: signed in as bench account i, on the page of the recommendation it likes."""
        who = self.identities[i % len(self.identities)]
        return Tab(self.server.origin, f"/recommendations/{who.recommendation_id}", who.cookie)

    def visitor(self, i: int) -> Tab:
        """A further tab of bench account i, on a demo recommendation nobody likes here."""
        who, page = self.identities[i % len(self.identities)], self.pages[i % len(self.pages)]
        return Tab(self.server.origin, f"/recommendations/{page}", who.cookie)

    async def measure(self, name: str, work, *, transactions: bool = False) -> Phase:
        """Run `work()` (returns {stream name: Stream}) and record what it cost."""
        before_tx = dataset.transaction_count() if transactions else None
        tx_started = time.perf_counter()
        cpu, wall, since = self.server.usage().cpu_seconds, time.perf_counter(), time.time()
        client = _own_cpu_seconds()
        streams = await work()
        seconds = time.perf_counter() - wall
        cpu = self.server.usage().cpu_seconds - cpu
        client = _own_cpu_seconds() - client
        if transactions:
            await asyncio.sleep(SETTLE_SECONDS)
            tx = dataset.transaction_count() - before_tx
        else:
            tx = None
        tx_seconds = time.perf_counter() - tx_started
        loop = self.server.loop_records(since, time.time())
        phase = Phase(name, streams, seconds, cpu, tx, tx_seconds, loop, client)
        self.phases.append(phase)
        print(report.phase_line(phase), flush=True)
        return phase

    async def run(self) -> report.Run:
        o = self.options
        load_start = os.getloadavg()[0]
        rss_empty = self.server.usage().rss_bytes
        tabs: list[Tab] = []
        probes: list[Tab] = []

        async def open_all():
            nonlocal tabs, probes
            tabs, opened = await open_tabs(self.tab, o.tabs, o.concurrency)
            probes, probed = await open_tabs(self.tab, o.probes, o.concurrency)
            opened.latencies += probed.latencies
            opened.due += probed.due
            opened.failures += probed.failures
            self.opened += opened.due
            return {"open": opened}

        await self.measure("open burst", open_all, transactions=True)
        hydrated_rss = self.server.usage().rss_bytes

        async def state_only():
            start = time.perf_counter() + 0.5
            end = start + o.state_seconds
            return {
                "state-only": await drive(tabs, self.pause, self.detail_changed, o.rate, start, end)
            }

        # No database work: its transactions are the background loops' (email, exports).
        await self.measure("state", state_only, transactions=True)

        async def likes(seconds: float):
            start = time.perf_counter() + 0.5
            end = start + seconds
            liked, probed = await asyncio.gather(
                drive(tabs, self.like, self.detail_changed, o.rate, start, end),
                drive(probes, self.pause, self.detail_changed, 1.0, start, end),
            )
            return {"like": liked, "state-only": probed}

        await self.measure("like", lambda: likes(o.seconds), transactions=True)

        async def open_under_load():
            start = time.perf_counter() + 0.5
            end = start + o.open_seconds
            offset = self.opened
            liked, opened = await asyncio.gather(
                drive(tabs, self.like, self.detail_changed, o.rate, start, end),
                openers(lambda i: self.visitor(offset + i), o.opens, start, end),
            )
            self.opened += opened.due
            return {"like": liked, "open": opened}

        await self.measure("open+like", open_under_load)

        retained_rss_before = self.server.usage().rss_bytes
        redis_before = redis_used_bytes() if o.workers > 1 else 0
        more = max(0, o.retained - self.opened)

        async def retain():
            offset = self.opened
            kept, opened = await open_tabs(lambda i: self.visitor(offset + i), more, o.concurrency)
            for tab in kept:
                await tab.close()
            self.opened += opened.due
            return {"open": opened}

        await self.measure(f"open to {o.retained} retained", retain)
        retained_rss_after = self.server.usage().rss_bytes
        redis_after = redis_used_bytes() if o.workers > 1 else 0
        await self.measure(f"like, {self.opened} retained", lambda: likes(min(o.seconds, 20.0)))
        forced = await self.forced_collection()
        for tab in [*tabs, *probes]:
            await tab.close()
        return report.Run(
            options=o, phases=self.phases, load_average=(load_start, os.getloadavg()[0]),
            rss_empty=rss_empty, rss_hydrated=hydrated_rss, hydrated_tabs=o.tabs + o.probes,
            rss_retained_before=retained_rss_before, rss_retained_after=retained_rss_after,
            retained_opened=more, retained_total=self.opened, reclaim_ms=forced,
            redis_per_tab_kb=kb_per_tab(redis_before, redis_after, more) if o.workers > 1 else None,
        )  # fmt: skip

    async def forced_collection(self) -> list[list[float]]:
        """Ask every worker for its full reclaim pass now: [wall, CPU] ms per worker."""
        since = time.time()
        (self.server.stats_dir / "collect").write_text(str(since))
        await asyncio.sleep(5.0)  # each worker looks once a second; the pass takes ~1 s
        found = [r.get("reclaim_ms") for r in self.server.loop_records(since, time.time())]
        return [value for value in found if value is not None]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line of `python -m bench`."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--tabs", type=int, default=200, help="signed-in tabs (default 200)")
    parser.add_argument("--rate", type=float, default=1.0, help="events per tab per second")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the like phase")
    parser.add_argument("--state-seconds", type=float, default=15.0)
    parser.add_argument("--probes", type=int, default=20, help="state-only tabs during likes")
    parser.add_argument("--opens", type=float, default=5.0, help="page opens per second")
    parser.add_argument("--open-seconds", type=float, default=20.0)
    parser.add_argument("--retained", type=int, default=2000, help="tab states kept at the end")
    parser.add_argument("--concurrency", type=int, default=20, help="tabs opening at once")
    parser.add_argument("--workers", type=int, default=1, help="2+: Redis at 127.0.0.1:6379")
    parser.add_argument("--keep-database", action="store_true", help="leave citypulse_bench")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Set up, run every phase, print the report, tear down."""
    options = parse_args(argv)
    # A SIGTERM (e.g. from `timeout`) unwinds like Ctrl-C, so the server is stopped and
    # the bench database dropped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    random.seed(8)
    url = dataset.recreate_bench_database()
    dataset.use_bench_database(url)
    try:
        WORKDIR.mkdir(parents=True, exist_ok=True)
        print(f"Starting the server ({options.workers} worker(s)); its log: {WORKDIR}/server.log")
        with running_server(url, options.workers, WORKDIR) as server:
            identities = dataset.create_bench_tabs(options.tabs)
            run = asyncio.run(Bench(server, identities, options).run())
        print(report.render(run))
    finally:
        if not options.keep_database:
            dataset.drop_bench_database()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
