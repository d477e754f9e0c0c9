"""Smoke journey: landing page, static navigation, theme, 404 and health (PRODUCT.md §7.36)."""

import re

import httpx
import pytest
from playwright.sync_api import Page, WebSocket, expect

pytestmark = pytest.mark.smoke


def test_landing_about_and_back(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("link", name="Sign up").first).to_be_visible()

    page.get_by_role("contentinfo").get_by_role("link", name="About").click()
    expect(page).to_have_url(re.compile(r"/about/?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("About CityPulse")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name=re.compile("Discover cities"))).to_be_visible()


def test_dark_mode_survives_reload(page: Page) -> None:
    page.goto("/")
    page.get_by_role("combobox", name="Theme").click()
    page.get_by_role("option", name="Dark").click()
    html = page.locator("html")
    expect(html).to_have_class(re.compile(r"\bdark\b"))

    page.reload()
    expect(html).to_have_class(re.compile(r"\bdark\b"))

    page.get_by_role("combobox", name="Theme").click()
    page.get_by_role("option", name="Light").click()
    expect(html).not_to_have_class(re.compile(r"\bdark\b"))


def test_unknown_url_shows_404_and_go_home(page: Page) -> None:
    page.goto("/no-such-page")
    expect(page.get_by_role("heading", level=1)).to_have_text("404 — Page Not Found")
    page.get_by_role("link", name="Go Home").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_skip_link_moves_focus_to_main(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))


def test_health_reports_database(backend_url: str) -> None:
    response = httpx.get(f"{backend_url}/health", timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["status"] == "ok"


def test_live_connection_round_trips(page: Page) -> None:
    """The page opens its WebSocket to the backend and receives the hydrate delta."""
    frames: list[str] = []

    def record(socket: WebSocket) -> None:
        if "/_event" in socket.url:
            socket.on("framereceived", lambda payload: frames.append(str(payload)))

    # Listening from the socket's creation: a fast site answers before goto() returns.
    page.on("websocket", record)
    with page.expect_websocket(lambda ws: "/_event" in ws.url) as socket_info:
        page.goto("/")
    # A socket.io event frame carrying a state delta proves the backend answered an event.
    if not any("delta" in frame for frame in frames):
        socket_info.value.wait_for_event(
            "framereceived", predicate=lambda payload: "delta" in str(payload), timeout=15_000
        )
    assert any(frame.startswith("42") and "delta" in frame for frame in frames)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
