"""The find tab's filters (§4.5.7): text, city, interests, travel style, activity level and
"Suggested"; a plain form, searched when submitted."""

from __future__ import annotations

import reflex as rx

from citypulse.components.forms import field_error, text_field
from citypulse.components.settings_privacy import LEVELS, STYLE_LABELS
from citypulse.state.social.buddies import BuddiesState as S

CITY_LIST_ID = "finder-city-options"


def _select(label: str, field_id: str, name: str, options, value, error) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="var(--font-size-2)"),
        rx.el.select(
            rx.el.option("Any", value=""),
            *[rx.el.option(text, value=key) for key, text in options],
            id=field_id,
            name=name,
            default_value=value,
            aria_describedby=f"{field_id}-error",
            padding="var(--space-2)",
            border_radius="var(--radius-2)",
            border="1px solid var(--gray-7)",
            background="var(--color-surface)",
            color="var(--gray-12)",
        ),
        field_error(error, field_id),
        spacing="1",
        align="stretch",
    )


def _interests() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend("Interests", font_weight="500", font_size="var(--font-size-2)"),
        rx.flex(
            rx.foreach(
                S.interest_options,
                lambda option: rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        name="interest-" + option.value,
                        default_checked=S.filters.interest_ids.contains(option.value),
                    ),
                    option.label,
                    display="flex",
                    gap="var(--space-1)",
                    align_items="center",
                    font_size="var(--font-size-2)",
                ),
            ),
            gap="var(--space-3)",
            wrap="wrap",
        ),
        field_error(S.filter_errors.interests, "finder-interests"),
        border="none",
        padding="0",
        margin="0",
    )


def finder_filters() -> rx.Component:
    """The filter form; its fields start from the last search."""
    return rx.form(
        rx.vstack(
            rx.grid(
                text_field("Name or username", "finder-text", name="text",
                           default_value=S.filters.text, error=S.filter_errors.text,
                           max_length=100, type="search"),
                text_field("City (visited or current)", "finder-city", name="city",
                           default_value=S.filters.city, error=S.filter_errors.city,
                           list=CITY_LIST_ID, placeholder="e.g. Lisbon, Portugal"),
                _select("Travel style", "finder-style", "travel_style", STYLE_LABELS,
                        S.filters.travel_style, S.filter_errors.travel_style),
                _select("Activity level", "finder-level", "activity_level", LEVELS,
                        S.filters.activity_level, S.filter_errors.activity_level),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            rx.el.datalist(
                rx.foreach(S.city_options, lambda city: rx.el.option(value=city.label)),
                id=CITY_LIST_ID,
            ),
            _interests(),
            rx.el.label(
                rx.el.input(type="checkbox", name="suggested", default_checked=S.filters.suggested),
                "Suggested: friends of your buddies first",
                display="flex", gap="var(--space-2)", align_items="center",
                font_size="var(--font-size-2)",
            ),
            rx.button("Search", type="submit"),
            spacing="3",
            align="start",
            width="100%",
        ),
        on_submit=S.find,
        reset_on_submit=False,
        role="search",
        aria_label="Find buddies",
        margin_bottom="var(--space-5)",
    )  # fmt: skip
