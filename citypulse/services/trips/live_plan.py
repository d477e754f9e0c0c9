"""The itinerary pushed to the open pages of a trip's signed-in viewers (§6.3, issue 12).

A change of the itinerary used to make every open tab of the trip re-read it for its
own viewer: with 20 members editing at 1 action/s that was 380 re-reads a second, more
than one worker can serve (docs/performance.md, "Live trip collaboration"). Instead,
after each change the live path (state/trips/plan_live.py) reads the itinerary once,
here, and sends the same rows to every signed-in tab that follows the trip; each page
decides its own delete buttons from the adder ids and its viewer's rights.

The read also checks who may still see the trip, for all the tabs' viewers in one
statement (the one visibility rule, `trip_visible_to`): a viewer who was removed,
blocked or shut out by a visibility change gets no more rows. Share-link, visitor and
moderator pages do not follow this push; they re-read for themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Integer, func, select
from sqlalchemy.dialects.postgresql import array
from sqlmodel import Session

from citypulse.models import Trip
from citypulse.services.trips import page_lists
from citypulse.services.trips.access import trip_visible_to
from citypulse.services.trips.page_lists import Day


@dataclass(frozen=True)
class LivePlan:
    """The trip's itinerary as every viewer sees it (no `can_delete` set), who added
    each activity, and which of the asked viewers may still see the trip."""

    days: tuple[Day, ...]
    added_by: dict[int, int]  # activity id -> adder's user id (absent: unknown)
    currency: str
    viewers: frozenset[int]


def _still_seeing(session: Session, trip_id: int, viewer_ids: list[int]) -> frozenset[int]:
    if not viewer_ids:
        return frozenset()
    viewer = func.unnest(array(viewer_ids, type_=Integer)).table_valued("id").render_derived()
    # Both in the one FROM, so the rule's subqueries correlate to the viewer and the trip.
    seeing = select(viewer.c.id).where(Trip.id == trip_id, trip_visible_to(viewer.c.id))
    return frozenset(session.execute(seeing).scalars())


def live_plan(session: Session, *, trip_id: int, viewer_ids: Iterable[int]) -> LivePlan | None:
    """The itinerary to push after a change (None: the trip is gone)."""
    currency = session.execute(select(Trip.currency).where(Trip.id == trip_id)).scalar()
    if currency is None:
        return None
    rows = page_lists.itinerary_rows(session, trip_id)
    return LivePlan(
        days=page_lists.by_day(rows, lambda _adder: False),
        added_by={activity.id: adder for activity, adder in rows if adder is not None},
        currency=currency,
        viewers=_still_seeing(session, trip_id, sorted(set(viewer_ids))),
    )
