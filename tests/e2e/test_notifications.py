"""Notifications: the header bell and /notifications, live in every tab (§2, §6.1, §7.28).

Two tabs of one person are two pages of one browser context (one cookie, a tab token
each); another person is another context. Live changes must show within 2 s.
Notifications that only set the scene are created with the real `notify()` in the app's
database; the live ones come from another person's real action in their own browser (a
first like, a buddy request).
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from citypulse.models import EmailOutbox, User
from citypulse.models.enums import NotificationType
from citypulse.services.notifications.create import notify
from citypulse.services.unit_of_work import run_transaction
from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.people import create_member, create_place, log_in_as
from tests.support.fake_sendgrid import FakeSendGrid

pytestmark = [
    pytest.mark.journeys,
    pytest.mark.harness_only("creates members and notifications in the test database"),
]
LIVE_MS = 2_000


def user_id(username: str) -> int:
    return run_transaction(
        lambda db: db.execute(sa.select(User.id).where(User.username == username)).scalar_one()
    )


def give(username: str, count: int, kind: NotificationType = NotificationType.system,
         title: str = "Notice", link: str | None = None) -> None:  # fmt: skip
    """`count` notifications for `username`, created by the real notify() (one commit)."""
    recipient = user_id(username)

    def create(db) -> None:
        for i in range(1, count + 1):
            notify(db, recipient_id=recipient, type=kind, actor=None, title=f"{title} {i}",
                   message=f"{title} {i} for {username}.", action_url=link,
                   now=datetime.now(UTC))  # fmt: skip

    run_transaction(create)


def member(
    browser: Browser, base_url: str, username: str, context: BrowserContext | None = None
) -> tuple[BrowserContext, Page]:
    """A fresh account signed in through the login form: its context and first tab."""
    email = create_member(username)
    context = context or browser.new_context(base_url=base_url)
    page = context.new_page()
    log_in_as(page, username, email=email)
    return context, page


def bell(page: Page, unread: int) -> Locator:
    return page.get_by_role("button", name=f"Notifications, {unread} unread")


def listed(page: Page) -> Locator:
    return page.get_by_role("list", name="Notifications").get_by_role("listitem")


def dropdown_rows(page: Page) -> Locator:
    return page.get_by_role("list", name="Latest notifications").get_by_role("listitem")


def like(browser: Browser, base_url: str, liker: str, place_id: int) -> None:
    """`liker` (a fresh account) likes the place in their own browser: a first like."""
    _, page = member(browser, base_url, liker)
    page.goto(f"/recommendations/{place_id}")
    page.get_by_role("button", name=re.compile("^Like")).click()
    expect(page.get_by_role("button", name=re.compile("^Liked"))).to_be_visible()


def test_mark_all_read_in_one_tab_clears_both_badges(browser: Browser, base_url: str) -> None:
    """§7.28: alice has 3 unread and 2 tabs open; mark all read in one → both show 0."""
    context, first = member(browser, base_url, "n_alice_728")
    give("n_alice_728", 3)
    first.goto("/dashboard")
    second = context.new_page()
    second.goto("/notifications")
    expect(bell(first, 3)).to_be_visible()
    expect(bell(second, 3)).to_be_visible()

    bell(first, 3).click()
    expect(dropdown_rows(first)).to_have_count(3)
    first.get_by_role("button", name="Mark all read").click()

    expect(bell(first, 0)).to_be_visible(timeout=LIVE_MS)
    expect(bell(second, 0)).to_be_visible(timeout=LIVE_MS)
    expect(listed(second).filter(has_text="Unread")).to_have_count(0, timeout=LIVE_MS)


def send_buddy_request(page: Page, to: str) -> None:
    """From the recipient's profile, as a person does: Add buddy → Send request."""
    page.goto(f"/profile/{to}")
    page.get_by_role("button", name="Add buddy").click()
    page.get_by_role("dialog").get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Request sent", exact=True)).to_be_visible()


def _emails_to(username: str) -> int:
    def count(db) -> int:
        address = db.execute(sa.select(User.email).where(User.username == username)).scalar_one()
        query = sa.select(sa.func.count()).select_from(EmailOutbox)
        return db.execute(query.where(EmailOutbox.to_address == address)).scalar_one()

    return run_transaction(count)


