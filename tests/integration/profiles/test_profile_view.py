"""Viewing profiles: visibility, limited card, 404s, hidden fields, stats (PRODUCT.md §4.2)."""

from datetime import UTC, datetime

import pytest
from sqlmodel import Session

from citypulse.models import Achievement, CityVisit, UserAchievement
from citypulse.models.enums import AccountStatus, BuddyStatus, ContentStatus, Visibility
from citypulse.services.errors import NotFound
from citypulse.services.profiles.queries import (
    BUDDIES_ONLY_NOTICE,
    PRIVATE_NOTICE,
    ProfileStats,
    profile_view,
)
from tests.integration.profiles.support import (
    People,
    all_text,
    block,
    connect,
    profile_of,
    viewer_of,
)
from tests.support.factories import create_city, create_recommendation


def view(session: Session, viewer, username: str = "alice", **kwargs):
    return profile_view(
        session, viewer=viewer_of(viewer) if viewer else None, username=username, **kwargs
    )


def set_visibility(session: Session, people: People, visibility: str) -> None:
    profile = profile_of(session, people.alice)
    profile.profile_visibility = visibility
    session.add(profile)
    session.flush()


def assert_limited(card, notice: str) -> None:
    assert card.kind == "limited" and card.notice == notice
    assert (card.username, card.full_name) == ("alice", "Alice Traveller")
    assert card.bio is card.hometown is card.current_location is card.links is card.stats is None
    assert card.cities_visited == () and card.email is card.phone is card.completion is None


def test_private_profile_gives_bob_dave_and_visitors_the_limited_card(
    session: Session, people: People
) -> None:
    set_visibility(session, people, Visibility.private)
    for viewer in (people.bob, people.dave, None):
        assert_limited(view(session, viewer), PRIVATE_NOTICE)
    own = view(session, people.alice)
    assert own.kind == "full" and own.is_owner and own.profile_visibility == "private"


def test_friends_only_profile_is_full_for_buddies_only(session: Session, people: People) -> None:
    set_visibility(session, people, Visibility.friends_only)
    full = view(session, people.dave)
    assert full.kind == "full" and full.notice is None and full.relationship == "buddies"
    assert full.bio == "Coffee and trams." and full.stats is not None
    assert_limited(view(session, people.bob), BUDDIES_ONLY_NOTICE)
    assert_limited(view(session, None), BUDDIES_ONLY_NOTICE)


def test_public_profile_is_full_for_everyone(session: Session, people: People) -> None:
    for viewer in (people.bob, people.dave, None):
        shown = view(session, viewer)
        assert shown.kind == "full" and shown.hometown == "Porto"
        assert shown.links.instagram_url == "https://instagram.com/alice"
        assert not shown.is_owner and shown.completion is None


@pytest.mark.parametrize("visibility", list(Visibility))
def test_email_and_phone_never_reach_another_viewer(
    session: Session, people: People, visibility: str
) -> None:
    set_visibility(session, people, visibility)
    alice = people.alice
    others = [
        view(session, people.bob),
        view(session, people.dave),
        view(session, None),
        view(session, people.mod),
        view(session, people.mod, moderation_context=True),
    ]
    for shown in others:
        assert shown.email is None and shown.phone is None
        assert alice.email not in all_text(shown) and alice.phone not in all_text(shown)
    own = view(session, alice)
    assert (own.email, own.phone) == (alice.email, alice.phone)


def test_username_lookup_ignores_case_and_unknown_names_are_404(
    session: Session, people: People
) -> None:
    assert view(session, people.bob, "  ALICE ").username == "alice"
    for name in ("nobody", "", "   "):
        with pytest.raises(NotFound):
            view(session, people.bob, name)


@pytest.mark.parametrize(
    "status", [AccountStatus.deactivated, AccountStatus.suspended, AccountStatus.banned]
)
def test_inactive_accounts_are_404_except_to_moderators_moderating(
    session: Session, people: People, status: str
) -> None:
    people.alice.account_status = status
    session.add(people.alice)
    session.flush()
    for viewer in (people.bob, people.dave, None, people.mod, people.alice):
        with pytest.raises(NotFound):
            view(session, viewer)
    moderated = view(session, people.mod, moderation_context=True)
    assert moderated.kind == "full" and moderated.email is None
    with pytest.raises(NotFound):  # moderation context means nothing for a plain user
        view(session, people.bob, moderation_context=True)


def test_unverified_accounts_are_404(session: Session, people: People) -> None:
    people.alice.email_verified_at = None
    session.add(people.alice)
    session.flush()
    with pytest.raises(NotFound):
        view(session, people.bob)


