"""What the appeal pages show: the restricted screen (§4.13.8) and /moderator/appeals (§2.3).

The restricted screen belongs to the restricted user alone: their sanction (kind, reason,
end), their active warnings, and for each whether and how it can be appealed. The queue
is for moderators: each appeal with its sanction and reason, the message, the decision
history, and whether this moderator may decide it (the services refuse the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import tuple_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from citypulse.models import Appeal, ModerationWarning, User
from citypulse.models.enums import AppealStatus, AppealTarget, RestrictionKind
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.cursors import KeysetPage, keyset_before, keyset_page, keyset_position
from citypulse.services.moderation.appeals import (
    AppealTargetFacts,
    filing_refusal,
    may_decide,
    target_facts,
)
from citypulse.services.moderation.authority import refusal_for, require_moderator
from citypulse.services.moderation.restrictions import open_restriction
from citypulse.services.moderation.warnings import active_at

PAGE_SIZE = 20
DELETED_USER = "deleted user"


@dataclass(frozen=True)
class Appealable:
    """One sanction or warning on the restricted screen, with its appeal (if any)."""

    target_type: str
    target_id: int
    summary: str
    taken_at: datetime
    appeal_status: str  # "" (none yet), pending, granted, rejected
    decision_note: str  # the moderator's note once decided (shown to the appellant)
    refusal: str  # why it cannot be appealed now ("" when it can, or was)


@dataclass(frozen=True)
class RestrictedScreen:
    """The restricted user's own sanction, warnings and appeals."""

    kind: str  # suspension | ban
    reason: str
    ends_at: datetime | None  # None: permanent
    sanction: Appealable
    warnings: list[Appealable]


def appealables(
    session: Session, items: list[tuple[str, int, AppealTargetFacts]], now: datetime
) -> list[Appealable]:
    """Each (target type, id, facts) with its appeal's state, or why it cannot be appealed."""
    keys = [(kind, ident) for kind, ident, _ in items]
    appeals = {
        (row.target_type, row.target_id): row
        for row in session.exec(
            select(Appeal).where(tuple_(Appeal.target_type, Appeal.target_id).in_(keys))
        ).all()
    } if keys else {}  # fmt: skip
    shown = []
    for kind, ident, facts in items:
        appeal = appeals.get((kind, ident))
        refusal = "" if appeal else (filing_refusal(facts, now) or "")
        shown.append(Appealable(
            kind, ident, facts.summary, facts.taken_at,
            appeal.status if appeal else "", (appeal.decision_note or "") if appeal else "",
            refusal,
        ))  # fmt: skip
    return shown


def restricted_screen(
    session: Session, *, viewer: Viewer | None, now: datetime
) -> RestrictedScreen | None:
    """The viewer's restricted screen; None when signed out or not restricted."""
    if viewer is None:
        return None
    row = open_restriction(session, viewer.user_id)
    if row is None or row.id is None:
        return None
    kind = AppealTarget.ban if row.kind == RestrictionKind.ban else AppealTarget.suspension
    sanction = target_facts(session, kind, row.id)
    warnings = session.exec(
        select(ModerationWarning.id)
        .where(ModerationWarning.user_id == viewer.user_id, active_at(now))
        .order_by(col(ModerationWarning.created_at).desc(), col(ModerationWarning.id).desc())
    ).all()
    items = [(kind.value, row.id, sanction)] + [
        (AppealTarget.warning.value, ident, target_facts(session, AppealTarget.warning, ident))
        for ident in warnings
    ]
    shown = appealables(session, [item for item in items if item[2] is not None], now)
    return RestrictedScreen(row.kind, row.reason, row.ends_at, shown[0], shown[1:])


@dataclass(frozen=True)
class AppealRow:
    """One appeal in the moderators' queue."""

    appeal_id: int
    appellant: str  # username, or "deleted user"
    target_type: str
    summary: str  # the sanction and its reason
    message: str
    status: str
    created_at: datetime
    decided_by: str
    decision_note: str
    decided_at: datetime | None
    refusal: str  # why this moderator may not decide it ("" when they may)


def appeals_queue(
    session: Session, *, actor: Viewer | None, status: str, cursor: str | None = None
) -> KeysetPage[AppealRow]:
    """Appeals with `status` (pending, granted, rejected), newest first, 20 a page.

    Raises:
        NotFound: not a moderator or admin.
    """
    moderator = require_moderator(session, actor)
    wanted = status if status in AppealStatus.__members__.values() else AppealStatus.pending
    appellant, decider = aliased(User), aliased(User)
    rows = session.exec(
        select(Appeal, appellant.username, appellant.role, decider.username)
        .join(appellant, col(appellant.id) == Appeal.appellant_id)
        .outerjoin(decider, col(decider.id) == Appeal.decided_by_id)
        .where(Appeal.status == wanted,
               keyset_before(Appeal.created_at, Appeal.id, keyset_position(cursor)))
        .order_by(col(Appeal.created_at).desc(), col(Appeal.id).desc())
        .limit(PAGE_SIZE + 1)
    ).all()  # fmt: skip

    def item(row) -> AppealRow:
        appeal, username, role, decided_by = row
        facts = target_facts(session, appeal.target_type, appeal.target_id)
        refusal = refusal_for(moderator, appeal.appellant_id, role) or (
            may_decide(moderator.is_admin, moderator.user_id, facts) if facts else None
        )
        return AppealRow(
            appeal.id, username, appeal.target_type,
            facts.summary if facts else "The appealed item no longer exists",
            appeal.message, appeal.status, appeal.created_at,
            decided_by or (DELETED_USER if appeal.decided_by_id is None and appeal.decided_at
                           else ""),
            appeal.decision_note or "", appeal.decided_at, refusal or "",
        )  # fmt: skip

    return keyset_page(rows, PAGE_SIZE, item=item, position=lambda r: (r[0].created_at, r[0].id))
