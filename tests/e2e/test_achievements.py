"""Achievements (PRODUCT.md §7.26, §4.7, §6.5): a first recommendation unlocks First Steps
and Bronze Achiever, each with a live notification, one celebration pop-up across the
earner's open tabs, and /achievements showing 2 / 17 live. axe on /achievements.

Two tabs of one person are two pages of one browser context (one cookie, a tab token
each). The unlock comes from the real Publish button.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.people import create_member, log_in_as, member_username

pytestmark = pytest.mark.journeys

LIVE_MS = 2_000
TOTAL = 17
POPUP = "Achievement unlocked"
DESCRIPTION = "Tiny espresso bar with window seats and the best cinnamon buns in town."


def popup(page: Page) -> Locator:
    return page.get_by_role("region", name=POPUP)


def badge(page: Page, name: str) -> Locator:
    return page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=name))


def open_achievements(page: Page) -> None:
    page.goto("/achievements")
    expect(page.get_by_role("heading", name="Achievements", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Badges", level=2)).to_be_visible()


def completed(page: Page) -> Locator:
    return page.get_by_role("region", name="Your progress").get_by_text(
        re.compile(rf"^\d+ / {TOTAL}$")
    )


def publish_first_recommendation(page: Page) -> None:
    page.goto("/recommendations/create")
    page.get_by_label("Category", exact=True).select_option(label="Restaurant")
    page.get_by_label("Title", exact=True).fill("Carol's first café")
    page.get_by_label("City", exact=True).fill("Toronto, Canada")
    page.get_by_label("Address", exact=True).fill("12 Queens Quay W, Toronto")
    page.get_by_label("Description", exact=True).fill(DESCRIPTION)
    page.get_by_role("group", name="Your rating").get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Publish").click()
    expect(page).to_have_url(re.compile(r"/recommendations/\d+/?$"))


def test_first_recommendation_unlocks_two_badges_once_across_tabs(
    browser: Browser, base_url: str
) -> None:
    """§7.26: First Steps and Bronze Achiever unlock live; one pop-up in one of two tabs."""
    email = create_member("ach_carol")
    context = browser.new_context(base_url=base_url)
    writer = context.new_page()
    log_in_as(writer, "ach_carol", email=email)
    watcher = context.new_page()
    open_achievements(watcher)
    expect(completed(watcher)).to_have_text(f"0 / {TOTAL}")
    expect(badge(watcher, "First Steps").get_by_text("Locked", exact=True)).to_be_visible()
    expect(badge(watcher, "First Steps").get_by_text("Progress 0 / 1")).to_be_visible()

    publish_first_recommendation(writer)

    # Live: /achievements in the other tab counts them, and both bells ring twice.
    expect(completed(watcher)).to_have_text(f"2 / {TOTAL}", timeout=LIVE_MS)
    for tab in (writer, watcher):
        expect(tab.get_by_role("button", name="Notifications, 2 unread")).to_be_visible(
            timeout=LIVE_MS
        )
    # Both tabs answered the unlock (claimed or found it claimed): one shows the pop-up.
    for tab in (writer, watcher):
        expect(tab.locator('[data-unlocks-handled="1"]')).to_have_count(1, timeout=LIVE_MS)
    shown_in = [tab for tab in (writer, watcher) if popup(tab).count()]
    assert len(shown_in) == 1
    winner = shown_in[0]
    shown = popup(winner)
    expect(shown.get_by_text("First Steps", exact=True)).to_be_visible()
    expect(shown.get_by_text("Bronze Achiever", exact=True)).to_be_visible()
    assert blocking_violations(winner, "section[aria-labelledby='achievement-popup-title']") == []

    for name in ("First Steps", "Bronze Achiever"):
        card = badge(watcher, name)
        expect(card.get_by_text("Earned", exact=True)).to_be_visible()
        expect(card.get_by_text(re.compile(r"^Earned .+"))).to_be_visible()
    expect(badge(watcher, "Trusted Advisor").get_by_text("Locked", exact=True)).to_be_visible()
    summary = watcher.get_by_role("region", name="Your progress")
    expect(summary.get_by_text("11%", exact=True)).to_be_visible()
    expect(summary.get_by_text("15", exact=True)).to_be_visible()
    expect(
        summary.get_by_role("link", name=re.compile(r"^#\d+ on the leaderboard$"))
    ).to_be_visible()
    expect(watcher.get_by_role("progressbar", name="2 of 4 bronze badges earned")).to_be_visible()

    shown.get_by_role("button", name="Close").click()
    expect(popup(winner)).to_have_count(0)
    # Once: opening pages again celebrates nothing.
    for tab in (writer, watcher):
        tab.reload()
        expect(tab.get_by_role("button", name="Notifications, 2 unread")).to_be_visible()
        expect(popup(tab)).to_have_count(0)

    # Her profile's achievements tab: every badge for her, with progress.
    username = member_username("ach_carol")
    writer.goto(f"/profile/{username}?tab=achievements")
    expect(badge(writer, "First Steps").get_by_text("Earned", exact=True)).to_be_visible()
    expect(badge(writer, "City Explorer").get_by_text("Progress 1 / 5")).to_be_visible()
    # Others see only the earned badges, without progress or dates.
    visitor = browser.new_context(base_url=base_url).new_page()
    visitor.goto(f"/profile/{username}?tab=achievements")
    expect(badge(visitor, "First Steps")).to_be_visible()
    expect(badge(visitor, "Bronze Achiever")).to_be_visible()
    expect(badge(visitor, "Trusted Advisor")).to_have_count(0)
    expect(visitor.get_by_text(re.compile(r"^Progress "))).to_have_count(0)
    context.close()


def test_recently_earned_is_live_for_others(browser: Browser, base_url: str) -> None:
    """Someone else's unlock appears in "Recently earned" on an open /achievements."""
    email = create_member("ach_onlooker")
    onlooker = browser.new_context(base_url=base_url).new_page()
    log_in_as(onlooker, "ach_onlooker", email=email)
    open_achievements(onlooker)
    earner_email = create_member("ach_earner")
    earner = browser.new_context(base_url=base_url).new_page()
    log_in_as(earner, "ach_earner", email=earner_email)
    publish_first_recommendation(earner)
    recent = onlooker.get_by_role("list", name="Recently earned")
    name = member_username("ach_earner")
    expect(recent.get_by_role("listitem").filter(has_text=f"@{name}").first).to_be_visible(
        timeout=LIVE_MS
    )


@pytest.mark.parametrize("size", [(1280, 900), (390, 844)], ids=["desktop", "mobile"])
def test_achievements_page_accessibility(browser: Browser, base_url: str, size) -> None:
    email = create_member(f"ach_axe_{size[0]}")
    page = browser.new_context(
        base_url=base_url, viewport={"width": size[0], "height": size[1]}
    ).new_page()
    log_in_as(page, f"ach_axe_{size[0]}", email=email)
    open_achievements(page)
    expect(page.get_by_role("heading", name="Bronze", level=3)).to_be_visible()
    # The page's own content (the header's chrome is checked by its own journeys).
    assert blocking_violations(page, "#main-content") == []
