"""Moderation read models → the typed view models of the moderator pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC

from citypulse.services.moderation.audit import AuditEntry
from citypulse.services.moderation.queue import ItemDetail, QueueItem, SanctionLine
from citypulse.services.moderation.stats import ActionSummary, DayActivity, ModerationStats
from citypulse.state.accounts.views import format_moment
from citypulse.state.moments import moment_iso

STAT_LABELS = (
    ("pending_reports", "Pending reports"),
    ("reports_under_review", "Under review"),
    ("open_appeals", "Open appeals"),
    ("active_warnings", "Active warnings"),
    ("suspended_users", "Suspended users"),
    ("banned_users", "Banned users"),
    ("content_removed_30d", "Content removed (30 days)"),
    ("reports_7d", "Reports (7 days)"),
    ("my_actions_30d", "My actions (30 days)"),
)


@dataclass(frozen=True)
class ModerationStatView:
    label: str = ""
    value: int = 0


@dataclass(frozen=True)
class ModeratorActionView:
    """One of the moderator's own recent actions, as the table shows it."""

    when: str = ""
    when_iso: str = ""  # for the viewer's own zone and language (components.moment)
    what: str = ""
    target: str = ""
    reason: str = ""


def stat_views(stats: ModerationStats) -> list[ModerationStatView]:
    return [ModerationStatView(label, getattr(stats, key)) for key, label in STAT_LABELS]


def action_views(actions: list[ActionSummary]) -> list[ModeratorActionView]:
    return [
        ModeratorActionView(
            when=format_moment(action.created_at),
            when_iso=moment_iso(action.created_at),
            what=str(action.action_type).replace("_", " "),
            target=str(action.target_type).replace("_", " "),
            reason=action.reason,
        )
        for action in actions
    ]


# ---- /moderator/reports ---------------------------------------------------------------

STATUS_LABELS = {
    "pending": "Pending",
    "under_review": "Under review",
    "resolved": "Resolved",
    "dismissed": "Dismissed",
}
ACTION_LABELS = {
    "start_review": "Start review",
    "dismiss": "Dismiss",
    "back_to_pending": "Back to pending",
    "reopen": "Reopen",
}


def words(value: str) -> str:
    """An enum value as words: "trip_comment" → "Trip comment"."""
    return str(value).replace("_", " ").capitalize()


@dataclass(frozen=True)
class ChoiceView:
    value: str = ""
    label: str = ""


@dataclass(frozen=True)
class QueueItemView:
    """One reported item in the queue."""

    key: str = ""  # "type:id", the row's identity in the list
    content_type: str = ""
    content_id: int = 0
    kind: str = ""
    owner: str = ""
    report_count: int = 0
    reasons: str = ""
    statuses: str = ""
    latest: str = ""
    latest_iso: str = ""


@dataclass(frozen=True)
class ReportLineView:
    report_id: int = 0
    reporter: str = ""
    reason: str = ""
    description: str = ""
    status: str = ""
    when: str = ""
    when_iso: str = ""
    reviewed_by: str = ""
    resolution_note: str = ""


@dataclass(frozen=True)
class WarningLineView:
    what: str = ""
    severity: str = ""
    message: str = ""
    state: str = ""
    when: str = ""
    when_iso: str = ""


@dataclass(frozen=True)
class SanctionLineView:
    kind: str = ""
    reason: str = ""
    period: str = ""
    state: str = ""


@dataclass(frozen=True)
class ItemDetailView:
    """The selected item with everything a decision needs (moderators only)."""

    content_type: str = ""
    content_id: int = 0
    label: str = ""
    url: str = ""
    title: str = ""
    body: str = ""
    visibility: str = ""
    removed: bool = False
    owner: str = ""
    owner_status: str = ""
    warn_href: str = ""
    reports: list[ReportLineView] = field(default_factory=list)
    warnings: list[WarningLineView] = field(default_factory=list)
    sanctions: list[SanctionLineView] = field(default_factory=list)
    actions: list[ChoiceView] = field(default_factory=list)  # report actions without a reason field
    can_dismiss: bool = False
    can_reopen: bool = False
    can_remove: bool = False
    can_restore: bool = False
    refusal: str = ""


def queue_item_views(items: tuple[QueueItem, ...]) -> list[QueueItemView]:
    return [
        QueueItemView(
            key=f"{item.content_type}:{item.content_id}",
            content_type=item.content_type,
            content_id=item.content_id,
            kind=words(item.content_type),
            owner=item.owner,
            report_count=item.report_count,
            reasons=", ".join(words(r) for r in item.reasons),
            statuses=", ".join(STATUS_LABELS.get(s, words(s)) for s in item.statuses),
            latest=format_moment(item.latest_at),
            latest_iso=moment_iso(item.latest_at),
        )
        for item in items
    ]


def _period(line: SanctionLine) -> str:
    start = format_moment(line.starts_at)
    return f"{start} → {format_moment(line.ends_at) if line.ends_at else 'permanent'}"


