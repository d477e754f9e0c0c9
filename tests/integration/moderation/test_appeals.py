"""Appeals (§4.13.9): filing, deciding, and what granting undoes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from citypulse.models import (
    Appeal,
    ModerationWarning,
    Notification,
    Recommendation,
    Suspension,
    User,
)
from citypulse.models.enums import AccountStatus
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.moderation.appeals import (
    ALREADY_APPEALED,
    OWN_ACTION,
    TOO_LATE,
    appeal_create,
    appeal_decide,
)
from citypulse.services.moderation.events import AppealsChanged
from citypulse.services.moderation.removal import content_remove, content_restore
from citypulse.services.moderation.sanctions import user_ban
from citypulse.services.moderation.warnings import warning_issue
from tests.integration.moderation.support import NOW, act, audit_rows, make_cast, viewer
from tests.support.factories import create_recommendation

MESSAGE = "I was travelling that week and did not post any of this."
NOTE = "Checked the history: the posts came from a shared device."


def banned(session: Session, cast) -> Suspension:
    act(session, user_ban, actor=viewer(cast.mod), user_id=cast.alice.id,
        reason="Spam across many reviews", now=NOW)  # fmt: skip
    return session.exec(select(Suspension).where(Suspension.user_id == cast.alice.id)).one()


def appeal(session: Session, user: User, target_type: str, target_id: int, *, now=NOW, **kw):
    return act(session, appeal_create, actor=viewer(user), target_type=target_type,
               target_id=target_id, message=kw.get("message", MESSAGE), now=now)  # fmt: skip


def decide(session: Session, actor: User, appeal_id: int, grant: bool, note: str = NOTE):
    return act(session, appeal_decide, actor=viewer(actor), appeal_id=appeal_id, grant=grant,
               note=note, now=NOW + timedelta(hours=1))  # fmt: skip


def test_a_banned_user_appeals_and_another_moderator_grants(session: Session) -> None:
    cast = make_cast(session)
    ban_row = banned(session, cast)
    alice = replace(viewer(cast.alice), status=AccountStatus.banned)  # she may still appeal
    appeal_id, events = act(session, appeal_create, actor=alice, target_type="ban",
                            target_id=ban_row.id, message=MESSAGE, now=NOW)  # fmt: skip
    assert AppealsChanged(appeal_id) in events
    with pytest.raises(Conflict, match=ALREADY_APPEALED):
        appeal(session, cast.alice, "ban", ban_row.id)
    before = len(audit_rows(session))
    with pytest.raises(PermissionDenied, match=OWN_ACTION):
        decide(session, cast.mod, appeal_id, True)
    assert len(audit_rows(session)) == before
    status, events = decide(session, cast.mod2, appeal_id, True)
    assert status == "granted" and AppealsChanged(appeal_id) in events
    session.expire_all()
    assert session.get(User, cast.alice.id).account_status == AccountStatus.active
    row = session.get(Suspension, ban_row.id)
    assert row.lifted_by_id == cast.mod2.id and row.lift_reason.startswith("Appeal granted")
    decided = session.get(Appeal, appeal_id)
    assert (decided.decided_by_id, decided.decision_note) == (cast.mod2.id, NOTE)
    entry = audit_rows(session)[-1]
    assert (entry.action_type, entry.target_id, entry.details["decision"]) == (
        "appeal_decision", appeal_id, "granted")  # fmt: skip
    notice = session.exec(select(Notification).where(Notification.recipient_id == cast.alice.id)
                          .order_by(col(Notification.id).desc())).first()  # fmt: skip
    assert notice.type == "appeal_decided" and NOTE in notice.message
    with pytest.raises(Conflict):
        decide(session, cast.admin, appeal_id, False)


def test_granting_an_escalation_revokes_the_warnings_that_escalated(session: Session) -> None:
    cast = make_cast(session)
    ids = [
        act(session, warning_issue, actor=viewer(cast.mod), user_id=cast.alice.id,
            warning_type="spam", severity="medium", message="Please stop posting adverts.",
            now=NOW + timedelta(minutes=n))[0].warning_id
        for n in range(3)
    ]  # fmt: skip
    suspension = session.exec(select(Suspension)).one()
    appeal_id, _ = appeal(session, cast.alice, "suspension", suspension.id)
    decide(session, cast.admin, appeal_id, True)
    session.expire_all()
    assert session.get(User, cast.alice.id).account_status == AccountStatus.active
    assert [session.get(ModerationWarning, i).is_active for i in ids] == [False] * 3
    assert audit_rows(session)[-1].details["warnings_revoked"] == ids


def test_a_rejected_warning_appeal_changes_nothing_but_the_appeal(session: Session) -> None:
    cast = make_cast(session)
    issued, _ = act(session, warning_issue, actor=viewer(cast.mod), user_id=cast.alice.id,
                    warning_type="spam", severity="low", message="Please stop posting adverts.",
                    now=NOW)  # fmt: skip
    appeal_id, _ = appeal(session, cast.alice, "warning", issued.warning_id)
    assert decide(session, cast.mod2, appeal_id, False)[0] == "rejected"
    session.expire_all()
    assert session.get(ModerationWarning, issued.warning_id).is_active is True
    # A granted one revokes it.
    other, _ = act(session, warning_issue, actor=viewer(cast.mod), user_id=cast.bob.id,
                   warning_type="spam", severity="low", message="Please stop posting adverts.",
                   now=NOW)  # fmt: skip
    second, _ = appeal(session, cast.bob, "warning", other.warning_id)
    decide(session, cast.mod2, second, True)
    session.expire_all()
    assert session.get(ModerationWarning, other.warning_id).is_active is False


def test_filing_rules(session: Session) -> None:
    cast = make_cast(session)
    ban_row = banned(session, cast)
    with pytest.raises(NotFound):  # not hers
        appeal(session, cast.bob, "ban", ban_row.id)
    with pytest.raises(NotFound):  # the kind must match
        appeal(session, cast.alice, "suspension", ban_row.id)
    with pytest.raises(NotFound):
        appeal(session, cast.alice, "parking_ticket", ban_row.id)
    with pytest.raises(ValidationFailed):
        appeal(session, cast.alice, "ban", ban_row.id, message="Too short")
    with pytest.raises(ValidationFailed):
        appeal(session, cast.alice, "ban", ban_row.id, message="x" * 2001)
    with pytest.raises(Conflict, match=TOO_LATE):
        appeal(session, cast.alice, "ban", ban_row.id, now=NOW + timedelta(days=31))
    with pytest.raises(PermissionDenied):
        act(session, appeal_create, actor=None, target_type="ban", target_id=ban_row.id,
            message=MESSAGE, now=NOW)  # fmt: skip
    assert session.exec(select(Appeal)).all() == []


def test_deciding_rules(session: Session) -> None:
    cast = make_cast(session)
    ban_row = banned(session, cast)
    appeal_id, _ = appeal(session, cast.alice, "ban", ban_row.id)
    for actor in (cast.bob, cast.alice):  # not moderators: the appeal does not exist for them
        with pytest.raises(NotFound):
            decide(session, actor, appeal_id, True)
    with pytest.raises(ValidationFailed):
        decide(session, cast.mod2, appeal_id, True, note="short")
    with pytest.raises(NotFound):
        decide(session, cast.mod2, 10**9, True)
    assert session.get(Appeal, appeal_id).status == "pending"
    assert [e.action_type for e in audit_rows(session)] == ["user_ban"]


def test_granting_a_removal_appeal_restores_the_content(session: Session) -> None:
    cast = make_cast(session)
    place = create_recommendation(session, author=cast.alice)
    done, _ = act(
        session,
        content_remove,
        actor=viewer(cast.mod),
        content_type="recommendation",
        content_id=place.id,
        reason="Advertising, not a recommendation",
        now=NOW,
    )
    appeal_id, _ = appeal(session, cast.alice, "content_removal", done.audit_id)
    with pytest.raises(NotFound):  # someone else's removal
        appeal(session, cast.bob, "content_removal", done.audit_id)
    with pytest.raises(PermissionDenied, match=OWN_ACTION):
        decide(session, cast.mod, appeal_id, True)
    decide(session, cast.mod2, appeal_id, True)
    session.expire_all()
    assert session.get(Recommendation, place.id).status == "active"
    kinds = [e.action_type for e in audit_rows(session)]
    assert kinds[-2:] == ["content_removal", "appeal_decision"]  # one entry for the grant
    assert audit_rows(session)[-1].details["restored"]["content_id"] == place.id
    with pytest.raises(Conflict):  # back in place: nothing left to restore or appeal again
        act(session, content_restore, actor=viewer(cast.admin), content_type="recommendation",
            content_id=place.id, reason="Restoring what is already back", now=NOW)  # fmt: skip
    types = session.exec(select(Notification.type).where(
        Notification.recipient_id == cast.alice.id)).all()  # fmt: skip
    assert {"content_restored", "appeal_decided"} <= set(types)


def test_a_granted_profile_removal_appeal_is_one_entry_and_the_profile_is_back(
    session: Session,
) -> None:
    """The decision's entry is the only one (§4.13.11), yet the profile counts as restored:
    a later removal is possible and its restore finds the fields again."""
    cast = make_cast(session)
    cast.alice.bio = "Coffee hunter in Lisbon"
    session.add(cast.alice)
    session.flush()
    done, _ = act(session, content_remove, actor=viewer(cast.mod), content_type="profile",
                  content_id=cast.alice.id, reason="Bio advertises a ticket reseller",
                  now=NOW)  # fmt: skip
    appeal_id, _ = appeal(session, cast.alice, "content_removal", done.audit_id)
    before = len(audit_rows(session))
    decide(session, cast.admin, appeal_id, True)
    rows = audit_rows(session)
    assert len(rows) == before + 1 and rows[-1].action_type == "appeal_decision"
    assert rows[-1].details["restored"]["content_type"] == "profile"
    assert session.get(User, cast.alice.id).bio == "Coffee hunter in Lisbon"
    with pytest.raises(Conflict):  # no longer removed
        act(session, content_restore, actor=viewer(cast.admin), content_type="profile",
            content_id=cast.alice.id, reason="Restoring what is already back", now=NOW)  # fmt: skip
    again, _ = act(session, content_remove, actor=viewer(cast.mod2), content_type="profile",
                   content_id=cast.alice.id, reason="Bio advertises a ticket reseller again",
                   now=NOW + timedelta(hours=2))  # fmt: skip
    assert again.removed
