"""Trip journeys (PRODUCT.md §7.21, §7.23, §6.3): create a trip with ordered cities, the
itinerary's date rules and day numbering, keyboard reordering, privacy (404), and a
member's change reaching an open trip page live; axe on every trips page.

§7.21 uses only the UI (it runs against any deployment); the others arrange trips and
memberships in the test database (harness only).
"""

from __future__ import annotations

import re
import secrets
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support import target
from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.people import create_member, log_in_as, make_buddies, member_username

pytestmark = pytest.mark.journeys

LIVE_MS = 2_000
NO_RUNNING_ANIMATION = "() => document.getAnimations().every(a => a.playState !== 'running')"


def person(browser: Browser, base_url: str, name: str) -> Page:
    email = create_member(name)
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, name, email=email)
    return page


def no_axe_problems(page: Page, where: str) -> None:
    """axe on the page at rest (no hover, no running transition)."""
    page.mouse.move(0, 0)
    page.wait_for_function(NO_RUNNING_ANIMATION)
    problems = blocking_violations(page)
    assert problems == [], f"{where}: " + "\n".join(problems)


def city_rows(page: Page):
    return page.get_by_role("list", name="Cities in order")


def arrange_trip(
    owner: str,
    title: str,
    *,
    visibility: str,
    member: str = "",
    collaborative: bool = False,
    start: date | None = None,
    end: date | None = None,
) -> int:
    """A trip of `owner` (and `member` as an accepted participant), straight in the DB."""
    from sqlmodel import select

    from citypulse.db import session_scope
    from citypulse.models import Trip, TripCompanion, User

    with session_scope() as session:
        owner_row = session.exec(select(User).where(User.username == owner)).one()
        trip = Trip(
            owner_id=owner_row.id,
            title=title,
            visibility=visibility,
            is_collaborative=collaborative,
            start_date=start,
            end_date=end,
        )
        session.add(trip)
        session.flush()
        session.add(
            TripCompanion(trip_id=trip.id, user_id=owner_row.id, role="owner", status="accepted")
        )
        if member:
            other = session.exec(select(User).where(User.username == member)).one()
            session.add(
                TripCompanion(
                    trip_id=trip.id, user_id=other.id, role="participant", status="accepted"
                )
            )
        return trip.id


