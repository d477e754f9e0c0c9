"""The threads the event path runs its database transactions in (issue 11).

`asyncio.to_thread` runs on the loop's default executor: min(32, CPUs + 4) threads, 6 on
a 2-CPU server, shared with every other blocking call of the worker. Each page of the
feed holds a thread for its whole transaction (several round trips), so with 200 tabs
scrolling the events queued for those 6 threads while the engine's pool still had idle
connections (docs/performance.md, "The feed through the websocket"). Here there is one
thread per connection the pool can open: a transaction never waits for a thread while a
connection is free, and more threads would only wait for a connection.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from citypulse.db import POOL_CONNECTIONS

T = TypeVar("T")


@functools.cache
def _threads() -> ThreadPoolExecutor:
    """Created on first use, in the worker process (threads start as work arrives)."""
    return ThreadPoolExecutor(max_workers=POOL_CONNECTIONS, thread_name_prefix="transaction")


async def in_transaction_thread(work: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """`asyncio.to_thread(work, ...)` on the transaction threads (context variables too)."""
    call = functools.partial(contextvars.copy_context().run, work, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_threads(), call)
