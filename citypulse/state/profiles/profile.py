"""/profile/[username]: one profile as this viewer may see it (PRODUCT.md §2.2, §4.2).

The service decides what the viewer sees (full view, limited card or 404) and which tab
they may open; this state only maps the read model to typed view models. Email and phone
never enter the state, not even for the owner, and the owner-only lists (saved, liked)
are fetched with the verified viewer, so nobody can read anyone else's lists through a
crafted event. The page opens with one loader transaction (`profile_page`).
"""

from __future__ import annotations

import reflex as rx

from citypulse.params import parse_text
from citypulse.services.errors import NotFound
from citypulse.services.profiles.pages import OWNER_TABS, PUBLIC_TABS, ProfilePage, profile_page
from citypulse.services.sharing.page_meta import page_title, profile_title
from citypulse.state.moderation.removal_appeal import (
    RemovalBannerView,
    removal_banner_view,
    send_removal_appeal,
)
from citypulse.state.moderation.reports import send_report
from citypulse.state.outcome import Outcome
from citypulse.state.profiles.history_views import HistoryTripView, history_trip_views
from citypulse.state.profiles.views import (
    RELATIONSHIP_TEXT,
    LinkView,
    PersonView,
    ProfileCardView,
    StatView,
    TabLinkView,
    VisitedCityView,
    completion_texts,
    link_views,
    person_view,
    profile_card_views,
    saved_item_views,
    stat_views,
    tab_links,
    visited_city_views,
)
from citypulse.state.profiles.views import upload_href as upload_href  # photos.py uses it
from citypulse.state.session import SessionState

DEFAULT_TITLE, NOT_FOUND_TITLE = page_title("Profile"), page_title("Profile not found")
ROUTE_ARG = "profile_username"  # `/profile/[profile_username]` (SessionState owns `username`)
TAB_LABELS = {"recommendations": "Recommendations", "history": "Travel history",
              "achievements": "Achievements", "saved": "Saved", "liked": "Liked"}  # fmt: skip


