"""Link-preview facts are a visitor's view: nothing hidden or private leaks into them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from citypulse.media.storage import medium_key, medium_path, store_photo
from citypulse.models import Photo, Profile, RecommendationCity
from citypulse.models.enums import AccountStatus, ContentStatus, Visibility
from citypulse.services.recommendations.city_page import city_page
from citypulse.services.sharing.page_meta import (
    PRIVATE_PROFILE,
    city_meta,
    page_title,
    profile_meta,
    recommendation_meta,
)
from citypulse.settings import get_settings
from tests.support import images
from tests.support.factories import create_city, create_recommendation, create_user


def test_titles_name_the_thing_then_the_site() -> None:
    assert page_title("Pai Northern Thai Kitchen", "Toronto") == (
        "Pai Northern Thai Kitchen · Toronto · CityPulse"
    )
    assert page_title("", "Toronto") == "Toronto · CityPulse"


def test_a_public_recommendation_is_named_with_its_city(session: Session) -> None:
    author = create_user(session)
    city = create_city(session, name="Toronto", country="Canada")
    place = create_recommendation(session, author=author, title="Pai", description="Thai " * 80)
    session.add(RecommendationCity(recommendation_id=place.id, city_id=city.id, is_primary=True))
    session.flush()
    meta = recommendation_meta(session, recommendation_id=place.id)
    assert meta is not None
    assert meta.title == "Pai · Toronto · CityPulse"
    assert len(meta.description) <= 200 and meta.description.endswith("…")
    assert meta.image == "" and meta.kind == "article"


def test_hidden_recommendations_have_no_preview(session: Session) -> None:
    author = create_user(session)
    private = create_recommendation(session, author=author, visibility="private")
    buddies = create_recommendation(session, author=author, visibility="friends_only")
    removed = create_recommendation(session, author=author)
    removed.status = ContentStatus.removed
    session.add(removed)
    session.flush()
    for place in (private, buddies, removed):
        assert recommendation_meta(session, recommendation_id=place.id) is None
    assert recommendation_meta(session, recommendation_id=2_000_000_000) is None


def test_a_private_profile_says_only_its_name(session: Session) -> None:
    user = create_user(session, username="quiet_one", full_name="Quiet Person")
    user.bio = "Lives at 12 Hidden Lane"
    profile = session.exec(select(Profile).where(Profile.user_id == user.id)).one()
    profile.profile_visibility = Visibility.private
    session.add_all([user, profile])
    session.flush()
    meta = profile_meta(session, username="quiet_one")
    assert meta is not None
    assert (meta.title, meta.description, meta.image) == (
        "@quiet_one · CityPulse",
        PRIVATE_PROFILE,
        "",
    )


def test_a_public_profile_and_missing_ones(session: Session) -> None:
    user = create_user(session, username="open_one", full_name="Open Person")
    user.bio = "Coffee first."
    session.add(user)
    create_user(session, username="gone_one", status=AccountStatus.deactivated)
    session.flush()
    meta = profile_meta(session, username="open_one")
    assert meta is not None and (meta.title, meta.description) == (
        "@open_one · CityPulse",
        "Coffee first.",
    )
    assert profile_meta(session, username="gone_one") is None
    assert profile_meta(session, username="nobody_here") is None


def test_cities(session: Session) -> None:
    create_city(session, name="Porto", country="Portugal")
    create_city(session, name="Springfield", country="USA")
    create_city(session, name="Springfield", country="Canada")
    meta = city_meta(session, name="porto")
    assert meta is not None and meta.title == "Porto · CityPulse"
    assert meta.description == "0 places recommended in Porto, Portugal."
    assert city_meta(session, name="Springfield") is None  # ambiguous: the chooser page
    assert city_meta(session, name="Atlantis") is None


def test_the_first_paint_names_the_place_and_its_city(session: Session) -> None:
    author = create_user(session)
    city = create_city(session, name="Toronto", country="Canada")
    place = create_recommendation(session, author=author, title="Pai")
    session.add(RecommendationCity(recommendation_id=place.id, city_id=city.id, is_primary=True))
    session.flush()
    meta = recommendation_meta(session, recommendation_id=place.id)
    assert meta is not None and meta.heading == "Pai"
    assert meta.subheading.startswith("Toronto, Canada · ")
    assert meta.image_srcset == ""  # no photo: the shell shows no hero


def test_a_city_first_paint_shows_its_first_visible_cards(session: Session) -> None:
    author = create_user(session)
    city = create_city(session, name="Porto", country="Portugal")
    city.description = "Port wine and tiles."
    places = [create_recommendation(session, author=author, title=f"Place {i}") for i in range(4)]
    hidden = create_recommendation(session, author=author, title="Secret", visibility="private")
    rated = places[0]  # the oldest, but rated: featured, so shown first
    rated.ratings_count, rated.rating_avg, rated.views_count = 1, 4, 10
    session.add_all([city, rated])
    for place in (*places, hidden):
        session.add(
            RecommendationCity(recommendation_id=place.id, city_id=city.id, is_primary=True)
        )
    session.flush()
    meta = city_meta(session, name="porto")
    assert meta is not None
    assert (meta.heading, meta.subheading, meta.lead) == (
        "Porto",
        "Portugal",
        "Port wine and tiles.",
    )
    titles = [card.title for card in meta.cards]
    assert len(titles) == 3 and titles[0] == "Place 0" and "Secret" not in titles
    assert len(set(titles)) == 3  # the featured card is not repeated from the newest


def test_the_first_paint_asks_for_the_photo_at_the_size_of_its_slot(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "upload_dir", tmp_path)
    place = create_recommendation(session, author=create_user(session), title="Pai")
    stored = store_photo(images.pattern((1600, 1200)))
    session.add(
        Photo(recommendation_id=place.id, image_key=stored.image_key, thumb_key=stored.thumb_key,
              width=stored.width, height=stored.height, file_size=stored.file_size,
              position=0, is_primary=True)
    )  # fmt: skip
    session.flush()
    meta = recommendation_meta(session, recommendation_id=place.id)
    assert meta is not None and (meta.image_width, meta.image_height) == (1600, 1200)
    thumb, medium, full = (
        f"/_upload/{k}" for k in (stored.thumb_key, medium_key(stored.image_key), stored.image_key)
    )
    assert meta.image_srcset == f"{thumb} 400w, {medium} 800w, {full} 1600w"
    # A photo stored before medium copies were made: the sizes that exist.
    medium_path(stored.image_key).unlink()
    meta = recommendation_meta(session, recommendation_id=place.id)
    assert meta is not None and meta.image_srcset == f"{thumb} 400w, {full} 1600w"


def test_a_city_first_paint_reads_only_what_it_shows(session: Session) -> None:
    city = create_city(session, name="Porto", country="Portugal")
    author = create_user(session)
    for i in range(4):
        place = create_recommendation(session, author=author, title=f"Place {i}")
        session.add(
            RecommendationCity(recommendation_id=place.id, city_id=city.id, is_primary=True)
        )
    session.flush()
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        meta = city_meta(session, name="porto")
        shell_reads = len(statements)
        city_page(session, viewer=None, name="porto")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert meta is not None and len(meta.cards) == 3
    # The city, its featured cards, the newest cards and one count; the page reads more.
    assert shell_reads <= 4 < len(statements) - shell_reads
