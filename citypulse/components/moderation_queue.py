"""/moderator/reports pieces: filters, the queue grouped by item, and an item's detail
with the decisions the moderator may take (the services refuse the rest anyway)."""

import reflex as rx

from citypulse.components.forms import field_error
from citypulse.components.moment import moment
from citypulse.state.channels import ModeratorChannel
from citypulse.state.moderation.queue import (
    REASON_CHOICES,
    STATUS_CHOICES,
    TYPE_CHOICES,
)
from citypulse.state.moderation.queue import ModerationQueueState as S


def moderation_live_watcher(on_change: rx.EventHandler, on_leave: rx.EventHandler) -> rx.Component:
    """Runs `on_change` when a report arrives, a moderation action is audited or an appeal
    is filed or decided (§6.8; the key follows `channels.channel_epochs`); `on_leave`
    unlinks the moderators' channel when the page unmounts."""
    key = (
        ModeratorChannel.reports_epoch.to_string()
        + ":"
        + ModeratorChannel.actions_epoch.to_string()
        + ":"
        + ModeratorChannel.appeals_epoch.to_string()
    )
    return rx.fragment(
        rx.fragment(rx.box(on_mount=on_change, display="none", aria_hidden="true"), key=key),
        rx.box(on_unmount=on_leave, display="none", aria_hidden="true"),
    )


def table_caption(text) -> rx.Component:
    """A table's accessible name (Radix puts props on its wrapper, not on <table>);
    visually hidden because a heading above already says it."""
    return rx.el.caption(
        text, position="absolute", width="1px", height="1px", overflow="hidden",
        clip_path="inset(50%)", white_space="nowrap",
    )  # fmt: skip


def _select(label: str, name: str, choices, value) -> rx.Component:
    field_id = f"queue-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=field_id),
        rx.el.select(
            *[rx.el.option(c.label, value=c.value) for c in choices],
            id=field_id, name=name, default_value=value, class_name="native-select",
        ),
        spacing="1",
    )  # fmt: skip


def _date(label: str, name: str, value) -> rx.Component:
    field_id = f"queue-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=field_id),
        rx.input(id=field_id, name=name, type="date", default_value=value),
        spacing="1",
    )


def queue_filters() -> rx.Component:
    return rx.form(
        rx.flex(
            _select("Status", "status", STATUS_CHOICES, S.status),
            _select("Content type", "content_type", TYPE_CHOICES, S.content_type),
            _select("Reason", "reason", REASON_CHOICES, S.reason),
            _date("Reported from (UTC)", "day_from", S.day_from),
            _date("Reported until (UTC)", "day_to", S.day_to),
            rx.button("Apply filters", type="submit"),
            wrap="wrap", spacing="3", align="end",
        ),
        rx.cond(S.filter_error != "", rx.text(S.filter_error, color_scheme="red", role="alert")),
        on_submit=S.apply_filters,
        aria_label="Filter reports",
    )  # fmt: skip


def _queue_row(item: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(item.kind),
        rx.table.cell(item.owner),
        rx.table.cell(item.report_count),
        rx.table.cell(item.reasons),
        rx.table.cell(item.statuses),
        rx.table.cell(moment(item.latest_iso, item.latest)),
        rx.table.cell(
            rx.button(
                "Review", size="1", variant="soft", on_click=S.open_item(item.key),
                aria_label="Review the " + item.kind + " by " + item.owner,
            )
        ),
        key=item.key,
    )  # fmt: skip


def queue_table() -> rx.Component:
    headers = ("Item", "Owner", "Reports", "Reasons", "Status", "Latest report", "Actions")
    return rx.cond(
        S.items.length() > 0,
        rx.vstack(
            rx.table.root(
                table_caption("Reported items"),
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                rx.table.body(rx.foreach(S.items, _queue_row)),
                width="100%",
            ),
            rx.cond(S.has_more, rx.button("Load more", variant="soft", on_click=S.more)),
            align="stretch",
            width="100%",
        ),
        rx.text("No reports match these filters."),
    )


