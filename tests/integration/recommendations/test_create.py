"""recommendation_create: every field, resolution of city/category/tags, atomicity (§7.7–§7.8)."""

from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import Session, select

from citypulse.media.storage import path_for
from citypulse.models import Category, City, CityVisit, Photo, Profile, Recommendation
from citypulse.services.errors import PermissionDenied, RateLimited, ValidationFailed
from citypulse.services.recommendations.commands import recommendation_create
from citypulse.services.recommendations.forms import (
    LATITUDE_ERROR,
    TAG_FORMAT_ERROR,
    validate_recommendation_form,
)
from tests.integration.recommendations.support import (
    city,
    form,
    jpeg,
    stored_files,
    table_counts,
    upload,
    viewer_for,
)
from tests.integration.support import NOW, run_action
from tests.support import images
from tests.support.factories import create_category, create_user


@pytest.fixture
def alice(session: Session):
    return create_user(session, username="rc_alice", full_name="Alice Martin")


@pytest.fixture
def restaurant(session: Session) -> Category:
    category = create_category(session, name="Restaurant")
    category.icon, category.is_system = "utensils", True
    session.flush()
    return category


@pytest.fixture
def toronto(session: Session) -> City:
    return city(session, "Toronto", "Canada", "Ontario")


def create(session: Session, user, photos=(), **overrides):
    return run_action(
        session,
        recommendation_create,
        actor=viewer_for(user),
        form=form(**overrides),
        photos=list(photos),
        now=NOW,
    )


def test_create_with_every_field_photos_and_tags(
    session: Session, alice, restaurant: Category, toronto: City, uploads: Path
) -> None:
    detail = create(
        session,
        alice,
        photos=[upload("The counter"), upload("Latte art")],
        category_id=restaurant.id,
        price_min="5",
        price_max=Decimal("25.5"),
        difficulty="easy",
        best_months={5, 6, "7"},
        best_time_text="  Weekday   mornings ",
        duration_suggestion="1 hour",
        latitude="43.6453",
        longitude=-79.3806,
        tags=["#Coffee", " cozy ", "coffee", "#"],
        visibility="friends_only",
    )
    assert detail.title == "Pilot Coffee Roasters"
    assert (detail.category_name, detail.category_icon) == ("Restaurant", "utensils")
    assert detail.city is not None and detail.city.id == toronto.id
    assert detail.city.label == "Toronto, Ontario, Canada"
    assert detail.tags == ("coffee", "cozy")
    assert detail.price_display == "$5–$25.50"
    assert (detail.price_min, detail.price_max) == ("5.00", "25.50")
    assert detail.difficulty == "easy" and detail.best_months == (5, 6, 7)
    assert detail.best_time_text == "Weekday mornings" and detail.duration_suggestion == "1 hour"
    assert (detail.latitude, detail.longitude) == ("43.645300", "-79.380600")
    assert detail.author_rating == 4 and detail.visibility == "friends_only"
    assert detail.is_author and detail.status == "active" and detail.removed_reason is None
    assert detail.author.username == "rc_alice" and detail.author.full_name == "Alice Martin"
    assert detail.created_at == NOW
    assert [(p.position, p.is_primary, p.caption) for p in detail.photos] == [
        (0, True, "The counter"),
        (1, False, "Latte art"),
    ]
    for photo in detail.photos:
        assert photo.image_url.startswith("/_upload/") and photo.thumb_url.startswith("/_upload/")
        served = Image.open(path_for(photo.image_url.removeprefix("/_upload/")))
        assert not served.getexif() and "exif" not in served.info
    assert len(stored_files(uploads)) == 4
    visit = session.exec(select(CityVisit).where(CityVisit.user_id == alice.id)).one()
    assert (visit.city_id, visit.source) == (toronto.id, "recommendation")
    rec = session.get(Recommendation, detail.id)
    assert rec.search_terms == "coffee cozy Toronto Restaurant"


def test_second_photo_can_be_primary_and_visibility_defaults_from_settings(
    session: Session, alice, restaurant: Category, toronto: City
) -> None:
    profile = session.exec(select(Profile).where(Profile.user_id == alice.id)).one()
    profile.default_rec_visibility = "private"
    session.flush()
    detail = create(
        session, alice, photos=[upload("a"), upload("b", primary=True)], category_id=restaurant.id
    )
    assert detail.visibility == "private"
    assert [(p.caption, p.position, p.is_primary) for p in detail.photos] == [
        ("b", 1, True),  # primary first, then by position
        ("a", 0, False),
    ]
    assert detail.price_display == "" and detail.latitude == "" and detail.tags == ()


