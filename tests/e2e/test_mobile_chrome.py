"""The shared chrome on a phone (390×844) and on a laptop (issue 15 item 3, PRODUCT.md §2).

Every navigation item leads to a working page (an h1 that is not the 404), visitors can
log in and sign up, signed-in people reach their account menu and log out, the menus work
from the keyboard, and axe-core finds no serious or critical problem in the shell.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.support.axe import blocking_violations
from tests.e2e.support.people import create_member, log_in, log_in_as

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1280, "height": 900}}
NOT_FOUND = "404 — Page Not Found"
SHELL = {"include": [["header"], ["footer"], ["nav"], ["[role=dialog]"], ["[role=menu]"]]}


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Page]:
    """A fresh person on a 390×844 phone."""
    context = browser.new_context(base_url=base_url, **PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def laptop(browser: Browser, base_url: str) -> Iterator[Page]:
    """A fresh person on a 1280×900 laptop."""
    context = browser.new_context(base_url=base_url, **LAPTOP)
    yield context.new_page()
    context.close()


def bottom_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Mobile")


def open_menu(page: Page) -> Locator:
    """Open the phone menu and return it.

    A click in the first moments after sign-in can be lost while the page's live data
    re-renders the header (seen under load); a person clicks again, and so does this.
    """
    menu = page.get_by_role("dialog", name="Menu")
    for _ in range(3):
        page.get_by_role("button", name="Menu", exact=True).click()
        try:
            menu.wait_for(state="visible", timeout=3000)
            break
        except PlaywrightTimeoutError:
            continue
    expect(menu).to_be_visible()
    return menu


def settle(page: Page) -> None:
    """Wait until opening animations have finished (axe measures colours as they are)."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


def link_names(area: Locator) -> list[str]:
    expect(area.get_by_role("link").first).to_be_visible()
    return [name.strip() for name in area.get_by_role("link").all_inner_texts()]


def expect_working_page(page: Page) -> None:
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_count(1)
    expect(heading).not_to_have_text(NOT_FOUND)
    expect(page.get_by_text("Checking your session…")).to_have_count(0)


def follow_each(
    page: Page, area, names: list[str], start: str = "/about", role: str = "link"
) -> list[str]:
    """From `start` (or /terms when the link leads there), follow each named link of
    `area(page)`: it must reach the address it names and a working page. Returns the paths.
    """
    reached = []
    for name in names:
        for origin in (start, "/terms"):
            page.goto(origin)
            link = area(page).get_by_role(role, name=name, exact=True)
            href = link.get_attribute("href") or ""
            if href.rstrip("/") != origin:
                break
        assert href.startswith("/"), (name, href)
        link.click()
        expect(page).to_have_url(re.compile(re.escape(href.rstrip("/")) + "/?$"))
        expect_working_page(page)
        reached.append(href)
    return reached


# --- phone ------------------------------------------------------------------------------


def test_a_visitor_on_a_phone_can_log_in_sign_up_and_follow_every_item(phone: Page) -> None:
    phone.goto("/")
    names = link_names(bottom_nav(phone))
    assert names[:1] == ["Home"] and {"Log in", "Sign up"} <= set(names)
    assert not {"Create", "Profile"} & set(names)  # they need an account
    follow_each(phone, bottom_nav, names)

    phone.goto("/")
    menu_names = link_names(open_menu(phone))
    assert {"Log in", "Sign up", "About", "Features", "Terms", "Privacy"} <= set(menu_names)
    assert not {"Settings", "Moderator tools"} & set(menu_names)
    reached = follow_each(phone, open_menu, menu_names)
    assert "/signup" in reached
    expect(phone.get_by_role("dialog", name="Menu")).to_have_count(0)  # closed on the way


def test_signing_in_and_out_from_the_phone_menu(phone: Page) -> None:
    email = create_member("phone_user")
    phone.goto("/")
    open_menu(phone).get_by_role("link", name="Log in").click()
    expect(phone).to_have_url(re.compile(r"/login/?$"))
    log_in(phone, email, "CityPulse#Demo1")
    expect(phone).to_have_url(re.compile(r"/dashboard/?$"))

    menu = open_menu(phone)
    expect(menu.get_by_text("Signed in as @phone_user")).to_be_visible()
    expect(menu.get_by_role("link", name="Settings")).to_be_visible()
    expect(menu.get_by_role("link", name="Moderator tools")).to_have_count(0)
    menu.get_by_role("button", name="Log out").click()

    expect(phone).to_have_url(re.compile(r"/login"))
    expect(bottom_nav(phone).get_by_role("link", name="Log in")).to_be_visible()
    phone.goto("/dashboard")
    expect(phone).to_have_url(re.compile(r"/login\?next="))


def test_every_item_a_member_sees_on_a_phone_leads_to_a_page(phone: Page) -> None:
    log_in_as(phone, "dave")
    expect(bottom_nav(phone).get_by_role("link", name="Profile")).to_be_visible()  # hydrated
    names = link_names(bottom_nav(phone))
    assert {"Home", "Create", "Profile"} <= set(names)
    assert not {"Log in", "Sign up"} & set(names)
    reached = follow_each(phone, bottom_nav, names)
    assert "/profile/dave" in reached

    menu_names = link_names(open_menu(phone))
    assert {"Dashboard", "Profile", "Settings", "About"} <= set(menu_names)
    assert "Moderator tools" not in menu_names
    follow_each(phone, open_menu, menu_names)


