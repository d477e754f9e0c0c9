"""The feed on /dashboard (issue 11, PRODUCT.md §4.9, §6.7): journey §7.18 and axe.

§7.18: given 45 visible recommendations, alice scrolls For You, Buddies and Trending to
the end while bob publishes: no tab repeats an item, and the "N new posts" pill appears
(live, without reordering the open list); clicking it starts over with the new post on
top. Harness only: the 45 places, their likes and the trending refresh are arranged in
the test database, and bob publishes through the service in the app's own process (so
the after-commit event reaches the live path exactly as the create form's would); at the
end bob's new trip raises the pill too.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from citypulse.db import session_scope
from citypulse.models import Category, FeedRanking, FeedSnapshot, Like, Save, User, View
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.feed.trending import trending_refresh
from citypulse.services.recommendations.commands import recommendation_create
from citypulse.services.recommendations.forms import RecommendationForm
from citypulse.services.trips.trips import TripForm, trip_create
from citypulse.services.unit_of_work import run_transaction
from tests.e2e.support import target
from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.people import create_member, create_place, log_in_as, make_buddies

pytestmark = pytest.mark.journeys

PLACES = 45
CAUGHT_UP = "You're all caught up"
PILL = re.compile(r"^\d+ new posts?$")
MORE_OR_DONE = """([before, done]) =>
    document.querySelectorAll('.feed-card').length > before
    || document.body.innerText.includes(done)"""


def _arrange(stem: str) -> tuple[str, str, str]:
    """alice and bob (buddies), 45 places by bob liked by a fan an hour ago, trending fresh."""
    alice, bob, fan = f"{stem}_alice", f"{stem}_bob", f"{stem}_fan"
    alice_email = create_member(alice)
    create_member(bob)
    create_member(fan)
    make_buddies(alice, bob)
    ids = [create_place(bob, title=f"{stem} place {n:02d}") for n in range(1, PLACES + 1)]
    with session_scope() as session:
        fan_id = session.exec(select(User.id).where(User.username == fan)).one()
        hour_ago = datetime.now(UTC) - timedelta(hours=1)
        session.add_all(
            Like(recommendation_id=rid, user_id=fan_id, created_at=hour_ago) for rid in ids
        )
    run_transaction(lambda db: trending_refresh(db, datetime.now(UTC)))
    return alice, alice_email, bob


def _dashboard_of_alice(browser: Browser, base_url: str, stem: str) -> tuple[Page, str, str]:
    """`_arrange`d, then alice signed in on her dashboard with its first cards shown;
    returns her page, her username and bob's."""
    alice, alice_email, bob = _arrange(stem)
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, alice, email=alice_email)
    expect(page.locator(".feed-card").first).to_be_visible()
    return page, alice, bob


def _actor(db, username: str) -> Viewer:
    user = db.exec(select(User).where(User.username == username)).one()
    return Viewer(user_id=user.id, username=user.username, full_name=user.full_name,
                  role=user.role, status=user.account_status, family_id=uuid.uuid4(),
                  suspended_until=None)  # fmt: skip


def _publish(bob: str, title: str) -> None:
    """bob publishes through the service: the after-commit event takes the live path."""

    def create(db):
        actor = _actor(db, bob)
        category = db.exec(select(Category).where(Category.name == "Restaurant")).one()
        form = RecommendationForm(
            category_id=category.id, title=title, city_text="Lisbon, Portugal",
            description="Published while alice was scrolling her feed.",
            address="Rua Augusta 1", author_rating=4,
        )  # fmt: skip
        return recommendation_create(db, actor=actor, form=form, now=datetime.now(UTC))

    run_transaction(create)


def _create_trip(bob: str, title: str) -> None:
    """bob creates a public trip through the service (after commit: the live path)."""
    form = TripForm(title=title, visibility="public")
    run_transaction(
        lambda db: trip_create(db, actor=_actor(db, bob), form=form, now=datetime.now(UTC))
    )


def _titles(page: Page) -> list[str]:
    return page.locator(".feed-card h3").all_inner_texts()


def _card_links(page: Page) -> list[str]:
    """Each card's link to its place: titles need not be unique (other tests' places)."""
    return page.locator(".feed-card a:has(h3)").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )


