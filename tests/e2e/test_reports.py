"""Reports on recommendations and profiles (PRODUCT.md §4.13.1, §7.29's first step)."""

from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from citypulse.db import session_scope
from citypulse.models import ContentReport
from tests.e2e.support.people import create_member, create_place, log_in_as

THANKS = "Thanks, our moderators will review it."


def send_report(page: Page, reason: str, description: str = "") -> None:
    page.get_by_role("button", name="Report").click()
    page.get_by_label("Reason").select_option(reason)
    if description:
        page.get_by_label("Description (required for Other)").fill(description)
    page.get_by_role("button", name="Send report").click()


def test_report_a_recommendation_once(browser: Browser, base_url: str) -> None:
    create_member("reported_author")
    place = create_place("reported_author", title="Suspicious Deals Shop")
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, "reporter_one", email=create_member("reporter_one"))
    page.goto(f"/recommendations/{place}")
    send_report(page, "spam")
    expect(page.get_by_text(THANKS)).to_be_visible()
    page.get_by_role("button", name="Close").click()
    send_report(page, "misleading")
    expect(
        page.get_by_role("alert").filter(has_text="You have already reported this")
    ).to_be_visible()
    with session_scope() as session:
        reports = session.exec(select(ContentReport).where(ContentReport.content_id == place)).all()
    assert [(r.content_type, r.reason) for r in reports] == [("recommendation", "spam")]


def test_report_a_profile_needs_a_description_for_other(page: Page) -> None:
    create_member("profile_target")
    log_in_as(page, "reporter_two", email=create_member("reporter_two"))
    page.goto("/profile/profile_target")
    send_report(page, "other")
    expect(page.get_by_text("Describe the problem in at least 10 characters")).to_be_visible()
    page.get_by_label("Description (required for Other)").fill("Pretends to be a famous chef.")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text(THANKS)).to_be_visible()
