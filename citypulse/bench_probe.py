"""`make bench-notifications` only: one notification event for many recipients, on request.

Off unless `CITYPULSE_LOOP_STATS` names a folder (the bench's server only). No product
action notifies a thousand people at once yet, so the bench asks a worker for one: it
writes `<folder>/notify-request.json` (`{"recipients": [ids], "round": n}`); the first
worker to claim it (an atomic rename) creates one `system` notification per recipient
with the real `notify()` in ONE transaction, and the committed events take the real live
path (state/push.py → live_links → the linked tabs). The worker answers in
`<folder>/notify-<round>.json` with the wall-clock times of the transaction's start and
of its COMMIT.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from citypulse.models.enums import NotificationType
from citypulse.runtime import LOOP_STATS_ENV
from citypulse.services.notifications.create import notify
from citypulse.services.unit_of_work import run_transaction

REQUEST = "notify-request.json"
POLL_SECONDS = 0.02


def _notify_all(recipients: list[int], round_number: int) -> float:
    """One transaction notifying every recipient; the wall-clock time just before COMMIT
    (the events go out right after it, so a delivery measured from here counts the
    commit too: a little more, never less, than the live path's share)."""

    def create(db) -> float:
        now = datetime.now(UTC)
        for recipient in recipients:
            notify(db, recipient_id=recipient, type=NotificationType.system, actor=None,
                   title=f"Bench notice {round_number}", message="Fan-out measurement.",
                   now=now, email=False)  # fmt: skip
        return time.time()

    return run_transaction(create)


async def notification_fanout_probe(app: object) -> None:
    """Lifespan task (bench only): serve the bench's notification requests."""
    folder = os.environ.get(LOOP_STATS_ENV)
    if not folder:
        return
    request = Path(folder) / REQUEST
    while True:
        await asyncio.sleep(POLL_SECONDS)
        claimed = request.with_name(f"{REQUEST}.{os.getpid()}")
        try:
            request.rename(claimed)  # only one worker serves a request
        except FileNotFoundError:
            continue
        asked = json.loads(claimed.read_text())
        claimed.unlink()
        started = time.time()
        committing = await asyncio.to_thread(_notify_all, asked["recipients"], asked["round"])
        answer = {"started": started, "committed": committing, "pid": os.getpid()}
        pending = Path(folder, f"notify-{asked['round']}.json.tmp")
        pending.write_text(json.dumps(answer))
        pending.rename(pending.with_suffix(""))  # appears whole to the bench
