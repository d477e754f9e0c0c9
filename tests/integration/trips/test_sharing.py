"""Share link (PRODUCT.md §4.6.10, journey §7.25): owner only, hashed, read-only view."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from citypulse.models import Trip
from citypulse.models.enums import CompanionRole, Visibility
from citypulse.services.errors import Conflict, NotFound, PermissionDenied
from citypulse.services.trips.access import share_token_hash
from citypulse.services.trips.pages import trip_page
from citypulse.services.trips.places import place_add
from citypulse.services.trips.sharing import share_link_create, share_link_revoke
from tests.integration.profiles.support import viewer_of
from tests.integration.trips.support import People, add_member, make_trip, run
from tests.support.factories import create_recommendation


def token_of(path: str) -> str:
    return path.split("?share=", 1)[1]


def test_owner_creates_a_hashed_256_bit_link(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice)
    path = run(session, share_link_create, people.alice, trip_id=trip.id)
    token = token_of(path)
    assert path == f"/trips/{trip.id}?share={token}" and len(token) >= 43
    stored = session.get(Trip, trip.id).share_token_hash
    assert stored == share_token_hash(token) and token not in stored


def test_journey_7_25_read_only_view_without_names_or_hidden_places(
    session: Session, people: People
) -> None:
    trip = make_trip(session, people.alice)
    add_member(session, trip, people.dave)
    public = create_recommendation(session, author=people.alice, title="Public cafe")
    hidden = create_recommendation(
        session, author=people.alice, visibility="friends_only", title="Buddies bar"
    )
    for rec in (public, hidden):
        run(session, place_add, people.alice, trip_id=trip.id, recommendation_id=rec.id)
    token = token_of(run(session, share_link_create, people.alice, trip_id=trip.id))
    page = trip_page(session, viewer=None, trip_id=trip.id, share_token=token)
    assert page.permissions.via_share and not page.permissions.can_edit_plan
    assert (page.trip.owner_name, page.trip.owner_username) == ("", "")
    assert [p.title for p in page.places] == ["Public cafe"]
    assert not page.trip.has_share_link
    run(session, share_link_revoke, people.alice, trip_id=trip.id)
    with pytest.raises(NotFound):
        trip_page(session, viewer=None, trip_id=trip.id, share_token=token)


def test_regenerating_voids_the_old_link(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice, visibility=Visibility.public)
    first = token_of(run(session, share_link_create, people.alice, trip_id=trip.id))
    second = token_of(run(session, share_link_create, people.alice, trip_id=trip.id))
    assert first != second
    session.get(Trip, trip.id).visibility = Visibility.friends_only
    session.flush()
    with pytest.raises(NotFound):
        trip_page(session, viewer=viewer_of(people.bob), trip_id=trip.id, share_token=first)
    assert trip_page(session, viewer=viewer_of(people.bob), trip_id=trip.id, share_token=second)


def test_only_the_owner_of_a_shareable_trip(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice)
    add_member(session, trip, people.dave, CompanionRole.organizer)
    with pytest.raises(PermissionDenied):
        run(session, share_link_create, people.dave, trip_id=trip.id)
    with pytest.raises(PermissionDenied):
        run(session, share_link_revoke, people.dave, trip_id=trip.id)
    private = make_trip(session, people.alice, visibility=Visibility.private)
    with pytest.raises(Conflict, match="Private trips cannot be shared"):
        run(session, share_link_create, people.alice, trip_id=private.id)
    for service in (share_link_create, share_link_revoke):
        with pytest.raises(NotFound):
            run(session, service, people.dave, trip_id=private.id)
    assert run(session, share_link_revoke, people.alice, trip_id=trip.id) is False
