"""Per-worker runtime set-up: keeping tab states out of the garbage collector's way.

Every open (or recently closed, for an hour) tab keeps a tree of a few hundred state
objects in the worker, and a full CPython collection walks every tracked object: with
2,000 retained tabs one took 370–870 ms here, stalling every tab of the worker
(docs/performance.md). Tab trees are freed by reference counting when they expire (Reflex
breaks their parent/child cycles), so they need no cyclic collection while they live.
`keep_heap_frozen` therefore moves what survived into the permanent generation every
second (`gc.freeze()`): automatic collections then walk only the last second's objects.
Cyclic garbage made of objects that were frozen while alive (a closed websocket's
tasks, coroutines and exception frames, ~100 objects per connection) is only reclaimed
by a full pass over everything, which runs every 30 minutes.

`loop_monitor` is for `make bench` only: when `CITYPULSE_LOOP_STATS` names a folder it
appends, once a second, the longest event-loop stall and the garbage-collection pauses
of that second to `<folder>/<pid>.jsonl`. It holds no user data.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import time
from pathlib import Path

LOOP_STATS_ENV = "CITYPULSE_LOOP_STATS"
FREEZE_EVERY_SECONDS = 1.0
RECLAIM_EVERY_SECONDS = 30 * 60.0
TICK_SECONDS = 0.01


def freeze_survivors() -> None:
    """Collect the young generations, then freeze everything that is still alive."""
    gc.collect(1)
    gc.freeze()


def reclaim_heap() -> None:
    """The full pass: unfreeze, collect every generation, freeze the survivors again.

    Its pause grows with the tab states held by the worker; it is the only one that does.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


async def keep_heap_frozen() -> None:
    """Lifespan task: freeze the start-up heap, then the survivors every second."""
    gc.collect()
    gc.freeze()
    reclaimed = time.monotonic()
    while True:
        await asyncio.sleep(FREEZE_EVERY_SECONDS)
        if time.monotonic() - reclaimed >= RECLAIM_EVERY_SECONDS:
            reclaim_heap()
            reclaimed = time.monotonic()
        else:
            freeze_survivors()


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.thread_time()


class _GcPauses:
    """The collections of the current window by generation: wall and CPU milliseconds.

    Both are kept because on a shared machine the wall time of a collection includes
    time the process waited for a core; its CPU time is the collector's own work.
    """

    def __init__(self) -> None:
        self.started = (0.0, 0.0)
        self.wall: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self.cpu: dict[int, list[float]] = {0: [], 1: [], 2: []}

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = _clock()
        else:
            wall, cpu = _clock()
            self.wall[info["generation"]].append((wall - self.started[0]) * 1000.0)
            self.cpu[info["generation"]].append((cpu - self.started[1]) * 1000.0)

    def take(self) -> dict[str, dict[str, list[float]]]:
        """This window's pauses (ms) per generation; starts a new window."""
        taken = {
            kind: {str(gen): [round(ms, 3) for ms in pauses] for gen, pauses in by_gen.items()}
            for kind, by_gen in (("gc_ms", self.wall), ("gc_cpu_ms", self.cpu))
        }
        self.wall, self.cpu = {0: [], 1: [], 2: []}, {0: [], 1: [], 2: []}
        return taken


def _forced_reclaim(request: Path, done: float) -> tuple[float, list[float] | None]:
    """Run the full reclaim pass when the bench asked for a new one: [wall, CPU] ms."""
    try:
        asked = request.stat().st_mtime
    except FileNotFoundError:
        return done, None
    if asked <= done:
        return done, None
    wall, cpu = _clock()
    reclaim_heap()
    ended = _clock()
    return asked, [round((ended[0] - wall) * 1000.0, 3), round((ended[1] - cpu) * 1000.0, 3)]


async def loop_monitor(app: object) -> None:
    """Lifespan task (bench only): record loop stalls and GC pauses once a second.

    Touching `<folder>/collect` asks each worker for one reclaim pass, timed, so the
    bench can show the pause the retained tab states cause every 30 minutes.
    """
    folder = os.environ.get(LOOP_STATS_ENV)
    if not folder:
        return
    path, request = Path(folder) / f"{os.getpid()}.jsonl", Path(folder) / "collect"
    manager = type(getattr(app, "_state_manager", None)).__name__
    pauses = _GcPauses()
    gc.callbacks.append(pauses)
    try:
        window_end, worst, collected = time.time() + 1.0, 0.0, time.time()
        while True:
            expected = time.perf_counter() + TICK_SECONDS
            await asyncio.sleep(TICK_SECONDS)
            worst = max(worst, time.perf_counter() - expected)
            if (now := time.time()) >= window_end:
                collected, forced = _forced_reclaim(request, collected)
                # No gc.get_freeze_count() here: it walks every frozen object (1.6 M
                # with 200 feed tabs), which held the loop for about half of each second.
                record = {"at": now, "max_stall_ms": round(worst * 1000.0, 3),
                          **pauses.take(), "reclaim_ms": forced,
                          "state_manager": manager}  # fmt: skip
                with path.open("a") as out:
                    out.write(json.dumps(record) + "\n")
                window_end, worst = now + 1.0, 0.0
    finally:
        gc.callbacks.remove(pauses)
