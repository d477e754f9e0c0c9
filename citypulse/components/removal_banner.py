"""The "Removed by moderation" banner of a removed item's page (§4.13.3) with the owner's
appeal of the removal (§4.13.9): the form while it can be filed, else its state or why
not. Moderators see the banner and the reason only."""

from __future__ import annotations

from typing import Any

import reflex as rx

from citypulse.components.forms import field_error
from citypulse.components.restricted_screen import APPEAL_LABEL, STATUS_TEXT

OWNER_NOTE = "Only you and moderators can see it."
MODERATOR_NOTE = "Only its owner and moderators can see it."


def _appeal_form(field_id: Any, error: Any, on_submit: Any, *hidden: rx.Component) -> rx.Component:
    return rx.form(
        rx.vstack(
            *hidden,
            rx.el.label(APPEAL_LABEL, html_for=field_id),
            rx.text_area(
                id=field_id, name="message", max_length=2000, rows="4",
                aria_describedby=field_id + "-error",
                aria_invalid=rx.cond(error != "", "true", "false"),
            ),
            field_error(error, field_id),
            rx.button("Appeal the removal", type="submit", align_self="start"),
            align="stretch",
            spacing="2",
        ),
        on_submit=on_submit,
        aria_label="Appeal the removal",
    )  # fmt: skip


def removal_appeal(
    banner: Any, field_id: Any, error: Any, on_submit: Any, *hidden: rx.Component
) -> rx.Component:
    """The owner's part of a banner (`banner` has can_appeal, appeal_status, decision_note
    and refusal): the appeal form, the appeal's state and note, or why not."""
    return rx.cond(
        banner.appeal_status != "",
        rx.vstack(
            rx.text(rx.match(banner.appeal_status, *STATUS_TEXT.items(), ""), weight="medium"),
            rx.cond(banner.decision_note != "",
                    rx.text("Moderator's note: ", banner.decision_note)),
            spacing="1",
        ),
        rx.cond(
            banner.can_appeal,
            _appeal_form(field_id, error, on_submit, *hidden),
            rx.cond(banner.refusal != "", rx.text(banner.refusal, size="2")),
        ),
    )  # fmt: skip


def removal_banner(
    banner: Any,
    *,
    field_id: str,
    error: Any,
    on_appeal: Any,
    title: str = "Removed by moderation",
    owner_note: str = OWNER_NOTE,
) -> rx.Component:
    """The banner for `banner` (a RemovalBannerView var); nothing when it is not shown.
    `title` names what was removed where the page is about something else (a review);
    `owner_note` tells the owner who still sees what (a removed profile stays public)."""
    return rx.cond(
        banner.shown,
        rx.el.section(
            rx.callout.root(
                rx.callout.icon(rx.icon("shield-alert")),
                rx.vstack(
                    rx.heading(title, as_="h2", size="4"),
                    rx.text("Reason: ", banner.reason),
                    rx.text(rx.cond(banner.owner_view, owner_note, MODERATOR_NOTE), size="2"),
                    rx.cond(banner.owner_view, removal_appeal(banner, field_id, error, on_appeal)),
                    align="stretch",
                    spacing="2",
                    width="100%",
                ),
                color_scheme="red",
                width="100%",
            ),
            aria_label=title,
            width="100%",
        ),
    )
