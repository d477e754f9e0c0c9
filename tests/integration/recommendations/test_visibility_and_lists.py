"""Who sees what (§4.3.4, §7.12), deletion (§4.3.3), the city page and keyset paging (§4.14)."""

import base64
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session

from citypulse.models import Block, CityVisit, ContentReport, Recommendation
from citypulse.services.errors import NotFound
from citypulse.services.recommendations.cities import (
    CityChooser,
    CityOverview,
    categories_list,
    city_featured,
    city_overview,
    city_recommendations,
    city_suggestions,
)
from citypulse.services.recommendations.commands import recommendation_delete
from citypulse.services.recommendations.queries import (
    PAGE_SIZE,
    price_display,
    recommendation_detail,
    recommendations_by_author,
)
from tests.integration.recommendations.support import befriend, city, listed_rec, viewer_for
from tests.integration.support import NOW, run_action
from tests.support.factories import create_category, create_user


@pytest.fixture
def world(session: Session):
    alice = create_user(session, username="rv_alice")
    dave = create_user(session, username="rv_dave")
    bob = create_user(session, username="rv_bob")
    befriend(session, alice, dave)
    toronto = city(session, "Toronto", "Canada", "Ontario")
    toronto.description = "Canada's largest city."
    food, nature = create_category(session, name="Food"), create_category(session, name="Parks")
    recs = {
        vis: listed_rec(
            session,
            author=alice,
            city_row=toronto,
            category=food,
            visibility=vis,
            created_at=NOW - timedelta(hours=i),
            title=f"R {vis}",
        )
        for i, vis in enumerate(("public", "friends_only", "private"))
    }
    park = listed_rec(
        session,
        author=bob,
        city_row=toronto,
        category=nature,
        created_at=NOW - timedelta(hours=5),
        title="High Park",
    )
    return alice, dave, bob, toronto, food, nature, recs, park


def ids(page) -> list[int]:
    return [card.id for card in page.items]


def detail_or_none(session: Session, rec, viewer):
    try:
        return recommendation_detail(
            session, viewer_id=viewer and viewer.id, recommendation_id=rec.id
        )
    except NotFound as missing:
        assert missing.message == "Recommendation not found"
        return None


def test_detail_visibility_for_visitor_stranger_buddy_and_author(session: Session, world) -> None:
    alice, dave, bob, *_, recs, _ = world
    expected = [
        (None, ["public"]),
        (bob, ["public"]),
        (dave, ["public", "friends_only"]),
        (alice, ["public", "friends_only", "private"]),
    ]
    for viewer, visible in expected:
        seen = [vis for vis, rec in recs.items() if detail_or_none(session, rec, viewer)]
        assert seen == visible, viewer and viewer.username
    assert not detail_or_none(session, recs["public"], bob).is_author
    assert detail_or_none(session, recs["public"], alice).is_author


def test_lists_and_counts_only_show_visible(session: Session, world) -> None:
    alice, dave, bob, toronto, _, nature, recs, park = world
    by_alice = [
        (None, [recs["public"].id]),
        (bob, [recs["public"].id]),
        (dave, [recs["public"].id, recs["friends_only"].id]),
        (alice, [recs["public"].id, recs["friends_only"].id, recs["private"].id]),
    ]
    for viewer, expected in by_alice:
        viewer_id = viewer and viewer.id
        assert (
            ids(recommendations_by_author(session, viewer_id=viewer_id, author_id=alice.id))
            == expected
        )
        city_page = city_recommendations(session, viewer_id=viewer_id, city_id=toronto.id)
        assert ids(city_page) == [*expected, park.id]
        overview = city_overview(session, viewer_id=viewer_id, name="toronto")
        assert isinstance(overview, CityOverview)
        assert overview.recommendations_count == len(expected) + 1
        assert overview.places_label == f"{len(expected) + 1} places"
        assert overview.contributors_count == 2
        assert [(c.name, c.count) for c in overview.categories] == sorted(
            [("Food", len(expected)), ("Parks", 1)], key=lambda item: (-item[1], item[0])
        )
    food_only = city_recommendations(
        session, viewer_id=None, city_id=toronto.id, category_id=nature.id
    )
    assert ids(food_only) == [park.id]


def test_a_block_or_an_inactive_author_hides_everything(session: Session, world) -> None:
    alice, dave, bob, toronto, *_ = world
    session.add(Block(blocker_id=alice.id, blocked_id=dave.id))
    bob.account_status = "suspended"
    session.flush()
    assert ids(city_recommendations(session, viewer_id=dave.id, city_id=toronto.id)) == []
    overview = city_overview(session, viewer_id=dave.id, name="Toronto")
    assert overview.recommendations_count == 0 and overview.contributors_count == 0
    assert overview.places_label == "0 places" and overview.categories == ()


