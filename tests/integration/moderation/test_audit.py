"""The audit log: one writer, and the database refuses to edit or delete history."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from citypulse.models import ModeratorAction, User
from citypulse.realtime import PENDING_EVENTS
from citypulse.services.errors import ValidationFailed
from citypulse.services.moderation.audit import ModeratorActionRecorded, record
from tests.integration.moderation.support import NOW, audit_rows, make_cast, viewer


def _entry(session: Session, **overrides: object) -> int:
    cast = make_cast(session)
    values: dict[str, object] = {
        "actor": viewer(cast.mod),
        "action_type": "content_removal",
        "target_type": "recommendation",
        "target_id": 7,
        "target_user_id": cast.alice.id,
        "reason": "  Spam links in the description  ",
        "notes": "second time this week",
        "details": {"resolved_reports": [1, 2]},
        "now": NOW,
    }
    values.update(overrides)
    return record(session, **values)


def test_record_writes_one_row_in_the_callers_transaction(session: Session) -> None:
    action_id = _entry(session)
    [row] = audit_rows(session)
    assert row.id == action_id
    assert (row.action_type, row.target_type, row.target_id) == (
        "content_removal",
        "recommendation",
        7,
    )
    assert row.reason == "Spam links in the description"
    assert row.notes == "second time this week"
    assert row.details == {"resolved_reports": [1, 2]}
    assert row.created_at == NOW
    assert ModeratorActionRecorded("content_removal") in session.info[PENDING_EVENTS]


def test_system_entries_have_no_actor(session: Session) -> None:
    _entry(session, actor=None, action_type="suspension_expired", target_type="user", target_id=3)
    [row] = audit_rows(session)
    assert row.actor_id is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "   "}, "reason"),
        ({"reason": "x" * 1001}, "reason"),
        ({"notes": "x" * 2001}, "notes"),
        ({"reason": "bad\x00reason"}, "reason"),
        ({"action_type": "erase_history"}, "action_type"),
        ({"target_type": "planet"}, "target_type"),
    ],
)
def test_invalid_entries_are_refused(session: Session, overrides: dict, field: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        _entry(session, **overrides)
    assert field in raised.value.field_errors
    assert audit_rows(session) == []


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE moderator_actions SET reason = 'rewritten history' WHERE id = :id",
        "UPDATE moderator_actions SET notes = NULL WHERE id = :id",
        "UPDATE moderator_actions SET actor_id = NULL, reason = 'x' WHERE id = :id",
        "UPDATE moderator_actions SET target_user_id = target_user_id + 1 WHERE id = :id",
        "DELETE FROM moderator_actions WHERE id = :id",
        "TRUNCATE moderator_actions CASCADE",
    ],
)
def test_the_database_refuses_to_edit_or_delete_entries(session: Session, statement: str) -> None:
    action_id = _entry(session)
    session.commit()
    stored = sa.text("SELECT * FROM moderator_actions WHERE id = :id")
    before = session.execute(stored, {"id": action_id}).one()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), session.begin_nested():
        session.execute(sa.text(statement), {"id": action_id})
    assert session.execute(stored, {"id": action_id}).one() == before


def test_a_purge_nulls_the_user_references_and_keeps_the_entry(session: Session) -> None:
    action_id = _entry(session)
    row = session.get(ModeratorAction, action_id)
    assert row is not None
    actor_id, owner_id = row.actor_id, row.target_user_id
    session.execute(sa.delete(User).where(User.id.in_([actor_id, owner_id])))
    [after] = audit_rows(session)
    assert after.id == action_id
    assert (after.actor_id, after.target_user_id) == (None, None)
    assert after.reason == "Spam links in the description"


def test_the_log_filters_pages_and_names_deleted_users(session: Session) -> None:
    from datetime import timedelta

    from citypulse.services.errors import NotFound
    from citypulse.services.moderation.audit import DELETED_USER, SYSTEM, AuditFilters, audit_log

    cast = make_cast(session)
    base = {"target_type": "user", "reason": "Because of the rules", "notes": "mods only"}
    for n in range(52):
        record(session, actor=viewer(cast.mod), action_type="warning_issued", target_id=cast.bob.id,
               target_user_id=cast.bob.id, now=NOW - timedelta(minutes=n), **base)  # fmt: skip
    record(session, actor=viewer(cast.admin), action_type="role_change", target_id=cast.alice.id,
           target_user_id=cast.alice.id, now=NOW + timedelta(days=1), **base)  # fmt: skip
    record(session, actor=None, action_type="suspension_expired", target_id=cast.alice.id,
           target_user_id=cast.alice.id, now=NOW + timedelta(days=2), **base)  # fmt: skip

    # This test's days only: entries other tests committed for real stay in the append-only log.
    days = {
        "day_from": (NOW - timedelta(days=1)).date(),
        "day_to": (NOW + timedelta(days=2)).date(),
    }

    def log(cursor=None, **filters):
        return audit_log(
            session, viewer=viewer(cast.mod2), filters=AuditFilters(**(days | filters)),
            cursor=cursor,
        )  # fmt: skip

    first = log()
    assert [e.actor for e in first.entries[:3]] == [SYSTEM, "m_admin", "m_mod"]
    assert first.entries[0].notes == "mods only" and len(first.entries) == 50
    rest = log(first.next_cursor)
    assert len(rest.entries) == 4 and rest.next_cursor is None
    assert len({e.action_id for e in (*first.entries, *rest.entries)}) == 54
    assert [e.action_type for e in log(action_type="role_change").entries] == ["role_change"]
    assert len(log(moderator="M_ADMIN").entries) == 1
    assert {e.target_user for e in log(target_user="m_alice").entries} == {"m_alice"}
    day = (NOW + timedelta(days=1)).date()
    assert [e.action_type for e in log(day_from=day, day_to=day).entries] == ["role_change"]
    assert log(cursor="not-a-cursor").entries == first.entries  # restarts

    session.execute(sa.delete(User).where(User.id.in_([cast.admin.id, cast.alice.id])))
    entries = log(action_type="role_change").entries
    assert (entries[0].actor, entries[0].target_user) == (DELETED_USER, DELETED_USER)
    for who in (None, viewer(cast.bob)):
        with pytest.raises(NotFound):
            audit_log(session, viewer=who, filters=AuditFilters())
