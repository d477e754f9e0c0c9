"""/moderator/users (§2.3): reported users, search, and one user's moderation panel.

Moderators and admins only (anyone else: `NotFound`, the page's 404). The panel says
which actions this moderator may take on the user (`authority.refusal_for`), so the page
offers only what the services accept; the services check again whatever page asks.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, tuple_
from sqlmodel import Session, col, select

from citypulse.models import Appeal, ContentReport, ModerationWarning, Suspension, User
from citypulse.models.enums import ReportStatus, Role
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound
from citypulse.services.moderation.authority import (
    USER_NOT_FOUND,
    refusal_for,
    require_moderator,
)
from citypulse.services.moderation.warnings import active_at

LIST_SIZE = 20
QUERY_MAX = 100
OPEN_REPORTS = (ReportStatus.pending, ReportStatus.under_review)


@dataclass(frozen=True)
class UserLine:
    """A user in the list: who, and how much attention they need."""

    user_id: int
    username: str
    full_name: str
    role: str
    status: str
    active_warnings: int
    open_reports: int


def _counts(now: datetime):
    warnings = (
        select(func.count())
        .where(ModerationWarning.user_id == User.id, active_at(now))
        .correlate(User)
        .scalar_subquery()
    )
    reports = (
        select(func.count())
        .where(
            ContentReport.content_owner_id == User.id,
            col(ContentReport.status).in_(OPEN_REPORTS),
        )
        .correlate(User)
        .scalar_subquery()
    )
    return warnings.label("active_warnings"), reports.label("open_reports")


@dataclass(frozen=True)
class UserList:
    """One page of users; `next_cursor` is None on the last page."""

    users: list[UserLine]
    next_cursor: str | None


def _encode(position: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")


def _decode(cursor: object, mode: str) -> list | None:
    """The position in a cursor `_encode` made for this list mode; None restarts."""
    if not isinstance(cursor, str) or not cursor or len(cursor) > 400:
        return None
    try:
        position = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        return None
    kinds = (str, str, int) if mode == "search" else (str, int, int, int)
    if (
        not isinstance(position, list)
        or len(position) != len(kinds)
        or position[0] != mode
        or not all(type(value) is kind for value, kind in zip(position, kinds, strict=True))
    ):
        return None
    return position[1:]


def moderated_users(
    session: Session,
    *,
    actor: Viewer | None,
    now: datetime,
    query: str = "",
    cursor: str | None = None,
) -> UserList:
    """Reported or warned users (active warnings desc, then open reports desc, then id),
    or, with a `query`, any user whose username or email contains it (by username); 20 a
    page after `cursor` (an invalid cursor restarts).

    Raises:
        NotFound: not a moderator or admin.
    """
    require_moderator(session, actor)
    warnings, reports = _counts(now)
    text = query.strip().lower()[:QUERY_MAX] if isinstance(query, str) else ""
    mode = "search" if text else "reported"
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        matches = or_(func.lower(User.username).like(pattern), func.lower(User.email).like(pattern))
    else:
        matches = or_(warnings > 0, reports > 0)
    listed = (
        select(User.id, User.username, User.full_name, User.role,
               User.account_status.label("status"), warnings, reports,
               func.lower(User.username).label("name_key"))
        .where(matches)
        .subquery()
    )  # fmt: skip
    c = listed.c
    statement = select(c.id, c.username, c.full_name, c.role, c.status, c.active_warnings,
                       c.open_reports, c.name_key)  # fmt: skip
    after = _decode(cursor, mode)
    if mode == "search":
        statement = statement.order_by(c.name_key, c.id)
        if after is not None:
            statement = statement.where(tuple_(c.name_key, c.id) > tuple_(*after))
    else:
        statement = statement.order_by(c.active_warnings.desc(), c.open_reports.desc(), c.id)
        if after is not None:
            w, r, ident = after
            statement = statement.where(or_(
                c.active_warnings < w,
                and_(c.active_warnings == w, c.open_reports < r),
                and_(c.active_warnings == w, c.open_reports == r, c.id > ident),
            ))  # fmt: skip
    rows = session.execute(statement.limit(LIST_SIZE + 1)).all()
    users = [UserLine(*row[:7]) for row in rows[:LIST_SIZE]]
    if len(rows) <= LIST_SIZE:
        return UserList(users, None)
    last = rows[LIST_SIZE - 1]
    position = (
        [mode, last.name_key, last.id]
        if mode == "search"
        else [mode, last.active_warnings, last.open_reports, last.id]
    )
    return UserList(users, _encode(position))


@dataclass(frozen=True)
class WarningLine:
    warning_id: int
    warning_type: str
    severity: str
    message: str
    state: str  # active | revoked | expired
    created_at: datetime


@dataclass(frozen=True)
class SanctionLine:
    kind: str
    reason: str
    starts_at: datetime
    ends_at: datetime | None
    lifted_at: datetime | None
    lift_reason: str


@dataclass(frozen=True)
class ReportLine:
    content_type: str
    reason: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class AppealLine:
    target_type: str
    status: str
    message: str
    created_at: datetime


@dataclass(frozen=True)
class UserPanel:
    """One user as the moderator sees them, and what this moderator may do."""

    user: UserLine
    email: str
    suspended_until: datetime | None
    warnings: list[WarningLine]
    sanctions: list[SanctionLine]
    reports: list[ReportLine]
    appeals: list[AppealLine]
    refusal: str  # why this moderator may not act on the user ("" when they may)
    may_change_role: bool  # an admin, on a user or moderator other than themselves


def _state(warning: ModerationWarning, now: datetime) -> str:
    if not warning.is_active:
        return "revoked"
    return "active" if warning.expires_at > now else "expired"


def moderated_user_panel(
    session: Session, *, actor: Viewer | None, user_id: int, now: datetime
) -> UserPanel:
    """The panel of `user_id`: status, role, warnings, sanctions, reports and appeals.

    Raises:
        NotFound: not a moderator or admin; "User not found".
    """
    moderator = require_moderator(session, actor)
    if isinstance(user_id, bool) or not isinstance(user_id, int):
        raise NotFound(USER_NOT_FOUND)
    warnings_count, reports_count = _counts(now)
    row = session.exec(
        select(User, warnings_count, reports_count).where(User.id == user_id)
    ).first()
    if row is None:
        raise NotFound(USER_NOT_FOUND)
    user, active_warnings, open_reports = row

    def newest(model):
        return session.exec(
            select(model)
            .where(getattr(model, "user_id", None) == user.id)
            .order_by(col(model.created_at).desc(), col(model.id).desc())
            .limit(LIST_SIZE)
        ).all()

    reports = session.exec(
        select(ContentReport)
        .where(ContentReport.content_owner_id == user.id)
        .order_by(col(ContentReport.created_at).desc(), col(ContentReport.id).desc())
        .limit(LIST_SIZE)
    ).all()
    appeals = session.exec(
        select(Appeal)
        .where(Appeal.appellant_id == user.id)
        .order_by(col(Appeal.created_at).desc(), col(Appeal.id).desc())
        .limit(LIST_SIZE)
    ).all()
    refusal = refusal_for(moderator, user.id, user.role) or ""
    return UserPanel(
        user=UserLine(user.id, user.username, user.full_name, user.role, user.account_status,
                      active_warnings, open_reports),
        email=user.email,
        suspended_until=user.suspended_until,
        warnings=[WarningLine(w.id, w.warning_type, w.severity, w.message, _state(w, now),
                              w.created_at) for w in newest(ModerationWarning)],
        sanctions=[SanctionLine(s.kind, s.reason, s.starts_at, s.ends_at, s.lifted_at,
                                s.lift_reason or "") for s in newest(Suspension)],
        reports=[ReportLine(r.content_type, r.reason, r.status, r.created_at) for r in reports],
        appeals=[AppealLine(a.target_type, a.status, a.message, a.created_at) for a in appeals],
        refusal=refusal,
        may_change_role=moderator.is_admin and not refusal and user.role != Role.admin,
    )  # fmt: skip
