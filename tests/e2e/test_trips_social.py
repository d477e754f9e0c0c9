"""Trips beyond the trip page (issue 12): "Travellers to a city" in the finder, "Upcoming
travellers" on a city page, completed trips on a profile's history tab and trip cards in
the feed, each honouring trip privacy and blocks; axe on every changed page.

Trips, cities, blocks and buddy links are arranged straight in the test database (the
harness only); every test uses its own people and its own city.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.people import create_member, log_in_as, make_buddies

pytestmark = [
    pytest.mark.journeys,
    pytest.mark.harness_only("arranges trips, cities and blocks in the test database"),
]


def person(browser: Browser, base_url: str, name: str) -> Page:
    email = create_member(name)
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, name, email=email)
    return page


def arrange_city(name: str) -> None:
    from citypulse.db import session_scope
    from tests.support.factories import create_city

    with session_scope() as session:
        create_city(session, name=name)


def arrange_trip(owner: str, title: str, city: str, start: date, *, visibility: str = "public",
                 status: str = "planning") -> int:  # fmt: skip
    """A trip of `owner` through `city`, four days from `start` (owner row included)."""
    from sqlmodel import select

    from citypulse.db import session_scope
    from citypulse.models import City, Trip, TripCity, TripCompanion, User

    with session_scope() as session:
        user = session.exec(select(User).where(User.username == owner)).one()
        stop = session.exec(select(City).where(City.name == city)).first()
        trip = Trip(owner_id=user.id, title=title, visibility=visibility, status=status,
                    start_date=start, end_date=start + timedelta(days=4))  # fmt: skip
        session.add(trip)
        session.flush()
        session.add(TripCompanion(trip_id=trip.id, user_id=user.id, role="owner",
                                  status="accepted"))  # fmt: skip
        session.add(TripCity(trip_id=trip.id, city_id=stop.id, position=1))
        return trip.id


def arrange_block(blocker: str, blocked: str) -> None:
    from sqlmodel import select

    from citypulse.db import session_scope
    from citypulse.models import Block, User

    with session_scope() as session:
        ids = {
            user.username: user.id
            for user in session.exec(select(User).where(User.username.in_([blocker, blocked])))
        }
        session.add(Block(blocker_id=ids[blocker], blocked_id=ids[blocked]))


def traveller(list_, username: str):
    return list_.get_by_role("listitem").filter(has_text=f"@{username}")


def test_upcoming_travellers_follow_a_trip_live(browser: Browser, base_url: str) -> None:
    """§6.3 with two browser contexts: the viewer keeps a city page open while the
    traveller cancels their trip there, then plans it again; the list follows without a
    reload (speed is the benches' business, docs/performance.md)."""
    tag = secrets.token_hex(3)
    city = f"Livetown{tag}"
    arrange_city(city)
    goer = f"tl_goer_{tag}"
    owner = person(browser, base_url, goer)
    trip_id = arrange_trip(goer, f"Live to {city}", city, date.today() + timedelta(days=3))
    viewer = person(browser, base_url, f"tl_viewer_{tag}")
    viewer.goto(f"/city/{city}")
    upcoming = viewer.get_by_role("list", name="Upcoming travellers")
    expect(traveller(upcoming, goer)).to_contain_text(f"Live to {city}")

    owner.goto(f"/trips/{trip_id}")
    owner.get_by_role("button", name="Cancel trip").click()
    expect(viewer.get_by_text("No upcoming trips here yet.")).to_be_visible()
    expect(upcoming).to_have_count(0)

    owner.get_by_role("button", name="Back to planning").click()
    expect(traveller(upcoming, goer)).to_contain_text(f"Live to {city}")
    assert blocking_violations(viewer, "main") == []


def test_travellers_on_the_city_page_and_in_the_finder(browser: Browser, base_url: str) -> None:
    """A public upcoming trip lists its owner; a private trip and a traveller who blocked
    the viewer never show; visitors see no travellers; "See all" opens the finder tab."""
    tag = secrets.token_hex(3)
    city = f"Travelton{tag}"
    arrange_city(city)
    soon = date.today() + timedelta(days=3)
    goer, hider, blocker = f"tv_goer_{tag}", f"tv_hider_{tag}", f"tv_blocker_{tag}"
    for name in (goer, hider, blocker):
        create_member(name)
    arrange_trip(goer, f"Off to {city}", city, soon)
    arrange_trip(hider, f"Secret {city}", city, soon, visibility="private")
    arrange_trip(blocker, f"Blocked {city}", city, soon)
    viewer_name = f"tv_viewer_{tag}"
    viewer = person(browser, base_url, viewer_name)
    arrange_block(blocker, viewer_name)

    viewer.goto(f"/city/{city}")
    expect(viewer.get_by_role("heading", name=city, level=1)).to_be_visible()
    upcoming = viewer.get_by_role("list", name="Upcoming travellers")
    expect(traveller(upcoming, goer)).to_contain_text(f"Off to {city}")
    expect(upcoming.get_by_role("listitem")).to_have_count(1)  # no hider, no blocker
    assert blocking_violations(viewer, "main") == []

    viewer.get_by_role("link", name=f"See all travellers to {city}").click()
    nav = viewer.get_by_role("navigation", name="Companion finder sections")
    expect(nav.get_by_role("link", name="Travellers to a city")).to_have_attribute(
        "aria-current", "page"
    )
    found = viewer.get_by_role("list", name="Travellers")
    expect(traveller(found, goer)).to_be_visible()
    expect(found.get_by_role("listitem")).to_have_count(1)
    assert blocking_violations(viewer, "main") == []

    # dates outside the trip: nobody; a refused range says why under the field
    form = viewer.get_by_role("search", name="Find travellers to a city")
    later = soon + timedelta(days=30)
    form.get_by_label("From").fill(later.isoformat())
    form.get_by_label("To").fill((later + timedelta(days=2)).isoformat())
    form.get_by_role("button", name="Search travellers").click()
    expect(viewer.get_by_text("No travellers to this city for these dates.")).to_be_visible()
    form.get_by_label("To").fill((later - timedelta(days=2)).isoformat())
    form.get_by_role("button", name="Search travellers").click()
    expect(viewer.get_by_text("The end date must be on or after the start date")).to_be_visible()
    assert blocking_violations(viewer, "main") == []

    visitor = browser.new_context(base_url=base_url).new_page()
    visitor.goto(f"/city/{city}")
    expect(visitor.get_by_role("heading", name=city, level=1)).to_be_visible()
    expect(visitor.get_by_role("heading", name="Upcoming travellers")).to_have_count(0)
    expect(visitor.get_by_text(f"@{goer}")).to_have_count(0)


def test_history_tab_lists_visible_completed_trips(browser: Browser, base_url: str) -> None:
    tag = secrets.token_hex(3)
    city = f"Histown{tag}"
    arrange_city(city)
    owner = f"hist_owner_{tag}"
    create_member(owner)
    past = date.today() - timedelta(days=60)
    arrange_trip(owner, f"Done and shared {tag}", city, past, status="completed")
    arrange_trip(owner, f"Done and private {tag}", city, past, visibility="private",
                 status="completed")  # fmt: skip
    arrange_trip(owner, f"Still planning {tag}", city, date.today() + timedelta(days=9))
    viewer = person(browser, base_url, f"hist_viewer_{tag}")

    viewer.goto(f"/profile/{owner}?tab=history")
    trips = viewer.get_by_role("list", name="Completed trips")
    expect(trips.get_by_role("link", name=f"Done and shared {tag}")).to_be_visible()
    expect(trips.get_by_role("listitem")).to_have_count(1)  # not private, not planning
    expect(trips).to_contain_text(city)
    assert blocking_violations(viewer, "main") == []


def test_feed_shows_buddies_trips_as_cards(browser: Browser, base_url: str) -> None:
    tag = secrets.token_hex(3)
    city = f"Feedville{tag}"
    arrange_city(city)
    buddy, viewer_name = f"feed_buddy_{tag}", f"feed_viewer_{tag}"
    create_member(buddy)
    soon = date.today() + timedelta(days=5)
    shared = arrange_trip(buddy, f"Buddy trip {tag}", city, soon, visibility="friends_only")
    arrange_trip(buddy, f"Buddy secret {tag}", city, soon, visibility="private")
    viewer = person(browser, base_url, viewer_name)
    make_buddies(viewer_name, buddy)

    viewer.goto("/dashboard")
    feed = viewer.get_by_role("list", name="Recommendations")
    card = feed.get_by_role("listitem").filter(
        has=viewer.get_by_role("heading", name=f"Buddy trip {tag}")
    )
    expect(card).to_contain_text(city)
    expect(card).to_contain_text("1 companion")
    expect(card).to_contain_text("Planning")
    expect(card.get_by_role("link", name=f"View trip Buddy trip {tag}")).to_have_attribute(
        "href", f"/trips/{shared}"
    )
    expect(viewer.get_by_text(f"Buddy secret {tag}")).to_have_count(0)
    assert blocking_violations(viewer, "main") == []

    tabs = viewer.get_by_role("group", name="Feed")
    tabs.get_by_role("button", name="Buddies").click()
    expect(tabs.get_by_role("button", name="Buddies")).to_have_attribute("aria-pressed", "true")
    expect(card).to_be_visible()
    expect(viewer.get_by_text(f"Buddy secret {tag}")).to_have_count(0)
    assert blocking_violations(viewer, "main") == []
