"""Recommendation form journeys: create (§7.7), validation (§7.8) and ownership (§7.9).

Each journey signs in fresh members, so the demo accounts stay untouched. Files are
handed to the page's photo picker ("Choose photos"), which uploads them at once; what was
stored is read back from the database and through `/_upload` (served photos must carry
no EXIF).
"""

from __future__ import annotations

import io
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from citypulse.db import session_scope
from citypulse.media.staging import SUFFIX, staging_dir
from citypulse.models import Category, CityVisit, Recommendation, User
from citypulse.seed.people import DEMO_PASSWORD
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.recommendations.commands import recommendation_create
from citypulse.services.recommendations.forms import RecommendationForm
from citypulse.services.recommendations.photos import PhotoUpload
from citypulse.services.recommendations.queries import photo_views, primary_city, tag_names
from citypulse.settings import get_settings
from citypulse.state.recommendations import form_uploads
from citypulse.state.recommendations.detail import RecommendationDetailState
from citypulse.state.recommendations.edit import RecommendationEditState
from tests.e2e.support.crafted import NAMESPACE, QUIET_SECONDS, CraftedClient
from tests.e2e.support.people import create_member, log_in_as
from tests.support.images import jpeg_with_gps, minimal_pdf, oversized_png

pytestmark = [
    pytest.mark.journeys,
    pytest.mark.harness_only("checks what was saved in the test database"),
]

DESCRIPTION = "Tiny espresso bar with window seats and the best cinnamon buns in town."


# --- helpers -------------------------------------------------------------------------------


def user_id(username: str) -> int:
    with session_scope() as session:
        return session.execute(select(User.id).where(User.username == username)).scalar_one()


def recommendation_count(username: str) -> int:
    with session_scope() as session:
        return session.execute(
            select(func.count(Recommendation.id)).where(
                Recommendation.author_id == user_id(username)
            )
        ).scalar_one()


def stored_files() -> set[str]:
    """Every file in the public upload folder."""
    folder = get_settings().upload_dir
    return {path.name for path in folder.iterdir()} if folder.exists() else set()


def pending_files() -> set[str]:
    """Photos waiting (privately, in the staging folder) to be published."""
    return {path.name for path in staging_dir().glob(f"*{SUFFIX}")}


def photo_files(tmp_path: Path, count: int, prefix: str = "photo") -> list[Path]:
    """`count` JPEGs with GPS EXIF, as a phone would produce them."""
    paths = []
    for index in range(1, count + 1):
        path = tmp_path / f"{prefix}-{index}.jpg"
        path.write_bytes(jpeg_with_gps((120 + index, 80)))
        paths.append(path)
    return paths


def fill_valid_form(page: Page, title: str = "Harbour Coffee House") -> None:
    """Everything required, valid (city typed as text)."""
    page.get_by_label("Category", exact=True).select_option(label="Restaurant")
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("City", exact=True).fill("Toronto, Canada")
    page.get_by_label("Address", exact=True).fill("12 Queens Quay W, Toronto")
    page.get_by_label("Description", exact=True).fill(DESCRIPTION)
    page.get_by_role("group", name="Your rating").get_by_label("4", exact=True).check()


