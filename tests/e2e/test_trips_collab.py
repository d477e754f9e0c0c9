"""Planning a trip together (PRODUCT.md §7.22, §6.3): invitations, answers, comments and
removals reach the other person's open trip page live; each person in their own browser
context. axe on the Companions and Comments tabs.

The trip is arranged straight in the test database (the harness only).
"""

from __future__ import annotations

import re
import secrets
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.people import create_member, log_in_as, make_buddies

pytestmark = [
    pytest.mark.journeys,
    pytest.mark.harness_only("arranges the trip and the buddies in the test database"),
]

LIVE_MS = 2_000


def person(browser: Browser, base_url: str, name: str) -> Page:
    email = create_member(name)
    page = browser.new_context(base_url=base_url).new_page()
    log_in_as(page, name, email=email)
    return page


def arrange_trip(owner: str, title: str, members: tuple[str, ...] = ()) -> int:
    """`owner`'s collaborative buddies-only trip (their companion row included), with
    `members` already accepted as participants."""
    from sqlmodel import select

    from citypulse.db import session_scope
    from citypulse.models import Trip, TripCompanion, User

    year = date.today().year + 1
    with session_scope() as session:
        user = session.exec(select(User).where(User.username == owner)).one()
        trip = Trip(owner_id=user.id, title=title, visibility="friends_only",
                    is_collaborative=True, start_date=date(year, 6, 10),
                    end_date=date(year, 6, 14))  # fmt: skip
        session.add(trip)
        session.flush()
        session.add(TripCompanion(trip_id=trip.id, user_id=user.id, role="owner",
                                  status="accepted"))  # fmt: skip
        for name in members:
            member = session.exec(select(User).where(User.username == name)).one()
            session.add(TripCompanion(trip_id=trip.id, user_id=member.id, status="accepted",
                                      invited_by_id=user.id))  # fmt: skip
        return trip.id


def open_tab(page: Page, trip_id: int, tab: str) -> None:
    page.goto(f"/trips/{trip_id}?tab={tab}")
    heading = "Companions" if tab == "companions" else "Comments"
    expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text=re.compile("^Loading"))).to_have_count(0)


def invite(page: Page, username: str) -> None:
    form = page.get_by_role("form", name="Invite a companion")
    form.get_by_label("Username").fill(username)
    form.get_by_role("button", name="Invite", exact=True).click()


def member_row(page: Page, username: str):
    return (
        page.get_by_role("list", name="Companions")
        .get_by_role("listitem")
        .filter(has_text=f"@{username}")
    )


def test_journey_7_22_dave_accepts_comments_live_bob_refused(
    browser: Browser, base_url: str
) -> None:
    tag = secrets.token_hex(3)
    alice_name, dave_name, bob_name = (f"co_{n}_{tag}" for n in ("alice", "dave", "bob"))
    alice, dave = person(browser, base_url, alice_name), person(browser, base_url, dave_name)
    create_member(bob_name)
    make_buddies(alice_name, dave_name)
    trip_id = arrange_trip(alice_name, f"Toronto to Montreal {tag}")

    open_tab(alice, trip_id, "companions")
    assert blocking_violations(alice, "main") == []
    invite(alice, dave_name)
    expect(alice.get_by_text(f"Invitation sent to @{dave_name}.")).to_be_visible()
    expect(member_row(alice, dave_name)).to_contain_text("Invited")

    # bob is no buddy of alice's: refused with the reason, nothing changes
    invite(alice, bob_name)
    expect(
        alice.get_by_text("You can only invite your buddies to a buddies-only trip")
    ).to_be_visible()
    expect(member_row(alice, bob_name)).to_have_count(0)

    open_tab(dave, trip_id, "companions")
    dave.get_by_role("button", name="Accept invitation").click()
    expect(dave.get_by_text("You joined the trip.")).to_be_visible()
    # alice's open page follows live, and she is notified
    expect(member_row(alice, dave_name)).to_contain_text("Participant", timeout=LIVE_MS)
    expect(member_row(alice, dave_name)).not_to_contain_text("Invited")
    # her open page's bell counts it (its toast is shown there, not on the next page)
    unread_bell = re.compile(r"Notifications, [1-9]\d* unread")
    expect(alice.get_by_role("button", name=unread_bell)).to_be_visible(timeout=LIVE_MS)
    alice.goto("/notifications")
    listed = alice.get_by_role("main").get_by_text(re.compile("accepted your invitation"))
    expect(listed).to_be_visible()

    # dave (a participant of a collaborative trip) adds an activity: alice sees it live
    year = date.today().year + 1
    alice.goto(f"/trips/{trip_id}?tab=itinerary")
    expect(alice.get_by_role("heading", name="Itinerary", level=2)).to_be_visible()
    dave.goto(f"/trips/{trip_id}?tab=itinerary")
    dave.get_by_role("button", name="Add activity").click()
    dialog = dave.get_by_role("dialog")
    dialog.get_by_label("Title").fill("CN Tower at sunset")
    dialog.get_by_label("Date").fill(f"{year}-06-11")
    dialog.get_by_role("button", name="Save activity").click()
    expect(alice.get_by_role("heading", name="CN Tower at sunset")).to_be_visible(timeout=LIVE_MS)

    # dave's comment appears on alice's open Comments tab within 2 s
    open_tab(alice, trip_id, "comments")
    open_tab(dave, trip_id, "comments")
    assert blocking_violations(dave, "main") == []
    dave.get_by_role("textbox", name="Add a comment").fill("Train at 9 from Union Station?")
    dave.get_by_role("button", name="Post comment").click()
    posted = alice.get_by_text("Train at 9 from Union Station?", exact=True)  # not her toast
    expect(posted).to_be_visible(timeout=LIVE_MS)

    # edited and deleted live too
    comment = dave.get_by_role("listitem").filter(has_text="Train at 9")
    comment.get_by_role("button", name="Edit your comment").click()
    dave.get_by_role("textbox", name="Edit your comment").fill("Train at 10 from Union Station?")
    dave.get_by_role("button", name="Save").click()
    edited = alice.get_by_role("listitem").filter(has_text="Train at 10 from Union Station?")
    expect(edited.get_by_text("edited", exact=True)).to_be_visible(timeout=LIVE_MS)
    edited.get_by_role("button", name=re.compile("^Delete the comment by")).click()
    alice.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(dave.get_by_text("Train at 10 from Union Station?")).to_have_count(0, timeout=LIVE_MS)