def test_a_moderator_reaches_the_tools_from_the_phone_menu(phone: Page) -> None:
    log_in_as(phone, "mod")
    open_menu(phone).get_by_role("link", name="Moderator tools").click()
    expect(phone).to_have_url(re.compile(r"/moderator/dashboard/?$"))
    expect(phone.get_by_role("heading", name="Moderator dashboard", level=1)).to_be_visible()


def test_the_phone_menu_works_from_the_keyboard(phone: Page) -> None:
    phone.goto("/about")
    # While the menu is open the rest of the page is hidden from assistive technology,
    # so the button's state is read through a CSS locator.
    button = phone.locator("header button[aria-label='Menu']")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.focus()
    phone.keyboard.press("Enter")
    menu = phone.get_by_role("dialog", name="Menu")
    expect(menu).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("button", name="Close menu")).to_be_focused()

    phone.keyboard.press("Escape")
    expect(menu).to_have_count(0)
    expect(button).to_be_focused()

    phone.keyboard.press("Enter")
    link = menu.get_by_role("link", name="Features")
    for _ in range(12):  # Tab stays inside the menu until it reaches the link
        if link.evaluate("el => el === document.activeElement"):
            break
        phone.keyboard.press("Tab")
    expect(link).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(re.compile(r"/features/?$"))
    expect(menu).to_have_count(0)


# --- laptop -----------------------------------------------------------------------------


def open_account_menu(page: Page) -> Locator:
    page.get_by_role("button", name="Account menu").click()
    menu = page.get_by_role("menu")
    expect(menu).to_be_visible()
    return menu


def test_every_item_on_a_laptop_leads_to_a_page(laptop: Page) -> None:
    header = lambda page: page.get_by_role("banner")  # noqa: E731
    footer = lambda page: page.get_by_role("contentinfo")  # noqa: E731
    laptop.goto("/about")
    follow_each(laptop, header, ["Log in", "Sign up"])
    footer_names = [n for n in link_names(footer(laptop)) if "@" not in n]
    assert footer_names == ["About", "Features", "Terms", "Privacy"]
    follow_each(laptop, footer, footer_names)

    log_in_as(laptop, "dave")
    items = open_account_menu(laptop).get_by_role("menuitem").all_inner_texts()
    expected = {"Dashboard": "/dashboard", "Profile": "/profile/dave", "Trips": "/trips",
                "Buddies": "/buddies", "Achievements": "/achievements",
                "Settings": "/settings"}  # fmt: skip
    assert [name.strip() for name in items] == [*expected, "Log out"]
    for name, path in expected.items():
        laptop.goto("/about")
        open_account_menu(laptop).get_by_role("menuitem", name=name, exact=True).click()
        expect(laptop).to_have_url(re.compile(re.escape(path) + "/?$"))
        expect_working_page(laptop)


def test_the_account_menu_works_from_the_keyboard(laptop: Page) -> None:
    email = create_member("keyboard_user")
    laptop.goto("/login")
    log_in(laptop, email, "CityPulse#Demo1")
    expect(laptop).to_have_url(re.compile(r"/dashboard/?$"))

    trigger = laptop.get_by_role("button", name="Account menu")
    trigger.focus()
    laptop.keyboard.press("Enter")
    settings = laptop.get_by_role("menuitem", name="Settings")
    expect(laptop.get_by_role("menu")).to_be_visible()
    for _ in range(10):  # arrow keys move through the items
        if settings.evaluate("el => el === document.activeElement"):
            break
        laptop.keyboard.press("ArrowDown")
    expect(settings).to_be_focused()
    laptop.keyboard.press("Enter")
    expect(laptop).to_have_url(re.compile(r"/settings/?$"))
    expect(laptop.get_by_role("heading", name="Settings", level=1)).to_be_visible()

    trigger.focus()
    laptop.keyboard.press("Enter")
    expect(laptop.get_by_role("menu")).to_be_visible()
    laptop.keyboard.press("End")  # the last item: Log out
    expect(laptop.get_by_role("menuitem", name="Log out")).to_be_focused()
    laptop.keyboard.press("Enter")
    expect(laptop).to_have_url(re.compile(r"/login"))
    expect(laptop.get_by_role("banner").get_by_role("link", name="Log in")).to_be_visible()


# --- axe-core ---------------------------------------------------------------------------


def shell_violations(page: Page) -> list[str]:
    settle(page)
    return blocking_violations(page, SHELL)


@pytest.mark.parametrize("device", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_axe_finds_no_serious_problem_in_the_shell(
    browser: Browser, base_url: str, device: dict
) -> None:
    context = browser.new_context(base_url=base_url, **device)
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert shell_violations(page) == []

    log_in_as(page, "mod")
    if device is PHONE:
        open_menu(page)
    else:
        open_account_menu(page)
    assert shell_violations(page) == []
    context.close()
