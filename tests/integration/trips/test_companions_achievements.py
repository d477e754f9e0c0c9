"""Issue 13's trip hooks on the companions side (PRODUCT.md §4.7.1–§4.7.2).

trips_completed and cities_visited count completed trips as owner *or accepted member*,
so a membership of a completed trip that starts or ends changes them: accepting an
invitation to one awards Weekend Wanderer in the accepting transaction, and leaving or
being removed recounts the progress (completed_at is never cleared). Completing a trip
(trips core's `trip_set_status`) evaluates the owner and every accepted member.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from citypulse.models import TripCity
from citypulse.models.enums import NotificationType, TripStatus, Visibility
from citypulse.seed.reference import seed_achievements
from citypulse.services.achievements.events import AchievementUnlocked
from citypulse.services.trips import companions as c
from citypulse.services.trips import join_requests as j
from tests.integration.interactions.support import act
from tests.integration.profiles.support import viewer_of
from tests.integration.support import NOW
from tests.integration.trips.support import People, add_member, make_trip, run
from tests.integration.trips.test_companions import notes
from tests.support.factories import create_city


@pytest.fixture(autouse=True)
def catalogue(session: Session) -> None:
    seed_achievements(session)


def progress(session: Session, user, code: str) -> tuple[int, bool] | None:
    row = session.execute(
        sa.text(
            "SELECT ua.progress, ua.completed_at IS NOT NULL FROM user_achievements ua "
            "JOIN achievements a ON a.id = ua.achievement_id WHERE ua.user_id = :u "
            "AND a.code = :code"
        ),
        {"u": user.id, "code": code},
    ).first()
    return None if row is None else (row[0], row[1])


def completed_trip(session: Session, people: People):
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    session.add(TripCity(trip_id=trip.id, city_id=create_city(session).id, position=1))
    trip.status = TripStatus.completed
    session.add(trip)
    session.flush()
    return trip


def test_accepting_an_invite_to_a_completed_trip_awards_in_that_transaction(
    session: Session, people: People
) -> None:
    trip = completed_trip(session, people)
    run(session, c.companion_invite, people.alice, trip_id=trip.id, user_id=people.dave.id,
        now=NOW)  # fmt: skip
    assert progress(session, people.dave, "weekend_wanderer") is None
    _, events = act(session, c.invite_accept, actor=viewer_of(people.dave), trip_id=trip.id,
                    now=NOW)  # fmt: skip
    assert progress(session, people.dave, "weekend_wanderer") == (1, True)
    assert progress(session, people.dave, "city_explorer") == (1, False)
    assert progress(session, people.dave, "bronze_achiever") == (1, True)
    assert [e.user_id for e in events if isinstance(e, AchievementUnlocked)] == [people.dave.id]
    assert len(notes(session, people.dave, NotificationType.achievement_unlocked)) == 2


def test_leaving_or_removal_recounts_but_keeps_the_badge(session: Session, people: People) -> None:
    trip = completed_trip(session, people)
    run(session, c.companion_invite, people.alice, trip_id=trip.id, user_id=people.dave.id,
        now=NOW)  # fmt: skip
    run(session, c.invite_accept, people.dave, trip_id=trip.id, now=NOW)
    run(session, c.companion_leave, people.dave, trip_id=trip.id, now=NOW)
    assert progress(session, people.dave, "weekend_wanderer") == (0, True)
    assert progress(session, people.dave, "city_explorer") == (0, False)

    add_member(session, trip, people.carol)  # arranged: never counted, never awarded
    run(session, c.companion_remove, people.alice, trip_id=trip.id, user_id=people.carol.id,
        now=NOW)  # fmt: skip
    assert progress(session, people.carol, "weekend_wanderer") in (None, (0, False))


def test_membership_of_an_open_trip_evaluates_nothing(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    run(session, j.join_request, people.carol, trip_id=trip.id, now=NOW)
    run(session, j.join_accept, people.alice, trip_id=trip.id, user_id=people.carol.id, now=NOW)
    run(session, c.companion_leave, people.carol, trip_id=trip.id, now=NOW)
    assert progress(session, people.carol, "weekend_wanderer") is None
