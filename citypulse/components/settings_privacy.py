"""/settings sections: Privacy, and Interests and travel preferences (§2.2, §4.2)."""

from __future__ import annotations

import reflex as rx

from citypulse.components.forms import field_error, notice
from citypulse.state.profiles.settings_privacy import PrivacySettingsState as S

VISIBILITY_OPTIONS = (("public", "Public"), ("friends_only", "Buddies only"),
                      ("private", "Private"))  # fmt: skip
VISIBILITY_SELECTS = (
    ("profile_visibility", "Profile visibility",
     "Public: everyone. Buddies only: your buddies. Private: only you (others see a card)."),
    ("default_rec_visibility", "Default visibility of new recommendations", ""),
    ("default_trip_visibility", "Default visibility of new trips", ""),
)  # fmt: skip
SWITCHES = (
    ("location_sharing", "Share my location", "Show your current location on your profile"),
    ("social_links_visible", "Show my social links", "Show your links on your profile"),
    ("buddy_requests_enabled", "Accept buddy requests", "Let other travellers send requests"),
)
STYLE_LABELS = (("budget", "Budget"), ("mid_range", "Mid-range"), ("luxury", "Luxury"),
                ("backpacking", "Backpacking"), ("adventure", "Adventure"),
                ("cultural", "Cultural"), ("relaxation", "Relaxation"), ("family", "Family"),
                ("solo", "Solo"), ("group", "Group"))  # fmt: skip
LEVELS = (("low", "Low"), ("moderate", "Moderate"), ("high", "High"))
DIFFICULTIES = (("easy", "Easy"), ("moderate", "Moderate"), ("hard", "Hard"),
                ("expert", "Expert"))  # fmt: skip


def native_select(label: str, field_id: str, options, value, on_change, *, hint: str = "",
                  error="") -> rx.Component:  # fmt: skip
    """A labelled native <select> (keyboard and screen-reader friendly)."""
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="var(--font-size-2)"),
        rx.el.select(
            *[rx.el.option(text, value=key) for key, text in options],
            id=field_id,
            value=value,
            on_change=on_change,
            aria_describedby=f"{field_id}-error {field_id}-hint",
            padding="var(--space-2)",
            border_radius="var(--radius-2)",
            border="1px solid var(--gray-7)",
            background="var(--color-surface)",
            color="var(--gray-12)",
            max_width="20rem",
        ),
        rx.cond(hint != "", rx.text(hint, id=f"{field_id}-hint", size="1", color_scheme="gray")),
        field_error(error, field_id),
        spacing="1",
        align="stretch",
    )


def _switch(field: str, label: str, hint: str) -> rx.Component:
    return rx.el.label(
        rx.switch(
            checked=getattr(S.privacy, field),
            on_change=lambda checked: S.toggle_switch(field, checked),
        ),
        rx.vstack(rx.text(label, weight="medium"), rx.text(hint, size="1", color_scheme="gray"),
                  spacing="0"),
        display="flex", gap="var(--space-3)", align_items="center",
    )  # fmt: skip


def privacy_section() -> rx.Component:
    """Who sees the profile, what it shows, and default visibilities."""
    return rx.el.section(
        rx.heading("Privacy", as_="h2", size="5"),
        rx.vstack(
            *[
                native_select(
                    label, f"privacy-{field}", VISIBILITY_OPTIONS, getattr(S.privacy, field),
                    lambda value, field=field: S.choose_visibility(field, value),
                    hint=hint, error=getattr(S.privacy_errors, field),
                )
                for field, label, hint in VISIBILITY_SELECTS
            ],
            *[_switch(field, label, hint) for field, label, hint in SWITCHES],
            rx.button("Save privacy settings", on_click=S.save_privacy,
                      disabled=~S.privacy_changed),
            field_error(S.privacy_errors.form, "privacy-form"),
            notice(S.privacy_message),
            align="start",
            spacing="4",
        ),
    )  # fmt: skip


def _checkbox(label, checked, on_change) -> rx.Component:
    return rx.el.label(
        rx.checkbox(checked=checked, on_change=on_change),
        rx.text(label, size="2"),
        display="flex", gap="var(--space-2)", align_items="center",
    )  # fmt: skip


def interests_section() -> rx.Component:
    """Interests (up to 8 categories), travel styles (up to 5), level and difficulty."""
    errors = S.interests_errors
    return rx.el.section(
        rx.heading("Interests and travel preferences", as_="h2", size="5"),
        rx.vstack(
            rx.el.fieldset(
                rx.el.legend("Interests (up to 8)", font_weight="500"),
                rx.flex(
                    rx.foreach(
                        S.interest_options,
                        lambda option: _checkbox(
                            option.name, S.interests.contains(option.category_id),
                            lambda _: S.toggle_interest(option.category_id)),
                    ),
                    wrap="wrap", gap="var(--space-4)", padding_top="var(--space-2)",
                ),
                field_error(errors.interests, "interests"),
                border="none", padding="0", margin="0",
            ),
            rx.el.fieldset(
                rx.el.legend("Travel styles (up to 5)", font_weight="500"),
                rx.flex(
                    *[_checkbox(label, S.travel_styles.contains(key),
                                lambda _, key=key: S.toggle_style(key))
                      for key, label in STYLE_LABELS],
                    wrap="wrap", gap="var(--space-4)", padding_top="var(--space-2)",
                ),
                field_error(errors.travel_styles, "travel-styles"),
                border="none", padding="0", margin="0",
            ),
            native_select("Activity level", "activity-level", LEVELS, S.activity_level,
                          lambda value: S.choose_preference("activity_level", value),
                          error=errors.activity_level),
            native_select("Preferred difficulty", "preferred-difficulty", DIFFICULTIES,
                          S.preferred_difficulty,
                          lambda value: S.choose_preference("preferred_difficulty", value),
                          error=errors.preferred_difficulty),
            rx.button("Save interests and preferences", on_click=S.save_interests),
            field_error(errors.form, "interests-form"),
            notice(S.interests_message),
            align="start",
            spacing="4",
        ),
    )  # fmt: skip
