"""`/moderator/users` (M): reported users, search, and one user's panel with its actions."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.components.moderation_users import user_list, user_panel
from citypulse.pages.registry import page
from citypulse.state.moderation.users import ModeratorUsersState


@page(
    route="/moderator/users",
    title="Users",
    access="M",
    on_load=(ModeratorUsersState.load,),
)
def moderator_users_page() -> rx.Component:
    """Warn, suspend, ban, reinstate; admins also change roles."""
    return page_layout(
        page_heading("Users", "Warnings, suspensions, bans and roles."),
        rx.vstack(user_list(), user_panel(), spacing="7", align="stretch"),
    )
