"""Moderation read models → the typed view models of the moderator pages."""

from __future__ import annotations

from dataclasses import dataclass

from citypulse.services.moderation.stats import ActionSummary, ModerationStats
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
