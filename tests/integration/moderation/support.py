"""Helpers for the moderation tests: people in every role, viewers and audit reads."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from citypulse.models import ModeratorAction, User
from citypulse.models.enums import Role
from tests.integration.interactions.support import act, viewer
from tests.integration.support import NOW, count
from tests.support.factories import create_user

__all__ = ["NOW", "Cast", "act", "audit_rows", "count", "make_cast", "viewer"]


@dataclass
class Cast:
    """alice (owner), bob (reporter), two moderators and an admin."""

    alice: User
    bob: User
    mod: User
    mod2: User
    admin: User


def make_cast(session: Session) -> Cast:
    return Cast(
        alice=create_user(session, username="m_alice", full_name="Alice Martins"),
        bob=create_user(session, username="m_bob", full_name="Bob Silva"),
        mod=create_user(
            session, username="m_mod", full_name="Maria Moderator", role=Role.moderator
        ),
        mod2=create_user(
            session, username="m_mod2", full_name="Mario Moderator", role=Role.moderator
        ),
        admin=create_user(session, username="m_admin", full_name="Ada Admin", role=Role.admin),
    )


# The highest audit id committed before the running test (set by conftest.py): the log is
# append-only, so entries other tests committed for real (e.g. the job worker's
# suspension_expired) stay in the database for the whole run.
audit_baseline = 0


def audit_rows(session: Session) -> list[ModeratorAction]:
    """Every audit entry this test wrote, oldest first (re-read)."""
    session.expire_all()
    query = select(ModeratorAction).where(col(ModeratorAction.id) > audit_baseline)
    return list(session.exec(query.order_by(col(ModeratorAction.id))).all())


def reported_recommendation(session: Session, cast: Cast, *reporters: User, reason: str = "spam"):
    """alice's public recommendation, reported by each of `reporters` (default: bob)."""
    from citypulse.models import ContentReport
    from tests.support.factories import create_recommendation

    rec = create_recommendation(session, author=cast.alice, title="Too good to be true")
    for reporter in reporters or (cast.bob,):
        session.add(
            ContentReport(
                reporter_id=reporter.id,
                content_type="recommendation",
                content_id=rec.id,
                content_owner_id=cast.alice.id,
                reason=reason,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    session.flush()
    return rec
