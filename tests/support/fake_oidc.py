"""A fake OpenID Connect provider on 127.0.0.1 that issues real RS256-signed ID tokens.

It lets tests run the real Google sign-in code over real HTTP: discovery, JWKS,
an auto-consenting `/authorize` and a strict `/token` (client credentials, single-use
codes, redirect URI and PKCE S256 are all checked). Attributes switch on misbehaviour
(untrusted key, wrong audience or nonce, expired token, denial) to test the refusals.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

DEFAULT_IDENTITY = {
    "sub": "fake-google-sub-0001",
    "email": "Traveller@Example.com",
    "email_verified": True,
    "name": "Tess Traveller",
}


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class FakeOIDCProvider:
    """An in-process OIDC provider; use `start()`/`stop()` or the `fake_oidc` fixture."""

    def __init__(self, client_id: str, client_secret: str, redirect_uri: str) -> None:
        self.client_id, self.client_secret, self.redirect_uri = (
            client_id,
            client_secret,
            redirect_uri,
        )
        self.key, self.kid = _new_key(), "fake-key-1"
        self.untrusted_key = _new_key()  # never published: tokens signed with it must fail
        # Misbehaviour switches for tests.
        self.next_identity: dict[str, Any] | None = None  # one-shot identity override
        self.deny_next = False  # next /authorize redirects with error=access_denied
        self.sign_with_untrusted_key = False
        self.audience_override: str | None = None
        self.nonce_override: str | None = None
        self.issue_expired = False
        # Observations for assertions.
        self.requests: dict[str, int] = {}
        self.last_authorize_params: dict[str, str] = {}
        self.token_errors: list[str] = []
        self._codes: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "provider not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def discovery_url(self) -> str:
        return self.base_url + "/.well-known/openid-configuration"

    def start(self) -> FakeOIDCProvider:
        """Listen on a free loopback port in a daemon thread."""
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.provider = self  # type: ignore[attr-defined]
        # A short poll interval keeps shutdown() (and so each test teardown) fast.
        thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def rotate_key(self) -> None:
        """Publish a new signing key under a new kid (the old one is withdrawn)."""
        self.key, self.kid = _new_key(), f"fake-key-{secrets.token_hex(4)}"

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.base_url,
            "authorization_endpoint": self.base_url + "/authorize",
            "token_endpoint": self.base_url + "/token",
            "jwks_uri": self.base_url + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        }

    def jwks(self) -> dict[str, Any]:
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def authorize(self, params: dict[str, str]) -> tuple[int, str]:
        """Return (status, redirect location or error text) for an authorization request."""
        self.last_authorize_params = params
        if params.get("client_id") != self.client_id:
            return 400, "unknown client_id"
        redirect_uri = params.get("redirect_uri")
        if redirect_uri != self.redirect_uri:
            return 400, "redirect_uri not registered"  # never redirect to an unknown URI
        reply: dict[str, str] = {"state": params.get("state", "")}
        identity = self._identity_for(params.get("login_hint"))
        if self.deny_next:
            self.deny_next = False
            reply["error"] = "access_denied"
        elif (
            params.get("response_type") != "code"
            or "openid" not in params.get("scope", "").split()
            or params.get("code_challenge_method") != "S256"
            or not params.get("code_challenge")
        ):
            reply["error"] = "invalid_request"
        else:
            code = secrets.token_urlsafe(24)
            with self._lock:
                self._codes[code] = {
                    "identity": identity,
                    "nonce": params.get("nonce"),
                    "challenge": params["code_challenge"],
                    "redirect_uri": redirect_uri,
                }
            reply = {"code": code, **reply}
        return 302, f"{redirect_uri}?{urlencode(reply)}"

    def token(self, form: dict[str, str], authorization: str | None) -> tuple[int, dict]:
        """Return (status, JSON body) for a token request."""
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization[6:]).decode()
            client_id, _, secret = decoded.partition(":")
        if client_id != self.client_id or secret != self.client_secret:
            return self._token_error(401, "invalid_client")
        if form.get("grant_type") != "authorization_code":
            return self._token_error(400, "unsupported_grant_type")
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # single use
        if grant is None:
            return self._token_error(400, "invalid_grant")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self._token_error(400, "invalid_grant")
        if _s256(form.get("code_verifier", "")) != grant["challenge"]:
            return self._token_error(400, "invalid_grant")
        return 200, {
            "access_token": secrets.token_urlsafe(32),
            "token_type": "Bearer",
            "expires_in": 3599,
            "scope": "openid email profile",
            "id_token": self._id_token(grant["identity"], grant["nonce"]),
        }

    def _token_error(self, status: int, error: str) -> tuple[int, dict]:
        self.token_errors.append(error)
        return status, {"error": error}

    def _identity_for(self, login_hint: str | None) -> dict[str, Any]:
        if self.next_identity is not None:
            identity, self.next_identity = self.next_identity, None
            return {**DEFAULT_IDENTITY, **identity}
        if login_hint:
            sub = "fake-" + hashlib.sha256(login_hint.lower().encode()).hexdigest()[:20]
            name = login_hint.split("@")[0]
            return {"sub": sub, "email": login_hint, "email_verified": True, "name": name}
        return dict(DEFAULT_IDENTITY)

    def _id_token(self, identity: dict[str, Any], nonce: str | None) -> str:
        now = int(time.time())
        issued = now - 7200 if self.issue_expired else now
        claims = {
            "iss": self.base_url,
            "aud": self.audience_override or self.client_id,
            "azp": self.client_id,
            "iat": issued,
            "exp": issued + 3600,
            "nonce": self.nonce_override or nonce,
            **identity,
        }
        key = self.untrusted_key if self.sign_with_untrusted_key else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def _count(self, path: str) -> FakeOIDCProvider:
        provider: FakeOIDCProvider = self.server.provider
        provider.requests[path] = provider.requests.get(path, 0) + 1
        return provider

    def _send(self, status: int, body: Any = None, location: str | None = None) -> None:
        payload = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        provider = self._count(url.path)
        if url.path == "/.well-known/openid-configuration":
            self._send(200, provider.discovery())
        elif url.path == "/jwks":
            self._send(200, provider.jwks())
        elif url.path == "/authorize":
            status, result = provider.authorize(dict(parse_qsl(url.query)))
            if status == 302:
                self._send(302, location=result)
            else:
                self._send(status, {"error": result})
        else:
            self._send(404, {"error": "not_found"})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        provider = self._count(url.path)
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(self.rfile.read(length).decode()))
        if url.path == "/token":
            self._send(*provider.token(form, self.headers.get("Authorization")))
        else:
            self._send(404, {"error": "not_found"})


@pytest.fixture
def fake_oidc(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOIDCProvider]:
    """A running fake provider with the settings pointed at it (restored afterwards)."""
    from citypulse.auth import google
    from citypulse.settings import get_settings

    public_url = "http://citypulse.test"
    provider = FakeOIDCProvider(
        client_id="citypulse-test-client.apps.fake",
        client_secret=secrets.token_urlsafe(24),
        redirect_uri=public_url + google.CALLBACK_PATH,
    ).start()
    # get_settings() is lru_cached: patch the cached instance, not the environment.
    settings = get_settings()
    monkeypatch.setattr(settings, "google_client_id", provider.client_id)
    monkeypatch.setattr(settings, "google_client_secret", provider.client_secret)
    monkeypatch.setattr(settings, "google_discovery_url", provider.discovery_url)
    monkeypatch.setattr(settings, "public_url", public_url)
    google.clear_caches()
    try:
        yield provider
    finally:
        provider.stop()
        google.clear_caches()