def choose_photos(page: Page, files: list[Any]) -> None:
    """Press "Choose photos" and pick `files` (they upload as soon as they are chosen)."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Choose photos").click()
    chooser.value.set_files(files)


def photo_count(rid: int) -> int:
    with session_scope() as session:
        return len(photo_views(session, rid))


def opened_recommendation(page: Page) -> int:
    """The id of the recommendation page the browser went to."""
    expect(page).to_have_url(re.compile(r"/recommendations/\d+/?$"))
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def publish_and_expect_error(page: Page, message: str) -> None:
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("alert").filter(has_text=message)).to_be_visible()
    expect(page.get_by_text("Please correct the highlighted fields.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/recommendations/create/?$"))


def viewer_of(username: str) -> Viewer:
    with session_scope() as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one()
        return Viewer(user.id, user.username, user.full_name, user.role, user.account_status,
                      uuid.uuid4(), None)  # fmt: skip


def snapshot(rid: int) -> dict[str, Any]:
    """Everything an edit of the title alone must leave as it was."""
    with session_scope() as session:
        rec = session.get(Recommendation, rid)
        assert rec is not None
        fields = {name: getattr(rec, name) for name in (
            "title", "description", "address", "price_min", "price_max", "difficulty",
            "best_months", "best_time_text", "duration_suggestion", "author_rating",
            "latitude", "longitude", "visibility", "status", "category_id")}  # fmt: skip
        city = primary_city(session, rid)
        fields["city_id"] = city.id if city else None
        fields["tags"] = tag_names(session, rid)
        fields["photos"] = [
            (p.id, p.caption, p.position, p.is_primary, p.image_url)
            for p in photo_views(session, rid)
        ]
        return fields


def sign_in_cookie(origin: str, email: str) -> str:
    """A real session cookie from the real /auth/login route."""
    response = httpx.post(
        f"{origin}/auth/login",
        data={"email": email, "password": DEMO_PASSWORD},
        headers={"Origin": origin},
    )
    assert response.status_code == 303
    return "; ".join(f"{c.name}={c.value}" for c in response.cookies.jar)


class RoutedClient(CraftedClient):
    """A crafted client that also claims a route's parameters (e.g. `[id]`)."""

    def call_on(self, handler: str, payload: dict[str, Any], path: str, query: dict) -> str:
        before = len(self.received)
        router_data = {"pathname": path, "asPath": path, "query": query}
        self._client.emit(
            "event",
            namespace=NAMESPACE,
            data={"name": handler, "payload": payload, "router_data": router_data},
        )
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.received) > before, timeout=15)
            while self._changed.wait(timeout=QUIET_SECONDS):
                pass
        return "\n".join(self.received[before:])


def edit_handler(name: str) -> str:
    return f"{RecommendationEditState.get_full_name()}.{name}"


def detail_handler(name: str) -> str:
    return f"{RecommendationDetailState.get_full_name()}.{name}"


# --- §7.7 create ---------------------------------------------------------------------------


def test_publish_a_restaurant_with_photos_and_tags(page: Page, base_url: str, tmp_path: Path):
    email = create_member("rec_author_one")
    log_in_as(page, "rec_author_one", email=email)
    page.goto("/recommendations/create")
    expect(page.get_by_role("heading", name="Add a recommendation", level=1)).to_be_visible()
    waiting_before = pending_files()

    fill_valid_form(page)
    expect(page.get_by_role("button", name=re.compile("Toronto, Ontario, Canada"))).to_be_visible()
    page.get_by_label("Tags", exact=True).fill("#Coffee, cozy")
    page.get_by_label("Minimum price (USD)").fill("4")
    page.get_by_label("Maximum price (USD)").fill("12.50")
    preview = page.get_by_role("complementary", name="Live preview")
    expect(preview.get_by_role("heading", name="Harbour Coffee House")).to_be_visible()
    expect(preview.get_by_text("Restaurant")).to_be_visible()
    expect(preview.get_by_text("#coffee")).to_be_visible()
    expect(preview.get_by_text("#cozy")).to_be_visible()
    expect(preview.get_by_text("$4–$12.50")).to_be_visible()

    choose_photos(page, photo_files(tmp_path, 2, "cafe"))
    expect(page.get_by_text("2 photos added")).to_be_visible()
    expect(page.get_by_role("img", name="Photo 2 preview")).to_be_visible()
    assert len(pending_files() - waiting_before) == 2
    page.get_by_label("Caption for photo 2").fill("The espresso bar")
    page.get_by_role("button", name="Set as primary: photo 2").click()
    page.get_by_role("button", name="Move up: photo 2").click()
    expect(page.get_by_label("Caption for photo 1")).to_have_value("The espresso bar")

    page.get_by_role("button", name="Publish").click()
    expect(page).to_have_url(re.compile(r"/recommendations/\d+/?$"))
    rid = int(page.url.rstrip("/").rsplit("/", 1)[1])
    expect(page.get_by_role("heading", name="Harbour Coffee House", level=1)).to_be_visible()

    with session_scope() as session:
        rec = session.get(Recommendation, rid)
        assert rec is not None and rec.author_id == user_id("rec_author_one")
        assert (rec.author_rating, str(rec.price_min), str(rec.price_max)) == (4, "4.00", "12.50")
        assert session.get(Category, rec.category_id).name == "Restaurant"
        assert tag_names(session, rid) == ("coffee", "cozy")
        city = primary_city(session, rid)
        assert (city.name, city.state_province, city.country) == ("Toronto", "Ontario", "Canada")
        assert session.execute(
            select(CityVisit).where(
                CityVisit.user_id == rec.author_id, CityVisit.city_id == city.id
            )
        ).first()
        photos = sorted(photo_views(session, rid), key=lambda p: p.position)
    assert [(p.caption, p.is_primary) for p in photos] == [("The espresso bar", True), ("", False)]
    for photo in photos:
        for url in (photo.image_url, photo.thumb_url):
            response = httpx.get(f"{base_url}{url}")
            assert response.status_code == 200
            served = Image.open(io.BytesIO(response.content))
            assert served.format == "JPEG"
            assert not served.getexif() and "exif" not in served.info
    assert pending_files() == waiting_before  # the temporary copies are gone


