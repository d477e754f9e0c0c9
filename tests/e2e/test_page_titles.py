"""Titles name the thing and shared links carry their preview (issue 15 item 9).

In the browser the tab title follows the page (also after client-side navigation). A
link-preview bot runs no JavaScript: the HTML it fetches must already hold the title and
the Open Graph / Twitter tags, and never the details of a private recommendation or
profile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import httpx
from playwright.sync_api import Page, expect
from sqlmodel import col, select

from citypulse.db import session_scope
from citypulse.models import City, Photo, Profile, Recommendation, RecommendationCity, User
from citypulse.models.enums import Visibility
from tests.e2e.support.people import create_member, create_place


@dataclass
class Head:
    titles: list[str]
    meta: dict[str, str]


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.head = Head([], {})
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "title":
            self._in_title = True
            self.head.titles.append("")
        elif tag == "meta" and (key := values.get("property") or values.get("name")):
            self.head.meta[key] = values.get("content") or ""

    def handle_endtag(self, tag: str) -> None:
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.head.titles[-1] += data


def fetched_head(base_url: str, path: str) -> tuple[str, Head]:
    """What a bot that runs no JavaScript receives for `path`."""
    response = httpx.get(base_url + path, headers={"User-Agent": "Slackbot-LinkExpanding 1.0"})
    assert response.status_code == 200, path
    parser = _HeadParser()
    parser.feed(response.text)
    return response.text, parser.head


def a_public_place_with_photo() -> tuple[int, str, str, str]:
    """A seeded public recommendation with a city and photos: id, title, city, first photo."""
    with session_scope() as session:
        row = session.exec(
            select(Recommendation.id, Recommendation.title, City.name, Photo.image_key)
            .join(RecommendationCity, RecommendationCity.recommendation_id == Recommendation.id)
            .join(City, City.id == RecommendationCity.city_id)
            .join(Photo, Photo.recommendation_id == Recommendation.id)
            .where(
                Recommendation.visibility == Visibility.public,
                col(RecommendationCity.is_primary),
                col(Photo.is_primary),
            )
            .order_by(Recommendation.id)
        ).first()
    assert row is not None, "the demo seed has public places with photos"
    return row


def test_tab_titles_name_the_place_the_person_and_the_city(page: Page) -> None:
    rid, title, city, _ = a_public_place_with_photo()
    page.goto(f"/recommendations/{rid}")
    expect(page).to_have_title(f"{title} · {city} · CityPulse")
    expect(page.locator("title")).to_have_count(1)  # the server's title is the app's
    # Client-side navigation renames the tab too (not only the first page's HTML).
    page.get_by_role("link", name=re.compile(rf"^{re.escape(city)}\b")).first.click()
    expect(page.get_by_role("heading", level=1, name=city)).to_be_visible()
    expect(page).to_have_title(f"{city} · CityPulse")
    page.goto("/profile/alice")
    expect(page).to_have_title("@alice · CityPulse")
    page.goto("/city/toronto")
    expect(page).to_have_title("Toronto · CityPulse")
    page.goto("/recommendations/999999999")
    expect(page).to_have_title("Recommendation not found · CityPulse")


def test_shared_links_carry_title_description_and_first_photo(base_url: str) -> None:
    rid, title, city, image_key = a_public_place_with_photo()
    html, head = fetched_head(base_url, f"/recommendations/{rid}")
    expected = f"{title} · {city} · CityPulse"
    assert head.titles == [expected]
    assert head.meta["og:title"] == head.meta["twitter:title"] == expected
    assert head.meta["og:type"] == "article"
    assert head.meta["og:url"] == f"{base_url}/recommendations/{rid}"
    assert head.meta["og:description"] and head.meta["description"] == head.meta["og:description"]
    assert head.meta["og:image"] == f"{base_url}/_upload/{image_key}"
    assert head.meta["twitter:card"] == "summary_large_image"
    assert "<script" in html  # the same app shell: people who follow the link get the page

    _, profile = fetched_head(base_url, "/profile/alice")
    assert profile.titles == ["@alice · CityPulse"]
    assert profile.meta["og:title"] == "@alice · CityPulse"
    _, toronto = fetched_head(base_url, "/city/toronto")
    assert toronto.titles == ["Toronto · CityPulse"]
    assert toronto.meta["og:title"] == "Toronto · CityPulse" and toronto.meta["og:description"]


def test_previews_keep_private_things_private(base_url: str) -> None:
    create_member("meta_author")
    secret_title = "Secret Garden Of Meta Tags"
    hidden = create_place("meta_author", title=secret_title, visibility="private")
    html, head = fetched_head(base_url, f"/recommendations/{hidden}")
    assert secret_title not in html
    assert "og:title" not in head.meta and head.titles == ["CityPulse"]

    create_member("meta_private")
    secret_bio = "My home address is 12 Hidden Lane"
    with session_scope() as session:
        user = session.exec(select(User).where(User.username == "meta_private")).one()
        profile = session.exec(select(Profile).where(Profile.user_id == user.id)).one()
        user.bio, profile.profile_visibility = secret_bio, Visibility.private
        session.add_all([user, profile])
    html, head = fetched_head(base_url, "/profile/meta_private")
    assert secret_bio not in html
    assert head.titles == ["@meta_private · CityPulse"]
    assert head.meta["og:description"] == "A CityPulse member."
    assert "og:image" not in head.meta
