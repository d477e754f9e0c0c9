"""/buddies: the viewer's buddies, requests, sent requests, the finder and blocked users.

Every tab opens with one loader transaction: the counts of all tabs and the tab's first
page (`social.lists.buddies_page`, or for the find tab `social.finder`). Row actions
take the other user's id from the browser; the services decide with the verified actor
whether there is anything of theirs to act on (carol cannot answer alice's request to
bob: the request is looked up by the pair (actor, user_id)).

Live (§6.4): every buddy and block command bumps `UserChannel.buddies_epoch` of both
users; the page's watcher re-mounts on it and `buddies_changed` refetches the open tab
and the counts, in every tab of that user.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import reflex as rx
from sqlmodel import Session

from citypulse.params import parse_id, parse_text
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import ValidationFailed
from citypulse.services.recommendations.cities import city_suggestions
from citypulse.services.social.blocks import unblock_user
from citypulse.services.social.buddies import (
    PendingRequest,
    buddy_accept,
    buddy_cancel,
    buddy_decline,
    buddy_remove,
    buddy_request,
)
from citypulse.services.social.finder import (
    CITY_MESSAGE,
    MAX_TEXT,
    FinderOptions,
    FinderPage,
    find_buddies,
    finder_options,
)
from citypulse.services.social.lists import (
    BuddiesPage,
    BuddyCounts,
    buddies_page,
    buddy_counts,
)
from citypulse.state.forms import errors_of
from citypulse.state.moderation.reports import send_report
from citypulse.state.outcome import Outcome
from citypulse.state.session import SessionState, UserChannel
from citypulse.state.social.views import (
    TAB_KEYS,
    BuddyTabView,
    ChoiceView,
    FinderErrors,
    FinderFiltersView,
    PersonRowView,
    buddy_row_views,
    city_choices,
    finder_row_views,
    interest_choices,
    tab_views,
)

MESSAGE_MAX = 300  # the services refuse longer messages with a field error
CITY_TEXT_MAX = 120
NO_COUNTS = BuddyCounts(0, 0, 0, 0)
FROM_THEM = "{name} already sent you a buddy request: accept it on the Requests tab."
NOT_BLOCKED = "You have not blocked {name}."


@dataclass(frozen=True)
class FindTab:
    """What the find tab's loader read: counts, the page, the filter choices."""

    counts: BuddyCounts
    page: FinderPage
    options: FinderOptions | None  # only on the tab's first load


def _city_id(db: Session, viewer: Viewer | None, text: str) -> int | None:
    """The city the filter names ("Lisbon" or "Lisbon, Portugal"); None for any city.

    Raises:
        ValidationFailed: no city matches (field "city").
    """
    if not text:
        return None
    if parse_text(text, max_length=CITY_TEXT_MAX) is None:  # a NUL never reaches PostgreSQL
        raise ValidationFailed({"city": CITY_MESSAGE})
    viewer_id = viewer.user_id if viewer is not None else None
    found = city_suggestions(db, viewer_id=viewer_id, text=text, limit=8)
    wanted = text.casefold()
    exact = [c for c in found if wanted in (c.label.casefold(), c.full_label.casefold())]
    if exact or found:
        return (exact or list(found))[0].id
    raise ValidationFailed({"city": CITY_MESSAGE})


def _find_tab(
    db: Session,
    *,
    viewer: Viewer | None,
    filters: FinderFiltersView,
    cursor: str | None,
    with_options: bool,
) -> FindTab:
    """The find tab's loader: one transaction for counts, options and one page."""
    counts = buddy_counts(db, viewer=viewer)
    options = finder_options(db, viewer=viewer) if with_options else None
    page = find_buddies(
        db,
        viewer=viewer,
        text=filters.text,
        city=_city_id(db, viewer, filters.city) or "",
        interests=filters.interest_ids,
        travel_style=filters.travel_style,
        activity_level=filters.activity_level,
        suggested=filters.suggested,
        cursor=cursor,
    )
    return FindTab(counts, page, options)


def _filters_from(form: dict[str, Any]) -> FinderFiltersView:
    """The filter form as submitted (the finder validates the values again)."""
    interest_ids = sorted(
        {
            parsed
            for key, value in form.items()
            if str(key).startswith("interest-") and value in ("on", True, "true")
            if (parsed := parse_id(str(key).removeprefix("interest-"))) is not None
        }
    )
    return FinderFiltersView(
        text=str(form.get("text", ""))[: MAX_TEXT + 1],
        city=str(form.get("city", "")).strip()[:CITY_TEXT_MAX],
        interest_ids=tuple(str(category_id) for category_id in interest_ids),
        travel_style=str(form.get("travel_style", ""))[:32],
        activity_level=str(form.get("activity_level", ""))[:32],
        suggested=form.get("suggested") in ("on", True, "true"),
    )


