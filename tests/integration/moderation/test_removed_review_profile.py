"""A removed review and a removed profile (§4.13.3, §4.13.9): their owner, and only their
owner, gets the removal banner with the reason and the appeal where they see the item —
their review on the recommendation's page, their own profile page."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from citypulse.models import Rating
from citypulse.services.errors import Conflict, NotFound
from citypulse.services.interactions.ratings import own_review_removal
from citypulse.services.moderation.appeals import ALREADY_APPEALED, appeal_create
from citypulse.services.moderation.removal import content_remove, content_restore
from citypulse.services.moderation.removal_banner import own_removal_banner
from citypulse.services.profiles.pages import profile_page
from citypulse.services.recommendations.page import Visit, recommendation_page
from tests.integration.moderation.support import NOW, act, make_cast, viewer
from tests.support.factories import create_recommendation

REVIEW_REASON = "The review insults the staff by name"
PROFILE_REASON = "The bio advertises a ticket reseller"
NO_VISIT = Visit(anon_key=None, ip=None, is_bot=False)
MESSAGE = "It was an honest account of my visit; please read it again."


def _remove(session: Session, cast, content_type: str, content_id: int, reason: str) -> int:
    done, _ = act(session, content_remove, actor=viewer(cast.mod), content_type=content_type,
                  content_id=content_id, reason=reason, now=NOW)  # fmt: skip
    return done.audit_id


def removed_review(session: Session, cast) -> tuple[int, int, int]:
    """alice's place, bob's review of it removed: (place id, rating id, removal id)."""
    place = create_recommendation(session, author=cast.alice, title="Tasca do Chico")
    rating = Rating(recommendation_id=place.id, user_id=cast.bob.id, rating=1,
                    review="Awful place, the staff are clowns")  # fmt: skip
    session.add(rating)
    session.flush()
    return place.id, rating.id, _remove(session, cast, "review", rating.id, REVIEW_REASON)


def place_page(session: Session, who, place_id: int):
    return recommendation_page(session, viewer=viewer(who) if who else None,
                               recommendation_id=place_id, visit=NO_VISIT, now=NOW)  # fmt: skip


def test_the_reviewer_sees_the_reason_and_may_appeal_nobody_else(session: Session) -> None:
    cast = make_cast(session)
    place_id, rating_id, removal_id = removed_review(session, cast)

    mine = place_page(session, cast.bob, place_id).review_removal
    assert mine is not None and mine.reason == REVIEW_REASON and mine.owner_view
    assert mine.removal_id == removal_id and mine.can_appeal
    same = own_review_removal(session, viewer=viewer(cast.bob), recommendation_id=place_id,
                              now=NOW)  # fmt: skip
    assert same == mine
    # The place's author, moderators, a visitor: no banner, no reason (others see the
    # rating, its text hidden, as before).
    for who in (cast.alice, cast.mod, cast.admin, None):
        page = place_page(session, who, place_id)
        assert page.review_removal is None
        (item,) = page.ratings
        assert item.review is None and item.review_removed and item.rating == 1
        assert own_review_removal(session, viewer=viewer(who) if who else None,
                                  recommendation_id=place_id, now=NOW) is None  # fmt: skip
    # Asking for bob's review by its id as someone else gives nothing either.
    for who in (cast.alice, cast.mod, None):
        assert own_removal_banner(session, viewer=viewer(who) if who else None,
                                  content_type="review", content_id=rating_id,
                                  now=NOW) is None  # fmt: skip
    # Nobody else can appeal it.
    for who in (cast.alice, cast.mod):
        with pytest.raises(NotFound):
            act(session, appeal_create, actor=viewer(who), target_type="content_removal",
                target_id=removal_id, message=MESSAGE, now=NOW)  # fmt: skip

    act(session, appeal_create, actor=viewer(cast.bob), target_type="content_removal",
        target_id=removal_id, message=MESSAGE, now=NOW)  # fmt: skip
    filed = place_page(session, cast.bob, place_id).review_removal
    assert filed is not None and filed.appeal_status == "pending" and not filed.can_appeal
    with pytest.raises(Conflict, match=ALREADY_APPEALED):
        act(session, appeal_create, actor=viewer(cast.bob), target_type="content_removal",
            target_id=removal_id, message=MESSAGE, now=NOW)  # fmt: skip


def test_an_active_or_restored_review_has_no_banner(session: Session) -> None:
    cast = make_cast(session)
    place_id, rating_id, _ = removed_review(session, cast)
    act(session, content_restore, actor=viewer(cast.mod2), content_type="review",
        content_id=rating_id, reason="Read again: it is fair", now=NOW)  # fmt: skip
    assert place_page(session, cast.bob, place_id).review_removal is None
    other = create_recommendation(session, author=cast.alice, title="Another place")
    session.add(Rating(recommendation_id=other.id, user_id=cast.bob.id, rating=4, review="Ok"))
    session.flush()
    assert place_page(session, cast.bob, other.id).review_removal is None


def own_profile(session: Session, who, username: str, **kwargs):
    return profile_page(session, viewer=viewer(who) if who else None, username=username,
                        now=NOW, **kwargs)  # fmt: skip


def test_the_owner_of_a_removed_profile_sees_the_reason_and_appeals(session: Session) -> None:
    cast = make_cast(session)
    removal_id = _remove(session, cast, "profile", cast.alice.id, PROFILE_REASON)

    mine = own_profile(session, cast.alice, "m_alice").removal
    assert mine is not None and mine.reason == PROFILE_REASON and mine.owner_view
    assert mine.removal_id == removal_id and mine.can_appeal
    for who in (cast.bob, cast.mod, cast.admin, None):  # the profile is shown, cleared
        assert own_profile(session, who, "m_alice").removal is None
        assert own_removal_banner(session, viewer=viewer(who) if who else None,
                                  content_type="profile", content_id=cast.alice.id,
                                  now=NOW) is None  # fmt: skip
    assert own_profile(session, cast.bob, "m_bob").removal is None  # bob's own: not removed
    with pytest.raises(NotFound):
        act(session, appeal_create, actor=viewer(cast.bob), target_type="content_removal",
            target_id=removal_id, message=MESSAGE, now=NOW)  # fmt: skip

    act(session, appeal_create, actor=viewer(cast.alice), target_type="content_removal",
        target_id=removal_id, message=MESSAGE, now=NOW)  # fmt: skip
    filed = own_profile(session, cast.alice, "m_alice").removal
    assert filed is not None and filed.appeal_status == "pending" and not filed.can_appeal

    act(session, content_restore, actor=viewer(cast.mod2), content_type="profile",
        content_id=cast.alice.id, reason="A parody account after all", now=NOW)  # fmt: skip
    assert own_profile(session, cast.alice, "m_alice").removal is None
