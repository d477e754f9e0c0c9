"""/moderator/users: the list, search, one user's panel and the account actions (§2.3).

Every handler runs through the one event path; the services refuse anyone but moderators
(the page's 404) and apply the §4.13.10 limits, whatever the page offered. The panel's
`refusal` and `may_change_role` only decide which forms are shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import reflex as rx
from sqlmodel import Session

from citypulse.params import parse_id
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.moderation.roles import role_change
from citypulse.services.moderation.sanctions import (
    user_ban,
    user_reinstate,
    user_suspend,
)
from citypulse.services.moderation.users_page import (
    UserLine,
    UserList,
    UserPanel,
    moderated_user_panel,
    moderated_users,
)
from citypulse.services.moderation.warnings import warning_issue, warning_revoke
from citypulse.state.accounts.views import format_moment
from citypulse.state.forms import errors_of, typed
from citypulse.state.moments import moment_iso
from citypulse.state.session import SessionState

TEXT_LIMIT = 2001  # longer input is refused by the services anyway; keep the event small
DONE = {
    "warn": "Warning issued",
    "revoke": "Warning revoked",
    "suspend": "User suspended",
    "ban": "User banned",
    "reinstate": "User reinstated",
    "role": "Role changed",
}


@dataclass(frozen=True)
class UserLineView:
    user_id: str = ""
    username: str = ""
    full_name: str = ""
    role: str = ""
    status: str = ""
    active_warnings: int = 0
    open_reports: int = 0


@dataclass(frozen=True)
class PanelEntryView:
    """One row of the panel's warnings, sanctions, reports or appeals."""

    entry_id: str = ""
    title: str = ""
    text: str = ""
    state: str = ""
    when: str = ""
    when_iso: str = ""
    revocable: bool = False


@dataclass(frozen=True)
class UserPanelView:
    user_id: str = ""
    username: str = ""
    full_name: str = ""
    email: str = ""
    role: str = ""
    status: str = ""
    suspended_until: str = ""
    restricted: bool = False
    refusal: str = ""
    may_change_role: bool = False


@dataclass(frozen=True)
class ActionErrors:
    """Field errors of the panel's forms ('' when fine)."""

    message: str = ""
    warning_type: str = ""
    severity: str = ""
    reason: str = ""
    days: str = ""
    role: str = ""


def line_view(line: UserLine) -> UserLineView:
    return UserLineView(str(line.user_id), line.username, line.full_name, line.role, line.status,
                        line.active_warnings, line.open_reports)  # fmt: skip


def _entry(ident: int, title: str, text: str, state: str, when: datetime, **kw) -> PanelEntryView:
    return PanelEntryView(str(ident), title, text, state, format_moment(when), moment_iso(when),
                          **kw)  # fmt: skip


def panel_view(panel: UserPanel) -> tuple[UserPanelView, dict[str, list[PanelEntryView]]]:
    user = panel.user
    view = UserPanelView(
        str(user.user_id), user.username, user.full_name, panel.email, user.role, user.status,
        format_moment(panel.suspended_until), user.status in ("suspended", "banned"),
        panel.refusal, panel.may_change_role,
    )  # fmt: skip
    entries = {
        "warnings": [
            _entry(w.warning_id, f"{w.severity} · {w.warning_type.replace('_', ' ')}", w.message,
                   w.state, w.created_at, revocable=w.state == "active" and not panel.refusal)
            for w in panel.warnings
        ],
        "sanctions": [
            _entry(i, s.kind, s.reason,
                   "lifted" if s.lifted_at else ("until " + format_moment(s.ends_at)
                                                 if s.ends_at else "permanent"), s.starts_at)
            for i, s in enumerate(panel.sanctions)
        ],
        "reports": [
            _entry(i, r.content_type.replace("_", " "), r.reason, r.status.replace("_", " "),
                   r.created_at)
            for i, r in enumerate(panel.reports)
        ],
        "appeals": [
            _entry(i, a.target_type.replace("_", " "), a.message, a.status, a.created_at)
            for i, a in enumerate(panel.appeals)
        ],
    }  # fmt: skip
    return view, entries


# Page loaders take the viewer (None: a visitor, refused like any non-moderator).
def _users_list(db: Session, *, viewer: Viewer | None, **kwargs: Any) -> UserList:
    return moderated_users(db, actor=viewer, **kwargs)


def _user_panel(db: Session, *, viewer: Viewer | None, **kwargs: Any) -> UserPanel:
    return moderated_user_panel(db, actor=viewer, **kwargs)


