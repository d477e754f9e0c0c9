"""Likes and saves (PRODUCT.md §4.4.1–§4.4.2, journey §7.10)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models import InteractionNotice
from citypulse.models.enums import NotificationType, Visibility
from citypulse.services.errors import PermissionDenied
from citypulse.services.interactions.core import interaction_target, viewer_interaction_state
from citypulse.services.interactions.events import (
    RecommendationCountersChanged,
    ViewerInteractionChanged,
)
from citypulse.services.interactions.likes_saves import (
    _LIKES,
    OWN_LIKE,
    _toggle,
    like_toggle,
    liked_recommendations,
    save_toggle,
    saved_recommendations,
)
from citypulse.services.notifications.events import NotificationCreated
from tests.integration.interactions.conftest import World
from tests.integration.interactions.support import (
    act,
    assert_counters_match_rows,
    events_of,
    notifications,
    stored_counters,
    viewer,
)
from tests.integration.support import NOW, count
from tests.support.factories import create_recommendation


def test_journey_7_10_like_and_save(session: Session, world: World) -> None:
    bob, rec = viewer(world.bob), world.rec

    state, events = act(session, like_toggle, actor=bob, recommendation_id=rec.id, now=NOW)
    assert (state.liked, state.likes, state.saved, state.saves) == (True, 1, False, 0)
    sent = notifications(session, world.alice, NotificationType.recommendation_like)
    assert len(sent) == 1
    note = sent[0]
    assert note.actor_id == world.bob.id and note.target_id == rec.id
    assert note.target_type == "recommendation"
    assert note.action_url == f"/recommendations/{rec.id}"
    assert "Bob Silva" in note.title and "Pastéis at dawn" in note.title
    assert len(note.title) <= 200 and not note.is_read and note.read_at is None
    assert events_of(events, NotificationCreated) == [NotificationCreated(world.alice.id, note.id)]
    assert events_of(events, RecommendationCountersChanged) == [
        RecommendationCountersChanged(rec.id, 1, 0, 0, 0, 0.0, 0)
    ]
    assert events_of(events, ViewerInteractionChanged) == [
        ViewerInteractionChanged(world.bob.id, rec.id, liked=True, saved=False, my_rating=None)
    ]

    state, events = act(session, save_toggle, actor=bob, recommendation_id=rec.id, now=NOW)
    assert (state.liked, state.likes, state.saved, state.saves) == (True, 1, True, 1)
    assert events_of(events, NotificationCreated) == []
    assert events_of(events, RecommendationCountersChanged)[0].saves == 1

    # Unlike + like again: counters follow, but nothing new is sent.
    state, events = act(session, like_toggle, actor=bob, recommendation_id=rec.id, now=NOW)
    assert (state.liked, state.likes) == (False, 0)
    assert_counters_match_rows(session, rec.id)
    state, events = act(session, like_toggle, actor=bob, recommendation_id=rec.id, now=NOW)
    assert (state.liked, state.likes) == (True, 1)
    assert events_of(events, NotificationCreated) == []
    assert len(notifications(session, world.alice, NotificationType.recommendation_like)) == 1
    assert count(session, InteractionNotice, InteractionNotice.user_id == world.bob.id) == 1

    # Alice cannot like her own; nothing changes.
    with pytest.raises(PermissionDenied) as refused:
        act(session, like_toggle, actor=viewer(world.alice), recommendation_id=rec.id, now=NOW)
    assert refused.value.message == OWN_LIKE == "You cannot like your own recommendation"

    page = saved_recommendations(session, actor=bob)
    assert [item.recommendation_id for item in page.items] == [rec.id]
    assert page.items[0].title == "Pastéis at dawn" and page.items[0].author_username == "i_alice"
    assert page.next_cursor is None
    assert [i.recommendation_id for i in liked_recommendations(session, actor=bob).items] == [
        rec.id
    ]
    assert saved_recommendations(session, actor=viewer(world.carol)).items == []
    assert_counters_match_rows(session, rec.id)


def test_a_second_user_notifies_separately_and_state_reads(session: Session, world: World) -> None:
    rec = world.rec
    act(session, like_toggle, actor=viewer(world.bob), recommendation_id=rec.id, now=NOW)
    act(session, like_toggle, actor=viewer(world.carol), recommendation_id=rec.id, now=NOW)
    assert len(notifications(session, world.alice, NotificationType.recommendation_like)) == 2
    for_carol = viewer_interaction_state(
        session, viewer_id=world.carol.id, recommendation_id=rec.id
    )
    assert (for_carol.liked, for_carol.likes, for_carol.is_author) == (True, 2, False)
    for_visitor = viewer_interaction_state(session, viewer_id=None, recommendation_id=rec.id)
    assert (for_visitor.liked, for_visitor.saved, for_visitor.likes) == (False, False, 2)
    for_alice = viewer_interaction_state(
        session, viewer_id=world.alice.id, recommendation_id=rec.id
    )
    assert for_alice.is_author and not for_alice.liked


def test_saving_your_own_is_allowed_and_silent(session: Session, world: World) -> None:
    state, events = act(
        session, save_toggle, actor=viewer(world.alice), recommendation_id=world.rec.id, now=NOW
    )
    assert state.saved and state.saves == 1
    assert events_of(events, NotificationCreated) == []
    state, _ = act(
        session, save_toggle, actor=viewer(world.alice), recommendation_id=world.rec.id, now=NOW
    )
    assert not state.saved and state.saves == 0
    assert_counters_match_rows(session, world.rec.id)


def test_saved_list_is_newest_first_keyset_and_visible_only(session: Session, world: World) -> None:
    bob = viewer(world.bob)
    recs = [
        create_recommendation(session, author=world.alice, title=f"Spot {i}") for i in range(22)
    ]
    for minute, rec in enumerate(recs):
        act(session, save_toggle, actor=bob, recommendation_id=rec.id,
            now=NOW + timedelta(seconds=minute))  # fmt: skip
    act(session, save_toggle, actor=bob, recommendation_id=world.rec.id, now=NOW)

    first = saved_recommendations(session, actor=bob)
    assert len(first.items) == 20 and first.next_cursor
    second = saved_recommendations(session, actor=bob, cursor=first.next_cursor)
    assert second.next_cursor is None
    listed = [item.recommendation_id for item in first.items + second.items]
    # recs[0] and world.rec were saved at the same instant: the later save (higher id) first.
    expected = [rec.id for rec in reversed(recs[1:])] + [world.rec.id, recs[0].id]
    assert listed == expected  # newest first, nothing repeated or skipped

    # An invalid cursor restarts from the first page (§4.14).
    assert saved_recommendations(session, actor=bob, cursor="garbage!").items == first.items

    # A save of something now hidden is not listed (the rule is applied on read).
    recs[-1].visibility = Visibility.private
    session.flush()
    ids = [item.recommendation_id for item in saved_recommendations(session, actor=bob).items]
    assert recs[-1].id not in ids


def test_counters_never_go_negative_even_after_drift(session: Session, world: World) -> None:
    bob, rec = viewer(world.bob), world.rec
    act(session, like_toggle, actor=bob, recommendation_id=rec.id, now=NOW)
    rec.likes_count = 0  # simulate drift (e.g. a manual fix gone wrong)
    session.flush()
    state, _ = act(session, like_toggle, actor=bob, recommendation_id=rec.id, now=NOW)
    assert state.likes == 0 and not state.liked
    assert_counters_match_rows(session, rec.id)


def test_a_like_that_lost_a_race_to_another_tab_moves_nothing(
    session: Session, world: World
) -> None:
    """The target read saw "not liked", then another tab's like committed first."""
    bob, rec = viewer(world.bob), world.rec
    stale = interaction_target(session, bob, rec.id)  # read before the other tab's like
    act(session, like_toggle, actor=bob, recommendation_id=rec.id, now=NOW)  # the other tab
    flip = _toggle(session, _LIKES, stale, world.bob.id, stale.own.liked, NOW)
    assert (flip.present, flip.inserted) == (True, False)  # nobody is notified again
    assert flip.counters.likes == 1 == stored_counters(session, rec.id)["likes_count"]
    assert_counters_match_rows(session, rec.id)


