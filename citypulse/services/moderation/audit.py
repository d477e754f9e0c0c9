"""The audit log's one writer (PRODUCT.md §4.13.11): every moderation action calls `record`.

The row is written in the caller's transaction, so the action and its entry commit or
roll back together (exactly one entry per action). The table is append-only in the
database (alembic 0008: a trigger refuses UPDATE, DELETE and TRUNCATE; only a purge may
null the actor or target user), so nothing here or elsewhere can edit history.

Validation here guards the log itself; each action validates its own reason first, so
a user sees the action's field error (e.g. "Reason must be 10–1000 characters").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import insert
from sqlalchemy.orm import aliased
from sqlmodel import Session

from citypulse.models import ModeratorAction, User
from citypulse.models.enums import ActionType, TargetType
from citypulse.realtime import publish_after_commit
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.display_text import free_text_problem
from citypulse.services.errors import ValidationFailed
from citypulse.services.moderation.authority import require_moderator

REASON_MAX = 1000
NOTES_MAX = 2000


@dataclass(frozen=True)
class ModeratorActionRecorded:
    """An audit entry was committed (moderator dashboards re-read; names nobody)."""

    action_type: str


def record(
    session: Session,
    *,
    actor: Viewer | None,
    action_type: ActionType | str,
    target_type: TargetType | str,
    target_id: int,
    target_user_id: int | None,
    reason: str,
    notes: str | None = None,
    details: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> int:
    """Append one audit entry in the caller's transaction; returns its id.

    Args:
        actor: The moderator or admin who acted; None for the system (auto-expiry).
        action_type: One of `ActionType`.
        target_type: One of `TargetType` (what was acted on: a report, an item, a user).
        target_id: The target row's id (a user's id for `user` and `profile`).
        target_user_id: The affected user (the content owner, the sanctioned user).
        reason: Shown to the affected user; 1–1000 characters after trimming.
        notes: Moderator-only, ≤2000 characters; never shown to users.
        details: Small JSON facts about the action (e.g. from/to statuses, end time).
        now: The action's time (services pass their clock; default: the database's).

    Raises:
        ValidationFailed: unknown action/target type, or a reason/notes out of range.
    """
    if action_type not in ActionType.__members__.values():
        raise ValidationFailed({"action_type": "Unknown action type"})
    if target_type not in TargetType.__members__.values():
        raise ValidationFailed({"target_type": "Unknown target type"})
    text = (reason or "").strip()
    if not text or len(text) > REASON_MAX:
        raise ValidationFailed({"reason": f"Reason must be 1–{REASON_MAX} characters"})
    note = (notes or "").strip() or None
    if note is not None and len(note) > NOTES_MAX:
        raise ValidationFailed({"notes": f"Notes must be at most {NOTES_MAX} characters"})
    for field, label, value in (("reason", "Reason", text), ("notes", "Notes", note)):
        if problem := free_text_problem(label, value):
            raise ValidationFailed({field: problem})
    values: dict[str, Any] = {
        "actor_id": None if actor is None else actor.user_id,
        "action_type": ActionType(action_type).value,
        "target_type": TargetType(target_type).value,
        "target_id": target_id,
        "target_user_id": target_user_id,
        "reason": text,
        "notes": note,
        "details": details or {},
    }
    if now is not None:
        values["created_at"] = now
    action_id = session.execute(
        insert(ModeratorAction).values(**values).returning(ModeratorAction.id)
    ).scalar_one()
    publish_after_commit(session, ModeratorActionRecorded(values["action_type"]))
    return action_id


# ---- Reading the log (/moderator/actions) ---------------------------------------------

AUDIT_PAGE_SIZE = 50  # §4.14
DELETED_USER = "deleted user"
SYSTEM = "System"


@dataclass(frozen=True)
class AuditFilters:
    """The log's filters; None/'' = all. Usernames match exactly, ignoring case."""

    action_type: str | None = None
    moderator: str | None = None
    target_user: str | None = None
    day_from: date | None = None
    day_to: date | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One entry as moderators see it (notes included: moderators only)."""

    action_id: int
    created_at: datetime
    actor: str  # username, "System" or "deleted user"
    action_type: str
    target_type: str
    target_id: int
    target_user: str  # username, "" when none, or "deleted user"
    reason: str
    notes: str


@dataclass(frozen=True)
class AuditPage:
    entries: tuple[AuditEntry, ...]
    next_cursor: str | None


def audit_log(
    session: Session, *, viewer: Viewer | None, filters: AuditFilters, cursor: str | None = None
) -> AuditPage:
    """A page of the audit log, newest first, keyset-paginated on (created_at, id).

    Raises:
        NotFound: not a moderator or admin.
    """
    require_moderator(session, viewer)
    actor, target = aliased(User), aliased(User)
    query = (
        sa.select(
            ModeratorAction,
            actor.username.label("actor_name"),
            target.username.label("target_name"),
        )
        .outerjoin(actor, actor.id == ModeratorAction.actor_id)
        .outerjoin(target, target.id == ModeratorAction.target_user_id)
        .where(*_log_filters(filters, actor, target))
    )  # fmt: skip
    if (after := _log_cursor(cursor)) is not None:
        query = query.where(
            sa.tuple_(ModeratorAction.created_at, ModeratorAction.id) < sa.tuple_(*after)
        )
    rows = session.execute(
        query.order_by(ModeratorAction.created_at.desc(), ModeratorAction.id.desc()).limit(
            AUDIT_PAGE_SIZE + 1
        )
    ).all()
    entries = tuple(_entry(row) for row in rows[:AUDIT_PAGE_SIZE])
    last = entries[-1] if len(rows) > AUDIT_PAGE_SIZE else None
    next_cursor = None if last is None else f"{last.created_at.isoformat()}|{last.action_id}"
    return AuditPage(entries, next_cursor)


def _log_filters(filters: AuditFilters, actor: Any, target: Any) -> list:
    where: list = []
    if filters.action_type in ActionType.__members__:
        where.append(ModeratorAction.action_type == filters.action_type)
    if filters.moderator:
        where.append(sa.func.lower(actor.username) == filters.moderator.strip().lower())
    if filters.target_user:
        where.append(sa.func.lower(target.username) == filters.target_user.strip().lower())
    if filters.day_from is not None:
        where.append(
            ModeratorAction.created_at >= datetime.combine(filters.day_from, time.min, UTC)
        )
    if filters.day_to is not None:
        end = datetime.combine(filters.day_to + timedelta(days=1), time.min, UTC)
        where.append(ModeratorAction.created_at < end)
    return where


def _log_cursor(raw: str | None) -> tuple[datetime, int] | None:
    """(created_at, id) from "iso|id"; anything else restarts from the top (§4.14)."""
    try:
        moment, ident = (raw or "").split("|")
        return datetime.fromisoformat(moment), int(ident)
    except ValueError:
        return None


def _entry(row: Any) -> AuditEntry:
    action: ModeratorAction = row[0]
    if action.actor_id is not None:
        actor = row.actor_name
    else:  # NULL: the system (expiries) or a purged moderator
        actor = SYSTEM if action.action_type == ActionType.suspension_expired else DELETED_USER
    # Every action of §4.13 names an affected user: NULL means they were purged.
    target = row.target_name if action.target_user_id is not None else DELETED_USER
    return AuditEntry(
        action.id, action.created_at, actor, str(action.action_type), str(action.target_type),
        action.target_id, target, action.reason, action.notes or "",
    )  # fmt: skip
