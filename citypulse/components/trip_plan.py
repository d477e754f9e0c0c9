"""What the trip page shows of its itinerary: the pushed one (state/trips/plan_live.py)
once the trip's key holds a read and this page follows it, else the page's own read."""

from __future__ import annotations

import reflex as rx

from citypulse.state.trips.detail import TripState as S
from citypulse.state.trips.live import TripLive
from citypulse.state.trips.plan_live import TripPlanLive as P

PUSHED = S.follows_plan & P.ready


def shown_days() -> rx.Var:
    return rx.cond(PUSHED, P.days, S.days)


def shown_activity_options() -> rx.Var:
    return rx.cond(PUSHED, P.activity_options, S.activity_options)


def place_activity_title(place) -> rx.Var:
    """The title of the activity a Place is for, as the shown days have it."""
    item = place.itinerary_item_id
    titles = P.activity_titles
    return rx.cond(PUSHED & titles.contains(item), titles[item], place.activity_title)


def may_delete(activity) -> rx.Var:
    """Organizers delete any activity, editors their own (§4.6.8): pushed rows carry the
    adder, the page's own read its decision."""
    own = (activity.added_by_id == S.viewer_id) & (S.viewer_id != 0)
    return activity.can_delete | S.perms.can_edit_details | (S.perms.can_add_place & own)


def watcher_serial() -> rx.Var:
    """The channel counter the page re-reads on: a page that follows the pushed itinerary
    skips the changes of the itinerary alone."""
    return rx.cond(S.follows_plan, TripLive.pull_serial, TripLive.serial)
