"""The buddy and block buttons of someone else's profile (§2.2 profile, §4.5).

Add buddy → Request sent (Cancel) → Respond (Accept / Decline) → Buddies ✓ (Remove);
Block / Unblock. A substate of the profile page: it acts only on the user the page
loaded (`ProfileState._author_id`, set by the server), never on an id from the browser.
Each command and the re-read of the relationship run in one transaction, so the buttons
show exactly what was committed; the services refuse with §4.5's messages (cool-down,
requests off, ...), shown next to the buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import reflex as rx
from sqlmodel import Session

from citypulse.services.accounts.viewer import Viewer
from citypulse.services.social.blocks import block_user, unblock_user
from citypulse.services.social.buddies import (
    buddy_accept,
    buddy_cancel,
    buddy_decline,
    buddy_remove,
    buddy_request,
)
from citypulse.services.social.relationship import Relationship, relationship
from citypulse.state.profiles.profile import ProfileState
from citypulse.state.session import UserChannel

MESSAGE_MAX = 300  # the services refuse longer messages with a field error
DONE = {
    buddy_request: "Buddy request sent.",
    buddy_cancel: "Request cancelled.",
    buddy_accept: "You are now buddies.",
    buddy_decline: "Request declined.",
    buddy_remove: "Removed from your buddies.",
    block_user: "Blocked. They can no longer see your profile or content.",
    unblock_user: "Unblocked. You can see each other again; you are not buddies.",
}


@dataclass(frozen=True)
class BuddyButtonView:
    """Where the viewer stands with the profile's owner (`state` "" until known)."""

    state: str = ""  # none, sent, received, buddies, blocked_by_me
    username: str = ""  # whose profile these buttons belong to
    requests_enabled: bool = True
    can_request: bool = False
    refusal: str = ""  # why Add buddy is disabled (requests off, cool-down, ...)
    message: str = ""  # the pending request's message


def button_view(found: Relationship, username: str) -> BuddyButtonView:
    return BuddyButtonView(
        state=found.state,
        username=username,
        requests_enabled=found.requests_enabled,
        can_request=found.can_request,
        refusal=found.refusal,
        message=found.message,
    )


def _then_relationship(service: Callable[..., Any]) -> Callable[..., Relationship]:
    """`service`, then the relationship it leaves, in the same transaction."""

    def run(db: Session, *, actor: Viewer, user_id: int, now: datetime, **kw: Any):
        service(db, actor=actor, user_id=user_id, now=now, **kw)
        return relationship(db, viewer=actor, user_id=user_id, now=now)

    return run


class ProfileBuddyState(ProfileState):
    """The buttons' state; empty for visitors, the owner and profiles not shown."""

    buddy: BuddyButtonView = BuddyButtonView()
    buddy_error: str = ""
    buddy_notice: str = ""
    _buddy_epoch: int = -1  # the `buddies_epoch` the buttons reflect

    def _shows_buttons(self) -> bool:
        return self.status == "found" and self.signed_in and not self.is_owner

    async def _read(self):
        """Re-read the relationship with the page's user (no buttons when not shown)."""
        if not self._shows_buttons() or not self._author_id:
            self.buddy = BuddyButtonView()
            return None
        channel = await self.get_state(UserChannel)
        epoch = channel.buddies_epoch
        outcome = await self._load(relationship, user_id=self._author_id)
        if not outcome.ok or outcome.value is None:
            self.buddy = BuddyButtonView()  # hidden from the viewer now (e.g. blocked)
            return None if outcome.error is not None else outcome.event
        self._buddy_epoch = epoch
        self._set(outcome.value)
        return None

    def _set(self, found: Relationship) -> None:
        self.buddy = button_view(found, self._username)
        self.relationship_text = ""  # the buttons say it; no second badge

    @rx.event
    async def load_buddy(self):
        """on_load, after the profile: the buttons for the signed-in visitor."""
        self.buddy_error = self.buddy_notice = ""
        return await self._read()

    @rx.event
    async def buddies_changed(self):
        """The viewer's buddies channel moved (an answer, a request, a block): re-read."""
        channel = await self.get_state(UserChannel)
        if self.buddy.state == "" or channel.buddies_epoch == self._buddy_epoch:
            return None
        return await self._read()

    async def _act(self, service: Callable[..., Any], **kwargs: Any):
        self.buddy_error = self.buddy_notice = ""
        if not self._shows_buttons() or not self._author_id:
            return None
        outcome = await self._call(
            _then_relationship(service), user_id=self._author_id, now=datetime.now(UTC), **kwargs
        )
        if outcome.signed_out or outcome.renewing:
            return outcome.redirect
        if outcome.error is not None:
            self.buddy_error = next(iter(outcome.field_errors.values()), outcome.message)
            return await self._read()  # the buttons show what is true now
        assert outcome.value is not None
        self._set(outcome.value)
        self.buddy_notice = DONE[service]
        return None

    @rx.event
    async def add_buddy(self, form: dict):
        """Add buddy, with an optional message."""
        message = str((form if isinstance(form, dict) else {}).get("message", ""))
        return await self._act(buddy_request, message=message[: MESSAGE_MAX + 1])

    @rx.event
    async def cancel_request(self):
        return await self._act(buddy_cancel)

    @rx.event
    async def accept_request(self):
        return await self._act(buddy_accept)

    @rx.event
    async def decline_request(self, form: dict):
        """Decline their request, with an optional message."""
        message = str((form if isinstance(form, dict) else {}).get("message", ""))
        return await self._act(buddy_decline, message=message[: MESSAGE_MAX + 1])

    @rx.event
    async def remove_buddy(self):
        return await self._act(buddy_remove)

    @rx.event
    async def block(self):
        return await self._act(block_user)

    @rx.event
    async def unblock(self):
        return await self._act(unblock_user)