def test_city_text_matching_and_creation(
    session: Session, alice, restaurant: Category, toronto: City
) -> None:
    first = create(session, alice, category_id=restaurant.id, city_text="  toronto ,  CANADA ")
    assert first.city.id == toronto.id
    second = create(session, alice, category_id=restaurant.id, city_text="Toronto, ontario, Canada")
    assert second.city.id == toronto.id
    third = create(session, alice, category_id=restaurant.id, city_text="Porto,  Portugal")
    created = session.get(City, third.city.id)
    assert (created.name, created.state_province, created.country) == ("Porto", None, "Portugal")
    assert created.latitude is None and created.longitude is None
    again = create(session, alice, category_id=restaurant.id, city_text="PORTO, portugal")
    assert again.city.id == created.id
    visits = session.exec(select(CityVisit).where(CityVisit.user_id == alice.id)).all()
    assert sorted(v.city_id for v in visits) == sorted([toronto.id, created.id])


def test_ambiguous_city_asks_for_the_state(session: Session, alice, restaurant: Category) -> None:
    city(session, "Portland", "United States", "Oregon")
    maine = city(session, "Portland", "United States", "Maine")
    with pytest.raises(ValidationFailed) as refused:
        create(session, alice, category_id=restaurant.id, city_text="Portland, United States")
    assert refused.value.field_errors == {
        "city": 'Several cities match: enter it as "City, State, Country"'
    }
    detail = create(
        session, alice, category_id=restaurant.id, city_text="Portland, Maine, United States"
    )
    assert detail.city.id == maine.id


def test_custom_category_is_matched_or_created_at_most_5_a_day(
    session: Session, alice, restaurant: Category, toronto: City
) -> None:
    assert create(session, alice, custom_category="  restaurant ").category_id == restaurant.id
    for index in range(5):
        detail = create(session, alice, custom_category=f"Street art {index}")
        category = session.get(Category, detail.category_id)
        assert category.created_by_id == alice.id and not category.is_system
    before = table_counts(session)
    with pytest.raises(ValidationFailed) as refused:
        create(session, alice, custom_category="Street art 5")
    quota = "You can add at most 5 new categories per day"
    assert refused.value.field_errors == {"category": quota}
    assert table_counts(session) == before
    assert create(session, alice, custom_category="street ART 0").category_name == "Street art 0"


@pytest.mark.parametrize(
    ("overrides", "photo_count", "field", "message"),
    [
        ({"title": "ab"}, 0, "title", "Title must be 3–200 characters"),
        ({"description": "123456789"}, 0, "description", "Description must be 10–2000 characters"),
        ({}, 6, "photos", "At most 5 photos"),
        (
            {"price_min": "30", "price_max": "20"},
            1,
            "price_max",
            "Maximum price must be at least the minimum price",
        ),
        ({"latitude": "43.6"}, 1, "longitude", "Enter both latitude and longitude, or neither"),
        ({"tags": [f"t{i}" for i in range(11)]}, 0, "tags", "At most 10 tags"),
        ({"tags": ["café"]}, 0, "tags", TAG_FORMAT_ERROR),
        ({"author_rating": 0}, 0, "author_rating", "Rate this place from 1 to 5"),
        ({"author_rating": None}, 0, "author_rating", "Rate this place from 1 to 5"),
        ({"address": "  "}, 0, "address", "Address must be 1–500 characters"),
        ({"price_min": "1.234"}, 0, "price_min", "Prices can have at most 2 decimals"),
        ({"price_max": "1000000.01"}, 0, "price_max", "Prices must be between 0 and 1,000,000"),
        ({"latitude": "91", "longitude": "0"}, 0, "latitude", LATITUDE_ERROR),
        ({"difficulty": "extreme"}, 0, "difficulty", "Choose a valid difficulty"),
        ({"best_months": [0, 3]}, 0, "best_months", "Best months must be between 1 and 12"),
        ({"visibility": "everyone"}, 0, "visibility", "Choose a valid visibility"),
        (
            {"city_text": "Toronto"},
            0,
            "city",
            'Enter the city as "City, Country" or "City, State, Country"',
        ),
        ({"category_id": None}, 0, "category", "Choose a category"),
    ],
)
def test_each_validation_error_creates_nothing(
    session: Session,
    alice,
    restaurant: Category,
    toronto: City,
    uploads: Path,
    overrides: dict,
    photo_count: int,
    field: str,
    message: str,
) -> None:
    before = table_counts(session)
    values = {"category_id": restaurant.id, **overrides}
    with pytest.raises(ValidationFailed) as refused:
        create(session, alice, photos=[upload() for _ in range(photo_count)], **values)
    assert refused.value.field_errors[field] == message
    assert table_counts(session) == before
    assert stored_files(uploads) == []
    if field != "photos":
        assert validate_recommendation_form(session, form(**values))[field] == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (images.oversized_png(), "Images must be 10 MB or smaller"),
        (images.minimal_pdf(), "Only JPEG, PNG or WebP images are allowed"),
    ],
    ids=["11MB", "pdf-renamed-jpg"],
)
def test_rejected_image_creates_nothing(
    session: Session,
    alice,
    restaurant: Category,
    toronto: City,
    uploads: Path,
    data: bytes,
    message: str,
) -> None:
    before = table_counts(session)
    with pytest.raises(ValidationFailed) as refused:
        create(session, alice, photos=[upload(), upload(data=data)], category_id=restaurant.id)
    assert refused.value.field_errors == {"photos": message, "photos.1": message}
    assert table_counts(session) == before
    assert stored_files(uploads) == []


