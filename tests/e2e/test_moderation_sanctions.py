"""Journeys §7.30 (escalation), §7.31 (appeal) and §7.32 (moderator limits, promotion).

The sanctioned and promoted people are fresh accounts (`create_member`), so the demo
accounts stay as they are for the other journeys; the moderators are the demo's mod,
mod2 and admin. The user's tab stays open throughout: the restricted screen, the lift and
Moderator tools arrive live (§6.6). The auto-lift at the end time is tested in the
service tests (tests/integration/moderation/test_sanctions.py) by moving the clock.
"""

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.people import (
    create_member,
    log_in,
    log_in_as,
    member_username,
    password_for,
)

pytestmark = [pytest.mark.journeys, pytest.mark.destructive, pytest.mark.demo_data]

LIVE_MS = 5_000  # §6.6: the restricted screen within 5 s
NOT_FOUND = "404 — Page Not Found"
APPEAL_LABEL = "Why should this be reconsidered? (20–2000 characters)"


def signed_in(browser: Browser, base_url: str, name: str, email: str = "") -> Page:
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, name, email=email)
    return page


def open_user(page: Page, username: str) -> Locator:
    """On /moderator/users, search `username` and open their panel."""
    username = member_username(username)  # a QA pool account on a deployment
    page.goto("/moderator/users")
    page.get_by_label("Search users by username or email").fill(username)
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name=f"Open @{username}", exact=True).click()
    panel = page.get_by_role("region", name="User panel")
    expect(panel.get_by_role("heading", name=f"@{username}")).to_be_visible()
    return panel


def warn(panel: Locator, severity: str, message: str) -> None:
    panel.get_by_label("Warning type").select_option("spam")
    panel.get_by_label("Severity").select_option(severity)
    panel.get_by_label("Message to the user (10–1000 characters)").fill(message)
    panel.get_by_role("button", name="Warn", exact=True).click()
    expect(panel.get_by_text("Warning issued")).to_be_visible()


def assert_accessible(page: Page) -> None:
    """The page's own content (the shared shell and toasts have their own tests)."""
    violations = blocking_violations(page, context="main")
    assert not violations, violations


def test_escalation_restricts_the_open_tab_and_two_highs_ban(
    browser: Browser, base_url: str
) -> None:
    carol = signed_in(browser, base_url, "esc_carol", create_member("esc_carol"))
    mod = signed_in(browser, base_url, "mod")
    panel = open_user(mod, "esc_carol")
    warn(panel, "medium", "First: please stop posting adverts.")  # the journey's "Given"
    expect(panel.get_by_text("Status: active")).to_be_visible()
    assert_accessible(mod)
    warn(panel, "medium", "Second: adverts again in your reviews.")
    warn(panel, "medium", "Third: adverts in your recommendations.")
    expect(panel.get_by_text("Status: suspended")).to_be_visible()

    # Her open tab shows the restricted screen with the end time, live.
    expect(carol).to_have_url(re.compile(r"/settings/?$"), timeout=LIVE_MS)
    screen = carol.get_by_role("region", name="Account restricted")
    expect(screen.get_by_role("heading", name="Your account is suspended")).to_be_visible()
    expect(screen.locator("#restriction-end time")).to_be_visible()
    expect(screen.get_by_text(re.compile("Automatic suspension after 3 active warnings"))) \
        .to_be_visible()  # fmt: skip
    expect(screen.get_by_role("listitem")).to_have_count(3)  # her active warnings
    assert_accessible(carol)
    carol.goto("/dashboard")  # a restricted session only has /settings and /notifications
    expect(carol).to_have_url(re.compile(r"/settings/?$"))

    visitor = browser.new_context(base_url=base_url).new_page()
    visitor.goto(f"/profile/{member_username('esc_carol')}")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(NOT_FOUND)

    create_member("esc_dan")
    panel = open_user(mod, "esc_dan")
    warn(panel, "high", "Threatening messages to another member.")
    warn(panel, "high", "Threatening messages again after a warning.")
    expect(panel.get_by_text("Status: banned")).to_be_visible()


