"""Browser notifications and sound, only when switched on (§6.1: "Sound is off by
default. Browser notifications only with permission.").

Chromium's permission is granted (or refused) through the browser context; an init
script records every `new Notification(...)` the page makes, every chime it plays, and
lets the test put the tab in the background (`document.visibilityState`). The live
notifications come from the real `notify()` (tests/e2e/test_notifications.py's `give`).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.support.axe import blocking_violations
from tests.e2e.test_notifications import LIVE_MS, bell, give, member

pytestmark = [
    pytest.mark.journeys,
    pytest.mark.harness_only("creates members and notifications in the test database"),
]

# Records system notifications and chimes; `window.__hidden` puts the tab in the background.
RECORDER = """
(() => {
  window.__shown = [];
  window.__chimes = 0;
  window.__hidden = false;
  window.__asked = 0;
  Object.defineProperty(Document.prototype, "visibilityState", {
    configurable: true,
    get() { return window.__hidden ? "hidden" : "visible"; },
  });
  const Real = window.Notification;
  if (Real) {
    class Recorded extends Real {
      constructor(title, options) {
        super(title, options);
        window.__shown.push({ title, body: (options || {}).body || "" });
        window.__last = this;
      }
      static requestPermission() {
        window.__asked += 1;
        return window.__answer ? Promise.resolve(window.__answer) : Real.requestPermission();
      }
      static get permission() {
        return window.__answer ? "default" : Real.permission;
      }
    }
    window.Notification = Recorded;
  }
  const Audio = window.AudioContext;
  if (Audio) {
    const oscillator = Audio.prototype.createOscillator;
    Audio.prototype.createOscillator = function () {
      window.__chimes += 1;
      return oscillator.call(this);
    };
  }
})();
"""


def person(browser: Browser, base_url: str, username: str, *, granted: bool) -> Page:
    context: BrowserContext = browser.new_context(base_url=base_url)
    if granted:
        context.grant_permissions(["notifications"])
    context.add_init_script(RECORDER)
    return member(browser, base_url, username, context)[1]


def switches(page: Page):
    return (
        page.get_by_role("checkbox", name="Browser notifications"),
        page.get_by_role("checkbox", name="Sound"),
    )


def shown(page: Page) -> list[dict]:
    return page.evaluate("window.__shown")


def test_switched_on_with_permission_a_background_tab_shows_it_and_a_click_opens_its_link(
    browser: Browser, base_url: str
) -> None:
    page = person(browser, base_url, "bn_alice", granted=True)
    page.goto("/settings")
    browser_box, sound_box = switches(page)
    expect(browser_box).not_to_be_checked()  # off by default, and so is the sound
    expect(sound_box).not_to_be_checked()
    expect(
        page.get_by_role("status").filter(has_text="Browser notifications are off.")
    ).to_be_visible()
    assert blocking_violations(page, "section:has(#browser-notifications-toggle)") == []

    browser_box.check()
    expect(page.get_by_text(re.compile("^Browser notifications are on"))).to_be_visible()
    page.evaluate("window.__hidden = true")  # the user went to another tab
    give("bn_alice", 1, title="Porto trip starts", link="/achievements")

    expect(bell(page, 1)).to_be_visible(timeout=LIVE_MS)
    page.wait_for_function("window.__shown.length === 1", timeout=LIVE_MS)
    assert shown(page) == [
        {"title": "Porto trip starts 1", "body": "Porto trip starts 1 for bn_alice."}
    ]
    assert page.evaluate("window.__chimes") == 0  # sound stays off

    page.evaluate("window.__last.onclick()")
    expect(page).to_have_url(re.compile(r"/achievements/?$"))
    page.goto("/settings")  # the choice is this browser's: still on after a reload
    expect(switches(page)[0]).to_be_checked()


def test_nothing_is_shown_while_switched_off_or_in_front_and_sound_only_when_on(
    browser: Browser, base_url: str
) -> None:
    page = person(browser, base_url, "bn_bob", granted=True)
    page.goto("/settings")
    page.evaluate("window.__hidden = true")
    give("bn_bob", 1, title="Switched off")  # permission, background, but not switched on
    expect(bell(page, 1)).to_be_visible(timeout=LIVE_MS)

    browser_box, sound_box = switches(page)
    page.evaluate("window.__hidden = false")
    browser_box.check()
    sound_box.check()
    expect(page.get_by_text("Sound is on for new notifications.")).to_be_visible()
    give("bn_bob", 1, title="In front")  # switched on, but the tab is in front
    expect(bell(page, 2)).to_be_visible(timeout=LIVE_MS)
    page.wait_for_function("window.__chimes >= 1", timeout=LIVE_MS)
    assert shown(page) == []


def test_without_the_browsers_permission_it_stays_off(browser: Browser, base_url: str) -> None:
    page = person(browser, base_url, "bn_carol", granted=False)
    page.goto("/settings")
    page.evaluate("window.__answer = 'denied'")  # the person refuses the browser's prompt
    browser_box, _ = switches(page)
    browser_box.click()  # ticks it; it unticks itself once the browser answers

    expect(page.get_by_text(re.compile("blocks notifications from CityPulse"))).to_be_visible()
    expect(browser_box).not_to_be_checked()
    assert page.evaluate("window.__asked") == 1
    page.evaluate("window.__hidden = true")
    give("bn_carol", 1, title="No permission")
    expect(bell(page, 1)).to_be_visible(timeout=LIVE_MS)
    assert shown(page) == []