def test_removed_member_loses_access_live(browser: Browser, base_url: str) -> None:
    """§6.3: dave (a member, not alice's buddy), removed while looking at the trip, is told
    "You no longer have access to this trip" and sent to /trips."""
    tag = secrets.token_hex(3)
    alice_name, dave_name = f"rm_alice_{tag}", f"rm_dave_{tag}"
    alice, dave = person(browser, base_url, alice_name), person(browser, base_url, dave_name)
    trip_id = arrange_trip(alice_name, f"Lakes {tag}", members=(dave_name,))
    open_tab(dave, trip_id, "comments")
    open_tab(alice, trip_id, "companions")
    member_row(alice, dave_name).get_by_role("button", name=f"Remove: @{dave_name}").click()
    alice.get_by_role("alertdialog").get_by_role("button", name="Remove").click()
    expect(dave.get_by_text("You no longer have access to this trip")).to_be_visible(
        timeout=LIVE_MS + 3_000
    )
    expect(dave).to_have_url(re.compile(r"/trips/?$"))


def open_itinerary(page: Page, trip_id: int) -> None:
    page.goto(f"/trips/{trip_id}?tab=itinerary")
    expect(page.get_by_role("heading", name="Itinerary", level=2)).to_be_visible()


def add_activity(page: Page, title: str, day: str) -> None:
    page.get_by_role("button", name="Add activity").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Title").fill(title)
    dialog.get_by_label("Date").fill(day)
    dialog.get_by_role("button", name="Save activity").click()
    expect(dialog).to_have_count(0)


def rename_activity(page: Page, title: str, new_title: str) -> None:
    page.get_by_role("button", name=f"Edit {title}", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Title").fill(new_title)
    dialog.get_by_role("button", name="Save activity").click()
    expect(dialog).to_have_count(0)  # saved: no conflict message held it open


def test_the_pushed_itinerary_keeps_each_viewer_s_rights(browser: Browser, base_url: str) -> None:
    """§6.3 with the itinerary pushed once to every open page (issue 12): each page still
    shows its own delete buttons (organizers any activity, a participant their own), and
    editing an activity changed by someone else is no conflict once the change arrived."""
    tag = secrets.token_hex(3)
    alice_name, dave_name = f"pl_alice_{tag}", f"pl_dave_{tag}"
    alice, dave = person(browser, base_url, alice_name), person(browser, base_url, dave_name)
    trip_id = arrange_trip(alice_name, f"Quebec {tag}", members=(dave_name,))
    year = date.today().year + 1
    open_itinerary(alice, trip_id)
    open_itinerary(dave, trip_id)

    add_activity(dave, "Chateau tour", f"{year}-06-11")
    expect(alice.get_by_role("heading", name="Chateau tour")).to_be_visible(timeout=LIVE_MS)
    expect(alice.get_by_role("button", name="Delete Chateau tour")).to_be_visible()
    add_activity(alice, "Old port walk", f"{year}-06-12")
    expect(dave.get_by_role("heading", name="Old port walk")).to_be_visible(timeout=LIVE_MS)
    expect(dave.get_by_role("button", name="Edit Old port walk")).to_be_visible()
    expect(dave.get_by_role("button", name="Delete Old port walk")).to_have_count(0)
    expect(dave.get_by_role("button", name="Delete Chateau tour")).to_be_visible()

    rename_activity(alice, "Chateau tour", "Chateau at night")
    expect(dave.get_by_role("heading", name="Chateau at night")).to_be_visible(timeout=LIVE_MS)
    rename_activity(dave, "Chateau at night", "Chateau by boat")
    expect(alice.get_by_role("heading", name="Chateau by boat")).to_be_visible(timeout=LIVE_MS)
    expect(dave.get_by_role("heading", name="Chateau at night")).to_have_count(0)
    assert blocking_violations(dave, "main") == []
