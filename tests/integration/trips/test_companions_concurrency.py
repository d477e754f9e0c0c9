"""Membership commands racing for a trip's last place are decided one after the other.

Every companion command locks the trip row first (`trips.access`), so two organizers
accepting two requests at once for the 20th place leave exactly one accepted member and
one "This trip is full" refusal, never 21 members. Commits for real: own database.
"""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from citypulse.models import TripCompanion
from citypulse.models.enums import CompanionRole, CompanionStatus, Visibility
from citypulse.services.errors import Conflict
from citypulse.services.trips.join_requests import join_accept
from tests.integration.interactions.test_concurrency import together
from tests.integration.profiles.support import viewer_of
from tests.integration.support import NOW
from tests.integration.trips.support import add_member, make_trip
from tests.support.factories import create_user

pytestmark = pytest.mark.own_database


def test_two_accepts_for_the_last_place(engine: Engine) -> None:
    tag = secrets.token_hex(3)
    with Session(engine, expire_on_commit=False) as db:
        owner = create_user(db, username=f"cap_owner_{tag}")
        organizer = create_user(db, username=f"cap_org_{tag}")
        trip = make_trip(db, owner, visibility=Visibility.public)
        add_member(db, trip, organizer, role=CompanionRole.organizer)
        for n in range(17):  # owner + organizer + 17 = 19 places taken
            add_member(db, trip, create_user(db, username=f"cap_m{n:02}_{tag}"))
        asking = [create_user(db, username=f"cap_ask{n}_{tag}") for n in range(2)]
        for user in asking:
            add_member(db, trip, user, status=CompanionStatus.requested)
        db.commit()

    errors = together(engine, [
        lambda db: join_accept(db, actor=viewer_of(owner), trip_id=trip.id,
                               user_id=asking[0].id, now=NOW),
        lambda db: join_accept(db, actor=viewer_of(organizer), trip_id=trip.id,
                               user_id=asking[1].id, now=NOW),
    ])  # fmt: skip
    [error] = errors
    assert isinstance(error, Conflict) and "full" in error.message
    with Session(engine) as db:
        accepted = db.execute(
            select(func.count(TripCompanion.id)).where(
                TripCompanion.trip_id == trip.id, TripCompanion.status == CompanionStatus.accepted
            )
        ).scalar_one()
    assert accepted == 20
