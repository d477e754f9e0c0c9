"""Calendar export (issue 12 item 9): the .ics parses with icalendar and matches the
itinerary; private feeds per member; the HTTP routes' 404s."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

import pytest
from icalendar import Calendar
from sqlalchemy import Engine, text
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.testclient import TestClient

from citypulse.api.calendar_routes import CALENDAR_ROUTES
from citypulse.db import session_scope
from citypulse.models.enums import CompanionStatus, Visibility
from citypulse.services.errors import NotFound, PermissionDenied
from citypulse.services.trips.calendar import (
    calendar_feed,
    calendar_feed_create,
    calendar_feed_revoke,
    trip_calendar,
)
from citypulse.services.trips.cities import CityStopForm, trip_city_add
from citypulse.services.trips.itinerary import ItemForm, item_add
from citypulse.services.trips.sharing import share_link_create
from tests.integration.profiles.support import viewer_of
from tests.integration.trips.support import NOW, People, add_member, make_trip, run
from tests.support.factories import create_user

TEST_DOMAIN = "calendar-route.test"


def events(data: bytes) -> dict[str, object]:
    """SUMMARY -> VEVENT of a parsed calendar."""
    calendar = Calendar.from_ical(data)
    return {str(e.get("summary")): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def june(session: Session, people: People):
    trip = make_trip(
        session,
        people.alice,
        title="Canada in June",
        start=date(2026, 6, 10),
        end=date(2026, 6, 14),
    )
    run(
        session,
        trip_city_add,
        people.alice,
        trip_id=trip.id,
        form=CityStopForm(city_text="Toronto, Canada"),
    )
    stop = session.execute(
        text("SELECT id FROM trip_cities WHERE trip_id = :t"), {"t": trip.id}
    ).scalar()
    run(
        session,
        item_add,
        people.alice,
        trip_id=trip.id,
        form=ItemForm(
            title="CN Tower",
            activity_date="2026-06-11",
            start_time="09:30",
            duration_minutes="90",
            location_name="301 Front St W",
            trip_city_id=str(stop),
            description="Book the EdgeWalk",
        ),
    )
    run(
        session,
        item_add,
        people.alice,
        trip_id=trip.id,
        form=ItemForm(title="Lazy day", activity_date="2026-06-12"),
    )
    return trip


def test_ics_parses_and_matches_the_itinerary(session: Session, people: People, june) -> None:
    file = trip_calendar(session, viewer=viewer_of(people.alice), trip_id=june.id, now=NOW)
    assert file.filename == "canada-in-june.ics"
    calendar = Calendar.from_ical(file.data)
    assert (
        str(calendar.get("version")) == "2.0"
        and str(calendar.get("x-wr-calname")) == "Canada in June"
    )
    found = events(file.data)
    assert set(found) == {"Canada in June", "CN Tower", "Lazy day"}
    whole = found["Canada in June"]
    assert (whole.decoded("dtstart"), whole.decoded("dtend")) == (
        date(2026, 6, 10),
        date(2026, 6, 15),
    )
    tower = found["CN Tower"]
    start = datetime.combine(date(2026, 6, 11), time(9, 30))
    assert (tower.decoded("dtstart"), tower.decoded("dtend")) == (
        start,
        start + timedelta(minutes=90),
    )
    assert str(tower.get("location")) == "301 Front St W, Toronto"
    assert str(tower.get("description")) == "Book the EdgeWalk"
    lazy = found["Lazy day"]
    assert (lazy.decoded("dtstart"), lazy.decoded("dtend")) == (
        date(2026, 6, 12),
        date(2026, 6, 13),
    )
    assert len({str(e.get("uid")) for e in found.values()}) == 3


def test_hidden_trips_have_no_calendar(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.private)
    for user in (None, people.dave):
        with pytest.raises(NotFound):
            trip_calendar(
                session, viewer=viewer_of(user) if user else None, trip_id=trip.id, now=NOW
            )


def test_private_feed_follows_membership_and_revocation(
    session: Session, people: People, june
) -> None:
    add_member(session, june, people.dave)
    path = run(session, calendar_feed_create, people.dave, trip_id=june.id)
    token = path.removeprefix("/api/calendar/").removesuffix(".ics")
    assert "CN Tower" in events(calendar_feed(session, token=token, now=NOW).data)
    again = run(session, calendar_feed_create, people.dave, trip_id=june.id)
    with pytest.raises(NotFound):
        calendar_feed(session, token=token, now=NOW)  # regenerated: the old one is void
    token = again.removeprefix("/api/calendar/").removesuffix(".ics")
    session.execute(
        text("UPDATE trip_companions SET status = :s WHERE user_id = :u"),
        {"s": CompanionStatus.left, "u": people.dave.id},
    )
    with pytest.raises(NotFound):
        calendar_feed(session, token=token, now=NOW)
    assert run(session, calendar_feed_revoke, people.alice, trip_id=june.id) is False
    with pytest.raises(PermissionDenied):
        run(
            session,
            calendar_feed_create,
            people.carol,
            trip_id=make_trip(session, people.bob, visibility=Visibility.public).id,
        )
    with pytest.raises(NotFound):
        calendar_feed(session, token="x" * 43, now=NOW)


def _clean(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM users WHERE email LIKE :p"), {"p": f"%@{TEST_DOMAIN}"})


@pytest.fixture
def committed(engine: Engine) -> Iterator[partial]:
    _clean(engine)
    yield partial(session_scope, engine)
    _clean(engine)


def test_routes_serve_the_share_link_and_feed_and_404_the_rest(committed) -> None:
    now = datetime.now(UTC)
    with committed() as db:
        owner = create_user(db, username="cal_owner", email=f"cal_owner@{TEST_DOMAIN}")
        trip = make_trip(db, owner, title="Lisbon", start=date(2026, 5, 1), end=date(2026, 5, 5))
        viewer = viewer_of(owner)
        db.commit()
        share = share_link_create(db, actor=viewer, trip_id=trip.id, now=now)
        feed = calendar_feed_create(db, actor=viewer, trip_id=trip.id, now=now)
        trip_id = trip.id
    client = TestClient(Starlette(routes=CALENDAR_ROUTES))
    token = share.split("?share=")[1]
    shared = client.get(f"/api/trips/{trip_id}/calendar.ics", params={"share": token})
    assert shared.status_code == 200 and shared.headers["content-type"].startswith("text/calendar")
    assert "attachment" in shared.headers["content-disposition"]
    assert "Lisbon" in events(shared.content)
    assert client.get(feed).status_code == 200
    assert client.get(f"/api/trips/{trip_id}/calendar.ics").status_code == 404  # friends_only
    assert (
        client.get(f"/api/trips/{trip_id}/calendar.ics", params={"share": "nope"}).status_code
        == 404
    )
    assert client.get("/api/trips/99999999999999999999/calendar.ics").status_code == 404
    assert client.get("/api/calendar/not-a-token.ics").status_code == 404