# --- Issue 15 (2): a chosen photo is never dropped without a word --------------------------


def test_a_chosen_photo_is_published_without_another_step(page: Page, tmp_path: Path) -> None:
    """Choose a photo and press Publish at once: the recommendation has that photo."""
    email = create_member("rec_quick_publisher")
    log_in_as(page, "rec_quick_publisher", email=email)
    page.goto("/recommendations/create")
    fill_valid_form(page, title="Corner Bakery at Dawn")
    waiting_before = pending_files()
    choose_photos(page, photo_files(tmp_path, 1, "p3"))
    page.get_by_role("button", name="Publish").click()  # no wait for the upload

    rid = opened_recommendation(page)
    expect(page.get_by_role("heading", name="Corner Bakery at Dawn", level=1)).to_be_visible()
    expect(page.get_by_text("No photos")).to_have_count(0)
    assert photo_count(rid) == 1
    assert pending_files() == waiting_before


def test_publish_pressed_while_photos_upload_waits_for_them(page: Page, tmp_path: Path) -> None:
    """The upload is held back until Publish was pressed: the photos still make it in."""
    email = create_member("rec_impatient")
    log_in_as(page, "rec_impatient", email=email)
    page.goto("/recommendations/create")
    fill_valid_form(page, title="Slow Network Noodles")
    held: list[Any] = []
    page.route("**/_upload", lambda route: held.append(route))
    choose_photos(page, photo_files(tmp_path, 2, "slow"))
    expect(page.get_by_role("status").filter(has_text="Uploading your photos")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").filter(has_text="Waiting for your photos")).to_be_visible()
    assert recommendation_count("rec_impatient") == 0 and len(held) == 1

    held[0].continue_()
    rid = opened_recommendation(page)
    expect(page.get_by_role("heading", name="Slow Network Noodles", level=1)).to_be_visible()
    assert photo_count(rid) == 2


def test_photos_that_never_arrive_are_reported_and_nothing_is_published(
    page: Page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upload cut off on the way (network, proxy limit): the user is told, Publish waits."""
    monkeypatch.setattr(form_uploads, "UPLOAD_WAIT_SECONDS", 3.0)
    email = create_member("rec_lost_upload")
    log_in_as(page, "rec_lost_upload", email=email)
    page.goto("/recommendations/create")
    fill_valid_form(page, title="Harbour Fish Stall")
    page.route("**/_upload", lambda route: route.abort())
    choose_photos(page, photo_files(tmp_path, 1, "lost"))
    expect(page.get_by_role("status").filter(has_text="Uploading your photos")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").filter(has_text="Waiting for your photos")).to_be_visible()

    expect(
        page.get_by_role("alert").filter(
            has_text="Your photos could not be uploaded. Please choose them again."
        )
    ).to_be_visible()
    expect(page.get_by_role("alert").filter(
        has_text="Not published yet: your photos did not arrive.")).to_be_visible()  # fmt: skip
    expect(page).to_have_url(re.compile(r"/recommendations/create/?$"))
    assert recommendation_count("rec_lost_upload") == 0

    page.unroute("**/_upload")
    choose_photos(page, photo_files(tmp_path, 1, "found"))
    expect(page.get_by_text("1 photo added")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    assert photo_count(opened_recommendation(page)) == 1
    assert recommendation_count("rec_lost_upload") == 1


# --- §7.8 validation -----------------------------------------------------------------------


def test_each_invalid_input_shows_its_field_error_and_saves_nothing(page: Page, tmp_path: Path):
    email = create_member("rec_validator")
    log_in_as(page, "rec_validator", email=email)
    page.goto("/recommendations/create")
    stored_before, waiting_before = stored_files(), pending_files()
    fill_valid_form(page, title="Ab")
    publish_and_expect_error(page, "Title must be 3–200 characters")

    page.get_by_label("Title", exact=True).fill("Harbour Coffee House")
    page.get_by_label("Description", exact=True).fill("Too short")
    publish_and_expect_error(page, "Description must be 10–2000 characters")
    expect(page.get_by_text("Title must be 3–200 characters")).to_have_count(0)

    page.get_by_label("Description", exact=True).fill(DESCRIPTION)
    page.get_by_label("Minimum price (USD)").fill("50")
    page.get_by_label("Maximum price (USD)").fill("10")
    publish_and_expect_error(page, "Maximum price must be at least the minimum price")

    page.get_by_label("Maximum price (USD)").fill("60")
    page.get_by_label("Latitude", exact=True).fill("43.6532")
    publish_and_expect_error(page, "Enter both latitude and longitude, or neither")
    page.get_by_label("Latitude", exact=True).fill("")

    choose_photos(page, [{"name": "menu.jpg", "mimeType": "image/jpeg", "buffer": minimal_pdf()}])
    expect(page.get_by_role("alert").filter(
        has_text="Only JPEG, PNG or WebP images are allowed")).to_be_visible()  # fmt: skip
    choose_photos(page, [{"name": "huge.png", "mimeType": "image/png", "buffer": oversized_png()}])
    expect(page.get_by_role("alert").filter(
        has_text="Images must be 10 MB or smaller")).to_be_visible()  # fmt: skip
    assert pending_files() == waiting_before
    choose_photos(page, photo_files(tmp_path, 6, "many"))
    expect(page.get_by_role("alert").filter(has_text="At most 5 photos")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"Photo \d preview"))).to_have_count(0)

    choose_photos(page, photo_files(tmp_path, 5))
    expect(page.get_by_text("5 photos added")).to_be_visible()
    choose_photos(page, photo_files(tmp_path, 1, "sixth"))
    expect(page.get_by_role("alert").filter(has_text="At most 5 photos")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"Photo \d preview"))).to_have_count(5)
    assert len(pending_files() - waiting_before) == 5

    assert recommendation_count("rec_validator") == 0
    assert stored_files() == stored_before


# --- §7.9 ownership ------------------------------------------------------------------------


def alice_recommendation(username: str) -> int:
    """A full recommendation with one photo, created through the service."""
    with session_scope() as session:
        restaurant = session.execute(
            select(Category.id).where(Category.name == "Restaurant")
        ).scalar_one()
        detail = recommendation_create(
            session, actor=viewer_of(username), now=datetime.now(UTC),
            form=RecommendationForm(
                category_id=restaurant, title="Lakeside Noodle Bar", description=DESCRIPTION,
                city_text="Toronto, Canada", address="1 Front St W, Toronto", price_min="5",
                price_max="15", difficulty="easy", best_months=[5, 6, 9], author_rating=5,
                best_time_text="Weekday lunch", duration_suggestion="1 hour",
                latitude="43.6453", longitude="-79.3806", tags=["noodles", "lunch"],
                visibility="public",
            ),
            photos=[PhotoUpload(jpeg_with_gps(), caption="Hand-pulled noodles")],
        )  # fmt: skip
        return detail.id


def test_only_the_author_edits_and_only_what_changed(
    page: Page, browser: Browser, base_url: str, backend_url: str
) -> None:
    alice_email, bob_email = create_member("rec_owner"), create_member("rec_intruder")
    rid = alice_recommendation("rec_owner")
    before = snapshot(rid)

    log_in_as(page, "rec_owner", email=alice_email)
    page.goto(f"/recommendations/{rid}/edit")
    expect(page.get_by_role("heading", name="Edit recommendation", level=1)).to_be_visible()
    expect(page.get_by_label("Description", exact=True)).to_have_value(DESCRIPTION)
    expect(page.get_by_label("City", exact=True)).to_have_value("Toronto, Ontario, Canada")
    expect(page.get_by_label("Caption for photo 1")).to_have_value("Hand-pulled noodles")
    page.get_by_label("Title", exact=True).fill("Lakeside Noodle House")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(re.compile(rf"/recommendations/{rid}/?$"))
    expect(page.get_by_role("heading", name="Lakeside Noodle House", level=1)).to_be_visible()
    after = snapshot(rid)
    assert after.pop("title") == "Lakeside Noodle House"
    before.pop("title")
    assert after == before

    bob = browser.new_context(base_url=base_url)
    bob_page = bob.new_page()
    log_in_as(bob_page, "rec_intruder", email=bob_email)
    bob_page.goto(f"/recommendations/{rid}/edit")
    expect(bob_page.get_by_role("heading", name="404 — Page Not Found", level=1)).to_be_visible()
    expect(bob_page.get_by_label("Title", exact=True)).to_have_count(0)
    bob_page.goto(f"/recommendations/{rid}")
    expect(bob_page.get_by_role("heading", name="Lakeside Noodle House", level=1)).to_be_visible()
    expect(bob_page.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    expect(bob_page.get_by_role("button", name="Delete", exact=True)).to_have_count(0)
    bob.close()

    crafted_edits_and_deletes_are_refused(backend_url, bob_email, rid)
    final = snapshot(rid)
    assert final.pop("title") == "Lakeside Noodle House"
    assert final == before


def crafted_edits_and_deletes_are_refused(origin: str, email: str, rid: int) -> None:
    """Bob calls the edit and delete handlers himself, with alice's recommendation id."""
    edit_path, query = f"/recommendations/{rid}/edit", {"id": str(rid)}
    photo_id = str(snapshot(rid)["photos"][0][0])
    hijack = {"title": "Hijacked", "description": "Bob was here and rewrote it all.",
              "category_id": "", "custom_category": "Spam", "city_text": "Paris, France",
              "address": "Nowhere", "author_rating": "1", "visibility": "private",
              "tags": "spam"}  # fmt: skip
    client = RoutedClient(origin, sign_in_cookie(origin, email))
    try:
        reply = client.call_on(edit_handler("load"), {}, edit_path, query)
        assert DESCRIPTION not in reply and "Lakeside" not in reply
        reply = client.call_on(edit_handler("save"), {"form": hijack}, edit_path, query)
        assert "Recommendation not found" in reply
        for name, payload in (
            ("remove_photo", {"photo_id": photo_id}),
            ("set_primary", {"photo_id": photo_id}),
            ("move_photo", {"photo_id": photo_id, "step": 1}),
        ):
            reply = client.call_on(edit_handler(name), payload, edit_path, query)
        detail_path = f"/recommendations/{rid}"
        client.call_on(detail_handler("load"), {}, detail_path, query)
        reply = client.call_on(detail_handler("delete"), {}, detail_path, query)
        assert "Recommendation not found" in reply
    finally:
        client.close()
    signed_out = RoutedClient(origin)
    try:
        reply = signed_out.call_on(edit_handler("save"), {"form": hijack}, edit_path, query)
        assert "/login" in reply
    finally:
        signed_out.close()


def test_the_author_manages_photos_on_the_edit_page(page: Page, base_url: str, tmp_path: Path):
    email = create_member("rec_photo_editor")
    rid = alice_recommendation("rec_photo_editor")
    first = snapshot(rid)["photos"][0]
    log_in_as(page, "rec_photo_editor", email=email)
    page.goto(f"/recommendations/{rid}/edit")
    expect(page.get_by_label("Caption for photo 1")).to_have_value("Hand-pulled noodles")

    choose_photos(page, photo_files(tmp_path, 2, "bowl"))
    expect(page.get_by_text("2 photos added")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"Photo \d preview"))).to_have_count(3)
    choose_photos(page, [{"name": "menu.jpg", "mimeType": "image/jpeg", "buffer": minimal_pdf()}])
    expect(page.get_by_role("alert").filter(
        has_text="Only JPEG, PNG or WebP images are allowed")).to_be_visible()  # fmt: skip
    third = snapshot(rid)["photos"]
    assert len(third) == 3
    # Rows are (id, caption, position, is_primary, url): the new ones sit at 1 and 2.
    middle, newest = (next(p for p in third if p[2] == position) for position in (1, 2))

    page.get_by_role("button", name="Set as primary: photo 3").click()
    expect(page.get_by_role("button", name="Set as primary: photo 1")).to_be_visible()
    page.get_by_role("button", name="Move up: photo 3").click()
    page.get_by_role("button", name="Remove: photo 1").click()
    expect(page.get_by_role("img", name=re.compile(r"Photo \d preview"))).to_have_count(2)
    expect(page.get_by_label("Caption for photo 1")).to_have_value("")
    page.get_by_label("Caption for photo 1").fill("Steaming bowls")
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(re.compile(rf"/recommendations/{rid}/?$"))

    photos = sorted(snapshot(rid)["photos"], key=lambda photo: photo[2])
    assert [p[:4] for p in photos] == [
        (newest[0], "Steaming bowls", 0, True),
        (middle[0], "", 1, False),
    ]
    assert first[0] not in {p[0] for p in photos}
    assert httpx.get(f"{base_url}{first[4]}").status_code == 404
    assert snapshot(rid)["title"] == "Lakeside Noodle Bar"
