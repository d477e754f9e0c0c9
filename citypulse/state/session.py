"""The signed-in viewer of a tab and the one event path every State class uses.

Security invariant (ARCHITECTURE.md): any connected client can call any public handler
with any arguments. So every handler that reads private data or changes something runs
through `_call` (signed-in actions) or `_load` (page loaders, visitors allowed): the
viewer is re-established from the session cookie **in the same transaction** as the
action (revocation stays immediate, one commit per user action), service errors come
back as an `Outcome`, and a missing viewer becomes the login redirect.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote

import reflex as rx
from reflex.istate.shared import SharedStateBaseInternal
from sqlmodel import Session

from citypulse.api.cookies import ACCESS_COOKIE, parse_cookie_header, read_flash
from citypulse.auth.oauth_state import safe_next_path
from citypulse.models.enums import AccountStatus
from citypulse.services.accounts.settings import theme_update
from citypulse.services.accounts.viewer import Viewer, viewer_from_access_token
from citypulse.services.errors import ServiceError
from citypulse.services.moderation.restrictions import suspension_expire_for
from citypulse.services.unit_of_work import run_transaction
from citypulse.state import live_links
from citypulse.state.connection import (
    ConnectionRenewing,
    facts_for,
    mark_signed_out,
    usable_access_token,
)
from citypulse.state.outcome import Outcome
from citypulse.state.transaction_threads import in_transaction_thread

T = TypeVar("T")
RESTRICTED_PAGES = ("/settings", "/notifications")
IDLE_WARNING_SECONDS = 120  # the "Stay signed in" toast comes 2 minutes before sign-out
IDLE_WARNING = "You will be signed out in 2 minutes because you have been inactive."
# The page's loader reuses the viewer its guard established moments before (same
# navigation, same path); older than this, the loader looks the viewer up again.
GUARD_REUSE_SECONDS = 5.0
_SIGNED_OUT = object()


def _suspension_over(viewer: Viewer | None, now: datetime) -> bool:
    """The viewer is suspended and the end time has passed (free: no database read)."""
    return (
        viewer is not None
        and viewer.status == AccountStatus.suspended
        and viewer.suspended_until is not None
        and viewer.suspended_until <= now
    )


class UserChannel(rx.SharedState):
    """Per-user live channel, linked by every tab of that user to key `user-<id>`.

    A change of `session_epoch` re-mounts a watcher in each tab, which re-checks its
    session: that is how "log out everywhere" reaches other tabs within seconds. Only
    the push adapter (state/push.py) writes it.
    """

    session_epoch: int = 0
    notification_epoch: int = 0  # a notification was created for this user (toast)
    notification_sync: int = 0  # notifications were read or deleted (refetch, no toast)
    buddies_epoch: int = 0  # this user's buddies, requests or blocks changed (§6.4)
    achievements_epoch: int = 0  # this user unlocked badges (§6.5: pop-up once, refetch)


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
    _linked_user_id: int = 0  # the `user-<id>` key UserChannel is linked to (0: none)
    _guard_viewer: Viewer | None = None
    _guard_path: str = ""
    _guard_at: float = 0.0
    _watching_idle: bool = False
    # The viewer became restricted or unrestricted while this tab was open (seen by any
    # event's `_show`); `recheck` then moves the tab (restricted screen, or back in).
    _standing_moved: bool = False

    def _cookies(self) -> dict[str, str]:
        """The handshake's cookies, kept server-side per socket (never in router data)."""
        facts = facts_for(self.router.session.session_id)
        return parse_cookie_header(facts.cookie) if facts is not None else {}

    def _client_ip(self) -> str | None:
        """The browser's address (for per-IP rate limits), kept server-side per socket."""
        facts = facts_for(self.router.session.session_id)
        return facts.client_ip if facts is not None else None

    def _flash(self) -> dict[str, str]:
        """The one-minute message an /auth route left for this page."""
        return read_flash(self._cookies())

    async def _in_transaction(
        self, work: Callable[[Session, Viewer | None], T], *, touch: bool = True
    ) -> tuple[Viewer | None, T]:
        """Look the viewer up and run `work(db, viewer)` in one transaction (off the loop,
        on the transaction threads).

        When `work` refuses with a `ServiceError`, the viewer found is still shown (the
        header stays right on a refused page) before the error propagates.
        """
        now = datetime.now(UTC)
        sid = self.router.session.session_id
        token = usable_access_token(sid, self._cookies().get(ACCESS_COOKIE), now)
        found: list[Viewer | None] = []

        def transaction(db: Session) -> tuple[Viewer | None, T]:
            viewer = viewer_from_access_token(db, token, now, touch=touch, live_connection=True)
            if _suspension_over(viewer, now) and suspension_expire_for(db, viewer.user_id, now):
                # Auto-lift checked on request (§4.13.5): this very action runs as active.
                viewer = viewer_from_access_token(db, token, now, touch=False, live_connection=True)
            found.append(viewer)
            return viewer, work(db, viewer)

        try:
            return await in_transaction_thread(run_transaction, transaction)
        except ServiceError:
            if found:
                await self._show(found[0])
            raise

    async def _call(self, service: Callable[..., T], /, **kwargs: Any) -> Outcome[T]:
        """Run `service(db, actor=viewer, **kwargs)` for the signed-in viewer: one transaction.

        Signed out (or revoked): nothing runs and the outcome carries the login redirect.
        A `ServiceError` rolls the transaction back and comes back as the outcome's error.
        """

        def work(db: Session, viewer: Viewer | None) -> Any:
            return _SIGNED_OUT if viewer is None else service(db, actor=viewer, **kwargs)

        try:
            viewer, value = await self._in_transaction(work)
        except ServiceError as error:
            return Outcome.failed(error)
        except ConnectionRenewing:
            return Outcome(renewing=True)
        await self._show(viewer)
        if value is _SIGNED_OUT:
            return Outcome(redirect=self._login_redirect())
        return Outcome(value=value)

    async def _load(
        self, loader: Callable[..., T], /, *, touch: bool = True, **kwargs: Any
    ) -> Outcome[T]:
        """A page's loader: `loader(db, viewer=viewer_or_None, **kwargs)` in one transaction.

        Right after the page's guard, the viewer it established is reused (no second
        lookup); otherwise it is looked up in the loader's own transaction. `touch=False`
        for a re-read the tab makes on its own (a push, a reconnect): that is not the
        viewer's activity, so the session's idle clock is left alone.
        """
        try:
            if (viewer := self._viewer_from_guard()) is not None:
                value = await in_transaction_thread(
                    run_transaction, lambda db: loader(db, viewer=viewer, **kwargs)
                )
            else:
                viewer, value = await self._in_transaction(
                    lambda db, found: loader(db, viewer=found, **kwargs), touch=touch
                )
                await self._show(viewer)
        except ServiceError as error:
            return Outcome.failed(error)
        except ConnectionRenewing:
            return Outcome(renewing=True)
        return Outcome(value=value)

    def _viewer_from_guard(self) -> Viewer | None:
        """The guard's viewer when this load belongs to the same navigation (used once)."""
        viewer, self._guard_viewer = self._guard_viewer, None
        fresh = time.monotonic() - self._guard_at <= GUARD_REUSE_SECONDS
        if viewer is not None and fresh and self._guard_path == self.router.url.path:
            return viewer
        return None

    async def _viewer(self, *, touch: bool = True) -> Viewer | None:
        """Re-read the viewer alone (events that run no service, e.g. activity pings).

        Raises `ConnectionRenewing` when the socket's token is too old to act on: the
        socket is reopening and the page's guard runs again on the new connection.
        """
        viewer, _ = await self._in_transaction(lambda db, found: None, touch=touch)
        await self._show(viewer)
        return viewer

    async def _show(self, viewer: Viewer | None) -> None:
        """Reflect the viewer in the public vars (only what changed) and the user channel."""
        user_id = viewer.user_id if viewer else 0
        if self._user_id and user_id != self._user_id:
            await self._start_fresh()  # signed out (or replaced) while this tab was open
        restricted = bool(viewer and viewer.is_restricted)
        if self.signed_in and viewer is not None and self.restricted != restricted:
            self._standing_moved = True
        shown = {
            "auth_checked": True,
            "signed_in": viewer is not None,
            "username": viewer.username if viewer else "",
            "full_name": viewer.full_name if viewer else "",
            "is_moderator": bool(viewer and viewer.is_moderator),
            "is_admin": bool(viewer and viewer.is_admin),
            "restricted": restricted,
            "account_theme": viewer.theme if viewer else "",
        }
        for name, value in shown.items():
            if getattr(self, name) != value:  # an unchanged var stays out of the delta
                setattr(self, name, value)
        self._user_id = user_id
        if self._user_id and self._user_id != self._linked_user_id:
            channel = await self.get_state(UserChannel)
            await channel._link_to(f"user-{self._user_id}")
            self._linked_user_id = self._user_id

    async def _start_fresh(self) -> None:
        """Forget everything the previous viewer's pages held in this tab (§5.3).

        Every page state below SessionState is loaded (Redis loads lazily) and reset, so
        the delta clears the browser's copy too; every shared key the tab linked (user,
        moderators, recommendation) is left; and the tab's next connection gets a new
        client token.
        """
        pending = list(SessionState.get_substates())
        while pending:
            state_class = pending.pop()
            await self.get_state(state_class)
            pending.extend(state_class.get_substates())
        # `self` may be a page state: reset from the top of this subtree.
        (await self.get_state(SessionState)).reset()
        root = self._get_root_state()
        await self.get_state(SharedStateBaseInternal)  # the linked states' tree, loaded
        for state_name in list(root._reflex_internal_links or {}):
            shared_cls = type(root.get_substate(state_name.split(".")))
            await live_links.unlink(self, shared_cls)
        await mark_signed_out(self.router.session.client_token)

    def _login_redirect(self, *, idle: bool = False) -> rx.event.EventSpec:
        # The static server may have added a trailing slash; `next` keeps the clean path.
        path = self.router.url.path.rstrip("/") or "/"
        query = f"?{self.router.url.query}" if self.router.url.query else ""
        reason = "&reason=idle" if idle else ""  # /login says why (issue 15 item 10)
        return rx.redirect(f"/login?next={quote(path + query, safe='')}{reason}")

    @rx.event
    async def guard(self, access: str):
        """on_load of every page: apply the page's access level (PRODUCT.md §2)."""
        try:
            viewer = await self._viewer()
        except ConnectionRenewing:
            return None  # the reconnecting page runs its guard again
        self._guard_viewer, self._guard_at = viewer, time.monotonic()
        self._standing_moved = False  # this navigation applies the viewer's standing
        self._guard_path = self.router.url.path
        notice = self._flash().get("notice", "") if access == "A" else ""
        if notice != self.flash_notice:
            self.flash_notice = notice
        if access == "G" and viewer is not None:
            # Signed in after all (e.g. the cookie was refreshed as the page woke up).
            return rx.redirect(safe_next_path(self.router.url.query_parameters.get("next")))
        if access == "A" and viewer is None:
            return self._login_redirect()
        # M pages need no redirect: everyone but moderators sees the 404 content.
        events = []
        if viewer is not None and viewer.idle_deadline is not None and not self._watching_idle:
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
        outcome = await self._call(
            lambda db, actor: theme_update(db, user_id=actor.user_id, theme=str(theme))
        )
        if outcome.ok and self.account_theme != theme:
            self.account_theme = str(theme)

    @rx.event
    async def stay_signed_in(self):
        """The toast's button: any event is activity, which restarts the idle timer."""
        with contextlib.suppress(ConnectionRenewing):
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
        deadline_passed = False  # gone after sleeping past the deadline: an idle sign-out
        try:
            while True:
                async with self:
                    try:
                        viewer = await self._viewer(touch=False)
                    except ConnectionRenewing:
                        return  # the reconnected page's guard starts a new watch
                if viewer is None:
                    yield self._login_redirect(idle=deadline_passed)
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
                deadline_passed = True
        finally:
            async with self:
                self._watching_idle = False

    @rx.event
    async def recheck(self):
        """Run when the user's channel signals a change: leave if this session ended.

        A suspension or ban sends the tab to the restricted screen, its end back into the
        app (§6.6); a role change shows or hides Moderator tools through `_show`.
        """
        was_signed_in = self.signed_in
        try:
            viewer = await self._viewer()
        except ConnectionRenewing:
            return None
        if was_signed_in and viewer is None:
            return self._login_redirect()
        if viewer is not None and self._standing_moved:
            # Another event of this tab may have seen the change first: the flag, not a
            # comparison here, says the tab still has to move.
            self._standing_moved = False
            return rx.redirect("/settings" if viewer.is_restricted else "/dashboard")
        return None
