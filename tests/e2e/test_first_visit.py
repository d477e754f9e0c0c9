"""A first visit paints the page before the app runs, and fetches little (issue 15 item 11).

The shared pages' first HTML (citypulse/api/page_meta.py) already shows the page as a
visitor sees it: a place's title and its first photo, a city's name and its first row of
cards. That photo is the page's largest contentful paint, so it no longer waits for the
scripts and the live connection. The app, mounted but still waiting for its data, stays
hidden behind it and takes over in one step once it has rendered the page's heading.
"""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Browser, Route, WebSocketRoute, expect

from citypulse.media.storage import medium_key
from tests.e2e.test_page_titles import a_public_place_with_photo

SCRIPTS = re.compile(r".*\.js(\?.*)?$")
IMMUTABLE = "public, max-age=31536000, immutable"
# The URL of the first photo to become the page's largest contentful paint (the promise
# waits until a photo's entry is emitted, a frame or so after it has loaded).
LCP_PHOTO = """() => new Promise(resolve => new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (entry.url.includes("/_upload/")) resolve(entry.url);
}).observe({ type: "largest-contentful-paint", buffered: true }))"""
ALL_LOADED = "images => images.length > 0 && images.every(i => i.complete && i.naturalWidth > 0)"


def test_static_files_come_gzipped_and_hashed_assets_are_kept_for_good(base_url: str) -> None:
    home = httpx.get(base_url + "/", headers={"Accept-Encoding": "gzip"})
    assert home.status_code == 200 and home.headers["content-encoding"] == "gzip"
    assert home.headers["cache-control"] == "no-cache"  # a page: asked for on every visit
    assets = set(re.findall(r"/assets/[\w.-]+\.(?:js|css)", home.text))
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    for path in sorted(assets):
        answer = httpx.get(base_url + path, headers={"Accept-Encoding": "gzip"})
        assert answer.status_code == 200, path
        assert answer.headers.get("content-encoding") == "gzip", path
        assert answer.headers["cache-control"] == IMMUTABLE, path
    for path in ("/city/toronto", f"/recommendations/{a_public_place_with_photo()[0]}"):
        shell = httpx.get(base_url + path, headers={"Accept-Encoding": "gzip"})
        assert shell.status_code == 200 and shell.headers["content-encoding"] == "gzip", path
        assert shell.headers["cache-control"] == "no-cache", path


def test_a_place_paints_its_title_and_photo_before_the_app_runs(
    browser: Browser, base_url: str
) -> None:
    rid, title, city, image_key = a_public_place_with_photo()
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    context.route(SCRIPTS, lambda route: route.abort())  # no app at all
    page = context.new_page()
    page.goto(f"/recommendations/{rid}")
    shell = page.locator("#cp-shell")
    expect(shell.locator(".head")).to_have_text(title)
    expect(shell.locator(".sub")).to_contain_text(city)
    hero = shell.locator("img.hero")
    # Its shape is known before it arrives, and the 800 px slot gets the 800-wide copy.
    expect(hero).to_have_attribute("width", re.compile(r"^[1-9]\d*$"))
    expect(hero).to_have_attribute("height", re.compile(r"^[1-9]\d*$"))
    page.wait_for_function(ALL_LOADED, arg=hero.element_handles())
    assert page.evaluate(LCP_PHOTO).endswith(f"/_upload/{medium_key(image_key)}")
    context.close()


