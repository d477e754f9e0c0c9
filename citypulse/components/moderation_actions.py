"""/moderator/actions pieces: the audit log's filters and its entries grouped by day."""

import reflex as rx

from citypulse.components.moderation_queue import table_caption
from citypulse.components.moment import moment
from citypulse.state.moderation.actions import ACTION_CHOICES
from citypulse.state.moderation.actions import AuditLogState as S


def _field(label: str, name: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.el.label(label, html_for=f"log-{name}"), control, spacing="1")


def actions_filters() -> rx.Component:
    return rx.form(
        rx.flex(
            _field("Action type", "action_type", rx.el.select(
                *[rx.el.option(c.label, value=c.value) for c in ACTION_CHOICES],
                id="log-action_type", name="action_type", default_value=S.action_type,
                class_name="native-select",
            )),
            _field("Moderator", "moderator", rx.input(
                id="log-moderator", name="moderator", default_value=S.moderator, max_length=30,
            )),
            _field("Target user", "target_user", rx.input(
                id="log-target_user", name="target_user", default_value=S.target_user,
                max_length=30,
            )),
            _field("From (UTC)", "day_from", rx.input(
                id="log-day_from", name="day_from", type="date", default_value=S.day_from,
            )),
            _field("Until (UTC)", "day_to", rx.input(
                id="log-day_to", name="day_to", type="date", default_value=S.day_to,
            )),
            rx.button("Apply filters", type="submit"),
            wrap="wrap", spacing="3", align="end",
        ),
        on_submit=S.apply_filters,
        aria_label="Filter the audit log",
    )  # fmt: skip


def _entry(entry: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(moment(entry.when_iso, entry.when)),
        rx.table.cell(entry.actor),
        rx.table.row_header_cell(entry.what),
        rx.table.cell(entry.target),
        rx.table.cell(entry.target_user),
        rx.table.cell(entry.reason),
        rx.table.cell(entry.notes),
        key=entry.action_id,
    )


def _day(day: rx.Var) -> rx.Component:
    headers = ("When", "Moderator", "Action", "Target", "Target user", "Reason", "Notes")
    return rx.el.section(
        rx.heading(day.day, as_="h2", size="4", margin_y="var(--space-3)"),
        rx.table.root(
            table_caption("Actions on " + day.day),
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
            rx.table.body(rx.foreach(day.rows, _entry)),
            width="100%",
        ),
        key=day.day,
    )


def actions_log() -> rx.Component:
    return rx.cond(
        S.days.length() > 0,
        rx.vstack(
            rx.foreach(S.days, _day),
            rx.cond(S.has_more, rx.button("Load more", variant="soft", on_click=S.more)),
            align="stretch",
            width="100%",
        ),
        rx.text("No actions match these filters."),
    )
