"""The report queue and an item's detail (PRODUCT.md §2.3 /moderator/reports, §4.13).

The queue is grouped by item: one row per (content_type, content_id) with the number of
matching reports, their reasons and statuses, newest activity first, keyset-paginated on
(latest report time, type, id). The detail shows the content even when removed or
private (moderators only), the owner's warnings and sanctions, every report of the item
and the actions the moderator may take on it now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from citypulse.models import (
    ContentReport,
    ModerationWarning,
    Profile,
    Rating,
    Recommendation,
    Suspension,
    User,
)
from citypulse.models.enums import ReportContentType, ReportReason, ReportStatus
from citypulse.models.trips import Trip, TripComment
from citypulse.params import parse_id
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound, ServiceError
from citypulse.services.moderation.authority import (
    OWN_REPORT,
    refusal_for,
    require_moderator,
)
from citypulse.services.moderation.removal import load_item
from citypulse.services.moderation.reports import ACTIONS_BY_STATUS

PAGE_SIZE = 20
DELETED_USER = "deleted user"


@dataclass(frozen=True)
class QueueFilters:
    """The queue's filters; None = all."""

    status: str | None = None
    content_type: str | None = None
    reason: str | None = None
    day_from: date | None = None
    day_to: date | None = None


@dataclass(frozen=True)
class QueueItem:
    content_type: str
    content_id: int
    owner: str
    report_count: int
    reasons: tuple[str, ...]
    statuses: tuple[str, ...]
    latest_at: datetime


@dataclass(frozen=True)
class QueuePage:
    items: tuple[QueueItem, ...]
    next_cursor: str | None  # None: no more


@dataclass(frozen=True)
class ReportLine:
    report_id: int
    reporter: str
    reason: str
    description: str
    status: str
    created_at: datetime
    reviewed_by: str
    resolution_note: str


@dataclass(frozen=True)
class WarningLine:
    warning_type: str
    severity: str
    message: str
    active: bool
    created_at: datetime


@dataclass(frozen=True)
class SanctionLine:
    kind: str
    reason: str
    starts_at: datetime | None
    ends_at: datetime | None  # None: permanent (ban)
    lifted_at: datetime | None


@dataclass(frozen=True)
class ItemDetail:
    content_type: str
    content_id: int
    label: str
    url: str
    title: str
    body: str
    visibility: str
    removed: bool
    owner_id: int
    owner: str
    owner_status: str
    reports: tuple[ReportLine, ...]
    warnings: tuple[WarningLine, ...]
    sanctions: tuple[SanctionLine, ...]
    actions: tuple[str, ...]  # report actions allowed now (reports.TRANSITIONS keys)
    can_remove: bool
    can_restore: bool
    refusal: str  # why the moderator may not act here ('' when they may)


def _filters(filters: QueueFilters) -> list:
    where = []
    if filters.status in ReportStatus.__members__:
        where.append(ContentReport.status == filters.status)
    if filters.content_type in ReportContentType.__members__:
        where.append(ContentReport.content_type == filters.content_type)
    if filters.reason in ReportReason.__members__:
        where.append(ContentReport.reason == filters.reason)
    if filters.day_from is not None:
        where.append(ContentReport.created_at >= datetime.combine(filters.day_from, time.min, UTC))
    if filters.day_to is not None:
        day_after = datetime.combine(filters.day_to + timedelta(days=1), time.min, UTC)
        where.append(ContentReport.created_at < day_after)
    return where


def _cursor(raw: str | None) -> tuple[datetime, str, int] | None:
    """(latest_at, content_type, content_id) from "iso|type|id"; None restarts (§4.14)."""
    try:
        moment, kind, ident = (raw or "").split("|")
        return datetime.fromisoformat(moment), kind, int(ident)
    except ValueError:
        return None


def report_queue(
    session: Session, *, viewer: Viewer | None, filters: QueueFilters, cursor: str | None = None
) -> QueuePage:
    """One page of reported items matching the filters, newest report first.

    Raises:
        NotFound: not a moderator or admin.
    """
    require_moderator(session, viewer)
    grouped = (
        sa.select(
            ContentReport.content_type,
            ContentReport.content_id,
            sa.func.min(ContentReport.content_owner_id).label("owner_id"),
            sa.func.count().label("report_count"),
            sa.func.array_agg(sa.distinct(ContentReport.reason)).label("reasons"),
            sa.func.array_agg(sa.distinct(ContentReport.status)).label("statuses"),
            sa.func.max(ContentReport.created_at).label("latest_at"),
        )
        .where(*_filters(filters))
        .group_by(ContentReport.content_type, ContentReport.content_id)
    ).subquery()
    query = sa.select(grouped, User.username).outerjoin(User, User.id == grouped.c.owner_id)
    if (after := _cursor(cursor)) is not None:
        query = query.where(
            sa.tuple_(grouped.c.latest_at, grouped.c.content_type, grouped.c.content_id)
            < sa.tuple_(*after)
        )
    rows = session.execute(
        query.order_by(
            grouped.c.latest_at.desc(), grouped.c.content_type.desc(), grouped.c.content_id.desc()
        ).limit(PAGE_SIZE + 1)
    ).all()
    items = tuple(
        QueueItem(
            row.content_type,
            row.content_id,
            row.username or DELETED_USER,
            row.report_count,
            tuple(sorted(row.reasons)),
            tuple(sorted(row.statuses)),
            row.latest_at,
        )
        for row in rows[:PAGE_SIZE]
    )
    more = len(rows) > PAGE_SIZE
    last = items[-1] if items else None
    next_cursor = (
        f"{last.latest_at.isoformat()}|{last.content_type}|{last.content_id}"
        if more and last
        else None
    )
    return QueuePage(items, next_cursor)