def test_saved_and_liked_items_carry_what_a_card_shows(session: Session, world: World) -> None:
    """Category, primary city and primary photo's thumbnail (issue 15: the tabs are cards)."""
    from citypulse.models import Photo, RecommendationCity
    from tests.support.factories import create_city

    bob = viewer(world.bob)
    bare = create_recommendation(session, author=world.alice, title="Bare spot")
    dressed = create_recommendation(session, author=world.alice, title="Dressed spot")
    city = create_city(session, name="Braga")
    session.add(RecommendationCity(recommendation_id=dressed.id, city_id=city.id, is_primary=True))
    session.add(Photo(recommendation_id=dressed.id, image_key="a/p.webp", thumb_key="a/t.webp",
                      width=800, height=600, file_size=1, position=0, is_primary=True))  # fmt: skip
    session.flush()
    for rec in (bare, dressed):
        act(session, save_toggle, actor=bob, recommendation_id=rec.id, now=NOW)
        act(session, like_toggle, actor=bob, recommendation_id=rec.id, now=NOW)
    for listing in (saved_recommendations, liked_recommendations):
        items = {item.title: item for item in listing(session, actor=bob).items}
        assert items["Dressed spot"].thumb_url == "/_upload/a/t.webp"
        assert items["Dressed spot"].city is not None
        assert items["Dressed spot"].city.label == "Braga, Portugal"
        assert items["Dressed spot"].category_name.startswith("Category ")
        assert (items["Bare spot"].city, items["Bare spot"].thumb_url) == (None, "")
