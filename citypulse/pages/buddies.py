"""`/buddies` (A): buddies, requests, sent requests, find buddies and blocked users, each a
`?tab=` with a count and an empty state (§2.2); lists and counts update live (§6.4)."""

import reflex as rx

from citypulse.components.buddies import buddies_watcher
from citypulse.components.buddies_find import finder_filters
from citypulse.components.buddies_tabs import action_messages, tab_list, tab_nav
from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.components.report_dialog import user_report_dialog
from citypulse.pages.registry import page
from citypulse.state.social.buddies import BuddiesState


@page(route="/buddies", title="Buddies", access="A", on_load=(BuddiesState.load,))
def buddies_page() -> rx.Component:
    """The signed-in user's buddies and everything around them."""
    return page_layout(
        page_heading("Buddies", "Travel buddies, requests and people to meet."),
        buddies_watcher(BuddiesState.buddies_changed),
        tab_nav(),
        action_messages(),
        user_report_dialog(),
        rx.match(
            BuddiesState.tab,
            ("requests", tab_list("requests")),
            ("sent", tab_list("sent")),
            ("find", tab_list("find", finder_filters())),
            ("blocked", tab_list("blocked")),
            tab_list("buddies"),
        ),
    )
