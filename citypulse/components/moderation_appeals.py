"""/moderator/appeals pieces: status filter, the queue, and Grant / Reject with a note."""

import reflex as rx

from citypulse.components.forms import alert, field_error, notice
from citypulse.components.moment import moment
from citypulse.state.channels import ModeratorChannel
from citypulse.state.moderation.appeals import STATUSES
from citypulse.state.moderation.appeals import ModeratorAppealsState as S


def appeals_watcher() -> rx.Component:
    """Re-reads the queue when an appeal is filed or decided anywhere (§6.8); unlinks the
    moderators' channel when the page unmounts."""
    return rx.fragment(
        rx.fragment(
            rx.box(on_mount=S.appeals_changed, display="none", aria_hidden="true"),
            key=ModeratorChannel.appeals_epoch.to_string(),
        ),
        rx.box(on_unmount=S.leave, display="none", aria_hidden="true"),
    )


def status_filter() -> rx.Component:
    return rx.hstack(
        *[
            rx.button(
                status.capitalize(),
                on_click=S.show(status),
                variant=rx.cond(S.status == status, "solid", "soft"),
                aria_pressed=rx.cond(S.status == status, "true", "false"),
            )
            for status in STATUSES
        ],
        role="group",
        aria_label="Appeal status",
        spacing="2",
    )


def decide_form(row: rx.Var) -> rx.Component:
    field_id = "note-" + row.appeal_id
    error = rx.cond(S.error_id == row.appeal_id, S.note_error, "")
    return rx.cond(
        row.refusal != "",
        rx.text(row.refusal, color_scheme="gray"),
        rx.form(
            rx.el.input(type="hidden", name="appeal_id", value=row.appeal_id),
            rx.vstack(
                rx.el.label("Decision note for the user (10–1000 characters)", html_for=field_id),
                rx.text_area(id=field_id, name="note", required=True, rows="3",
                             aria_describedby=field_id + "-error"),
                field_error(error, field_id),
                rx.el.fieldset(
                    rx.el.legend("Decision"),
                    rx.hstack(
                        rx.el.label(rx.el.input(type="radio", name="decision", value="grant",
                                                required=True), " Grant"),
                        rx.el.label(rx.el.input(type="radio", name="decision", value="reject"),
                                    " Reject"),
                        spacing="4",
                    ),
                ),
                rx.button("Submit decision", type="submit"),
                align="stretch",
            ),
            on_submit=S.decide,
            reset_on_submit=True,
        ),
    )  # fmt: skip


def appeal_card(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.heading("@", row.appellant, " appeals a ", row.target, as_="h3", size="3"),
                rx.text(row.summary),
                rx.text("Filed ", moment(row.when_iso, row.when), size="2", color_scheme="gray"),
                rx.blockquote(row.message),
                rx.cond(
                    row.status == "pending",
                    decide_form(row),
                    rx.text(row.status.capitalize(), " by ", row.decided_by, " ",
                            moment(row.decided_iso, row.decided), ": ", row.decision_note),
                ),
                align="stretch",
                spacing="2",
            )
        ),
        class_name="appeal-item",
    )  # fmt: skip


def appeals_queue() -> rx.Component:
    return rx.el.section(
        status_filter(),
        alert(S.error),
        notice(S.notice),
        rx.cond(
            S.rows.length() > 0,
            rx.el.ul(rx.foreach(S.rows, appeal_card), class_name="appeal-list",
                     aria_label="Appeals"),
            rx.text("No ", S.status, " appeals."),
        ),
        rx.cond(S.next_cursor != "", rx.button("Load more", on_click=S.load_more,
                                               variant="soft")),
        aria_label="Appeals queue",
    )  # fmt: skip
