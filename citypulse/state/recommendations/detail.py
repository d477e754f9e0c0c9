"""/recommendations/[id]: the detail page's data and every interaction on it.

The page opens with one loader transaction (`recommendation_page`); every action runs
through `_call` (viewer and action in one transaction). Handlers take only what the
page shows; the services re-check visibility, blocks, ownership and limits for the
server-verified viewer on every call. Live changes reach the page through the push
adapter (state/push.py) only: this state links the page's shared states and reads
them, never writes them.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import reflex as rx

from citypulse.params import parse_id
from citypulse.services.errors import NotFound
from citypulse.services.interactions.core import InteractionState
from citypulse.services.interactions.likes_saves import like_toggle, save_toggle
from citypulse.services.interactions.ratings import (
    own_review_removal,
    rating_delete,
    rating_upsert,
    ratings_list,
)
from citypulse.services.interactions.views_shares import share_record
from citypulse.services.moderation.removal_banner import RemovalBanner
from citypulse.services.recommendations.commands import recommendation_delete
from citypulse.services.recommendations.page import Visit, recommendation_page
from citypulse.services.sharing.page_meta import page_title, recommendation_title
from citypulse.settings import get_settings
from citypulse.state import live_links
from citypulse.state.moderation.removal_appeal import (
    RemovalBannerView,
    removal_banner_view,
    send_removal_appeal,
)
from citypulse.state.moderation.reports import send_report
from citypulse.state.outcome import Outcome
from citypulse.state.recommendations.live import (
    OwnInteractionsLive,
    RecommendationLive,
    channel_key,
)
from citypulse.state.recommendations.views import (
    CountersView,
    PhotoSlide,
    RatingRow,
    RecommendationView,
    counters_view,
    photo_slides,
    rating_rows,
    recommendation_view,
)
from citypulse.state.session import SessionState

DEFAULT_TITLE = page_title("Recommendation")
NOT_FOUND_TITLE = page_title("Recommendation not found")
BOT_MARKERS = ("bot", "crawler", "spider", "slurp")  # self-declared crawlers
LIVE_STATES = (RecommendationLive, OwnInteractionsLive)  # linked while the page is open


class RecommendationDetailState(SessionState):
    """One recommendation as this viewer may see it."""

    found: bool = True
    loaded: bool = False
    rec: RecommendationView = RecommendationView()
    photos: list[PhotoSlide] = []
    tags: list[str] = []
    counters: CountersView = CountersView()  # as loaded; the live ones take over once pushed
    photo_index: int = 0
    autoplay: bool = True
    liked: bool = False
    saved: bool = False
    my_rating: int = 0
    my_review: str = ""
    ratings: list[RatingRow] = []
    message: str = ""
    error: str = ""
    rating_error: str = ""
    report_open: bool = False  # the report dialog (closed again when the report is sent)
    page_title: str = DEFAULT_TITLE  # the tab's title names the place once loaded
    report_error: str = ""
    review_report_open: bool = False  # the review report dialog (one for the whole list)
    review_report_error: str = ""
    _review_report_id: int = 0  # the rating whose review the open dialog reports
    removal: RemovalBannerView = RemovalBannerView()  # removed by a moderator: the banner
    appeal_error: str = ""
    _removal_id: int = 0  # the removal's audit entry the owner may appeal (server-side)
    review_removal: RemovalBannerView = RemovalBannerView()  # the viewer's own review, removed
    review_appeal_error: str = ""
    _review_removal_id: int = 0  # that removal's audit entry (server-side)
    _recommendation_id: int = 0
    _ratings_seen: int = 0  # RecommendationLive.ratings_version this list reflects
    _own_seen: int = 0  # OwnInteractionsLive.serial the own state reflects

    def _visit(self) -> Visit:
        agent = self.router.headers.user_agent.lower()
        token = self.router.session.client_token
        return Visit(
            anon_key=hashlib.sha256(token.encode()).hexdigest() if token else None,
            ip=self._client_ip(),
            is_bot=any(marker in agent for marker in BOT_MARKERS),
        )

    def _apply_own(self, state: InteractionState) -> None:
        self.liked, self.saved = state.liked, state.saved
        self.my_rating, self.my_review = state.my_rating or 0, state.my_review or ""
        self.counters = counters_view(state)

    async def _show_missing(self) -> None:
        self.found, self.loaded, self._recommendation_id = False, True, 0
        self.page_title = NOT_FOUND_TITLE
        await self._leave_live()

    @rx.event
    async def load(self):
        """on_load: the recommendation, this viewer's state and the ratings; may count a view."""
        self.found, self.loaded, self.message, self.error = True, False, "", ""
        self.rating_error = self.report_error = ""
        self.report_open, self.page_title = False, DEFAULT_TITLE
        self.review_report_open, self._review_report_id = False, 0
        self.photo_index = 0
        self.removal, self._removal_id, self.appeal_error = RemovalBannerView(), 0, ""
        self._show_review_removal(None)
        rid = parse_id(self.router.page.params.get("id", ""))
        if rid is None:
            return await self._show_missing()
        outcome = await self._load(
            recommendation_page, recommendation_id=rid, visit=self._visit(), now=datetime.now(UTC)
        )
        if isinstance(outcome.error, NotFound):
            return await self._show_missing()
        if not outcome.ok:
            self.error, self.loaded = outcome.message, True
            return None
        page = outcome.value
        self._recommendation_id = rid
        share_url = f"{get_settings().public_url}/recommendations/{rid}"
        self.rec = recommendation_view(page.detail, share_url)
        city = page.detail.city
        self.page_title = recommendation_title(page.detail.title, city.name if city else None)
        self.photos, self.tags = photo_slides(page.detail), list(page.detail.tags)
        self._apply_own(page.own)
        self.ratings = rating_rows(page.ratings)
        self.removal = removal_banner_view(page.removal)
        self._removal_id = page.removal.removal_id if page.removal else 0
        self._show_review_removal(page.review_removal)
        await self._join_live(rid)
        self.loaded = True
        return None

    def _show_review_removal(self, banner: RemovalBanner | None) -> None:
        removal_id = banner.removal_id if banner else 0
        if removal_id != self._review_removal_id:  # another removal: its form starts clean
            self.review_appeal_error = ""
        self.review_removal = removal_banner_view(banner)
        self._review_removal_id = removal_id

    async def _join_live(self, rid: int) -> None:
        """Link the page's shared states; remember which of their changes are seen."""
        live = await self.get_state(RecommendationLive)
        live = await live._link_to(channel_key(rid))
        self._ratings_seen = live.ratings_version
        own = await self.get_state(OwnInteractionsLive)
        if self._user_id:
            own = await own._link_to(f"user-{self._user_id}")
        elif own._linked_to:
            await live_links.unlink(self, OwnInteractionsLive)  # signed out meanwhile
        self._own_seen = own.serial

    async def _leave_live(self) -> None:
        for shared in LIVE_STATES:
            await live_links.unlink(self, shared)

    @rx.event
    async def leave(self):
        """on_unmount: this tab no longer shows the page, so it stops receiving its pushes."""
        await self._leave_live()

    @rx.event
    async def catch_up(self):
        """A pushed change reached this tab: refetch what it invalidated (else nothing).

        The live states are read on the server: the browser only signals that something
        changed, so a crafted call can at most refetch this viewer's own view.
        """
        if not self._recommendation_id:
            return None
        live = await self.get_state(RecommendationLive)
        own = await self.get_state(OwnInteractionsLive)
        if own.serial != self._own_seen:
            self._own_seen = own.serial
            if own.recommendation_id == self._recommendation_id:
                self._sync_own(own)
        if live.ratings_version != self._ratings_seen:
            self._ratings_seen = live.ratings_version
            return await self._refresh_ratings()
        return None

    def _sync_own(self, own: OwnInteractionsLive) -> None:
        """Another tab of this user liked, saved or rated: show the same state here."""
        shown = {
            "liked": own.liked,
            "saved": own.saved,
            "my_rating": own.my_rating,
            "my_review": own.my_review,
        }
        for name, value in shown.items():
            if getattr(self, name) != value:  # the acting tab itself changes nothing
                setattr(self, name, value)

    async def _refresh_ratings(self):
        """Another viewer changed the ratings: refetch the list as this viewer may see it."""
        rid = self._recommendation_id
        now = datetime.now(UTC)
        outcome = await self._load(
            lambda db, viewer: (
                ratings_list(
                    db, viewer_id=viewer.user_id if viewer else None, recommendation_id=rid
                ),
                own_review_removal(db, viewer=viewer, recommendation_id=rid, now=now),
            )
        )
        if outcome.ok:
            page, review_removal = outcome.value
            self.ratings = rating_rows(page.items)
            self._show_review_removal(review_removal)
        return outcome.event

    async def _interact(self, service, **kwargs) -> Outcome:
        """Run one interaction with this recommendation for the verified viewer."""
        outcome = await self._call(
            service, recommendation_id=self._recommendation_id, now=datetime.now(UTC), **kwargs
        )
        self.error = outcome.message
        if outcome.error is not None:
            self.message = ""
        return outcome

    @rx.event
    async def toggle_like(self):
        """Like or unlike (not your own)."""
        outcome = await self._interact(like_toggle)
        if outcome.ok:
            self._apply_own(outcome.value)
        return outcome.redirect

    @rx.event
    async def toggle_save(self):
        """Save or unsave (own ones too)."""
        outcome = await self._interact(save_toggle)
        if outcome.ok:
            self._apply_own(outcome.value)
        return outcome.redirect

    @rx.event
    async def share(self, platform: str):
        """Record a share (copy link, X, Facebook, WhatsApp, email)."""
        outcome = await self._interact(share_record, platform=str(platform))
        if outcome.ok:
            self._apply_own(outcome.value.state)
            self.message = "Link copied" if platform == "copy_link" else "Thanks for sharing"
        return outcome.redirect

    @rx.event
    async def submit_rating(self, form: dict):
        """Rate 1–5 with an optional review (replaces an earlier rating)."""
        rating = parse_id(form.get("rating", ""), maximum=5) or 0
        review = str(form.get("review", ""))[:1000].strip() or None
        outcome = await self._interact(rating_upsert, rating=rating, review=review)
        return self._rated(outcome, "Thanks for your rating")

    @rx.event
    async def delete_rating(self):
        """Remove the viewer's own rating."""
        return self._rated(await self._interact(rating_delete), "Your rating was deleted")

    def _rated(self, outcome: Outcome, success: str):
        # Rating errors show next to the form, not above the page.
        self.rating_error, self.error = self.error, ""
        if outcome.ok:
            self.message = success
            self._apply_own(outcome.value)  # the list follows by the ratings push
        return outcome.redirect

    @rx.event
    def set_report_open(self, open: bool):
        """The report dialog opened or closed (a fresh dialog shows no old refusal)."""
        self.report_open, self.report_error = open is True, ""

    @rx.event
    async def report(self, form: dict):
        """Report this recommendation with a reason (and a description for "other")."""
        return await send_report(
            self, content_type="recommendation", content_id=self._recommendation_id, form=form
        )

    @rx.event
    def open_review_report(self, rating_id: str):
        """Open the review report dialog for one rating of the list (the service decides
        whether it may be reported)."""
        self._review_report_id = parse_id(rating_id) or 0
        self.review_report_open, self.review_report_error = True, ""

    @rx.event
    def set_review_report_open(self, open: bool):
        """The review report dialog opened or closed."""
        self.review_report_open, self.review_report_error = open is True, ""

    @rx.event
    async def report_review(self, form: dict):
        """Report the review the dialog was opened for (§4.13.1 review reasons)."""
        return await send_report(
            self, content_type="review", content_id=self._review_report_id, form=form,
            dialog="review_report",
        )  # fmt: skip

    @rx.event
    async def appeal_removal(self, form: dict):
        """The author appeals the removal the banner shows (§4.13.9)."""
        return await send_removal_appeal(self, form)

    @rx.event
    async def appeal_review_removal(self, form: dict):
        """The viewer appeals a moderator's removal of their own review (§4.13.9); the
        removal is the one this page read for them, never one the browser names."""
        return await send_removal_appeal(
            self, form, banner="review_removal", removal_id="_review_removal_id",
            error="review_appeal_error",
        )  # fmt: skip

    @rx.event
    async def delete(self):
        """The author deletes it (after confirming in the dialog)."""
        outcome = await self._interact(recommendation_delete)
        if outcome.ok:
            return rx.redirect("/profile/" + self.username)
        return outcome.redirect

    @rx.event
    def toggle_autoplay(self):
        """Pause or resume the 5-second slideshow (a per-tab UI preference)."""
        self.autoplay = not self.autoplay

    @rx.event
    def show_photo(self, index: int):
        """Carousel navigation (keyboard and buttons)."""
        # Any client may send text or a float here: only a whole number moves the slideshow.
        if self.photos and isinstance(index, int) and not isinstance(index, bool):
            self.photo_index = index % len(self.photos)