def test_buddy_request_with_its_email_off_is_in_app_only(
    browser: Browser, base_url: str, outbox: FakeSendGrid
) -> None:
    """§7.28: with buddy_requests email off, a new request arrives in-app, with no email."""
    _, alice = member(browser, base_url, "n_alice_mailoff")
    alice.goto("/settings")
    alice.get_by_role("switch", name=re.compile("^Buddy requests")).click()
    alice.get_by_role("button", name="Save email preferences").click()
    expect(alice.get_by_text("Email preferences saved")).to_be_visible()
    alice.goto("/dashboard")
    expect(bell(alice, 0)).to_be_visible()
    _, bob = member(browser, base_url, "n_bob_mailoff")
    emails_before = _emails_to("n_alice_mailoff")

    send_buddy_request(bob, "n_alice_mailoff")

    expect(bell(alice, 1)).to_be_visible(timeout=LIVE_MS)
    bell(alice, 1).click()
    expect(dropdown_rows(alice)).to_have_count(1)
    expect(dropdown_rows(alice).first).to_contain_text("buddy request")
    assert _emails_to("n_alice_mailoff") == emails_before

    # The check can fail: with the preference on, the same request is emailed.
    create_member("n_carol_mailon")
    send_buddy_request(bob, "n_carol_mailon")
    carol = run_transaction(lambda db: db.execute(
        sa.select(User.email).where(User.username == "n_carol_mailon")).scalar_one())  # fmt: skip
    outbox.wait_for_message(carol)


def test_a_new_notification_reaches_every_tab(browser: Browser, base_url: str) -> None:
    """§6.1: badge, toast, top of the open dropdown and of the open list, in both tabs."""
    context, on_page = member(browser, base_url, "n_alice_live")
    place = create_place("n_alice_live", title="Alice's live harbour")
    give("n_alice_live", 1, title="Older notice")
    on_page.goto("/notifications")
    in_header = context.new_page()
    in_header.goto("/dashboard")
    bell(in_header, 1).click()
    expect(dropdown_rows(in_header)).to_have_count(1)
    expect(listed(on_page)).to_have_count(1)

    like(browser, base_url, "n_bob_live", place)

    for tab in (on_page, in_header):
        expect(bell(tab, 2)).to_be_visible(timeout=LIVE_MS)
        toast = tab.locator("[data-sonner-toast]").filter(has_text="liked your recommendation")
        expect(toast).to_be_visible(timeout=LIVE_MS)
    expect(dropdown_rows(in_header)).to_have_count(2, timeout=LIVE_MS)
    expect(dropdown_rows(in_header).first).to_contain_text("Alice's live harbour")
    expect(listed(on_page)).to_have_count(2, timeout=LIVE_MS)
    expect(listed(on_page).first).to_contain_text("Alice's live harbour")


def test_read_and_delete_are_mirrored_and_a_click_opens_the_link(
    browser: Browser, base_url: str
) -> None:
    context, first = member(browser, base_url, "n_alice_mirror")
    give("n_alice_mirror", 2, title="Mirror", link="/settings")
    first.goto("/notifications")
    second = context.new_page()
    second.goto("/notifications")
    expect(listed(second)).to_have_count(2)

    first.get_by_role("button", name="Delete notification: Mirror 2").click()
    expect(listed(first)).to_have_count(1)
    expect(listed(second)).to_have_count(1, timeout=LIVE_MS)
    expect(bell(second, 1)).to_be_visible(timeout=LIVE_MS)

    first.get_by_role("button", name="Mirror 1", exact=True).click()
    expect(first).to_have_url(re.compile(r"/settings/?$"))
    expect(bell(second, 0)).to_be_visible(timeout=LIVE_MS)
    expect(listed(second).first).not_to_contain_text("Unread", timeout=LIVE_MS)

    second.get_by_role("button", name="Delete all read").click()
    expect(second.get_by_text("You have no notifications yet.")).to_be_visible()