def report_item_detail(
    session: Session, *, viewer: Viewer | None, content_type: str, content_id: int
) -> ItemDetail:
    """Everything a moderator needs to decide about one reported item.

    Raises:
        NotFound: not a moderator; no reports of the item; the item no longer exists.
    """
    moderator = require_moderator(session, viewer)
    reports: list[ContentReport] = []
    valid_id = isinstance(content_id, int) and parse_id(content_id) is not None
    if content_type in ReportContentType.__members__ and valid_id:
        reports = list(
            session.exec(
                select(ContentReport)
                .where(
                    ContentReport.content_type == content_type,
                    ContentReport.content_id == content_id,
                )
                .order_by(col(ContentReport.created_at).desc(), col(ContentReport.id).desc())
            ).all()
        )
    if not reports:
        raise NotFound("No reports found for this item")
    try:
        item = load_item(session, content_type, content_id)
    except ServiceError:
        raise NotFound("This content no longer exists") from None
    owner = session.get(User, item.owner_id)
    if owner is None:
        raise NotFound("This content no longer exists")
    refusal = refusal_for(moderator, owner.id, owner.role) or ""
    if not refusal and any(r.reporter_id == moderator.user_id for r in reports):
        refusal = OWN_REPORT
    statuses = {str(r.status) for r in reports}
    actions = () if refusal else tuple(
        dict.fromkeys(a for s in sorted(statuses) for a in ACTIONS_BY_STATUS[s])
    )  # fmt: skip
    title, body, visibility = _content(session, item)
    return ItemDetail(
        item.content_type, item.content_id, item.label, item.url, title, body, visibility,
        item.removed, owner.id, owner.username, str(owner.account_status),
        _report_lines(session, reports), _warnings(session, owner.id),
        _sanctions(session, owner.id), actions,
        can_remove=not refusal and not item.removed, can_restore=not refusal and item.removed,
        refusal=refusal,
    )  # fmt: skip


def _content(session: Session, item) -> tuple[str, str, str]:
    """(title, text, visibility) of the item, whatever its status or privacy."""
    row = item.row
    if isinstance(row, Recommendation):
        return row.title, row.description, str(row.visibility)
    if isinstance(row, Rating):
        return f"Rating {row.rating}/5", row.review or "", "public"
    if isinstance(row, User):
        profile = session.exec(select(Profile).where(Profile.user_id == row.id)).one()
        links = [
            getattr(profile, f) for f in ("website_url", "instagram_url") if getattr(profile, f)
        ]
        return (
            row.full_name,
            "\n".join([row.bio or "", *links]).strip(),
            str(profile.profile_visibility),
        )
    if isinstance(row, Trip):
        return row.title, row.description or "", str(row.visibility)
    if isinstance(row, TripComment):
        return "Trip comment", row.body, "trip members"
    return "", "", ""


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(sa.select(User.id, User.username).where(col(User.id).in_(ids))).all()
    return {row.id: row.username for row in rows}


def _report_lines(session: Session, reports: list[ContentReport]) -> tuple[ReportLine, ...]:
    ids = {r.reporter_id for r in reports} | {r.reviewed_by_id for r in reports}
    names = _names(session, {i for i in ids if i is not None})
    return tuple(
        ReportLine(
            r.id,
            names.get(r.reporter_id, DELETED_USER) if r.reporter_id else DELETED_USER,
            str(r.reason),
            r.description or "",
            str(r.status),
            r.created_at,
            names.get(r.reviewed_by_id, "") if r.reviewed_by_id else "",
            r.resolution_note or "",
        )
        for r in reports
    )


def _warnings(session: Session, user_id: int) -> tuple[WarningLine, ...]:
    rows = session.exec(
        select(ModerationWarning)
        .where(ModerationWarning.user_id == user_id)
        .order_by(col(ModerationWarning.created_at).desc(), col(ModerationWarning.id).desc())
        .limit(50)
    ).all()
    return tuple(
        WarningLine(
            str(w.warning_type), str(w.severity), w.message, bool(w.is_active), w.created_at
        )
        for w in rows
    )


def _sanctions(session: Session, user_id: int) -> tuple[SanctionLine, ...]:
    rows = session.exec(
        select(Suspension)
        .where(Suspension.user_id == user_id)
        .order_by(col(Suspension.created_at).desc(), col(Suspension.id).desc())
        .limit(50)
    ).all()
    return tuple(
        SanctionLine(str(s.kind), s.reason, s.starts_at, s.ends_at, s.lifted_at) for s in rows
    )
