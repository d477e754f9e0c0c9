"""Journeys §7.29 (report and removal) and §7.33 (moderator pages for users), with axe
on every moderation A page (/moderator/reports, its item detail, /moderator/actions,
/moderator/dashboard)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import col, func, select

from citypulse.db import session_scope
from citypulse.models import ModeratorAction, Recommendation, User
from citypulse.state.moderation.queue import ModerationQueueState
from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.crafted import CraftedClient
from tests.e2e.support.people import create_member, create_place, log_in_as, make_buddies
from tests.e2e.support.tabs import sign_in_cookie
from tests.e2e.test_reports import expect_sent, send_report
from tests.support.fake_sendgrid import FakeSendGrid

NOT_FOUND = "404 — Page Not Found"
REASON = "Spam: links to a ticket reseller in every line"
MODERATOR_PAGES = (
    "/moderator/dashboard",
    "/moderator/reports",
    "/moderator/users",
    "/moderator/actions",
    "/moderator/appeals",
)


def signed_in(browser: Browser, base_url: str, username: str, email: str = "") -> Page:
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, username, email=email)
    return page


def no_blocking_violations(page: Page, where: str) -> None:
    violations = blocking_violations(page)
    assert not violations, (where, violations)


@pytest.mark.destructive
@pytest.mark.harness_only("creates the reported place and reads the audit log in the test database")
def test_report_and_removal(browser: Browser, base_url: str, outbox: FakeSendGrid) -> None:
    """§7.29: bob reports alice's place as spam (a 2nd report is refused); mod starts a
    review and removes it with a reason; only alice sees it, with a banner; alice gets
    content_removed in-app and by email; bob gets report_update; the log lists both."""
    alice_email = create_member("mr_alice")
    place = create_place("mr_alice", title="Mr Alice's Ticket Corner")
    bob = signed_in(browser, base_url, "mr_bob", create_member("mr_bob"))
    bob.goto(f"/recommendations/{place}")
    send_report(bob, "spam")
    expect_sent(bob)
    send_report(bob, "misleading")
    expect(bob.get_by_role("dialog").get_by_role("alert")).to_have_text(
        "You have already reported this"
    )

    mod = signed_in(browser, base_url, "mod")
    mod.goto("/moderator/reports")
    expect(mod.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    review = mod.get_by_role("button", name="Review the Recommendation by mr_alice")
    expect(review).to_be_visible()
    no_blocking_violations(mod, "/moderator/reports")
    review.click()
    expect(
        mod.get_by_role("heading", name="recommendation “Mr Alice's Ticket Corner”")
    ).to_be_visible()
    reports = mod.get_by_role("table", name="Reports")
    expect(reports.get_by_role("row").filter(has_text="mr_bob")).to_contain_text("Spam")
    no_blocking_violations(mod, "/moderator/reports detail")
    mod.get_by_role("button", name="Start review").click()
    expect(mod.get_by_text("Review started.")).to_be_visible()
    expect(reports).to_contain_text("Under review")

    mod.get_by_label("Reason (10–1000 characters)").fill("Spam")
    mod.get_by_role("button", name="Remove content").click()
    expect(mod.get_by_text("Reason must be 10–1000 characters").first).to_be_visible()
    mod.get_by_label("Reason (10–1000 characters)").fill(REASON)
    mod.get_by_role("button", name="Remove content").click()
    expect(mod.get_by_text("Content removed; the owner was told.")).to_be_visible()
    expect(mod.get_by_text("Removed", exact=True)).to_be_visible()
    expect(reports).to_contain_text("Resolved")

    alice = signed_in(browser, base_url, "mr_alice", alice_email)
    alice.goto(f"/recommendations/{place}")
    banner = alice.get_by_role("region", name="Removed by moderation")
    expect(banner).to_contain_text(f"Reason: {REASON}")
    bob.goto(f"/recommendations/{place}")
    expect(bob.get_by_role("heading", level=1)).to_have_text(NOT_FOUND)

    alice.goto("/notifications")
    expect(alice.get_by_text("A moderator removed your recommendation").first).to_be_visible()
    mail = outbox.wait_for_message(alice_email)
    assert "removed" in mail["subject"].lower(), mail["subject"]
    bob.goto("/notifications")
    expect(bob.get_by_text("Your report about a recommendation was reviewed")).to_be_visible()

    mod.goto("/moderator/actions")
    expect(mod.get_by_role("heading", name="Moderation log", level=1)).to_be_visible()
    mod.get_by_label("Target user").fill("mr_alice")
    mod.get_by_role("button", name="Apply filters").click()
    log = mod.get_by_role("table").first
    expect(log).to_contain_text("Content removal")
    expect(log).to_contain_text("Report status update")
    expect(log).to_contain_text(REASON)
    no_blocking_violations(mod, "/moderator/actions")

    mod.goto("/moderator/dashboard")
    expect(mod.get_by_role("link", name="Moderation log")).to_be_visible()
    expect(mod.get_by_text("Show the numbers as a table")).to_be_visible()
    no_blocking_violations(mod, "/moderator/dashboard")


@pytest.mark.journeys
@pytest.mark.demo_data
def test_every_moderator_page_is_404_for_a_user(page: Page) -> None:
    """§7.33: bob (role user) gets the 404 page on every /moderator/* page."""
    log_in_as(page, "bob")
    for path in MODERATOR_PAGES:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(NOT_FOUND)
        expect(page.get_by_role("button", name="Apply filters")).to_have_count(0)


def _audit_entries(recommendation_id: int) -> int:
    with session_scope() as session:
        return session.exec(
            select(func.count())
            .select_from(ModeratorAction)
            .where(col(ModeratorAction.target_id) == recommendation_id)
        ).one()


@pytest.mark.destructive
@pytest.mark.harness_only("creates the target place and checks it in the test database")
def test_crafted_remove_events_from_a_user_are_refused(backend_url: str) -> None:
    """§7.33: bob's crafted open/remove/transition events change nothing, audit nothing."""
    create_member("mr_target")
    place = create_place("mr_target", title="Crafted Removal Target")
    with session_scope() as session:
        bob_email = session.exec(select(User.email).where(User.username == "bob")).one()
    client = CraftedClient(backend_url, sign_in_cookie(backend_url, bob_email))
    state = ModerationQueueState.get_full_name()
    try:
        for handler, payload in (
            ("open_item", {"key": f"recommendation:{place}"}),
            ("remove", {"form": {"reason": REASON}}),
            ("transition", {"action": "start_review"}),
            ("restore", {"form": {"reason": REASON}}),
        ):
            reply = client.call(f"{state}.{handler}", payload, path="/moderator/reports")
            assert "Crafted Removal Target" not in reply
    finally:
        client.close()
    with session_scope() as session:
        assert session.get(Recommendation, place).status == "active"
    assert _audit_entries(place) == 0


def test_queue_filters_are_labelled(browser: Browser, base_url: str) -> None:
    """The filter form's controls are reachable by their labels (keyboard, AT)."""
    mod = signed_in(browser, base_url, "mod2")
    mod.goto("/moderator/reports")
    for label in (
        "Status",
        "Content type",
        "Reason",
        "Reported from (UTC)",
        "Reported until (UTC)",
    ):
        expect(mod.get_by_label(label, exact=True)).to_be_visible()
    mod.get_by_label("Status", exact=True).select_option("dismissed")
    mod.get_by_role("button", name="Apply filters").click()
    expect(mod.get_by_label("Status", exact=True)).to_have_value("dismissed")
    expect(mod).to_have_url(re.compile(r"/moderator/reports/?$"))


def _rate(username: str, recommendation_id: int, review: str) -> None:
    from citypulse.models import Rating

    with session_scope() as session:
        user_id = session.exec(select(User.id).where(User.username == username)).one()
        session.add(Rating(recommendation_id=recommendation_id, user_id=user_id, rating=1,
                           review=review))  # fmt: skip


@pytest.mark.destructive
@pytest.mark.harness_only("creates the place and its review in the test database")
def test_report_a_review_and_a_moderator_hides_its_text(browser: Browser, base_url: str) -> None:
    """§4.13.1 entry point on reviews; §4.13.3: the text is hidden, the rating stays."""
    create_member("rv_author")
    place = create_place("rv_author", title="Reviewed Harbour Bar")
    create_member("rv_rater")
    _rate("rv_rater", place, "Awful, buy my cheap tickets at spam.example instead")
    bob = signed_in(browser, base_url, "rv_bob", create_member("rv_bob"))
    bob.goto(f"/recommendations/{place}")
    bob.get_by_role("button", name="Report the review by Test Traveller").click()
    dialog = bob.get_by_role("dialog", name="Report this review")
    dialog.get_by_label("Reason").select_option("spam")
    no_blocking_violations(bob, "review report dialog")
    dialog.get_by_role("button", name="Send report").click()
    expect_sent(bob)

    mod = signed_in(browser, base_url, "mod")
    mod.goto("/moderator/reports")
    mod.get_by_label("Content type", exact=True).select_option("review")
    mod.get_by_role("button", name="Apply filters").click()
    mod.get_by_role("button", name="Review the Review by rv_rater").click()
    expect(mod.get_by_text("Awful, buy my cheap tickets")).to_be_visible()
    mod.get_by_label("Reason (10–1000 characters)").fill("Advertising in a review")
    mod.get_by_role("button", name="Remove content").click()
    expect(mod.get_by_text("Content removed; the owner was told.")).to_be_visible()

    bob.goto(f"/recommendations/{place}")
    expect(bob.get_by_text("Review removed by a moderator")).to_be_visible()
    expect(bob.get_by_text("Awful, buy my cheap tickets")).to_have_count(0)


@pytest.mark.destructive
@pytest.mark.harness_only("creates the buddy connection in the test database")
def test_report_a_buddy_from_the_buddies_page(browser: Browser, base_url: str) -> None:
    """§4.13.1: profiles may also be reported from /buddies; a repeat is refused."""
    create_member("bd_target")
    email = create_member("bd_reporter")
    make_buddies("bd_reporter", "bd_target")
    page = signed_in(browser, base_url, "bd_reporter", email)
    page.goto("/buddies")
    page.get_by_role("button", name="Report @bd_target").click()
    dialog = page.get_by_role("dialog", name="Report @bd_target")
    dialog.get_by_label("Reason").select_option("impersonation")
    no_blocking_violations(page, "/buddies report dialog")
    dialog.get_by_role("button", name="Send report").click()
    expect_sent(page)
    page.get_by_role("button", name="Report @bd_target").click()
    dialog.get_by_label("Reason").select_option("spam")
    dialog.get_by_role("button", name="Send report").click()
    expect(dialog.get_by_role("alert")).to_have_text("You have already reported this")
