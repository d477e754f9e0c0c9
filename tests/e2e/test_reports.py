"""Reports on recommendations and profiles (PRODUCT.md §4.13.1, §7.29's first step).

Issue 15 item 6: a visitor is asked to sign in before the form (and comes back to the
page), and a sent report closes its dialog with a toast instead of leaving an active
"Send report" behind.
"""

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from citypulse.db import session_scope
from citypulse.models import ContentReport
from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.people import DEMO_PASSWORD, create_member, create_place, log_in, log_in_as

pytestmark = pytest.mark.destructive

THANKS = "Thanks, our moderators will review it."


def send_report(page: Page, reason: str, description: str = "") -> None:
    page.get_by_role("button", name="Report", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Reason").select_option(reason)
    if description:
        dialog.get_by_label("Description (required for Other)").fill(description)
    dialog.get_by_role("button", name="Send report").click()


def expect_sent(page: Page) -> None:
    """The thanks is a toast and the dialog (with its Send report button) is gone."""
    expect(page.get_by_text(THANKS)).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("button", name="Send report")).to_have_count(0)


def test_report_a_recommendation_once(browser: Browser, base_url: str) -> None:
    create_member("reported_author")
    place = create_place("reported_author", title="Suspicious Deals Shop")
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, "reporter_one", email=create_member("reporter_one"))
    page.goto(f"/recommendations/{place}")
    send_report(page, "spam")
    expect_sent(page)
    send_report(page, "misleading")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("alert")).to_have_text("You have already reported this")
    dialog.get_by_role("button", name="Close").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    with session_scope() as session:
        reports = session.exec(select(ContentReport).where(ContentReport.content_id == place)).all()
    assert [(r.content_type, r.reason) for r in reports] == [("recommendation", "spam")]


def test_report_a_profile_needs_a_description_for_other(page: Page) -> None:
    create_member("profile_target")
    log_in_as(page, "reporter_two", email=create_member("reporter_two"))
    page.goto("/profile/profile_target")
    send_report(page, "other")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Describe the problem in at least 10 characters")).to_be_visible()
    dialog.get_by_label("Description (required for Other)").fill("Pretends to be a famous chef.")
    dialog.get_by_role("button", name="Send report").click()
    expect_sent(page)


def test_a_visitor_signs_in_before_the_form_and_comes_back(page: Page) -> None:
    create_member("visited_author")
    place = create_place("visited_author", title="Visitor Reported Noodles")
    email = create_member("visitor_reporter")
    page.goto(f"/recommendations/{place}")
    report = page.get_by_role("link", name="Report")
    expect(report).to_be_visible()
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        violations = blocking_violations(page)
        assert not violations, (width, violations)
    report.click()
    expect(page).to_have_url(re.compile(rf"/login\?next=%2Frecommendations%2F{place}$"))
    log_in(page, email, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(rf"/recommendations/{place}/?$"))
    send_report(page, "spam")
    expect_sent(page)


def test_a_visitor_reporting_a_profile_is_sent_to_sign_in(page: Page) -> None:
    create_member("visited_profile")
    page.goto("/profile/visited_profile")
    page.get_by_role("link", name="Report").click()
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fprofile%2Fvisited_profile$"))
