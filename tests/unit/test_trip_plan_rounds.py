"""A round of the pushed itinerary (state/trips/plan_live.py): who stays registered and
who gets the rows, with the database read replaced by its result."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from citypulse.services.trips.live_plan import LivePlan
from citypulse.services.trips.page_lists import Activity, Day
from citypulse.state.trips import plan_live

WALK = Activity(id=5, day_number=1, activity_date=None, start_time="", duration_minutes=None,
                title="Walk", description="", activity_type="other", trip_city_id=None,
                city_name="", location_name="", latitude=None, longitude=None,
                estimated_cost=None, status="planned", notes="",
                version=datetime(2026, 12, 6, tzinfo=UTC), can_delete=False)  # fmt: skip


class Plan:
    """What a round reads and writes of `TripPlanLive`."""

    def __init__(self, linked: set[str], viewers: dict[str, int]) -> None:
        self._linked_from, self._viewers = set(linked), dict(viewers)
        self.ready, self.days = False, []


def run_round(monkeypatch: pytest.MonkeyPatch, plan: Plan, seeing: set[int]) -> list[int]:
    asked: list[int] = []

    async def read(_work, trip_id, viewer_ids):
        asked.extend(viewer_ids)
        days = (Day(number=1, label="Day 1", activities=(WALK,)),)
        return LivePlan(days=days, added_by={5: 1}, currency="EUR", viewers=frozenset(seeing))

    monkeypatch.setattr(plan_live, "in_transaction_thread", read)
    asyncio.run(plan_live.RefreshPlan(9)(plan))  # type: ignore[arg-type]
    return asked


def test_a_round_drops_the_tabs_of_viewers_who_lost_the_trip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = Plan({"a", "b", "stray"}, {"a": 1, "b": 2})
    assert run_round(monkeypatch, plan, seeing={1}) == [1, 2]
    assert plan._linked_from == {"a"}  # b lost the trip; "stray" never registered
    assert plan._viewers == {"a": 1}
    assert plan.ready and [a.title for d in plan.days for a in d.activities] == ["Walk"]
    assert plan.days[0].activities[0].added_by_id == 1 and plan._versions == {
        "item-5": WALK.version
    }


def test_a_tab_away_during_a_round_keeps_its_registration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = Plan({"a"}, {"a": 1, "away": 2})  # "away" lost its socket for a moment
    assert run_round(monkeypatch, plan, seeing={1, 2}) == [1]
    plan._linked_from.add("away")  # it came back: registered on the key again
    run_round(monkeypatch, plan, seeing={1, 2})
    assert plan._linked_from == {"a", "away"} and plan._viewers == {"a": 1, "away": 2}


def test_registrations_of_tabs_away_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    gone = {f"gone-{n}": 3 for n in range(plan_live.MAX_REGISTERED)}
    plan = Plan({"a"}, {"a": 1, **gone})
    run_round(monkeypatch, plan, seeing={1, 3})
    assert plan._viewers == {"a": 1}
