"""`/notifications` (A): every notification, 20 at a time with infinite scroll (§2.2).

Filters All / Unread / type group; clicking a title marks it read and opens its link;
mark all read, delete one, delete all read. Live (§6.1): new ones come in on top and
reads or deletes in other tabs are mirrored (the watcher, components/notifications.py).
"""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.infinite_scroll import scroll_sentinel
from citypulse.components.layout import page_layout
from citypulse.components.notifications import notifications_watcher
from citypulse.components.notifications_list import notification_list
from citypulse.pages.registry import page
from citypulse.state.notifications.bell import NotificationBellState as Bell
from citypulse.state.notifications.page import NotificationsPageState as S
from citypulse.state.notifications.views import FILTER_LABELS

EMPTY = {
    "all": "You have no notifications yet.",
    "unread": "You're all caught up: no unread notifications.",
}
EMPTY_GROUP = "No {label} notifications."


def filter_bar() -> rx.Component:
    """The filters as toggle buttons (the pressed one is the list shown)."""
    return rx.hstack(
        *[
            rx.button(
                label,
                on_click=S.show(value),
                variant=rx.cond(S.filter == value, "solid", "soft"),
                aria_pressed=rx.cond(S.filter == value, "true", "false"),
                size="2",
                high_contrast=True,
            )
            for value, label in FILTER_LABELS.items()
        ],
        role="group",
        aria_label="Show notifications",
        wrap="wrap",
        spacing="2",
    )


def actions_bar() -> rx.Component:
    return rx.hstack(
        rx.button(
            "Mark all read",
            on_click=S.read_all,
            variant="soft",
            disabled=Bell.unread == 0,
            high_contrast=True,
        ),
        rx.button(
            "Delete all read", on_click=S.delete_all_read, variant="soft", color_scheme="red"
        ),
        spacing="2",
        wrap="wrap",
    )


def empty_state() -> rx.Component:
    messages = [
        (value, EMPTY.get(value, EMPTY_GROUP.format(label=label.lower())))
        for value, label in FILTER_LABELS.items()
    ]
    return rx.callout(
        rx.match(S.filter, *messages, EMPTY["all"]), icon="bell-off", color_scheme="gray"
    )


def notifications_list() -> rx.Component:
    return rx.cond(
        S.items.length() > 0,
        rx.vstack(
            notification_list(
                S.items,
                "Notifications",
                on_open=S.open_entry,
                on_mark_read=Bell.mark_read,
                on_delete=S.remove,
            ),
            rx.cond(
                S.has_more,
                rx.fragment(
                    scroll_sentinel(S.load_more),
                    rx.button("Load more", on_click=S.load_more, variant="soft"),
                ),
            ),
            width="100%",
            spacing="3",
            align="center",
        ),
        empty_state(),
    )


@page(route="/notifications", title="Notifications", access="A", on_load=(S.load,))
def notifications_page() -> rx.Component:
    """The viewer's notifications, newest first."""
    return page_layout(
        page_heading("Notifications", "Everything that happened around you, newest first."),
        notifications_watcher(S.refresh),
        rx.vstack(
            filter_bar(),
            actions_bar(),
            rx.cond(S.page_loaded, notifications_list(), rx.spinner(aria_label="Loading")),
            spacing="4",
            width="100%",
        ),
    )
