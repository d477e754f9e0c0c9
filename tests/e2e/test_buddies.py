"""Buddy journeys (PRODUCT.md §7.13, §7.14, §7.15): requests, answers, the cool-down,
opting out and blocking, each person in their own browser context; what the other person
does reaches an open /buddies or profile page live (§6.4, within 2 s).

Every journey uses fresh members and only the UI, so it runs against any deployment.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.support import target
from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.people import create_member, create_place, log_in_as, member_username

pytestmark = pytest.mark.journeys

LIVE_MS = 2_000
TABS = ("buddies", "requests", "sent", "find", "blocked")
NO_RUNNING_ANIMATION = "() => document.getAnimations().every(a => a.playState !== 'running')"


def person(browser: Browser, base_url: str, name: str) -> tuple[Page, str]:
    """A fresh member signed in in their own browser context, and their username."""
    email = create_member(name)
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, name, email=email)
    return page, member_username(name)


def tab_link(page: Page, label: str) -> Locator:
    nav = page.get_by_role("navigation", name="Buddies sections")
    return nav.get_by_role("link", name=re.compile(rf"^{label}\b"))


def expect_count(page: Page, label: str, count: int, timeout: int = 5_000) -> None:
    expect(tab_link(page, label)).to_have_text(f"{label}{count}", timeout=timeout)


def bell(page: Page, unread: int) -> Locator:
    """The header's bell, named with the unread count (the notifications feature)."""
    return page.get_by_role("button", name=f"Notifications, {unread} unread")


def open_tab(page: Page, tab: str) -> None:
    page.goto(f"/buddies?tab={tab}")
    expect(page.get_by_role("link", name=re.compile("^Buddies")).first).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Loading…")).to_have_count(0)


def search(page: Page) -> None:
    """Submit the finder's filters (the header has a search button of its own)."""
    form = page.get_by_role("search", name="Find buddies")
    form.get_by_role("button", name="Search", exact=True).click()


def people_list(page: Page, heading: str) -> Locator:
    return page.get_by_role("list", name=heading)


def send_request_from_profile(page: Page, username: str, message: str = "") -> None:
    page.goto(f"/profile/{username}")
    page.get_by_role("button", name="Add buddy").click()
    if message:
        page.get_by_label("Message (optional)").fill(message)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Request sent", exact=True)).to_be_visible()


def test_buddy_request_accepted_live(browser: Browser, base_url: str) -> None:
    """§7.13: alice asks bob with a message; bob sees it live, accepts; both list each
    other, and alice's open profile of bob turns to Buddies ✓ without a reload."""
    alice, alice_name = person(browser, base_url, "bud_alice")
    bob, bob_name = person(browser, base_url, "bud_bob")
    expect(alice.get_by_text("No buddies yet.")).to_be_visible()  # the dashboard panel
    open_tab(bob, "requests")
    expect(bob.get_by_text("No buddy requests right now.")).to_be_visible()
    expect_count(bob, "Requests", 0)

    send_request_from_profile(alice, bob_name, "Let's explore Lisbon together!")
    requests = people_list(bob, "Requests you received")
    expect(requests.get_by_text("“Let's explore Lisbon together!”")).to_be_visible(timeout=LIVE_MS)
    expect(requests.get_by_text(f"@{alice_name}")).to_be_visible()
    expect_count(bob, "Requests", 1, LIVE_MS)
    expect(bell(bob, 1)).to_be_visible(timeout=LIVE_MS)  # the buddy_request notification

    bob.get_by_role("button", name=f"Accept @{alice_name}'s request").click()
    expect(bob.get_by_text(f"You and @{alice_name} are now buddies.")).to_be_visible()
    expect_count(bob, "Buddies", 1)
    expect_count(bob, "Requests", 0)
    expect(alice.get_by_text("Buddies ✓")).to_be_visible(timeout=LIVE_MS)
    expect(bell(alice, 1)).to_be_visible(timeout=LIVE_MS)  # buddy_accepted

    # The dashboard's Active buddies panel: bob signed in moments ago (green dot).
    alice.goto("/dashboard")
    expect(alice.get_by_role("heading", name="Active buddies")).to_be_visible()
    panel_link = alice.get_by_role("link", name=re.compile(f"@{bob_name}"))
    expect(panel_link).to_have_attribute("href", f"/profile/{bob_name}")
    expect(panel_link.get_by_role("img", name="Active in the last 24 hours")).to_be_visible()

    for viewer, other in ((alice, bob_name), (bob, alice_name)):
        open_tab(viewer, "buddies")
        buddies = people_list(viewer, "Your buddies")
        expect(buddies.get_by_text(f"@{other}")).to_be_visible()
        expect(
            buddies.get_by_role("button", name=f"Remove @{other} from your buddies")
        ).to_be_visible()