def item_detail_view(detail: ItemDetail) -> ItemDetailView:
    simple = [
        ChoiceView(action, ACTION_LABELS[action])
        for action in detail.actions
        if action in ("start_review", "back_to_pending")
    ]
    return ItemDetailView(
        content_type=detail.content_type,
        content_id=detail.content_id,
        label=detail.label,
        url=detail.url,
        title=detail.title,
        body=detail.body,
        visibility=words(detail.visibility),
        removed=detail.removed,
        owner=detail.owner,
        owner_status=words(detail.owner_status),
        warn_href=f"/moderator/users?user={detail.owner_id}",
        reports=list(
            ReportLineView(
                r.report_id,
                r.reporter,
                words(r.reason),
                r.description,
                STATUS_LABELS.get(r.status, words(r.status)),
                format_moment(r.created_at),
                moment_iso(r.created_at),
                r.reviewed_by,
                r.resolution_note,
            )
            for r in detail.reports
        ),
        warnings=list(
            WarningLineView(
                words(w.warning_type),
                words(w.severity),
                w.message,
                "Active" if w.active else "Inactive",
                format_moment(w.created_at),
                moment_iso(w.created_at),
            )
            for w in detail.warnings
        ),
        sanctions=list(
            SanctionLineView(
                words(s.kind), s.reason, _period(s), "Lifted" if s.lifted_at else "Open"
            )
            for s in detail.sanctions
        ),
        actions=simple,
        can_dismiss="dismiss" in detail.actions,
        can_reopen="reopen" in detail.actions,
        can_remove=detail.can_remove,
        can_restore=detail.can_restore,
        refusal=detail.refusal,
    )


# ---- /moderator/actions ---------------------------------------------------------------


@dataclass(frozen=True)
class AuditEntryView:
    action_id: int = 0
    when: str = ""
    when_iso: str = ""
    actor: str = ""
    what: str = ""
    target: str = ""
    target_user: str = ""
    reason: str = ""
    notes: str = ""


@dataclass(frozen=True)
class AuditDayView:
    """The entries of one UTC day, newest first (no time zone is stored for anyone, and
    grouping must not depend on the browser: the heading says "UTC")."""

    day: str = ""
    rows: list[AuditEntryView] = field(default_factory=list)


def audit_day_views(entries: tuple[AuditEntry, ...]) -> list[AuditDayView]:
    days: dict[str, list[AuditEntryView]] = {}
    for e in entries:
        day = e.created_at.astimezone(UTC).strftime("%A %d %B %Y (UTC)")
        days.setdefault(day, []).append(
            AuditEntryView(
                e.action_id,
                format_moment(e.created_at),
                moment_iso(e.created_at),
                e.actor,
                words(e.action_type),
                f"{words(e.target_type)} #{e.target_id}",
                e.target_user,
                e.reason,
                e.notes,
            )
        )
    return [AuditDayView(day, rows) for day, rows in days.items()]


def with_newer(shown: list[AuditDayView], fresh: list[AuditDayView]) -> list[AuditDayView] | None:
    """The newest page `fresh` joined with what is `shown` (newest first, no repeats);
    None when nothing was shown, or when they do not overlap (more arrived than a page
    holds): the caller then starts again from `fresh` and its cursor."""
    shown_rows = [(d.day, r) for d in shown for r in d.rows]
    fresh_rows = [(d.day, r) for d in fresh for r in d.rows]
    known = {r.action_id for _, r in shown_rows}
    fresh_ids = {r.action_id for _, r in fresh_rows}
    if not shown_rows or (fresh_rows and not known & fresh_ids):
        return None
    rows = [*fresh_rows, *((d, r) for d, r in shown_rows if r.action_id not in fresh_ids)]
    rows.sort(key=lambda pair: (pair[1].when_iso, pair[1].action_id), reverse=True)
    days: list[AuditDayView] = []
    for day, row in rows:
        if days and days[-1].day == day:
            days[-1].rows.append(row)
        else:
            days.append(AuditDayView(day, [row]))
    return days


def merge_days(shown: list[AuditDayView], more: list[AuditDayView]) -> list[AuditDayView]:
    """Append a further page; a day split between pages stays one group."""
    if shown and more and shown[-1].day == more[0].day:
        joined = AuditDayView(shown[-1].day, [*shown[-1].rows, *more[0].rows])
        return [*shown[:-1], joined, *more[1:]]
    return [*shown, *more]


# ---- /moderator/dashboard charts -----------------------------------------------------


@dataclass(frozen=True)
class DayActivityView:
    day: str = ""  # "06 Dec"
    reports: int = 0
    actions: int = 0


def activity_views(days: list[DayActivity]) -> list[DayActivityView]:
    return [DayActivityView(d.day.strftime("%d %b"), d.reports, d.actions) for d in days]
