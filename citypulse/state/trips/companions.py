"""The Companions tab of /trips/[id] (§2.2, §4.6.5) and its live updates (§6.3).

The tab opens with one loader transaction (`companions_page.companions_tab`). Every
action takes the trip id from the route and the other person's id from the browser;
the services decide with the verified actor (bob's crafted remove on dave's trip is
refused by `require_organizer`). After an action the tab re-reads itself; every other
tab with the trip open re-reads on the trip channel's `companions_epoch`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import reflex as rx

from citypulse.params import parse_id
from citypulse.services.errors import NotFound
from citypulse.services.trips import companions as service
from citypulse.services.trips import join_requests as joining
from citypulse.services.trips.companions_page import (
    CompanionsTab,
    companion_invite_by_username,
    companions_tab,
    invite_candidates,
)
from citypulse.services.trips.events import COMPANIONS
from citypulse.state.outcome import Outcome
from citypulse.state.session import SessionState
from citypulse.state.trips.live import leave_trip
from citypulse.state.trips.people_views import (
    CandidateView,
    CompanionView,
    candidate_view,
    companion_view,
)
from citypulse.state.trips.trip_tab import access_lost, follow_trip, part_epoch, route_trip_id

MESSAGE_MAX = 300
SEARCH_MAX = 100


def _text(form: Any, key: str, limit: int) -> str:
    value = form.get(key, "") if isinstance(form, dict) else ""
    return str(value)[: limit + 1]


class TripCompanionsState(SessionState):
    """The open Companions tab of one trip."""

    loaded: bool = False
    trip_id: int = 0
    rows: list[CompanionView] = []
    members: int = 0
    seats_taken: int = 0
    max_members: int = 20
    can_invite: bool = False
    invite_note: str = ""
    my_status: str = ""
    can_leave: bool = False
    can_request: bool = False
    request_refusal: str = ""
    candidates: list[CandidateView] = []
    error: str = ""  # a refused action, shown above the list
    notice: str = ""  # what the last action did
    invite_error: str = ""  # the invite form's refusal, under its field
    _seen: int = -1  # the companions epoch the list reflects

    def _apply(self, tab: CompanionsTab) -> None:
        self.rows = [companion_view(row) for row in tab.rows]
        self.members, self.seats_taken, self.max_members = (
            tab.members,
            tab.seats_taken,
            tab.max_members,
        )
        self.can_invite, self.invite_note = tab.can_invite, tab.invite_note
        self.my_status, self.can_leave = tab.my_status, tab.can_leave
        self.can_request, self.request_refusal = tab.can_request, tab.request_refusal
        self.loaded = True

    async def _read(self):
        """Read the tab for the trip of the route; lost access leaves for /trips."""
        outcome = await self._load(companions_tab, trip_id=self.trip_id)
        if isinstance(outcome.error, NotFound):
            self.loaded, self.rows = False, []
            await leave_trip(self)
            return access_lost()
        if not outcome.ok or outcome.value is None:
            return outcome.event
        self._apply(outcome.value)
        return None

    @rx.event
    async def load(self):
        """on_mount of the tab: the companions, then follow the trip's channel."""
        self.error = self.notice = self.invite_error = ""
        self.candidates = []
        trip_id = route_trip_id(self)
        if trip_id is None:
            return access_lost()
        self.trip_id, self.loaded = trip_id, False
        if (event := await self._read()) is not None:
            return event
        self._seen = await follow_trip(self, trip_id, COMPANIONS)
        return None

    @rx.event
    async def catch_up(self):
        """The trip channel moved: re-read when the companions changed since shown."""
        if not self.loaded or not self.trip_id:
            return None
        epoch = await part_epoch(self, COMPANIONS)
        if epoch == self._seen:
            return None
        self._seen = epoch
        return await self._read()

    @rx.event
    async def leave_page(self):
        """on_unmount: stop following the trip (the details tab may keep its own link)."""
        self.loaded = False

    async def _act(self, action, done: str, **kwargs: Any):
        """Run one command on this trip; on success re-read the tab and say what happened."""
        self.error = self.notice = self.invite_error = ""
        if not self.trip_id:
            return None
        outcome: Outcome[Any] = await self._call(
            action, trip_id=self.trip_id, now=datetime.now(UTC), **kwargs
        )
        if outcome.signed_out or outcome.renewing:
            return outcome.redirect
        if outcome.error is not None:
            self.error = outcome.message
            return None
        self.notice = done
        return await self._read()

    def _name(self, user_id: int) -> str:
        row = next((r for r in self.rows if r.user_id == user_id), None)
        return f"@{row.username}" if row is not None else "They"

    # --- organizers ----------------------------------------------------------------------

    @rx.event
    async def search_people(self, text: str):
        """Invite form, as the username is typed: the people the viewer may invite."""
        text = str(text)[:SEARCH_MAX]
        outcome = await self._load(invite_candidates, trip_id=self.trip_id, text=text)
        if not outcome.ok or outcome.value is None:
            return outcome.event
        self.candidates = [candidate_view(row) for row in outcome.value]
        return None

    @rx.event
    async def invite(self, form: dict):
        """Invite form: invite the person named in it, with an optional message."""
        self.error = self.notice = self.invite_error = ""
        username = _text(form, "username", SEARCH_MAX).strip()
        if not username:
            self.invite_error = "Enter a username"
            return None
        outcome = await self._call(
            companion_invite_by_username,
            trip_id=self.trip_id,
            username=username,
            message=_text(form, "message", MESSAGE_MAX),
            now=datetime.now(UTC),
        )
        if outcome.signed_out or outcome.renewing:
            return outcome.redirect
        if outcome.error is not None:
            self.invite_error = outcome.message
            return None
        self.notice, self.candidates = f"Invitation sent to @{outcome.value}.", []
        return await self._read()

    @rx.event
    async def invite_user(self, user_id: str):
        """A suggested person's Invite button."""
        other = parse_id(user_id)
        name = next((f"@{c.username}" for c in self.candidates if c.user_id == other), "them")
        self.candidates = [c for c in self.candidates if c.user_id != other]
        return await self._act(
            service.companion_invite, f"Invitation sent to {name}.", user_id=other or 0
        )

    @rx.event
    async def accept_request(self, user_id: str):
        other = parse_id(user_id) or 0
        return await self._act(
            joining.join_accept, f"{self._name(other)} joined the trip.", user_id=other
        )

    @rx.event
    async def decline_request(self, user_id: str):
        other = parse_id(user_id) or 0
        return await self._act(
            joining.join_decline, f"Declined {self._name(other)}'s request.", user_id=other
        )

    @rx.event
    async def remove(self, user_id: str):
        """Remove a member or withdraw an invitation (after the confirmation)."""
        other = parse_id(user_id) or 0
        return await self._act(
            service.companion_remove, f"{self._name(other)} is no longer on the trip.",
            user_id=other,
        )  # fmt: skip

    @rx.event
    async def set_role(self, user_id: str, role: str):
        """The owner's role button: organizer ↔ participant."""
        other = parse_id(user_id) or 0
        role = str(role)[:16]
        return await self._act(
            service.companion_set_role, f"{self._name(other)} is now {role}.",
            user_id=other, role=role,
        )  # fmt: skip

    # --- the viewer's own standing -------------------------------------------------------

    @rx.event
    async def accept_invite(self):
        return await self._act(service.invite_accept, "You joined the trip.")

    @rx.event
    async def decline_invite(self):
        return await self._act(service.invite_decline, "You declined the invitation.")

    @rx.event
    async def request_join(self, form: dict):
        """'Request to join', with an optional message."""
        return await self._act(
            joining.join_request, "Request sent.", message=_text(form, "message", MESSAGE_MAX)
        )

    @rx.event
    async def cancel_request(self):
        return await self._act(joining.join_cancel, "Request withdrawn.")

    @rx.event
    async def leave(self):
        """'Leave trip' (after the confirmation)."""
        return await self._act(service.companion_leave, "You left the trip.")
