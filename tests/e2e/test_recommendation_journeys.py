"""PRODUCT.md §7.10 live like and save, §7.11 rating and views, §7.12 visibility."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from citypulse.db import session_scope
from citypulse.models import Notification, Recommendation
from tests.e2e.support.people import create_member, create_place, log_in_as, make_buddies

pytestmark = pytest.mark.journeys

LIVE_MS = 2_000
NOT_FOUND = "404 — Page Not Found"


def person(browser: Browser, base_url: str, username: str, email: str) -> Page:
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, username, email=email)
    return page


def likes_of(page: Page):
    return page.get_by_label("likes")


def test_live_like_and_save(browser: Browser, base_url: str) -> None:
    author_email, fan_email = create_member("rec_author"), create_member("rec_fan")
    place = create_place("rec_author", title="Harbourfront Dumplings")
    author = person(browser, base_url, "rec_author", author_email)
    fan_one = person(browser, base_url, "rec_fan", fan_email)
    fan_two = fan_one.context.new_page()
    for page in (author, fan_one, fan_two):
        page.goto(f"/recommendations/{place}")
        expect(page.get_by_role("heading", name="Harbourfront Dumplings", level=1)).to_be_visible()

    fan_one.get_by_role("button", name=re.compile("^Like")).click()
    fan_one.get_by_role("button", name=re.compile("^Save")).click()
    for page in (author, fan_one, fan_two):
        expect(likes_of(page)).to_have_text("1", timeout=LIVE_MS)
        expect(page.get_by_label("saves")).to_have_text("1", timeout=LIVE_MS)
    expect(fan_two.get_by_role("button", name=re.compile("^Liked"))).to_be_visible(timeout=LIVE_MS)

    fan_one.get_by_role("button", name=re.compile("^Liked")).click()
    fan_one.get_by_role("button", name=re.compile("^Like")).click()
    expect(likes_of(author)).to_have_text("1", timeout=LIVE_MS)
    with session_scope() as session:
        notices = session.exec(
            select(Notification).where(
                Notification.type == "recommendation_like", Notification.target_id == place
            )
        ).all()
    assert len(notices) == 1
    expect(author.get_by_role("button", name=re.compile("^Like"))).to_be_disabled()


def test_rating_and_views(browser: Browser, base_url: str) -> None:
    author_email, rater_email = create_member("rated_author"), create_member("rater")
    place = create_place("rated_author", title="Night Market Noodles")
    rater = person(browser, base_url, "rater", rater_email)
    for _ in range(3):
        rater.goto(f"/recommendations/{place}")
        expect(rater.get_by_role("heading", name="Night Market Noodles")).to_be_visible()
    rater.get_by_label("5 ★").check()
    rater.get_by_label("Review (optional)").fill("Best noodles of the whole trip, go hungry!")
    rater.get_by_role("button", name="Submit rating").click()
    expect(rater.get_by_role("paragraph").filter(has_text="Best noodles")).to_be_visible()
    rater.get_by_label("3 ★").check()
    rater.get_by_role("button", name="Submit rating").click()
    expect(rater.get_by_text("Average 3.0 from 1 rating")).to_be_visible()

    author = person(browser, base_url, "rated_author", author_email)
    author.goto(f"/recommendations/{place}")
    expect(author.get_by_text("You cannot rate your own recommendation")).to_be_visible()
    author.goto(f"/recommendations/{place}")
    with session_scope() as session:
        stored = session.get(Recommendation, place)
        assert stored.views_count == 1  # three visits by the rater, none by the author
        assert stored.ratings_count == 1


def test_visibility_for_visitor_buddy_and_stranger(browser: Browser, base_url: str) -> None:
    create_member("vis_owner")
    buddy_email, stranger_email = create_member("vis_buddy"), create_member("vis_stranger")
    make_buddies("vis_owner", "vis_buddy")
    public = create_place("vis_owner", title="Public Viewpoint")
    buddies_only = create_place("vis_owner", title="Buddies Bar", visibility="friends_only")
    private = create_place("vis_owner", title="Secret Spot", visibility="private")

    visitor = browser.new_context(base_url=base_url).new_page()
    buddy = person(browser, base_url, "vis_buddy", buddy_email)
    stranger = person(browser, base_url, "vis_stranger", stranger_email)
    expected = {
        visitor: (True, False, False),
        buddy: (True, True, False),
        stranger: (True, False, False),
    }
    places = ((public, "Public Viewpoint"), (buddies_only, "Buddies Bar"), (private, "Secret Spot"))
    for page, visible in expected.items():
        for (place, title), sees in zip(places, visible, strict=True):
            page.goto(f"/recommendations/{place}")
            expect(page.get_by_role("heading", level=1)).to_have_text(title if sees else NOT_FOUND)


@pytest.mark.destructive
def test_author_deletes_after_confirming(browser: Browser, base_url: str) -> None:
    email = create_member("deleter")
    place = create_place("deleter", title="Soon Gone Cafe")
    page = person(browser, base_url, "deleter", email)
    page.goto(f"/recommendations/{place}")
    page.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog.get_by_text("This cannot be undone")).to_be_visible()
    dialog.get_by_role("button", name="Delete").click()
    expect(page).to_have_url(re.compile(r"/profile/deleter/?$"))
    expect(page.get_by_text("Soon Gone Cafe")).to_have_count(0)
    page.goto(f"/recommendations/{place}")
    expect(page.get_by_role("heading", level=1)).to_have_text(NOT_FOUND)


@pytest.mark.demo_data
def test_carousel_autoplays_every_five_seconds_until_paused(page: Page) -> None:
    page.clock.install()
    page.goto("/city/toronto")
    page.get_by_role("heading", name="Toronto Island Park").first.click()
    photos = page.get_by_role("region", name="Photos")
    expect(photos.get_by_role("img", name="Toronto Island Park")).to_be_visible()

    page.clock.run_for(5_000)
    expect(photos.get_by_role("img", name="Toronto nearby")).to_be_visible()

    photos.get_by_role("button", name="Pause slideshow").click()
    expect(photos.get_by_role("button", name="Play slideshow")).to_be_visible()
    page.mouse.click(5, 5)  # move focus out of the carousel; pausing must still hold
    page.clock.run_for(10_000)
    expect(photos.get_by_role("img", name="Toronto nearby")).to_be_visible()
