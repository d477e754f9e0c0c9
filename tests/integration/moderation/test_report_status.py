"""The report status table (§2.3) and its transition rules (§4.13.2), audited."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from citypulse.models import ContentReport
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.moderation.authority import NOT_ON_ADMIN, NOT_ON_SELF, OWN_REPORT
from citypulse.services.moderation.reports import (
    NOTHING_TO_CHANGE,
    REOPEN_NEEDS_REASON,
    report_status_update,
)
from tests.integration.interactions.support import notifications
from tests.integration.moderation.support import (
    NOW,
    act,
    audit_rows,
    make_cast,
    reported_recommendation,
    viewer,
)
from tests.support.factories import create_recommendation, create_user


def statuses(session: Session, content_id: int) -> list[str]:
    session.expire_all()
    rows = session.exec(
        select(ContentReport)
        .where(ContentReport.content_id == content_id)
        .order_by(ContentReport.id)
    ).all()
    return [str(r.status) for r in rows]


def move(
    session: Session,
    actor,
    rec_id: int,
    action: str,
    reason: str | None = None,
    kind="recommendation",
):
    return act(
        session, report_status_update, actor=viewer(actor), content_type=kind,
        content_id=rec_id, action=action, reason=reason, now=NOW,
    )  # fmt: skip


def test_start_review_dismiss_reopen_and_back(session: Session) -> None:
    cast = make_cast(session)
    carol = create_user(session, username="m_carol")
    rec = reported_recommendation(session, cast, cast.bob, carol)

    changed, _ = move(session, cast.mod, rec.id, "start_review")
    assert statuses(session, rec.id) == ["under_review", "under_review"]
    report = session.get(ContentReport, changed.report_ids[0])
    assert (report.reviewed_by_id, report.reviewed_at) == (cast.mod.id, NOW)

    move(session, cast.mod, rec.id, "back_to_pending")
    assert statuses(session, rec.id) == ["pending", "pending"]
    assert session.get(ContentReport, changed.report_ids[0]).reviewed_by_id is None

    move(session, cast.mod, rec.id, "dismiss", "Holiday photos, not spam")
    assert statuses(session, rec.id) == ["dismissed", "dismissed"]
    [bob_note] = notifications(session, cast.bob, "report_update")
    assert "no rule was broken" in bob_note.message
    assert len(notifications(session, carol, "report_update")) == 1
    assert notifications(session, cast.alice, "report_update") == []  # never the owner

    with pytest.raises(ValidationFailed, match=REOPEN_NEEDS_REASON):
        move(session, cast.mod, rec.id, "reopen", "too short")
    move(session, cast.mod, rec.id, "reopen", "New evidence from a second report")
    assert statuses(session, rec.id) == ["pending", "pending"]
    assert session.get(ContentReport, changed.report_ids[0]).reviewed_at is None

    entries = audit_rows(session)
    assert [e.action_type for e in entries] == ["report_status_update"] * 4  # one per action
    assert [e.details["to"] for e in entries] == ["under_review", "pending", "dismissed", "pending"]
    assert entries[0].details["report_ids"] == list(changed.report_ids)
    assert entries[-1].reason == "New evidence from a second report"
    assert {e.target_user_id for e in entries} == {cast.alice.id}


@pytest.mark.parametrize(
    ("setup", "action"),
    [((), "back_to_pending"), ((), "reopen"), (("start_review",), "start_review"),
     (("dismiss",), "dismiss"), (("dismiss",), "start_review")],
)  # fmt: skip
def test_transitions_outside_the_table_are_refused(session: Session, setup, action) -> None:
    cast = make_cast(session)
    rec = reported_recommendation(session, cast)
    for step in setup:
        move(session, cast.mod, rec.id, step)
    before, audited = statuses(session, rec.id), len(audit_rows(session))
    with pytest.raises(Conflict, match=NOTHING_TO_CHANGE):
        move(session, cast.mod, rec.id, action, "A reason long enough")
    assert statuses(session, rec.id) == before
    assert len(audit_rows(session)) == audited


@pytest.mark.parametrize("action", ["resolve", "delete", "", None, 3])
def test_unknown_actions_are_refused(session: Session, action) -> None:
    cast = make_cast(session)
    rec = reported_recommendation(session, cast)
    with pytest.raises(ValidationFailed):
        move(session, cast.mod, rec.id, action)
    assert statuses(session, rec.id) == ["pending"] and audit_rows(session) == []


@pytest.mark.parametrize(
    ("kind", "ident"), [("recommendation", 10**9), ("planet", 1), ("trip", "x")]
)
def test_unknown_items_are_not_found(session: Session, kind, ident) -> None:
    cast = make_cast(session)
    with pytest.raises(NotFound):
        move(session, cast.mod, ident, "start_review", kind=kind)


def test_authorization_matrix(session: Session) -> None:
    """visitor, user, the affected user, moderator on self/moderator/admin, own report, admin."""
    cast = make_cast(session)
    rec = reported_recommendation(session, cast)
    mod_rec = create_recommendation(session, author=cast.mod2, title="A moderator's place")
    admin_rec = create_recommendation(session, author=cast.admin, title="An admin's place")
    own_rec = create_recommendation(session, author=cast.mod, title="My own place")
    for target in (mod_rec, admin_rec, own_rec):
        session.add(ContentReport(reporter_id=cast.bob.id, content_type="recommendation",
                                  content_id=target.id, content_owner_id=target.author_id,
                                  reason="spam"))  # fmt: skip
    session.add(ContentReport(reporter_id=cast.mod.id, content_type="profile",
                              content_id=cast.alice.id, content_owner_id=cast.alice.id,
                              reason="spam"))  # fmt: skip
    session.flush()

    def refused(actor, content_id, error, match=None, kind="recommendation") -> None:
        before = statuses(session, content_id)
        with pytest.raises(error, match=match):
            act(session, report_status_update, actor=actor, content_type=kind,
                content_id=content_id, action="start_review", reason=None, now=NOW)  # fmt: skip
        assert statuses(session, content_id) == before

    refused(None, rec.id, NotFound)  # visitor
    refused(viewer(cast.bob), rec.id, NotFound)  # a user (the reporter)
    refused(viewer(cast.alice), rec.id, NotFound)  # the affected user
    refused(viewer(cast.mod), own_rec.id, PermissionDenied, NOT_ON_SELF)
    refused(viewer(cast.mod), mod_rec.id, PermissionDenied, "Only an admin")
    refused(viewer(cast.mod), admin_rec.id, PermissionDenied, NOT_ON_ADMIN)
    refused(viewer(cast.admin), admin_rec.id, PermissionDenied, NOT_ON_SELF)
    refused(viewer(cast.mod), cast.alice.id, PermissionDenied, OWN_REPORT, kind="profile")
    assert audit_rows(session) == []

    move(session, cast.admin, mod_rec.id, "start_review")  # admins act on moderators
    move(session, cast.mod2, rec.id, "start_review")
    assert [e.actor_id for e in audit_rows(session)] == [cast.admin.id, cast.mod2.id]
