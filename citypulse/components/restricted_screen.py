"""The restricted screen (§4.13.8): what a suspended or banned user sees in /settings.

The sanction (kind, reason, end time or "permanent"), the active warnings, an appeal
form for each (or its appeal's state and the moderator's note), and what the user may
still do: read notifications, export their data, log out.
"""

import reflex as rx

from citypulse.components.forms import field_error
from citypulse.components.moment import moment
from citypulse.state.moderation.restricted import RestrictedState
from citypulse.state.session import SessionState

APPEAL_LABEL = "Why should this be reconsidered? (20–2000 characters)"
STATUS_TEXT = {
    "pending": "Your appeal is waiting for a decision.",
    "granted": "Your appeal was granted.",
    "rejected": "Your appeal was rejected.",
}


def restricted_watcher() -> rx.Component:
    """(Re)loads the screen whenever the tab's restriction changes (pushed live, §6.6)."""
    return rx.fragment(
        rx.box(on_mount=RestrictedState.load, display="none", aria_hidden="true"),
        key=SessionState.restricted.to_string(),
    )


def appeal_state(item: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(
            rx.match(
                item.appeal_status,
                *STATUS_TEXT.items(),
                "",
            ),
            weight="medium",
        ),
        rx.cond(item.decision_note != "", rx.text("Moderator's note: ", item.decision_note)),
        spacing="1",
        align="start",
    )


def appeal_form(item: rx.Var) -> rx.Component:
    field_id = "appeal-" + item.key
    error = rx.cond(RestrictedState.error_key == item.key, RestrictedState.error, "")
    return rx.form(
        rx.vstack(
            rx.el.input(type="hidden", name="target_type", value=item.target_type),
            rx.el.input(type="hidden", name="target_id", value=item.target_id),
            rx.el.label(APPEAL_LABEL, html_for=field_id),
            rx.text_area(
                id=field_id, name="message", max_length=2000, min_length=20, required=True,
                aria_describedby=field_id + "-error", rows="4",
            ),
            field_error(error, field_id),
            rx.button("Send appeal", type="submit"),
            align="stretch",
            spacing="2",
        ),
        on_submit=RestrictedState.appeal,
        reset_on_submit=True,
    )  # fmt: skip


def appealable(item: rx.Var) -> rx.Component:
    """An item's appeal: its state once appealed, the form while it can be, or why not."""
    return rx.cond(
        item.appeal_status != "",
        appeal_state(item),
        rx.cond(item.refusal != "", rx.text(item.refusal, color_scheme="gray"), appeal_form(item)),
    )


def warning_item(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.text(item.summary),
            rx.text("Issued ", moment(item.when_iso, item.when), size="2", color_scheme="gray"),
            appealable(item),
            align="stretch",
            spacing="2",
        ),
        class_name="restricted-warning",
    )


def restricted_screen() -> rx.Component:
    """The screen itself; shown by /settings instead of the other sections."""
    return rx.el.section(
        restricted_watcher(),
        rx.cond(
            RestrictedState.loaded,
            rx.vstack(
                sanction_notice(),
                rx.heading("Appeal this decision", as_="h3", size="4"),
                appealable(RestrictedState.sanction),
                rx.heading("Active warnings", as_="h3", size="4"),
                rx.cond(
                    RestrictedState.warnings.length() > 0,
                    rx.el.ul(rx.foreach(RestrictedState.warnings, warning_item),
                             class_name="restricted-warnings"),
                    rx.text("You have no active warnings."),
                ),
                rx.cond(RestrictedState.notice != "",
                        rx.callout(RestrictedState.notice, color_scheme="green", role="status")),
                align="stretch",
                spacing="4",
            ),
            rx.text("Loading your account status…", role="status"),
        ),
        aria_label="Account restricted",
    )  # fmt: skip


def sanction_notice() -> rx.Component:
    """Kind, reason and end time of the sanction in force."""
    return rx.callout.root(
        rx.vstack(
            rx.heading(
                rx.cond(RestrictedState.is_ban, "Your account is banned",
                        "Your account is suspended"),
                as_="h2", size="5",
            ),
            rx.text("Reason: ", RestrictedState.reason),
            rx.text(
                "Ends: ",
                rx.cond(RestrictedState.ends_iso != "",
                        moment(RestrictedState.ends_iso, RestrictedState.ends), "permanent"),
                id="restriction-end",
            ),
            rx.text(
                "While your account is restricted you can read your ",
                rx.link("notifications", href="/notifications"),
                ", appeal, export your data and log out.",
            ),
            align="start",
            spacing="2",
        ),
        color_scheme="red",
        role="alert",
    )  # fmt: skip
