"""/moderator/dashboard pieces: links to the tools and the 30-day activity chart with
its text alternative (the same numbers as a table, §2 WCAG)."""

from typing import Any

import reflex as rx

from citypulse.components.moderation_queue import table_caption
from citypulse.state.moderation.dashboard import ModeratorDashboardState as S

TOOLS = (
    ("Reports", "/moderator/reports"),
    ("Users", "/moderator/users"),
    ("Appeals", "/moderator/appeals"),
    ("Moderation log", "/moderator/actions"),
)


def dashboard_tools() -> rx.Component:
    return rx.el.nav(
        rx.hstack(
            *[rx.link(label, href=href) for label, href in TOOLS],
            spacing="5",
            wrap="wrap",
        ),
        aria_label="Moderator tools",
    )


def _day_row(day: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(day.day),
        rx.table.cell(day.reports),
        rx.table.cell(day.actions),
    )


def activity_chart() -> rx.Component:
    """Reports and actions per day; the chart is decorative for assistive technology,
    which reads the table (also shown on request for everyone)."""
    return rx.el.section(
        rx.heading("Last 30 days (UTC days)", as_="h2", size="5", margin_y="var(--space-4)"),
        rx.box(
            rx.recharts.bar_chart(
                rx.recharts.bar(data_key="reports", name="Reports", fill="var(--red-9)"),
                rx.recharts.bar(data_key="actions", name="Actions", fill="var(--accent-9)"),
                rx.recharts.x_axis(data_key="day"),
                rx.recharts.y_axis(allow_decimals=False),
                rx.recharts.legend(),
                data=S.activity.to(list[dict[str, Any]]),  # the same records, as recharts wants
                width="100%",
                height=260,
                # Recharts would make the hidden chart focusable (its keyboard layer).
                custom_attrs={"accessibilityLayer": False},
            ),
            aria_hidden="true",
        ),
        rx.el.details(
            rx.el.summary("Show the numbers as a table"),
            rx.table.root(
                table_caption("Reports and actions per UTC day, last 30 days"),
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Day"),
                        rx.table.column_header_cell("Reports"),
                        rx.table.column_header_cell("Actions"),
                    )
                ),
                rx.table.body(rx.foreach(S.activity, _day_row)),
            ),
        ),
    )
