"""/moderator/actions: the audit log, filtered, grouped by (UTC) day, 50 entries a page.

Moderators only (the service refuses anyone else; the page keeps its 404 content).
Moderators see the notes; the affected users never see this page (§4.13.11). Live
(§6.8): an open page links the moderators' channel once the role is confirmed, and a
new audited action re-reads the newest page and adds what it has not shown yet.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import reflex as rx

from citypulse.models.enums import ActionType
from citypulse.params import parse_text
from citypulse.services.moderation.audit import AuditFilters, audit_log
from citypulse.state.channels import leave_moderators, moderators_seen
from citypulse.state.moderation.views import (
    AuditDayView,
    ChoiceView,
    audit_day_views,
    merge_days,
    with_newer,
    words,
)
from citypulse.state.session import SessionState

USERNAME_MAX = 30
ACTION_CHOICES = [ChoiceView("", "All"), *(ChoiceView(a, words(a)) for a in ActionType)]


def _day(raw: Any) -> date | None:
    try:
        return date.fromisoformat(str(raw)[:10]) if raw else None
    except ValueError:
        return None


class AuditLogState(SessionState):
    """The open /moderator/actions tab."""

    days: list[AuditDayView] = []
    has_more: bool = False
    loaded: bool = False
    action_type: str = ""
    moderator: str = ""
    target_user: str = ""
    day_from: str = ""
    day_to: str = ""
    _cursor: str | None = None
    _seen: str = ""  # the moderators' channel epochs the shown log reflects

    def _filters(self) -> AuditFilters:
        return AuditFilters(
            action_type=self.action_type or None,
            moderator=self.moderator or None,
            target_user=self.target_user or None,
            day_from=_day(self.day_from),
            day_to=_day(self.day_to),
        )

    async def _read(self, *, more: bool = False, newer: bool = False) -> None:
        """The first page (`newer`: added to what is shown), or the next one (`more`)."""
        cursor = self._cursor if more else None
        outcome = await self._load(audit_log, filters=self._filters(), cursor=cursor)
        if not outcome.ok or outcome.value is None:
            self.days, self.has_more, self.loaded = [], False, False
            await leave_moderators(self)
            return
        page = outcome.value
        views = audit_day_views(page.entries)
        if newer and (joined := with_newer(self.days, views)) is not None:
            self.days = joined  # the older pages and their cursor stay as they were
        else:
            self.days = merge_days(self.days, views) if more else views
            self._cursor, self.has_more = page.next_cursor, page.next_cursor is not None
        self.loaded = True

    @rx.event
    async def load(self):
        """Page load: the newest entries; anyone but a moderator keeps the 404 content."""
        self.days = []
        self.action_type = self.moderator = self.target_user = ""
        self.day_from = self.day_to = ""
        await self._read()
        if self.loaded:
            self._seen = await moderators_seen(self)  # live: new actions appear (§6.8)

    @rx.event
    async def actions_arrived(self):
        """The moderators' channel moved (an audited action, a report, an appeal): show
        the log's new entries, keeping the filters and the pages already loaded."""
        seen = await moderators_seen(self, join=False)
        if self.loaded and seen != self._seen:
            self._seen = seen
            await self._read(newer=True)

    @rx.event
    async def leave(self):
        """The page unmounted: stop receiving the moderators' channel."""
        await leave_moderators(self)

    @rx.event
    async def apply_filters(self, form: dict):
        """The filter form: action type, moderator, target user and a date range."""
        form = form if isinstance(form, dict) else {}
        action = str(form.get("action_type", ""))[:32]
        self.action_type = action if action in ActionType.__members__ else ""
        self.moderator = parse_text(form.get("moderator"), max_length=USERNAME_MAX) or ""
        self.target_user = parse_text(form.get("target_user"), max_length=USERNAME_MAX) or ""
        start, end = _day(form.get("day_from")), _day(form.get("day_to"))
        self.day_from = start.isoformat() if start else ""
        self.day_to = end.isoformat() if end else ""
        await self._read()

    @rx.event
    async def more(self):
        """The next 50 entries."""
        if self.has_more:
            await self._read(more=True)
