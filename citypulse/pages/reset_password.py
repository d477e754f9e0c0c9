"""`/reset-password` (G): request a code, enter it, choose a new password."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.forms import alert, form_card, notice, text_field
from citypulse.components.layout import page_layout
from citypulse.pages.registry import page
from citypulse.state.accounts.reset_password import ResetPasswordState


def request_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text("Enter your account's email and we'll send you a 6-digit code."),
            text_field("Email", "reset-email", name="email", type="email", required=True,
                       default_value=ResetPasswordState.email, key=ResetPasswordState.email),
            rx.button("Send code", type="submit"),
            spacing="4",
            align="stretch",
        ),
        on_submit=ResetPasswordState.request_code,
    )  # fmt: skip


def request_again_button(**props) -> rx.Component:
    """Back to step 1 with the email filled in."""
    return rx.button("Request a new code", type="button", on_click=ResetPasswordState.start,
                     **props)  # fmt: skip


def code_form() -> rx.Component:
    """The code, with how many tries are left after a wrong one."""
    return rx.form(
        rx.vstack(
            text_field(
                "6-digit code",
                "reset-code",
                name="code",
                input_mode="numeric",
                auto_complete="one-time-code",
                max_length=6,
                required=True,
                error=ResetPasswordState.code_error,
            ),
            rx.button("Verify code", type="submit"),
            request_again_button(variant="ghost"),
            spacing="4",
            align="stretch",
        ),
        on_submit=ResetPasswordState.verify_code,
        reset_on_submit=True,
    )


def code_step() -> rx.Component:
    """Step 2; once the code is void, only a new one helps."""
    return rx.cond(
        ResetPasswordState.code_void,
        rx.vstack(
            alert(ResetPasswordState.code_error),
            request_again_button(),
            spacing="4",
            align="stretch",
        ),
        code_form(),
    )


def password_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            text_field("New password", "reset-password", name="password", type="password",
                       error=ResetPasswordState.password_error, auto_complete="new-password"),
            text_field("Confirm new password", "reset-confirm", name="confirm_password",
                       type="password", error=ResetPasswordState.confirm_error,
                       auto_complete="new-password"),
            rx.button("Set new password", type="submit"),
            spacing="4",
            align="stretch",
        ),
        on_submit=ResetPasswordState.set_password,
    )  # fmt: skip


@page(
    route="/reset-password",
    title="Reset your password",
    access="G",
    on_load=(ResetPasswordState.start,),
)
def reset_password_page() -> rx.Component:
    """Three steps on one page."""
    return page_layout(
        rx.center(
            form_card(
                page_heading("Reset your password"),
                notice(ResetPasswordState.message, "blue"),
                alert(ResetPasswordState.error),
                rx.match(
                    ResetPasswordState.step,
                    (2, code_step()),
                    (3, password_step()),
                    request_step(),
                ),
                rx.link("Back to log in", href="/login"),
            )
        )
    )
