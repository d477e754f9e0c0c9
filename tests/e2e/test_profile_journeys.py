"""Profile journeys: privacy and edit (PRODUCT.md §7.16), a script as a bio (§7.34) and the
avatar upload with a user-chosen crop (§4.2.4, §5.5).

Each journey uses fresh members, with buddy links written straight into the database, so
the journeys do not depend on each other or on the demo accounts.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from sqlmodel import col, select

from citypulse.db import session_scope
from citypulse.models import BuddyConnection, Profile, User
from citypulse.models.enums import BuddyStatus
from citypulse.state.profiles.edit import ProfileEditState
from citypulse.state.profiles.photos import ProfilePhotoState
from citypulse.state.profiles.profile import ProfileState
from citypulse.state.profiles.settings_privacy import PrivacySettingsState
from tests.e2e.support.crafted import CraftedClient
from tests.e2e.support.live import record_frames
from tests.e2e.support.people import create_member, log_in_as
from tests.e2e.support.tabs import sign_in_cookie
from tests.support.images import jpeg_with_gps

pytestmark = [
    pytest.mark.journeys,
    pytest.mark.harness_only("sets profiles up and checks them in the test database"),
]

PHONE = "+351912345678"
BIO = "Tram rides, miradouros and pastel de nata."
SCRIPT = "<script>alert(1)</script>"
NAME = "Test Traveller"  # the full name `create_member` gives every account


def make_buddies(first: str, second: str) -> None:
    with session_scope() as session:
        ids = dict(
            session.exec(
                select(User.username, User.id).where(col(User.username).in_([first, second]))
            ).all()
        )
        session.add(
            BuddyConnection(
                requester_id=ids[first],
                addressee_id=ids[second],
                status=BuddyStatus.accepted,
                responded_at=datetime.now(UTC),
            )
        )


def open_as(browser: Browser, base_url: str, username: str = "", email: str = "") -> Page:
    """A new person (own cookies and tab): signed in as `username`, or a visitor."""
    page = browser.new_context(base_url=base_url).new_page()
    if username:
        log_in_as(page, username, email=email)
    return page


def fill(page: Page, label: str, value: str) -> None:
    """Type into a debounced field and leave it, so the value reaches the server."""
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Tab")


def set_profile_visibility(page: Page, label: str) -> None:
    page.goto("/settings")
    page.get_by_label("Profile visibility").select_option(label=label)
    save = page.get_by_role("button", name="Save privacy settings")
    expect(save).to_be_enabled()
    save.click()
    expect(page.get_by_text("Privacy settings saved.")).to_be_visible()
    expect(save).to_be_disabled()


def test_profile_privacy_and_edit(browser: Browser, base_url: str) -> None:
    """§7.16: limited card when private, buddies see friends_only, links on the right host,
    email and phone never reach others, and a rename moves the URL."""
    owner_email = create_member("alicia")
    buddy_email, stranger_email = create_member("dario"), create_member("boris")
    make_buddies("alicia", "dario")
    owner = open_as(browser, base_url, "alicia", owner_email)

    owner.goto("/profile/edit")
    fill(owner, "Bio", BIO)
    fill(owner, "Phone", PHONE)
    fill(owner, "Instagram", "https://example.com/alicia")
    owner.get_by_role("button", name="Save profile").click()
    expect(owner.get_by_text("Instagram link must be on instagram.com")).to_be_visible()
    fill(owner, "Instagram", "https://instagram.com/alicia")
    owner.get_by_label("Add a city").fill("Lisb")
    owner.get_by_role("button", name="Add Lisbon, Portugal").click()
    fill(owner, "Month of your visit to Lisbon, Portugal (optional)", "2024-06")
    owner.get_by_role("button", name="Save profile").click()
    expect(owner.get_by_text("Profile saved.")).to_be_visible()
    with session_scope() as session:
        stored = session.exec(select(User).where(User.username == "alicia")).one()
        assert (stored.bio, stored.phone) == (BIO, PHONE)

    set_profile_visibility(owner, "Private")
    buddy = open_as(browser, base_url, "dario", buddy_email)
    stranger = open_as(browser, base_url, "boris", stranger_email)
    visitor = open_as(browser, base_url)
    others = {"buddy": buddy, "stranger": stranger, "visitor": visitor}
    frames = {who: record_frames(page) for who, page in others.items()}
    for page in others.values():
        page.goto("/profile/alicia")
        expect(page.get_by_role("heading", name=NAME, level=1)).to_be_visible()
        expect(page.get_by_text("@alicia", exact=True)).to_be_visible()
        expect(page.get_by_text("This profile is private")).to_be_visible()
        expect(page.get_by_text(BIO)).to_have_count(0)
        expect(page.get_by_role("link", name="Instagram")).to_have_count(0)

    set_profile_visibility(owner, "Buddies only")
    buddy.goto("/profile/alicia")
    expect(buddy.get_by_text(BIO)).to_be_visible()
    expect(buddy.get_by_text("Buddies ✓")).to_be_visible()
    expect(buddy.get_by_role("link", name="Lisbon, Portugal · Jun 2024")).to_be_visible()
    expect(buddy.get_by_role("link", name="Instagram")).to_have_attribute(
        "href", "https://instagram.com/alicia"
    )
    for page in (stranger, visitor):
        page.goto("/profile/alicia")
        expect(page.get_by_text("Only buddies can see this profile")).to_be_visible()
        expect(page.get_by_text(BIO)).to_have_count(0)

    for who, page in others.items():
        text = page.content()
        assert owner_email not in text and PHONE not in text, who
        received = "\n".join(frames[who])
        assert "alicia" in received, who  # the recording did capture the profile
        assert owner_email not in received and PHONE not in received, who
        assert "351912345678" not in received, who

    owner.goto("/profile/edit")
    fill(owner, "Username", "alice")
    expect(owner.get_by_text("taken", exact=True)).to_be_visible()
    fill(owner, "Username", "alicia_t")
    expect(owner.get_by_text("available", exact=True)).to_be_visible()
    owner.get_by_role("button", name="Save profile").click()
    expect(owner).to_have_url(re.compile(r"/profile/alicia_t/?$"))
    expect(owner.get_by_role("heading", name=NAME, level=1)).to_be_visible()
    expect(owner.get_by_text("@alicia_t", exact=True)).to_be_visible()

    visitor.goto("/profile/alicia")
    expect(visitor.get_by_role("heading", name="404 — Page Not Found")).to_be_visible()
    visitor.goto("/profile/alicia_t")
    expect(visitor.get_by_text("Only buddies can see this profile")).to_be_visible()
    buddy.goto("/profile/alicia_t")
    expect(buddy.get_by_text(BIO)).to_be_visible()
    for page in (owner, *others.values()):
        page.context.close()


def test_script_in_a_bio_is_shown_as_text(browser: Browser, base_url: str) -> None:
    """§7.34: `<script>alert(1)</script>` as a bio displays as text and never runs."""
    email = create_member("scripter")
    owner = open_as(browser, base_url, "scripter", email)
    visitor = open_as(browser, base_url)
    dialogs: list[str] = []
    for page in (owner, visitor):
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    owner.goto("/profile/edit")
    fill(owner, "Bio", SCRIPT)
    expect(owner.get_by_text(f"{len(SCRIPT)}/500")).to_be_visible()
    owner.get_by_role("button", name="Save profile").click()
    expect(owner.get_by_text("Profile saved.")).to_be_visible()

    for page in (owner, visitor):
        page.goto("/profile/scripter")
        expect(page.get_by_text(SCRIPT, exact=True)).to_be_visible()
        assert page.locator("script", has_text="alert(1)").count() == 0
    owner.wait_for_timeout(500)  # give a (wrongly) injected script time to fire
    assert dialogs == []
    owner.context.close()
    visitor.context.close()


def test_avatar_upload_with_a_chosen_crop(page: Page, base_url: str) -> None:
    """The user picks zoom 3× at the top of a rotated photo; the served avatar is that
    square, 400×400, re-encoded without EXIF or GPS."""
    email = create_member("photographer")
    log_in_as(page, "photographer", email=email)
    page.goto("/profile/edit")
    # 800×600 stored, EXIF orientation 6: upright it is 600×800, red on top, blue below.
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Choose a profile photo").click()
    photo = {"name": "holiday.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps((800, 600))}
    chooser.value.set_files(files=[photo])
    crop_heading = page.get_by_role("heading", name="Choose the crop of your profile photo")
    expect(crop_heading).to_be_visible()
    expect(page.get_by_role("img", name="Preview of the cropped profile photo")).to_be_visible()

    zoom = page.get_by_label("Zoom")
    zoom.focus()
    zoom.press("End")  # keyboard only: 3×
    expect(zoom).to_have_attribute("aria-valuetext", "3.0×")
    vertical = page.get_by_label("Vertical position")
    vertical.focus()
    vertical.press("Home")  # the top of the photo
    expect(vertical).to_have_attribute("aria-valuetext", "0 %")
    page.get_by_role("button", name="Save photo").click()
    expect(page.get_by_text("Profile photo saved.")).to_be_visible()

    page.goto("/profile/photographer")
    avatar = page.get_by_role("img", name=f"Avatar of {NAME}")
    expect(avatar).to_have_attribute("src", re.compile(r"/_upload/[0-9a-f]{32}\.jpg$"))
    src = avatar.get_attribute("src") or ""
    response = httpx.get(f"{base_url}{src}" if src.startswith("/") else src)
    assert response.status_code == 200
    served = Image.open(io.BytesIO(response.content))
    assert served.format == "JPEG" and served.size == (400, 400)
    assert len(served.getexif()) == 0
    assert not {"exif", "icc_profile", "comment"} & set(served.info)
    rgb = served.convert("RGB")
    for point in ((5, 5), (200, 200), (395, 395)):  # the whole square is the red top half
        red, _, blue = rgb.getpixel(point)
        assert red > 150 and blue < 100, (point, red, blue)
    with session_scope() as session:
        key = session.exec(
            select(Profile.avatar_key)
            .join(User, col(User.id) == Profile.user_id)
            .where(User.username == "photographer")
        ).one()
    assert key and src.endswith(key)


class RoutedClient(CraftedClient):
    """A crafted client that also claims to be on a given dynamic route."""

    def call_on(self, handler: str, payload: dict, path: str, query: dict[str, str]) -> str:
        before = len(self.received)
        router_data = {"pathname": "/profile/[profile_username]", "asPath": path, "query": query}
        self._client.emit(
            "event",
            namespace="/_event",
            data={"name": handler, "payload": payload, "router_data": router_data},
        )
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.received) > before, timeout=15)
            while self._changed.wait(timeout=0.5):
                pass
        return "\n".join(self.received[before:])


def event(state: type, name: str) -> str:
    return f"{state.get_full_name()}.{name}"


def test_crafted_events_cannot_read_or_change_someone_elses_profile(backend_url: str) -> None:
    """Handlers called outside the UI: a stranger reads only the limited card of a private
    profile, and a signed-out client changes nothing (ARCHITECTURE.md invariant 1)."""
    owner_email = create_member("hidden_hana")
    stranger_email = create_member("nosy_nick")
    with session_scope() as session:
        owner = session.exec(select(User).where(User.username == "hidden_hana")).one()
        owner.bio, owner.phone = BIO, PHONE
        profile = session.exec(select(Profile).where(Profile.user_id == owner.id)).one()
        profile.profile_visibility = "private"
        session.add_all([owner, profile])

    stranger = RoutedClient(backend_url, sign_in_cookie(backend_url, stranger_email))
    try:
        path, query = "/profile/hidden_hana", {"profile_username": "hidden_hana"}
        reply = stranger.call_on(event(ProfileState, "load"), {}, path, query)
        reply += stranger.call_on(event(ProfileState, "load_more"), {}, path, query)
        query_tab = {**query, "tab": "saved"}
        reply += stranger.call_on(event(ProfileState, "load"), {}, f"{path}?tab=saved", query_tab)
    finally:
        stranger.close()
    assert "This profile is private" in reply  # the card really was sent
    for secret in (BIO, PHONE, owner_email):
        assert secret not in reply

    visitor = CraftedClient(backend_url)
    try:
        visitor.call(event(ProfileEditState, "set_field"), {"field": "bio", "value": "Hacked"})
        assert "/login" in visitor.call(event(ProfileEditState, "save"), {}, "/profile/edit")
        visitor.call(event(PrivacySettingsState, "choose_visibility"),
                     {"field": "profile_visibility", "value": "public"})  # fmt: skip
        visitor.call(event(PrivacySettingsState, "save_privacy"), {})
        visitor.call(event(ProfilePhotoState, "remove_photo"), {"kind": "avatar"}, "/profile/edit")
    finally:
        visitor.close()
    with session_scope() as session:
        owner = session.exec(select(User).where(User.username == "hidden_hana")).one()
        profile = session.exec(select(Profile).where(Profile.user_id == owner.id)).one()
        assert owner.bio == BIO and profile.profile_visibility == "private"
