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
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from citypulse.models import ModeratorAction
from citypulse.models.enums import ActionType, TargetType
from citypulse.realtime import publish_after_commit
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.display_text import free_text_problem
from citypulse.services.errors import ValidationFailed

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
