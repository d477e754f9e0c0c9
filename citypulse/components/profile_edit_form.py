"""The `/profile/edit` form and its live preview (§2.2, §4.2.3)."""

from __future__ import annotations

import reflex as rx

from citypulse.components.forms import alert, field_error, notice, text_field
from citypulse.components.profile_header import avatar_image, cover_image
from citypulse.state.profiles.edit import ProfileEditState as E
from citypulse.state.profiles.photos import ProfilePhotoState as P

PLACE_FIELDS = (
    ("current_location", "Current location", "Where you live now"),
    ("hometown", "Hometown", ""),
    ("phone", "Phone", "Only you can see it, e.g. +351912345678"),
)
LINK_FIELDS = (
    ("instagram_url", "Instagram", "https://instagram.com/you"),
    ("facebook_url", "Facebook", "https://facebook.com/you"),
    ("twitter_url", "X", "https://x.com/you"),
    ("linkedin_url", "LinkedIn", "https://linkedin.com/in/you"),
    ("whatsapp", "WhatsApp", "+351912345678"),
    ("website_url", "Website", "https://example.com"),
)


def _error(field: str):
    return getattr(E.errors, field)


def _input(field: str, label: str, *, hint: str = "", **props) -> rx.Component:
    return text_field(
        label, f"profile-{field.replace('_', '-')}", error=_error(field), hint=hint,
        value=getattr(E.form, field), on_change=lambda value: E.set_field(field, value), **props,
    )  # fmt: skip


def username_field() -> rx.Component:
    status = E.username_status
    return rx.vstack(
        text_field("Username", "profile-username", error=_error("username"),
                   hint="3–30 characters: lowercase letters, digits and _",
                   value=E.form.username, on_change=E.set_username,
                   auto_complete="username"),
        rx.box(
            rx.match(
                status,
                ("available", rx.text("available", color_scheme="green", size="2")),
                ("taken", rx.text("taken", color_scheme="red", size="2")),
                rx.fragment(),
            ),
            role="status", aria_live="polite",
        ),
        spacing="1", align="stretch", width="100%",
    )  # fmt: skip


def bio_field() -> rx.Component:
    return rx.vstack(
        rx.el.label("Bio", html_for="profile-bio", font_weight="500",
                    font_size="var(--font-size-2)"),
        rx.text_area(id="profile-bio", value=E.form.bio, rows="4",
                     on_change=lambda value: E.set_field("bio", value),
                     aria_describedby="profile-bio-count profile-bio-error",
                     aria_invalid=rx.cond(_error("bio") != "", "true", "false")),
        rx.text(E.form.bio.length(), "/500", id="profile-bio-count", size="1",
                color_scheme=rx.cond(E.form.bio.length() > 500, "red", "gray")),
        field_error(_error("bio"), "profile-bio"),
        spacing="1", align="stretch", width="100%",
    )  # fmt: skip


def city_chip(city: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.text(city.label, weight="medium", size="2"),
            rx.el.input(type="month", default_value=city.month,
                        aria_label="Month of your visit to " + city.label + " (optional)",
                        on_blur=lambda value: E.set_city_month(city.city_id, value),
                        font_size="var(--font-size-2)"),
            rx.cond(
                city.source_label != "",
                rx.text(city.source_label, size="1", color_scheme="gray"),
                rx.icon_button(rx.icon("x", size=14, aria_hidden="true"), size="1",
                               variant="ghost", type="button",
                               aria_label="Remove " + city.label,
                               on_click=E.remove_city(city.city_id)),
            ),
            spacing="2", align="center", padding="var(--space-1) var(--space-2)",
            border="1px solid var(--gray-6)", border_radius="var(--radius-4)",
        ),
        key=city.city_id,
    )  # fmt: skip


def cities_field() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend("Cities visited", font_weight="500"),
        rx.el.ul(rx.foreach(E.cities, city_chip), display="flex", flex_wrap="wrap",
                 gap="var(--space-2)", list_style="none", padding="0", margin="0"),
        rx.cond(E.cities.length() == 0, rx.text("No cities yet.", size="2")),
        text_field("Add a city", "profile-city-search", value=E.city_query,
                   on_change=E.search_cities, placeholder="Start typing a city name",
                   auto_complete="off"),
        rx.cond(
            E.city_options.length() > 0,
            rx.el.ul(
                rx.foreach(E.city_options, lambda option: rx.el.li(
                    rx.button("Add " + option.label, type="button", size="1",
                              variant="soft", on_click=E.add_city(option.city_id)))),
                display="flex", flex_wrap="wrap", gap="var(--space-2)", list_style="none",
                padding="0", margin="0", aria_label="Matching cities",
            ),
        ),
        field_error(_error("cities_visited"), "profile-cities"),
        display="flex", flex_direction="column", gap="var(--space-2)",
        border="none", padding="0", margin="0",
    )  # fmt: skip


def edit_form() -> rx.Component:
    """Every editable text field, the cities and one Save button."""
    return rx.vstack(
        rx.heading("About you", as_="h2", size="5"),
        _input("full_name", "Full name", auto_complete="name"),
        username_field(),
        bio_field(),
        *[_input(field, label, hint=hint) for field, label, hint in PLACE_FIELDS],
        rx.heading("Links", as_="h2", size="5", margin_top="var(--space-4)"),
        *[_input(field, label, placeholder=example) for field, label, example in LINK_FIELDS],
        rx.heading("Travel", as_="h2", size="5", margin_top="var(--space-4)"),
        cities_field(),
        alert(E.error),
        notice(E.message),
        rx.hstack(
            rx.button("Save profile", on_click=E.save, size="3"),
            rx.link("View profile", href="/profile/" + E.username),
            spacing="4",
            align="center",
        ),
        spacing="3",
        align="stretch",
        width="100%",
    )


def live_preview() -> rx.Component:
    """How the profile header will look, updated as the user types."""
    form = E.form
    return rx.el.aside(
        rx.heading("Preview", as_="h2", size="4", margin_bottom="var(--space-2)"),
        rx.card(
            rx.vstack(
                cover_image(P.cover_url, form.full_name),
                rx.box(
                    avatar_image(P.avatar_url, form.full_name,
                                 form.full_name.to(str)[:1].upper(), size="4rem"),
                    margin_top="-2rem", padding_x="var(--space-3)",
                ),
                rx.text(form.full_name, weight="bold", size="4"),
                rx.text("@", form.username, size="2", color_scheme="gray"),
                rx.cond(form.hometown != "", rx.text("From ", form.hometown, size="2")),
                rx.cond(form.current_location != "",
                        rx.text("Lives in ", form.current_location, size="2")),
                rx.text(form.bio, size="2", white_space="pre-wrap", unicode_bidi="isolate"),
                spacing="1",
                align="stretch",
            ),
        ),
        aria_label="Profile preview",
        position="sticky",
        top="var(--space-4)",
    )  # fmt: skip