def test_a_banned_user_appeals_and_another_moderator_grants(
    browser: Browser, base_url: str
) -> None:
    email = create_member("appeal_carol")
    mod = signed_in(browser, base_url, "mod")
    panel = open_user(mod, "appeal_carol")
    panel.get_by_label("Ban reason (10–1000 characters)").fill("Spam across many reviews")
    panel.get_by_role("button", name="Ban", exact=True).click()
    expect(panel.get_by_text("Status: banned")).to_be_visible()

    mod2 = signed_in(browser, base_url, "mod2")
    mod2.goto("/moderator/appeals")
    expect(mod2.get_by_role("heading", name="Appeals", level=1)).to_be_visible()
    assert_accessible(mod2)

    carol = browser.new_context(base_url=base_url).new_page()
    carol.goto("/login")
    log_in(carol, email, password_for(email))
    expect(carol).to_have_url(re.compile(r"/settings/?$"))
    screen = carol.get_by_role("region", name="Account restricted")
    expect(screen.get_by_role("heading", name="Your account is banned")).to_be_visible()
    expect(screen.get_by_text("Ends: permanent")).to_be_visible()
    screen.get_by_label(APPEAL_LABEL).fill("I was travelling that week and did not post any of it.")
    screen.get_by_role("button", name="Send appeal").click()
    expect(screen.get_by_text("Your appeal is waiting for a decision.")).to_be_visible()

    # The open queue shows the new appeal without a reload (§6.8).
    card = mod2.get_by_role("listitem").filter(has_text=f"@{member_username('appeal_carol')}")
    expect(card).to_be_visible(timeout=LIVE_MS)
    # mod banned her: he may not decide it.
    mod.goto("/moderator/appeals")
    mine = mod.get_by_role("listitem").filter(has_text=f"@{member_username('appeal_carol')}")
    expect(mine.get_by_text("You cannot decide an appeal of your own action")).to_be_visible()
    expect(mine.get_by_role("button", name="Submit decision")).to_have_count(0)

    card.get_by_label("Decision note for the user (10–1000 characters)").fill(
        "Checked: the posts came from a shared device."
    )
    card.get_by_label("Grant").check()
    card.get_by_role("button", name="Submit decision").click()
    expect(mod2.get_by_text("Appeal granted")).to_be_visible()

    # Her tab leaves the restricted screen by itself and she can use the app.
    expect(carol).to_have_url(re.compile(r"/dashboard/?$"), timeout=LIVE_MS)
    carol.goto("/notifications")
    expect(carol.get_by_text("Your appeal was granted").first).to_be_visible()
    expect(carol.get_by_text(re.compile("shared device")).first).to_be_visible()


def test_moderator_limits_and_a_live_promotion(browser: Browser, base_url: str) -> None:
    mod = signed_in(browser, base_url, "mod")
    for username, refusal in (
        ("mod", "You cannot moderate your own account or content"),
        ("mod2", "Only an admin can act on a moderator"),
        ("admin", "Admins cannot be moderated"),
    ):
        panel = open_user(mod, username)
        expect(panel.get_by_text(refusal)).to_be_visible()
        for action in ("Warn", "Suspend", "Ban", "Change role"):
            expect(panel.get_by_role("button", name=action, exact=True)).to_have_count(0)
    panel = open_user(mod, "bob")
    expect(panel.get_by_role("button", name="Warn", exact=True)).to_be_visible()
    expect(panel.get_by_role("button", name="Change role")).to_have_count(0)

    bob = signed_in(browser, base_url, "promo_bob", create_member("promo_bob"))
    bob.get_by_role("button", name="Account menu").click()
    expect(bob.get_by_role("menuitem", name="Settings")).to_be_visible()
    expect(bob.get_by_role("menuitem", name="Moderator tools")).to_have_count(0)
    bob.keyboard.press("Escape")

    admin = signed_in(browser, base_url, "admin")
    panel = open_user(admin, "promo_bob")
    panel.get_by_label("New role").select_option("moderator")
    panel.get_by_label("Change role reason (10–1000 characters)").fill("Trusted member for a year")
    panel.get_by_role("button", name="Change role").click()
    expect(panel.get_by_text("Role changed")).to_be_visible()
    expect(panel.get_by_text("Role: moderator")).to_be_visible()

    # Without signing in again, bob's open tab offers Moderator tools.
    bob.get_by_role("button", name="Account menu").click()
    expect(bob.get_by_role("menuitem", name="Moderator tools")).to_be_visible(timeout=LIVE_MS)
    bob.get_by_role("menuitem", name="Moderator tools").click()
    expect(bob.get_by_role("heading", name="Moderator dashboard", level=1)).to_be_visible()
