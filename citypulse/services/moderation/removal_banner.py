"""The "Removed by moderation" banner on a removed item's own page (§4.13.3, §4.13.9).

Only the owner and moderators ever reach a removed item's page (the visibility rules and
the moderators' own reads decide that); this reads what the banner says: the removal's
reason, and for the owner the appeal of that removal — the form while it can still be
filed, its state and the moderator's note once filed, or why it can no longer be.
The appeal itself is filed with `appeals.appeal_create` (target: the removal's entry),
or by the item with `appeal_removal_of` where a page lists several removed items.
`own_removal_banner` is the banner of a removed item of the viewer's own shown on a page
that is not the item's (a review on the recommendation's page, a profile): nobody else
ever gets it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from citypulse.models import ModeratorAction
from citypulse.models.enums import ActionType, AppealTarget
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound
from citypulse.services.moderation.appeal_pages import appealables
from citypulse.services.moderation.appeals import appeal_create, target_facts
from citypulse.services.moderation.removal import load_item


@dataclass(frozen=True)
class RemovalBanner:
    """What the banner of one removed item shows this viewer."""

    reason: str
    owner_view: bool  # the owner: the appeal part is theirs
    removal_id: int  # the removal's audit entry: what an appeal names (0: none found)
    appeal_status: str  # "" (none yet), pending, granted, rejected
    decision_note: str
    refusal: str  # why it can no longer be appealed ("" when it can, or was)

    @property
    def can_appeal(self) -> bool:
        return (
            self.owner_view and self.removal_id > 0 and not self.appeal_status and not self.refusal
        )


def _latest_removal(session: Session, content_type: str, content_id: int):
    """(id, reason) of the item's latest removal entry, or None."""
    return session.exec(
        select(ModeratorAction.id, ModeratorAction.reason)
        .where(
            ModeratorAction.action_type == ActionType.content_removal,
            ModeratorAction.target_type == content_type,
            ModeratorAction.target_id == content_id,
        )
        .order_by(col(ModeratorAction.created_at).desc(), col(ModeratorAction.id).desc())
        .limit(1)
    ).first()


def appeal_removal_of(
    session: Session,
    *,
    actor: Viewer | None,
    content_type: str,
    content_id: int,
    message: str,
    now: datetime,
) -> int:
    """File the actor's appeal of the latest removal of their item (named by the item, as
    a list of removed comments shows it); returns the appeal's id.

    Raises:
        As `appeals.appeal_create` (NotFound when the item has no removal of the actor's).
    """
    entry = _latest_removal(session, str(content_type), content_id) if isinstance(
        content_id, int
    ) and not isinstance(content_id, bool) else None  # fmt: skip
    return appeal_create(
        session, actor=actor, target_type=AppealTarget.content_removal.value,
        target_id=entry.id if entry is not None else 0, message=message, now=now,
    )  # fmt: skip


def removal_banner(
    session: Session,
    *,
    viewer: Viewer | None,
    content_type: str,
    content_id: int,
    owner_id: int,
    fallback_reason: str = "",
    now: datetime,
) -> RemovalBanner:
    """The banner of a removed item whose page this viewer (its owner or a moderator) sees."""
    entry = _latest_removal(session, content_type, content_id)
    reason = entry.reason if entry is not None else fallback_reason
    owner = viewer is not None and viewer.user_id == owner_id
    if entry is None or not owner:
        return RemovalBanner(reason, owner, 0, "", "", "")
    facts = target_facts(session, AppealTarget.content_removal.value, entry.id)
    if facts is None:
        return RemovalBanner(reason, owner, 0, "", "", "")
    (item,) = appealables(session, [(AppealTarget.content_removal.value, entry.id, facts)], now)
    return RemovalBanner(
        reason, owner, entry.id, item.appeal_status, item.decision_note, item.refusal
    )


def own_removal_banner(
    session: Session,
    *,
    viewer: Viewer | None,
    content_type: str,
    content_id: int,
    now: datetime,
) -> RemovalBanner | None:
    """The banner of the viewer's own item while a moderator keeps it removed; None for
    anyone else, or when it is not removed (never restored, deleted or someone else's)."""
    if viewer is None:
        return None
    try:
        item = load_item(session, content_type, content_id)
    except NotFound:
        return None
    if not item.removed or item.owner_id != viewer.user_id:
        return None
    return removal_banner(
        session, viewer=viewer, content_type=content_type, content_id=content_id,
        owner_id=item.owner_id, now=now,
    )  # fmt: skip
