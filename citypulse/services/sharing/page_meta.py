"""Titles and link-preview facts (Open Graph / Twitter) of the pages people share.

Issue 15 item 9. One naming rule for the browser tab and for the preview a chat app or
a search engine shows: "Pai Northern Thai Kitchen · Toronto · CityPulse",
"@alice · CityPulse", "Toronto · CityPulse". The previews are built for a visitor
(no viewer): a private or hidden recommendation, a blocked or inactive account or a
private profile's details never reach them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from citypulse.models import City
from citypulse.services.errors import NotFound
from citypulse.services.profiles.queries import profile_view
from citypulse.services.recommendations.cities import (
    city_featured,
    city_newest,
    city_places,
    find_city,
    places_label,
)
from citypulse.services.recommendations.queries import recommendation_detail, upload_url

SITE = "CityPulse"
DESCRIPTION_LIMIT = 200  # previews cut long text anyway; keep the head small
PRIVATE_PROFILE = "A CityPulse member."
SHELL_CARDS = 3  # the city page's first row of cards (three columns on a desktop)


@dataclass(frozen=True)
class ShellCard:
    """A card of a list as the page's first paint shows it: its photo and title."""

    title: str
    thumb_url: str


@dataclass(frozen=True)
class PageMeta:
    """What the head of a shared page says. `image` is a site path ('' for none)."""

    title: str
    description: str
    image: str = ""
    kind: str = "website"  # og:type
    # The page's largest image as the page will ask for it ("<url> <w>w, ..."): the
    # shell preloads it so it is on its way before the app has even started.
    image_srcset: str = ""
    image_width: int = 0  # its shape, so the first paint keeps its place before it arrives
    image_height: int = 0
    # What the page's first paint shows before the app runs (api/page_meta.py's shell):
    # the page's heading, the line under it, a lead paragraph and the first cards.
    heading: str = ""
    subheading: str = ""
    lead: str = ""
    cards: tuple[ShellCard, ...] = ()


def page_title(*parts: str) -> str:
    """The parts that are set, then the site: "Toronto · CityPulse"."""
    return " · ".join([part for part in parts if part] + [SITE])


def recommendation_title(title: str, city_name: str | None) -> str:
    return page_title(title, city_name or "")


def profile_title(username: str) -> str:
    return page_title(f"@{username}")


def city_title(name: str) -> str:
    return page_title(name)


def _summary(text: str | None) -> str:
    """One line of at most DESCRIPTION_LIMIT characters, cut at a word."""
    flat = " ".join((text or "").split())
    if len(flat) <= DESCRIPTION_LIMIT:
        return flat
    return flat[: DESCRIPTION_LIMIT - 1].rsplit(" ", 1)[0] + "…"


def recommendation_meta(session: Session, *, recommendation_id: int) -> PageMeta | None:
    """The preview of a recommendation a visitor may see (None: hidden or missing)."""
    try:
        detail = recommendation_detail(session, viewer_id=None, recommendation_id=recommendation_id)
    except NotFound:
        return None
    city = detail.city.name if detail.city else None
    city_label = detail.city.label if detail.city else ""
    where = f"{detail.category_name} in {detail.city.label}" if detail.city else ""
    first = detail.photos[0] if detail.photos else None
    return PageMeta(
        title=recommendation_title(detail.title, city),
        description=_summary(detail.description) or where,
        image=first.image_url if first else "",
        kind="article",
        # The carousel's srcset (components/recommendation/carousel.py), same order.
        image_srcset=first.srcset if first else "",
        image_width=first.width if first else 0,
        image_height=first.height if first else 0,
        heading=detail.title,
        subheading=" · ".join(part for part in (city_label, detail.category_name) if part),
    )


def profile_meta(session: Session, *, username: str) -> PageMeta | None:
    """A profile's preview; a private (limited) profile says no more than its name."""
    try:
        profile = profile_view(session, viewer=None, username=username)
    except NotFound:
        return None
    title = profile_title(profile.username)
    if profile.kind != "full":
        return PageMeta(title=title, description=PRIVATE_PROFILE, kind="profile")
    return PageMeta(
        title=title,
        description=_summary(profile.bio) or f"{profile.full_name} on {SITE}.",
        image=upload_url(profile.avatar_key),
        kind="profile",
    )


def city_meta(session: Session, *, name: str) -> PageMeta | None:
    """A city's preview (None when the name is unknown or several cities share it), with
    the first row of the cards a visitor sees first (featured, then the newest).

    The page's first paint waits for this, so it reads only what the shell shows (the
    city, one count, at most six cards), not the whole page (`city_page`: every count,
    the categories, twenty cards).
    """
    try:
        city = find_city(session, name=name)
    except NotFound:
        return None
    if not isinstance(city, City):
        return None
    featured = city_featured(session, viewer_id=None, city_id=city.id)
    newest = ()
    if len(featured) < SHELL_CARDS:  # the newest not featured fill the row
        limit = SHELL_CARDS + len(featured)
        newest = city_newest(session, viewer_id=None, city_id=city.id, limit=limit)
    shown = {card.id for card in featured}
    first = [*featured, *(c for c in newest if c.id not in shown)]
    label = ", ".join(part for part in (city.name, city.state_province, city.country) if part)
    places = places_label(city_places(session, viewer_id=None, city_id=city.id))
    return PageMeta(
        title=city_title(city.name),
        description=_summary(city.description) or f"{places} recommended in {label}.",
        image=upload_url(city.cover_key),
        heading=city.name,
        subheading=", ".join(part for part in (city.state_province, city.country) if part),
        lead=city.description or "",
        cards=tuple(ShellCard(c.title, c.thumb_url) for c in first[:SHELL_CARDS]),
    )
