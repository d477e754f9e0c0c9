"""Polish a newcomer notices (issue 15 item 10).

Counts say their unit in the right number, required fields are marked, the first field
the server refuses is scrolled to and focused, /login says why after an idle sign-out,
nothing scrolls sideways or overflows its button on a phone, and the owner's saved and
liked tabs are cards like the recommendations tab.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.people import create_member, create_place, log_in_as

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Elements wider than the viewport, and controls whose text does not fit inside them.
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"
OVERFLOWING_CONTROLS = """
() => Array.from(document.querySelectorAll('button, .rt-Button, [role=tab], .rt-Badge'))
  .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1)
  .map(el => el.outerHTML.slice(0, 160))
"""


def assert_accessible_at_both_sizes(page: Page) -> None:
    """axe-core on the page's own content (the shared header is checked by its owners)."""
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        violations = blocking_violations(page, "main")
        assert not violations, f"{size}: {violations}"


def test_counts_say_their_unit(browser: Browser, base_url: str) -> None:
    create_member("counted_author")
    place = create_place("counted_author", title="Quiet Counting Cafe")
    visitor = browser.new_context(base_url=base_url).new_page()
    visitor.goto(f"/recommendations/{place}")
    expect(visitor.get_by_text("1 view", exact=True)).to_be_visible()  # this first visit
    expect(visitor.get_by_text("No ratings yet", exact=True).first).to_be_visible()
    expect(visitor.get_by_text("(0)")).to_have_count(0)
    visitor.goto("/profile/counted_author")
    card = visitor.get_by_role("listitem").filter(has_text="Quiet Counting Cafe")
    expect(card.get_by_text("No ratings yet")).to_be_visible()
    expect(card.get_by_text("0 likes")).to_be_visible()


def test_saved_and_liked_tabs_are_cards(browser: Browser, base_url: str) -> None:
    create_member("saved_author")
    place = create_place("saved_author", title="Saved As A Card Bakery")
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, "card_saver", email=create_member("card_saver"))
    page.goto(f"/recommendations/{place}")
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.get_by_role("button", name=re.compile("^Saved"))).to_be_visible()
    page.get_by_role("button", name=re.compile("^Like")).click()
    expect(page.get_by_role("button", name=re.compile("^Liked"))).to_be_visible()
    for tab in ("saved", "liked"):
        page.goto(f"/profile/card_saver?tab={tab}")
        card = page.get_by_role("listitem").filter(
            has=page.get_by_role("heading", level=3, name="Saved As A Card Bakery")
        )
        expect(card).to_be_visible()
        expect(card.get_by_text("by Test Traveller (@saved_author)")).to_be_visible()
        expect(card.get_by_role("link")).to_have_attribute("href", f"/recommendations/{place}")
    assert_accessible_at_both_sizes(page)


def test_required_fields_are_marked(page: Page) -> None:
    page.goto("/signup")
    expect(page.get_by_text("marks a required field")).to_be_visible()
    for label in ("Username", "Full name", "Email", "Password", "Confirm password"):
        expect(page.get_by_label(label, exact=True)).to_have_attribute("aria-required", "true")
    page.goto("/login")
    expect(page.get_by_text("marks a required field")).to_be_visible()
    expect(page.get_by_label("Email", exact=True)).to_have_attribute("aria-required", "true")


def test_the_first_refused_field_is_focused(browser: Browser, base_url: str) -> None:
    page = browser.new_context(base_url=base_url, viewport=PHONE).new_page()
    log_in_as(page, "focus_author", email=create_member("focus_author"))
    page.goto("/recommendations/create")
    expect(page.get_by_text("marks a required field")).to_be_visible()
    category = page.get_by_label("Category", exact=True)
    expect(category).to_have_attribute("aria-required", "true")
    page.get_by_label("Address", exact=True).fill("1 Somewhere Street")
    page.get_by_role("button", name="Publish").click()
    expect(category).to_have_attribute("aria-invalid", "true")
    expect(category).to_be_focused()
    expect(category).to_be_in_viewport()


def test_login_says_why_after_an_idle_sign_out(page: Page) -> None:
    page.goto("/login?next=%2Fsettings&reason=idle")
    expect(page.get_by_role("status")).to_have_text(
        "You were signed out after 15 minutes without activity. Log in to continue."
    )


@pytest.mark.parametrize(
    "path", ["/", "/about", "/features", "/login", "/signup", "/city/toronto", "/profile/alice"]
)
def test_nothing_scrolls_sideways_or_overflows_on_a_phone(
    browser: Browser, base_url: str, path: str
) -> None:
    page = browser.new_context(base_url=base_url, viewport=PHONE).new_page()
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate(SIDEWAYS) <= 0
    assert page.evaluate(OVERFLOWING_CONTROLS) == []