def test_delete_hides_it_everywhere_and_resolves_open_reports(session: Session, world) -> None:
    alice, dave, bob, toronto, *_, recs, _ = world
    rec = recs["public"]
    reports = {
        status: ContentReport(
            reporter_id=reporter.id,
            content_type="recommendation",
            content_id=rec.id,
            content_owner_id=alice.id,
            reason="spam",
            status=status,
        )
        for status, reporter in (("pending", bob), ("under_review", dave))
    }
    carol = create_user(session, username="rv_carol")
    dismissed = ContentReport(
        reporter_id=carol.id,
        content_type="recommendation",
        content_id=rec.id,
        content_owner_id=alice.id,
        reason="spam",
        status="dismissed",
    )
    session.add_all([*reports.values(), dismissed])
    session.flush()
    run_action(
        session, recommendation_delete, actor=viewer_for(alice), recommendation_id=rec.id, now=NOW
    )
    row = session.get(Recommendation, rec.id)
    assert row.status == "deleted" and row.deleted_at == NOW
    for report in reports.values():
        session.refresh(report)
        assert (report.status, report.resolution_note) == ("resolved", "deleted by author")
    session.refresh(dismissed)
    assert dismissed.status == "dismissed" and dismissed.resolution_note is None
    for viewer in (alice, bob, None):
        assert detail_or_none(session, rec, viewer) is None
        assert rec.id not in ids(
            recommendations_by_author(session, viewer_id=viewer and viewer.id, author_id=alice.id)
        )
        assert rec.id not in ids(
            city_recommendations(session, viewer_id=viewer and viewer.id, city_id=toronto.id)
        )
    with pytest.raises(NotFound):
        run_action(
            session,
            recommendation_delete,
            actor=viewer_for(alice),
            recommendation_id=rec.id,
            now=NOW,
        )


def test_removed_shows_to_the_author_only_and_never_on_the_city_page(
    session: Session, world
) -> None:
    alice, _, bob, toronto, *_, recs, _ = world
    rec = recs["public"]
    row = session.get(Recommendation, rec.id)
    row.status, row.removed_reason = "removed", "Misleading prices in the post"
    session.flush()
    assert detail_or_none(session, rec, bob) is None
    assert detail_or_none(session, rec, alice).removed_reason == "Misleading prices in the post"
    assert rec.id in ids(recommendations_by_author(session, viewer_id=alice.id, author_id=alice.id))
    assert rec.id not in ids(city_recommendations(session, viewer_id=alice.id, city_id=toronto.id))


def test_city_chooser_country_filter_and_not_found(session: Session) -> None:
    oregon = city(session, "Portland", "United States", "Oregon")
    maine = city(session, "Portland", "United States", "Maine")
    jamaica = city(session, "Portland", "Jamaica")
    chooser = city_overview(session, viewer_id=None, name="  PORTLAND ")
    assert isinstance(chooser, CityChooser)
    assert [o.label for o in chooser.options] == [
        "Portland, Jamaica",
        "Portland, Maine, United States",
        "Portland, Oregon, United States",
    ]
    picked = city_overview(session, viewer_id=None, name="portland", country="jamaica")
    assert isinstance(picked, CityOverview) and picked.city.id == jamaica.id
    still = city_overview(session, viewer_id=None, name="Portland", country="United States")
    assert {o.id for o in still.options} == {oregon.id, maine.id}
    one = city_overview(
        session, viewer_id=None, name="Portland", country="United States", state="maine"
    )
    assert one.city.id == maine.id
    for name, country in (("Atlantis", None), ("Portland", "France")):
        with pytest.raises(NotFound) as missing:
            city_overview(session, viewer_id=None, name=name, country=country)
        assert missing.value.message == "City not found"


