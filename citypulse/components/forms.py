"""Accessible form pieces: every control has a visible label; errors are announced."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var


def field_error(error: Var[str] | str, field_id: str) -> rx.Component:
    """The error under a field (referenced by aria-describedby, read by screen readers)."""
    return rx.cond(
        error != "",
        rx.text(error, id=f"{field_id}-error", color_scheme="red", size="2", role="alert"),
    )


def required_mark(required: bool) -> rx.Component:
    """The visible "*" after a required field's label (its control says aria-required)."""
    if not required:
        return rx.fragment()
    return rx.el.span(" *", aria_hidden="true", color="var(--red-11)")


def field_label(label: str, field_id: str, *, required: bool = False) -> rx.Component:
    """A field's visible label; a required field's "*" sits beside it, outside the
    label, so the field's name stays exactly its label."""
    element = rx.el.label(
        label, html_for=field_id, font_weight="500", font_size="var(--font-size-2)"
    )
    return rx.el.div(element, required_mark(required)) if required else element


def required_note() -> rx.Component:
    """Says what the "*" after a label means (once per form)."""
    return rx.text(
        rx.el.span("*", color="var(--red-11)"), " marks a required field.", size="1",
        color_scheme="gray",
    )  # fmt: skip


def text_field(
    label: str,
    field_id: str,
    *,
    error: Var[str] | str = "",
    hint: str = "",
    mark_required: bool = False,
    **input_props,
) -> rx.Component:
    """A labelled input with an optional hint and an error message.

    `required=True` (the browser checks it) or `mark_required=True` (the server does)
    mark the label and set aria-required.
    """
    described_by = f"{field_id}-error {field_id}-hint" if hint else f"{field_id}-error"
    required = mark_required or input_props.get("required") is True
    if required:
        input_props["aria_required"] = "true"
    return rx.vstack(
        field_label(label, field_id, required=required),
        rx.input(
            id=field_id,
            aria_describedby=described_by,
            aria_invalid=rx.cond(error != "", "true", "false"),
            width="100%",
            **input_props,
        ),
        rx.cond(hint != "", rx.text(hint, id=f"{field_id}-hint", size="1", color_scheme="gray")),
        field_error(error, field_id),
        spacing="1",
        width="100%",
        align="stretch",
    )


def checkbox_field(label: rx.Component | str, field_id: str, **input_props) -> rx.Component:
    """A native checkbox with its label (submits with plain HTML forms too)."""
    return rx.el.label(
        rx.el.input(type="checkbox", id=field_id, **input_props),
        label,
        html_for=field_id,
        display="flex",
        gap="var(--space-2)",
        align_items="center",
        font_size="var(--font-size-2)",
    )


def form_card(*children: rx.Component, **props) -> rx.Component:
    """The narrow card that holds an auth form."""
    return rx.card(
        rx.vstack(*children, spacing="4", width="100%", align="stretch"),
        size="3",
        width="100%",
        max_width="28rem",
        **props,
    )


def notice(text: Var[str] | str, color: str = "green") -> rx.Component:
    """A polite status message shown when `text` is not empty."""
    return rx.cond(
        text != "",
        rx.callout(text, color_scheme=color, role="status", aria_live="polite"),
    )


def alert(text: Var[str] | str) -> rx.Component:
    """An error message shown when `text` is not empty."""
    return rx.cond(text != "", rx.callout(text, color_scheme="red", role="alert"))
