"""Unsubscribe tokens: signed per user and category, permanent, refused when tampered."""

import jwt
import pytest

from citypulse.email.unsubscribe import (
    InvalidUnsubscribeToken,
    read_unsubscribe_token,
    unsubscribe_token,
    unsubscribe_url,
)
from citypulse.settings import get_settings
from tests.support.fake_sendgrid import extract_link


def forge(claims: dict, secret: str | None = None) -> str:
    settings = get_settings()
    base = {"sub": "7", "cat": "trips", "typ": "unsubscribe", "iss": settings.jwt_issuer}
    return jwt.encode({**base, **claims}, secret or settings.jwt_secret, algorithm="HS256")


def test_round_trip() -> None:
    token = unsubscribe_token(42, "weekly_digest")

    assert read_unsubscribe_token(token) == (42, "weekly_digest")
    assert unsubscribe_token(42, "weekly_digest") == token  # stable: one link per user+category


def test_a_tampered_token_is_refused() -> None:
    token = unsubscribe_token(42, "marketing")
    header, payload, signature = token.split(".")
    other_payload = unsubscribe_token(43, "marketing").split(".")[1]

    with pytest.raises(InvalidUnsubscribeToken):
        read_unsubscribe_token(f"{header}.{other_payload}.{signature}")
    flipped = signature[:10] + ("B" if signature[10] == "A" else "A") + signature[11:]
    with pytest.raises(InvalidUnsubscribeToken):
        read_unsubscribe_token(f"{header}.{payload}.{flipped}")
    with pytest.raises(InvalidUnsubscribeToken):
        read_unsubscribe_token("not-a-token")


def test_a_token_signed_with_another_secret_is_refused() -> None:
    with pytest.raises(InvalidUnsubscribeToken):
        read_unsubscribe_token(forge({}, secret="another-secret-that-is-long-enough-123456"))


def test_another_token_type_is_refused() -> None:
    with pytest.raises(InvalidUnsubscribeToken, match="type"):
        read_unsubscribe_token(forge({"typ": "access"}))


def test_transactional_categories_cannot_be_unsubscribed() -> None:
    with pytest.raises(InvalidUnsubscribeToken):
        unsubscribe_token(7, "verification")
    with pytest.raises(InvalidUnsubscribeToken):
        read_unsubscribe_token(forge({"cat": "moderation"}))


def test_unsubscribe_url_is_absolute_and_carries_the_token() -> None:
    url = unsubscribe_url(9, "trips")
    link = extract_link({"text": url, "subject": "-"}, "/email/unsubscribe?token=")

    assert link.startswith(get_settings().public_url.rstrip("/") + "/email/unsubscribe?token=")
    assert read_unsubscribe_token(link.split("token=", 1)[1]) == (9, "trips")