def _reason_form(
    handler, name: str, button: str, *, required: bool, color: str = "gray"
) -> rx.Component:
    field_id = f"{name}-reason"
    label = "Reason (10–1000 characters)" if required else "Note (optional)"
    return rx.form(
        rx.vstack(
            rx.el.label(label, html_for=field_id),
            rx.text_area(
                id=field_id, name="reason", max_length=1000, required=required,
                aria_describedby=f"{field_id}-error",
            ),
            field_error(rx.cond(S.error_form == name, S.form_error, ""), field_id),
            rx.button(button, type="submit", color_scheme=color),
            align="start", spacing="2", width="100%",
        ),
        on_submit=handler,
        reset_on_submit=False,
        width="100%",
    )  # fmt: skip


def _lines(title: str, rows, headers: tuple[str, ...], render, empty: str) -> rx.Component:
    return rx.el.section(
        rx.heading(title, as_="h3", size="3", margin_y="var(--space-2)"),
        rx.cond(
            rows.length() > 0,
            rx.table.root(
                table_caption(title),
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                rx.table.body(rx.foreach(rows, render)),
                width="100%",
            ),
            rx.text(empty, size="2"),
        ),
    )


def _report_row(r: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(moment(r.when_iso, r.when)),
        rx.table.cell(r.reporter),
        rx.table.cell(r.reason),
        rx.table.cell(r.description),
        rx.table.cell(r.status),
        rx.table.cell(r.reviewed_by),
        rx.table.cell(r.resolution_note),
    )


def _warning_row(w: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(moment(w.when_iso, w.when)),
        rx.table.cell(w.what),
        rx.table.cell(w.severity),
        rx.table.cell(w.message),
        rx.table.cell(w.state),
    )


def _sanction_row(s: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(s.kind), rx.table.cell(s.reason), rx.table.cell(s.period),
        rx.table.cell(s.state),
    )  # fmt: skip


def _action_button(action: rx.Var) -> rx.Component:
    return rx.button(action.label, variant="soft", on_click=S.transition(action.value))


def _decisions() -> rx.Component:
    d = S.detail
    return rx.el.section(
        rx.heading("Decision", as_="h3", size="3", margin_y="var(--space-2)"),
        rx.cond(
            d.refusal != "",
            rx.callout(d.refusal, icon="info", color_scheme="amber", role="status"),
            rx.vstack(
                rx.hstack(
                    rx.foreach(d.actions, _action_button),
                    rx.link("Warn owner", href=d.warn_href),
                    spacing="3", align="center", wrap="wrap",
                ),
                rx.cond(d.can_remove, _reason_form(S.remove, "remove", "Remove content",
                                                   required=True, color="red")),
                rx.cond(d.can_restore, _reason_form(S.restore, "restore", "Restore content",
                                                    required=True)),
                rx.cond(d.can_dismiss, _reason_form(S.dismiss, "dismiss", "Dismiss reports",
                                                    required=False)),
                rx.cond(d.can_reopen, _reason_form(S.reopen, "reopen", "Reopen reports",
                                                   required=True)),
                spacing="4", align="stretch",
            ),
        ),
    )  # fmt: skip


def item_detail() -> rx.Component:
    d = S.detail
    return rx.vstack(
        rx.button("Back to the queue", variant="ghost", on_click=S.close_item),
        rx.heading(d.label, as_="h2", size="5"),
        rx.hstack(
            rx.text("Owner: @" + d.owner + " (" + d.owner_status + ")"),
            rx.text("Visibility: " + d.visibility),
            rx.cond(d.removed, rx.badge("Removed", color_scheme="red")),
            spacing="4", wrap="wrap",
        ),
        rx.card(
            rx.vstack(
                rx.heading(d.title, as_="h3", size="3"),
                rx.text(d.body, white_space="pre-wrap"),
                rx.cond(~d.removed, rx.link("Open the item", href=d.url)),
                align="start",
            ),
            width="100%",
        ),
        _decisions(),
        _lines("Reports", d.reports,
               ("Reported", "Reporter", "Reason", "Description", "Status", "Reviewed by", "Note"),
               _report_row, "No reports."),
        _lines("Owner's warnings", d.warnings, ("Issued", "Type", "Severity", "Message", "State"),
               _warning_row, "No warnings."),
        _lines("Owner's sanctions", d.sanctions, ("Kind", "Reason", "Period", "State"),
               _sanction_row, "No suspensions or bans."),
        align="stretch", spacing="4", width="100%",
    )  # fmt: skip