class BuddiesState(SessionState):
    """The open /buddies tab (also Settings → Blocked users, through `show_blocked`)."""

    tab: str = "buddies"
    tabs: list[BuddyTabView] = []
    rows: list[PersonRowView] = []
    has_more: bool = False
    loaded: bool = False
    error: str = ""  # a refused action, shown above the list
    notice: str = ""  # what the last action did
    dialog_error: str = ""  # a message field refused inside the open dialog
    report_open: bool = False  # the "Report @user" dialog (§4.13.1: also on /buddies)
    report_error: str = ""
    report_name: str = ""  # the @username the report dialog names
    _report_user_id: int = 0
    filters: FinderFiltersView = FinderFiltersView()
    filter_errors: FinderErrors = FinderErrors()
    interest_options: list[ChoiceView] = []
    city_options: list[ChoiceView] = []
    _counts: BuddyCounts = NO_COUNTS
    _cursor: str | None = None
    _epoch_seen: int = -1  # the `buddies_epoch` the shown lists reflect

    def _requested_tab(self) -> str:
        raw = parse_text(self.router.url.query_parameters.get("tab", ""), max_length=16)
        return raw if raw in TAB_KEYS else "buddies"

    def _show_tabs(self) -> None:
        found = ""
        if self.tab == "find" and self.loaded:
            found = f"{len(self.rows)}{'+' if self.has_more else ''}"
        self.tabs = tab_views(self._counts, self.tab, found)

    async def _remember_epoch(self) -> None:
        channel = await self.get_state(UserChannel)
        self._epoch_seen = channel.buddies_epoch

    async def _fetch(self, *, more: bool = False, quiet: bool = False):
        """Load the open tab's first page (or, with `more`, the next one) and the counts.

        `quiet`: a refusal leaves the list empty without a toast (Settings, where a
        restricted account sees its restricted screen instead).
        """
        cursor = self._cursor if more else None
        if self.tab == "find":
            outcome: Outcome[Any] = await self._load(
                _find_tab,
                filters=self.filters,
                cursor=cursor,
                with_options=not self.interest_options,
            )
        else:
            outcome = await self._load(buddies_page, tab=self.tab, cursor=cursor)
        if outcome.field_errors:
            self.filter_errors = errors_of(FinderErrors, outcome.field_errors)
            self.rows, self.has_more, self._cursor, self.loaded = [], False, None, True
            self._show_tabs()
            return None
        if not outcome.ok or outcome.value is None:
            if quiet and outcome.error is not None:
                self.loaded = True
                return None
            return outcome.event
        self.filter_errors = FinderErrors()
        await self._remember_epoch()
        self._apply(outcome.value, more=more)
        return None

    def _apply(self, value: BuddiesPage | FindTab, *, more: bool) -> None:
        if isinstance(value, FindTab):
            rows, cursor = finder_row_views(value.page.rows), value.page.next_cursor
            if value.options is not None:
                self.interest_options = interest_choices(value.options.interests)
                self.city_options = city_choices(value.options.cities)
        else:
            rows, cursor = buddy_row_views(value.rows), value.next_cursor
        self._counts = value.counts
        self.rows = [*self.rows, *rows] if more else rows
        self._cursor, self.has_more, self.loaded = cursor, cursor is not None, True
        self._show_tabs()

    @rx.event
    async def load(self):
        """on_load: the tab of `?tab=` (buddies when missing or unknown)."""
        self.tab, self.loaded = self._requested_tab(), False
        self.rows, self.has_more, self._cursor = [], False, None
        self.error = self.notice = self.dialog_error = ""
        self._show_tabs()
        return await self._fetch()

    @rx.event
    async def show_blocked(self):
        """on_load of /settings: the blocked users (the section lists them)."""
        self.tab, self.loaded = "blocked", False
        self.rows, self.has_more, self._cursor = [], False, None
        self.error = self.notice = self.dialog_error = ""
        return await self._fetch(quiet=True)

    @rx.event
    async def load_more(self):
        """'Load more' under the list: the next keyset page of the open tab."""
        if not self.loaded or not self._cursor:
            return None
        return await self._fetch(more=True)

    @rx.event
    async def find(self, form: dict):
        """The finder's filter form: search again from the first page."""
        if self.tab != "find":
            return None
        self.filters = _filters_from(form if isinstance(form, dict) else {})
        self.rows, self.has_more, self._cursor, self.loaded = [], False, None, False
        self.error = self.notice = ""
        return await self._fetch()

    @rx.event
    async def buddies_changed(self):
        """The user's buddies channel moved (here or in another tab): refetch."""
        channel = await self.get_state(UserChannel)
        if not self.loaded or channel.buddies_epoch == self._epoch_seen:
            return None  # the first mount, or a change this list already shows
        self.rows, self.has_more, self._cursor = [], False, None
        return await self._fetch()

    # --- row actions ---------------------------------------------------------------------

    def _name_of(self, user_id: int) -> str:
        row = next((row for row in self.rows if row.user_id == user_id), None)
        return f"@{row.username}" if row is not None else "This user"

    async def _act(self, service, user_id: object, done: str, **kwargs: Any):
        """Run one row action; on success drop the row and adjust the counts at once.

        The push that follows refetches the exact lists (here and in the user's other
        tabs), so nothing is re-read now.
        """
        self.error = self.notice = self.dialog_error = ""
        other = parse_id(user_id)
        if other is None:
            self.error = "User not found"
            return None
        name = self._name_of(other)
        outcome = await self._call(service, user_id=other, now=datetime.now(UTC), **kwargs)
        if outcome.signed_out or outcome.renewing:
            return outcome.redirect
        if outcome.field_errors:
            self.dialog_error = next(iter(outcome.field_errors.values()))
            return None
        if isinstance(outcome.error, PendingRequest) and outcome.error.from_them:
            self.error = FROM_THEM.format(name=name)
            return None
        if outcome.error is not None:
            self.error = outcome.message
            return None
        if outcome.value is False:  # unblock_user: there was no block of the viewer's
            self.error = NOT_BLOCKED.format(name=name)
            return None
        self.rows = [row for row in self.rows if row.user_id != other]
        self._counts = _counted(self._counts, service)
        self.notice = done.format(name=name)
        self._show_tabs()
        return None

    @rx.event
    async def send_request(self, form: dict):
        """Find tab: ask someone to be a buddy, with an optional message."""
        form = form if isinstance(form, dict) else {}
        message = str(form.get("message", ""))[: MESSAGE_MAX + 1]
        return await self._act(
            buddy_request, form.get("user_id"), "Buddy request sent to {name}.", message=message
        )

    @rx.event
    async def accept(self, user_id: str):
        """Requests tab: accept the request this user sent the viewer."""
        return await self._act(buddy_accept, user_id, "You and {name} are now buddies.")

    @rx.event
    async def decline(self, form: dict):
        """Requests tab: decline the request this user sent, with an optional message."""
        form = form if isinstance(form, dict) else {}
        message = str(form.get("message", ""))[: MESSAGE_MAX + 1]
        return await self._act(
            buddy_decline, form.get("user_id"), "Declined {name}'s request.", message=message
        )

    @rx.event
    async def cancel(self, user_id: str):
        """Sent tab: withdraw the viewer's pending request to this user."""
        return await self._act(buddy_cancel, user_id, "Cancelled your request to {name}.")

    @rx.event
    async def remove(self, user_id: str):
        """Buddies tab (after the confirmation): end the buddy connection."""
        return await self._act(buddy_remove, user_id, "Removed {name} from your buddies.")

    @rx.event
    def open_report(self, user_id: str, username: str):
        """Open the report dialog for the person of one row (the service decides)."""
        self._report_user_id = parse_id(user_id) or 0
        self.report_name = str(username)[:30]
        self.report_open, self.report_error = True, ""

    @rx.event
    def set_report_open(self, open: bool):
        """The report dialog opened or closed (a fresh dialog shows no old refusal)."""
        self.report_open, self.report_error = open is True, ""

    @rx.event
    async def report(self, form: dict):
        """Report the person's profile with a reason (and a description for "other")."""
        return await send_report(
            self, content_type="profile", content_id=self._report_user_id, form=form
        )

    @rx.event
    async def unblock(self, user_id: str):
        """Blocked tab / Settings: lift the viewer's block (visibility only, §4.5.6)."""
        return await self._act(unblock_user, user_id, "Unblocked {name}.")


_COUNT_CHANGES = {
    buddy_request: {"sent": 1},
    buddy_accept: {"requests": -1, "buddies": 1},
    buddy_decline: {"requests": -1},
    buddy_cancel: {"sent": -1},
    buddy_remove: {"buddies": -1},
    unblock_user: {"blocked": -1},
}


def _counted(counts: BuddyCounts, service: object) -> BuddyCounts:
    """The counts right after `service` succeeded (the push then refetches them)."""
    changes = _COUNT_CHANGES.get(service, {})  # type: ignore[call-overload]
    return replace(counts, **{key: max(0, getattr(counts, key) + n) for key, n in changes.items()})
