"""The "Report" dialog used for recommendations and profiles (§4.13.1)."""

from collections.abc import Sequence

import reflex as rx
from reflex.vars import Var


def report_dialog(
    title: str,
    reasons: Sequence[str],
    on_submit,
    error: Var[str],
    message: Var[str],
    field_prefix: str,
) -> rx.Component:
    """A labelled reason select and description; the reasons come from the service."""
    reason_id, description_id = f"{field_prefix}-reason", f"{field_prefix}-description"
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.button(rx.icon("flag"), "Report", variant="ghost", color_scheme="red")
        ),
        rx.dialog.content(
            rx.dialog.title(title),
            rx.form(
                rx.vstack(
                    rx.el.label("Reason", html_for=reason_id),
                    rx.el.select(
                        *[rx.el.option(r.capitalize(), value=r) for r in reasons],
                        id=reason_id,
                        name="reason",
                    ),
                    rx.el.label("Description (required for Other)", html_for=description_id),
                    rx.text_area(id=description_id, name="description", max_length=1000),
                    rx.cond(error != "", rx.text(error, color_scheme="red", role="alert")),
                    rx.cond(message != "", rx.text(message, role="status")),
                    rx.hstack(
                        rx.dialog.close(rx.button("Close", variant="soft", type="button")),
                        rx.button("Send report", type="submit", color_scheme="red"),
                    ),
                    align="stretch",
                ),
                on_submit=on_submit,
            ),
        ),
    )
