"""Removed content's own pages and the live moderator pages (§4.13.3, §4.13.9, §6.8).

- The owner and moderators open a removed place's or trip's page with a "Removed by
  moderation" banner and the reason; anyone else gets the 404.
- The owner appeals the removal from the banner (clear errors, once); every open
  moderator dashboard counts the new appeal and the open audit log shows the decision
  without a reload.
- A removed trip comment stays visible, marked, to its author and moderators only.
- A removed review's author and a removed profile's owner get the banner with the
  reason and the appeal (on the place's page above their rating form; on their own
  profile page); nobody else does. A moderator reading a removed place gets no rating
  form.
The removals are made through the removal service straight in the test database (the
moderator's own pages are covered by §7.29 in test_moderation_reports.py).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlmodel import select

from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.people import create_member, create_place, log_in_as

pytestmark = [
    pytest.mark.destructive,
    pytest.mark.harness_only("removes content with the service in the test database"),
]

NOT_FOUND = "404 — Page Not Found"
PLACE_REASON = "Advertises a ticket reseller on every line"
TRIP_REASON = "The plan sells paid tours to other travellers"
COMMENT_REASON = "Insults another traveller in the thread"
REVIEW_REASON = "Names and insults a waiter"
PROFILE_REASON = "The bio advertises a ticket reseller"
REVIEW_REGION = "Your review was removed by moderation"
PROFILE_REGION = "Your profile was removed by moderation"
APPEAL_LABEL = "Why should this be reconsidered? (20–2000 characters)"
NOTE_LABEL = "Decision note for the user (10–1000 characters)"


def create_moderator(username: str) -> str:
    from citypulse.db import session_scope
    from citypulse.models.enums import Role
    from citypulse.seed.people import DEMO_PASSWORD
    from tests.support.factories import create_user

    with session_scope() as session:
        return create_user(
            session, username=username, password=DEMO_PASSWORD, role=Role.moderator
        ).email


def remove(moderator: str, content_type: str, content_id: int, reason: str) -> None:
    """`moderator` removes the item through the removal service (one committed action)."""
    from citypulse.db import session_scope
    from citypulse.models import User
    from citypulse.services.moderation.removal import content_remove
    from tests.integration.interactions.support import viewer

    with session_scope() as session:
        actor = session.exec(select(User).where(User.username == moderator)).one()
        content_remove(session, actor=viewer(actor), content_type=content_type,
                       content_id=content_id, reason=reason, now=datetime.now(UTC))  # fmt: skip


def trip_with_comment(owner: str, commenter: str) -> tuple[int, int, int]:
    """`owner`'s public trip with `commenter` as a member; (trip, kept, rude) comment ids."""
    from citypulse.db import session_scope
    from citypulse.models import User
    from citypulse.services.trips.comments import comment_post
    from tests.integration.interactions.support import viewer
    from tests.integration.trips.support import add_member, make_trip

    with session_scope() as session:

        def user(name: str) -> User:
            return session.exec(select(User).where(User.username == name)).one()

        trip = make_trip(session, user(owner), title="Lakes by train", visibility="public")
        add_member(session, trip, user(commenter))
        author, now = viewer(user(commenter)), datetime.now(UTC)
        kept = comment_post(session, actor=author, trip_id=trip.id, body="Train at 9?", now=now)
        rude = comment_post(session, actor=author, trip_id=trip.id, body="You are all idiots",
                            now=now)  # fmt: skip
        return trip.id, kept, rude


def rate(rater: str, place_id: int, review: str) -> int:
    """`rater` rates the place 2 with `review` through the ratings service; the rating's id."""
    from citypulse.db import session_scope
    from citypulse.models import Rating, User
    from citypulse.services.interactions.ratings import rating_upsert
    from tests.integration.interactions.support import viewer

    with session_scope() as session:
        user = session.exec(select(User).where(User.username == rater)).one()
        rating_upsert(session, actor=viewer(user), recommendation_id=place_id, rating=2,
                      review=review, now=datetime.now(UTC))  # fmt: skip
        return session.exec(
            select(Rating.id).where(Rating.recommendation_id == place_id, Rating.user_id == user.id)
        ).one()


