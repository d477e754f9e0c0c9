"""Share link (PRODUCT.md §7.25, §4.6.10): a visitor opens alice's friends_only trip by
its link and reads the overview and itinerary with no comments or member names; after
alice revokes it, the link gives 404. axe on the shared page."""

from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.people import create_member, log_in_as

NO_RUNNING_ANIMATION = "() => document.getAnimations().every(a => a.playState !== 'running')"

pytestmark = [
    pytest.mark.journeys,
    pytest.mark.harness_only("arranges the trip's itinerary in the test database"),
]


def person(browser: Browser, base_url: str, name: str) -> Page:
    email = create_member(name)
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, name, email=email)
    return page


def no_axe_problems(page: Page, where: str) -> None:
    page.mouse.move(0, 0)
    page.wait_for_function(NO_RUNNING_ANIMATION)
    problems = blocking_violations(page)
    assert problems == [], f"{where}: " + "\n".join(problems)


def arrange_trip(owner: str, title: str) -> int:
    """alice's friends_only trip with one day-1 activity, straight in the database."""
    from sqlmodel import select

    from citypulse.db import session_scope
    from citypulse.models import ItineraryItem, Trip, TripCompanion, User

    with session_scope() as session:
        user = session.exec(select(User).where(User.username == owner)).one()
        trip = Trip(
            owner_id=user.id,
            title=title,
            visibility="friends_only",
            description="Ferries and pastries.",
        )
        session.add(trip)
        session.flush()
        session.add(
            TripCompanion(trip_id=trip.id, user_id=user.id, role="owner", status="accepted")
        )
        session.add(
            ItineraryItem(trip_id=trip.id, day_number=1, title="Tram 28 ride", added_by_id=user.id)
        )
        return trip.id


def test_journey_7_25_share_link_read_only_then_revoked(browser: Browser, base_url: str) -> None:
    tag = secrets.token_hex(3)
    name = f"share_alice_{tag}"
    alice = person(browser, base_url, name)
    title = f"Lisbon with friends {tag}"
    trip_id = arrange_trip(name, title)

    alice.goto(f"/trips/{trip_id}")
    alice.get_by_role("button", name="Create share link").click()
    link = alice.get_by_label("Share link")
    expect(link).to_be_visible()
    url = link.input_value()
    assert f"/trips/{trip_id}?share=" in url
    path = url[url.index("/trips/") :]

    visitor = browser.new_context(base_url=base_url).new_page()
    visitor.goto(path)
    expect(visitor.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(visitor.get_by_text("Ferries and pastries.")).to_be_visible()
    expect(visitor.get_by_text("Read-only")).to_be_visible()
    sections = visitor.get_by_role("navigation", name="Trip sections")
    expect(sections.get_by_role("link", name="Comments")).to_have_count(0)
    expect(sections.get_by_role("link", name="Companions")).to_have_count(0)
    expect(visitor.get_by_text("Planned by")).to_have_count(0)
    expect(visitor.get_by_text(name)).to_have_count(0)
    expect(visitor.get_by_role("button", name="Create share link")).to_have_count(0)
    no_axe_problems(visitor, "shared overview")
    sections.get_by_role("link", name="Itinerary").click()
    expect(visitor.get_by_role("heading", name="Tram 28 ride")).to_be_visible()
    expect(visitor.get_by_role("button", name="Add activity")).to_have_count(0)
    expect(visitor.get_by_role("button", name="Edit Tram 28 ride")).to_have_count(0)
    no_axe_problems(visitor, "shared itinerary")

    alice.get_by_role("button", name="Revoke link").click()
    expect(alice.get_by_text("Share link revoked")).to_be_visible()
    visitor.goto(path)
    expect(visitor.get_by_role("heading", name="404 — Page Not Found")).to_be_visible()
