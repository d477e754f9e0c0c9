"""`/moderator/actions` (M): the audit log, filtered and grouped by day (§2.3, §4.13.11)."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.components.moderation_actions import actions_filters, actions_log
from citypulse.components.moderation_queue import moderation_live_watcher
from citypulse.pages.registry import page
from citypulse.state.moderation.actions import AuditLogState


@page(
    route="/moderator/actions",
    title="Moderation log",
    access="M",
    on_load=(AuditLogState.load,),
)
def moderator_actions_page() -> rx.Component:
    """Every moderation action, newest first; new ones appear live (§6.8)."""
    return page_layout(
        page_heading(
            "Moderation log", "Every moderation action, newest first, grouped by UTC day."
        ),
        moderation_live_watcher(AuditLogState.actions_arrived, AuditLogState.leave),
        rx.vstack(actions_filters(), actions_log(), spacing="4", align="stretch"),
    )
