"""`/moderator/dashboard` (M): live counters of §4.13.12, links to the tools, reports
and actions over 30 days, and my recent actions (§2.3)."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.components.moderation_dashboard import activity_chart, dashboard_tools
from citypulse.components.moderation_queue import moderation_live_watcher
from citypulse.components.moment import moment
from citypulse.pages.registry import page
from citypulse.state.moderation.dashboard import ModeratorDashboardState


def stat_card(item: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(item.label, size="2", color_scheme="gray"),
            rx.text(item.value, size="7", weight="bold"),
            spacing="1",
        )
    )


def action_row(item: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(moment(item.when_iso, item.when)),
        rx.table.cell(item.what),
        rx.table.cell(item.target),
        rx.table.cell(item.reason),
    )


@page(
    route="/moderator/dashboard",
    title="Moderator dashboard",
    access="M",
    on_load=(ModeratorDashboardState.load,),
)
def moderator_dashboard_page() -> rx.Component:
    """Counters and my recent actions."""
    return page_layout(
        page_heading("Moderator dashboard", "The state of the community at a glance."),
        moderation_live_watcher(
            ModeratorDashboardState.reports_arrived, ModeratorDashboardState.leave
        ),
        dashboard_tools(),
        rx.el.section(
            rx.heading("Statistics", as_="h2", size="5", margin_bottom="var(--space-3)"),
            rx.grid(
                rx.foreach(ModeratorDashboardState.stats, stat_card),
                columns=rx.breakpoints(initial="2", md="3"),
                spacing="3",
            ),
        ),
        activity_chart(),
        rx.el.section(
            rx.heading("My recent actions", as_="h2", size="5", margin_y="var(--space-4)"),
            rx.cond(
                ModeratorDashboardState.recent_actions.length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell("When"),
                            rx.table.column_header_cell("Action"),
                            rx.table.column_header_cell("Target"),
                            rx.table.column_header_cell("Reason"),
                        )
                    ),
                    rx.table.body(rx.foreach(ModeratorDashboardState.recent_actions, action_row)),
                ),
                rx.text("You have not taken any moderation actions yet."),
            ),
        ),
    )
