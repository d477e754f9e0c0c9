"""/moderator/appeals: the queue by status, and Grant / Reject with a note (§2.3, §4.13.9).

Moderators only (the services refuse anyone else: the page's 404). New appeals update
the queue live for every moderator with the page open (§6.8): the tab links the
moderators' channel once the role is confirmed and re-reads when `appeals_epoch` moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import reflex as rx
from sqlmodel import Session

from citypulse.params import parse_id
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.cursors import KeysetPage
from citypulse.services.moderation.appeal_pages import AppealRow, appeals_queue
from citypulse.services.moderation.appeals import appeal_decide
from citypulse.state.accounts.views import format_moment
from citypulse.state.channels import ModeratorChannel, join_moderators, leave_moderators
from citypulse.state.forms import typed
from citypulse.state.moments import moment_iso
from citypulse.state.session import SessionState

STATUSES = ("pending", "granted", "rejected")
NOTE_LIMIT = 1001
DECISIONS = ("grant", "reject")
CHOOSE_DECISION = "Choose Grant or Reject"


@dataclass(frozen=True)
class AppealRowView:
    appeal_id: str = ""
    appellant: str = ""
    target: str = ""
    summary: str = ""
    message: str = ""
    status: str = ""
    when: str = ""
    when_iso: str = ""
    decided_by: str = ""
    decision_note: str = ""
    decided: str = ""
    decided_iso: str = ""
    refusal: str = ""


def row_view(row: AppealRow) -> AppealRowView:
    return AppealRowView(
        str(row.appeal_id), row.appellant, row.target_type.replace("_", " "), row.summary,
        row.message, row.status, format_moment(row.created_at), moment_iso(row.created_at),
        row.decided_by, row.decision_note, format_moment(row.decided_at),
        moment_iso(row.decided_at), row.refusal,
    )  # fmt: skip


def _queue(db: Session, *, viewer: Viewer | None, **kwargs: Any) -> KeysetPage[AppealRow]:
    """The page's loader: the queue for the viewer (None: a visitor, refused)."""
    return appeals_queue(db, actor=viewer, **kwargs)


class ModeratorAppealsState(SessionState):
    """The appeals queue of one status, newest first."""

    status: str = "pending"
    rows: list[AppealRowView] = []
    next_cursor: str = ""
    error_id: str = ""  # the appeal the error belongs to
    note_error: str = ""
    error: str = ""
    notice: str = ""
    _appeals_seen: int = 0

    async def _read(self, cursor: str | None = None) -> bool:
        outcome = await self._load(_queue, status=self.status, cursor=cursor)
        if not outcome.ok or outcome.value is None:
            self.rows, self.next_cursor = [], ""
            return False
        page = outcome.value
        fresh = [row_view(row) for row in page.items]
        self.rows = self.rows + fresh if cursor else fresh
        self.next_cursor = page.next_cursor or ""
        return True

    @rx.event
    async def load(self):
        """on_load: the queue of `?status=` (pending by default), then go live."""
        wanted = self.router.url.query_parameters.get("status", "pending")
        self.status = wanted if wanted in STATUSES else "pending"
        self.error_id = self.note_error = self.error = self.notice = ""
        if not await self._read():
            await leave_moderators(self)
            return None  # not a moderator: the page stays the 404 content
        self._appeals_seen = (await self._channel()).appeals_epoch
        return None

    async def _channel(self) -> ModeratorChannel:
        await join_moderators(self)
        return await self.get_state(ModeratorChannel)

    @rx.event
    async def show(self, status: str):
        """Switch the status filter."""
        self.status = status if status in STATUSES else "pending"
        self.notice = ""
        await self._read()

    @rx.event
    async def load_more(self):
        """The next page of the same status."""
        if self.next_cursor:
            await self._read(self.next_cursor)

    @rx.event
    async def appeals_changed(self):
        """The moderators' channel says an appeal was filed or decided: re-read."""
        channel = await self.get_state(ModeratorChannel)
        if channel.appeals_epoch != self._appeals_seen:
            self._appeals_seen = channel.appeals_epoch
            await self._read()

    @rx.event
    async def decide(self, form: dict):
        """Grant or reject one appeal with the required note."""
        appeal_id, decision = typed(form.get("appeal_id")), typed(form.get("decision"))
        self.error_id, self.note_error, self.error, self.notice = appeal_id, "", "", ""
        if decision not in DECISIONS:
            self.error = CHOOSE_DECISION
            return None
        outcome = await self._call(
            appeal_decide,
            appeal_id=parse_id(appeal_id) or 0,
            grant=decision == "grant",
            note=typed(form.get("note"))[:NOTE_LIMIT],
            now=datetime.now(UTC),
        )
        if outcome.signed_out:
            return outcome.redirect
        if not outcome.ok:
            self.note_error = outcome.field_errors.get("note", "")
            self.error = "" if self.note_error else outcome.message
            return None
        self.error_id, self.notice = "", f"Appeal {outcome.value}"
        await self._read()
        return None

    @rx.event
    async def leave(self):
        """The page unmounted: stop receiving the moderators' channel."""
        await leave_moderators(self)
