"""The whole recommendation form: fields, photos, submit row and the live preview."""

from __future__ import annotations

import reflex as rx

from citypulse.components.buttons import link_button
from citypulse.components.forms import alert
from citypulse.components.recommendation.form_fields import (
    detail_fields,
    place_fields,
    sharing_fields,
)
from citypulse.components.recommendation.form_photos import photo_section
from citypulse.components.recommendation.form_preview import preview_panel

FORM_ID = "recommendation-form"


def recommendation_form(
    S,
    *,
    on_submit,
    submit_label: str,
    upload_id: str,
    cancel_href: str | rx.Var,
    photos_saved_at_once: bool = False,
) -> rx.Component:
    """The form (re-mounted whenever the state loads it) beside its live preview.

    The photo section sits outside the <form> so that no file or photo control is ever
    part of the submitted form data; the submit button names the form instead.
    """
    return rx.flex(
        rx.vstack(
            rx.box(
                rx.form(
                    rx.vstack(place_fields(S), detail_fields(S), sharing_fields(S),
                              spacing="7", align="stretch", width="100%"),
                    id=FORM_ID, on_submit=on_submit, reset_on_submit=False, width="100%",
                ),
                key=S.form_key.to(str), width="100%",
            ),
            photo_section(S, upload_id, saved_at_once=photos_saved_at_once),
            alert(S.form_error),
            rx.hstack(
                rx.button(submit_label, type="submit", size="3",
                          custom_attrs={"form": FORM_ID}),
                link_button("Cancel", cancel_href, variant="soft", size="3"),
                spacing="3",
            ),
            spacing="6", align="stretch", flex="1", min_width="0",
        ),
        preview_panel(S),
        direction=rx.breakpoints(initial="column", md="row"),
        gap="var(--space-6)", align="start", width="100%",
    )  # fmt: skip
