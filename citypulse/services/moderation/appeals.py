"""Appeals (PRODUCT.md §4.13.9): one per warning, suspension, ban or removal.

- The affected user appeals within 30 days (restricted accounts too: the restricted
  screen is where they do it); 20–2000 characters; one appeal per target, ever.
- pending → granted | rejected, final. Decided by an admin, or by a moderator who did not
  take the action (for an escalation: who issued the warning that escalated), within
  the §4.13.10 limits on the appellant. The note (10–1000) is shown to the appellant.
- Granting revokes a warning; lifts a suspension or ban and revokes the warnings that
  escalated into it; restores removed content (the removal service's own restore).

A content removal is appealed by its audit entry (`ModeratorAction` of type
content_removal): removals have no row of their own. Granting one puts the item back
through the removal service (`undo_removal`: content_restored notice included); the
decision's entry names the restored item, the only audit entry of the action.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlmodel import Session, col, select

from citypulse.models import Appeal, ModerationWarning, ModeratorAction, Suspension
from citypulse.models.enums import (
    ActionType,
    AppealStatus,
    AppealTarget,
    NotificationType,
    RestrictionKind,
    SuspensionSource,
    TargetType,
)
from citypulse.realtime import publish_after_commit
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import Conflict, NotFound, PermissionDenied
from citypulse.services.moderation import audit
from citypulse.services.moderation.authority import require_may_act_on, require_moderator
from citypulse.services.moderation.events import AppealsChanged
from citypulse.services.moderation.removal import load_item, restore_entries, undo_removal
from citypulse.services.moderation.restrictions import checked_text, lift
from citypulse.services.moderation.warnings import deactivate, warnings_that_escalated
from citypulse.services.notifications.create import notify
from citypulse.services.policies import SIGN_IN

APPEAL_WINDOW = timedelta(days=30)
NOTHING_TO_APPEAL = "There is nothing to appeal here"
ALREADY_APPEALED = "You have already appealed this"
TOO_LATE = "Appeals must be made within 30 days"
NO_LONGER_IN_FORCE = "This is no longer in force"
APPEAL_NOT_FOUND = "Appeal not found"
ALREADY_DECIDED = "This appeal has already been decided"
OWN_ACTION = "You cannot decide an appeal of your own action"


@dataclass(frozen=True)
class AppealTargetFacts:
    """What an appeal is about, as the rules need it."""

    user_id: int
    taken_by_id: int | None  # who took the action (None: the system or a purged moderator)
    taken_at: datetime
    in_force: bool
    summary: str  # e.g. "Ban: Repeated spam"


def _warning(session: Session, target_id: int, lock: bool) -> AppealTargetFacts | None:
    row = session.get(ModerationWarning, target_id, with_for_update=lock or None)
    if row is None:
        return None
    return AppealTargetFacts(
        row.user_id, row.moderator_id, row.created_at, row.is_active,
        f"{row.severity.capitalize()} severity warning: {row.message}",
    )  # fmt: skip


def _restriction(kind: RestrictionKind):
    def facts(session: Session, target_id: int, lock: bool) -> AppealTargetFacts | None:
        row = session.get(Suspension, target_id, with_for_update=lock or None)
        if row is None or row.kind != kind:
            return None
        label = "Ban" if kind == RestrictionKind.ban else "Suspension"
        return AppealTargetFacts(
            row.user_id, row.imposed_by_id, row.starts_at or row.created_at,
            row.lifted_at is None, f"{label}: {row.reason}",
        )  # fmt: skip

    return facts


def _removal(session: Session, target_id: int, lock: bool) -> AppealTargetFacts | None:
    """A removal is appealed by its audit entry; in force while the item stays removed
    and no restore followed this removal."""
    row = session.get(ModeratorAction, target_id)
    if row is None or row.action_type != ActionType.content_removal or row.target_user_id is None:
        return None
    restored = session.exec(
        select(ModeratorAction.id).where(
            restore_entries(row.target_type, row.target_id), col(ModeratorAction.id) > row.id
        )
    ).first()
    try:
        removed = load_item(session, row.target_type, row.target_id, lock=lock).removed
    except NotFound:  # deleted by its author since
        removed = False
    label = str(row.target_type).replace("_", " ").capitalize()
    return AppealTargetFacts(
        row.target_user_id, row.actor_id, row.created_at, removed and restored is None,
        f"{label} removed: {row.reason}",
    )  # fmt: skip


FACTS = {
    AppealTarget.warning: _warning,
    AppealTarget.suspension: _restriction(RestrictionKind.suspension),
    AppealTarget.ban: _restriction(RestrictionKind.ban),
    AppealTarget.content_removal: _removal,
}


def target_facts(
    session: Session, target_type: object, target_id: object, *, lock: bool = False
) -> AppealTargetFacts | None:
    """The facts of an appeal target (None: unknown type or no such item)."""
    if target_type not in FACTS or isinstance(target_id, bool) or not isinstance(target_id, int):
        return None
    return FACTS[AppealTarget(target_type)](session, target_id, lock)


def filing_refusal(facts: AppealTargetFacts, now: datetime) -> str | None:
    """Why that item can no longer be appealed (None: it can, unless already appealed)."""
    if now - facts.taken_at > APPEAL_WINDOW:
        return TOO_LATE
    if not facts.in_force:
        return NO_LONGER_IN_FORCE
    return None


def appeal_create(
    session: Session,
    *,
    actor: Viewer | None,
    target_type: str,
    target_id: int,
    message: str,
    now: datetime,
) -> int:
    """File the actor's appeal of a sanction or removal that concerns them; returns its id.

    Who: the affected user, signed in (a restricted account may appeal, §4.13.8).

    Raises:
        PermissionDenied: signed out.
        NotFound: no such item, or it does not concern the actor.
        ValidationFailed: message not 20–2000 characters.
        Conflict: already appealed, older than 30 days, or no longer in force.
    """
    if actor is None:
        raise PermissionDenied(SIGN_IN)
    facts = target_facts(session, target_type, target_id)
    if facts is None or facts.user_id != actor.user_id:
        raise NotFound(NOTHING_TO_APPEAL)
    text = checked_text(message, field="message", label="Message", low=20, high=2000)
    if refusal := filing_refusal(facts, now):
        raise Conflict(refusal)
    appeal_id = session.execute(
        pg_insert(Appeal)
        .values(appellant_id=actor.user_id, target_type=AppealTarget(target_type).value,
                target_id=target_id, message=text, created_at=now, updated_at=now)
        .on_conflict_do_nothing()
        .returning(Appeal.id)
    ).scalar()  # fmt: skip
    if appeal_id is None:
        raise Conflict(ALREADY_APPEALED)
    publish_after_commit(session, AppealsChanged(appeal_id))
    return appeal_id


def may_decide(is_admin: bool, moderator_id: int, facts: AppealTargetFacts) -> str | None:
    """Why this moderator may not decide an appeal of that action (None: they may)."""
    if not is_admin and facts.taken_by_id == moderator_id:
        return OWN_ACTION
    return None


def appeal_decide(
    session: Session,
    *,
    actor: Viewer | None,
    appeal_id: int,
    grant: bool,
    note: str,
    now: datetime,
) -> str:
    """Grant or reject a pending appeal with a note the appellant sees; returns the status.

    Raises:
        NotFound: not a moderator; no such appeal ("Appeal not found").
        PermissionDenied: the appellant is off limits (§4.13.10), or the moderator took
            the appealed action.
        ValidationFailed: note not 10–1000 characters.
        Conflict: already decided.
    """
    moderator = require_moderator(session, actor)
    if isinstance(appeal_id, bool) or not isinstance(appeal_id, int):
        raise NotFound(APPEAL_NOT_FOUND)
    appeal = session.get(Appeal, appeal_id, with_for_update=True)
    if appeal is None:
        raise NotFound(APPEAL_NOT_FOUND)
    require_may_act_on(session, moderator, appeal.appellant_id, lock=True)
    facts = target_facts(session, appeal.target_type, appeal.target_id, lock=True)
    if facts is not None and (refusal := may_decide(moderator.is_admin, moderator.user_id, facts)):
        raise PermissionDenied(refusal)
    text = checked_text(note, field="note", label="Note")
    if appeal.status != AppealStatus.pending:
        raise Conflict(ALREADY_DECIDED)
    effects = _grant(session, moderator.viewer, appeal, text, now) if grant is True else {}
    status = AppealStatus.granted if grant is True else AppealStatus.rejected
    appeal.status, appeal.decided_by_id, appeal.decision_note = status, moderator.user_id, text
    appeal.decided_at = appeal.updated_at = now
    session.add(appeal)
    audit.record(
        session, actor=moderator.viewer, action_type=ActionType.appeal_decision,
        target_type=TargetType.appeal, target_id=appeal.id, target_user_id=appeal.appellant_id,
        reason=text, details={"decision": status.value, "target_type": appeal.target_type,
                              "target_id": appeal.target_id, **effects}, now=now,
    )  # fmt: skip
    notify(
        session, recipient_id=appeal.appellant_id, type=NotificationType.appeal_decided,
        actor=None, title=f"Your appeal was {status.value}", message=f"Moderator's note: {text}",
        target_type="appeal", target_id=appeal.id, action_url="/settings", now=now,
    )  # fmt: skip
    publish_after_commit(session, AppealsChanged(appeal.id))
    return status.value


def _grant(
    session: Session, actor: Viewer, appeal: Appeal, note: str, now: datetime
) -> dict[str, object]:
    """Undo the appealed action; returns what changed (for the audit entry's details)."""
    reason = f"Appeal granted: {note}"[:1000]
    if appeal.target_type == AppealTarget.content_removal:
        return _restore(session, appeal.target_id, reason, now)
    if appeal.target_type == AppealTarget.warning:
        warning = session.get(ModerationWarning, appeal.target_id)
        if warning is not None and warning.is_active:
            deactivate(session, warning, revoked_by_id=actor.user_id, now=now)
            return {"warnings_revoked": [warning.id]}
        return {}
    row = session.get(Suspension, appeal.target_id)
    if row is None:
        return {}
    effects: dict[str, object] = {}
    if row.lifted_at is None:
        lift(session, row, lifted_by_id=actor.user_id, reason=reason, now=now)
        effects["lifted_suspension_id"] = row.id
    trigger = session.get(ModerationWarning, row.warning_id) if row.warning_id else None
    if row.source == SuspensionSource.warning_escalation and trigger is not None:
        escalated = warnings_that_escalated(session, trigger)
        for warning in escalated:
            deactivate(session, warning, revoked_by_id=actor.user_id, now=now)
        effects["warnings_revoked"] = [warning.id for warning in escalated]
    return effects


def _restore(session: Session, removal_id: int, reason: str, now: datetime) -> dict[str, object]:
    """Put the removed item back; the decision's own entry records it under "restored"
    (no separate content_restore entry: one entry per action, §4.13.11)."""
    facts = _removal(session, removal_id, lock=True)
    row = session.get(ModeratorAction, removal_id)
    if facts is None or row is None or not facts.in_force:
        return {}
    item = load_item(session, row.target_type, row.target_id, lock=True)
    changed = undo_removal(session, item, reason=reason, now=now)
    return {"restored": {"content_type": item.content_type, "content_id": item.content_id,
                         "removal_id": removal_id, **changed}}  # fmt: skip
