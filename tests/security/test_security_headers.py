"""Security headers without Nginx (issue 9 item 7): the app itself sends them.

`make run` serves pages and routes straight from the backend, so every response must
carry the CSP (with `frame-ancestors`), X-Frame-Options, Referrer-Policy, nosniff and
Permissions-Policy, from the same definition the Nginx config is rendered from
(`citypulse/api/security_headers.py`). Chromium then proves the exported pages still
work under that CSP: no violation while a person browses, signs in and opens a place.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from citypulse.api.security_headers import script_hashes_of
from citypulse.api.security_middleware import exported_pages
from citypulse.db import session_scope
from citypulse.models import Category, User
from citypulse.settings import get_settings
from tests.deploy.support import load_renderer
from tests.e2e.support.people import log_in_as
from tests.support.factories import create_recommendation

PAGES = ["/", "/login", "/signup", "/about", "/reset-password", "/city/toronto", "/nowhere"]
ROUTES = [
    ("GET", "/health"),
    ("GET", "/ping"),
    ("GET", "/_health"),
    ("GET", "/auth/login"),  # 405: errors carry them too
    ("POST", "/auth/refresh"),  # 403 without a same-site Origin
    ("GET", "/_upload/0123456789abcdef0123456789abcdef.jpg"),  # 404
    ("GET", "/exports/1/download"),
]
FIXED = {
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


def policy(response: httpx.Response) -> dict[str, list[str]]:
    """The response's CSP as directive -> sources."""
    value = response.headers.get("content-security-policy", "")
    assert value, f"no Content-Security-Policy on {response.request.url}"
    directives = (part.strip().split() for part in value.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def assert_protected(response: httpx.Response, origin: str) -> None:
    where = f"{response.request.method} {response.request.url.path} ({response.status_code})"
    for name, value in FIXED.items():
        assert response.headers.get(name) == value, f"{name} on {where}"
    assert response.headers.get_list("x-content-type-options") == ["nosniff"], where
    assert "strict-transport-security" not in response.headers, f"HSTS over http: {where}"
    csp = policy(response)
    assert csp["frame-ancestors"] == ["'none'"], where
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"], where
    assert "'unsafe-inline'" not in csp["script-src"], where
    assert "ws://" + origin.removeprefix("http://") in csp["connect-src"], where
    # Forms post to the site, or go on to Google's sign-in (configured in this run).
    assert csp["form-action"] == ["'self'", google_origin()], where


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_the_headers_and_allows_exactly_its_scripts(
    backend_url: str, path: str
) -> None:
    response = httpx.get(f"{backend_url}{path}", timeout=30, follow_redirects=True)
    assert response.headers["content-type"].startswith("text/html")
    for hop in [*response.history, response]:  # e.g. /login -> /login/ redirects too
        assert_protected(hop, backend_url)
    page_hashes = script_hashes_of(response.text)
    assert page_hashes, "the exported page has inline scripts the CSP must allow"
    assert page_hashes <= set(policy(response)["script-src"]), f"{path}: scripts not allowed"


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_route_carries_the_headers(backend_url: str, method: str, path: str) -> None:
    response = httpx.request(method, f"{backend_url}{path}", timeout=30)
    assert_protected(response, backend_url)


def test_the_app_and_nginx_send_the_same_headers(backend_url: str, tmp_path: Path) -> None:
    """One definition: nginx's rendered add_header lines equal what the app sends."""
    values = {name: "x" for name in ("NGINX_USER", "NGINX_PID", "NGINX_ERROR_LOG")}
    values |= {name: "x" for name in ("NGINX_ACCESS_LOG", "NGINX_TEMP_DIR", "SERVER_NAME")}
    values |= {"HTTP_PORT": "80", "HTTPS_PORT": "443", "PUBLIC_ORIGIN": "https://h"}
    values |= {"TLS_CERTIFICATE": "c", "TLS_CERTIFICATE_KEY": "k", "ACME_WEBROOT": "a"}
    values |= {"STATIC_ROOT": str(exported_pages()), "BACKEND_UPSTREAM": "b:1"}
    values |= {"PUBLIC_HOST": backend_url.removeprefix("http://")}
    values |= {"GOOGLE_SIGN_IN_ORIGIN": google_origin()}  # the fake Google of this run
    config = load_renderer().render_file(tmp_path / "nginx.conf", values).read_text()
    nginx = {
        name.lower(): value
        for name, value in re.findall(r'add_header (\S+) "([^"]*)" always;', config)
    }
    app = httpx.get(f"{backend_url}/", timeout=30).headers
    assert nginx.pop("strict-transport-security")  # nginx terminates TLS; the app is http
    for name, value in nginx.items():
        if name == "content-security-policy":  # only the WebSocket scheme differs
            value = value.replace("wss://", "ws://")
        assert app[name] == value, name


def google_origin() -> str:
    parts = urlsplit(get_settings().google_discovery_url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def violations(page: Page) -> list[str]:
    """Console errors, page errors and CSP violations of the page, as they happen."""
    found: list[str] = []
    page.on("console", lambda msg: found.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: found.append(str(error)))
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    return found


def test_pages_still_work_under_the_policy_in_chromium(page: Page, violations: list[str]) -> None:
    with session_scope() as session:
        author = session.exec(select(User).where(User.username == "bob")).one()
        category = session.exec(select(Category).where(Category.name == "Restaurant")).one()
        place = create_recommendation(
            session,
            author=author,
            category=category,
            title="Headers test bakery",
            description="Menu in two scripts: \u202eesrever ni txet\u202c and bread.",
        ).id

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("combobox", name="Theme").click()  # handler-returned scripts run
    page.get_by_role("option", name="Dark").click()
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))

    log_in_as(page, "carol")  # the form posts, the live connection answers
    page.goto(f"/recommendations/{place}")
    expect(page.get_by_role("heading", name="Headers test bakery")).to_be_visible()
    description = page.get_by_text("Menu in two scripts")
    expect(description).to_have_css("unicode-bidi", "isolate")  # free text cannot reorder

    assert violations == [], f"console errors / CSP violations: {violations}"
