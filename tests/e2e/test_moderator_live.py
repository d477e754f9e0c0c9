"""The moderator dashboard counts a new report live (issue 8 item 2, §4.13.12).

`ContentReportCreated` reaches every moderator tab on the dashboard through the push
adapter (shared key `moderators`); nobody reloads.
"""

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.support.people import create_member, create_place, log_in_as
from tests.e2e.test_reports import send_report

pytestmark = [
    pytest.mark.destructive,
    pytest.mark.harness_only("creates the reported place in the test database"),
]

LIVE_MS = 2_000


def pending_reports(page: Page) -> Locator:
    return page.locator(".rt-Card").filter(has_text="Pending reports")


def count_of(card: Locator) -> int:
    return int(re.findall(r"\d+", card.inner_text())[-1])


def test_a_new_report_shows_on_the_open_dashboard(browser: Browser, base_url: str) -> None:
    moderator = browser.new_context(base_url=base_url).new_page()
    log_in_as(moderator, "mod2")
    moderator.goto("/moderator/dashboard")
    card = pending_reports(moderator)
    expect(card).to_be_visible()
    before = count_of(card)

    create_member("live_reported_author")
    place = create_place("live_reported_author", title="Too Good To Be True Tours")
    reporter = browser.new_context(base_url=base_url).new_page()
    log_in_as(reporter, "live_reporter", email=create_member("live_reporter"))
    reporter.goto(f"/recommendations/{place}")
    send_report(reporter, "spam")
    expect(reporter.get_by_text("Thanks, our moderators will review it.")).to_be_visible()

    expect(card).to_have_text(re.compile(rf"^Pending reports\D*{before + 1}$"), timeout=LIVE_MS)
