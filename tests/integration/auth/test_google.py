"""Google sign-in over real HTTP against the fake OIDC provider (PRODUCT.md §4.1.5, §5.3)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import jwt
import pytest

from citypulse.auth.google import (
    GoogleIdentity,
    GoogleSignInError,
    begin_sign_in,
    complete_sign_in,
)
from citypulse.auth.oauth_state import safe_next_path
from citypulse.settings import get_settings
from tests.support.fake_oidc import FakeOIDCProvider


def authorize(authorize_url: str, **extra: str) -> dict[str, str]:
    """Visit the provider like a browser and return the callback's query parameters."""
    if extra:
        authorize_url += "&" + urlencode(extra)
    response = httpx.get(authorize_url, follow_redirects=False, timeout=5)
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        "http://citypulse.test/auth/google/callback"
    )
    return dict(parse_qsl(location.query))


def sign_in(next_path: str = "/dashboard", **extra: str):
    """Run the whole flow; return (identity, next_path, query, cookie)."""
    authorize_url, cookie = begin_sign_in(next_path)
    query = authorize(authorize_url, **extra)
    identity, next_after = complete_sign_in(query, cookie)
    return identity, next_after, query, cookie


def cookie_claims(cookie: str) -> dict:
    payload = cookie.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_happy_path_returns_verified_identity_and_next(fake_oidc: FakeOIDCProvider) -> None:
    identity, next_path, _, _ = sign_in("/trips/42?tab=plan")

    assert identity == GoogleIdentity(
        sub="fake-google-sub-0001",
        email="traveller@example.com",
        email_verified=True,
        full_name="Tess Traveller",
    )
    assert next_path == "/trips/42?tab=plan"
    sent = fake_oidc.last_authorize_params
    assert sent["response_type"] == "code"
    assert sent["scope"] == "openid email profile"
    assert sent["prompt"] == "select_account"
    assert sent["code_challenge_method"] == "S256"
    assert sent["redirect_uri"] == "http://citypulse.test/auth/google/callback"
    assert len(sent["state"]) >= 22 and len(sent["nonce"]) >= 22  # >= 128 random bits


def test_identity_follows_login_hint_and_missing_name(fake_oidc: FakeOIDCProvider) -> None:
    fake_oidc.next_identity = {"sub": "g-77", "email": "Ana@Mail.test", "name": "  "}
    identity, _, _, _ = sign_in()
    assert (identity.sub, identity.email, identity.full_name) == ("g-77", "ana@mail.test", None)

    identity, _, _, _ = sign_in(login_hint="bo@mail.test")
    assert identity.email == "bo@mail.test"


def test_identity_posted_by_the_browser_is_ignored(fake_oidc: FakeOIDCProvider) -> None:
    authorize_url, cookie = begin_sign_in("/dashboard")
    query = authorize(authorize_url)
    forged = {**query, "email": "admin@citypulse.com", "sub": "victim", "email_verified": "true"}

    identity, _ = complete_sign_in(forged, cookie)

    assert (identity.sub, identity.email) == ("fake-google-sub-0001", "traveller@example.com")


def test_access_denied_is_refused(fake_oidc: FakeOIDCProvider) -> None:
    fake_oidc.deny_next = True
    authorize_url, cookie = begin_sign_in("/dashboard")
    query = authorize(authorize_url)
    assert query["error"] == "access_denied"

    with pytest.raises(GoogleSignInError, match="access_denied"):
        complete_sign_in(query, cookie)


def test_missing_code_is_refused(fake_oidc: FakeOIDCProvider) -> None:
    authorize_url, cookie = begin_sign_in("/dashboard")
    query = authorize(authorize_url)

    with pytest.raises(GoogleSignInError, match="code missing"):
        complete_sign_in({"state": query["state"]}, cookie)


def _forged_cookies(cookie: str) -> dict[str, str | None]:
    settings = get_settings()
    claims = cookie_claims(cookie)
    header, _, signature = cookie.split(".")
    changed = {**claims, "next": "https://evil.com"}
    body = base64.urlsafe_b64encode(json.dumps(changed).encode()).rstrip(b"=").decode()
    return {
        "missing": None,
        "empty": "",
        "garbage": "not-a-jwt",
        "payload edited": f"{header}.{body}.{signature}",
        "other secret": jwt.encode(claims, "x" * 48, algorithm="HS256"),
        "wrong typ": jwt.encode({**claims, "typ": "access"}, settings.jwt_secret),
        "unsigned": jwt.encode(claims, None, algorithm="none"),
    }


def test_bad_state_cookies_are_refused(fake_oidc: FakeOIDCProvider) -> None:
    authorize_url, cookie = begin_sign_in("/dashboard")
    query = authorize(authorize_url)

    for name, forged in _forged_cookies(cookie).items():
        with pytest.raises(GoogleSignInError, match="state cookie"):
            complete_sign_in(query, forged)
        assert fake_oidc.requests.get("/token") is None, name  # refused before any exchange


