"""/moderator/dashboard: counters and the moderator's own recent actions (M only)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import reflex as rx

from citypulse.services.errors import NotFound
from citypulse.services.moderation.stats import moderation_dashboard
from citypulse.services.unit_of_work import run_transaction
from citypulse.state.accounts.settings import format_moment
from citypulse.state.session import SessionState

STAT_LABELS = [
    ("pending_reports", "Pending reports"),
    ("reports_under_review", "Under review"),
    ("open_appeals", "Open appeals"),
    ("active_warnings", "Active warnings"),
    ("suspended_users", "Suspended users"),
    ("banned_users", "Banned users"),
    ("content_removed_30d", "Content removed (30 days)"),
    ("reports_7d", "Reports (7 days)"),
    ("my_actions_30d", "My actions (30 days)"),
]


class ModeratorDashboardState(SessionState):
    """Moderator-only data: loaded only after the server confirms the role."""

    stats: list[dict[str, str]] = []
    recent_actions: list[dict[str, str]] = []

    @rx.event
    async def load(self):
        """Refuse anyone but moderators and admins, whatever the page showed."""
        self.stats, self.recent_actions = [], []
        viewer = await self._viewer()
        if viewer is None:
            return None
        now = datetime.now(UTC)
        try:
            stats, actions = await asyncio.to_thread(
                run_transaction, lambda db: moderation_dashboard(db, actor=viewer, now=now)
            )
        except NotFound:
            return None
        self.stats = [
            {"label": label, "value": str(getattr(stats, key))} for key, label in STAT_LABELS
        ]
        self.recent_actions = [
            {
                "what": action.action_type.replace("_", " "),
                "target": action.target_type.replace("_", " "),
                "reason": action.reason,
                "when": format_moment(action.created_at),
            }
            for action in actions
        ]
        return None
