"""Labelled inputs for the trips forms: ids may be state vars (rows rendered in a loop)."""

from __future__ import annotations

import reflex as rx


def error_text(error, field_id) -> rx.Component:
    """The error under a field (its control points at it with aria-describedby)."""
    return rx.cond(
        error != "",
        rx.text(error, id=field_id + "-error", color_scheme="red", size="2", role="alert"),
    )


def labelled_input(label: str, field_id, *, error="", required: bool = False, **props):
    """A visible label, the input and its error."""
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="var(--font-size-2)"),
        rx.input(
            id=field_id,
            aria_describedby=field_id + "-error",
            width="100%",
            aria_invalid=rx.cond(error != "", "true", "false"),
            required=required,
            **props,
        ),
        error_text(error, field_id),
        spacing="1",
        align="stretch",
        min_width="12rem",
        flex="1",
    )


def labelled_select(label: str, field_id, options, *, error="", **props) -> rx.Component:
    """A native <select> with a visible label; `options` are (value, label) pairs or a
    var list of ChoiceView."""
    if isinstance(options, list | tuple):
        choices = [rx.el.option(text, value=value) for value, text in options]
    else:
        choices = [rx.foreach(options, lambda o: rx.el.option(o.label, value=o.value))]
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="var(--font-size-2)"),
        rx.el.select(
            *choices,
            id=field_id,
            aria_describedby=field_id + "-error",
            class_name="rt-reset rt-SelectTrigger rt-r-size-2 rt-variant-surface",
            **props,
        ),
        error_text(error, field_id),
        spacing="1",
        align="stretch",
        min_width="12rem",
        flex="1",
    )


def labelled_textarea(label: str, field_id, *, error="", **props) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="var(--font-size-2)"),
        rx.text_area(id=field_id, aria_describedby=field_id + "-error", width="100%", **props),
        error_text(error, field_id),
        spacing="1",
        align="stretch",
        width="100%",
    )
