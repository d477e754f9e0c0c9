"""Load shapes: open-loop event streams per tab, page openers, hydrating many tabs.

Each tab sends its events on a fixed schedule (rate per second, random phase). A tab
never has two events in flight (as a browser tab queues its events), so when the server
falls behind the next send waits, and its latency is counted from when it was *due*:
a growing backlog shows up as growing latency instead of hiding (coordinated omission).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.tabs import Predicate, Tab

CALL_TIMEOUT = 30.0


@dataclass
class Stream:
    """What one kind of event achieved over one measured window."""

    due: int = 0
    latencies: list[float] = field(default_factory=list)
    failures: int = 0
    overrun: float = 0.0  # how long after the window's end the last answer came

    def answered(self, due: float, arrived: float, end: float) -> None:
        """Record one answer to an event that was due at `due`."""
        self.latencies.append(arrived - due)
        self.overrun = max(self.overrun, arrived - end)


async def _drive(tab: Tab, handler: str, done: Predicate, rate: float, start: float,
                 end: float, stream: Stream) -> None:  # fmt: skip
    offset = random.random() / rate  # noqa: S311 (spreads sends, not a secret)
    for k in range(int((end - start) * rate) + 1):
        due = start + offset + k / rate
        if due >= end:
            return
        stream.due += 1
        if (wait := due - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        try:
            arrived = await tab.call(handler, done, timeout=CALL_TIMEOUT)
        except (TimeoutError, ConnectionError, OSError):
            stream.failures += 1
            return
        stream.answered(due, arrived, end)


async def drive(tabs: Sequence[Tab], handler: str, done: Predicate, rate: float,
                start: float, end: float) -> Stream:  # fmt: skip
    """Every tab sends `handler` at `rate`/s from `start` to `end` (perf_counter times)."""
    stream = Stream()
    await asyncio.gather(*(_drive(t, handler, done, rate, start, end, stream) for t in tabs))
    return stream


async def open_tabs(make_tab, count: int, concurrency: int) -> tuple[list[Tab], Stream]:
    """Open `count` tabs made by `make_tab(i)`, at most `concurrency` at a time."""
    stream, gate, tabs = Stream(), asyncio.Semaphore(concurrency), []

    async def one(i: int) -> None:
        async with gate:
            tab = make_tab(i)
            stream.due += 1
            try:
                stream.latencies.append(await tab.open(timeout=CALL_TIMEOUT))
                tabs.append(tab)
            except Exception:  # any failure to open counts; the run goes on
                stream.failures += 1
                await tab.close()

    await asyncio.gather(*(one(i) for i in range(count)))
    return tabs, stream


async def openers(make_tab, rate: float, start: float, end: float) -> Stream:
    """New tabs open a page at `rate`/s (open loop), then close (their state stays)."""
    stream, running = Stream(), []

    async def one(i: int) -> None:
        tab = make_tab(i)
        try:
            stream.latencies.append(await tab.open(timeout=CALL_TIMEOUT))
        except Exception:  # any failure to open counts; the run goes on
            stream.failures += 1
        finally:
            await tab.close()

    for k in range(int((end - start) * rate)):
        due = start + k / rate
        if (wait := due - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        stream.due += 1
        running.append(asyncio.create_task(one(k)))
    await asyncio.gather(*running)
    return stream


@dataclass(frozen=True)
class Step:
    """One event a scrolling tab sends next, and which stream its latency joins."""

    stream: str
    handler: str
    done: Predicate
    payload: dict | None = None


async def _scroll(tab: Tab, next_step, rate: float, start: float, end: float,
                  streams: dict[str, Stream]) -> None:  # fmt: skip
    offset = random.random() / rate  # noqa: S311 (spreads sends, not a secret)
    for k in range(int((end - start) * rate) + 1):
        due = start + offset + k / rate
        if due >= end:
            return
        step: Step = next_step(tab)
        stream = streams.setdefault(step.stream, Stream())
        stream.due += 1
        if (wait := due - time.perf_counter()) > 0:
            await asyncio.sleep(wait)
        try:
            arrived = await tab.call(step.handler, step.done, step.payload, timeout=CALL_TIMEOUT)
        except (TimeoutError, ConnectionError, OSError):
            stream.failures += 1
            return
        stream.answered(due, arrived, end)


async def scroll(tabs: Sequence[Tab], next_step, rate: float, start: float,
                 end: float) -> dict[str, Stream]:  # fmt: skip
    """Every tab sends the event `next_step(tab)` chooses at `rate`/s from `start` to
    `end` (a feed tab: the next page while there is one, else a refresh); one stream per
    `Step.stream`. Open loop, one event in flight per tab, as `drive`."""
    streams: dict[str, Stream] = {}
    await asyncio.gather(*(_scroll(t, next_step, rate, start, end, streams) for t in tabs))
    return streams
