"""Random tokens, their hashes and signed tokens (PRODUCT.md §5.3).

The clock is always passed in. NOW lies in the past because PyJWT itself refuses an
`iat` later than the wall clock.
"""

import hashlib
import re
import uuid
import warnings
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from jwt.warnings import InsecureKeyLengthWarning

from citypulse.auth.tokens import (
    AUDIENCE,
    AccessClaims,
    InvalidToken,
    hashes_match,
    issue_access_token,
    new_token,
    read_access_token,
    sign,
    token_hash,
    verify,
)
from citypulse.settings import get_settings

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
FAMILY = uuid.UUID("12345678-1234-5678-1234-567812345678")


def unverified_claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def forge(payload: dict, secret: str | None = None, algorithm: str = "HS256") -> str:
    with warnings.catch_warnings():  # HS512 with our (HS256-sized) secret warns
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        return jwt.encode(payload, secret or get_settings().jwt_secret, algorithm=algorithm)


def valid_payload(**overrides) -> dict:
    payload = {
        "sub": "7",
        "sid": str(FAMILY),
        "typ": "access",
        "iss": get_settings().jwt_issuer,
        "aud": AUDIENCE,
        "iat": int(NOW.timestamp()),
        "jti": "abc",
        "exp": int((NOW + timedelta(minutes=15)).timestamp()),
    }
    payload.update(overrides)
    return {key: value for key, value in payload.items() if value is not None}


# --- random tokens -------------------------------------------------------------------


def test_new_token_is_url_safe_with_256_bits() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # 32 bytes, base64url, no padding


def test_token_hash_is_the_sha256_hex_digest() -> None:
    token = new_token()
    digest = token_hash(token)
    assert digest == hashlib.sha256(token.encode()).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert token not in digest
    assert token_hash(token) == digest  # deterministic: the database can look it up


def test_hashes_match_only_the_same_token() -> None:
    token = new_token()
    assert hashes_match(token_hash(token), token)
    assert not hashes_match(token_hash(token), new_token())
    assert not hashes_match(token_hash(token), token.upper())


# --- sign / verify -------------------------------------------------------------------


def test_sign_and_verify_round_trip_with_standard_claims() -> None:
    token = sign("unsubscribe", {"uid": 3}, timedelta(hours=1), NOW)
    claims = verify("unsubscribe", token, NOW + timedelta(minutes=59))
    assert claims["uid"] == 3
    assert claims["typ"] == "unsubscribe"
    assert claims["iss"] == get_settings().jwt_issuer
    assert claims["aud"] == AUDIENCE
    assert claims["iat"] == int(NOW.timestamp())
    assert claims["exp"] == int((NOW + timedelta(hours=1)).timestamp())
    assert claims["jti"]


def test_each_signed_token_has_its_own_jti() -> None:
    first = verify("share", sign("share", {}, None, NOW), NOW)
    second = verify("share", sign("share", {}, None, NOW), NOW)
    assert first["jti"] != second["jti"]


def test_a_token_of_another_kind_is_refused() -> None:
    token = sign("oauth_state", {"nonce": "n"}, timedelta(minutes=10), NOW)
    with pytest.raises(InvalidToken, match="wrong token type"):
        verify("access", token, NOW)


def test_expiry_is_checked_against_the_given_clock() -> None:
    token = sign("share", {}, timedelta(minutes=10), NOW)
    assert verify("share", token, NOW + timedelta(minutes=9, seconds=59))
    with pytest.raises(InvalidToken, match="expired"):
        verify("share", token, NOW + timedelta(minutes=10))
    with pytest.raises(InvalidToken, match="expired"):
        verify("share", token, NOW + timedelta(days=1))


def test_allow_expired_skips_only_the_expiry() -> None:
    token = sign("share", {}, timedelta(minutes=10), NOW)
    later = NOW + timedelta(days=2)
    assert verify("share", token, later, allow_expired=True)["typ"] == "share"
    with pytest.raises(InvalidToken):
        verify("access", token, later, allow_expired=True)  # still the wrong kind
    with pytest.raises(InvalidToken):
        verify("share", token[:-2] + "xx", later, allow_expired=True)  # still forged


