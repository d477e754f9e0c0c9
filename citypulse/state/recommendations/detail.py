"""/recommendations/[id]: the detail page's data and every interaction on it.

Handlers take only the ids the page shows; the services re-check visibility, blocks,
ownership and limits for the server-verified viewer on every call.
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime

import reflex as rx

from citypulse.services.errors import NotFound, ServiceError
from citypulse.services.interactions.core import InteractionState, viewer_interaction_state
from citypulse.services.interactions.likes_saves import like_toggle, save_toggle
from citypulse.services.interactions.ratings import rating_delete, rating_upsert, ratings_list
from citypulse.services.interactions.views_shares import share_record, view_record
from citypulse.services.moderation.reports import report_create
from citypulse.services.recommendations.commands import recommendation_delete
from citypulse.services.recommendations.queries import recommendation_detail
from citypulse.services.unit_of_work import run_transaction
from citypulse.settings import get_settings
from citypulse.state.recommendations.live import RecommendationLive, channel_key
from citypulse.state.recommendations.views import detail_vars, rating_rows
from citypulse.state.session import SessionState

BOT_MARKERS = ("bot", "crawler", "spider", "slurp")  # self-declared crawlers


class RecommendationDetailState(SessionState):
    """One recommendation as this viewer may see it."""

    found: bool = True
    loaded: bool = False
    rec: dict = {}
    photos: list[dict[str, str]] = []
    tags: list[str] = []
    photo_index: int = 0
    autoplay: bool = True
    liked: bool = False
    saved: bool = False
    my_rating: int = 0
    my_review: str = ""
    ratings: list[dict[str, str]] = []
    message: str = ""
    error: str = ""
    rating_error: str = ""
    report_message: str = ""
    report_error: str = ""
    _recommendation_id: int = 0

    async def _run(self, action):
        return await asyncio.to_thread(run_transaction, action)

    def _id_from_route(self) -> int:
        raw = self.router.page.params.get("id", "")
        return int(raw) if str(raw).isdigit() else 0

    async def _publish_counters(self, state: InteractionState) -> None:
        live = await self.get_state(RecommendationLive)
        live.likes, live.saves, live.shares = state.likes, state.saves, state.shares
        live.views, live.ratings_count = state.views, state.ratings_count
        live.rating_avg = f"{state.rating_avg:.1f}"

    def _apply_own(self, state: InteractionState) -> None:
        self.liked, self.saved = state.liked, state.saved
        self.my_rating, self.my_review = state.my_rating or 0, state.my_review or ""

    @rx.event
    async def load(self):
        """on_load: the recommendation, this viewer's state, the ratings; counts a view."""
        self.found, self.loaded, self.message, self.error = True, False, "", ""
        self.rating_error = self.report_message = ""
        self.photo_index = 0
        rid = self._id_from_route()
        viewer = await self._viewer()
        viewer_id = viewer.user_id if viewer else None
        try:
            detail = await self._run(
                lambda db: recommendation_detail(db, viewer_id=viewer_id, recommendation_id=rid)
            )
        except NotFound:
            self.found, self.loaded = False, True
            return
        self._recommendation_id = rid
        self.rec, self.photos, self.tags = detail_vars(detail)
        self.rec["share_url"] = f"{get_settings().public_url}/recommendations/{rid}"
        await self._count_view(viewer, rid)
        state = await self._run(
            lambda db: viewer_interaction_state(db, viewer_id=viewer_id, recommendation_id=rid)
        )
        self._apply_own(state)
        live = await self.get_state(RecommendationLive)
        await live._link_to(channel_key(rid))
        await self._publish_counters(state)
        await self._load_ratings(viewer_id)
        self.loaded = True

    async def _count_view(self, viewer, rid: int) -> None:
        agent = self.router.headers.user_agent.lower()
        token = self.router.session.client_token
        anon_key = hashlib.sha256(token.encode()).hexdigest() if token else None
        ip, now = self._client_ip(), datetime.now(UTC)
        await self._run(
            lambda db: view_record(
                db, viewer_id=viewer.user_id if viewer else None, anon_key=anon_key, ip=ip,
                is_bot=any(m in agent for m in BOT_MARKERS), recommendation_id=rid, now=now,
            )
        )  # fmt: skip

    async def _load_ratings(self, viewer_id: int | None) -> None:
        rid = self._recommendation_id
        page = await self._run(
            lambda db: ratings_list(db, viewer_id=viewer_id, recommendation_id=rid)
        )
        self.ratings = rating_rows(page.items)

    async def _act(self, action) -> tuple[bool, object]:
        """Run one interaction for the verified viewer: (done, result or follow-up event)."""
        viewer = await self._viewer()
        if viewer is None:
            return False, self._login_redirect()
        rid, now = self._recommendation_id, datetime.now(UTC)
        try:
            result = await self._run(lambda db: action(db, viewer, rid, now))
        except ServiceError as error:
            self.error, self.message = error.message, ""
            return False, None
        self.error = ""
        return True, result

    async def _toggled(self, action):
        done, result = await self._act(action)
        if not done:
            return result
        self._apply_own(result)
        await self._publish_counters(result)
        return None

    @rx.event
    async def toggle_like(self):
        """Like or unlike (not your own)."""
        return await self._toggled(
            lambda db, v, rid, now: like_toggle(db, actor=v, recommendation_id=rid, now=now)
        )

    @rx.event
    async def toggle_save(self):
        """Save or unsave (own ones too)."""
        return await self._toggled(
            lambda db, v, rid, now: save_toggle(db, actor=v, recommendation_id=rid, now=now)
        )

    @rx.event
    async def share(self, platform: str):
        """Record a share (copy link, X, Facebook, WhatsApp, email)."""
        done, result = await self._act(
            lambda db, v, rid, now: share_record(
                db, actor=v, recommendation_id=rid, platform=str(platform), now=now
            )
        )
        if not done:
            return result
        self.message = "Link copied" if platform == "copy_link" else "Thanks for sharing"
        await self._publish_counters(result.state)
        return None

    @rx.event
    async def submit_rating(self, form: dict):
        """Rate 1–5 with an optional review (replaces an earlier rating)."""
        raw = str(form.get("rating", ""))
        rating = int(raw) if raw.isdigit() else 0
        review = str(form.get("review", ""))[:1000].strip() or None
        return await self._rated(
            lambda db, v, rid, now: rating_upsert(
                db, actor=v, recommendation_id=rid, rating=rating, review=review, now=now
            ),
            "Thanks for your rating",
        )

    @rx.event
    async def delete_rating(self):
        """Remove the viewer's own rating."""
        return await self._rated(
            lambda db, v, rid, now: rating_delete(db, actor=v, recommendation_id=rid, now=now),
            "Your rating was deleted",
        )

    async def _rated(self, action, success: str):
        done, result = await self._act(action)
        if not done:
            self.rating_error, self.error = self.error, ""
            return result
        self.rating_error, self.message = "", success
        self._apply_own(result)
        await self._publish_counters(result)
        live = await self.get_state(RecommendationLive)
        live.ratings_version += 1
        viewer = await self._viewer()
        await self._load_ratings(viewer.user_id if viewer else None)
        return None

    @rx.event
    async def refresh_own(self):
        """Another tab of this user liked, saved or rated: show the same state here."""
        if not self._recommendation_id:
            return
        viewer = await self._viewer()
        viewer_id, rid = (viewer.user_id if viewer else None), self._recommendation_id
        try:
            state = await self._run(
                lambda db: viewer_interaction_state(db, viewer_id=viewer_id, recommendation_id=rid)
            )
        except NotFound:
            self.found = False
            return
        self._apply_own(state)

    @rx.event
    async def refresh_ratings(self):
        """Another viewer changed the ratings list: refetch it for this viewer."""
        if self._recommendation_id:
            viewer = await self._viewer()
            await self._load_ratings(viewer.user_id if viewer else None)

    @rx.event
    async def report(self, form: dict):
        """Report this recommendation with a reason (and a description for "other")."""
        reason, description = str(form.get("reason", "")), str(form.get("description", ""))
        done, result = await self._act(
            lambda db, v, rid, now: report_create(
                db, actor=v, content_type="recommendation", content_id=rid,
                reason=reason, description=description.strip() or None, now=now,
            )
        )  # fmt: skip
        if not done:
            self.report_error, self.error = self.error, ""  # shown inside the dialog
            return result
        self.report_error = ""
        self.report_message = "Thanks, our moderators will review it."
        return None

    @rx.event
    async def delete(self):
        """The author deletes it (after confirming in the dialog)."""
        done, result = await self._act(
            lambda db, v, rid, now: recommendation_delete(
                db, actor=v, recommendation_id=rid, now=now
            )
        )
        return rx.redirect("/profile/" + self.username) if done else result

    @rx.event
    def toggle_autoplay(self):
        """Pause or resume the 5-second slideshow (a per-tab UI preference)."""
        self.autoplay = not self.autoplay

    @rx.event
    def show_photo(self, index: int):
        """Carousel navigation (keyboard and buttons)."""
        if self.photos:
            self.photo_index = int(index) % len(self.photos)
