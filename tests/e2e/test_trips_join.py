"""Joining a trip through the companion finder (PRODUCT.md §7.24, §4.6.12), each person in
their own browser context; axe on every /trips/companions tab.

The trips are arranged straight in the test database (the harness only): a public
planning trip through Lisbon, and a completed public trip with visited Places.
"""

from __future__ import annotations

import re
import secrets
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.people import create_member, log_in_as

pytestmark = [
    pytest.mark.journeys,
    pytest.mark.harness_only("arranges trips in the test database"),
]

LIVE_MS = 2_000
TABS = (("find", "Find companions"), ("discover", "Discover trips"),
        ("suggested", "Suggested for you"))  # fmt: skip


def person(browser: Browser, base_url: str, name: str) -> Page:
    email = create_member(name)
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, name, email=email)
    return page


def arrange_trip(
    owner: str, title: str, city: str, start: date, end: date, *, status: str = "planning"
) -> int:
    """A public trip of `owner` through `city` (the owner's companion row included)."""
    from sqlmodel import select

    from citypulse.db import session_scope
    from citypulse.models import City, Trip, TripCity, TripCompanion, User

    with session_scope() as session:
        user = session.exec(select(User).where(User.username == owner)).one()
        stop = session.exec(select(City).where(City.name == city)).first()
        trip = Trip(owner_id=user.id, title=title, visibility="public", status=status,
                    start_date=start, end_date=end)  # fmt: skip
        session.add(trip)
        session.flush()
        session.add(TripCompanion(trip_id=trip.id, user_id=user.id, role="owner",
                                  status="accepted"))  # fmt: skip
        session.add(TripCity(trip_id=trip.id, city_id=stop.id, position=1,
                             arrival_date=start, departure_date=end))  # fmt: skip
        return trip.id


def card(page: Page, title: str):
    return page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=title))


def search(page: Page, city: str, start: date, end: date) -> None:
    form = page.get_by_role("search", name="Find companions")
    form.get_by_label("City").fill(city)
    form.get_by_label("From").fill(start.isoformat())
    form.get_by_label("To").fill(end.isoformat())
    form.get_by_role("button", name="Search", exact=True).click()


def test_journey_7_24_carol_requests_bob_accepts_card_shows_joined(
    browser: Browser, base_url: str
) -> None:
    """§7.24: carol finds bob's Lisbon trip for 2–3 May, asks to join; bob is notified
    (trip_join_request) and accepts on the trip's Companions tab; carol's open card
    turns to "Joined" and she is a participant."""
    tag = secrets.token_hex(3)
    year = date.today().year + 1
    bob_name, carol_name = f"join_bob_{tag}", f"join_carol_{tag}"
    bob, carol = person(browser, base_url, bob_name), person(browser, base_url, carol_name)
    title = f"Lisbon long weekend {tag}"
    trip_id = arrange_trip(bob_name, title, "Lisbon", date(year, 5, 1), date(year, 5, 5))

    carol.goto("/trips/companions")
    expect(carol.get_by_role("heading", name="Find travel companions", level=1)).to_be_visible()
    search(carol, "Lisbon", date(year, 5, 2), date(year, 5, 3))
    found = card(carol, title)
    expect(found).to_contain_text("1 May – 5 May")
    expect(found).to_contain_text("Lisbon")
    expect(found).to_contain_text("1 companion")
    found.get_by_role("button", name=f"Request to join {title}").click()
    expect(found.get_by_text("Requested", exact=True)).to_be_visible()

    expect(
        bob.get_by_role("button", name=re.compile(r"Notifications, [1-9]\d* unread"))
    ).to_be_visible(timeout=5_000)
    bob.goto("/notifications")
    expect(bob.get_by_text(re.compile(f"asked to join “{title}”"))).to_be_visible()
    bob.goto(f"/trips/{trip_id}?tab=companions")
    bob.get_by_role("button", name=f"Accept @{carol_name}'s request").click()
    expect(bob.get_by_text(f"@{carol_name} joined the trip.")).to_be_visible()

    expect(found.get_by_text("Joined", exact=True)).to_be_visible(timeout=LIVE_MS + 3_000)
    carol.goto(f"/trips/{trip_id}?tab=companions")
    members = carol.get_by_role("list", name="Companions")
    expect(members.get_by_role("listitem").filter(has_text=f"@{carol_name}")).to_contain_text(
        "Participant"
    )
    expect(carol.get_by_role("button", name="Leave trip")).to_be_visible()


def test_finder_tabs_are_accessible(browser: Browser, base_url: str) -> None:
    tag = secrets.token_hex(3)
    owner = f"finder_owner_{tag}"
    create_member(owner)
    arrange_trip(owner, f"Porto finished {tag}", "Porto", date(2024, 4, 1), date(2024, 4, 3),
                 status="completed")  # fmt: skip
    page = person(browser, base_url, f"finder_viewer_{tag}")
    for key, label in TABS:
        page.goto(f"/trips/companions?tab={key}")
        nav = page.get_by_role("navigation", name="Companion finder sections")
        expect(nav.get_by_role("link", name=label)).to_have_attribute("aria-current", "page")
        expect(page.get_by_role("status").filter(has_text="Loading…")).to_have_count(0)
        if key == "discover":
            expect(card(page, f"Porto finished {tag}")).to_be_visible()
        assert blocking_violations(page, "main") == [], key
    # a search refused with the reason under the field
    page.goto("/trips/companions")
    search(page, "Lisbon", date(2030, 5, 3), date(2030, 5, 1))
    expect(page.get_by_text("The end date must be on or after the start date")).to_be_visible()
    assert blocking_violations(page, "main") == []
