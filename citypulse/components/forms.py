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


def text_field(
    label: str,
    field_id: str,
    *,
    error: Var[str] | str = "",
    hint: str = "",
    **input_props,
) -> rx.Component:
    """A labelled input with an optional hint and an error message."""
    described_by = f"{field_id}-error {field_id}-hint" if hint else f"{field_id}-error"
    return rx.vstack(
        rx.el.label(label, html_for=field_id, font_weight="500", font_size="var(--font-size-2)"),
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