def test_visitors_and_featured(session: Session, world) -> None:
    alice, dave, bob, toronto, food, _, recs, park = world
    for user in (alice, dave):
        session.add(CityVisit(user_id=user.id, city_id=toronto.id, source="manual"))
    scores = {  # (rating_avg, views)
        "public": (Decimal("4.00"), 10),
        "friends_only": (Decimal("5.00"), 100),
    }
    for vis, (avg, views) in scores.items():
        row = session.get(Recommendation, recs[vis].id)
        row.rating_avg, row.views_count, row.ratings_count = avg, views, 1
    extra = [
        listed_rec(
            session,
            author=bob,
            city_row=toronto,
            category=food,
            created_at=NOW - timedelta(days=1, hours=i),
            title=f"Extra {i}",
        )
        for i in range(3)
    ]
    for index, rec in enumerate(extra):
        rec.rating_avg, rec.views_count, rec.ratings_count = Decimal("3.00"), 5 + index, 2
    session.flush()
    assert city_overview(session, viewer_id=None, name="Toronto").visitors_count == 2
    featured = [card.id for card in city_featured(session, viewer_id=dave.id, city_id=toronto.id)]
    assert featured == [recs["friends_only"].id, recs["public"].id, extra[2].id]
    visitor = [card.id for card in city_featured(session, viewer_id=None, city_id=toronto.id)]
    assert visitor == [recs["public"].id, extra[2].id, extra[1].id]
    assert park.id not in visitor  # no ratings


def test_city_suggestions_put_own_cities_first(session: Session) -> None:
    alice = create_user(session, username="rs_alice")
    toronto = city(session, "Toronto", "Canada", "Ontario")
    torino = city(session, "Torino", "Italy")
    city(session, "Lisbon", "Portugal")
    session.add(CityVisit(user_id=alice.id, city_id=toronto.id, source="manual"))
    session.flush()
    mine = city_suggestions(session, viewer_id=alice.id, text="tor")
    assert [(s.label, s.is_own) for s in mine] == [
        ("Toronto, Canada", True),
        ("Torino, Italy", False),
    ]
    assert mine[0].full_label == "Toronto, Ontario, Canada"
    anonymous = city_suggestions(session, viewer_id=None, text="TOR")
    assert [s.id for s in anonymous] == [torino.id, toronto.id]
    assert [s.id for s in city_suggestions(session, viewer_id=None, text="tor, it")] == [torino.id]
    assert [s.id for s in city_suggestions(session, viewer_id=alice.id, text="")] == [toronto.id]
    assert city_suggestions(session, viewer_id=None, text="%") == ()


def test_categories_list_puts_system_categories_first(session: Session) -> None:
    custom = create_category(session, name="aaa custom")
    system = create_category(session, name="Zoo")
    system.is_system = True
    session.flush()
    names = [c.name for c in categories_list(session)]
    assert names.index("Zoo") < names.index("aaa custom")
    assert custom.id in {c.id for c in categories_list(session)}


def test_keyset_pages_never_repeat_or_skip_while_new_rows_arrive(session: Session) -> None:
    author = create_user(session, username="rp_author")
    reader = create_user(session, username="rp_reader")
    lisbon = city(session, "Lisbon", "Portugal")
    category = create_category(session, name="Cafés")
    same_moment = NOW - timedelta(days=2)
    original = [
        listed_rec(
            session,
            author=author,
            city_row=lisbon,
            category=category,
            created_at=same_moment if i % 3 == 0 else NOW - timedelta(minutes=i),
        )
        for i in range(45)
    ]
    seen: list[int] = []
    cursor = None
    for page_number in range(10):
        page = city_recommendations(session, viewer_id=reader.id, city_id=lisbon.id, cursor=cursor)
        by_author = recommendations_by_author(
            session, viewer_id=reader.id, author_id=author.id, cursor=cursor
        )
        assert ids(by_author) == ids(page)
        assert len(page.items) <= PAGE_SIZE
        seen.extend(ids(page))
        listed_rec(
            session,
            author=author,
            city_row=lisbon,
            category=category,
            created_at=NOW + timedelta(minutes=page_number + 1),
        )
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 45
    assert set(seen) == {rec.id for rec in original}
    first = city_recommendations(session, viewer_id=reader.id, city_id=lisbon.id)
    tampered = base64.urlsafe_b64encode(b"yesterday|1").decode()
    naive = base64.urlsafe_b64encode(b"2025-03-10T12:00:00|1").decode()
    for bad in ("not-a-cursor", "%%%", tampered, naive, ""):
        restart = city_recommendations(session, viewer_id=reader.id, city_id=lisbon.id, cursor=bad)
        assert ids(restart) == ids(first) and first.items[0].created_at > NOW


@pytest.mark.parametrize(
    ("low", "high", "shown"),
    [
        (None, None, ""),
        ("0", "0", "FREE"),
        (None, "0", "FREE"),
        ("12", None, "From $12"),
        ("0", "25", "Up to $25"),
        (None, "25.5", "Up to $25.50"),
        ("10", "25", "$10–$25"),
        ("1000", "1000", "$1,000"),
    ],
)
def test_price_display(low, high, shown) -> None:
    as_decimal = [None if v is None else Decimal(v) for v in (low, high)]
    assert price_display(*as_decimal) == shown