def test_every_buddies_tab_is_accessible(browser: Browser, base_url: str) -> None:
    """axe-core: no serious or critical violation on any /buddies tab, with rows shown,
    nor in the Decline dialog. The page's own content is checked; the header and footer
    every page shares have their own axe test (test_mobile_chrome.py)."""
    reader, _ = person(browser, base_url, "bud_reader")
    asker, asker_name = person(browser, base_url, "bud_asker")
    _, friend_name = person(browser, base_url, "bud_friend")
    _, blocked_name = person(browser, base_url, "bud_blocked_one")
    send_request_from_profile(asker, member_username("bud_reader"))
    send_request_from_profile(reader, friend_name)
    reader.goto(f"/profile/{blocked_name}")
    reader.get_by_role("button", name="Block", exact=True).click()
    reader.get_by_role("alertdialog").get_by_role("button", name="Block", exact=True).click()
    expect(reader.get_by_text(f"You blocked @{blocked_name}.")).to_be_visible()

    for tab in TABS:
        open_tab(reader, tab)
        assert blocking_violations(reader, "main") == [], tab
    open_tab(reader, "requests")
    reader.get_by_role("button", name=f"Decline @{asker_name}'s request").click()
    expect(reader.get_by_role("dialog")).to_be_visible()
    # Colours are measured once the dialog has faded in (mid-fade they are blended).
    reader.wait_for_function(NO_RUNNING_ANIMATION)
    assert blocking_violations(reader, "[role=dialog]") == []


def test_decline_cool_down_cancel_and_opt_out(browser: Browser, base_url: str) -> None:
    """§7.14: bob declines carol (with a message) → carol's Sent tab empties live and she
    cannot ask again for 7 days; a cancelled request leaves bob's open Requests tab live;
    nobody can ask someone who turned "Accept buddy requests" off."""
    bob, bob_name = person(browser, base_url, "dec_bob")
    carol, carol_name = person(browser, base_url, "dec_carol")

    open_tab(carol, "find")
    carol.get_by_label("Name or username").fill(bob_name)
    search(carol)
    found = people_list(carol, "Find buddies")
    found.get_by_role("button", name=f"Send @{bob_name} a buddy request").click()
    carol.get_by_label("Message (optional)").fill("Coffee in Porto?")
    carol.get_by_role("dialog").get_by_role("button", name="Send request").click()
    expect(carol.get_by_text(f"Buddy request sent to @{bob_name}.")).to_be_visible()
    expect_count(carol, "Sent", 1)
    open_tab(carol, "sent")
    expect(people_list(carol, "Requests you sent").get_by_text(f"@{bob_name}")).to_be_visible()

    open_tab(bob, "requests")
    bob.get_by_role("button", name=f"Decline @{carol_name}'s request").click()
    bob.get_by_label("Message (optional)").fill("Sorry, not travelling this year.")
    bob.get_by_role("button", name="Decline request").click()
    expect(bob.get_by_text(f"Declined @{carol_name}'s request.")).to_be_visible()
    expect(carol.get_by_text("You have no pending requests.")).to_be_visible(timeout=LIVE_MS)
    expect_count(carol, "Sent", 0, LIVE_MS)
    expect(bell(carol, 1)).to_be_visible(timeout=LIVE_MS)  # buddy_declined

    carol.goto(f"/profile/{bob_name}")
    expect(carol.get_by_role("button", name="Add buddy")).to_be_disabled()
    expect(
        carol.get_by_text("Your last request was declined. You can ask again in 7 days")
    ).to_be_visible()

    # A cancelled request disappears live from the recipient's Requests tab.
    erin, erin_name = person(browser, base_url, "dec_erin")
    send_request_from_profile(erin, bob_name)
    requests = people_list(bob, "Requests you received")
    expect(requests.get_by_text(f"@{erin_name}")).to_be_visible(timeout=LIVE_MS)
    erin.get_by_role("button", name="Cancel request").click()
    expect(erin.get_by_text("Request cancelled.")).to_be_visible()
    expect(bob.get_by_text("No buddy requests right now.")).to_be_visible(timeout=LIVE_MS)
    expect_count(bob, "Requests", 0, LIVE_MS)

    # Opt-out: the button is shown disabled, with the reason, on the profile and finder.
    bob.goto("/settings")
    bob.get_by_role("switch", name=re.compile("^Accept buddy requests")).click()
    save = bob.get_by_role("button", name="Save privacy settings")
    save.click()
    expect(bob.get_by_text("Privacy settings saved.")).to_be_visible()
    erin.goto(f"/profile/{bob_name}")
    expect(erin.get_by_role("button", name="Add buddy")).to_be_disabled()
    expect(erin.get_by_text("This user is not accepting buddy requests")).to_be_visible()
    open_tab(erin, "find")
    erin.get_by_label("Name or username").fill(bob_name)
    search(erin)
    send = erin.get_by_role("button", name=f"Send @{bob_name} a buddy request")
    expect(send).to_be_disabled()
    expect(send).to_have_accessible_description("Not accepting buddy requests")