def _scroll_to_end(page: Page) -> list[str]:
    """Scroll until the list says it is caught up; every title shown, in order."""
    for _ in range(PLACES):  # a page of 10 per round at most
        if page.get_by_text(CAUGHT_UP).is_visible():
            break
        before = len(_titles(page))
        page.locator(".feed-card").last.scroll_into_view_if_needed()
        page.mouse.wheel(0, 4000)
        page.wait_for_function(MORE_OR_DONE, arg=[before, CAUGHT_UP])
    expect(page.get_by_text(CAUGHT_UP)).to_be_visible()
    return _titles(page)


def _open_tab(page: Page, name: str) -> None:
    page.get_by_role("group", name="Feed").get_by_role("button", name=name, exact=True).click()
    expect(
        page.get_by_role("group", name="Feed").get_by_role("button", name=name, exact=True)
    ).to_have_attribute("aria-pressed", "true")


def _expect_no_repeats(links: list[str], titles: list[str], stem: str) -> None:
    ours = [title for title in titles if title.startswith(stem)]
    assert len(links) == len(titles) and len(links) == len(set(links)), (links, titles)
    assert len(ours) >= PLACES, ours


def test_journey_7_18_no_repeats_while_bob_publishes_and_the_pill_appears(
    browser: Browser, base_url: str
) -> None:
    target.needs_harness("arranges 45 places, likes and the trending refresh in the database")
    stem = "feed718"
    page, _, bob = _dashboard_of_alice(browser, base_url, stem)

    for number, tab in enumerate(("For You", "Buddies", "Trending"), start=1):
        _open_tab(page, tab)
        expect(page.locator(".feed-card").first).to_be_visible()
        first_page = _titles(page)
        published = f"{stem} new {number}"
        _publish(bob, published)
        expect(page.get_by_role("button", name=PILL)).to_be_visible()
        assert _titles(page)[: len(first_page)] == first_page  # the open list never reorders
        titles = _scroll_to_end(page)
        _expect_no_repeats(_card_links(page), titles, stem)
        assert published not in titles  # it only raised the pill

    _open_tab(page, "Buddies")  # a new session: no pill until bob posts again
    expect(page.get_by_role("button", name=PILL)).to_have_count(0)
    _create_trip(bob, f"{stem} trip")  # a buddy's new trip counts like a post (§4.9)
    expect(page.get_by_role("button", name="1 new post")).to_be_visible()
    _publish(bob, f"{stem} latest")
    expect(page.get_by_role("button", name="2 new posts")).to_be_visible()
    page.get_by_role("button", name=PILL).click()
    expect(page.locator(".feed-card h3").first).to_have_text(f"{stem} latest")
    expect(page.locator(".feed-card h3").nth(1)).to_have_text(f"{stem} trip")
    expect(page.get_by_role("button", name=PILL)).to_have_count(0)


def test_a_chips_first_session_shows_every_place_once(browser: Browser, base_url: str) -> None:
    """A chip alice never opened has no ranking stored: the session starts from a first
    look (its best 20 of a short ranking) and the full ranking completes it behind them,
    in the app's background thread or when the scroll reaches the end first."""
    target.needs_harness("arranges 45 places in the database and reads alice's session")
    stem = "feedchip"
    page, alice, _ = _dashboard_of_alice(browser, base_url, stem)

    chip = page.get_by_role("group", name="Categories").get_by_role("button", name="Restaurant")
    chip.click()
    expect(chip).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".feed-card").first).to_be_visible()
    titles = _scroll_to_end(page)

    _expect_no_repeats(_card_links(page), titles, stem)
    with session_scope() as session:
        user_id = session.exec(select(User.id).where(User.username == alice)).one()
        restaurant = session.exec(select(Category.id).where(Category.name == "Restaurant")).one()
        chip_session = session.exec(
            select(FeedSnapshot)
            .where(FeedSnapshot.user_id == user_id, FeedSnapshot.category_id == restaurant)
        ).one()  # fmt: skip
        ranked = session.exec(
            select(FeedRanking.item_ids)
            .where(FeedRanking.user_id == user_id, FeedRanking.category_id == restaurant)
        ).one()  # fmt: skip
    assert chip_session.complete and len(chip_session.item_ids) >= PLACES
    assert set(ranked) <= set(chip_session.item_ids)  # the completion's full ranking


def _interactions(rows: list) -> None:
    with session_scope() as session:
        session.add_all(rows)


