"""The demo seed's trips (issue 12 item 10), read through the trips services."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from citypulse.models import User
from citypulse.seed import seed_demo_data
from citypulse.services.errors import NotFound
from citypulse.services.trips.my_trips import my_trips
from citypulse.services.trips.pages import trip_page
from tests.integration.interactions.support import viewer


@pytest.fixture
def users(session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, User]:
    from citypulse.settings import get_settings

    monkeypatch.setattr(get_settings(), "upload_dir", tmp_path)
    seed_demo_data(session)
    return {user.username: user for user in session.exec(select(User)).all()}


def test_seeded_trips(session: Session, users: dict[str, User]) -> None:
    alice, dave, bob, carol = (viewer(users[n]) for n in ("alice", "dave", "bob", "carol"))
    [alices] = my_trips(session, viewer=alice).trips
    page = trip_page(session, viewer=dave, trip_id=alices.id)
    assert page.trip.visibility == "friends_only" and page.trip.is_collaborative
    assert page.permissions.can_edit_plan  # dave: an accepted participant
    assert [c.name for c in page.cities] == ["Toronto", "Montreal"]
    with pytest.raises(NotFound):
        trip_page(session, viewer=bob, trip_id=alices.id)

    [lisbon] = [t for t in my_trips(session, viewer=bob).trips if t.title == "Lisbon long weekend"]
    shown = trip_page(session, viewer=None, trip_id=lisbon.id).trip
    assert (shown.status, shown.visibility, shown.start_date.day, shown.end_date.day) == (
        "planning",
        "public",
        1,
        5,
    )

    [done] = my_trips(session, viewer=carol, status="completed").trips
    completed = trip_page(session, viewer=None, trip_id=done.id)
    assert completed.places and {p.status for p in completed.places} == {"visited"}
    assert all(p.available for p in completed.places)
    assert [len(d.activities) for d in completed.days] == [1, 1]
