"""`/verify-email?token=` (P): "Verifying your email…", then verified or failed."""

import reflex as rx

from citypulse.components.buttons import link_button
from citypulse.components.content import page_heading
from citypulse.components.forms import form_card, notice, text_field
from citypulse.components.layout import page_layout
from citypulse.pages.registry import page
from citypulse.state.accounts.verify_email import VerifyEmailState


def failed() -> rx.Component:
    return rx.vstack(
        page_heading("Verification failed", "The link is missing, invalid, expired or used."),
        text_field(
            "Email",
            "verify-resend-email",
            type="email",
            on_change=VerifyEmailState.set_resend_email.debounce(300),
        ),
        rx.button("Send a new link", on_click=VerifyEmailState.resend),
        notice(VerifyEmailState.resend_message, "blue"),
        spacing="4",
        align="stretch",
    )


@page(route="/verify-email", title="Verify your email", on_load=(VerifyEmailState.verify,))
def verify_email_page() -> rx.Component:
    """The outcome of opening a verification link."""
    return page_layout(
        rx.center(
            form_card(
                rx.match(
                    VerifyEmailState.status,
                    (
                        "verified",
                        rx.vstack(
                            page_heading("Email verified!", "Your account is ready."),
                            link_button("Continue to login", "/login"),
                            spacing="4",
                            align="start",
                        ),
                    ),
                    ("failed", failed()),
                    page_heading("Verifying your email…"),
                )
            )
        )
    )
