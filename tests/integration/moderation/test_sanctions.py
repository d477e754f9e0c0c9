"""Suspend, ban, reinstate and the auto-lift (§4.13.5–§4.13.8), on real PostgreSQL.

The auto-lift is tested by passing a later `now`, never by waiting.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from citypulse.models import ModerationWarning, Notification, Suspension, User
from citypulse.models.enums import AccountStatus
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.moderation.events import AccountStandingChanged
from citypulse.services.moderation.restrictions import (
    suspension_expire_for,
    suspensions_expire_due,
)
from citypulse.services.moderation.sanctions import user_ban, user_reinstate, user_suspend
from citypulse.services.moderation.warnings import active_warning_count, warning_issue
from citypulse.services.profiles.pages import profile_page
from citypulse.services.recommendations.visibility import recommendation_visible
from tests.integration.moderation.support import NOW, act, audit_rows, make_cast, viewer
from tests.support.factories import create_recommendation

REASON = "Repeated spam in reviews"


def suspend(session: Session, actor: User, target: User, days=7, *, reason=REASON, now=NOW):
    return act(session, user_suspend, actor=viewer(actor), user_id=target.id, days=days,
               reason=reason, now=now)  # fmt: skip


def ban(session: Session, actor: User, target: User, *, reason=REASON):
    return act(session, user_ban, actor=viewer(actor), user_id=target.id, reason=reason, now=NOW)


def reinstate(session: Session, actor: User, target: User, *, reason="Appeal accepted by phone"):
    return act(session, user_reinstate, actor=viewer(actor), user_id=target.id, reason=reason,
               now=NOW)  # fmt: skip


def fresh(session: Session, user: User) -> User:
    session.expire_all()
    return session.get(User, user.id)


def notices(session: Session, user: User) -> list[str]:
    return list(session.exec(select(Notification.type).where(
        Notification.recipient_id == user.id).order_by(col(Notification.id))).all())  # fmt: skip


def test_suspension_restricts_hides_and_tells_the_tabs(session: Session) -> None:
    cast = make_cast(session)
    recommendation = create_recommendation(session, author=cast.alice)
    (receipt, events) = suspend(session, cast.mod, cast.alice)
    assert receipt.ends_at == NOW + timedelta(days=7)
    alice = fresh(session, cast.alice)
    assert (alice.account_status, alice.suspended_until) == ("suspended", NOW + timedelta(days=7))
    assert AccountStandingChanged(cast.alice.id) in events
    [entry] = audit_rows(session)
    assert (entry.action_type, entry.reason, entry.details["days"]) == (
        "user_suspension", REASON, 7)  # fmt: skip
    assert notices(session, cast.alice) == ["account_suspended"]
    # Hidden everywhere while restricted: profile 404, content invisible (one policy).
    with pytest.raises(NotFound):
        profile_page(session, viewer=viewer(cast.bob), username=cast.alice.username)
    assert recommendation_visible(session, cast.bob.id, recommendation.id) is None
    assert recommendation_visible(session, None, recommendation.id) is None


def test_re_suspending_replaces_the_end_time(session: Session) -> None:
    cast = make_cast(session)
    suspend(session, cast.mod, cast.alice, days=30)
    suspend(session, cast.mod2, cast.alice, days=2, reason="Shortened after review")
    rows = session.exec(select(Suspension).where(Suspension.user_id == cast.alice.id)).all()
    assert len(rows) == 1 and rows[0].ends_at == NOW + timedelta(days=2)
    assert fresh(session, cast.alice).suspended_until == NOW + timedelta(days=2)


def test_a_ban_replaces_a_suspension_and_reinstating_ends_it(session: Session) -> None:
    cast = make_cast(session)
    act(
        session,
        warning_issue,
        actor=viewer(cast.mod),
        user_id=cast.alice.id,
        warning_type="spam",
        severity="low",
        message="Please stop posting adverts.",
        now=NOW,
    )
    suspend(session, cast.mod, cast.alice)
    receipt, _ = ban(session, cast.mod2, cast.alice)
    assert receipt.kind == "ban" and receipt.ends_at is None
    assert fresh(session, cast.alice).account_status == AccountStatus.banned
    with pytest.raises(Conflict):
        ban(session, cast.mod, cast.alice)
    with pytest.raises(Conflict):
        suspend(session, cast.mod, cast.alice)
    _, events = reinstate(session, cast.admin, cast.alice)
    alice = fresh(session, cast.alice)
    assert (alice.account_status, alice.suspended_until) == ("active", None)
    assert AccountStandingChanged(cast.alice.id) in events
    assert active_warning_count(session, cast.alice.id, NOW) == 0
    assert session.exec(select(ModerationWarning)).first().is_active is False
    assert notices(session, cast.alice)[-1] == "account_reinstated"
    assert [e.action_type for e in audit_rows(session)][-1] == "user_reinstatement"
    with pytest.raises(Conflict):
        reinstate(session, cast.admin, cast.alice)


def test_auto_lift_at_the_end_time_on_request(session: Session) -> None:
    cast = make_cast(session)
    suspend(session, cast.mod, cast.alice, days=1)
    assert act(session, suspension_expire_for, user_id=cast.alice.id,
               now=NOW + timedelta(hours=23))[0] is False  # fmt: skip
    assert fresh(session, cast.alice).account_status == AccountStatus.suspended
    lifted, events = act(session, suspension_expire_for, user_id=cast.alice.id,
                         now=NOW + timedelta(days=1))  # fmt: skip
    assert lifted is True and AccountStandingChanged(cast.alice.id) in events
    assert fresh(session, cast.alice).account_status == AccountStatus.active
    row = session.exec(select(Suspension)).one()
    assert (row.lifted_by_id, row.lifted_at) == (None, NOW + timedelta(days=1))
    entry = audit_rows(session)[-1]
    assert (entry.action_type, entry.actor_id) == ("suspension_expired", None)
    assert notices(session, cast.alice)[-1] == "suspension_ended"
    profile_page(session, viewer=viewer(cast.bob), username=cast.alice.username)  # visible again


def test_the_job_pass_lifts_every_due_suspension_once(session: Session) -> None:
    cast = make_cast(session)
    suspend(session, cast.mod, cast.alice, days=1)
    suspend(session, cast.mod, cast.bob, days=3)
    ban(session, cast.admin, cast.mod2)
    later = NOW + timedelta(days=2)
    assert act(session, suspensions_expire_due, now=later)[0] == 1
    assert act(session, suspensions_expire_due, now=later)[0] == 0
    assert fresh(session, cast.alice).account_status == AccountStatus.active
    assert fresh(session, cast.bob).account_status == AccountStatus.suspended
    assert fresh(session, cast.mod2).account_status == AccountStatus.banned  # bans never expire
    expired = [e for e in audit_rows(session) if e.action_type == "suspension_expired"]
    assert [e.target_user_id for e in expired] == [cast.alice.id]


@pytest.mark.parametrize("days", [0, 366, -1, "7", True, 2.5])
def test_days_out_of_range_are_refused(session: Session, days) -> None:
    cast = make_cast(session)
    with pytest.raises(ValidationFailed) as error:
        suspend(session, cast.mod, cast.alice, days=days)
    assert "days" in error.value.field_errors
    assert fresh(session, cast.alice).account_status == AccountStatus.active
    assert audit_rows(session) == []


@pytest.mark.parametrize("reason", ["", "too short", "x" * 1001, "bad\x00reason here"])
def test_a_reason_is_required(session: Session, reason: str) -> None:
    cast = make_cast(session)
    for action in (
        lambda: suspend(session, cast.mod, cast.alice, reason=reason),
        lambda: ban(session, cast.mod, cast.alice, reason=reason),
    ):
        with pytest.raises(ValidationFailed):
            action()
    assert fresh(session, cast.alice).account_status == AccountStatus.active
    assert audit_rows(session) == []


def test_unknown_user_and_restricted_moderators(session: Session) -> None:
    cast = make_cast(session)
    with pytest.raises(NotFound, match="User not found"):
        act(session, user_ban, actor=viewer(cast.mod), user_id=10**9, reason=REASON, now=NOW)
    ban(session, cast.admin, cast.mod2)
    with pytest.raises(NotFound):  # a banned moderator has no moderator tools
        ban(session, cast.mod2, cast.alice)
    with pytest.raises(PermissionDenied):
        reinstate(session, cast.mod, cast.mod2)
    assert fresh(session, cast.alice).account_status == AccountStatus.active
