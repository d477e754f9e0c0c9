"""Images at the size they are shown (issue 15 item 11): list cards load the 400×300
thumbnail lazily with its size known up front; the detail page's photo is fetched
first, a phone gets the thumbnail through srcset and a desktop's 800 px slot the 800-wide
copy, never the 1600-wide photo."""

import re

from playwright.sync_api import Browser, expect

from citypulse.media.storage import medium_key
from tests.e2e.test_page_titles import a_public_place_with_photo


def test_city_cards_use_lazy_thumbnails_with_their_size(browser: Browser, base_url: str) -> None:
    page = browser.new_context(base_url=base_url).new_page()
    page.goto("/city/toronto")
    cards = page.locator("main img")
    expect(cards.first).to_be_visible()
    for image in cards.all():
        expect(image).to_have_attribute("loading", "lazy")
        expect(image).to_have_attribute("width", "400")
        expect(image).to_have_attribute("height", "300")
    widths = page.evaluate(
        "() => Array.from(document.querySelectorAll('main img'))"
        ".filter(i => i.complete && i.naturalWidth).map(i => i.naturalWidth)"
    )
    assert widths and max(widths) <= 400  # thumbnails, never the full photo


def test_the_detail_photo_comes_first_and_small_on_a_phone(browser: Browser, base_url: str) -> None:
    rid, _, _, image_key = a_public_place_with_photo()
    medium = medium_key(image_key)
    phone, desktop = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
    for viewport, widest in ((phone, 400), (desktop, 800)):
        page = browser.new_context(base_url=base_url, viewport=viewport).new_page()
        page.goto(f"/recommendations/{rid}")
        photo = page.get_by_role("region", name="Photos").locator("img").first
        expect(photo).to_have_attribute("fetchpriority", "high")
        expect(photo).to_have_attribute(
            "srcset", re.compile(rf" 400w, /_upload/{medium} 800w, /_upload/{image_key} \d+w$")
        )
        expect(photo).to_have_attribute("width", re.compile(r"^[1-9]\d*$"))
        expect(photo).to_have_attribute("height", re.compile(r"^[1-9]\d*$"))
        page.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
        )
        source = photo.evaluate("img => img.currentSrc")
        assert not source.endswith(f"/_upload/{image_key}"), source  # never the original
        if widest == 800:
            assert source.endswith(f"/_upload/{medium}"), source
        assert photo.evaluate("img => img.naturalWidth") <= widest
        page.context.close()


def test_the_shell_paints_before_the_app_runs(browser: Browser, base_url: str) -> None:
    """First paint does not wait for the scripts or the live connection (issue 15 item
    11): with every script held back, the data pages still paint their shell."""
    rid, *_ = a_public_place_with_photo()
    context = browser.new_context(base_url=base_url)
    context.route(re.compile(r".*\.js(\?.*)?$"), lambda route: route.abort())
    page = context.new_page()
    for path in (f"/recommendations/{rid}", "/city/toronto"):
        page.goto(path)
        page.wait_for_function(
            "() => performance.getEntriesByName('first-contentful-paint').length > 0",
            timeout=5000,
        )
        expect(page.locator("#cp-shell")).to_be_visible()
    context.close()
    # With the app running, the shell gives way to the page (one <main>, no skeleton).
    page = browser.new_context(base_url=base_url).new_page()
    page.goto(f"/recommendations/{rid}")
    expect(page.get_by_role("main")).to_be_visible()
    expect(page.locator("#cp-shell")).to_be_hidden()
    page.context.close()
