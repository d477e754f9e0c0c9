"""Accessibility basics on every public page (PRODUCT.md §2 WCAG notes).

One h1, a title, alt text on every image and an accessible name on every control.
"""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.smoke

PUBLIC_PAGES = [
    "/", "/about", "/features", "/terms", "/privacy", "/login", "/signup",
    "/reset-password", "/city/toronto", "/no-such-page",
]  # fmt: skip

# Controls without a name: no label element, no aria-label(ledby), no text, no title.
UNNAMED_CONTROLS = """
() => Array.from(document.querySelectorAll(
    'button, a[href], input:not([type=hidden]), select, textarea, [role=combobox]'
)).filter(el => {
    const labelled = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
        || el.getAttribute('title') || (el.labels && el.labels.length > 0);
    const text = (el.innerText || el.value || '').trim();
    const named = labelled || (['BUTTON', 'A'].includes(el.tagName) && text);
    // Radix keeps a hidden native <select> for forms: hidden from assistive tech.
    return !named && el.offsetParent !== null && !el.closest('[aria-hidden=true]');
}).map(el => el.outerHTML.slice(0, 120))
"""
IMAGES_WITHOUT_ALT = (
    "() => Array.from(document.images).filter(i => !i.hasAttribute('alt'))"
    ".map(i => i.outerHTML.slice(0, 120))"
)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_page_basics(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert page.title().endswith("CityPulse")
    assert page.evaluate(UNNAMED_CONTROLS) == []
    assert page.evaluate(IMAGES_WITHOUT_ALT) == []
