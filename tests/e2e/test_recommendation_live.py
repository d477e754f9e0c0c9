"""The detail page remembers you and stays live (issue 15 item 7, issue 8 items 2 and 4).

Your own rating is selected again when you come back, the share count is shown and
moves for every viewer, and a second tab of the same person follows likes, saves and
ratings made in the first, review text included. Tabs leaving the page stop receiving
its pushes (client-side navigation unmounts the page).
"""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support.people import create_member, create_place, log_in_as

pytestmark = pytest.mark.journeys

LIVE_MS = 2_000


def person(browser: Browser, base_url: str, username: str, email: str) -> Page:
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, username, email=email)
    return page


def open_place(page: Page, place: int, title: str) -> None:
    page.goto(f"/recommendations/{place}")
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


def test_your_rating_is_selected_when_you_come_back(browser: Browser, base_url: str) -> None:
    create_member("back_author")
    email = create_member("back_rater")
    place = create_place("back_author", title="Come Back Cafe")
    rater = person(browser, base_url, "back_rater", email)
    open_place(rater, place, "Come Back Cafe")
    rater.get_by_label("4 ★").check()
    rater.get_by_label("Review (optional)").fill("Worth a second visit")
    rater.get_by_role("button", name="Submit rating").click()
    expect(rater.get_by_text("Average 4.0 from 1 rating")).to_be_visible()

    rater.goto("/city/toronto")  # elsewhere, then back in the same tab
    open_place(rater, place, "Come Back Cafe")
    expect(rater.get_by_label("4 ★")).to_be_checked()
    expect(rater.get_by_label("Review (optional)")).to_have_value("Worth a second visit")

    rater.reload()  # a fresh page load
    expect(rater.get_by_label("4 ★")).to_be_checked()
    expect(rater.get_by_label("3 ★")).not_to_be_checked()


def test_share_count_is_shown_and_live(browser: Browser, base_url: str) -> None:
    create_member("share_author")
    email = create_member("share_fan")
    place = create_place("share_author", title="Share Me Noodles")
    visitor = browser.new_context(base_url=base_url).new_page()
    open_place(visitor, place, "Share Me Noodles")
    expect(visitor.get_by_label("shares")).to_have_text("0")

    fan = person(browser, base_url, "share_fan", email)
    open_place(fan, place, "Share Me Noodles")
    fan.get_by_role("button", name=re.compile("^Share")).click()
    fan.get_by_role("menuitem", name="Email").click()
    for page in (fan, visitor):
        expect(page.get_by_label("shares")).to_have_text("1", timeout=LIVE_MS)


def test_a_second_tab_follows_likes_saves_and_ratings(browser: Browser, base_url: str) -> None:
    create_member("twin_author")
    email = create_member("twin_fan")
    place = create_place("twin_author", title="Twin Tabs Tavern")
    first = person(browser, base_url, "twin_fan", email)
    second = first.context.new_page()
    for page in (first, second):
        open_place(page, place, "Twin Tabs Tavern")

    first.get_by_role("button", name=re.compile("^Like")).click()
    first.get_by_role("button", name=re.compile("^Save")).click()
    expect(second.get_by_role("button", name=re.compile("^Liked"))).to_be_visible(timeout=LIVE_MS)
    expect(second.get_by_role("button", name=re.compile("^Saved"))).to_be_visible(timeout=LIVE_MS)

    first.get_by_label("2 ★").check()
    first.get_by_label("Review (optional)").fill("Loud but friendly")
    first.get_by_role("button", name="Submit rating").click()
    expect(second.get_by_label("2 ★")).to_be_checked(timeout=LIVE_MS)
    expect(second.get_by_label("Review (optional)")).to_have_value(
        "Loud but friendly", timeout=LIVE_MS
    )
    expect(second.get_by_role("paragraph").filter(has_text="Loud but friendly")).to_be_visible(
        timeout=LIVE_MS
    )
