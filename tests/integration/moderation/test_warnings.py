"""Warnings and their escalation (§4.13.4), on real PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from citypulse.models import EmailOutbox, ModerationWarning, Notification, Suspension, User
from citypulse.models.enums import AccountStatus, RestrictionKind
from citypulse.services.errors import Conflict, NotFound, ValidationFailed
from citypulse.services.moderation.events import AccountStandingChanged
from citypulse.services.moderation.sanctions import user_ban, user_suspend
from citypulse.services.moderation.warnings import (
    active_warning_count,
    warning_issue,
    warning_revoke,
)
from tests.integration.moderation.support import NOW, act, audit_rows, make_cast, viewer


def warn(session: Session, actor: User, target: User, severity: str, *, now=NOW, **extra):
    kwargs = {"warning_type": "spam", "message": "Please stop posting adverts."} | extra
    return act(session, warning_issue, actor=viewer(actor), user_id=target.id,
               severity=severity, now=now, **kwargs)  # fmt: skip


def status_of(session: Session, user: User) -> str:
    session.expire_all()
    return session.get(User, user.id).account_status


def open_row(session: Session, user: User) -> Suspension | None:
    return session.exec(
        select(Suspension).where(Suspension.user_id == user.id, col(Suspension.lifted_at).is_(None))
    ).first()


def test_a_warning_is_stored_audited_notified_and_mailed(session: Session) -> None:
    cast = make_cast(session)
    issued, _ = warn(session, cast.mod, cast.alice, "low")
    row = session.get(ModerationWarning, issued.warning_id)
    assert (row.severity, row.moderator_id, row.is_active) == ("low", cast.mod.id, True)
    assert row.expires_at == NOW + timedelta(days=180)
    assert issued.sanction == "" and issued.active_warnings == 1
    [entry] = audit_rows(session)
    assert (entry.action_type, entry.actor_id, entry.target_user_id) == (
        "warning_issued", cast.mod.id, cast.alice.id)  # fmt: skip
    [notice] = session.exec(select(Notification).where(
        Notification.recipient_id == cast.alice.id)).all()  # fmt: skip
    assert notice.type == "warning_issued" and notice.actor_id is None
    assert "low severity" in notice.title and notice.action_url == "/settings"
    assert session.exec(select(EmailOutbox).where(
        EmailOutbox.to_address == cast.alice.email)).first() is not None  # fmt: skip
    assert status_of(session, cast.alice) == AccountStatus.active


def test_three_medium_warnings_suspend_for_seven_days(session: Session) -> None:
    cast = make_cast(session)
    warn(session, cast.mod, cast.alice, "medium")
    warn(session, cast.mod, cast.alice, "medium")
    issued, events = warn(session, cast.mod, cast.alice, "medium")
    assert issued.sanction == "suspension"
    assert issued.sanction_ends_at == NOW + timedelta(days=7)
    row = open_row(session, cast.alice)
    assert (row.kind, row.source, row.warning_id) == (
        "suspension", "warning_escalation", issued.warning_id)  # fmt: skip
    assert status_of(session, cast.alice) == AccountStatus.suspended
    assert session.get(User, cast.alice.id).suspended_until == NOW + timedelta(days=7)
    assert AccountStandingChanged(cast.alice.id) in events
    assert [e.action_type for e in audit_rows(session)][-2:] == [
        "warning_issued",
        "user_suspension",
    ]
    notice = session.exec(
        select(Notification)
        .where(Notification.recipient_id == cast.alice.id)
        .order_by(col(Notification.id).desc())
    ).first()
    assert "suspended until" in notice.message  # fmt: skip


def test_two_high_warnings_ban(session: Session) -> None:
    cast = make_cast(session)
    warn(session, cast.mod, cast.alice, "high")
    issued, _ = warn(session, cast.mod2, cast.alice, "high")
    assert issued.sanction == "ban" and issued.sanction_ends_at is None
    assert status_of(session, cast.alice) == AccountStatus.banned
    assert open_row(session, cast.alice).kind == RestrictionKind.ban


def test_five_low_warnings_suspend_for_three_days(session: Session) -> None:
    cast = make_cast(session)
    for _ in range(4):
        assert warn(session, cast.mod, cast.alice, "low")[0].sanction == ""
    issued, _ = warn(session, cast.mod, cast.alice, "low")
    assert issued.sanction_ends_at == NOW + timedelta(days=3)


def test_the_later_end_time_wins_and_a_ban_is_unchanged(session: Session) -> None:
    cast = make_cast(session)
    act(session, user_suspend, actor=viewer(cast.mod), user_id=cast.alice.id, days=30,
        reason="Thirty days for a long pattern", now=NOW)  # fmt: skip
    for _ in range(3):
        issued, _ = warn(session, cast.mod, cast.alice, "medium")
    assert issued.sanction == ""  # 7 days would end before the 30-day suspension
    assert open_row(session, cast.alice).ends_at == NOW + timedelta(days=30)
    # A shorter suspension that a later escalation outlasts is extended.
    act(session, user_suspend, actor=viewer(cast.mod), user_id=cast.bob.id, days=1,
        reason="One day to cool down", now=NOW)  # fmt: skip
    for _ in range(3):
        issued, _ = warn(session, cast.mod, cast.bob, "medium")
    assert open_row(session, cast.bob).ends_at == NOW + timedelta(days=7)
    # Banned: no change.
    act(session, user_ban, actor=viewer(cast.admin), user_id=cast.mod2.id,
        reason="Abused the moderator tools", now=NOW)  # fmt: skip
    for _ in range(2):
        issued, _ = warn(session, cast.admin, cast.mod2, "high")
    assert issued.sanction == ""
    assert status_of(session, cast.mod2) == AccountStatus.banned


def test_expired_and_revoked_warnings_do_not_count(session: Session) -> None:
    cast = make_cast(session)
    old, _ = warn(session, cast.mod, cast.alice, "high", now=NOW - timedelta(days=181))
    assert active_warning_count(session, cast.alice.id, NOW) == 0
    first, _ = warn(session, cast.mod, cast.alice, "high")
    assert first.sanction == ""
    act(session, warning_revoke, actor=viewer(cast.mod2), warning_id=first.warning_id,
        reason="Issued by mistake", now=NOW)  # fmt: skip
    second, _ = warn(session, cast.mod, cast.alice, "high")
    assert second.sanction == "" and old.warning_id


def test_revoking_needs_a_reason_and_does_not_lift_a_sanction(session: Session) -> None:
    cast = make_cast(session)
    warn(session, cast.mod, cast.alice, "high")
    issued, _ = warn(session, cast.mod, cast.alice, "high")
    before = len(audit_rows(session))
    with pytest.raises(ValidationFailed):
        act(session, warning_revoke, actor=viewer(cast.mod), warning_id=issued.warning_id,
            reason="short", now=NOW)  # fmt: skip
    assert len(audit_rows(session)) == before
    act(session, warning_revoke, actor=viewer(cast.mod), warning_id=issued.warning_id,
        reason="Revoked after a second look", now=NOW)  # fmt: skip
    assert session.get(ModerationWarning, issued.warning_id).revoked_by_id == cast.mod.id
    assert status_of(session, cast.alice) == AccountStatus.banned
    assert audit_rows(session)[-1].action_type == "warning_revoked"
    with pytest.raises(Conflict):
        act(session, warning_revoke, actor=viewer(cast.mod), warning_id=issued.warning_id,
            reason="Revoked after a second look", now=NOW)  # fmt: skip
    with pytest.raises(NotFound):
        act(session, warning_revoke, actor=viewer(cast.mod), warning_id=10**9,
            reason="Revoked after a second look", now=NOW)  # fmt: skip


@pytest.mark.parametrize(
    ("field", "extra"),
    [
        ("message", {"message": "too short"}),
        ("message", {"message": "x" * 1001}),
        ("warning_type", {"warning_type": "rudeness"}),
        ("severity", {"severity": "critical"}),
    ],
)
def test_invalid_input_is_a_field_error_and_changes_nothing(
    session: Session, field: str, extra: dict
) -> None:
    cast = make_cast(session)
    severity = extra.pop("severity", "low")
    with pytest.raises(ValidationFailed) as error:
        warn(session, cast.mod, cast.alice, severity, **extra)
    assert field in error.value.field_errors
    assert active_warning_count(session, cast.alice.id, NOW) == 0
    assert audit_rows(session) == []


def test_a_report_about_someone_else_is_not_found(session: Session) -> None:
    cast = make_cast(session)
    with pytest.raises(NotFound):
        warn(session, cast.mod, cast.alice, "low", report_id=10**9)