def signed_in(browser: Browser, base_url: str, username: str, email: str) -> Page:
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, username, email=email)
    return page


def no_blocking_violations(page: Page, where: str) -> None:
    violations = blocking_violations(page, context="main")
    assert not violations, (where, violations)


def count_of(card: Locator) -> int:
    return int(re.findall(r"\d+", card.inner_text())[-1])


def test_removed_place_banner_appeal_and_live_moderator_pages(
    browser: Browser, base_url: str
) -> None:
    owner_email = create_member("rm_owner")
    stranger_email = create_member("rm_stranger")
    create_moderator("rm_mod")
    mod2_email = create_moderator("rm_mod2")
    place = create_place("rm_owner", title="Rm Ticket Corner")
    remove("rm_mod", "recommendation", place, PLACE_REASON)

    # rm_mod2 keeps the dashboard and the audit log open in two tabs.
    dashboard = signed_in(browser, base_url, "rm_mod2", mod2_email)
    dashboard.goto("/moderator/dashboard")
    appeals_card = dashboard.locator(".rt-Card").filter(has_text="Open appeals")
    expect(appeals_card).to_be_visible()
    before = count_of(appeals_card)
    log = dashboard.context.new_page()
    log.goto("/moderator/actions")
    expect(log.get_by_role("heading", name="Moderation log", level=1)).to_be_visible()
    expect(log.get_by_role("heading", level=2, name=re.compile(r"\(UTC\)$")).first).to_be_visible()
    expect(log.get_by_label("From (UTC)")).to_be_visible()

    # A moderator sees the removed place with the banner, without an appeal form.
    viewer = signed_in(browser, base_url, "rm_mod2", mod2_email)
    viewer.goto(f"/recommendations/{place}")
    banner = viewer.get_by_role("region", name="Removed by moderation")
    expect(banner).to_contain_text(f"Reason: {PLACE_REASON}")
    expect(viewer.get_by_role("heading", name="Rm Ticket Corner", level=1)).to_be_visible()
    expect(banner.get_by_label(APPEAL_LABEL)).to_have_count(0)
    expect(viewer.get_by_role("button", name="Like")).to_have_count(0)  # nothing to refuse
    expect(viewer.get_by_role("button", name="Submit rating")).to_have_count(0)
    no_blocking_violations(viewer, "removed place, moderator")
    viewer.context.close()

    stranger = signed_in(browser, base_url, "rm_stranger", stranger_email)
    stranger.goto(f"/recommendations/{place}")
    expect(stranger.get_by_role("heading", level=1)).to_have_text(NOT_FOUND)
    stranger.context.close()

    # The owner: banner, reason, and the appeal form with clear errors.
    owner = signed_in(browser, base_url, "rm_owner", owner_email)
    owner.goto(f"/recommendations/{place}")
    banner = owner.get_by_role("region", name="Removed by moderation")
    expect(banner).to_contain_text(f"Reason: {PLACE_REASON}")
    expect(banner).to_contain_text("Only you and moderators can see it.")
    no_blocking_violations(owner, "removed place, owner")
    field = banner.get_by_label(APPEAL_LABEL)
    field.fill("Too short")
    banner.get_by_role("button", name="Appeal the removal").click()
    expect(banner.get_by_role("alert")).to_have_text("Message must be 20–2000 characters")
    expect(field).to_have_attribute("aria-invalid", "true")
    no_blocking_violations(owner, "removal appeal error")
    field.fill("It is a real café: the link was the menu, not a reseller.")
    banner.get_by_role("button", name="Appeal the removal").click()
    expect(banner.get_by_text("Your appeal is waiting for a decision.")).to_be_visible()
    expect(banner.get_by_label(APPEAL_LABEL)).to_have_count(0)  # one appeal per removal
    owner.reload()
    expect(banner.get_by_text("Your appeal is waiting for a decision.")).to_be_visible()

    # Every open dashboard counts the new appeal without a reload (§6.8).
    expect(appeals_card).to_have_text(re.compile(rf"^Open appeals\D*{before + 1}$"))

    # rm_mod2 rejects it on /moderator/appeals; the open log shows the decision live.
    dashboard.goto("/moderator/appeals")
    card = dashboard.get_by_role("listitem").filter(has_text="@rm_owner")
    card.get_by_label(NOTE_LABEL).fill("The menu link still sends people to a reseller.")
    card.get_by_label("Reject").check()
    card.get_by_role("button", name="Submit decision").click()
    expect(dashboard.get_by_text("Appeal rejected")).to_be_visible()
    entry = log.get_by_role("row").filter(has_text="Appeal decision").filter(has_text="rm_owner")
    expect(entry).to_be_visible()
    no_blocking_violations(log, "/moderator/actions")

    owner.reload()
    expect(banner.get_by_text("Your appeal was rejected.")).to_be_visible()
    expect(banner).to_contain_text("The menu link still sends people to a reseller.")


