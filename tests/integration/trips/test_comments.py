"""Trip comments (PRODUCT.md §4.6.9): who posts, edits and deletes; blocked users hidden."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models import TripComment
from citypulse.models.enums import (
    CompanionRole,
    CompanionStatus,
    ContentStatus,
    NotificationType,
    Visibility,
)
from citypulse.services.errors import NotFound, PermissionDenied, RateLimited, ValidationFailed
from citypulse.services.trips import comments as cm
from citypulse.services.trips.access import MEMBERS_ONLY, share_token_hash
from citypulse.services.trips.events import TripChanged
from citypulse.settings import get_settings
from tests.integration.interactions.support import act
from tests.integration.profiles.support import viewer_of
from tests.integration.support import NOW, outbox
from tests.integration.trips.support import People, add_member, block, make_trip, run
from tests.integration.trips.test_companions import notes


def page(session: Session, user, trip_id: int, cursor: str | None = None) -> cm.CommentsPage:
    return cm.trip_comments(
        session, viewer=viewer_of(user) if user else None, trip_id=trip_id, cursor=cursor
    )


def test_members_post_and_the_others_are_told(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, collaborative=True)
    add_member(session, trip, people.dave)
    add_member(session, trip, people.carol, status=CompanionStatus.invited)
    comment_id, events = act(session, cm.comment_post, actor=viewer_of(people.dave),
                             trip_id=trip.id, body="  Train at 9?  ", now=NOW)  # fmt: skip
    assert [e.parts for e in events if isinstance(e, TripChanged)] == [("comments",)]
    (told,) = notes(session, people.alice, NotificationType.trip_comment)
    assert told.action_url == f"/trips/{trip.id}?tab=comments" and "Train at 9?" in told.message
    assert notes(session, people.dave, NotificationType.trip_comment) == []  # not the author
    assert notes(session, people.carol, NotificationType.trip_comment) == []  # only invited
    assert outbox(session) == []  # trip_comment sends no email
    shown = page(session, people.alice, trip.id)
    assert shown.can_post
    (row,) = shown.rows
    assert (row.id, row.body, row.author_username) == (comment_id, "Train at 9?", "t_dave")
    assert not row.edited and not row.can_edit and row.can_delete  # alice owns the trip


def test_who_may_not_post(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    add_member(session, trip, people.dave, status=CompanionStatus.invited)
    for outsider in (people.bob, people.dave):  # a reader; an invitee not yet accepted
        with pytest.raises(PermissionDenied, match=MEMBERS_ONLY):
            run(session, cm.comment_post, outsider, trip_id=trip.id, body="Hi", now=NOW)
        assert not page(session, outsider, trip.id).can_post
    with pytest.raises(PermissionDenied, match="Sign in"):
        run(session, cm.comment_post, None, trip_id=trip.id, body="Hi", now=NOW)
    private = make_trip(session, people.alice, visibility=Visibility.private)
    with pytest.raises(NotFound):  # §7.23: dave gets a 404 for the comments
        run(session, cm.comment_post, people.dave, trip_id=private.id, body="Hi", now=NOW)
    with pytest.raises(NotFound):
        page(session, people.dave, private.id)
    for body, problem in (("   ", "Write a comment"), ("x" * 1001, "at most 1000"),
                          ("bad\x00text", "control characters")):  # fmt: skip
        with pytest.raises(ValidationFailed, match=problem) as refused:
            run(session, cm.comment_post, people.alice, trip_id=trip.id, body=body, now=NOW)
        assert "body" in refused.value.field_errors
    run(session, cm.comment_post, people.alice, trip_id=trip.id, body="x" * 1000, now=NOW)


def test_edit_by_the_author_only_shows_edited(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice)
    add_member(session, trip, people.dave, role=CompanionRole.organizer)
    comment_id = run(session, cm.comment_post, people.alice, trip_id=trip.id, body="Hi",
                     now=NOW)  # fmt: skip
    with pytest.raises(PermissionDenied, match="Only the author"):
        run(session, cm.comment_edit, people.dave, comment_id=comment_id, body="Hacked", now=NOW)
    with pytest.raises(NotFound):  # bob cannot see the trip, so not the comment either
        run(session, cm.comment_edit, people.bob, comment_id=comment_id, body="Hacked", now=NOW)
    with pytest.raises(NotFound):
        run(session, cm.comment_edit, people.alice, comment_id=999_999, body="x", now=NOW)
    later = NOW + timedelta(minutes=5)
    run(session, cm.comment_edit, people.alice, comment_id=comment_id, body="Hello all",
        now=later)  # fmt: skip
    (row,) = page(session, people.dave, trip.id).rows
    assert row.body == "Hello all" and row.edited
    assert session.get(TripComment, comment_id).edited_at == later
    with pytest.raises(ValidationFailed):
        run(session, cm.comment_edit, people.alice, comment_id=comment_id, body="", now=NOW)


def test_delete_by_author_owner_or_organizer(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    add_member(session, trip, people.dave, role=CompanionRole.organizer)
    add_member(session, trip, people.carol)
    by_carol = [
        run(session, cm.comment_post, people.carol, trip_id=trip.id, body=f"c{n}", now=NOW)
        for n in range(3)
    ]
    by_alice = run(session, cm.comment_post, people.alice, trip_id=trip.id, body="a", now=NOW)
    with pytest.raises(PermissionDenied, match="Only the author, the owner"):
        run(session, cm.comment_delete, people.bob, comment_id=by_carol[0], now=NOW)
    with pytest.raises(PermissionDenied, match="Only the author, the owner"):
        run(session, cm.comment_delete, people.carol, comment_id=by_alice, now=NOW)
    run(session, cm.comment_delete, people.carol, comment_id=by_carol[0], now=NOW)
    run(session, cm.comment_delete, people.dave, comment_id=by_carol[1], now=NOW)
    run(session, cm.comment_delete, people.alice, comment_id=by_carol[2], now=NOW)
    session.expire_all()
    assert session.get(TripComment, by_carol[0]).status == ContentStatus.deleted
    assert [r.id for r in page(session, people.bob, trip.id).rows] == [by_alice]
    with pytest.raises(NotFound):  # deleted is gone
        run(session, cm.comment_delete, people.alice, comment_id=by_carol[0], now=NOW)


def test_blocked_authors_are_hidden_and_nothing_crosses(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    add_member(session, trip, people.carol)
    run(session, cm.comment_post, people.carol, trip_id=trip.id, body="Secret plan", now=NOW)
    block(session, people.bob, people.carol)
    (row,) = page(session, people.bob, trip.id).rows
    assert row.hidden and row.body == "" and row.author_username == ""
    assert "Secret plan" not in repr(page(session, people.bob, trip.id))
    (row,) = page(session, people.alice, trip.id).rows
    assert not row.hidden and row.body == "Secret plan"
    # a member blocked by another member is not told of their comments
    add_member(session, trip, people.bob)
    run(session, cm.comment_post, people.carol, trip_id=trip.id, body="Again", now=NOW)
    assert notes(session, people.bob, NotificationType.trip_comment) == []


def test_visitors_read_public_comments_but_share_links_show_none(
    session: Session, people: People
) -> None:
    trip = make_trip(session, people.alice)
    trip.share_token_hash = share_token_hash("tok")
    session.add(trip)
    run(session, cm.comment_post, people.alice, trip_id=trip.id, body="Hi", now=NOW)
    with pytest.raises(NotFound):
        cm.trip_comments(session, viewer=None, trip_id=trip.id)
    trip.visibility = Visibility.public
    session.add(trip)
    session.flush()
    shown = page(session, None, trip.id)
    assert [r.body for r in shown.rows] == ["Hi"] and not shown.can_post
    assert not shown.rows[0].can_delete


def test_pages_are_newest_first(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice)
    ids = [
        run(
            session,
            cm.comment_post,
            people.alice,
            trip_id=trip.id,
            body=f"n{n}",
            now=NOW + timedelta(seconds=n),
        )
        for n in range(cm.PAGE_SIZE + 3)
    ]
    first = page(session, people.alice, trip.id)
    assert [r.id for r in first.rows] == ids[::-1][: cm.PAGE_SIZE]
    second = page(session, people.alice, trip.id, first.next_cursor)
    assert [r.id for r in second.rows] == ids[::-1][cm.PAGE_SIZE :]
    assert second.next_cursor is None


def test_thirty_comments_per_fifteen_minutes(
    session: Session, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "rate_limit_multiplier", 1)
    trip = make_trip(session, people.alice)
    for n in range(cm.COMMENTS_PER_USER.count):
        run(session, cm.comment_post, people.alice, trip_id=trip.id, body=f"n{n}", now=NOW)
    with pytest.raises(RateLimited):
        run(session, cm.comment_post, people.alice, trip_id=trip.id, body="one more", now=NOW)
    later = NOW + cm.COMMENTS_PER_USER.window
    run(session, cm.comment_post, people.alice, trip_id=trip.id, body="later", now=later)
