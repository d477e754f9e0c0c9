"""The itinerary pushed to the trip pages of signed-in viewers (§6.3, issue 12).

`TripPlanLive`, under the trip's key `trip-<id>` like `TripLive`, holds the itinerary as
every viewer sees it. After each change of a trip's itinerary, cities or details (the
days name their cities and cost in the trip's currency) the push adapter
(state/push.py) hands `RefreshPlan` to the live path, which runs it under the key's
lock, one round after the other: one read (services/trips/live_plan.py), made after the
changes of the round committed, so a round never shows less than the one before. The
delta is the same for every tab and reaches them with no event back (instead of one
re-read per tab and change).

A tab follows the plan (`follow_plan`) once its loader showed the trip to a signed-in
viewer who sees it as such (not through a share link, not as a moderator); it registers
its viewer with its client token. Each round re-checks those viewers' access in one
statement and drops the tabs whose viewer lost it, before anything is sent. The page
shows the pushed days once the key holds a read (`ready`), decides the delete buttons
from the adder ids and its own rights, and takes item versions for the conflict checks
from the newer of its own read and the pushed one (`pushed_version`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import reflex as rx
from reflex.state import BaseState

from citypulse.db import session_scope
from citypulse.services.trips.events import CITIES, DETAILS, ITINERARY
from citypulse.services.trips.live_plan import LivePlan, live_plan
from citypulse.state import live_links
from citypulse.state.transaction_threads import in_transaction_thread
from citypulse.state.trips.live import channel_key
from citypulse.state.trips.views import ChoiceView, DayView, activity_choices, days_as_views

# The parts whose change changes the pushed days.
PLAN_PARTS = frozenset({ITINERARY, CITIES, DETAILS})
MAX_REGISTERED = 1000  # tabs' registrations a trip keeps while they are away


class TripPlanLive(rx.SharedState):
    """The trip's itinerary as pushed to the pages that follow it."""

    ready: bool = False  # holds a read: the pages show these days, not their own read
    days: list[DayView] = []
    activity_options: list[ChoiceView] = []
    activity_titles: dict[str, str] = {}  # activity id ("" too) -> title, for the Places
    _viewers: dict[str, int] = {}  # client token -> the viewer that tab registered
    _versions: dict[str, datetime] = {}  # "item-<id>" -> version of the pushed rows


async def follow_plan(state: BaseState, trip_id: int, viewer_id: int) -> None:
    """Link this tab to the trip's pushed itinerary, registered as `viewer_id`."""
    token, key = state.router.session.client_token, channel_key(trip_id)
    plan = await state.get_state(TripPlanLive)
    if plan._linked_to and plan._linked_to != key:
        # Another trip in the same page (no unmount): leave its key under its lock first,
        # or its rounds would go on pushing that trip's days to this tab.
        await leave_plan(state)
        plan = await state.get_state(TripPlanLive)
    if plan._linked_to != key:
        plan = await plan._link_to(key)  # holds the key's lock for this event
        plan._viewers = {**plan._viewers, token: viewer_id}
    elif plan._viewers.get(token) != viewer_id:  # signed in again as someone else
        if live_links.holds_lock(plan, key):  # this event linked `TripLive` to the key
            _register(plan, token, viewer_id)
        else:
            await live_links.write_held(TripPlanLive, key, lambda p: _register(p, token, viewer_id))


async def leave_plan(state: BaseState) -> None:
    """Stop receiving the trip's pushed itinerary (no-op when not following)."""
    await live_links.unlink(state, TripPlanLive)


def _register(plan: TripPlanLive, token: str, viewer_id: int) -> None:
    plan._viewers = {**plan._viewers, token: viewer_id}


async def pushed_version(state: BaseState, key: str) -> Any:
    """The version of `key` ("item-<id>") in the pushed rows (None: not pushed)."""
    plan = await state.get_state(TripPlanLive)
    return plan._versions.get(key) if plan.ready else None


def _still_registered(
    registered: dict[str, int], linked: set[str], asked: dict[str, int], seeing: frozenset[int]
) -> dict[str, int]:
    """The registrations a round keeps: all but those of viewers who lost the trip. A tab
    that is away (its socket dropped) keeps its own, for when it comes back linked;
    past MAX_REGISTERED, only the linked tabs' are kept."""
    lost = {viewer for viewer in asked.values() if viewer not in seeing}
    kept = {token: v for token, v in registered.items() if v not in lost}
    if len(kept) > MAX_REGISTERED:
        kept = {token: v for token, v in kept.items() if token in linked}
    return kept


def _read(trip_id: int, viewer_ids: list[int]) -> LivePlan | None:
    with session_scope() as session:
        return live_plan(session, trip_id=trip_id, viewer_ids=viewer_ids)


@dataclass(frozen=True)
class RefreshPlan:
    """The live path's change for a trip whose days changed: read them and show them
    (equal instances in one round are applied once)."""

    trip_id: int

    async def __call__(self, plan: TripPlanLive) -> None:
        linked = set(plan._linked_from)
        asked = {token: v for token, v in plan._viewers.items() if token in linked}
        read = await in_transaction_thread(_read, self.trip_id, sorted(set(asked.values())))
        seeing = read.viewers if read is not None else frozenset()
        for token in linked:
            if asked.get(token) not in seeing:
                plan._linked_from.discard(token)  # lost access (or never registered)
        plan._viewers = _still_registered(plan._viewers, linked, asked, seeing)
        if read is None:
            return
        days = days_as_views(read.days, read.currency, read.added_by)
        titles = {"": "", **{str(a.id): a.title for d in read.days for a in d.activities}}
        plan.days, plan.activity_options = days, activity_choices(read.days)
        plan.activity_titles, plan.ready = titles, True
        plan._versions = {f"item-{a.id}": a.version for d in read.days for a in d.activities}
