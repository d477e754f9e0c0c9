"""/achievements and the profile's achievements tab (§2.2, §4.7.4)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from citypulse.models import Block, Profile, User
from citypulse.models.enums import AccountStatus, BuddyStatus, Visibility
from citypulse.services.achievements.evaluate import evaluate
from citypulse.services.achievements.metrics import PUBLISHED
from citypulse.services.achievements.pages import (
    achievements_page,
    profile_achievements,
    recently_earned,
)
from citypulse.services.errors import NotFound
from tests.integration.achievements.support import (
    TOTAL,
    buddies_row,
    likes_from,
    recommendation_in,
    viewer,
)
from tests.integration.support import NOW
from tests.support.factories import create_user


def with_first_steps(session: Session, username: str, *, visibility=Visibility.public) -> User:
    user = create_user(session, username=username)
    session.execute(sa.update(Profile).where(Profile.user_id == user.id)
                    .values(profile_visibility=visibility))  # fmt: skip
    recommendation_in(session, user)
    evaluate(session, user_id=user.id, metrics=PUBLISHED, now=NOW)
    return user


def test_the_page_groups_badges_by_tier_with_live_progress(session: Session) -> None:
    carol = with_first_steps(session, "pg_carol")
    likes_from(session, recommendation_in(session, carol), [create_user(session)])
    page = achievements_page(session, viewer=viewer(carol))
    assert (page.completed, page.total, page.percent, page.points) == (2, TOTAL, 11, 15)
    assert [group.tier for group in page.tiers] == ["bronze", "silver", "gold", "platinum"]
    badges = {b.code: b for group in page.tiers for b in group.badges}
    assert len(badges) == TOTAL
    first = badges["first_steps"]
    assert first.earned and first.earned_at == NOW and not first.locked
    # Progress is the current value, even where no evaluation ran (likes: thresholds only).
    assert (badges["first_steps"].progress, badges["recommendation_pro"].progress) == (2, 2)
    assert badges["rising_star"].progress == 1 and badges["rising_star"].locked
    assert badges["bronze_achiever"].progress == 1  # bronze badges earned
    assert badges["city_explorer"].threshold == 5 and badges["city_explorer"].progress == 2
    assert page.rank is not None and page.rank >= 1


def test_recently_earned_lists_public_profiles_newest_first(session: Session) -> None:
    pub = with_first_steps(session, "pg_public")
    with_first_steps(session, "pg_private", visibility=Visibility.private)
    blocked = with_first_steps(session, "pg_blocked")
    viewer_user = create_user(session, username="pg_viewer")
    session.add(Block(blocker_id=blocked.id, blocked_id=viewer_user.id))
    session.flush()
    names = [r.username for r in recently_earned(session, viewer=viewer(viewer_user))]
    assert "pg_public" in names and "pg_private" not in names and "pg_blocked" not in names
    assert "pg_blocked" in [r.username for r in recently_earned(session, viewer=None)]
    recent = achievements_page(session, viewer=viewer(pub)).recent
    assert len(recent) <= 10
    assert [r.earned_at for r in recent] == sorted((r.earned_at for r in recent), reverse=True)


def test_the_owner_sees_everything_others_only_earned_badges(session: Session) -> None:
    owner = with_first_steps(session, "pg_owner")
    own = profile_achievements(session, viewer=viewer(owner), username="pg_owner")
    assert own.is_owner and own.visible and (own.completed, own.total, own.points) == (2, TOTAL, 15)
    assert sum(len(g.badges) for g in own.tiers) == TOTAL
    other = create_user(session, username="pg_other")
    seen = profile_achievements(session, viewer=viewer(other), username="pg_owner")
    badges = [b for g in seen.tiers for b in g.badges]
    assert [b.code for b in badges] == ["first_steps", "bronze_achiever"]
    assert all(b.progress is None and b.earned_at is None for b in badges)  # no dates/progress
    visitor = profile_achievements(session, viewer=None, username="pg_owner")
    assert visitor.completed == 2


def test_profile_visibility_and_404s_apply(session: Session) -> None:
    hidden = with_first_steps(session, "pg_buddies", visibility=Visibility.friends_only)
    stranger, buddy = create_user(session), create_user(session)
    buddies_row(session, hidden, buddy, BuddyStatus.accepted)
    limited = profile_achievements(session, viewer=viewer(stranger), username="pg_buddies")
    assert not limited.visible and limited.tiers == () and limited.points == 0
    full = profile_achievements(session, viewer=viewer(buddy), username="pg_buddies")
    assert full.visible and full.completed == 2
    session.execute(sa.update(User).where(User.id == hidden.id)
                    .values(account_status=AccountStatus.banned))  # fmt: skip
    with pytest.raises(NotFound):
        profile_achievements(session, viewer=viewer(buddy), username="pg_buddies")
