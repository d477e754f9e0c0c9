"""`/trips/[id]/edit` (A): the owner and organizers edit the details and cover; anyone
else gets the 404 page (§2.2)."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.components.trip_form import trip_form
from citypulse.pages.not_found import not_found_page
from citypulse.pages.registry import page
from citypulse.state.trips.form import TripFormState as F


@page(route="/trips/[id]/edit", title="Edit trip", access="A", on_load=(F.load_edit,))
def trip_edit_page() -> rx.Component:
    return rx.cond(
        F.found,
        page_layout(
            page_heading("Edit trip"),
            rx.cond(F.loaded, trip_form(), rx.text("Loading…", role="status")),
        ),
        not_found_page(),
    )
