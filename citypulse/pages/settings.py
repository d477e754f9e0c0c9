"""`/settings` (A): the account sections (§2.2). Privacy, interests and blocked users
arrive with the profiles feature."""

import reflex as rx

from citypulse.components.buddies_blocked import blocked_users_section
from citypulse.components.content import page_heading
from citypulse.components.forms import alert, notice, text_field
from citypulse.components.layout import page_layout
from citypulse.components.notifications_settings import browser_notifications_section
from citypulse.components.restricted_screen import restricted_screen
from citypulse.components.settings_privacy import interests_section, privacy_section
from citypulse.components.settings_sections import (
    appearance_section,
    data_section,
    preferences_section,
    sessions_section,
)
from citypulse.components.user_menu import logout_form
from citypulse.pages.registry import page
from citypulse.state.accounts.settings import SettingsState
from citypulse.state.session import SessionState
from citypulse.state.social.buddies import BuddiesState


def password_section() -> rx.Component:
    errors = SettingsState.password_errors
    return rx.el.section(
        rx.heading("Security", as_="h2", size="5"),
        rx.cond(
            SettingsState.has_password,
            rx.form(
                rx.vstack(
                    rx.heading("Change password", as_="h3", size="3"),
                    text_field("Current password", "current-password", name="current_password",
                               type="password", auto_complete="current-password",
                               error=errors.current_password),
                    text_field("New password", "new-password", name="new_password",
                               type="password", auto_complete="new-password",
                               error=errors.new_password),
                    text_field("Confirm new password", "confirm-new-password",
                               name="confirm_password", type="password",
                               auto_complete="new-password",
                               error=errors.confirm_password),
                    rx.button("Change password", type="submit"),
                    notice(SettingsState.password_message),
                    align="stretch",
                    max_width="28rem",
                ),
                on_submit=SettingsState.change_password,
                reset_on_submit=True,
            ),
            rx.vstack(
                rx.heading("Set a password", as_="h3", size="3"),
                rx.text("You sign in with Google. Set a password to also sign in with email."),
                rx.link("Set a password", href="/reset-password"),
                align="start",
            ),
        ),
        sessions_section(),
        class_name="settings-section",
    )  # fmt: skip


def danger_zone() -> rx.Component:
    return rx.el.section(
        rx.heading("Danger zone", as_="h2", size="5", color_scheme="red"),
        logout_form("Log out", variant="soft"),
        rx.form(
            rx.vstack(
                rx.heading("Deactivate & delete account", as_="h3", size="3"),
                rx.text(
                    "Your profile and content are hidden at once and everything is deleted "
                    "after 30 days. Logging in before then reactivates the account.",
                    size="2",
                ),
                text_field(
                    rx.cond(SettingsState.has_password, "Your password", "Your username"),
                    "deactivate-confirmation",
                    name="confirmation",
                    type=rx.cond(SettingsState.has_password, "password", "text"),
                    error=SettingsState.deactivate_error,
                ),
                rx.button("Deactivate & delete account", type="submit", color_scheme="red"),
                align="stretch",
                max_width="28rem",
            ),
            on_submit=SettingsState.deactivate,
        ),
        class_name="settings-section",
    )


@page(
    route="/settings",
    title="Settings",
    access="A",
    on_load=(SettingsState.load, BuddiesState.show_blocked),
)
def settings_page() -> rx.Component:
    """Account settings of the signed-in user."""
    return page_layout(
        page_heading("Settings", "Signed in as " + SettingsState.email),
        alert(SettingsState.action_error),
        rx.cond(
            SessionState.restricted,
            # A restricted account may only appeal, export its data and log out (§4.13.8).
            rx.vstack(
                restricted_screen(),
                data_section(),
                rx.el.section(logout_form("Log out", variant="soft"), aria_label="Log out"),
                spacing="7",
                align="stretch",
            ),
            rx.vstack(
                privacy_section(),
                interests_section(),
                appearance_section(),
                preferences_section(),
                browser_notifications_section(),
                password_section(),
                blocked_users_section(),
                data_section(),
                danger_zone(),
                spacing="7",
                align="stretch",
            ),
        ),
    )
