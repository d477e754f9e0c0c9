"""/profile/[username]: one profile as this viewer may see it (PRODUCT.md §2.2, §4.2).

The service decides what the viewer sees (full view, limited card or 404); this state only
maps the read model to display strings. Email and phone never enter the state, not even
for the owner, and the owner-only lists (saved, liked) are fetched with the verified
viewer as the actor, so nobody can read anyone else's lists through a crafted event.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from urllib.parse import quote

import reflex as rx

from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound, ServiceError
from citypulse.services.interactions.likes_saves import liked_recommendations, saved_recommendations
from citypulse.services.moderation.reports import report_create
from citypulse.services.profiles.queries import ProfileView, VisitedCity
from citypulse.services.profiles.queries import profile_view as load_profile_view
from citypulse.services.recommendations.queries import (
    RecommendationCard,
    recommendations_by_author,
)
from citypulse.services.unit_of_work import run_transaction
from citypulse.state.session import SessionState

ROUTE_ARG = "profile_username"  # `/profile/[profile_username]` (SessionState owns `username`)
PUBLIC_TABS = (("recommendations", "Recommendations"), ("history", "Travel history"),
               ("achievements", "Achievements"))  # fmt: skip
OWNER_TABS = (("saved", "Saved"), ("liked", "Liked"))
LINK_LABELS = (("instagram_url", "Instagram"), ("facebook_url", "Facebook"),
               ("twitter_url", "X"), ("linkedin_url", "LinkedIn"),
               ("website_url", "Website"))  # fmt: skip
RELATIONSHIP_TEXT = {
    "buddies": "Buddies ✓",
    "request_sent": "Buddy request sent",
    "request_received": "Sent you a buddy request",
}
COMPLETION_LABELS = {"avatar": "a profile photo", "cover": "a cover photo", "bio": "a bio",
                     "current_location": "your current location", "hometown": "your hometown",
                     "city": "a city you visited", "interest": "an interest",
                     "link": "a link"}  # fmt: skip
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def upload_href(key: str | None) -> str:
    """The public URL of a stored image ('' without one)."""
    return f"/_upload/{key}" if key else ""


def month_label(month: str | None) -> str:
    """'2024-06' → 'Jun 2024' ('' when unknown)."""
    if not month or len(month) != 7 or not month[5:].isdigit():
        return ""
    index = int(month[5:]) - 1
    return f"{MONTHS[index]} {month[:4]}" if 0 <= index < 12 else ""


def city_row(city: VisitedCity) -> dict[str, str]:
    label = ", ".join(part for part in (city.name, city.state_province, city.country) if part)
    return {
        "label": label,
        "month": month_label(city.visit_month),
        "href": f"/city/{quote(city.name, safe='')}?country={quote(city.country, safe='')}",
    }


def card_row(card: RecommendationCard) -> dict[str, str]:
    """A recommendation card as display strings."""
    return {
        "href": f"/recommendations/{card.id}",
        "title": card.title,
        "category": card.category_name,
        "city": card.city.label if card.city else "",
        "thumb": card.thumb_url,
        "price": card.price_display,
        "rating": f"★ {card.rating_avg} ({card.ratings_count})" if card.ratings_count else "",
        "likes": f"{card.likes_count} like{'' if card.likes_count == 1 else 's'}",
        "status": "Removed by a moderator" if card.status == "removed" else "",
        "visibility": {"friends_only": "Buddies only", "private": "Private"}.get(
            str(card.visibility), ""
        ),
    }


def interaction_row(item) -> dict[str, str]:
    """An entry of the owner's saved or liked list."""
    return {
        "href": f"/recommendations/{item.recommendation_id}",
        "title": item.title,
        "author": f"by {item.author_full_name} (@{item.author_username})",
        "status": "Removed by a moderator" if item.status == "removed" else "",
    }


