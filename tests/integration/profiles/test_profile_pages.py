"""Page loaders of the profile pages: `profile_page` and `profile_edit_page` (one transaction)."""

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models import Like, Save
from citypulse.models.enums import AccountStatus, Visibility
from citypulse.services.errors import NotFound, PermissionDenied
from citypulse.services.profiles.pages import profile_edit_page, profile_page
from citypulse.services.recommendations.queries import PAGE_SIZE
from tests.integration.profiles.support import People, block, profile_of, viewer_of
from tests.integration.support import NOW
from tests.support.factories import create_recommendation


def page_of(session: Session, viewer, tab: str = "", cursor: str | None = None, name="alice"):
    return profile_page(
        session,
        viewer=viewer_of(viewer) if viewer else None,
        username=name,
        tab=tab,
        cursor=cursor,
    )


def posts(session: Session, people: People, count: int, **kwargs) -> list[int]:
    """`count` of alice's recommendations, newest first."""
    made = []
    for i in range(count):
        rec = create_recommendation(session, author=people.alice, title=f"Post {i}", **kwargs)
        rec.created_at = NOW - timedelta(minutes=i)
        made.append(rec)
    session.flush()
    return [rec.id for rec in made]


def test_the_recommendations_tab_pages_what_the_viewer_may_see(
    session: Session, people: People
) -> None:
    public = posts(session, people, PAGE_SIZE + 1)
    hidden = posts(session, people, 1, visibility=Visibility.private)

    first = page_of(session, people.bob)
    rest = page_of(session, people.bob, cursor=first.next_cursor)

    assert first.tab == "recommendations" and first.profile.kind == "full"
    assert [card.id for card in first.cards] == public[:PAGE_SIZE]
    assert [card.id for card in rest.cards] == public[PAGE_SIZE:]
    assert rest.next_cursor is None and first.entries == rest.entries == ()
    assert hidden[0] in [card.id for card in page_of(session, people.alice).cards]


def test_the_owner_opens_saved_and_liked_lists(session: Session, people: People) -> None:
    [bobs] = [create_recommendation(session, author=people.bob, title="Bob's bakery").id]
    session.add_all([Save(recommendation_id=bobs, user_id=people.alice.id),
                     Like(recommendation_id=bobs, user_id=people.alice.id)])  # fmt: skip
    session.flush()

    for tab in ("saved", "liked"):
        page = page_of(session, people.alice, tab=tab)
        assert page.tab == tab and page.cards == ()
        assert [entry.title for entry in page.entries] == ["Bob's bakery"]


@pytest.mark.parametrize("tab", ["saved", "liked"])
def test_someone_elses_private_lists_fall_back_to_recommendations(
    session: Session, people: People, tab: str
) -> None:
    [bobs] = [create_recommendation(session, author=people.bob).id]
    session.add(Save(recommendation_id=bobs, user_id=people.alice.id))
    session.flush()

    for viewer in (people.bob, people.dave, None):
        page = page_of(session, viewer, tab=tab)
        assert page.tab == "recommendations" and page.entries == ()


@pytest.mark.parametrize("tab", ["history", "achievements", "", "bogus", "saved'--"])
def test_tabs_without_a_list_or_unknown_tabs(session: Session, people: People, tab: str) -> None:
    posts(session, people, 1)

    page = page_of(session, people.bob, tab=tab)

    expected = tab if tab in ("history", "achievements") else "recommendations"
    assert page.tab == expected
    assert (len(page.cards) == 1) == (expected == "recommendations")


def test_the_limited_card_comes_without_any_list(session: Session, people: People) -> None:
    posts(session, people, 2)
    profile = profile_of(session, people.alice)
    profile.profile_visibility = Visibility.private
    session.add(profile)
    session.flush()

    page = page_of(session, people.bob)

    assert page.profile.kind == "limited" and page.cards == () and page.next_cursor is None


def test_hidden_or_unknown_profiles_are_not_found(session: Session, people: People) -> None:
    block(session, people.alice, people.bob)
    with pytest.raises(NotFound):
        page_of(session, people.bob)
    with pytest.raises(NotFound):
        page_of(session, None, name="nobody_here")


def test_a_suspended_owner_is_not_found_like_everyone_else(
    session: Session, people: People
) -> None:
    viewer = viewer_of(people.alice)
    people.alice.account_status = AccountStatus.suspended
    session.add(people.alice)
    session.flush()

    with pytest.raises(NotFound):  # a suspended account's profile is hidden, owner included
        profile_page(session, viewer=viewer, username="alice", tab="saved")


def test_a_private_list_refused_to_the_actor_keeps_the_profile(
    session: Session, people: People
) -> None:
    stale = replace(viewer_of(people.alice), status=AccountStatus.suspended)

    page = profile_page(session, viewer=stale, username="alice", tab="liked")

    assert page.profile.kind == "full" and page.tab == "liked"
    assert page.entries == () and page.list_error


def test_the_edit_page_is_the_viewers_own_form(session: Session, people: People) -> None:
    form = profile_edit_page(session, viewer=viewer_of(people.alice))

    assert (form.username, form.phone) == ("alice", "+351912345678")
    assert form.links.instagram_url == "https://instagram.com/alice"
    assert profile_edit_page(session, viewer=None) is None


def test_a_restricted_account_may_not_open_the_edit_page(session: Session, people: People) -> None:
    people.bob.account_status = AccountStatus.suspended
    session.add(people.bob)
    session.flush()

    with pytest.raises(PermissionDenied):
        profile_edit_page(session, viewer=viewer_of(people.bob))
