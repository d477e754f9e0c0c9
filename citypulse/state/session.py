"""The signed-in viewer of a tab, re-established from the session cookie on every event.

Security invariant (ARCHITECTURE.md): any connected client can call any public handler
with any arguments, so every handler that reads private data or changes something
calls `_viewer()` (or `_require_viewer()`) and lets a service check the target rows.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from urllib.parse import quote

import reflex as rx

from citypulse.api.cookies import ACCESS_COOKIE, parse_cookie_header, read_flash
from citypulse.auth.client_info import client_ip
from citypulse.services.accounts.settings import theme_update
from citypulse.services.accounts.viewer import Viewer, viewer_from_access_token
from citypulse.services.errors import ValidationFailed
from citypulse.services.unit_of_work import run_transaction

RESTRICTED_PAGES = ("/settings", "/notifications")
IDLE_WARNING_SECONDS = 120  # the "Stay signed in" toast comes 2 minutes before sign-out
IDLE_WARNING = "You will be signed out in 2 minutes because you have been inactive."


class UserChannel(rx.SharedState):
    """Per-user live channel, linked by every tab of that user to key `user-<id>`.

    A change of `session_epoch` re-mounts a watcher in each tab, which re-checks its
    session: that is how "log out everywhere" reaches other tabs within seconds.
    """

    session_epoch: int = 0
    interaction_epoch: int = 0  # the user's own likes/saves/ratings changed in some tab


class SessionState(rx.State):
    """Who this tab belongs to (public vars hold only the viewer's own harmless data)."""

    auth_checked: bool = False
    signed_in: bool = False
    username: str = ""
    full_name: str = ""
    is_moderator: bool = False
    is_admin: bool = False
    restricted: bool = False
    account_theme: str = ""
    flash_notice: str = ""
    _user_id: int = 0
    _watching_idle: bool = False

    def _cookies(self) -> dict[str, str]:
        return parse_cookie_header(self.router.headers.cookie)

    def _client_ip(self) -> str | None:
        """The browser's address (for per-IP rate limits)."""
        return client_ip(self.router.session.client_ip or None, self.router.headers.raw_headers)

    def _flash(self) -> dict[str, str]:
        """The one-minute message an /auth route left for this page."""
        return read_flash(self._cookies())

    async def _viewer(self, *, touch: bool = True) -> Viewer | None:
        """Re-read the viewer from the cookie and the database; update the public vars."""
        token = self._cookies().get(ACCESS_COOKIE)
        now = datetime.now(UTC)
        viewer = await asyncio.to_thread(
            run_transaction,
            lambda db: viewer_from_access_token(db, token, now, touch=touch, live_connection=True),
        )
        self._show(viewer)
        if viewer is not None:
            channel = await self.get_state(UserChannel)
            await channel._link_to(f"user-{viewer.user_id}")
        return viewer

    def _show(self, viewer: Viewer | None) -> None:
        self.auth_checked = True
        self.signed_in = viewer is not None
        self.username = viewer.username if viewer else ""
        self.full_name = viewer.full_name if viewer else ""
        self.is_moderator = bool(viewer and viewer.is_moderator)
        self.is_admin = bool(viewer and viewer.is_admin)
        self.restricted = bool(viewer and viewer.is_restricted)
        self.account_theme = viewer.theme if viewer else ""
        self._user_id = viewer.user_id if viewer else 0

    def _login_redirect(self) -> rx.event.EventSpec:
        # The static server may have added a trailing slash; `next` keeps the clean path.
        path = self.router.url.path.rstrip("/") or "/"
        query = f"?{self.router.url.query}" if self.router.url.query else ""
        return rx.redirect(f"/login?next={quote(path + query, safe='')}")

    @rx.event
    async def guard(self, access: str):
        """on_load of every page: apply the page's access level (PRODUCT.md §2)."""
        viewer = await self._viewer()
        self.flash_notice = self._flash().get("notice", "") if access == "A" else ""
        if access == "G" and viewer is not None:
            return rx.redirect("/dashboard")
        if access == "A" and viewer is None:
            return self._login_redirect()
        # M pages need no redirect: everyone but moderators sees the 404 content.
        events = []
        if viewer is not None and viewer.idle_deadline is not None:
            events.append(SessionState.watch_idle)
        if redirect := self._restricted_redirect(viewer, access):
            events.append(redirect)
        return events or None

    def _restricted_redirect(self, viewer: Viewer | None, access: str):
        """Restricted accounts may only open /settings and /notifications (§4.13.8)."""
        path = self.router.url.path or "/"
        if (
            viewer is not None
            and viewer.is_restricted
            and access == "A"
            and not path.startswith(RESTRICTED_PAGES)
        ):
            return rx.redirect("/settings")
        return None

    @rx.event
    async def remember_theme(self, theme: str):
        """Store a signed-in viewer's theme on the account (visitors: the browser only)."""
        viewer = await self._viewer()
        if viewer is None:
            return
        try:
            await asyncio.to_thread(
                run_transaction,
                lambda db: theme_update(db, user_id=viewer.user_id, theme=theme),
            )
        except ValidationFailed:
            return
        self.account_theme = theme

    @rx.event
    async def stay_signed_in(self):
        """The toast's button: any event is activity, which restarts the idle timer."""
        await self._viewer()

    @rx.event(background=True)
    async def watch_idle(self):
        """Sign this tab out after 15 idle minutes, warning 2 minutes before (§4.1.4).

        Runs on the server (no client polling). "Remember me" sessions have no idle limit.
        """
        async with self:
            if self._watching_idle or not self.signed_in:
                return
            self._watching_idle = True
        try:
            while True:
                async with self:
                    viewer = await self._viewer(touch=False)
                if viewer is None:
                    yield self._login_redirect()
                    return
                if viewer.idle_deadline is None:
                    return
                remaining = (viewer.idle_deadline - datetime.now(UTC)).total_seconds()
                if remaining > IDLE_WARNING_SECONDS:
                    await asyncio.sleep(remaining - IDLE_WARNING_SECONDS)
                    continue
                yield rx.toast.warning(
                    IDLE_WARNING,
                    action={"label": "Stay signed in", "on_click": SessionState.stay_signed_in},
                    duration=max(remaining, 1) * 1000,
                )
                await asyncio.sleep(max(remaining, 0) + 1)
        finally:
            async with self:
                self._watching_idle = False

    @rx.event
    async def recheck(self):
        """Run when the user's channel signals a change: leave if this session ended."""
        was_signed_in = self.signed_in
        viewer = await self._viewer()
        if was_signed_in and viewer is None:
            return self._login_redirect()
        return None