def test_block_hides_both_ways_and_unblock_restores_visibility_only(
    browser: Browser, base_url: str
) -> None:
    """§7.15: alice blocks her buddy dave: the connection is gone (live on dave's tab),
    dave gets the 404 for alice's profile and cannot find or ask her; unblocking from
    Settings lets them see each other again, not as buddies."""
    alice, alice_name = person(browser, base_url, "blk_alice")
    dave, dave_name = person(browser, base_url, "blk_dave")
    # Her content (a deployment has no database to write it to: the profile stands in).
    place = None if target.is_external() else create_place(alice_name, title="Alice's cove")
    send_request_from_profile(dave, alice_name, "Hi!")
    alice.goto(f"/profile/{dave_name}")
    alice.get_by_role("button", name=f"Accept @{dave_name}'s request").click()
    expect(alice.get_by_text("Buddies ✓")).to_be_visible()
    open_tab(dave, "buddies")
    expect_count(dave, "Buddies", 1)

    alice.get_by_role("button", name="Block", exact=True).click()
    dialog = alice.get_by_role("alertdialog")
    expect(dialog).to_contain_text(f"Block @{dave_name}?")
    dialog.get_by_role("button", name="Block", exact=True).click()
    expect(alice.get_by_text(f"You blocked @{dave_name}.")).to_be_visible()
    expect(dave.get_by_text("No buddies yet.")).to_be_visible(timeout=LIVE_MS)
    expect_count(dave, "Buddies", 0, LIVE_MS)

    dave.goto(f"/profile/{alice_name}")
    expect(dave.get_by_role("heading", name="404 — Page Not Found")).to_be_visible()
    if place is not None:
        dave.goto(f"/recommendations/{place}")
        expect(dave.get_by_role("heading", name="404 — Page Not Found")).to_be_visible()
    open_tab(dave, "find")
    dave.get_by_label("Name or username").fill(alice_name)
    search(dave)
    expect(dave.get_by_text("No travellers match these filters.")).to_be_visible()

    open_tab(alice, "blocked")
    expect(people_list(alice, "Blocked users").get_by_text(f"@{dave_name}")).to_be_visible()
    expect_count(alice, "Buddies", 0)
    alice.goto("/settings")
    alice.get_by_role("button", name=f"Unblock @{dave_name}").click()
    expect(alice.get_by_text(f"Unblocked @{dave_name}.")).to_be_visible()
    expect(alice.get_by_text("You have not blocked anyone.")).to_be_visible()

    dave.goto(f"/profile/{alice_name}")
    expect(dave.get_by_text(f"@{alice_name}", exact=True)).to_be_visible()
    if place is not None:
        dave.goto(f"/recommendations/{place}")
        expect(dave.get_by_role("heading", name="Alice's cove", level=1)).to_be_visible()
        dave.goto(f"/profile/{alice_name}")
    expect(dave.get_by_role("button", name="Add buddy")).to_be_enabled()
    alice.goto(f"/profile/{dave_name}")
    expect(alice.get_by_role("button", name="Add buddy")).to_be_enabled()
    open_tab(alice, "buddies")
    expect_count(alice, "Buddies", 0)
