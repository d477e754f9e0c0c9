"""Email builders: absolute links, escaped user values, the right facts and categories."""

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from citypulse.email import messages as m
from citypulse.email.layout import absolute_url
from citypulse.settings import get_settings

PUBLIC_URL = "https://citypulse.test"
EVIL = '<script>alert("x")</script>'
UNSUBSCRIBE = f"{PUBLIC_URL}/email/unsubscribe?token=abc.def"
DUE = datetime(2030, 3, 14, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def public_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PUBLIC_URL", PUBLIC_URL + "/")  # a trailing slash must not double up
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


BUILDERS: dict[str, Callable[[str], m.EmailMessage]] = {
    "verification": lambda name: m.verification_email("a@x.test", name, "tok"),
    "reset_code": lambda name: m.reset_code_email("a@x.test", name, "123456"),
    "password_changed": lambda name: m.password_changed_email("a@x.test", name),
    "deactivated": lambda name: m.account_deactivated_email("a@x.test", name, DUE),
    "purge_reminder": lambda name: m.purge_reminder_email("a@x.test", name, DUE),
    "deleted": lambda name: m.account_deleted_email("a@x.test", name),
    "reactivated": lambda name: m.account_reactivated_email("a@x.test", name),
    "moderation": lambda name: m.moderation_notice_email(
        "a@x.test", name, "Warning issued", "Please be kind.", "/settings"
    ),
    "preference": lambda name: m.preference_email(
        "a@x.test", name, "trips", "Trip invite", ["Bo invited you."], "/trips/3", UNSUBSCRIBE
    ),
}


def links(message: m.EmailMessage) -> list[str]:
    return re.findall(r'href="([^"]+)"', message.html) + re.findall(r"https?://\S+", message.text)


@pytest.mark.parametrize("builder", BUILDERS.values(), ids=BUILDERS.keys())
def test_user_names_are_escaped_in_html(builder: Callable[[str], m.EmailMessage]) -> None:
    message = builder(EVIL)

    assert "<script>" not in message.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in message.html
    assert f"Hi {EVIL}," in message.text  # plain text is not HTML: shown as typed


@pytest.mark.parametrize("builder", BUILDERS.values(), ids=BUILDERS.keys())
def test_every_message_has_both_bodies_and_only_absolute_links(
    builder: Callable[[str], m.EmailMessage],
) -> None:
    message = builder("Ana")

    assert message.to == "a@x.test"
    assert message.subject and "\n" not in message.subject
    assert message.html.startswith("<!DOCTYPE html>") and "Hi Ana," in message.text
    assert all(link.startswith(PUBLIC_URL + "/") for link in links(message))
    assert "//" not in "".join(link.removeprefix("https://") for link in links(message))


def test_categories() -> None:
    categories = {key: build("Ana").category for key, build in BUILDERS.items()}
    assert categories == {
        "verification": "verification",
        "reset_code": "reset_code",
        "password_changed": "password_changed",
        "deactivated": "account",
        "purge_reminder": "account",
        "deleted": "account",
        "reactivated": "account",
        "moderation": "moderation",
        "preference": "trips",
    }


def test_verification_links_to_verify_email_with_the_token_for_24_hours() -> None:
    message = m.verification_email("a@x.test", "Ana", "a+b/c=")

    assert f"{PUBLIC_URL}/verify-email?token=a%2Bb%2Fc%3D" in message.text
    assert f'href="{PUBLIC_URL}/verify-email?token=a%2Bb%2Fc%3D"' in message.html
    assert "24 hours" in message.text


def test_reset_code_shows_the_code_its_lifetime_and_to_ignore_it_if_unrequested() -> None:
    message = m.reset_code_email("a@x.test", "Ana", "004219")

    assert "004219" in message.text and "004219" in message.html
    assert "15 minutes" in message.text
    assert "ignore this email" in message.text


@pytest.mark.parametrize("code", ["12345", "1234567", "12a456", ""])
def test_reset_code_must_be_six_digits(code: str) -> None:
    with pytest.raises(ValueError, match="6 digits"):
        m.reset_code_email("a@x.test", "Ana", code)


def test_deactivation_and_reminder_state_the_deadline_in_utc() -> None:
    naive_utc = datetime(2030, 3, 14, 9, 30)
    for message in (
        m.account_deactivated_email("a@x.test", "Ana", DUE),
        m.purge_reminder_email("a@x.test", "Ana", naive_utc),
    ):
        assert "14 March 2030 at 09:30 UTC" in message.text
    assert "7 days" in m.purge_reminder_email("a@x.test", "Ana", DUE).subject


def test_moderation_notice_escapes_title_and_message_and_links_the_path() -> None:
    message = m.moderation_notice_email("a@x.test", "Ana", "<b>Banned</b>", EVIL, "/settings")

    assert "<b>" not in message.html and "<script>" not in message.html
    assert "&lt;b&gt;Banned&lt;/b&gt;" in message.html
    assert f"{PUBLIC_URL}/settings" in message.text
    assert message.subject == "CityPulse: <b>Banned</b>"


def test_preference_email_carries_unsubscribe_and_settings_links() -> None:
    message = BUILDERS["preference"]("Ana")

    assert f"{UNSUBSCRIBE}" in message.text
    assert 'href="https://citypulse.test/email/unsubscribe?token=abc.def"' in message.html
    assert f"{PUBLIC_URL}/settings" in message.text
    assert f"{PUBLIC_URL}/trips/3" in message.text
    assert "Bo invited you." in message.text


def test_preference_email_refuses_transactional_categories_and_relative_unsubscribe() -> None:
    with pytest.raises(ValueError, match="preference category"):
        m.preference_email("a@x.test", "Ana", "moderation", "S", ["x"], None, UNSUBSCRIBE)
    with pytest.raises(ValueError, match="absolute"):
        m.preference_email("a@x.test", "Ana", "trips", "S", ["x"], None, "/email/unsubscribe")


@pytest.mark.parametrize("path", ["https://evil.test/x", "//evil.test/x", "settings", ""])
def test_links_must_be_site_relative(path: str) -> None:
    with pytest.raises(ValueError, match="site-relative"):
        absolute_url(path)


def test_subjects_are_single_line_and_bounded() -> None:
    message = m.moderation_notice_email("a@x.test", "Ana", "Line\r\nBcc: x@y" + "z" * 400, "")

    assert "\n" not in message.subject and "\r" not in message.subject
    assert len(message.subject) <= m.SUBJECT_MAX_LENGTH


def test_all_preference_and_transactional_categories_are_known() -> None:
    assert set(m.PREFERENCE_CATEGORIES) == {
        "buddy_requests",
        "recommendations",
        "trips",
        "achievements",
        "weekly_digest",
        "marketing",
    }
    assert set(m.TRANSACTIONAL_CATEGORIES) == {
        "verification",
        "reset_code",
        "password_changed",
        "account",
        "moderation",
    }