def test_journey_7_19_trending_this_week_and_this_month(browser: Browser, base_url: str) -> None:
    """§7.19: within 7 days R1 had 2 likes (T = 4), R2 1 save and 20 views (T = 5): R2
    ranks above R1; a place whose likes are all older than 7 days is absent this week."""
    target.needs_harness("arranges likes, saves and views at chosen times in the database")
    stem = "feed719"
    alice_email = create_member(f"{stem}_alice")
    create_member(f"{stem}_bob")
    fans = [f"{stem}_fan{n}" for n in (1, 2)]
    for fan in fans:
        create_member(fan)
    r1, r2, old = (create_place(f"{stem}_bob", title=f"{stem} {name}")
                   for name in ("R1", "R2", "old"))  # fmt: skip
    now = datetime.now(UTC)
    with session_scope() as session:
        fan_ids = [session.exec(select(User.id).where(User.username == f)).one() for f in fans]
    days = lambda n: now - timedelta(days=n)  # noqa: E731
    _interactions(
        [Like(recommendation_id=r1, user_id=fan, created_at=days(2)) for fan in fan_ids]
        + [Save(recommendation_id=r2, user_id=fan_ids[0], created_at=days(1))]
        + [View(recommendation_id=r2, created_at=days(1), viewed_at=days(1)) for _ in range(20)]
        + [Like(recommendation_id=old, user_id=fan_ids[0], created_at=days(10))]
    )
    run_transaction(lambda db: trending_refresh(db, datetime.now(UTC)))
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, f"{stem}_alice", email=alice_email)
    _open_tab(page, "Trending")
    expect(page.locator(".feed-card").first).to_be_visible()  # the demo seed trends too
    week = [title for title in _scroll_to_end(page) if title.startswith(stem)]
    assert week == [f"{stem} R2", f"{stem} R1"]
    page.get_by_role("button", name="This month").click()
    expect(page.get_by_role("button", name="This month")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_text(CAUGHT_UP)).to_have_count(0)  # a new session from the top
    month = [title for title in _scroll_to_end(page) if title.startswith(stem)]
    assert month == [f"{stem} R2", f"{stem} R1", f"{stem} old"]


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_dashboard_has_no_serious_accessibility_violations(
    browser: Browser, base_url: str, width: int, height: int
) -> None:
    target.needs_harness("arranges places for the feed in the database")
    stem = f"feedaxe{width}"
    alice, alice_email, _ = _arrange(stem)
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height})
    page = context.new_page()
    log_in_as(page, alice, email=alice_email)
    expect(page.locator(".feed-card").first).to_be_visible()
    assert blocking_violations(page, "main") == []
    _open_tab(page, "Trending")
    expect(page.get_by_role("group", name="Trending period")).to_be_visible()
    assert blocking_violations(page, "main") == []


@pytest.mark.destructive
def test_like_save_share_and_report_from_a_card(browser: Browser, base_url: str) -> None:
    """The card's actions use the same services as the recommendation page (§2.2)."""
    target.needs_harness("creates the place in the test database")
    stem = "feedcard"
    alice_email = create_member(f"{stem}_alice")
    create_member(f"{stem}_bob")
    make_buddies(f"{stem}_alice", f"{stem}_bob")
    title = f"{stem} harbour kiosk"
    create_place(f"{stem}_bob", title=title)
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, f"{stem}_alice", email=alice_email)
    _open_tab(page, "Buddies")
    card = page.locator(".feed-card").filter(has_text=title)
    expect(card).to_be_visible()

    card.get_by_role("button", name=re.compile(f"^Like {title}")).click()
    expect(
        card.get_by_role("button", name=re.compile(f"^Unlike {title}, 1 likes"))
    ).to_have_attribute("aria-pressed", "true")
    card.get_by_role("button", name=f"Save {title}").click()
    expect(card.get_by_role("button", name=f"Unsave {title}")).to_have_attribute(
        "aria-pressed", "true"
    )
    card.get_by_role("button", name=f"Share {title}").click()
    page.get_by_role("menuitem", name="Copy link").click()
    expect(page.get_by_text("Link copied")).to_be_visible()

    card.get_by_role("button", name="Report").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Reason").select_option("spam")
    dialog.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thanks, our moderators will review it.")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
