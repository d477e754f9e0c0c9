"""Odd ids and query values are "not found" or a field error, never a server error.

ARCHITECTURE.md security invariant 9 (issue 9 item 5): ids and query values from the
route or the client are parsed by one helper; anything that is not one is the 404 page
or a field error. Huge integers, 2^31, unicode digits, NUL, signs, empty and over-long
strings are sent to every registered page route, every HTTP route of `citypulse.api`,
Reflex's upload route, and every argument of every handler in the attack table; the
server must never answer 5xx, show Reflex's "An error occurred" toast or log an
unhandled handler error, and pages must finish loading.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Page as Browser
from playwright.sync_api import expect
from starlette.routing import Route

from citypulse.api.routes import build_api
from citypulse.pages.registry import NOT_FOUND_ROUTE, PAGES
from tests.security.support.attacks import ATTACKS
from tests.security.support.discovery import public_handlers
from tests.security.support.odd_values import ODD_TEXTS, OVER_LONG, odd_variants
from tests.security.support.server_log import ServerLog
from tests.security.support.steps import run_step
from tests.security.support.wire import CraftedTab, Page, server_error_in
from tests.security.support.world import World

QUERY_KEYS = ("id", "category", "country", "tab", "next", "token", "reset", "deactivated")
ROUTE_ARG = re.compile(r"\[([^\]]+)\]")
FORM_FIELDS = ("email", "password", "remember_me", "next", "token", "code", "state")


def page_paths(value: str) -> list[str]:
    """Every registered page with `value` in its route arguments and its query values."""
    quoted = quote(value, safe="")
    query = "&".join(f"{key}={quoted}" for key in QUERY_KEYS)
    paths = []
    for spec in PAGES:
        if spec.route == NOT_FOUND_ROUTE:
            continue
        path = ROUTE_ARG.sub(quoted or "x", spec.route)
        paths += [path, f"{path}?{query}"]
    return paths


def api_requests(value: str) -> list[tuple[str, str]]:
    """(method, path) for every CityPulse HTTP route with `value` in every parameter."""
    quoted = quote(value, safe="")
    requests = []
    for route in build_api().routes:
        assert isinstance(route, Route)
        path = route.path_format.format(**{name: quoted for name in route.param_convertors})
        query = "&".join(f"{key}={quoted}" for key in (*QUERY_KEYS, *FORM_FIELDS))
        requests += [(method, f"{path}?{query}") for method in sorted(route.methods or ())]
    return requests


@pytest.mark.parametrize("value", ODD_TEXTS)
def test_no_route_answers_a_server_error(value: str, backend_url: str) -> None:
    with httpx.Client(base_url=backend_url, headers={"Origin": backend_url}) as client:
        failures = [
            f"GET {path}: {status}"
            for path in page_paths(value)
            if (status := client.get(path).status_code) >= 500
        ]
        for method, path in api_requests(value):
            if method == "HEAD":
                continue
            form = {field: value for field in FORM_FIELDS} if method == "POST" else None
            cookie = {"Cookie": f"cp_refresh={quote(value, safe='')}"}
            response = client.request(method, path, data=form, headers=cookie)
            if response.status_code >= 500:
                failures.append(f"{method} {path[:80]}: {response.status_code}")
    assert not failures


@pytest.mark.parametrize("handler", ["SettingsState.load", "ProfileState.report_profile",
                                     "no_such_state.no_such_handler"])  # fmt: skip
def test_the_upload_route_refuses_a_handler_that_takes_no_files(
    handler: str, backend_url: str
) -> None:
    known = public_handlers()
    event = known[handler].event if handler in known else handler
    response = httpx.post(
        f"{backend_url}/_upload",
        headers={"reflex-client-token": "odd-token", "reflex-event-handler": event},
        files=[("files", ("a.jpg", b"not an image", "image/jpeg"))],
    )
    assert 400 <= response.status_code < 500


def test_no_handler_fails_on_odd_arguments(
    backend_url: str, world: World, app_log: ServerLog
) -> None:
    """Every attack, aimed at what the intruder may act on, with each odd value."""
    handlers, reachable = public_handlers(), world.within_reach()
    tab = CraftedTab(backend_url, world.intruder_cookie)
    failures: list[str] = []
    try:
        for key in sorted(set(ATTACKS) & set(handlers)):  # the coverage test names the rest
            for what, steps in odd_variants(ATTACKS[key](reachable)):
                mark = app_log.mark()
                frames = "\n".join(run_step(tab, handlers, step) for step in steps)
                problems = app_log.unhandled_errors(mark)
                if server_error_in(frames) or "HTTP 5" in frames:
                    problems.append("error toast or HTTP 5xx")
                failures += [f"{key} {what}: {problem}" for problem in problems]
        # Still the intruder at the end: the calls above really ran signed in.
        still = tab.call(handlers["SettingsState.load"].event, {}, Page("/settings"))
    finally:
        tab.close()
    assert not failures, "\n".join(failures)
    assert world.intruder_username in still


BROWSER_VALUES = ("99999999999999999999", "2147483648", "²", "a\x00b", OVER_LONG[:400])


NOT_FOUND = "404 — Page Not Found"
CITY_NOT_FOUND = "City not found"
PAGE = ""  # the page itself: any heading


def browser_paths(world: World, value: str) -> list[tuple[str, str]]:
    """(path, the heading it must show): pages whose loader parses a route or query value."""
    quoted, city = quote(value, safe=""), quote(world.city_name)
    return [
        (f"/recommendations/{quoted}", NOT_FOUND),
        (f"/recommendations/{quoted}/edit", NOT_FOUND),
        (f"/profile/{quoted}", NOT_FOUND),
        (f"/profile/{world.owner_username}?tab={quoted}", PAGE),
        (f"/city/{quoted}", CITY_NOT_FOUND),
        (f"/city/Toronto?category={quoted}", CITY_NOT_FOUND),
        (f"/city/{city}?category={quoted}", CITY_NOT_FOUND),
        (f"/city/{city}?country={quoted}", CITY_NOT_FOUND),
        (f"/login?next={quoted}", PAGE),
        (f"/verify-email?token={quoted}", PAGE),
    ]


@pytest.mark.parametrize("value", BROWSER_VALUES, ids=lambda v: repr(v)[:24])
def test_pages_show_not_found_or_the_page(
    value: str, page: Browser, backend_url: str, world: World, app_log: ServerLog
) -> None:
    """Signed in as the intruder (the edit page needs a viewer); each page settles."""
    name, token = world.intruder_cookie.split("=", 1)
    page.context.add_cookies([{"name": name, "value": token, "url": backend_url}])
    for path, heading in browser_paths(world, value):
        mark = app_log.mark()
        response = page.goto(path)
        assert response is not None and response.status < 500, path
        if response.status != 200:  # refused before any page (a NUL or over-long path)
            continue
        expect(page.get_by_role("heading", level=1, name=heading or None), path).to_be_visible()
        expect(page.get_by_label("Loading"), path).to_have_count(0)
        expect(page.get_by_text("Checking your session"), path).to_have_count(0)
        expect(page.get_by_text("An error occurred"), path).to_have_count(0)
        assert not app_log.unhandled_errors(mark), path
