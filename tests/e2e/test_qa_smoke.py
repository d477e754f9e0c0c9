"""Smoke journeys QA runs after every deployment, production included (issue 16).

Read-only apart from the sign-in itself: a QA account signs in and out, searches when the
site has search, and opens a recommendation page. Against a deployment the account is
from its QA pool (`cli qa-accounts`), and the recommendation is QA_RECOMMENDATION_PATH
(e.g. /recommendations/42) or, on a site with the demo seed, the first place in Toronto.
"""

import os
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import target
from tests.e2e.support.people import create_member, log_in_as

pytestmark = pytest.mark.smoke


def test_a_qa_account_signs_in_and_out(page: Page) -> None:
    log_in_as(page, "smoke_member", email=create_member("smoke_member"))
    expect(page.get_by_role("heading", name=re.compile("Welcome, "), level=1)).to_be_visible()

    page.get_by_role("button", name="Account menu").click()
    page.get_by_role("menuitem", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login"))


def test_a_signed_in_search(page: Page) -> None:
    log_in_as(page, "smoke_searcher", email=create_member("smoke_searcher"))
    page.goto("/search?q=coffee")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_count(1)
    if heading.inner_text() == "404 — Page Not Found":
        pytest.skip("this deployment has no search yet (/search is not found)")
    expect(heading).to_have_text("Search")
    expect(page.get_by_label("Search text")).to_have_value("coffee")


def test_a_recommendation_page_opens(page: Page) -> None:
    path = os.environ.get("QA_RECOMMENDATION_PATH", "")
    if path:
        page.goto(path)
    elif not target.is_external() or target.current().demo_data:
        page.goto("/city/toronto")
        page.get_by_role("link").filter(has=page.get_by_role("heading", level=3)).first.click()
        expect(page).to_have_url(re.compile(r"/recommendations/\d+/?$"))
    else:
        pytest.skip("set QA_RECOMMENDATION_PATH to a public recommendation of this deployment")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_count(1)
    expect(heading).not_to_have_text("404 — Page Not Found")
    expect(page.get_by_role("button", name=re.compile("Like"))).to_be_visible()
