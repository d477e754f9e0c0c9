"""The fields of the recommendation form (create and edit share them).

Each function takes the page's state class (`RecommendationFormState` or
`RecommendationEditState`, which share `RecommendationFormFields`). Inputs are native
form controls with visible labels; they start from `S.initial` and are read on submit,
except the city box, which the autocomplete controls.
"""

from __future__ import annotations

import reflex as rx

from citypulse.components.forms import (
    checkbox_field,
    field_error,
    field_label,
    required_mark,
    required_note,
    text_field,
)

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip
DIFFICULTIES = (("easy", "Easy"), ("moderate", "Moderate"), ("hard", "Hard"), ("expert", "Expert"))
VISIBILITIES = (("public", "Public"), ("friends_only", "Buddies only"), ("private", "Private"))
DEBOUNCE_MS = 300
SELECT_STYLE = {
    "width": "100%",
    "padding": "var(--space-2)",
    "border_radius": "var(--radius-2)",
    "border": "1px solid var(--gray-7)",
    "background": "var(--color-surface)",
    "color": "inherit",
    "font_size": "var(--font-size-2)",
}


def error_of(S, key: str) -> rx.Var:
    """The field error for `key` ('' when none)."""
    return getattr(S.errors, key)


def initial_of(S, key: str) -> rx.Var:
    """The value the input for `key` starts from."""
    return getattr(S.initial, key)


def _label(text: str, field_id: str, *, required: bool = False) -> rx.Component:
    return field_label(text, field_id, required=required)


def _previewed(S, field: str):
    return getattr(S, f"typed_{field}").debounce(DEBOUNCE_MS)


def _input(S, label: str, name: str, *, hint: str = "", previewed: bool = False, **props):
    if previewed:
        props["on_change"] = _previewed(S, name)
    return text_field(
        label, f"rec-{name.replace('_', '-')}", name=name, default_value=initial_of(S, name),
        error=error_of(S, name), hint=hint, **props,
    )  # fmt: skip


def _select(
    label: str, field_id: str, error: rx.Var, *options, required: bool = False, **props
) -> rx.Component:
    if required:
        props["aria_required"] = "true"
    return rx.vstack(
        _label(label, field_id, required=required),
        rx.el.select(
            *options, id=field_id, aria_describedby=f"{field_id}-error",
            aria_invalid=rx.cond(error != "", "true", "false"), style=SELECT_STYLE, **props,
        ),
        field_error(error, field_id),
        spacing="1", width="100%", align="stretch",
    )  # fmt: skip


def _fieldset(
    legend: str, field_id: str, error: rx.Var, *children, required: bool = False, **props
) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(legend, required_mark(required), font_weight="500",
                     font_size="var(--font-size-2)"),
        rx.flex(*children, wrap="wrap", gap="var(--space-3)", margin_top="var(--space-1)"),
        field_error(error, field_id),
        id=field_id, aria_describedby=f"{field_id}-error", border="none", padding="0",
        margin="0", **props,
    )  # fmt: skip


def _radio(name: str, value: str, label: str, S, field_id: str) -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="radio", id=field_id, name=name, value=value,
            default_checked=initial_of(S, name) == value,
        ),
        label, html_for=field_id, display="flex", gap="var(--space-1)", align_items="center",
        font_size="var(--font-size-2)",
    )  # fmt: skip


def category_field(S) -> rx.Component:
    """A system category, or "Other…" with a custom name."""
    return rx.vstack(
        _select(
            "Category", "rec-category", error_of(S, "category"),
            rx.el.option("Choose a category", value=""),
            rx.foreach(S.categories, lambda c: rx.el.option(c.label, value=c.value)),
            rx.el.option("Other…", value="other"),
            name="category_id", default_value=S.initial.category_choice,
            on_change=S.choose_category, required=True,
        ),
        rx.cond(
            S.category_choice == "other",
            text_field(
                "Custom category", "rec-custom-category", name="custom_category",
                default_value=S.initial.custom_category, max_length=50,
                hint="2–50 characters, e.g. Bakery", on_change=_previewed(S, "custom_category"),
            ),
        ),
        width="100%", spacing="3",
    )  # fmt: skip


def _suggestion(S, suggestion: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.button(
            suggestion.label,
            rx.cond(suggestion.own, rx.badge("Your city", variant="soft")),
            type="button", variant="ghost", on_click=S.pick_city(suggestion.id.to(str)),
        ),
        list_style="none",
    )  # fmt: skip