def test_lifetime_none_never_expires() -> None:
    token = sign("share", {"rid": 1}, None, NOW)
    assert "exp" not in unverified_claims(token)
    assert verify("share", token, NOW + timedelta(days=3650))["rid"] == 1


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not-a-jwt",
        "a.b.c",
        forge(valid_payload(), secret="another-secret-that-is-long-enough-0123456789"),
        forge(valid_payload(aud="someone-else")),
        forge(valid_payload(iss="evil")),
        forge(valid_payload(jti=None)),
        forge(valid_payload(iat=None)),
        forge(valid_payload(typ=None)),
        forge(valid_payload(), algorithm="HS512"),
    ],
    ids=[
        "empty",
        "garbage",
        "three-parts",
        "other-secret",
        "other-audience",
        "other-issuer",
        "no-jti",
        "no-iat",
        "no-typ",
        "hs512",
    ],
)
def test_malformed_or_forged_tokens_are_refused(token: str) -> None:
    with pytest.raises(InvalidToken):
        verify("access", token, NOW)


def test_unsigned_alg_none_token_is_refused() -> None:
    token = jwt.encode(valid_payload(), key=None, algorithm="none")
    with pytest.raises(InvalidToken):
        verify("access", token, NOW)


def test_a_tampered_payload_is_refused() -> None:
    header, _, signature = sign("access", {"sub": "7"}, timedelta(minutes=5), NOW).split(".")
    other_payload = forge(valid_payload(sub="8")).split(".")[1]
    with pytest.raises(InvalidToken):
        verify("access", f"{header}.{other_payload}.{signature}", NOW)


# --- access tokens -------------------------------------------------------------------


def test_access_token_carries_the_claims_of_section_5_3() -> None:
    token = issue_access_token(42, FAMILY, NOW)
    claims = unverified_claims(token)
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    assert set(claims) == {"sub", "sid", "typ", "iss", "aud", "iat", "jti", "exp"}
    assert claims["sub"] == "42"
    assert claims["typ"] == "access"
    assert claims["exp"] - claims["iat"] == 15 * 60


def test_read_access_token_returns_user_and_family() -> None:
    token = issue_access_token(42, FAMILY, NOW)
    assert read_access_token(token, NOW + timedelta(minutes=14)) == AccessClaims(42, FAMILY)


def test_access_token_expires_after_15_minutes() -> None:
    token = issue_access_token(42, FAMILY, NOW)
    with pytest.raises(InvalidToken):
        read_access_token(token, NOW + timedelta(minutes=15))


def test_live_connection_may_read_an_expired_access_token() -> None:
    token = issue_access_token(42, FAMILY, NOW)
    claims = read_access_token(token, NOW + timedelta(hours=5), allow_expired=True)
    assert claims == AccessClaims(42, FAMILY)


def test_a_refresh_token_is_never_an_access_token() -> None:
    with pytest.raises(InvalidToken):
        read_access_token(new_token(), NOW)


def test_a_signed_token_of_another_kind_is_never_an_access_token() -> None:
    token = sign("refresh", {"sub": "42", "sid": str(FAMILY)}, timedelta(minutes=15), NOW)
    with pytest.raises(InvalidToken, match="wrong token type"):
        read_access_token(token, NOW)


@pytest.mark.parametrize(
    "claims",
    [{"sid": str(FAMILY)}, {"sub": "x", "sid": str(FAMILY)}, {"sub": "1", "sid": "not-a-uuid"}],
    ids=["no-sub", "non-numeric-sub", "bad-sid"],
)
def test_access_token_with_malformed_claims_is_refused(claims: dict) -> None:
    token = sign("access", claims, timedelta(minutes=15), NOW)
    with pytest.raises(InvalidToken):
        read_access_token(token, NOW)