class ProfileState(SessionState):
    """The profile on screen; `status` is loading, found or missing (the 404 content)."""

    status: str = "loading"
    kind: str = ""
    notice: str = ""
    is_owner: bool = False
    person: dict[str, str] = {}
    links: list[dict[str, str]] = []
    whatsapp: str = ""
    cities: list[dict[str, str]] = []
    stats: list[dict[str, str]] = []
    points: int = 0
    relationship_text: str = ""
    completion_percent: str = ""
    completion_missing: str = ""
    show_completion_banner: bool = False
    tab: str = "recommendations"
    tabs: list[dict[str, str]] = []
    items: list[dict[str, str]] = []
    has_more: bool = False
    tab_error: str = ""
    report_error: str = ""
    report_message: str = ""
    _author_id: int = 0
    _cursor: str | None = None

    async def _run(self, action):
        return await asyncio.to_thread(run_transaction, action)

    def _requested(self) -> tuple[str, str]:
        name = str(self.router.page.params.get(ROUTE_ARG, "") or "")[:64]
        tab = str(self.router.url.query_parameters.get("tab", "") or "")
        return name, tab

    @rx.event
    async def load(self):
        """on_load: the profile named in the URL and the tab of `?tab=`."""
        self.status, self.tab_error = "loading", ""
        self.items, self.has_more, self._cursor = [], False, None
        name, tab = self._requested()
        viewer = await self._viewer()
        try:
            view = await self._run(lambda db: load_profile_view(db, viewer=viewer, username=name))
        except NotFound:
            self._clear()
            self.status = "missing"
            return
        self._apply(view)
        keys = [key for key, _ in PUBLIC_TABS] + (
            [k for k, _ in OWNER_TABS] if view.is_owner else []
        )
        self.tab = tab if tab in keys else "recommendations"
        self.tabs = self._tab_links(view)
        self.status = "found"
        if view.kind == "full":
            await self._load_items(viewer, reset=True)

    def _clear(self) -> None:
        self.kind = self.notice = self.whatsapp = self.relationship_text = ""
        self.completion_percent = self.completion_missing = ""
        self.person, self.links, self.cities, self.stats, self.tabs = {}, [], [], [], []
        self.is_owner, self.show_completion_banner, self.points = False, False, 0
        self._author_id = 0

    def _apply(self, view: ProfileView) -> None:
        self._clear()
        self._author_id = view.user_id
        self.kind, self.notice, self.is_owner = view.kind, view.notice or "", view.is_owner
        self.relationship_text = RELATIONSHIP_TEXT.get(view.relationship, "")
        self.person = {
            "username": view.username,
            "full_name": view.full_name,
            "initial": (view.full_name[:1] or view.username[:1]).upper(),
            "avatar": upload_href(view.avatar_key),
            "cover": upload_href(view.cover_key),
            "bio": view.bio or "",
            "hometown": view.hometown or "",
            "current_location": view.current_location or "",
        }
        if view.links is not None:
            self.links = [
                {"label": label, "url": url}
                for field, label in LINK_LABELS
                if (url := getattr(view.links, field) or "").startswith(("https://", "http://"))
            ]
            self.whatsapp = view.links.whatsapp or ""
        self.cities = [city_row(city) for city in view.cities_visited]
        if view.stats is not None:
            stats = view.stats
            self.points = stats.points
            self.stats = [
                {"label": "Cities", "value": str(stats.cities)},
                {"label": "Recommendations", "value": str(stats.recommendations)},
                {"label": "Buddies", "value": str(stats.buddies)},
                {"label": "Points", "value": str(stats.points)},
            ]
        if view.completion is not None:
            self.completion_percent = f"{view.completion.percent:g}%"
            self.completion_missing = ", ".join(
                COMPLETION_LABELS[item] for item in view.completion.missing
            )
            self.show_completion_banner = view.completion.show_banner

    def _tab_links(self, view: ProfileView) -> list[dict[str, str]]:
        tabs = PUBLIC_TABS + (OWNER_TABS if view.is_owner else ())
        base = f"/profile/{quote(view.username, safe='')}"
        return [
            {"key": key, "label": label, "href": f"{base}?tab={key}",
             "current": "page" if key == self.tab else "false"}
            for key, label in tabs
        ]  # fmt: skip

    async def _load_items(self, viewer: Viewer | None, *, reset: bool) -> None:
        """Fetch the next page of the current tab's list (history/achievements need none)."""
        if self.tab not in ("recommendations", "saved", "liked"):
            return
        viewer_id = viewer.user_id if viewer else None
        author_id, cursor = self._author_id, None if reset else self._cursor
        try:
            if self.tab == "recommendations":
                page = await self._run(
                    lambda db: recommendations_by_author(
                        db, viewer_id=viewer_id, author_id=author_id, cursor=cursor
                    )
                )
                rows = [card_row(card) for card in page.items]
            else:
                if viewer is None or viewer.user_id != author_id:
                    return  # owner-only lists: never someone else's, whatever the client asks
                listing = saved_recommendations if self.tab == "saved" else liked_recommendations
                page = await self._run(lambda db: listing(db, actor=viewer, cursor=cursor))
                rows = [interaction_row(item) for item in page.items]
        except ServiceError as error:
            self.tab_error = error.message
            return
        self.items = rows if reset else [*self.items, *rows]
        self._cursor, self.has_more = page.next_cursor, page.next_cursor is not None

    @rx.event
    async def load_more(self):
        """'Show more' under a list: the next page, if the viewer still gets the full view."""
        if self.status != "found" or not self._cursor:
            return
        viewer = await self._viewer()
        name = self.person.get("username", "")
        try:
            view = await self._run(lambda db: load_profile_view(db, viewer=viewer, username=name))
        except NotFound:
            self._clear()
            self.status = "missing"
            return
        if view.kind != "full" or view.user_id != self._author_id:
            return
        await self._load_items(viewer, reset=False)

    @rx.event
    async def report_profile(self, form: dict):
        """Report the profile on this page (the service checks who may report what)."""
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        target, now = self._author_id, datetime.now(UTC)
        reason, description = str(form.get("reason", "")), str(form.get("description", ""))
        try:
            await self._run(
                lambda db: report_create(
                    db, actor=viewer, content_type="profile", content_id=target,
                    reason=reason, description=description.strip() or None, now=now,
                )
            )  # fmt: skip
        except ServiceError as error:
            self.report_error, self.report_message = error.message, ""
            return None
        self.report_error = ""
        self.report_message = "Thanks, our moderators will review it."
        return None
