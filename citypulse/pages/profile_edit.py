"""`/profile/edit` (A): the signed-in user's profile form with photos and a live preview."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.components.profile_edit_form import edit_form, live_preview
from citypulse.components.profile_photo_editor import photos_section
from citypulse.pages.registry import page
from citypulse.state.profiles.edit import ProfileEditState


@page(route="/profile/edit", title="Edit profile", access="A", on_load=(ProfileEditState.load,))
def profile_edit_page() -> rx.Component:
    """Name, username, bio, places, phone, links, cities visited, avatar and cover."""
    return page_layout(
        page_heading("Edit profile", "What other travellers see depends on your privacy settings."),
        rx.cond(
            ProfileEditState.loaded,
            rx.grid(
                rx.vstack(edit_form(), rx.divider(), photos_section(), spacing="6",
                          align="stretch"),
                live_preview(),
                columns=rx.breakpoints(initial="1", md="2fr 1fr"),
                spacing="6",
                align="start",
            ),
            rx.cond(
                ProfileEditState.error != "",
                rx.callout(ProfileEditState.error, color_scheme="red", role="alert"),
                rx.center(rx.spinner(size="3"), padding_y="var(--space-9)"),
            ),
        ),
    )  # fmt: skip
