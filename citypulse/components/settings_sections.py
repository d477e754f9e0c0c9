"""Sections of /settings that are mostly display: status, appearance, email, sessions."""

import reflex as rx
from reflex.style import set_color_mode

from citypulse.components.forms import notice
from citypulse.components.moment import moment
from citypulse.components.native_form import native_form
from citypulse.components.theme_toggle import THEME_OPTIONS
from citypulse.components.user_menu import logout_form
from citypulse.state.accounts.settings import SettingsState
from citypulse.state.session import SessionState

PREFERENCES = [
    ("buddy_requests", "Buddy requests", "Requests you receive and accepted requests"),
    ("recommendations", "Recommendations", "A daily summary of likes and ratings"),
    ("trips", "Trips", "Invitations, join requests and their answers"),
    ("achievements", "Achievements", "Each badge you unlock"),
    ("weekly_digest", "Weekly digest", "Mondays: trending places, buddies' news, your trips"),
    ("marketing", "News and offers", "Occasional news about CityPulse"),
]


def appearance_section() -> rx.Component:
    return rx.el.section(
        rx.heading("Appearance", as_="h2", size="5"),
        rx.radio_group.root(
            rx.hstack(
                *[
                    rx.el.label(rx.radio_group.item(value=value), label, display="flex",
                                gap="var(--space-2)", align_items="center")
                    for label, value in THEME_OPTIONS
                ],
                spacing="4",
            ),
            value=rx.color_mode,
            on_change=lambda mode: [set_color_mode(mode), SessionState.remember_theme(mode)],
            aria_label="Theme",
        ),
    )  # fmt: skip


def preferences_section() -> rx.Component:
    return rx.el.section(
        rx.heading("Email preferences", as_="h2", size="5"),
        rx.form(
            rx.vstack(
                *[
                    rx.el.label(
                        rx.switch(name=key, default_checked=getattr(SettingsState.preferences, key),
                                  key=getattr(SettingsState.preferences, key).to(str)),
                        rx.vstack(rx.text(label, weight="medium"),
                                  rx.text(hint, size="1", color_scheme="gray"), spacing="0"),
                        display="flex", gap="var(--space-3)", align_items="center",
                    )
                    for key, label, hint in PREFERENCES
                ],
                rx.button("Save email preferences", type="submit"),
                notice(SettingsState.preferences_message),
                align="start",
            ),
            on_submit=SettingsState.save_preferences,
        ),
    )  # fmt: skip


def session_row(item: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(item.device, rx.cond(item.is_current, " (this browser)", "")),
        rx.table.cell(item.network),
        rx.table.cell(moment(item.last_seen_iso, item.last_seen)),
        rx.table.cell(
            rx.cond(
                item.is_current,
                rx.text("—"),
                rx.button("Revoke", size="1", variant="soft",
                          on_click=SettingsState.revoke_session(item.family_id),
                          aria_label="Revoke session " + item.device),
            )
        ),
    )  # fmt: skip


def sessions_section() -> rx.Component:
    return rx.vstack(
        rx.heading("Active sessions", as_="h3", size="3"),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Device"),
                    rx.table.column_header_cell("Network"),
                    rx.table.column_header_cell("Last seen"),
                    rx.table.column_header_cell("Action"),
                )
            ),
            rx.table.body(rx.foreach(SettingsState.sessions, session_row)),
            width="100%",
        ),
        logout_form("Log out everywhere", everywhere=True, variant="outline", color_scheme="red"),
        align="stretch",
        margin_top="var(--space-5)",
    )


def data_section() -> rx.Component:
    return rx.el.section(
        rx.heading("Your data", as_="h2", size="5"),
        rx.text(
            "Download a ZIP of your account, content, trips and activity. "
            "You can request one export every 24 hours; the link works for 24 hours.",
        ),
        rx.button("Download my data", on_click=SettingsState.request_export, variant="soft"),
        notice(SettingsState.export_message, "blue"),
        rx.match(
            SettingsState.export.status,
            ("pending", rx.text("Preparing your export…", role="status")),
            ("failed", rx.text("The last export failed. Please request a new one.")),
            ("expired", rx.text("Your last export has expired.")),
            rx.fragment(),
        ),
        rx.cond(
            SettingsState.export.download_url != "",
            native_form(
                rx.button("Download ZIP", type="submit"),
                rx.text("Available until ", SettingsState.export.expires_at, size="1"),
                method="get",
                action=SettingsState.export.download_url,
            ),
        ),
    )
