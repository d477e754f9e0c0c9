"""Prerendered pages paint before the global stylesheet arrives (issue 15 item 11).

`/`, `/login`, ... carry inline the part of the app's stylesheet their own markup uses
(citypulse/critical_css.py, after every export); the ~700 KB stylesheet itself loads
without holding the first paint and is switched on by assets/page-shell.js. The first
paint is the page as it will look: nothing moves when the whole stylesheet applies.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.e2e.support.axe import blocking_violations
from tests.e2e.test_page_titles import a_public_place_with_photo

STYLESHEETS = re.compile(r".*/assets/[^/]+\.css(\?.*)?$")
SCRIPTS = re.compile(r".*\.js(\?.*)?$")
STYLESHEET_LINK = 'head link[rel="stylesheet"]'
PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
# Where the first screen's parts sit and how its text looks.
LAYOUT = """() => ["header", "header a", "main h1", "main h1 + *", "footer"].map(s => {
  const e = document.querySelector(s);
  if (!e) return null;
  const r = e.getBoundingClientRect(), c = getComputedStyle(e);
  return [s, Math.round(r.x), Math.round(r.y), Math.round(r.width), Math.round(r.height),
          c.fontSize, c.fontWeight, c.color, c.display];
})"""


def _painted(page: Page) -> None:
    page.wait_for_function(
        "() => performance.getEntriesByName('first-contentful-paint').length > 0"
    )


def test_the_landing_page_paints_while_the_stylesheet_is_held(
    browser: Browser, base_url: str
) -> None:
    held: list[Route] = []
    context = browser.new_context(base_url=base_url, viewport=LAPTOP)
    context.route(STYLESHEETS, lambda route: held.append(route))
    page = context.new_page()
    page.goto("/", wait_until="commit")
    _painted(page)
    assert held, "the stylesheet was requested"
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("style[data-cp-critical]")).to_have_count(1)
    expect(page.locator(STYLESHEET_LINK)).to_have_attribute("media", "print")
    for route in held:
        route.continue_()
    expect(page.locator(STYLESHEET_LINK)).to_have_attribute("media", "all")
    expect(page.locator("html")).to_have_attribute("data-cp-styled", "")
    context.close()


def test_nothing_moves_when_the_whole_stylesheet_applies(browser: Browser, base_url: str) -> None:
    """With scripts held back the page stays as first painted (inline CSS alone); then
    the whole stylesheet is switched on by hand: the first screen is unchanged."""
    for viewport in (LAPTOP, PHONE):
        context = browser.new_context(base_url=base_url, viewport=viewport)
        context.route(SCRIPTS, lambda route: route.abort())
        page = context.new_page()
        for path in ("/", "/login"):
            page.goto(path)
            expect(page.locator("main h1")).to_be_visible()
            first_paint = page.evaluate(LAYOUT)
            page.evaluate(
                "() => Promise.all([...document.querySelectorAll('link[data-cp-deferred-css]')]"
                ".map(l => l.sheet ? null : new Promise(r => l.addEventListener('load', r))))"
            )
            page.eval_on_selector_all(
                "link[data-cp-deferred-css]", "links => links.forEach(l => { l.media = 'all'; })"
            )
            assert page.evaluate(LAYOUT) == first_paint, (path, viewport)
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_axe_finds_no_serious_problem_on_the_first_visited_pages(
    browser: Browser, base_url: str, viewport: dict
) -> None:
    rid, *_ = a_public_place_with_photo()
    context = browser.new_context(base_url=base_url, viewport=viewport)
    page = context.new_page()
    for path in ("/", "/city/toronto", f"/recommendations/{rid}"):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("data-cp-styled", "")
        expect(page.locator("main h1")).to_be_visible()
        expect(page.locator("#cp-shell")).to_have_count(0)
        assert blocking_violations(page) == [], path
    # The first paint itself, before any script (the inline CSS alone).
    context.route(SCRIPTS, lambda route: route.abort())
    page.goto("/")
    expect(page.locator("main h1")).to_be_visible()
    assert blocking_violations(page) == []
    context.close()
