"""Google buttons follow the server's configuration, read when a tab hydrates (issue 15 item 5)."""

import pytest
import reflex as rx

from citypulse.settings import get_settings
from citypulse.state.accounts.google_sign_in import GoogleSignInState


def enabled_for_a_new_tab() -> bool:
    root = rx.State(_reflex_internal_init=True)
    return root.get_substate(GoogleSignInState.get_full_name().split(".")[1:]).enabled


@pytest.mark.parametrize(
    ("client_id", "secret", "enabled"),
    [
        (None, None, False),
        ("", "", False),
        ("citypulse.apps.example", None, False),  # a half-configured client cannot sign in
        ("citypulse.apps.example", "a-client-secret", True),
    ],
)
def test_buttons_show_only_when_google_is_configured(
    monkeypatch: pytest.MonkeyPatch, client_id, secret, enabled: bool
) -> None:
    monkeypatch.setattr(get_settings(), "google_client_id", client_id)
    monkeypatch.setattr(get_settings(), "google_client_secret", secret)

    assert enabled_for_a_new_tab() is enabled


def test_the_exported_page_starts_without_the_buttons(monkeypatch: pytest.MonkeyPatch) -> None:
    """The state baked into the export never offers Google; hydration brings the real value."""
    monkeypatch.setattr(get_settings(), "google_client_id", "citypulse.apps.example")
    monkeypatch.setattr(get_settings(), "google_client_secret", "a-client-secret")

    initial = rx.State(_reflex_internal_init=True).dict(initial=True)

    assert initial[GoogleSignInState.get_full_name()]["enabled_rx_state_"] is False
