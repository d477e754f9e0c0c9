"""Trips in a real browser (issue 12): an activity's coordinates, "Add to calendar"
downloading the trip's .ics (parsed with icalendar, matching the itinerary), a Place's
notes edited on the Places tab, and a cover photo uploaded through the edit form and
shown on the trip page with its alt text. axe on the dialogs.

The trips are arranged in the test database (harness only); everything checked goes
through the UI.
"""

from __future__ import annotations

import re
import secrets
from datetime import date, time
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.people import create_member, log_in_as
from tests.support.images import encode, pattern

pytestmark = [
    pytest.mark.journeys,
    pytest.mark.harness_only("arranges the trip in the test database"),
]

NO_RUNNING_ANIMATION = "() => document.getAnimations().every(a => a.playState !== 'running')"


def person(browser: Browser, base_url: str, name: str) -> Page:
    email = create_member(name)
    page = browser.new_context(base_url=base_url, accept_downloads=True).new_page()
    log_in_as(page, name, email=email)
    return page


def no_axe_problems(page: Page, where: str) -> None:
    page.mouse.move(0, 0)
    page.wait_for_function(NO_RUNNING_ANIMATION)
    problems = blocking_violations(page)
    assert problems == [], f"{where}: " + "\n".join(problems)


def arrange_trip(owner: str, title: str, *, place_title: str = "") -> int:
    """A dated private trip of `owner` (10–12 June next year); with `place_title`, one of
    the owner's public recommendations on it as a wishlist Place."""
    from sqlmodel import select

    from citypulse.db import session_scope
    from citypulse.models import (
        Category,
        Recommendation,
        Trip,
        TripCompanion,
        TripRecommendation,
        User,
    )

    year = date.today().year + 1
    with session_scope() as session:
        user = session.exec(select(User).where(User.username == owner)).one()
        trip = Trip(owner_id=user.id, title=title, visibility="private",
                    start_date=date(year, 6, 10), end_date=date(year, 6, 12))  # fmt: skip
        session.add(trip)
        session.flush()
        session.add(TripCompanion(trip_id=trip.id, user_id=user.id, role="owner",
                                  status="accepted"))  # fmt: skip
        if place_title:
            category = session.exec(select(Category).order_by(Category.id)).first()
            rec = Recommendation(author_id=user.id, visibility="public", category_id=category.id,
                                 title=place_title, description="A place for the notes test.",
                                 address="1 Test street", author_rating=4)  # fmt: skip
            session.add(rec)
            session.flush()
            session.add(TripRecommendation(trip_id=trip.id, recommendation_id=rec.id,
                                           added_by_id=user.id))  # fmt: skip
        return trip.id


def test_activity_coordinates_and_the_calendar_download(browser: Browser, base_url: str) -> None:
    """Coordinates out of range are a field error; valid ones show on the activity; "Add
    to calendar" downloads an .ics that parses and matches the itinerary (GEO included)."""
    tag = secrets.token_hex(3)
    name = f"ics_alice_{tag}"
    alice = person(browser, base_url, name)
    title = f"Calendar trip {tag}"
    trip_id = arrange_trip(name, title)
    year = date.today().year + 1

    alice.goto(f"/trips/{trip_id}?tab=itinerary")
    alice.get_by_role("button", name="Add activity").click()
    dialog = alice.get_by_role("dialog", name="Add activity")
    dialog.get_by_label("Title *").fill("CN Tower")
    dialog.get_by_label("Date").fill(f"{year}-06-11")
    dialog.get_by_label("Start time").fill("09:30")
    dialog.get_by_label("Duration (minutes)").fill("90")
    dialog.get_by_label("Latitude").fill("95")
    dialog.get_by_label("Longitude").fill("-79.3871")
    dialog.get_by_role("button", name="Save activity").click()
    expect(dialog.get_by_text("Latitude must be between -90 and 90")).to_be_visible()
    expect(dialog.get_by_label("Latitude")).to_have_attribute("aria-invalid", "true")
    no_axe_problems(alice, "activity dialog with a coordinate error")
    dialog.get_by_label("Latitude").fill("43.6426")
    dialog.get_by_role("button", name="Save activity").click()
    expect(dialog).to_have_count(0)
    day = alice.get_by_role("region", name=f"Day 2 · 11 Jun {year}")
    expect(day.get_by_role("heading", name="CN Tower")).to_be_visible()
    expect(day.get_by_role("link", name=re.compile("^Coordinates of CN Tower"))).to_have_text(
        "Coordinates: 43.642600, -79.387100"
    )

    alice.get_by_role("navigation", name="Trip sections").get_by_role(
        "link", name="Overview"
    ).click()
    with alice.expect_download() as download_info:
        alice.get_by_role("link", name="Add to calendar").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    events = {str(e.get("summary")): e for e in calendar.walk("VEVENT")}
    assert set(events) == {title, "CN Tower"}
    assert (events[title].decoded("dtstart"), events[title].decoded("dtend")) == (
        date(year, 6, 10),
        date(year, 6, 13),
    )
    tower = events["CN Tower"]
    assert tower.decoded("dtstart").date() == date(year, 6, 11)
    assert tower.decoded("dtstart").time() == time(9, 30)
    assert (tower.decoded("dtend") - tower.decoded("dtstart")).total_seconds() == 90 * 60
    geo = tower.get("geo")
    assert (geo.latitude, geo.longitude) == (43.6426, -79.3871)


