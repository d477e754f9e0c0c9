"""/moderator/reports: the report queue, an item's detail and the moderator's decisions.

Moderators only: every loader and action runs through the services' authority check,
whatever the page showed (a refusal leaves the page's 404 content). The open item is
remembered server-side (`_item`); actions act on it, and the services authorise the
moderator against its reports and owner on every call. Live (§6.8): a new report bumps
the moderators' channel, and the queue and the open item re-read.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import reflex as rx

from citypulse.models.enums import ReportContentType, ReportReason, ReportStatus
from citypulse.params import parse_id
from citypulse.services.moderation.queue import QueueFilters, report_item_detail, report_queue
from citypulse.services.moderation.removal import content_remove, content_restore
from citypulse.services.moderation.reports import report_status_update
from citypulse.state.channels import leave_moderators, moderators_seen
from citypulse.state.moderation.views import (
    STATUS_LABELS,
    ChoiceView,
    ItemDetailView,
    QueueItemView,
    item_detail_view,
    queue_item_views,
    words,
)
from citypulse.state.session import SessionState

REASON_FIELD_MAX = 1001  # the services refuse more with a field error

STATUS_CHOICES = [ChoiceView("", "All"), *(ChoiceView(s, STATUS_LABELS[s]) for s in ReportStatus)]
TYPE_CHOICES = [ChoiceView("", "All"), *(ChoiceView(t, words(t)) for t in ReportContentType)]
REASON_CHOICES = [ChoiceView("", "All"), *(ChoiceView(r, words(r)) for r in ReportReason)]
DONE = {
    "start_review": "Review started.",
    "back_to_pending": "Back to pending.",
    "dismiss": "Reports dismissed; the reporters were told.",
    "reopen": "Reports reopened.",
}


def _day(raw: Any) -> date | None:
    try:
        return date.fromisoformat(str(raw)[:10]) if raw else None
    except ValueError:
        return None


def _reason(form: Any) -> str:
    """The reason field of a decision form, bounded (the services check its length)."""
    return str(form.get("reason", ""))[:REASON_FIELD_MAX] if isinstance(form, dict) else ""


def _choice(raw: Any, allowed: type) -> str | None:
    value = str(raw or "")[:32]
    return value if value in allowed.__members__ else None


class ModerationQueueState(SessionState):
    """The open /moderator/reports tab."""

    items: list[QueueItemView] = []
    has_more: bool = False
    loaded: bool = False
    status: str = "pending"
    content_type: str = ""
    reason: str = ""
    day_from: str = ""
    day_to: str = ""
    filter_error: str = ""
    detail: ItemDetailView = ItemDetailView()
    detail_open: bool = False
    form_error: str = ""
    error_form: str = ""  # which decision form `form_error` belongs to
    _cursor: str | None = None
    _item: tuple[str, int] | None = None
    _seen: str = ""

    def _filters(self) -> QueueFilters:
        return QueueFilters(
            status=self.status or None,
            content_type=self.content_type or None,
            reason=self.reason or None,
            day_from=_day(self.day_from),
            day_to=_day(self.day_to),
        )

    async def _read(self, *, more: bool = False) -> bool:
        """The first (or next) queue page; False when the viewer is not a moderator."""
        cursor = self._cursor if more else None
        outcome = await self._load(report_queue, filters=self._filters(), cursor=cursor)
        if not outcome.ok or outcome.value is None:
            self.items, self.has_more, self.loaded = [], False, False
            return False
        page = outcome.value
        views = queue_item_views(page.items)
        self.items = [*self.items, *views] if more else views
        self._cursor, self.has_more, self.loaded = (
            page.next_cursor,
            page.next_cursor is not None,
            True,
        )
        return True

    async def _read_item(self) -> None:
        if self._item is None:
            self.detail, self.detail_open = ItemDetailView(), False
            return
        content_type, content_id = self._item
        outcome = await self._load(
            report_item_detail, content_type=content_type, content_id=content_id
        )
        if not outcome.ok or outcome.value is None:
            self._item, self.detail, self.detail_open = None, ItemDetailView(), False
            return
        self.detail, self.detail_open = item_detail_view(outcome.value), True

    @rx.event
    async def load(self):
        """Page load: the pending queue; anyone but a moderator keeps the 404 content."""
        self.items, self._item, self.detail_open, self.form_error = [], None, False, ""
        self.detail = ItemDetailView()
        if not await self._read():
            await leave_moderators(self)
            return None
        self._seen = await moderators_seen(self)
        return None

    @rx.event
    async def apply_filters(self, form: dict):
        """The filter form: status, content type, reason and a date range."""
        form = form if isinstance(form, dict) else {}
        self.status = _choice(form.get("status"), ReportStatus) or ""
        self.content_type = _choice(form.get("content_type"), ReportContentType) or ""
        self.reason = _choice(form.get("reason"), ReportReason) or ""
        start, end = _day(form.get("day_from")), _day(form.get("day_to"))
        self.day_from = start.isoformat() if start else ""
        self.day_to = end.isoformat() if end else ""
        self.filter_error = "The start date must not be after the end date" if (
            start and end and start > end
        ) else ""  # fmt: skip
        await self._read()

    @rx.event
    async def more(self):
        """The next page of the queue."""
        if self.has_more:
            await self._read(more=True)

    @rx.event
    async def open_item(self, key: str):
        """Show one item's detail ("content_type:content_id" from its row)."""
        kind, _, raw_id = str(key)[:64].partition(":")
        content_id = parse_id(raw_id)
        self.form_error = ""
        if kind not in ReportContentType.__members__ or content_id is None:
            return rx.toast.error("No reports found for this item")
        self._item = (kind, content_id)
        await self._read_item()
        if not self.detail_open:
            return rx.toast.error("No reports found for this item")
        return None

    @rx.event
    async def close_item(self):
        """Back to the queue."""
        self._item, self.detail_open, self.detail = None, False, ItemDetailView()

    async def _decide(self, service, done: str, form: str, **kwargs: Any):
        if self._item is None:
            return rx.toast.error("Open an item first")
        content_type, content_id = self._item
        outcome = await self._call(
            service, content_type=content_type, content_id=content_id,
            now=datetime.now(UTC), **kwargs,
        )  # fmt: skip
        if outcome.signed_out or outcome.renewing:
            return outcome.redirect
        if outcome.error is not None:
            self.form_error = outcome.field_errors.get("reason", outcome.message)
            self.error_form = form
            return rx.toast.error(self.form_error)
        self.form_error = self.error_form = ""
        await self._read()
        await self._read_item()
        return rx.toast.success(done)

    @rx.event
    async def transition(self, action: str):
        """Start review / Back to pending on the open item's reports."""
        action = str(action)[:32]
        return await self._decide(
            report_status_update, DONE.get(action, "Done."), "", action=action, reason=None
        )

    @rx.event
    async def dismiss(self, form: dict):
        """Dismiss the open item's open reports, with an optional note."""
        return await self._decide(
            report_status_update, DONE["dismiss"], "dismiss", action="dismiss", reason=_reason(form)
        )

    @rx.event
    async def reopen(self, form: dict):
        """Reopen the open item's closed reports (a reason is required)."""
        return await self._decide(
            report_status_update, DONE["reopen"], "reopen", action="reopen", reason=_reason(form)
        )

    @rx.event
    async def remove(self, form: dict):
        """Remove the open item's content with a reason (resolves its reports)."""
        return await self._decide(
            content_remove, "Content removed; the owner was told.", "remove", reason=_reason(form)
        )

    @rx.event
    async def restore(self, form: dict):
        """Restore the open item's removed content with a reason."""
        return await self._decide(
            content_restore,
            "Content restored; the owner was told.",
            "restore",
            reason=_reason(form),
        )

    @rx.event
    async def reports_arrived(self):
        """A new report or another moderator's action: read the queue and the item again."""
        seen = await moderators_seen(self, join=False)
        if self.loaded and seen != self._seen:
            self._seen = seen
            await self._read()
            await self._read_item()

    @rx.event
    async def leave(self):
        """The page unmounted: stop receiving the moderators' channel."""
        await leave_moderators(self)
