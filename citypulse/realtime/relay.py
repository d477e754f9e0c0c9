"""Events committed in another process (the job worker) reach the app's live path.

The app's live pushes are handlers in the app's own processes (`subscribe`): an event
dispatched in the job worker process (`python -m citypulse.cli worker`), e.g. the
`suspension_ended` notification of the auto-lift pass, would reach no tab. This relay
carries them over PostgreSQL, which every process already shares:

- the worker process calls `forward_to_app()` once: after each commit its events are
  sent with `NOTIFY citypulse_live` (JSON, several events per message, in one short
  transaction after the action's own; a failure is only logged, like every push);
- the app runs `listen(deliver)`: ONE app process per database holds the relay's
  advisory lock and LISTENs (the others wait to take over if it goes), and hands each
  event to `deliver` — the same handler as the app's own events, so `live_links`
  writes the shared key once and the tabs on every worker get it (Redis relays the
  delta to the worker holding each socket, as for events made in the app).

Only frozen dataclasses from CityPulse's event modules are rebuilt from a message;
anything else is dropped with a warning.
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator

import psycopg
from sqlalchemy import text

from citypulse.realtime import subscribe_batch

logger = logging.getLogger(__name__)

CHANNEL = "citypulse_live"
# pg_advisory_lock key of the app process that listens (any fixed 64-bit number).
LISTENER_LOCK = 0x6369747970756C73  # "citypuls"
MAX_PAYLOAD = 7000  # bytes per NOTIFY (PostgreSQL's limit is 8000)
STANDBY_SECONDS = 2.0  # how often a waiting app process tries to become the listener
RETRY_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)  # after a lost connection
EVENT_MODULES = ("citypulse.realtime", "citypulse.services.")


def encode(event: object) -> dict:
    """An event as JSON-ready data: its class and fields (tuples become lists)."""
    if not dataclasses.is_dataclass(event) or isinstance(event, type):
        raise TypeError(f"not an event: {event!r}")
    cls = type(event)
    fields = {field.name: getattr(event, field.name) for field in dataclasses.fields(event)}
    return {"type": f"{cls.__module__}:{cls.__qualname__}", "fields": fields}


def _event_class(name: str) -> type | None:
    module_name, _, qualname = name.partition(":")
    known = module_name == EVENT_MODULES[0] or (
        module_name.startswith(EVENT_MODULES[1]) and module_name.endswith(".events")
    )
    if not known or "." in qualname:
        return None
    cls = getattr(importlib.import_module(module_name), qualname, None)
    if not isinstance(cls, type) or not dataclasses.is_dataclass(cls):
        return None
    return cls


def decode(data: dict) -> object | None:
    """The event `encode` described (None for a type that is not a CityPulse event)."""
    cls = _event_class(str(data.get("type", "")))
    if cls is None:
        logger.warning("relayed event of unknown type %r dropped", data.get("type"))
        return None
    fields = {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in dict(data.get("fields") or {}).items()
    }
    return cls(**fields)


def messages(events: Iterable[object]) -> Iterator[str]:
    """The events packed into NOTIFY payloads of at most MAX_PAYLOAD bytes each."""
    batch: list[str] = []
    size = 2
    for event in events:
        item = json.dumps(encode(event), separators=(",", ":"))
        if batch and size + len(item) + 1 > MAX_PAYLOAD:
            yield "[" + ",".join(batch) + "]"
            batch, size = [], 2
        batch.append(item)
        size += len(item) + 1
    if batch:
        yield "[" + ",".join(batch) + "]"


def send(events: list[object]) -> None:
    """NOTIFY the app of committed events (one transaction; errors are only logged)."""
    from citypulse.db import session_scope

    try:
        with session_scope() as session:
            for payload in messages(events):
                session.execute(
                    text("SELECT pg_notify(:channel, :payload)"),
                    {"channel": CHANNEL, "payload": payload},
                )
    except Exception:
        logger.exception("could not relay %d live event(s) to the app", len(events))


def forward_to_app() -> None:
    """In a process without live pushes (the job worker): relay its committed events."""
    subscribe_batch(send)


def received(payload: str) -> list[object]:
    """The events of one NOTIFY payload (malformed parts are dropped and logged)."""
    try:
        items = json.loads(payload)
    except ValueError:
        logger.warning("malformed live relay message dropped")
        return []
    events = []
    for item in items if isinstance(items, list) else []:
        try:
            event = decode(item) if isinstance(item, dict) else None
        except Exception:
            logger.warning("relayed event dropped", exc_info=True)
            event = None
        if event is not None:
            events.append(event)
    return events


async def listen(
    deliver: Callable[[object], None],
    *,
    conninfo: Callable[[], str] | None = None,
    standby_seconds: float = STANDBY_SECONDS,
) -> None:
    """Hand every relayed event to `deliver`, for as long as the task runs.

    Only the app process holding LISTENER_LOCK listens (the lock goes with its
    connection, so another process takes over within `standby_seconds`).
    """
    failures = 0
    while True:
        try:
            url = conninfo() if conninfo else _app_conninfo()
            async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                while not await _take_lock(conn):
                    failures = 0
                    await asyncio.sleep(standby_seconds)
                await conn.execute(f"LISTEN {CHANNEL}")
                failures = 0
                async for note in conn.notifies():
                    for event in received(note.payload):
                        try:
                            deliver(event)
                        except Exception:
                            logger.exception("relayed %s not delivered", type(event).__name__)
        except asyncio.CancelledError:
            raise
        except Exception:
            delay = RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
            failures += 1
            logger.warning("live relay connection lost; retrying in %.0f s", delay, exc_info=True)
            await asyncio.sleep(delay)


async def _take_lock(conn: psycopg.AsyncConnection) -> bool:
    cursor = await conn.execute("SELECT pg_try_advisory_lock(%s)", (LISTENER_LOCK,))
    row = await cursor.fetchone()
    return bool(row and row[0])


def _app_conninfo() -> str:
    from citypulse.db import database_url, to_libpq_url

    return to_libpq_url(database_url())
