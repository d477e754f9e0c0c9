"""`/moderator/appeals` (M): appeals by status; Grant / Reject with a required note."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.components.moderation_appeals import appeals_queue, appeals_watcher
from citypulse.pages.registry import page
from citypulse.state.moderation.appeals import ModeratorAppealsState


@page(
    route="/moderator/appeals",
    title="Appeals",
    access="M",
    on_load=(ModeratorAppealsState.load,),
)
def moderator_appeals_page() -> rx.Component:
    """The appeals queue."""
    return page_layout(
        page_heading("Appeals", "Decide appeals of actions you did not take."),
        appeals_watcher(),
        appeals_queue(),
    )
