"""`/moderator/reports` (M): the report queue grouped by item, filters, and an item's
detail with the status table's actions, removal and restore (PRODUCT.md §2.3, §4.13)."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.components.moderation_queue import (
    item_detail,
    moderation_live_watcher,
    queue_filters,
    queue_table,
)
from citypulse.pages.registry import page
from citypulse.state.moderation.queue import ModerationQueueState as S


@page(
    route="/moderator/reports",
    title="Reports",
    access="M",
    on_load=(S.load,),
)
def moderator_reports_page() -> rx.Component:
    """The queue, or the open item's detail."""
    return page_layout(
        page_heading("Reports", "Reported content, grouped by item."),
        moderation_live_watcher(S.reports_arrived, S.leave),
        rx.cond(
            S.detail_open,
            item_detail(),
            rx.vstack(queue_filters(), queue_table(), spacing="4", align="stretch"),
        ),
    )
