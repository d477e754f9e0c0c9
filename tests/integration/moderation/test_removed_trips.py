"""Removed trips and trip comments (§4.13.3): their owner and moderators still see them,
with the removal's reason; nobody else does. The trip owner's banner carries the appeal."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from citypulse.models.enums import Visibility
from citypulse.services.errors import Conflict, NotFound
from citypulse.services.moderation.appeals import ALREADY_APPEALED, appeal_create
from citypulse.services.moderation.removal import content_remove
from citypulse.services.moderation.removal_banner import appeal_removal_of
from citypulse.services.trips import comments as cm
from citypulse.services.trips.pages import trip_page
from tests.integration.interactions.support import act
from tests.integration.profiles.support import viewer_of
from tests.integration.support import NOW
from tests.integration.trips.support import add_member, make_people, make_trip

TRIP_REASON = "The trip advertises paid tours, not a plan"
COMMENT_REASON = "Insults another traveller in the thread"


def remove(session: Session, moderator, content_type: str, content_id: int, reason: str) -> int:
    done, _ = act(session, content_remove, actor=viewer_of(moderator), content_type=content_type,
                  content_id=content_id, reason=reason, now=NOW)  # fmt: skip
    return done.audit_id


def page(session: Session, who, trip_id: int):
    return trip_page(session, viewer=viewer_of(who) if who else None, trip_id=trip_id, now=NOW)


def test_a_removed_trip_shows_its_banner_to_the_owner_and_moderators(session: Session) -> None:
    people = make_people(session)
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    add_member(session, trip, people.dave)
    removal_id = remove(session, people.mod, "trip", trip.id, TRIP_REASON)

    owner = page(session, people.alice, trip.id)
    assert owner.trip.is_removed and owner.removal is not None
    assert owner.removal.reason == TRIP_REASON and owner.removal.owner_view
    assert owner.removal.removal_id == removal_id and owner.removal.can_appeal
    moderator = page(session, people.mod, trip.id)
    assert moderator.removal is not None and moderator.removal.reason == TRIP_REASON
    assert not moderator.removal.owner_view and not moderator.removal.can_appeal
    for other in (people.dave, people.bob, None):  # a member, a stranger, a visitor
        with pytest.raises(NotFound):
            page(session, other, trip.id)

    act(session, appeal_create, actor=viewer_of(people.alice), target_type="content_removal",
        target_id=removal_id, message="It is our family plan; the tours link was a mistake.",
        now=NOW)  # fmt: skip
    banner = page(session, people.alice, trip.id).removal
    assert banner is not None and banner.appeal_status == "pending" and not banner.can_appeal


def test_an_active_trip_has_no_banner(session: Session) -> None:
    people = make_people(session)
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    assert page(session, people.alice, trip.id).removal is None


def test_a_removed_comment_stays_for_its_author_and_moderators(session: Session) -> None:
    people = make_people(session)
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    add_member(session, trip, people.dave)
    kept, _ = act(session, cm.comment_post, actor=viewer_of(people.dave), trip_id=trip.id,
                  body="Train at 9?", now=NOW)  # fmt: skip
    gone, _ = act(session, cm.comment_post, actor=viewer_of(people.dave), trip_id=trip.id,
                  body="Something rude", now=NOW)  # fmt: skip
    remove(session, people.mod, "trip_comment", gone, COMMENT_REASON)

    def rows(who):
        shown = cm.trip_comments(
            session, viewer=viewer_of(who) if who else None, trip_id=trip.id, now=NOW
        )
        return {row.id: row for row in shown.rows}

    for who in (people.dave, people.mod):
        seen = rows(who)
        assert set(seen) == {kept, gone}
        removal = seen[gone].removal
        assert removal is not None and removal.reason == COMMENT_REASON
        assert removal.can_appeal == (who is people.dave)  # the author's appeal only
        assert not seen[gone].can_edit and not seen[gone].can_delete
        assert seen[kept].removal is None
    for who in (people.alice, people.bob, None):  # the trip owner is not the author
        assert set(rows(who)) == {kept}

    # The author appeals by the comment; nobody else can, and only once.
    message = "It was a joke between old friends, nobody was insulted."
    for who, comment in ((people.alice, gone), (people.dave, kept)):
        with pytest.raises(NotFound):
            act(session, appeal_removal_of, actor=viewer_of(who), content_type="trip_comment",
                content_id=comment, message=message, now=NOW)  # fmt: skip
    act(session, appeal_removal_of, actor=viewer_of(people.dave), content_type="trip_comment",
        content_id=gone, message=message, now=NOW)  # fmt: skip
    with pytest.raises(Conflict, match=ALREADY_APPEALED):
        act(session, appeal_removal_of, actor=viewer_of(people.dave),
            content_type="trip_comment", content_id=gone, message=message, now=NOW)  # fmt: skip
    removal = rows(people.dave)[gone].removal
    assert removal is not None and removal.appeal_status == "pending" and not removal.can_appeal
