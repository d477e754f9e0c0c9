"""The authorization matrix of the sanction services (§1.5, §4.13.10, issue 14 acceptance).

Every command — warn, revoke, suspend, ban, reinstate, change role, decide an appeal — is
called as a visitor, a user, the affected user, a moderator on a moderator, on an admin,
on himself, and as a moderator and an admin on whom they may act. Each outcome is
asserted; each refusal leaves the target's account, warnings, sanctions and appeals as
they were, and no audit entry.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from citypulse.models import Appeal, ModerationWarning, Suspension, User
from citypulse.models.enums import AccountStatus
from citypulse.services.errors import NotFound, PermissionDenied
from citypulse.services.moderation.appeals import appeal_decide
from citypulse.services.moderation.roles import role_change
from citypulse.services.moderation.sanctions import user_ban, user_reinstate, user_suspend
from citypulse.services.moderation.warnings import warning_issue, warning_revoke
from tests.integration.moderation.support import NOW, Cast, act, audit_rows, make_cast, viewer

REASON = "Matrix reason long enough"


def _prepare(session: Session, target: User) -> dict[str, int]:
    """A warning (issued by nobody still here), a suspension and a pending appeal of the
    warning, written straight to the tables (no audit entries)."""
    warning = ModerationWarning(user_id=target.id, moderator_id=None, warning_type="spam",
                                severity="low", message="A warning for the matrix.",
                                expires_at=NOW + timedelta(days=180))  # fmt: skip
    session.add(warning)
    session.flush()
    session.add(Suspension(user_id=target.id, kind="suspension", reason=REASON, starts_at=NOW,
                           ends_at=NOW + timedelta(days=3)))  # fmt: skip
    target.account_status, target.suspended_until = AccountStatus.suspended, NOW + timedelta(3)
    appeal = Appeal(appellant_id=target.id, target_type="warning", target_id=warning.id,
                    message="Please look at this warning again, it was a mistake.")  # fmt: skip
    session.add_all([target, appeal])
    session.flush()
    return {"warning": warning.id, "appeal": appeal.id}


def _other_role(user: User) -> str:
    return "user" if user.role == "moderator" else "moderator"


COMMANDS: dict[str, Any] = {
    "warn": lambda t, ids: (warning_issue, {"user_id": t.id, "warning_type": "spam",
                                            "severity": "low", "message": "Matrix warning text"}),
    "revoke": lambda t, ids: (warning_revoke, {"warning_id": ids["warning"], "reason": REASON}),
    "suspend": lambda t, ids: (user_suspend, {"user_id": t.id, "days": 5, "reason": REASON}),
    "ban": lambda t, ids: (user_ban, {"user_id": t.id, "reason": REASON}),
    "reinstate": lambda t, ids: (user_reinstate, {"user_id": t.id, "reason": REASON}),
    "role": lambda t, ids: (role_change, {"user_id": t.id, "reason": REASON,
                                          "role": _other_role(t)}),
    "decide": lambda t, ids: (appeal_decide, {"appeal_id": ids["appeal"], "grant": True,
                                              "note": "Matrix decision note"}),
}  # fmt: skip

# (who acts, on whom) → outcome for the moderator commands; role change is admin only.
CASES = [
    (None, "alice", NotFound),
    ("bob", "alice", NotFound),
    ("alice", "alice", NotFound),  # the affected user
    ("mod", "mod2", PermissionDenied),
    ("mod", "admin", PermissionDenied),
    ("mod", "mod", PermissionDenied),
    ("mod", "alice", None),
    ("admin", "mod2", None),
    ("admin", "alice", None),
    ("admin", "admin", PermissionDenied),
]


def snapshot(session: Session, target: User) -> tuple:
    session.expire_all()
    user = session.get(User, target.id)
    rows = lambda model, *cols: session.exec(  # noqa: E731
        select(*cols).where(model.user_id == target.id).order_by(col(model.id))).all()  # fmt: skip
    appeals = session.exec(select(Appeal.status).where(Appeal.appellant_id == target.id)).all()
    return (
        (user.account_status, user.role, user.suspended_until),
        rows(ModerationWarning, ModerationWarning.is_active),
        rows(Suspension, Suspension.lifted_at, Suspension.ends_at, Suspension.kind),
        appeals,
    )


def expected(command: str, actor: str | None, outcome):
    if command == "role" and actor == "mod" and outcome is None:
        return PermissionDenied  # moderators never change roles
    return outcome


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize(("actor", "target", "outcome"), CASES)
def test_the_matrix(session: Session, command: str, actor, target: str, outcome) -> None:
    cast: Cast = make_cast(session)
    person = getattr(cast, target)
    ids = _prepare(session, person)
    # These act on an active account; so does a moderator acting on himself (restricted,
    # he would have no moderator tools at all).
    if command in ("warn", "suspend", "ban", "role") or actor == target:
        person.account_status, person.suspended_until = AccountStatus.active, None
        session.add(person)
        session.flush()
    service, kwargs = COMMANDS[command](person, ids)
    who = viewer(getattr(cast, actor)) if actor else None
    before, audits = snapshot(session, person), len(audit_rows(session))
    error = expected(command, actor, outcome)
    if error is None:
        act(session, service, actor=who, now=NOW, **kwargs)
        assert snapshot(session, person) != before
        assert len(audit_rows(session)) > audits
        assert audit_rows(session)[-1].actor_id == getattr(cast, actor).id
        return
    with pytest.raises(error):
        act(session, service, actor=who, now=NOW, **kwargs)
    assert snapshot(session, person) == before
    assert len(audit_rows(session)) == audits
