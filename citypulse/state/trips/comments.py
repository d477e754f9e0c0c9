"""The Comments tab of /trips/[id] (§4.6.9) and its live updates (§6.3).

One loader transaction reads the newest page (`comments.trip_comments`); "Show older"
reads the next keyset page. Post, edit and delete take the comment id from the browser;
the services check the author / owner / organizer rule against the stored comment.
Every tab with the trip open re-reads on the trip channel's `comments_epoch`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import reflex as rx

from citypulse.params import parse_id
from citypulse.services.errors import NotFound
from citypulse.services.moderation.removal_banner import appeal_removal_of
from citypulse.services.trips.comments import (
    BODY_LENGTH,
    CommentsPage,
    comment_delete,
    comment_edit,
    comment_post,
    trip_comments,
)
from citypulse.services.trips.events import COMMENTS
from citypulse.state.forms import typed
from citypulse.state.moderation.removal_appeal import APPEAL_SENT, MESSAGE_LIMIT
from citypulse.state.session import SessionState
from citypulse.state.trips.live import leave_trip
from citypulse.state.trips.people_views import CommentView, comment_view
from citypulse.state.trips.trip_tab import access_lost, follow_trip, part_epoch, route_trip_id


def _body(form: Any) -> str:
    value = form.get("body", "") if isinstance(form, dict) else ""
    return str(value)[: BODY_LENGTH + 1]


class TripCommentsState(SessionState):
    """The open Comments tab of one trip."""

    loaded: bool = False
    trip_id: int = 0
    rows: list[CommentView] = []
    has_more: bool = False
    can_post: bool = False
    error: str = ""  # a refused action, shown above the list
    body_error: str = ""  # the new comment's field error
    editing_id: int = 0  # the comment whose edit form is open (0: none)
    edit_error: str = ""
    draft_key: int = 0  # bumped after a post: re-mounts the form, emptying its field
    appeal_id: int = 0  # the removed comment whose appeal form `appeal_error` belongs to
    appeal_error: str = ""
    _cursor: str | None = None
    _seen: int = -1

    def _apply(self, page: CommentsPage, *, more: bool) -> None:
        rows = [comment_view(row) for row in page.rows]
        self.rows = [*self.rows, *rows] if more else rows
        self._cursor, self.has_more = page.next_cursor, page.next_cursor is not None
        self.can_post, self.loaded = page.can_post, True

    async def _read(self, *, more: bool = False):
        outcome = await self._load(
            trip_comments, trip_id=self.trip_id, cursor=self._cursor if more else None,
            now=datetime.now(UTC),
        )  # fmt: skip
        if isinstance(outcome.error, NotFound):
            self.loaded, self.rows = False, []
            await leave_trip(self)
            return access_lost()
        if not outcome.ok or outcome.value is None:
            return outcome.event
        self._apply(outcome.value, more=more)
        return None

    @rx.event
    async def load(self):
        """on_mount of the tab: the newest comments, then follow the trip's channel."""
        self.error = self.body_error = self.edit_error = ""
        self.editing_id = 0
        trip_id = route_trip_id(self)
        if trip_id is None:
            return access_lost()
        self.trip_id, self.loaded, self.rows = trip_id, False, []
        if (event := await self._read()) is not None:
            return event
        self._seen = await follow_trip(self, trip_id, COMMENTS)
        return None

    @rx.event
    async def catch_up(self):
        """The trip channel moved: re-read the newest page when the comments changed."""
        if not self.loaded or not self.trip_id:
            return None
        epoch = await part_epoch(self, COMMENTS)
        if epoch == self._seen:
            return None
        self._seen = epoch
        return await self._read()

    @rx.event
    async def show_older(self):
        if not self.loaded or not self._cursor:
            return None
        return await self._read(more=True)

    @rx.event
    async def leave_page(self):
        self.loaded = False

    @rx.event
    async def post(self, form: dict):
        """The new-comment form."""
        self.error = self.body_error = ""
        outcome = await self._call(
            comment_post, trip_id=self.trip_id, body=_body(form), now=datetime.now(UTC)
        )
        if outcome.signed_out or outcome.renewing:
            return outcome.redirect
        if outcome.field_errors:
            self.body_error = outcome.field_errors.get("body", outcome.message)
            return None
        if outcome.error is not None:
            self.error = outcome.message
            return None
        self.draft_key += 1
        return await self._read()

    @rx.event
    def start_edit(self, comment_id: str):
        self.editing_id, self.edit_error = parse_id(comment_id) or 0, ""

    @rx.event
    def cancel_edit(self):
        self.editing_id, self.edit_error = 0, ""

    @rx.event
    async def save_edit(self, form: dict):
        """The open edit form: the author's new text."""
        self.error = self.edit_error = ""
        comment_id = parse_id(str(form.get("comment_id", "")) if isinstance(form, dict) else "")
        outcome = await self._call(
            comment_edit, comment_id=comment_id or 0, body=_body(form), now=datetime.now(UTC)
        )
        if outcome.signed_out or outcome.renewing:
            return outcome.redirect
        if outcome.error is not None:
            self.edit_error = outcome.message
            return None
        self.editing_id = 0
        return await self._read()

    @rx.event
    async def delete(self, comment_id: str):
        """Delete a comment (after the confirmation)."""
        self.error = ""
        outcome = await self._call(
            comment_delete, comment_id=parse_id(comment_id) or 0, now=datetime.now(UTC)
        )
        if outcome.signed_out or outcome.renewing:
            return outcome.redirect
        if outcome.error is not None:
            self.error = outcome.message
            return None
        return await self._read()

    @rx.event
    async def appeal_removal(self, form: dict):
        """The author appeals a moderator's removal of their comment (§4.13.9); the
        service finds the removal and checks that it concerns the sender."""
        form = form if isinstance(form, dict) else {}
        comment_id = parse_id(str(form.get("comment_id", ""))) or 0
        self.appeal_id, self.appeal_error = comment_id, ""
        outcome = await self._call(
            appeal_removal_of, content_type="trip_comment", content_id=comment_id,
            message=typed(form.get("message"))[:MESSAGE_LIMIT + 1], now=datetime.now(UTC),
        )  # fmt: skip
        if outcome.signed_out or outcome.renewing:
            return outcome.redirect
        if outcome.error is not None:
            self.appeal_error = outcome.field_errors.get("message", outcome.message)
            return None
        self.appeal_id = 0
        await self._read()
        return rx.toast.success(APPEAL_SENT)
