"""`/trips/[id]` (P if visible, or with a valid `?share=`): the trip with its tabs
Overview, Itinerary, Places, Companions and Comments; read-only for non-members and
share-link visitors (no Companions or Comments tab for them); live (§2.2, §6.3)."""

import reflex as rx

from citypulse.components.layout import page_layout
from citypulse.components.trip_comments import trip_comments
from citypulse.components.trip_companions import trip_companions
from citypulse.components.trip_detail import (
    leave_hook,
    messages,
    overview_tab,
    tab_nav,
    trip_header,
    trip_watcher,
)
from citypulse.components.trip_itinerary import itinerary_tab
from citypulse.components.trip_places import places_tab
from citypulse.pages.not_found import not_found_page
from citypulse.pages.registry import page
from citypulse.state.trips.detail import TripState as S


def companions_slot() -> rx.Component:
    """SLOT (trips people): the Companions tab's component goes here."""
    return trip_companions()


def comments_slot() -> rx.Component:
    """SLOT (trips people): the Comments tab's component goes here."""
    return trip_comments()


def trip_body() -> rx.Component:
    return rx.vstack(
        trip_header(),
        tab_nav(),
        messages(),
        rx.match(
            S.tab,
            ("itinerary", itinerary_tab()),
            ("places", places_tab()),
            ("companions", rx.cond(~S.perms.via_share, companions_slot())),
            ("comments", rx.cond(~S.perms.via_share, comments_slot())),
            overview_tab(),
        ),
        trip_watcher(),
        spacing="3",
        width="100%",
        align="stretch",
    )


@page(route="/trips/[id]", title="Trip", access="P", on_load=(S.load,), live_title=S.page_title)
def trip_detail_page() -> rx.Component:
    return rx.cond(
        S.found,
        page_layout(
            rx.cond(S.loaded, trip_body(), rx.spinner(aria_label="Loading")),
            leave_hook(),
        ),
        not_found_page(),
    )
