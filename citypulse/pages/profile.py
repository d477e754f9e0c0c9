"""`/profile/[username]` (P): a profile with the privacy rules of §4.2.

The route argument is named `profile_username` because `SessionState.username` (the
viewer) already exists; the URL is the same.
"""

import reflex as rx

from citypulse.components.layout import page_layout
from citypulse.components.profile_header import full_header, limited_card
from citypulse.components.profile_tabs import tab_nav, tab_panel
from citypulse.components.removal_banner import removal_banner
from citypulse.pages.not_found import not_found_page
from citypulse.pages.registry import page
from citypulse.state.profiles.profile import ROUTE_ARG, ProfileState
from citypulse.state.social.profile_buddy import ProfileBuddyState

PROFILE_REMOVED = "Your profile was removed by moderation"
# The profile stays public with these cleared (services/moderation/removal.PROFILE_FIELDS).
PROFILE_CLEARED = "Your bio, photos and links are cleared; others see your profile without them."


def loading_screen() -> rx.Component:
    return page_layout(
        rx.center(
            rx.spinner(size="3"),
            rx.text("Loading profile…", role="status", margin_left="var(--space-3)"),
            padding_y="var(--space-9)",
        )
    )


def profile_content() -> rx.Component:
    return page_layout(
        rx.cond(
            ProfileState.kind == "full",
            rx.vstack(
                full_header(),
                # The owner's own profile, removed by a moderator: the reason and the appeal.
                removal_banner(
                    ProfileState.removal,
                    field_id="profile-removal-appeal",
                    error=ProfileState.appeal_error,
                    on_appeal=ProfileState.appeal_removal,
                    title=PROFILE_REMOVED,
                    owner_note=PROFILE_CLEARED,
                ),
                tab_nav(),
                tab_panel(),
                spacing="5",
                align="stretch",
            ),
            limited_card(),
        )
    )


@page(
    route=f"/profile/[{ROUTE_ARG}]",
    title="Profile",
    access="P",
    on_load=(ProfileState.load, ProfileBuddyState.load_buddy),
    live_title=ProfileState.page_title,
)
def profile_page() -> rx.Component:
    """A traveller's profile: full view, limited card, or the 404 content."""
    return rx.match(
        ProfileState.status,
        ("found", profile_content()),
        ("missing", not_found_page()),
        loading_screen(),
    )