class ProfileState(SessionState):
    """The profile on screen; `status` is loading, found or missing (the 404 content)."""

    status: str = "loading"
    kind: str = ""  # "full" or "limited"
    notice: str = ""
    is_owner: bool = False
    person: PersonView = PersonView()
    links: list[LinkView] = []
    whatsapp: str = ""
    cities: list[VisitedCityView] = []
    stats: list[StatView] = []
    points: int = 0
    relationship_text: str = ""
    completion_percent: str = ""
    completion_missing: str = ""
    show_completion_banner: bool = False
    tab: str = "recommendations"
    tabs: list[TabLinkView] = []
    cards: list[ProfileCardView] = []  # the recommendations tab
    entries: list[ProfileCardView] = []  # the owner's saved / liked tabs
    trips: list[HistoryTripView] = []  # the history tab's visible completed trips
    has_more: bool = False
    tab_error: str = ""
    report_open: bool = False  # the report dialog (closed again when the report is sent)
    page_title: str = DEFAULT_TITLE  # "@alice · CityPulse" once loaded
    report_error: str = ""
    removal: RemovalBannerView = RemovalBannerView()  # the owner's profile, removed
    appeal_error: str = ""
    _removal_id: int = 0  # that removal's audit entry the owner may appeal (server-side)
    _author_id: int = 0
    _username: str = ""
    _cursor: str | None = None

    def _requested(self) -> tuple[str, str]:
        """The username in the route ("" for anything that cannot be one) and `?tab=`."""
        name = parse_text(self.router.page.params.get(ROUTE_ARG, ""), max_length=64) or ""
        tab = parse_text(self.router.url.query_parameters.get("tab", ""), max_length=32) or ""
        return name, tab

    @rx.event
    async def load(self):
        """on_load: the profile named in the URL and the tab of `?tab=` (one transaction)."""
        self.status, self.tab_error = "loading", ""
        self.report_open, self.report_error, self.page_title = False, "", DEFAULT_TITLE
        self.cards, self.entries, self.has_more, self._cursor = [], [], False, None
        self.trips = []
        name, tab = self._requested()
        if not name:  # a NUL or an over-long name: no such profile
            self._clear()
            self.status = "missing"
            return None
        outcome = await self._load(profile_page, username=name, tab=tab)
        if not self._show_page(outcome):
            return self._failure(outcome)
        page = outcome.value
        self._apply(page)
        self._append(page)
        self.status = "found"
        return None

    def _show_page(self, outcome: Outcome[ProfilePage]) -> bool:
        """True when there is a profile to show; 404 content when it is not found."""
        if isinstance(outcome.error, NotFound):
            self._clear()
            self.status, self.page_title = "missing", NOT_FOUND_TITLE
        return outcome.ok and outcome.value is not None

    def _failure(self, outcome: Outcome[ProfilePage]):
        """No toast for the 404 content; any other refusal is shown as one."""
        return None if self.status == "missing" else outcome.event

    def _clear(self) -> None:
        self.kind = self.notice = self.whatsapp = self.relationship_text = ""
        self.completion_percent = self.completion_missing = ""
        self.person, self.links, self.cities, self.stats, self.tabs = PersonView(), [], [], [], []
        self.trips = []
        self.is_owner, self.show_completion_banner, self.points = False, False, 0
        self.removal, self.appeal_error, self._removal_id = RemovalBannerView(), "", 0
        self._author_id, self._username = 0, ""

    def _apply(self, page: ProfilePage) -> None:
        view = page.profile
        self._clear()
        self._author_id, self._username = view.user_id, view.username
        self.page_title = profile_title(view.username)
        self.kind, self.notice, self.is_owner = view.kind, view.notice or "", view.is_owner
        self.relationship_text = RELATIONSHIP_TEXT.get(view.relationship, "")
        self.person = person_view(view)
        self.links = link_views(view)
        self.whatsapp = (view.links.whatsapp or "") if view.links is not None else ""
        self.cities = visited_city_views(view.cities_visited)
        self.stats = stat_views(view)
        self.points = view.stats.points if view.stats is not None else 0
        percent, missing, banner = completion_texts(view)
        self.completion_percent, self.completion_missing = percent, missing
        self.show_completion_banner = banner
        keys = PUBLIC_TABS + (OWNER_TABS if view.is_owner else ())
        self.tab = page.tab
        self.tabs = tab_links(view.username, tuple((k, TAB_LABELS[k]) for k in keys), page.tab)
        self.removal = removal_banner_view(page.removal)
        self._removal_id = page.removal.removal_id if page.removal else 0

    def _append(self, page: ProfilePage) -> None:
        """Add the page's list items under those already shown."""
        self.tab_error = page.list_error
        self.cards = [*self.cards, *profile_card_views(page.cards)]
        self.entries = [*self.entries, *saved_item_views(page.entries)]
        self.trips = [*self.trips, *history_trip_views(page.trips)]
        self._cursor, self.has_more = page.next_cursor, page.next_cursor is not None

    @rx.event
    async def load_more(self):
        """'Show more' under a list: the next page, if the viewer still gets the full view."""
        if self.status != "found" or not self._cursor:
            return None
        outcome = await self._load(
            profile_page, username=self._username, tab=self.tab, cursor=self._cursor
        )
        if not self._show_page(outcome):
            return self._failure(outcome)
        page = outcome.value
        if page.profile.kind != "full" or page.profile.user_id != self._author_id:
            return None
        if page.tab != self.tab:  # no longer allowed to see this list
            return None
        self._append(page)
        return None

    @rx.event
    def set_report_open(self, open: bool):
        """The report dialog opened or closed (a fresh dialog shows no old refusal)."""
        self.report_open, self.report_error = open is True, ""

    @rx.event
    async def report_profile(self, form: dict):
        """Report the profile on this page (the service checks who may report what)."""
        return await send_report(
            self, content_type="profile", content_id=self._author_id, form=form
        )

    @rx.event
    async def appeal_removal(self, form: dict):
        """The owner appeals a moderator's removal of their profile (§4.13.9): the removal
        this page read for them, never one the browser names."""
        return await send_removal_appeal(self, form)
