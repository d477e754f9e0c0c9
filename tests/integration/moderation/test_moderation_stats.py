"""Moderator dashboard numbers: only for moderators and admins, counted from the tables."""

from datetime import timedelta

import pytest
from sqlmodel import Session

from citypulse.models import ContentReport, ModerationWarning, ModeratorAction
from citypulse.models.enums import AccountStatus, Role
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound
from citypulse.services.moderation.stats import moderation_dashboard
from tests.integration.support import NOW
from tests.support.factories import create_user


def as_viewer(user) -> Viewer:
    return Viewer(user.id, user.username, user.full_name, user.role, user.account_status,
                  family_id=None, suspended_until=None)  # fmt: skip


def test_a_normal_user_is_refused(session: Session) -> None:
    user = create_user(session, username="curious")
    with pytest.raises(NotFound):
        moderation_dashboard(session, actor=as_viewer(user), now=NOW)


def test_counts_for_a_moderator(session: Session) -> None:
    moderator = create_user(session, username="keeper", role=Role.moderator)
    owner = create_user(session, username="owner_one")
    create_user(session, username="paused", status=AccountStatus.suspended)
    create_user(session, username="gone", status=AccountStatus.banned)
    session.add(
        ContentReport(
            reporter_id=moderator.id,
            content_type="profile",
            content_id=owner.id,
            content_owner_id=owner.id,
            reason="spam",
        )
    )
    session.add(
        ModerationWarning(
            user_id=owner.id,
            moderator_id=moderator.id,
            warning_type="spam",
            severity="low",
            message="Please stop posting ads.",
            expires_at=NOW + timedelta(days=180),
        )
    )
    session.add(ModeratorAction(actor_id=moderator.id, action_type="warning_issued",
                                target_type="user", target_id=owner.id,
                                target_user_id=owner.id, reason="Spam in bio"))  # fmt: skip
    session.flush()

    stats, actions = moderation_dashboard(session, actor=as_viewer(moderator), now=NOW)
    assert stats.pending_reports >= 1
    assert stats.active_warnings >= 1
    assert stats.suspended_users >= 1 and stats.banned_users >= 1
    assert [a.reason for a in actions] == ["Spam in bio"]


def test_activity_by_day_covers_30_days(session: Session) -> None:
    from citypulse.services.moderation.stats import activity_by_day

    moderator = create_user(session, username="charter", role=Role.moderator)
    owner = create_user(session, username="charted")
    for n, days_ago in enumerate((0, 0, 3, 40)):
        session.add(
            ContentReport(
                reporter_id=moderator.id,
                content_type="profile",
                content_id=owner.id + n,
                content_owner_id=owner.id,
                reason="spam",
                created_at=NOW - timedelta(days=days_ago),
            )
        )
    session.add(
        ModeratorAction(
            actor_id=moderator.id,
            action_type="warning_issued",
            target_type="user",
            target_id=owner.id,
            target_user_id=owner.id,
            reason="Spam",
            created_at=NOW - timedelta(days=3),
        )
    )
    session.flush()
    days = activity_by_day(session, actor=as_viewer(moderator), now=NOW)
    assert len(days) == 30 and days[-1].day == NOW.date()
    assert days[-1].reports >= 2 and days[-4].reports >= 1 and days[-4].actions >= 1
    with pytest.raises(NotFound):
        activity_by_day(session, actor=as_viewer(owner), now=NOW)