def city_field(S) -> rx.Component:
    """The "City, Country" box with suggestions (own cities first); typing clears a pick."""
    return rx.vstack(
        text_field(
            "City", "rec-city", name="city_text", value=S.city_text, on_change=S.type_city,
            error=error_of(S, "city"), auto_complete="off", mark_required=True,
            hint='Type "City, Country" or pick a suggestion',
        ),
        rx.cond(
            S.suggestions.length() > 0,
            rx.el.ul(
                rx.foreach(S.suggestions, lambda s: _suggestion(S, s)),
                aria_label="City suggestions", padding="0", margin="0",
            ),
        ),
        width="100%", spacing="1",
    )  # fmt: skip


def description_field(S) -> rx.Component:
    error = error_of(S, "description")
    return rx.vstack(
        _label("Description", "rec-description", required=True),
        rx.text_area(
            id="rec-description", name="description", default_value=S.initial.description,
            aria_required="true",
            on_change=_previewed(S, "description"), rows="6", width="100%",
            aria_describedby="rec-description-error rec-description-hint",
            aria_invalid=rx.cond(error != "", "true", "false"),
        ),
        rx.text(S.description_length.to(str) + " / 2000 characters (at least 10)",
                id="rec-description-hint", size="1", color_scheme="gray"),
        field_error(error, "rec-description"),
        spacing="1", width="100%", align="stretch",
    )  # fmt: skip


def place_fields(S) -> rx.Component:
    """Category, title, city, address and description."""
    return rx.vstack(
        rx.heading("The place", as_="h2", size="5"),
        required_note(),
        category_field(S),
        _input(S, "Title", "title", previewed=True, hint="The place's name (3–200 characters)",
               mark_required=True),
        city_field(S),
        _input(S, "Address", "address", mark_required=True),
        description_field(S),
        spacing="4", width="100%", align="stretch",
    )  # fmt: skip


def month_boxes(S) -> rx.Component:
    return _fieldset(
        "Best months", "rec-best-months", error_of(S, "best_months"),
        *[
            checkbox_field(name[:3], f"rec-month-{number}", name=f"month_{number}",
                           default_checked=S.initial_months.contains(number),
                           aria_label=name)
            for number, name in enumerate(MONTH_NAMES, start=1)
        ],
    )  # fmt: skip


def detail_fields(S) -> rx.Component:
    """Prices, difficulty, best time, duration and coordinates."""
    return rx.vstack(
        rx.heading("Details", as_="h2", size="5"),
        rx.grid(
            _input(S, "Minimum price (USD)", "price_min", previewed=True, input_mode="decimal"),
            _input(S, "Maximum price (USD)", "price_max", previewed=True, input_mode="decimal"),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="4", width="100%",
        ),
        _select(
            "Difficulty", "rec-difficulty", error_of(S, "difficulty"),
            rx.el.option("Not specified", value=""),
            *[rx.el.option(label, value=value) for value, label in DIFFICULTIES],
            name="difficulty", default_value=S.initial.difficulty,
        ),
        month_boxes(S),
        _input(S, "Best time", "best_time_text", hint="e.g. Weekday mornings", max_length=100),
        _input(S, "Duration", "duration_suggestion", hint="e.g. 2 hours", max_length=100),
        rx.grid(
            _input(S, "Latitude", "latitude", input_mode="decimal"),
            _input(S, "Longitude", "longitude", input_mode="decimal"),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="4", width="100%",
        ),
        rx.text("Enter both coordinates or neither.", size="1", color_scheme="gray"),
        spacing="4", width="100%", align="stretch",
    )  # fmt: skip


def sharing_fields(S) -> rx.Component:
    """Tags, the author's own rating and the visibility."""
    return rx.vstack(
        rx.heading("Tags, rating and visibility", as_="h2", size="5"),
        _input(S, "Tags", "tags", previewed=True,
               hint="Up to 10, separated by commas, e.g. coffee, cozy"),
        _fieldset(
            "Your rating", "rec-rating", error_of(S, "author_rating"),
            *[_radio("author_rating", str(n), str(n), S, f"rec-rating-{n}") for n in range(1, 6)],
            rx.text("1 = poor, 5 = excellent", size="1", color_scheme="gray"),
            required=True,
        ),
        _fieldset(
            "Visibility", "rec-visibility", error_of(S, "visibility"),
            *[_radio("visibility", value, label, S, f"rec-visibility-{value}")
              for value, label in VISIBILITIES],
        ),
        spacing="4", width="100%", align="stretch",
    )  # fmt: skip