def test_a_block_either_way_is_404_both_ways(session: Session, people: People) -> None:
    block(session, people.alice, people.bob)
    with pytest.raises(NotFound):
        view(session, people.bob, "alice")
    with pytest.raises(NotFound):
        view(session, people.alice, "bob")
    assert view(session, people.carol, "alice").kind == "full"
    mod = people.mod
    block(session, mod, people.alice)
    with pytest.raises(NotFound):
        view(session, mod)
    assert view(session, mod, moderation_context=True).kind == "full"


def test_location_and_links_follow_the_privacy_switches(session: Session, people: People) -> None:
    profile = profile_of(session, people.alice)
    profile.location_sharing = False
    profile.social_links_visible = False
    session.add(profile)
    session.flush()
    shown = view(session, people.bob)
    assert shown.current_location is None and shown.links is None
    assert "Lisbon" not in all_text(shown) and "instagram.com" not in all_text(shown)
    assert shown.hometown == "Porto"  # the hometown is not a location shared live
    own = view(session, people.alice)
    assert own.current_location == "Lisbon" and own.links.instagram_url
    moderated = view(session, people.mod, moderation_context=True)
    assert moderated.current_location == "Lisbon" and moderated.links is not None


def test_stats_count_what_the_viewer_may_see(session: Session, people: People) -> None:
    alice, dave, bob, carol = people.alice, people.dave, people.bob, people.carol
    for visibility in (Visibility.public, Visibility.friends_only, Visibility.private):
        create_recommendation(session, author=alice, visibility=visibility)
    create_recommendation(session, author=alice).status = ContentStatus.deleted
    create_recommendation(session, author=alice).status = ContentStatus.removed
    create_recommendation(session, author=bob)  # someone else's
    connect(session, carol, alice)
    connect(session, bob, alice, BuddyStatus.pending)
    lisbon, porto = create_city(session), create_city(session)
    session.add_all(
        [
            CityVisit(user_id=alice.id, city_id=lisbon.id, visit_month="2024-05"),
            CityVisit(user_id=alice.id, city_id=porto.id, source="recommendation"),
        ]
    )
    for code, points, done in (("first", 10, True), ("second", 25, True), ("third", 50, False)):
        badge = Achievement(
            code=code,
            name=code.title(),
            description="d",
            metric="cities_visited",
            threshold=1,
            tier="bronze",
            points=points,
        )
        session.add(badge)
        session.flush()
        completed = datetime.now(UTC) if done else None
        session.add(
            UserAchievement(
                user_id=alice.id, achievement_id=badge.id, progress=1, completed_at=completed
            )
        )
    session.flush()
    assert view(session, None).stats == ProfileStats(2, 1, 2, 35)
    assert view(session, bob).stats.recommendations == 1
    assert view(session, dave).stats == ProfileStats(2, 2, 2, 35)
    assert view(session, alice).stats.recommendations == 3  # active only, private included
    block(session, alice, carol)
    assert view(session, dave).stats.buddies == 2  # the buddies stat is a plain count


def test_cities_visited_are_listed_with_their_month(session: Session, people: People) -> None:
    alice = people.alice
    oslo, rome, bern = (create_city(session, name=n) for n in ("Oslo", "Rome", "Bern"))
    session.add_all(
        [
            CityVisit(user_id=alice.id, city_id=oslo.id),
            CityVisit(user_id=alice.id, city_id=rome.id, visit_month="2023-04"),
            CityVisit(user_id=alice.id, city_id=bern.id, visit_month="2024-09"),
        ]
    )
    session.flush()
    cities = view(session, people.bob).cities_visited
    assert [(c.name, c.visit_month) for c in cities] == [
        ("Bern", "2024-09"),
        ("Rome", "2023-04"),
        ("Oslo", None),
    ]
    assert cities[0].country == "Portugal" and cities[0].source == "manual"


def test_relationship_and_buddy_button(session: Session, people: People) -> None:
    alice, bob, carol = people.alice, people.bob, people.carol
    connect(session, bob, alice, BuddyStatus.pending)
    assert view(session, bob).relationship == "request_sent"
    from_alice = view(session, alice, "bob")
    assert from_alice.relationship == "request_received" and from_alice.buddy_button
    own = view(session, alice)
    assert own.relationship == "none" and not own.buddy_button
    carol_profile = profile_of(session, carol)
    carol_profile.buddy_requests_enabled = False
    session.add(carol_profile)
    session.flush()
    to_carol = view(session, alice, "carol")
    assert to_carol.relationship == "none" and not to_carol.buddy_button
    set_visibility(session, people, Visibility.private)
    card = view(session, carol)
    assert card.kind == "limited" and card.buddy_button and card.relationship == "none"
    assert view(session, people.dave).relationship == "buddies"
