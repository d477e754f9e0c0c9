"""The /buddies tabs (§2.2): buddies, requests, sent, find and blocked, each a list of
people with its own actions and empty state."""

from __future__ import annotations

import reflex as rx

from citypulse.components.buddies import (
    confirm_dialog,
    message_dialog,
    person_list,
    person_summary,
    request_message,
    row_layout,
    when_line,
)
from citypulse.components.infinite_scroll import scroll_sentinel
from citypulse.components.report_dialog import user_report_button
from citypulse.state.social.buddies import BuddiesState as S

EMPTY = {
    "buddies": "No buddies yet. Find travellers to connect with on the Find buddies tab.",
    "requests": "No buddy requests right now.",
    "sent": "You have no pending requests.",
    "find": "No travellers match these filters.",
    "blocked": "You have not blocked anyone.",
}
HEADINGS = {
    "buddies": "Your buddies",
    "requests": "Requests you received",
    "sent": "Requests you sent",
    "find": "Find buddies",
    "blocked": "Blocked users",
}


def tab_nav() -> rx.Component:
    """Links that change `?tab=` (each tab is a URL), each with its count."""
    return rx.el.nav(
        rx.hstack(
            rx.foreach(
                S.tabs,
                lambda tab: rx.link(
                    tab.label,
                    rx.cond(
                        tab.count != "",
                        rx.badge(tab.count, variant="soft", radius="full", margin_left="0.4rem"),
                    ),
                    href=tab.href,
                    aria_current=rx.cond(tab.is_current, "page", "false"),
                    weight=rx.cond(tab.is_current, "bold", "regular"),
                    underline=rx.cond(tab.is_current, "always", "hover"),
                    padding_y="var(--space-2)",
                ),
            ),
            spacing="5",
            wrap="wrap",
            border_bottom="1px solid var(--gray-5)",
        ),
        aria_label="Buddies sections",
        margin_bottom="var(--space-4)",
    )


def buddy_row(row: rx.Var) -> rx.Component:
    return row_layout(
        person_summary(row, when_line("Buddies since", row.when_iso, row.when)),
        rx.fragment(confirm_dialog(
            rx.button("Remove", variant="soft", color_scheme="red",
                      aria_label="Remove @" + row.username + " from your buddies"),
            "Remove @" + row.username + "?",
            "You will no longer be buddies. They are not notified.",
            "Remove buddy",
            S.remove(row.user_id),
        ), user_report_button(row)),
    )  # fmt: skip


def request_row(row: rx.Var) -> rx.Component:
    return row_layout(
        person_summary(row, request_message(row.message),
                       when_line("Asked", row.when_iso, row.when)),
        rx.fragment(
            rx.button("Accept", on_click=S.accept(row.user_id),
                      aria_label="Accept @" + row.username + "'s request"),
            message_dialog(
                rx.button("Decline", variant="soft", color_scheme="gray",
                          aria_label="Decline @" + row.username + "'s request"),
                title="Decline @" + row.username + "'s request?",
                description="They can ask again after 7 days.",
                submit_label="Decline request",
                on_submit=S.decline,
                error=S.dialog_error,
                field_id="decline-message",
                user_id=row.user_id,
            ),
            user_report_button(row),
        ),
    )  # fmt: skip


def sent_row(row: rx.Var) -> rx.Component:
    return row_layout(
        person_summary(row, request_message(row.message),
                       when_line("Sent", row.when_iso, row.when)),
        rx.button("Cancel request", variant="soft", color_scheme="gray",
                  on_click=S.cancel(row.user_id),
                  aria_label="Cancel your request to @" + row.username),
    )  # fmt: skip


def requests_off_note(row: rx.Var) -> rx.Component:
    return rx.text(
        "Not accepting buddy requests",
        id="requests-off-" + row.user_id.to_string(),
        size="1",
        color_scheme="gray",
    )


def finder_row(row: rx.Var) -> rx.Component:
    details = rx.cond(row.details != "", rx.text(row.details, size="2"))
    mutual = rx.cond(row.mutual != "", rx.text(row.mutual, size="1", color_scheme="gray"))
    return row_layout(
        person_summary(row, details, mutual),
        rx.fragment(rx.cond(
            row.requests_enabled,
            message_dialog(
                rx.button("Send request",
                          aria_label="Send @" + row.username + " a buddy request"),
                title="Send @" + row.username + " a buddy request",
                description="Add a short message if you like.",
                submit_label="Send request",
                on_submit=S.send_request,
                error=S.dialog_error,
                field_id="request-message",
                user_id=row.user_id,
            ),
            rx.vstack(
                rx.button("Send request", disabled=True,
                          aria_label="Send @" + row.username + " a buddy request",
                          aria_describedby="requests-off-" + row.user_id.to_string()),
                requests_off_note(row),
                spacing="1",
                align="end",
            ),
        ), user_report_button(row)),
    )  # fmt: skip


def blocked_row(row: rx.Var) -> rx.Component:
    return row_layout(
        person_summary(row, when_line("Blocked", row.when_iso, row.when)),
        rx.button("Unblock", variant="soft", on_click=S.unblock(row.user_id),
                  aria_label="Unblock @" + row.username),
    )  # fmt: skip


ROWS = {"buddies": buddy_row, "requests": request_row, "sent": sent_row, "find": finder_row,
        "blocked": blocked_row}  # fmt: skip


def more_button() -> rx.Component:
    """Infinite scroll (the sentinel), and the button for keyboards and older browsers."""
    return rx.cond(
        S.has_more,
        rx.fragment(
            scroll_sentinel(S.load_more),
            rx.button("Load more", variant="soft", on_click=S.load_more,
                      margin_top="var(--space-4)"),
        ),
    )  # fmt: skip


def tab_list(tab: str, *before: rx.Component, heading_level: str = "h2") -> rx.Component:
    """One tab's list: heading, `before` (the finder's filters), people (or the empty
    state) and "Load more"."""
    empty = rx.text(EMPTY[tab], color_scheme="gray")
    if tab == "buddies":
        empty = rx.text("No buddies yet. ", rx.link("Find buddies", href="/buddies?tab=find"),
                        " to connect with other travellers.", color_scheme="gray")  # fmt: skip
    return rx.el.section(
        rx.heading(HEADINGS[tab], as_=heading_level, size="5", margin_bottom="var(--space-2)"),
        *before,
        rx.cond(
            S.loaded,
            rx.cond(
                S.rows.length() > 0,
                person_list(S.rows, ROWS[tab], label=HEADINGS[tab]),
                empty,
            ),
            rx.text("Loading…", role="status"),
        ),
        more_button(),
    )


def action_messages() -> rx.Component:
    return rx.fragment(
        rx.cond(S.error != "", rx.callout(S.error, color_scheme="red", role="alert",
                                          margin_bottom="var(--space-3)")),
        rx.cond(S.notice != "", rx.callout(S.notice, color_scheme="green", role="status",
                                           margin_bottom="var(--space-3)")),
    )  # fmt: skip
