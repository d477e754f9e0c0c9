"""The `/city/[name]` loader: one transaction with header, featured and the first page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session

from citypulse.models import Recommendation
from citypulse.services.errors import NotFound
from citypulse.services.recommendations.city_page import city_experiences_more, city_page
from citypulse.services.recommendations.queries import PAGE_SIZE
from tests.integration.recommendations.support import befriend, city, listed_rec, viewer_for
from tests.integration.support import NOW
from tests.support.factories import create_category, create_user


@pytest.fixture
def lisbon(session: Session):
    """Lisbon with ana's public, buddies-only and private posts; ben is ana's buddy."""
    ana, ben, cleo = (create_user(session, username=n) for n in ("cp_ana", "cp_ben", "cp_cleo"))
    befriend(session, ana, ben)
    place = city(session, "Lisbon", "Portugal")
    food, parks = create_category(session, name="Food"), create_category(session, name="Parks")
    recs = {
        vis: listed_rec(
            session, author=ana, city_row=place, category=food, visibility=vis,
            created_at=NOW - timedelta(hours=i), title=f"Lisbon {vis}",
        )
        for i, vis in enumerate(("public", "friends_only", "private"))
    }  # fmt: skip
    garden = listed_rec(
        session, author=cleo, city_row=place, category=parks,
        created_at=NOW - timedelta(hours=5), title="Estrela garden",
    )  # fmt: skip
    rated = session.get(Recommendation, recs["public"].id)
    rated.rating_avg, rated.ratings_count, rated.views_count = Decimal("4.50"), 2, 10
    session.flush()
    return ana, ben, cleo, place, food, recs, garden


def ids(cards) -> list[int]:
    return [card.id for card in cards]


def test_a_visitor_sees_only_public_posts_in_header_featured_and_list(
    session: Session, lisbon
) -> None:
    *_, place, _, recs, garden = lisbon

    page = city_page(session, viewer=None, name=" lisbon ")

    assert page.chooser is None and page.overview is not None
    assert page.overview.city.id == place.id
    assert page.overview.recommendations_count == 2
    assert ids(page.featured) == [recs["public"].id]
    assert ids(page.experiences.items) == [recs["public"].id, garden.id]
    assert page.experiences.next_cursor is None


def test_a_buddy_and_the_author_see_what_they_may_see(session: Session, lisbon) -> None:
    ana, ben, _, _, _, recs, garden = lisbon

    buddy = city_page(session, viewer=viewer_for(ben), name="Lisbon")
    author = city_page(session, viewer=viewer_for(ana), name="Lisbon")

    assert ids(buddy.experiences.items) == [recs["public"].id, recs["friends_only"].id, garden.id]
    assert recs["private"].id in ids(author.experiences.items)
    assert author.overview.recommendations_count == 4


def test_a_category_filters_the_list_and_drops_featured(session: Session, lisbon) -> None:
    *_, food, recs, _ = lisbon

    page = city_page(session, viewer=None, name="Lisbon", category_id=food.id)

    assert page.featured == ()
    assert ids(page.experiences.items) == [recs["public"].id]


def test_an_unknown_category_lists_nothing(session: Session, lisbon) -> None:
    page = city_page(session, viewer=None, name="Lisbon", category_id=2_000_000_000)

    assert page.overview is not None and page.experiences.items == ()


def test_several_cities_with_the_name_give_a_chooser(session: Session) -> None:
    city(session, "Portland", "United States", "Oregon")
    city(session, "Portland", "Jamaica")

    page = city_page(session, viewer=None, name="Portland")

    assert page.overview is None and page.experiences is None and page.featured == ()
    assert [option.label for option in page.chooser.options] == [
        "Portland, Jamaica",
        "Portland, Oregon, United States",
    ]


@pytest.mark.parametrize(("name", "country"), [("Atlantis", None), ("Lisbon", "Spain"), ("", None)])
def test_an_unknown_city_is_not_found(session: Session, lisbon, name, country) -> None:
    with pytest.raises(NotFound, match="City not found"):
        city_page(session, viewer=None, name=name, country=country)


def test_more_pages_continue_without_repeats_and_respect_visibility(
    session: Session, lisbon
) -> None:
    _ana, _ben, cleo, place, food, recs, _ = lisbon
    for i in range(PAGE_SIZE + 2):
        listed_rec(
            session, author=cleo, city_row=place, category=food,
            created_at=NOW - timedelta(days=1, minutes=i), title=f"Older {i}",
        )  # fmt: skip

    first = city_page(session, viewer=None, name="Lisbon")
    rest = city_experiences_more(
        session, viewer=None, city_id=place.id, category_id=None,
        cursor=first.experiences.next_cursor,
    )  # fmt: skip

    seen = ids(first.experiences.items) + ids(rest.items)
    assert len(seen) == len(set(seen)) == PAGE_SIZE + 4
    assert recs["friends_only"].id not in seen and recs["private"].id not in seen
    assert rest.next_cursor is None