def test_filters_infinite_scroll_and_empty_states(browser: Browser, base_url: str) -> None:
    _, page = member(browser, base_url, "n_alice_filters")
    give("n_alice_filters", 3, NotificationType.buddy_accepted, title="Buddy news")
    give("n_alice_filters", 22, NotificationType.system, title="System news")
    page.goto("/notifications")
    expect(listed(page)).to_have_count(20)
    listed(page).last.scroll_into_view_if_needed()
    page.mouse.wheel(0, 10_000)
    expect(listed(page)).to_have_count(25)
    expect(page.get_by_role("button", name="Load more")).to_have_count(0)

    page.get_by_role("button", name="Social").click()
    expect(page.get_by_role("button", name="Social")).to_have_attribute("aria-pressed", "true")
    expect(listed(page)).to_have_count(3)
    expect(listed(page).first).to_contain_text("Buddy news 3")
    page.get_by_role("button", name="Mark as read: Buddy news 3").click()
    expect(listed(page).first).not_to_contain_text("Unread")
    expect(bell(page, 24)).to_be_visible()

    page.get_by_role("button", name="Trips").click()
    expect(page.get_by_text("No trips notifications.")).to_be_visible()

    page.get_by_role("button", name="Unread", exact=True).click()
    expect(listed(page)).to_have_count(20)
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_text("You're all caught up: no unread notifications.")).to_be_visible()


# Records when the page opens each live connection (before any page script runs) and
# keeps the sockets, so the test can drop them inside the page.
RECORD_SOCKETS = """
window.__socketsOpened = [];
window.__liveSockets = [];
const NativeWebSocket = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const socket = new NativeWebSocket(url, protocols);
  if (String(url).includes("/_event")) {
    window.__socketsOpened.push(performance.now());
    window.__liveSockets.push(socket);
  }
  return socket;
};
window.WebSocket.prototype = NativeWebSocket.prototype;
Object.assign(window.WebSocket, NativeWebSocket);
"""
DROP_SOCKETS = "window.__liveSockets.forEach((socket) => socket.close())"


def test_reconnecting_shows_backs_off_and_then_refetches(browser: Browser, base_url: str) -> None:
    """§6.9: "Reconnecting…" while offline, retries 1 s then 2 s apart, then a fresh count."""
    context = browser.new_context(base_url=base_url)
    context.add_init_script(RECORD_SOCKETS)
    _, page = member(browser, base_url, "n_alice_offline", context)
    page.goto("/dashboard")
    expect(bell(page, 0)).to_be_visible()
    before = page.evaluate("window.__socketsOpened.length")

    context.set_offline(True)  # new connections fail as without a network
    page.evaluate(DROP_SOCKETS)  # and the open one drops
    expect(page.get_by_role("status").filter(has_text="Reconnecting…")).to_be_visible()
    give("n_alice_offline", 2)  # pushed while the tab cannot hear it
    # The drop reconnects at once; the failures then wait 1 s, then 2 s (plus up to 20 %
    # jitter). The upper bounds only tell each wait from the next step's (a loaded
    # machine fires timers late, never early).
    page.wait_for_function(f"window.__socketsOpened.length >= {before + 3}", timeout=15_000)
    opened = page.evaluate("window.__socketsOpened").copy()[before:]
    gaps = [later - earlier for earlier, later in itertools.pairwise(opened)]
    assert 950 <= gaps[0] < 1_950, gaps
    assert 1_950 <= gaps[1] < 3_950, gaps

    context.set_offline(False)
    expect(page.get_by_text("Reconnecting…")).to_be_hidden(timeout=15_000)
    expect(bell(page, 2)).to_be_visible(timeout=LIVE_MS)


def test_notifications_page_and_open_dropdown_pass_axe(browser: Browser, base_url: str) -> None:
    _, page = member(browser, base_url, "n_alice_axe")
    give("n_alice_axe", 3, NotificationType.buddy_request, title="Axe", link="/settings")
    page.goto("/notifications")
    expect(listed(page)).to_have_count(3)
    assert blocking_violations(page) == []
    bell(page, 3).click()
    expect(dropdown_rows(page)).to_have_count(3)
    assert blocking_violations(page) == []