def test_removed_trip_and_comment_banners(browser: Browser, base_url: str) -> None:
    owner_email = create_member("rt_owner")
    member_email = create_member("rt_member")
    stranger_email = create_member("rt_stranger")
    mod_email = create_moderator("rt_mod")
    create_moderator("rt_mod2")
    trip, _, rude = trip_with_comment("rt_owner", "rt_member")
    remove("rt_mod2", "trip_comment", rude, COMMENT_REASON)

    # The comment's author sees it marked; the trip's owner (not its author) does not.
    member = signed_in(browser, base_url, "rt_member", member_email)
    member.goto(f"/trips/{trip}?tab=comments")
    comments = member.get_by_role("list", name="Comments")
    expect(comments).to_contain_text("Train at 9?")
    removed = comments.get_by_role("listitem").filter(has_text="You are all idiots")
    expect(removed).to_contain_text(f"Removed by moderation. Reason: {COMMENT_REASON}")
    for name in ("Edit", "Delete"):
        expect(removed.get_by_role("button", name=name)).to_have_count(0)
    no_blocking_violations(member, "removed comment, author")
    # Its author appeals from the comment (clear error first, then once).
    removed.get_by_label(APPEAL_LABEL).fill("Sorry")
    removed.get_by_role("button", name="Appeal the removal").click()
    expect(removed.get_by_role("alert")).to_have_text("Message must be 20–2000 characters")
    removed.get_by_label(APPEAL_LABEL).fill("It was a joke between old friends on this trip.")
    removed.get_by_role("button", name="Appeal the removal").click()
    expect(removed.get_by_text("Your appeal is waiting for a decision.")).to_be_visible()
    expect(removed.get_by_label(APPEAL_LABEL)).to_have_count(0)
    owner = signed_in(browser, base_url, "rt_owner", owner_email)
    owner.goto(f"/trips/{trip}?tab=comments")
    expect(owner.get_by_role("list", name="Comments")).to_contain_text("Train at 9?")
    expect(owner.get_by_text("You are all idiots")).to_have_count(0)

    remove("rt_mod2", "trip", trip, TRIP_REASON)
    owner.goto(f"/trips/{trip}")
    banner = owner.get_by_role("region", name="Removed by moderation")
    expect(banner).to_contain_text(f"Reason: {TRIP_REASON}")
    expect(banner).to_contain_text("Only you and moderators can see it.")
    expect(banner.get_by_label(APPEAL_LABEL)).to_be_visible()
    no_blocking_violations(owner, "removed trip, owner")

    moderator = signed_in(browser, base_url, "rt_mod", mod_email)
    moderator.goto(f"/trips/{trip}")
    banner = moderator.get_by_role("region", name="Removed by moderation")
    expect(banner).to_contain_text(f"Reason: {TRIP_REASON}")
    expect(banner.get_by_label(APPEAL_LABEL)).to_have_count(0)
    moderator.goto(f"/trips/{trip}?tab=comments")
    moderator_comments = moderator.get_by_role("list", name="Comments")
    expect(moderator_comments).to_contain_text(f"Removed by moderation. Reason: {COMMENT_REASON}")
    expect(moderator_comments.get_by_label(APPEAL_LABEL)).to_have_count(0)
    no_blocking_violations(moderator, "removed trip, moderator")

    for page in (member, signed_in(browser, base_url, "rt_stranger", stranger_email)):
        page.goto(f"/trips/{trip}")
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Trip not found|404"))