def test_place_notes_are_edited_on_the_places_tab(browser: Browser, base_url: str) -> None:
    tag = secrets.token_hex(3)
    name = f"notes_alice_{tag}"
    alice = person(browser, base_url, name)
    place = f"Time Out Market {tag}"
    trip_id = arrange_trip(name, f"Notes trip {tag}", place_title=place)

    alice.goto(f"/trips/{trip_id}?tab=places")
    expect(alice.get_by_role("link", name=place)).to_be_visible()
    alice.get_by_role("button", name=f"Add notes to {place}").click()
    dialog = alice.get_by_role("dialog", name=f"Notes on {place}")
    dialog.get_by_label("Notes").fill("Go early, before the lunch rush")
    no_axe_problems(alice, "Place notes dialog")
    dialog.get_by_role("button", name="Save notes").click()
    expect(dialog).to_have_count(0)
    expect(alice.get_by_text("Go early, before the lunch rush")).to_be_visible()
    expect(alice.get_by_role("combobox", name="Status")).to_have_value("wishlist")

    alice.reload()
    expect(alice.get_by_text("Go early, before the lunch rush")).to_be_visible()
    alice.get_by_role("button", name=f"Edit notes of {place}").click()
    dialog = alice.get_by_role("dialog", name=f"Notes on {place}")
    expect(dialog.get_by_label("Notes")).to_have_value("Go early, before the lunch rush")
    dialog.get_by_label("Notes").fill("")
    dialog.get_by_role("button", name="Save notes").click()
    expect(dialog).to_have_count(0)
    expect(alice.get_by_text("Go early, before the lunch rush")).to_have_count(0)
    expect(alice.get_by_role("button", name=f"Add notes to {place}")).to_be_visible()


def test_cover_photo_upload_shows_on_the_trip_page(browser: Browser, base_url: str) -> None:
    """A real file through the edit form's file input: the preview, then after saving the
    trip page's cover with its alt text, loaded (a decoded image, 3:1 as cropped)."""
    tag = secrets.token_hex(3)
    name = f"cover_alice_{tag}"
    alice = person(browser, base_url, name)
    title = f"Cover trip {tag}"
    trip_id = arrange_trip(name, title)

    alice.goto(f"/trips/{trip_id}/edit")
    expect(alice.get_by_role("heading", name="Edit trip", level=1)).to_be_visible()
    expect(alice.get_by_role("img", name="Chosen cover image")).to_have_count(0)
    alice.get_by_label("Cover image file").set_input_files(
        {
            "name": "harbour.jpg",
            "mimeType": "image/jpeg",
            "buffer": encode(pattern((900, 450)), "JPEG", quality=85),
        }
    )
    expect(alice.get_by_role("img", name="Chosen cover image")).to_be_visible()
    no_axe_problems(alice, "edit form with a chosen cover")
    alice.get_by_role("button", name="Save trip").click()

    expect(alice).to_have_url(re.compile(f"/trips/{trip_id}/?$"))
    cover = alice.get_by_role("img", name=f"Cover of {title}")
    expect(cover).to_be_visible()
    expect(cover).to_have_js_property("complete", True)
    width = cover.evaluate("img => img.naturalWidth")
    height = cover.evaluate("img => img.naturalHeight")
    assert width > 0 and height > 0
    assert abs(width / height - 3.0) < 0.05, (width, height)