def test_expired_state_cookie_is_refused(fake_oidc: FakeOIDCProvider) -> None:
    eleven_minutes_ago = datetime.now(UTC) - timedelta(minutes=11)
    authorize_url, cookie = begin_sign_in("/dashboard", now=eleven_minutes_ago)
    query = authorize(authorize_url)

    with pytest.raises(GoogleSignInError, match="ExpiredSignatureError"):
        complete_sign_in(query, cookie)


def test_state_mismatch_is_refused(fake_oidc: FakeOIDCProvider) -> None:
    # An attacker's callback (their code and state) replayed into the victim's browser.
    attacker_url, _ = begin_sign_in("/dashboard")
    attacker_query = authorize(attacker_url)
    _, victim_cookie = begin_sign_in("/dashboard")

    with pytest.raises(GoogleSignInError, match="state mismatch"):
        complete_sign_in(attacker_query, victim_cookie)
    with pytest.raises(GoogleSignInError, match="state mismatch"):
        complete_sign_in({**attacker_query, "state": "ünïcode"}, victim_cookie)


def test_replayed_code_fails_at_the_provider(fake_oidc: FakeOIDCProvider) -> None:
    _, _, query, cookie = sign_in()

    with pytest.raises(GoogleSignInError, match="invalid_grant") as refused:
        complete_sign_in(query, cookie)

    assert fake_oidc.token_errors == ["invalid_grant"]
    assert query["code"] not in str(refused.value)


@pytest.mark.parametrize(
    ("misbehaviour", "reason"),
    [
        ({"sign_with_untrusted_key": True}, "InvalidSignatureError"),
        ({"audience_override": "someone-else.apps.fake"}, "InvalidAudienceError"),
        ({"nonce_override": "a-nonce-from-another-attempt"}, "nonce mismatch"),
        ({"issue_expired": True}, "ExpiredSignatureError"),
        ({"next_identity": {"email_verified": False}}, "not verified"),
        ({"next_identity": {"email_verified": "false"}}, "not verified"),
    ],
)
def test_untrustworthy_id_tokens_are_refused(
    fake_oidc: FakeOIDCProvider, misbehaviour: dict, reason: str
) -> None:
    for attribute, value in misbehaviour.items():
        setattr(fake_oidc, attribute, value)

    with pytest.raises(GoogleSignInError, match=reason) as refused:
        sign_in()

    assert "eyJ" not in str(refused.value)  # no token material in the message


def test_discovery_and_keys_are_cached_and_refetched_on_rotation(
    fake_oidc: FakeOIDCProvider,
) -> None:
    sign_in()
    sign_in()
    assert fake_oidc.requests["/.well-known/openid-configuration"] == 1
    assert fake_oidc.requests["/jwks"] == 1

    fake_oidc.rotate_key()
    identity, _, _, _ = sign_in()

    assert identity.sub == "fake-google-sub-0001"
    assert fake_oidc.requests["/jwks"] == 2


def test_unreachable_provider_or_missing_config_is_refused(
    fake_oidc: FakeOIDCProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = get_settings()
    monkeypatch.setattr(settings, "google_discovery_url", "http://127.0.0.1:9/nothing")
    with pytest.raises(GoogleSignInError, match="could not fetch"):
        begin_sign_in("/dashboard")

    monkeypatch.setattr(settings, "google_client_id", None)
    with pytest.raises(GoogleSignInError, match="not configured"):
        begin_sign_in("/dashboard")


@pytest.mark.parametrize(
    "unsafe",
    ["//evil.com", "https://evil.com", "/\\evil", "/\t/evil.com", "evil", "", "/a\r\nb"],
)
def test_unsafe_next_becomes_dashboard(fake_oidc: FakeOIDCProvider, unsafe: str) -> None:
    assert safe_next_path(unsafe) == "/dashboard"
    _, next_path, _, _ = sign_in(unsafe)
    assert next_path == "/dashboard"


def test_safe_next_is_kept() -> None:
    assert safe_next_path("/city/Lisbon?country=PT#top") == "/city/Lisbon?country=PT#top"
    assert safe_next_path(None) == "/dashboard"


def test_state_cookie_holds_only_signed_flow_values(fake_oidc: FakeOIDCProvider) -> None:
    authorize_url, cookie = begin_sign_in("/buddies")
    claims = cookie_claims(cookie)

    assert set(claims) == {"typ", "iss", "iat", "exp", "state", "nonce", "code_verifier", "next"}
    assert claims["typ"] == "oauth_state" and claims["exp"] - claims["iat"] == 600
    for secret in (fake_oidc.client_secret, get_settings().jwt_secret):
        assert secret not in cookie and secret not in authorize_url
    # The verifier stays server-side of the browser's JavaScript: only its hash is sent out.
    assert claims["code_verifier"] not in authorize_url