def test_journey_7_21_trip_dates_and_day_numbers(browser: Browser, base_url: str) -> None:
    """§7.21: a 10–14 June trip with Toronto and Montreal; an activity on 16 June is
    refused with the §4.6.7 message, one on 11 June shows under Day 2. Cities reorder
    with the keyboard (Move down). axe on /trips, /trips/create, the trip's tabs, edit."""
    tag = secrets.token_hex(3)
    name = f"trip_alice_{tag}"
    alice = person(browser, base_url, name)
    year = date.today().year + 1
    title = f"Canada in June {tag}"

    alice.goto("/trips")
    expect(alice.get_by_role("heading", name="Trips", level=1)).to_be_visible()
    expect(alice.get_by_text("No trips yet — Create your first trip")).to_be_visible()
    no_axe_problems(alice, "/trips")

    alice.goto("/trips/create")
    expect(alice.get_by_role("heading", name="Create trip", level=1)).to_be_visible()
    no_axe_problems(alice, "/trips/create")
    alice.get_by_label("Title").fill(title)
    alice.get_by_label("Start date").fill(f"{year}-06-10")
    alice.get_by_label("End date").fill(f"{year}-06-14")
    alice.get_by_label("City (City, Country)").first.fill("Toronto, Canada")
    alice.get_by_role("button", name="Add another city").click()
    expect(alice.get_by_label("City (City, Country)")).to_have_count(2)
    alice.get_by_label("City (City, Country)").nth(1).fill("Montreal, Canada")
    alice.get_by_role("button", name="Create trip").click()

    expect(alice.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(alice.get_by_text(f"10 Jun {year} – 14 Jun {year}").first).to_be_visible()
    rows = city_rows(alice)
    expect(rows).to_contain_text(re.compile("1\\.Toronto.*2\\.Montreal"))
    no_axe_problems(alice, "trip overview")

    alice.get_by_role("button", name="Move Toronto down").click()
    expect(rows).to_contain_text(re.compile("1\\.Montreal.*2\\.Toronto"))

    alice.get_by_role("navigation", name="Trip sections").get_by_role(
        "link", name="Itinerary"
    ).click()
    expect(alice.get_by_role("heading", name="Itinerary", level=2)).to_be_visible()
    alice.get_by_role("button", name="Add activity").click()
    dialog = alice.get_by_role("dialog", name="Add activity")
    dialog.get_by_label("Title *").fill("Late show")
    dialog.get_by_label("Date").fill(f"{year}-06-16")
    dialog.get_by_role("button", name="Save activity").click()
    expect(
        dialog.get_by_text(
            f"Activity date must be within the trip dates (10 Jun {year} – 14 Jun {year})"
        )
    ).to_be_visible()
    no_axe_problems(alice, "activity dialog with an error")
    dialog.get_by_label("Title *").fill("CN Tower")
    dialog.get_by_label("Date").fill(f"{year}-06-11")
    dialog.get_by_role("button", name="Save activity").click()
    expect(dialog).to_have_count(0)
    day = alice.get_by_role("region", name=f"Day 2 · 11 Jun {year}")
    expect(day.get_by_role("heading", name="CN Tower")).to_be_visible()
    no_axe_problems(alice, "itinerary tab")

    alice.get_by_role("navigation", name="Trip sections").get_by_role("link", name="Places").click()
    expect(alice.get_by_role("heading", name="Places", level=2)).to_be_visible()
    no_axe_problems(alice, "places tab")

    alice.get_by_role("navigation", name="Trip sections").get_by_role(
        "link", name="Overview"
    ).click()
    alice.get_by_role("link", name="Edit trip").click()
    expect(alice.get_by_role("heading", name="Edit trip", level=1)).to_be_visible()
    expect(alice.get_by_label("Title")).to_have_value(title)
    no_axe_problems(alice, "/trips/[id]/edit")

    alice.goto("/trips")
    expect(alice.get_by_role("link", name=title, exact=True)).to_be_visible()
    no_axe_problems(alice, "/trips with a trip")


@pytest.mark.harness_only("arranges the private trip in the test database")
def test_journey_7_23_private_trip_is_a_404_for_a_buddy(browser: Browser, base_url: str) -> None:
    """§7.23: dave (alice's buddy) gets the 404 page for alice's private trip, its
    itinerary tab, and its edit page."""
    tag = secrets.token_hex(3)
    alice_name, dave_name = f"priv_alice_{tag}", f"priv_dave_{tag}"
    create_member(alice_name)
    dave = person(browser, base_url, dave_name)
    make_buddies(member_username(alice_name), member_username(dave_name))
    trip_id = arrange_trip(alice_name, f"Secret getaway {tag}", visibility="private")
    for path in (f"/trips/{trip_id}", f"/trips/{trip_id}?tab=itinerary", f"/trips/{trip_id}/edit"):
        dave.goto(path)
        expect(dave.get_by_role("heading", name="404 — Page Not Found")).to_be_visible()
        expect(dave.get_by_text(f"Secret getaway {tag}")).to_have_count(0)


@pytest.mark.harness_only("arranges the trip and its membership in the test database")
def test_a_members_new_activity_reaches_the_open_trip_page_live(
    browser: Browser, base_url: str
) -> None:
    """§6.3: dave (participant of alice's collaborative trip) adds an activity; alice's
    open itinerary shows it within 2 s without a reload."""
    assert not target.is_external()
    tag = secrets.token_hex(3)
    alice_name, dave_name = f"live_alice_{tag}", f"live_dave_{tag}"
    alice = person(browser, base_url, alice_name)
    dave = person(browser, base_url, dave_name)
    trip_id = arrange_trip(
        alice_name,
        f"Live trip {tag}",
        visibility="friends_only",
        member=dave_name,
        collaborative=True,
    )
    alice.goto(f"/trips/{trip_id}?tab=itinerary")
    expect(alice.get_by_text("No activities yet.")).to_be_visible()
    dave.goto(f"/trips/{trip_id}?tab=itinerary")
    dave.get_by_role("button", name="Add activity").click()
    dialog = dave.get_by_role("dialog", name="Add activity")
    dialog.get_by_label("Title *").fill("Harbour walk")
    dialog.get_by_label("Day").fill("2")
    dialog.get_by_role("button", name="Save activity").click()
    expect(dialog).to_have_count(0)
    expect(alice.get_by_role("heading", name="Harbour walk")).to_be_visible(timeout=LIVE_MS)
    expect(alice.get_by_role("heading", name="Day 2", exact=True)).to_be_visible()


@pytest.mark.harness_only("arranges the trip and its cities in the test database")
def test_cities_reorder_by_dragging(browser: Browser, base_url: str) -> None:
    """Drag and drop reorders the cities (the Move buttons are its keyboard equivalent)."""
    from sqlmodel import select

    from citypulse.db import session_scope
    from citypulse.models import City, TripCity

    tag = secrets.token_hex(3)
    name = f"drag_alice_{tag}"
    alice = person(browser, base_url, name)
    trip_id = arrange_trip(name, f"Dragging {tag}", visibility="private")
    with session_scope() as session:
        for position, city in enumerate((f"Porto {tag}", f"Faro {tag}"), start=1):
            row = City(name=city, country="Portugal")
            session.add(row)
            session.flush()
            session.add(TripCity(trip_id=trip_id, city_id=row.id, position=position))
        assert session.exec(select(TripCity).where(TripCity.trip_id == trip_id)).all()
    alice.goto(f"/trips/{trip_id}")
    rows = city_rows(alice).get_by_role("listitem")
    expect(rows).to_have_count(2)
    expect(city_rows(alice)).to_contain_text(re.compile(f"1\\.Porto {tag}.*2\\.Faro {tag}"))
    box = rows.nth(1).bounding_box()
    rows.nth(0).drag_to(rows.nth(1), target_position={"x": 20, "y": box["height"] - 4})
    expect(city_rows(alice)).to_contain_text(re.compile(f"1\\.Faro {tag}.*2\\.Porto {tag}"))
