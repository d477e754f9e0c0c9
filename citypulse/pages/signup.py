"""`/signup` (G): registration with live checks and a five-rule strength meter (§2.1)."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.forms import (
    alert,
    field_error,
    form_card,
    notice,
    required_note,
    text_field,
)
from citypulse.components.layout import page_layout
from citypulse.pages.login import google_link
from citypulse.pages.registry import page
from citypulse.state.accounts.signup import STRENGTH_RULE_DESCRIPTIONS, SignupState


def strength_meter() -> rx.Component:
    """Meter plus the checklist of the five password rules."""
    return rx.vstack(
        rx.hstack(
            rx.progress(
                value=SignupState.strength_percent, max=100, aria_label="Password strength"
            ),
            rx.text(SignupState.strength_label, size="2", aria_live="polite", min_width="4rem"),
            width="100%",
            align="center",
        ),
        rx.unordered_list(
            *[
                rx.list_item(
                    rx.cond(SignupState.rules_met[index], "✓ ", "✗ "),
                    description,
                    color=rx.cond(
                        SignupState.rules_met[index], "var(--green-11)", "var(--gray-11)"
                    ),
                )
                for index, description in enumerate(STRENGTH_RULE_DESCRIPTIONS)
            ],
            font_size="var(--font-size-1)",
            aria_label="Password rules",
        ),
        spacing="1",
        width="100%",
    )


def terms_checkbox() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            # Uncontrolled: the box reacts at once; the server only learns the choice.
            rx.checkbox(
                id="signup-terms",
                on_change=SignupState.set_accepted_terms,
                aria_describedby="signup-terms-error",
            ),
            rx.el.label(
                "I accept the ",
                rx.link("Terms", href="/terms"),
                " and the ",
                rx.link("Privacy Policy", href="/privacy"),
                html_for="signup-terms",
                font_size="var(--font-size-2)",
            ),
            align="center",
            spacing="2",
        ),
        field_error(error_of("accepted_terms"), "signup-terms"),
        spacing="1",
    )


def error_of(field: str):
    """The current error text of one field ('' when none)."""
    return getattr(SignupState.errors, field)


def signup_form() -> rx.Component:
    return rx.vstack(
        required_note(),
        text_field("Username", "signup-username", error=error_of("username"),
                   hint="3–30 characters: lowercase letters, digits and _", mark_required=True,
                   on_change=SignupState.set_username.debounce(300), auto_complete="username"),
        text_field("Full name", "signup-full-name", error=error_of("full_name"),
                   mark_required=True, on_change=SignupState.set_full_name.debounce(300),
                   auto_complete="name"),
        text_field("Email", "signup-email", error=error_of("email"), type="email",
                   mark_required=True, on_change=SignupState.set_email.debounce(300),
                   auto_complete="email"),
        text_field("Password", "signup-password", error=error_of("password"), type="password",
                   mark_required=True, on_change=SignupState.set_password.debounce(300),
                   auto_complete="new-password"),
        strength_meter(),
        text_field("Confirm password", "signup-confirm", error=error_of("confirm_password"),
                   type="password", mark_required=True,
                   on_change=SignupState.set_confirm.debounce(300), auto_complete="new-password"),
        rx.cond(
            SignupState.confirm_matches,
            rx.text("✓ Passwords match", size="2", color="var(--green-11)", aria_live="polite"),
        ),
        terms_checkbox(),
        alert(SignupState.form_error),
        # data-submit: the first field the server refuses gets the focus (assets/).
        rx.button("Create account", on_click=SignupState.submit,
                  disabled=~SignupState.can_submit, size="3", width="100%",
                  custom_attrs={"data-submit": "true"}),
        spacing="4",
        align="stretch",
    )  # fmt: skip


def check_email() -> rx.Component:
    return rx.vstack(
        page_heading("Check your email", "We sent a verification link to " + SignupState.email),
        rx.text("Open the link within 24 hours to activate your account, then log in."),
        rx.button("Resend verification email", on_click=SignupState.resend, variant="soft"),
        notice(SignupState.resend_message, "blue"),
        rx.link("Go to log in", href="/login"),
        spacing="4",
        align="start",
    )


@page(route="/signup", title="Sign up", access="G")
def signup_page() -> rx.Component:
    """Registration; success shows "Check your email" with Resend."""
    return page_layout(
        rx.center(
            form_card(
                rx.cond(
                    SignupState.registered,
                    check_email(),
                    rx.vstack(
                        page_heading("Create your account", "Join travellers and locals."),
                        signup_form(),
                        google_link("Sign up with Google (accepts the Terms and Privacy Policy)"),
                        rx.text(
                            "Already have an account? ", rx.link("Log in", href="/login"), size="2"
                        ),
                        spacing="4",
                        align="stretch",
                    ),
                )
            )
        )
    )
