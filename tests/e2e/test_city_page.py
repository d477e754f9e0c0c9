"""`/city/[name]`: real seed content, visibility and the unknown-city page (§2.2)."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.journeys, pytest.mark.demo_data]


def test_city_page_lists_visible_places_only(page: Page) -> None:
    page.goto("/city/toronto")
    expect(page.get_by_role("heading", name="Toronto", level=1)).to_be_visible()
    expect(page.get_by_text("Ontario, Canada", exact=True)).to_be_visible()
    expect(page.get_by_text("Recommendations", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Pai Northern Thai Kitchen").first).to_be_visible()
    expect(page.get_by_text("My secret dumpling spot")).to_have_count(0)  # private

    page.get_by_role("navigation", name="Categories").get_by_role("link", name="Nature (1)").click()
    expect(page.get_by_role("heading", name="Toronto Island Park").first).to_be_visible()
    expect(page.get_by_role("heading", name="Pai Northern Thai Kitchen")).to_have_count(0)

    page.get_by_role("heading", name="Toronto Island Park").first.click()
    expect(page.get_by_role("heading", name="Toronto Island Park", level=1)).to_be_visible()


def test_unknown_city(page: Page) -> None:
    page.goto("/city/atlantis")
    expect(page.get_by_role("heading", name="City not found", level=1)).to_be_visible()