def test_a_city_paints_its_first_cards_before_the_app_runs(browser: Browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    context.route(SCRIPTS, lambda route: route.abort())
    page = context.new_page()
    page.goto("/city/toronto")
    shell = page.locator("#cp-shell")
    expect(shell.locator(".head")).to_have_text("Toronto")
    photos = shell.locator(".card img")
    expect(photos).to_have_count(3)  # the first row
    # Other journeys add newer Toronto places without photos: their card is a grey box.
    with_photo = shell.locator(".card img[src]")
    expect(with_photo.first).to_be_attached()
    preload = page.locator('head link[rel="preload"][as="image"]')
    first_photo = photos.first.get_attribute("src")
    if first_photo:  # the first card's photo is on its way with the page itself
        expect(preload).to_have_attribute("href", first_photo)
    else:
        expect(preload).to_have_count(0)
    with_photo.last.scroll_into_view_if_needed()  # card photos load lazily
    page.wait_for_function(ALL_LOADED, arg=with_photo.element_handles())
    assert "/_upload/" in page.evaluate(LCP_PHOTO)
    context.close()


def test_the_app_takes_over_from_the_first_paint_in_one_step(
    browser: Browser, base_url: str
) -> None:
    rid, title, *_ = a_public_place_with_photo()
    # The app runs but its live connection never answers: the first paint stays, and the
    # app (a spinner so far) stays hidden behind it instead of showing both at once.
    held: list[WebSocketRoute] = []
    waiting = browser.new_context(base_url=base_url).new_page()
    waiting.route_web_socket(re.compile(r"/_event"), lambda ws: held.append(ws))
    waiting.goto(f"/recommendations/{rid}")
    expect(waiting.locator("#cp-shell .head")).to_have_text(title)
    expect(waiting.locator("main")).to_be_attached()  # the app has mounted
    assert held, "the app opened its live connection"
    expect(waiting.locator("#cp-shell")).to_be_visible()
    expect(waiting.locator("main")).to_be_hidden()
    waiting.context.close()
    # Answered, the page's heading arrives and the first paint is gone from the DOM.
    page = browser.new_context(base_url=base_url).new_page()
    page.goto(f"/recommendations/{rid}")
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.locator("#cp-shell")).to_have_count(0)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("head title")).to_have_count(1)
    page.context.close()


def test_the_global_stylesheet_does_not_hold_the_first_paint(
    browser: Browser, base_url: str
) -> None:
    """The shell paints with its own <style>; the app's ~700 KB stylesheet loads beside it
    and the app shows only once it applies, never unstyled."""
    rid, title, *_ = a_public_place_with_photo()
    held: list[Route] = []
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    context.route(re.compile(r".*/assets/[^/]+\.css(\?.*)?$"), lambda route: held.append(route))
    page = context.new_page()
    page.goto(f"/recommendations/{rid}", wait_until="commit")
    page.wait_for_function(
        "() => performance.getEntriesByName('first-contentful-paint').length > 0"
    )
    expect(page.locator("#cp-shell .head")).to_have_text(title)
    expect(page.locator("main h1")).to_have_text(title)  # the app has its page, unstyled
    assert held, "the stylesheet was requested"
    expect(page.locator("#cp-shell")).to_be_visible()
    expect(page.locator("main")).to_be_hidden()
    for route in held:
        route.continue_()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.locator("#cp-shell")).to_have_count(0)
    expect(page.locator('head link[rel="stylesheet"]')).to_have_attribute("media", "all")
    context.close()


def test_the_apps_browser_scripts_come_as_one_file_with_the_page(
    browser: Browser, base_url: str
) -> None:
    """citypulse/head_script.py: one deferred script in the prerendered head, not seven
    requests after the app has mounted."""
    home = httpx.get(base_url + "/")
    tags = re.findall(r'<script[^>]*src="/citypulse\.js\?v=\w+"[^>]*>', home.text)
    assert len(tags) == 1 and re.search(r"\sdefer\b", tags[0]), tags
    address = re.search(r'src="([^"]+)"', tags[0]).group(1)
    rid, *_ = a_public_place_with_photo()
    for path in ("/", f"/recommendations/{rid}"):
        ours = _own_scripts_fetched(browser, base_url, path)
        assert ours == [address], ours


def _own_scripts_fetched(browser: Browser, base_url: str, path: str) -> list[str]:
    """The app's own scripts (not Vite's /assets/) a first visit of `path` fetched."""
    page = browser.new_context(base_url=base_url).new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(path)
    expect(page.locator("main h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    # It ran: e.g. the notification hook is in place.
    assert page.evaluate("() => typeof window.citypulseAlerts.notify") == "function"
    page.context.close()
    return [
        url.removeprefix(base_url)
        for url in fetched
        if re.search(r"/[\w-]+\.js(\?|$)", url) and "/assets/" not in url
    ]
