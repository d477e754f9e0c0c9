"""Pieces of the buddy pages: person rows, confirm and message dialogs, the live watcher.

Used by /buddies, the profile's buddy buttons, Settings → Blocked users and the
dashboard panel. Every button names the person it acts on (rows repeat the same verbs).
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from citypulse.components.forms import field_error
from citypulse.components.moment import moment
from citypulse.state.session import UserChannel

MESSAGE_MAX = 300


def buddies_watcher(on_change: rx.EventHandler) -> rx.Component:
    """Runs `on_change` whenever the user's buddies channel moves (§6.4).

    The key re-mounts the box (see components/session_watch.py); the handler compares
    the epoch with the one its lists reflect, so the first mount does nothing.
    """
    return rx.fragment(
        rx.box(on_mount=on_change, display="none", aria_hidden="true"),
        key=UserChannel.buddies_epoch.to_string(),
    )


def small_avatar(src: Var[str], initial: Var[str], size: str = "3rem") -> rx.Component:
    """A decorative avatar: the person's name is always written next to it."""
    return rx.cond(
        src != "",
        rx.image(src=src, alt="", width=size, height=size, border_radius="50%",
                 object_fit="cover", flex_shrink="0"),
        rx.center(
            rx.text(initial, weight="bold", aria_hidden="true"),
            width=size, height=size, border_radius="50%", flex_shrink="0",
            background="var(--accent-4)", aria_hidden="true",
        ),
    )  # fmt: skip


def person_summary(row: rx.Var, *extra: rx.Component) -> rx.Component:
    """Avatar, name linking to the profile, @username and any extra lines."""
    return rx.hstack(
        small_avatar(row.avatar_url, row.initial),
        rx.vstack(
            rx.link(row.full_name, href=row.href, weight="medium"),
            rx.text("@", row.username, size="2", color_scheme="gray"),
            *extra,
            spacing="0",
            align="start",
            min_width="0",
        ),
        spacing="3",
        align="center",
    )


def request_message(text: Var[str]) -> rx.Component:
    """A request's message, quoted (free text: bidi controls stay isolated)."""
    return rx.cond(
        text != "",
        rx.text("“", text, "”", size="2", as_="p", white_space="pre-wrap",
                unicode_bidi="isolate", margin_top="var(--space-1)"),
    )  # fmt: skip


def when_line(prefix: str, iso: Var[str], text: Var[str]) -> rx.Component:
    return rx.cond(
        iso != "", rx.text(prefix, " ", moment(iso, text), size="1", color_scheme="gray")
    )


def person_list(rows: Var, render_row, *, label: str) -> rx.Component:
    """An unstyled list of people; `render_row(row)` gives one item's content.

    Each item is keyed by the user id, so removing a row unmounts exactly its dialogs.
    """
    return rx.el.ul(
        rx.foreach(
            rows,
            lambda row: rx.el.li(
                render_row(row),
                key=row.user_id,
                padding_y="var(--space-3)",
                border_bottom="1px solid var(--gray-5)",
            ),
        ),
        aria_label=label,
        list_style="none",
        padding="0",
        margin="0",
    )


def row_layout(summary: rx.Component, actions: rx.Component) -> rx.Component:
    return rx.flex(
        summary,
        rx.hstack(actions, spacing="2", wrap="wrap", align="center"),
        justify="between",
        align="center",
        gap="var(--space-3)",
        wrap="wrap",
    )


def confirm_dialog(
    trigger: rx.Component,
    title: Var[str] | str,
    description: Var[str] | str,
    confirm_label: str,
    on_confirm,
    *,
    cancel_label: str = "Cancel",
) -> rx.Component:
    """An alert dialog: nothing happens until the person confirms."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(trigger),
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button(cancel_label, variant="soft", color_scheme="gray")
                ),
                rx.alert_dialog.action(
                    rx.button(confirm_label, color_scheme="red", on_click=on_confirm)
                ),
                spacing="3",
                justify="end",
                margin_top="var(--space-4)",
            ),
        ),
    )


def message_dialog(
    trigger: rx.Component,
    *,
    title: Var[str] | str,
    description: Var[str] | str,
    submit_label: str,
    on_submit,
    error: Var[str],
    field_id: str,
    user_id: Var | None = None,
) -> rx.Component:
    """A dialog with an optional message (≤300) for a request or a decline.

    It closes when the row (or button) it belongs to goes away after the action; a
    refused message keeps it open with the error under the field.
    """
    hidden = [] if user_id is None else [rx.el.input(type="hidden", name="user_id", value=user_id)]
    return rx.dialog.root(
        rx.dialog.trigger(trigger),
        rx.dialog.content(
            rx.dialog.title(title),
            rx.dialog.description(description, size="2", margin_bottom="var(--space-3)"),
            rx.form(
                rx.vstack(
                    *hidden,
                    rx.el.label("Message (optional)", html_for=field_id, font_weight="500",
                                font_size="var(--font-size-2)"),
                    rx.text_area(id=field_id, name="message", max_length=MESSAGE_MAX,
                                 aria_describedby=f"{field_id}-error", rows="3"),
                    field_error(error, field_id),
                    rx.hstack(
                        rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray",
                                                  type="button")),
                        rx.button(submit_label, type="submit"),
                        spacing="3",
                        justify="end",
                    ),
                    align="stretch",
                ),
                on_submit=on_submit,
                reset_on_submit=False,
            ),
        ),
    )  # fmt: skip
