"""Production on loopback: Chromium -> nginx (TLS, production template) -> prestart + 2
backend workers sharing Redis -> PostgreSQL (issue 5, item 5).

The tests share one running stack and are ordered: the rate-limit bursts come last so
they cannot starve the others of their request budget.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil
import pytest
import redis
from playwright.sync_api import Page, expect

from tests.deploy.stack import BACKEND_WORKERS, Stack, production_stack

pytestmark = pytest.mark.prod_loopback

SECURITY_HEADERS = {
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "geolocation=(self), camera=(), microphone=()",
}
# Reports every CSP violation to the console, where the test collects it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) =>
  console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with production_stack(tmp_path_factory.mktemp("prod-loopback")) as running:
        yield running


@pytest.fixture
def client(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(verify=stack.site.tls_context(), timeout=60) as http:
        yield http


def wait_in_browser(page: Page, condition, what: str, timeout_ms: int = 60_000) -> None:
    """Poll while letting Playwright deliver events (a plain sleep would not)."""
    for _ in range(timeout_ms // 250):
        if condition():
            return
        page.wait_for_timeout(250)
    pytest.fail(f"timed out waiting for {what}")


def assert_security_headers(response: httpx.Response, stack: Stack) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, f"{name} on {response.url}"
    directives = response.headers["content-security-policy"].split(";")
    csp = {name: value for name, _, value in (d.strip().partition(" ") for d in directives)}
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'sha256-" in csp["script-src"]
    assert f"wss://127.0.0.1:{stack.site.https_port}" in csp["connect-src"]
    assert csp["frame-ancestors"] == "'none'"
    assert response.headers["server"] == "nginx"  # server_tokens off: no version


def test_landing_page_and_websocket_round_trip(page: Page, stack: Stack) -> None:
    sockets: list[str] = []
    sent: list[str] = []
    received: list[str] = []
    errors: list[str] = []

    def on_websocket(ws) -> None:
        sockets.append(ws.url)
        ws.on("framesent", lambda payload: sent.append(str(payload)))
        ws.on("framereceived", lambda payload: received.append(str(payload)))

    page.on("websocket", on_websocket)
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(REPORT_CSP_VIOLATIONS)

    page.goto(f"{stack.origin}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # The page hydrates over /_event: an event goes up, a worker answers with a delta.
    wait_in_browser(page, lambda: any('"delta"' in frame for frame in received), "a delta")
    assert sockets[0].startswith(f"wss://127.0.0.1:{stack.site.https_port}/_event")
    assert any("hydrate" in frame for frame in sent)
    # nginx forwarded the scheme on the WebSocket handshake too; the client's address
    # stays on the server (PRODUCT.md §5.4: never sent to the browser).
    handshake = next(frame for frame in received if "raw_headers" in frame)
    assert '"x-forwarded-proto":"https"' in handshake
    assert "x-real-ip" not in handshake and "x-forwarded-for" not in handshake

    # Client-side event chains still run under the CSP (theme switch).
    page.get_by_role("combobox", name="Theme").click()
    page.get_by_role("option", name="Dark").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    assert errors == [], f"console errors / CSP violations: {errors}"

    # The tab's state lives in the Redis that both workers share.
    token = page.evaluate("window.sessionStorage.getItem('token')")
    assert token
    assert redis.Redis.from_url(stack.redis_url).keys(f"{token}*")
    workers = psutil.Process(stack.backend.pid).children()
    assert len(workers) == BACKEND_WORKERS, [w.cmdline() for w in workers]


def test_health_through_nginx(client: httpx.Client, stack: Stack) -> None:
    response = client.get(f"{stack.origin}/health")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"], body["redis"]) == ("ok", "ok", "ok")
    assert_security_headers(response, stack)
    # The backend came up the way the image starts it: wait, migrate, then serve.
    log = stack.backend_log.read_text()
    assert "prestart: database ready" in log and "prestart: migrations applied" in log


def test_security_headers_and_caching(client: httpx.Client, stack: Stack) -> None:
    page = client.get(f"{stack.origin}/", headers={"accept-encoding": "gzip"})
    assert page.status_code == 200
    assert_security_headers(page, stack)
    assert page.headers["cache-control"] == "no-cache"
    asset = re.search(r'/assets/[^"]+\.js', page.text)
    assert asset, "no hashed asset referenced by the landing page"
    cached = client.get(f"{stack.origin}{asset.group(0)}", headers={"accept-encoding": "gzip"})
    assert cached.status_code == 200
    assert cached.headers["cache-control"] == "max-age=31536000"
    assert cached.headers["content-encoding"] == "gzip"
    assert_security_headers(cached, stack)


def test_http_redirects_to_https(stack: Stack) -> None:
    response = httpx.get(f"{stack.site.http_origin}/about?ref=loopback", timeout=30)
    assert response.status_code == 301
    assert response.headers["location"] == f"{stack.origin}/about?ref=loopback"


def test_acme_challenge_is_served_over_http(stack: Stack) -> None:
    challenge = stack.site.acme_root / ".well-known" / "acme-challenge"
    challenge.mkdir(parents=True, exist_ok=True)
    (challenge / "loopback-token").write_text("loopback-token.key")
    url = f"{stack.site.http_origin}/.well-known/acme-challenge/loopback-token"
    response = httpx.get(url, timeout=30)
    assert (response.status_code, response.text) == (200, "loopback-token.key")


def test_access_log_holds_no_tokens(stack: Stack) -> None:
    log = Path(stack.site.access_log).read_text()
    assert "GET / " in log  # the browser's visit was logged ...
    assert "/_event" not in log  # ... but not its live connection (token in the URL)
    assert "?" not in log and "ref=loopback" not in log  # query strings never logged


def test_oversized_upload_gets_413(client: httpx.Client, stack: Stack) -> None:
    files = {"files": ("big.jpg", b"\0" * (13 * 1024 * 1024), "image/jpeg")}
    response = client.post(f"{stack.origin}/_upload", files=files)
    assert response.status_code == 413
    assert_security_headers(response, stack)  # `always` covers error responses
    small = {"files": ("small.jpg", b"\0" * (1024 * 1024), "image/jpeg")}
    assert client.post(f"{stack.origin}/_upload", files=small).status_code != 413


def burst(client: httpx.Client, url: str, count: int) -> list[int]:
    """`count` concurrent GETs; returns their status codes."""
    with ThreadPoolExecutor(max_workers=20) as pool:
        return list(pool.map(lambda _: client.get(url).status_code, range(count)))


def test_auth_routes_have_a_stricter_limit(client: httpx.Client, stack: Stack) -> None:
    # 2 r/s with a burst of 10: thirty at once cannot all pass.
    statuses = burst(client, f"{stack.origin}/auth/loopback-probe", 30)
    assert 429 in statuses, statuses


def test_burst_beyond_the_app_limit_gets_429(client: httpx.Client, stack: Stack) -> None:
    # 10 r/s with a burst of 20: 40 at once exceed it. Retried a few rounds only so a
    # very slow machine (requests spread over seconds) cannot make the test flaky.
    seen: list[int] = []
    for _ in range(5):
        seen += burst(client, f"{stack.origin}/ping", 40)
        if 429 in seen:
            break
    assert 429 in seen and 200 in seen, seen
