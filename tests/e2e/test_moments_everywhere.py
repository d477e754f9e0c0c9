"""The one time helper on the ratings list and in Settings → Active sessions (issue 15
item 8): relative in the viewer's zone and language, the full local time on hover."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.support.people import create_member, create_place, log_in_as

TORONTO = ZoneInfo("America/Toronto")
pytestmark = [
    pytest.mark.destructive,
    pytest.mark.harness_only("writes a rating straight into the test database"),
]


@pytest.fixture
def toronto(browser: Browser, base_url: str) -> Iterator[Page]:
    """Someone in Toronto whose browser speaks US English."""
    context = browser.new_context(base_url=base_url, locale="en-US", timezone_id="America/Toronto")
    yield context.new_page()
    context.close()


def expect_local_moment(moment: Locator, when: datetime, relative: str) -> None:
    expect(moment).to_have_text(relative)
    local = when.astimezone(TORONTO)
    hour = local.strftime("%I").lstrip("0")
    expect(moment).to_have_attribute(
        "title",
        re.compile(rf"^{local:%b} {local.day}, {local.year}, {hour}:{local:%M}\s{local:%p}$"),
    )


def test_a_rating_says_when_in_the_viewers_zone(toronto: Page) -> None:
    from sqlmodel import select

    from citypulse.db import session_scope
    from citypulse.models import Rating, User

    create_member("moment_author")
    place = create_place("moment_author", title="Moments Noodle Bar")
    create_member("moment_rater")
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    with session_scope() as session:
        rater = session.exec(select(User).where(User.username == "moment_rater")).one()
        session.add(Rating(recommendation_id=place, user_id=rater.id, rating=4, created_at=when))
    toronto.goto(f"/recommendations/{place}")
    row = toronto.get_by_role("link", name="Test Traveller").locator("xpath=..")
    expect_local_moment(row.locator("time"), when, "5 minutes ago")


def test_active_sessions_say_when_last_seen(toronto: Page) -> None:
    log_in_as(toronto, "moment_sessions", email=create_member("moment_sessions"))
    toronto.goto("/settings")
    row = toronto.get_by_role("row").filter(has_text="(this browser)")
    moment = row.locator("time")
    expect(moment).to_have_text(re.compile(r"^(just now|\d+ seconds? ago|1 minute ago)$"))
    expect(moment).to_have_attribute(
        "title", re.compile(r"^\w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s[AP]M$")
    )