def appeal_from(region: Locator, message: str) -> None:
    """A too-short appeal first (a clear error), then `message`: filed once."""
    region.get_by_label(APPEAL_LABEL).fill("Too short")
    region.get_by_role("button", name="Appeal the removal").click()
    expect(region.get_by_role("alert")).to_have_text("Message must be 20–2000 characters")
    region.get_by_label(APPEAL_LABEL).fill(message)
    region.get_by_role("button", name="Appeal the removal").click()
    expect(region.get_by_text("Your appeal is waiting for a decision.")).to_be_visible()
    expect(region.get_by_label(APPEAL_LABEL)).to_have_count(0)


def test_removed_review_and_profile_banners(browser: Browser, base_url: str) -> None:
    author_email = create_member("rr_author")
    reviewer_email = create_member("rr_reviewer")
    create_moderator("rr_mod")
    place = create_place("rr_author", title="Rr Fish Grill")
    rating = rate("rr_reviewer", place, "The waiter Rui is an idiot")
    remove("rr_mod", "review", rating, REVIEW_REASON)

    # The review's author: the banner with the reason and the appeal, by their rating.
    reviewer = signed_in(browser, base_url, "rr_reviewer", reviewer_email)
    reviewer.goto(f"/recommendations/{place}")
    region = reviewer.get_by_role("region", name=REVIEW_REGION)
    expect(region).to_contain_text(f"Reason: {REVIEW_REASON}")
    expect(region).to_contain_text("Only you and moderators can see it.")
    expect(reviewer.get_by_role("button", name="Submit rating")).to_be_visible()
    no_blocking_violations(reviewer, "removed review, its author")
    appeal_from(region, "I was upset that night; the review was about the slow service.")
    no_blocking_violations(reviewer, "removed review, appeal sent")
    reviewer.reload()
    expect(
        reviewer.get_by_role("region", name=REVIEW_REGION).get_by_text(
            "Your appeal is waiting for a decision."
        )
    ).to_be_visible()

    # The place's author sees the rating, its text hidden, and no reason nor appeal.
    author = signed_in(browser, base_url, "rr_author", author_email)
    author.goto(f"/recommendations/{place}")
    expect(author.get_by_text("Review removed by a moderator")).to_be_visible()
    expect(author.get_by_text("The waiter Rui is an idiot")).to_have_count(0)
    expect(author.get_by_role("region", name=REVIEW_REGION)).to_have_count(0)
    expect(author.get_by_text(REVIEW_REASON)).to_have_count(0)

    # A removed profile: its owner sees the reason and appeals on their profile page.
    remove("rr_mod", "profile", _user_id("rr_reviewer"), PROFILE_REASON)
    reviewer.goto("/profile/rr_reviewer")
    region = reviewer.get_by_role("region", name=PROFILE_REGION)
    expect(region).to_contain_text(f"Reason: {PROFILE_REASON}")
    expect(region).to_contain_text("Your bio, photos and links are cleared")  # still public
    expect(region).not_to_contain_text("Only you and moderators can see it.")
    no_blocking_violations(reviewer, "removed profile, its owner")
    appeal_from(region, "My bio only named the club I play football with on Sundays.")
    # Anyone else sees the cleared profile, without the banner or the reason.
    author.goto("/profile/rr_reviewer")
    expect(author.get_by_role("heading", level=1)).to_be_visible()
    expect(author.get_by_role("region", name=PROFILE_REGION)).to_have_count(0)
    expect(author.get_by_text(PROFILE_REASON)).to_have_count(0)
    author.goto("/profile/rr_author")  # their own, not removed: no banner
    expect(author.get_by_role("heading", level=1)).to_be_visible()
    expect(author.get_by_role("region", name=PROFILE_REGION)).to_have_count(0)


def _user_id(username: str) -> int:
    from citypulse.db import session_scope
    from citypulse.models import User

    with session_scope() as session:
        return session.exec(select(User.id).where(User.username == username)).one()
