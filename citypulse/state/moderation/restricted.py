"""The restricted screen in /settings (§4.13.8): the sanction, warnings, and appeals.

Loaded by a watcher keyed on `SessionState.restricted`, so a tab that becomes restricted
while open (pushed, §6.6) shows the screen with the end time at once. Only the viewer's
own sanction and warnings are ever read; an appeal names its target by type and id and
the service checks that it concerns the viewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import reflex as rx

from citypulse.params import parse_id
from citypulse.services.moderation.appeal_pages import Appealable, RestrictedScreen
from citypulse.services.moderation.appeal_pages import restricted_screen as screen_loader
from citypulse.services.moderation.appeals import appeal_create
from citypulse.state.accounts.views import format_moment
from citypulse.state.forms import typed
from citypulse.state.moments import moment_iso
from citypulse.state.session import SessionState

APPEAL_SENT = "Your appeal was sent. You will be notified of the decision."
MESSAGE_LIMIT = 2000


@dataclass(frozen=True)
class AppealableView:
    """A sanction or warning with its appeal: form, state, or why not."""

    key: str = ""  # "<target_type>-<id>": form ids
    target_type: str = ""
    target_id: str = ""
    summary: str = ""
    when: str = ""
    when_iso: str = ""
    appeal_status: str = ""  # "" (none), pending, granted, rejected
    decision_note: str = ""
    refusal: str = ""


def appealable_view(item: Appealable) -> AppealableView:
    return AppealableView(
        key=f"{item.target_type}-{item.target_id}",
        target_type=item.target_type,
        target_id=str(item.target_id),
        summary=item.summary,
        when=format_moment(item.taken_at),
        when_iso=moment_iso(item.taken_at),
        appeal_status=item.appeal_status,
        decision_note=item.decision_note,
        refusal=item.refusal,
    )


class RestrictedState(SessionState):
    """The viewer's own restriction, as the restricted screen shows it."""

    loaded: bool = False
    is_ban: bool = False
    reason: str = ""
    ends: str = ""  # "" for a ban (permanent)
    ends_iso: str = ""
    sanction: AppealableView = AppealableView()
    warnings: list[AppealableView] = []
    error_key: str = ""  # which appeal form the error belongs to
    error: str = ""
    notice: str = ""

    def _apply(self, screen: RestrictedScreen | None) -> None:
        if screen is None:  # not (or no longer) restricted
            self.loaded, self.sanction, self.warnings = False, AppealableView(), []
            return
        self.loaded, self.is_ban, self.reason = True, screen.kind == "ban", screen.reason
        self.ends, self.ends_iso = format_moment(screen.ends_at), moment_iso(screen.ends_at)
        self.sanction = appealable_view(screen.sanction)
        self.warnings = [appealable_view(item) for item in screen.warnings]

    @rx.event
    async def load(self):
        """Read the viewer's restriction (nothing for an unrestricted viewer)."""
        if not self.restricted:
            self._apply(None)
            return None
        outcome = await self._load(screen_loader, now=datetime.now(UTC))
        if not outcome.ok:
            return outcome.event
        self._apply(outcome.value)
        return None

    @rx.event
    async def appeal(self, form: dict):
        """Send an appeal of the sanction or a warning named in the form."""
        target_type = typed(form.get("target_type"))
        key = f"{target_type}-{typed(form.get('target_id'))}"
        self.error_key, self.error, self.notice = key, "", ""
        target_id = parse_id(form.get("target_id"))
        message = typed(form.get("message"))[: MESSAGE_LIMIT + 1]
        outcome = await self._call(
            appeal_create,
            target_type=target_type,
            target_id=target_id or 0,
            message=message,
            now=datetime.now(UTC),
        )
        if outcome.signed_out:
            return outcome.redirect
        if not outcome.ok:
            self.error = outcome.message
            return None
        self.error_key, self.notice = "", APPEAL_SENT
        return RestrictedState.load