class ModeratorUsersState(SessionState):
    """The moderator's view of users: only filled once the server confirmed the role."""

    query: str = ""
    users: list[UserLineView] = []
    next_cursor: str = ""
    panel: UserPanelView = UserPanelView()
    warnings: list[PanelEntryView] = []
    sanctions: list[PanelEntryView] = []
    reports: list[PanelEntryView] = []
    appeals: list[PanelEntryView] = []
    errors_form: str = ""  # which form `errors`/`error` belong to
    errors: ActionErrors = ActionErrors()
    error: str = ""
    notice: str = ""

    def _clear_panel(self) -> None:
        self.panel, self.warnings, self.sanctions, self.reports, self.appeals = (
            UserPanelView(), [], [], [], [])  # fmt: skip

    async def _list(self, cursor: str | None = None) -> bool:
        outcome = await self._load(
            _users_list, now=datetime.now(UTC), query=self.query, cursor=cursor
        )
        if not outcome.ok or outcome.value is None:
            self.users, self.next_cursor = [], ""
            self._clear_panel()
            return False
        page = [line_view(line) for line in outcome.value.users]
        self.users = self.users + page if cursor else page
        self.next_cursor = outcome.value.next_cursor or ""
        return True

    async def _open(self, user_id: int | None) -> Any:
        if user_id is None:
            self._clear_panel()
            return None
        outcome = await self._load(_user_panel, user_id=user_id, now=datetime.now(UTC))
        if not outcome.ok:
            self._clear_panel()
            return outcome.event
        self.panel, entries = panel_view(outcome.value)
        self.warnings, self.sanctions = entries["warnings"], entries["sanctions"]
        self.reports, self.appeals = entries["reports"], entries["appeals"]
        return None

    @rx.event
    async def load(self):
        """on_load: the reported users and the panel of `?user=<id>` (moderators only)."""
        self.errors_form, self.error, self.notice = "", "", ""
        self.query = ""
        if not await self._list():
            return None  # not a moderator: the page stays the 404 content
        return await self._open(parse_id(self.router.url.query_parameters.get("user")))

    @rx.event
    async def search(self, form: dict):
        """Search any user by username or email ('' lists the reported users again)."""
        self.query = typed(form.get("query"))[:100]
        await self._list()

    @rx.event
    async def load_more(self):
        """The next page of the same list."""
        if self.next_cursor:
            await self._list(self.next_cursor)

    @rx.event
    async def select_user(self, user_id: str):
        """Open one user's panel."""
        self.errors_form, self.error, self.notice = "", "", ""
        return await self._open(parse_id(user_id))

    async def _act(self, form_name: str, service: Callable[..., Any], **kwargs: Any):
        self.errors_form, self.errors, self.error, self.notice = form_name, ActionErrors(), "", ""
        user_id = parse_id(self.panel.user_id)
        outcome = await self._call(service, now=datetime.now(UTC), **kwargs)
        if outcome.signed_out:
            return outcome.redirect
        if not outcome.ok:
            self.errors = errors_of(ActionErrors, outcome.field_errors)
            self.error = "" if outcome.field_errors else outcome.message
            return None
        self.errors_form, self.notice = "", DONE[form_name]
        await self._list()
        return await self._open(user_id)

    def _target(self) -> int:
        return parse_id(self.panel.user_id) or 0

    @rx.event
    async def warn(self, form: dict):
        """Warn the open user (type, severity, message)."""
        return await self._act(
            "warn", warning_issue, user_id=self._target(),
            warning_type=typed(form.get("warning_type")), severity=typed(form.get("severity")),
            message=typed(form.get("message"))[:TEXT_LIMIT],
        )  # fmt: skip

    @rx.event
    async def revoke(self, form: dict):
        """Revoke one of the open user's warnings with a reason."""
        return await self._act(
            "revoke", warning_revoke, warning_id=parse_id(form.get("warning_id")) or 0,
            reason=typed(form.get("reason"))[:TEXT_LIMIT],
        )  # fmt: skip

    @rx.event
    async def suspend(self, form: dict):
        """Suspend the open user for 1–365 days."""
        days = parse_id(form.get("days"), maximum=10_000)
        return await self._act(
            "suspend", user_suspend, user_id=self._target(), days=days if days else 0,
            reason=typed(form.get("reason"))[:TEXT_LIMIT],
        )  # fmt: skip

    @rx.event
    async def ban(self, form: dict):
        """Ban the open user."""
        return await self._act("ban", user_ban, user_id=self._target(),
                               reason=typed(form.get("reason"))[:TEXT_LIMIT])  # fmt: skip

    @rx.event
    async def reinstate(self, form: dict):
        """End the open user's suspension or ban."""
        return await self._act("reinstate", user_reinstate, user_id=self._target(),
                               reason=typed(form.get("reason"))[:TEXT_LIMIT])  # fmt: skip

    @rx.event
    async def change_role(self, form: dict):
        """Admins: make the open user a moderator, or a moderator a user."""
        return await self._act(
            "role", role_change, user_id=self._target(), role=typed(form.get("role")),
            reason=typed(form.get("reason"))[:TEXT_LIMIT],
        )  # fmt: skip
