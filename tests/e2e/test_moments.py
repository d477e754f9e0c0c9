"""Times read in the viewer's own zone and language, relative where natural, the full
date and time on hover (issue 15 item 8), here on the moderator dashboard's actions.
"""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support.people import log_in_as

pytestmark = [
    pytest.mark.destructive,
    pytest.mark.harness_only("writes moderator actions into the test database"),
]


def record_action(moderator: str, reason: str, minutes_ago: int) -> datetime:
    """A moderator action in the audit log, `minutes_ago` minutes old."""
    from sqlmodel import select

    from citypulse.db import session_scope
    from citypulse.models import User
    from citypulse.models.enums import ActionType, TargetType
    from citypulse.models.moderation import ModeratorAction

    when = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=minutes_ago)
    with session_scope() as session:
        actor = session.exec(select(User).where(User.username == moderator)).one()
        session.add(
            ModeratorAction(
                actor_id=actor.id,
                action_type=ActionType.warning_issued,
                target_type=TargetType.profile,
                target_id=actor.id,
                reason=reason,
                created_at=when,
            )
        )
    return when


def fresh_moderator(username: str) -> str:
    """A new verified moderator account; returns its email."""
    from citypulse.db import session_scope
    from citypulse.models.enums import Role
    from citypulse.seed.people import DEMO_PASSWORD
    from tests.support.factories import create_user

    with session_scope() as session:
        moderator = create_user(
            session, username=username, password=DEMO_PASSWORD, role=Role.moderator
        )
        return moderator.email


@pytest.fixture
def toronto(browser: Browser, base_url: str) -> Iterator[Page]:
    """Someone in Toronto whose browser speaks US English."""
    context = browser.new_context(base_url=base_url, locale="en-US", timezone_id="America/Toronto")
    yield context.new_page()
    context.close()


def test_times_are_relative_with_the_local_time_on_hover(toronto: Page) -> None:
    # A moderator of its own: the dashboard lists a moderator's 10 latest actions, and the
    # moderation journeys give the demo moderators newer ones.
    email = fresh_moderator("moments_mod")
    when = record_action("moments_mod", "Moment check: three minutes", minutes_ago=3)
    log_in_as(toronto, "moments_mod", email=email)
    toronto.goto("/moderator/dashboard")

    row = toronto.get_by_role("row").filter(has_text="Moment check: three minutes")
    moment = row.locator("time")
    expect(moment).to_have_text("3 minutes ago")
    expect(moment).to_have_attribute("datetime", when.isoformat())
    local = when.astimezone(ZoneInfo("America/Toronto"))
    hour = local.strftime("%I").lstrip("0")
    expect(moment).to_have_attribute(
        "title",
        re.compile(rf"^{local:%b} {local.day}, {local.year}, {hour}:{local:%M}\s{local:%p}$"),
    )
