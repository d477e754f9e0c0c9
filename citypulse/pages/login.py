"""`/login` (G): email, password, remember me; the form posts straight to /auth/login."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.forms import (
    alert,
    checkbox_field,
    form_card,
    notice,
    required_note,
    text_field,
)
from citypulse.components.layout import page_layout
from citypulse.components.native_form import native_form
from citypulse.pages.registry import page
from citypulse.state.accounts.google_sign_in import GoogleSignInState
from citypulse.state.accounts.login import LoginState


def google_link(label: str) -> rx.Component:
    """Start Google sign-in, keeping `next`; absent when Google is not configured.

    A plain GET form: the client-side router would swallow a link to a server route.
    """
    form = native_form(
        rx.el.input(type="hidden", name="next", value=LoginState.next_path),
        rx.button(
            rx.icon("log-in", aria_hidden="true"),
            label,
            type="submit",
            variant="outline",
            width="100%",
        ),
        method="get",
        action="/auth/google/start",
    )
    return rx.cond(GoogleSignInState.enabled, form)


def resend_block() -> rx.Component:
    return rx.cond(
        LoginState.reason == "unverified",
        rx.vstack(
            rx.button(
                "Resend verification email",
                on_click=LoginState.resend_verification,
                variant="soft",
            ),
            notice(LoginState.resend_message, "blue"),
            align="start",
        ),
    )


def login_form() -> rx.Component:
    return native_form(
        rx.vstack(
            rx.el.input(type="hidden", name="next", value=LoginState.next_path),
            required_note(),
            text_field(
                "Email",
                "login-email",
                name="email",
                type="email",
                auto_complete="email",
                required=True,
                default_value=LoginState.email,
                key=LoginState.email,  # re-mount so the typed email comes back after a refusal
            ),
            text_field(
                "Password",
                "login-password",
                name="password",
                type="password",
                auto_complete="current-password",
                required=True,
            ),
            checkbox_field("Remember me", "login-remember", name="remember_me", value="on"),
            rx.button("Log in", type="submit", size="3", width="100%"),
            spacing="4",
            align="stretch",
        ),
        method="post",
        action="/auth/login",
    )


@page(route="/login", title="Log in", access="G", on_load=(LoginState.load,))
def login_page() -> rx.Component:
    """The sign-in form with its refusals shown inline (§4.1)."""
    return page_layout(
        rx.center(
            form_card(
                page_heading("Log in", "Welcome back to CityPulse."),
                notice(LoginState.notice),
                alert(LoginState.error),
                resend_block(),
                login_form(),
                rx.link("Forgot your password?", href="/reset-password"),
                google_link("Sign in with Google"),
                rx.text(
                    "New to CityPulse? ",
                    rx.link("Sign up", href="/signup"),
                    size="2",
                ),
            )
        )
    )