def test_a_failure_after_files_were_written_leaves_no_file_or_row(
    session: Session,
    alice,
    restaurant: Category,
    toronto: City,
    uploads: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("citypulse.services.recommendations.commands.add_photo_rows", explode)
    before = table_counts(session)
    with pytest.raises(RuntimeError):
        create(
            session,
            alice,
            photos=[upload(), upload()],
            category_id=restaurant.id,
            city_text="Lyon, France",
        )
    assert table_counts(session) == before
    assert stored_files(uploads) == []


def test_files_written_are_removed_when_the_transaction_rolls_back(
    session: Session, alice, restaurant: Category, toronto: City, uploads: Path
) -> None:
    session.commit()
    recommendation_create(
        session,
        actor=viewer_for(alice),
        form=form(category_id=restaurant.id),
        photos=[upload()],
        now=NOW,
    )
    assert len(stored_files(uploads)) == 2
    session.rollback()  # e.g. the commit failed after the service returned
    assert stored_files(uploads) == []
    assert session.exec(select(Photo)).all() == []


def test_ten_new_recommendations_per_hour(
    session: Session, alice, restaurant: Category, toronto: City
) -> None:
    for _ in range(10):
        create(session, alice, category_id=restaurant.id)
    with pytest.raises(RateLimited) as limited:
        create(session, alice, category_id=restaurant.id)
    assert limited.value.message == "Too many requests, try again in 60 minutes"


def test_photo_uploads_count_twenty_per_hour(
    session: Session, alice, restaurant: Category, toronto: City
) -> None:
    for _ in range(4):
        create(
            session,
            alice,
            photos=[upload(data=jpeg((8, 8))) for _ in range(5)],
            category_id=restaurant.id,
        )
    with pytest.raises(RateLimited):
        create(session, alice, photos=[upload()], category_id=restaurant.id)


def test_inactive_accounts_cannot_publish(
    session: Session, restaurant: Category, toronto: City
) -> None:
    suspended = create_user(session, username="rc_susp", status="suspended")
    with pytest.raises(PermissionDenied):
        create(session, suspended, category_id=restaurant.id)


def test_crafted_values_of_the_wrong_type_are_field_errors(
    session: Session, alice, restaurant: Category, toronto: City
) -> None:
    crafted = form(
        category_id="1; DROP TABLE users",
        city_id=True,
        title=12,
        best_months=13,
        tags=5,
        price_min=["1"],
        latitude={},
        longitude="x",
        author_rating="4.5",
    )
    errors = validate_recommendation_form(session, crafted)
    assert errors == {
        "title": "Title must be 3–200 characters",
        "category": "Category not found",
        "city": "City not found",
        "best_months": "Best months must be between 1 and 12",
        "price_min": "Enter a price like 12.50",
        "latitude": "Latitude must be between -90 and 90",
        "longitude": "Longitude must be between -180 and 180",
        "author_rating": "Rate this place from 1 to 5",
    }
    partial = validate_recommendation_form(session, form(title="ok"), partial=True)
    assert partial == {"title": "Title must be 3–200 characters"}
    assert validate_recommendation_form(session, form(category_id=restaurant.id)) == {}
