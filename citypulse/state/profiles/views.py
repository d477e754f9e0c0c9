"""Profile read models → the typed view models the profile and settings pages render.

Frozen dataclasses with real booleans and numbers; the mappers below are the only place
that turns profile read models into display text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from urllib.parse import quote

from citypulse.services.interactions.likes_saves import InteractionListItem
from citypulse.services.profiles.edit import ProfileEditForm
from citypulse.services.profiles.queries import ProfileView, VisitedCity
from citypulse.services.profiles.settings import InterestSettings, PrivacySettings
from citypulse.services.recommendations.queries import RecommendationCard, rating_display
from citypulse.state.recommendations.views import CardView, card_views

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LINK_LABELS = (("instagram_url", "Instagram"), ("facebook_url", "Facebook"),
               ("twitter_url", "X"), ("linkedin_url", "LinkedIn"),
               ("website_url", "Website"))  # fmt: skip
RELATIONSHIP_TEXT = {
    "buddies": "Buddies ✓",
    "request_sent": "Buddy request sent",
    "request_received": "Sent you a buddy request",
}
COMPLETION_LABELS = {"avatar": "a profile photo", "cover": "a cover photo", "bio": "a bio",
                     "current_location": "your current location", "hometown": "your hometown",
                     "city": "a city you visited", "interest": "an interest",
                     "link": "a link"}  # fmt: skip
SOURCE_LABELS = {"recommendation": "from a recommendation", "trip": "from a trip"}
VISIBILITY_BADGES = {"friends_only": "Buddies only", "private": "Private"}


def upload_href(key: str | None) -> str:
    """The public URL of a stored image ('' without one)."""
    return f"/_upload/{key}" if key else ""


def month_label(month: str | None) -> str:
    """'2024-06' → 'Jun 2024' ('' when unknown)."""
    digits = (month or "")[5:]
    if not month or len(month) != 7 or not (digits.isascii() and digits.isdigit()):
        return ""  # "2024-²²": unicode digits pass isdigit() but int() refuses them
    index = int(month[5:]) - 1
    return f"{MONTHS[index]} {month[:4]}" if 0 <= index < 12 else ""


# --- /profile/[username] ----------------------------------------------------------------


@dataclass(frozen=True)
class PersonView:
    """Who the profile belongs to and what it says about them."""

    username: str = ""
    full_name: str = ""
    initial: str = ""
    avatar_url: str = ""
    cover_url: str = ""
    bio: str = ""
    hometown: str = ""
    current_location: str = ""


@dataclass(frozen=True)
class LinkView:
    label: str = ""
    url: str = ""


@dataclass(frozen=True)
class VisitedCityView:
    """A city chip / timeline entry linking to the city page."""

    label: str = ""
    month: str = ""  # "Jun 2024", '' when not set
    href: str = ""


@dataclass(frozen=True)
class StatView:
    label: str = ""
    value: int = 0


@dataclass(frozen=True)
class TabLinkView:
    key: str = ""
    label: str = ""
    href: str = ""
    is_current: bool = False


@dataclass(frozen=True)
class ProfileCardView(CardView):
    """A card of the recommendations tab: what the author alone may also see."""

    visibility: str = ""  # "Buddies only" / "Private"; '' for public ones
    is_removed: bool = False  # removed by a moderator (listed for its author only)


def person_view(view: ProfileView) -> PersonView:
    return PersonView(
        username=view.username,
        full_name=view.full_name,
        initial=(view.full_name[:1] or view.username[:1]).upper(),
        avatar_url=upload_href(view.avatar_key),
        cover_url=upload_href(view.cover_key),
        bio=view.bio or "",
        hometown=view.hometown or "",
        current_location=view.current_location or "",
    )


def link_views(view: ProfileView) -> list[LinkView]:
    """The http(s) links the viewer may see, in a fixed order."""
    if view.links is None:
        return []
    return [
        LinkView(label, url)
        for field, label in LINK_LABELS
        if (url := getattr(view.links, field) or "").startswith(("https://", "http://"))
    ]


def city_label(city: VisitedCity) -> str:
    return ", ".join(part for part in (city.name, city.state_province, city.country) if part)


def visited_city_views(cities: tuple[VisitedCity, ...]) -> list[VisitedCityView]:
    return [
        VisitedCityView(
            label=city_label(city),
            month=month_label(city.visit_month),
            href=f"/city/{quote(city.name, safe='')}?country={quote(city.country, safe='')}",
        )
        for city in cities
    ]


def stat_views(view: ProfileView) -> list[StatView]:
    """Cities, Recommendations, Buddies, Points (§4.2.6); none for the limited card."""
    if view.stats is None:
        return []
    stats = view.stats
    return [
        StatView("Cities", stats.cities),
        StatView("Recommendations", stats.recommendations),
        StatView("Buddies", stats.buddies),
        StatView("Points", stats.points),
    ]


def tab_links(username: str, tabs: tuple[tuple[str, str], ...], current: str) -> list[TabLinkView]:
    base = f"/profile/{quote(username, safe='')}"
    return [TabLinkView(key, label, f"{base}?tab={key}", key == current) for key, label in tabs]


def profile_card_views(cards: Iterable[RecommendationCard]) -> list[ProfileCardView]:
    cards = list(cards)
    return [
        ProfileCardView(
            **asdict(view),
            visibility=VISIBILITY_BADGES.get(str(card.visibility), ""),
            is_removed=card.status == "removed",
        )
        for view, card in zip(card_views(cards), cards, strict=True)
    ]


def saved_item_views(items: Iterable[InteractionListItem]) -> list[ProfileCardView]:
    """The owner's saved or liked list as the same cards as the recommendations tab."""
    return [
        ProfileCardView(
            id=item.recommendation_id,
            title=item.title,
            category=item.category_name,
            city=item.city.label if item.city is not None else "",
            author=f"by {item.author_full_name} (@{item.author_username})",
            thumb=item.thumb_url,
            rating=rating_display(Decimal(str(item.rating_avg))),
            ratings_count=item.ratings_count,
            likes=item.likes,
            is_removed=item.status == "removed",
        )
        for item in items
    ]


def completion_texts(view: ProfileView) -> tuple[str, str, bool]:
    """(percent "62.5%", the missing items as text, show the banner) for the owner."""
    if view.completion is None:
        return "", "", False
    completion = view.completion
    missing = ", ".join(COMPLETION_LABELS[item] for item in completion.missing)
    return f"{completion.percent:g}%", missing, completion.show_banner


# --- /profile/edit ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileFormValues:
    """The edit form's text fields ('' for empty optional ones)."""

    full_name: str = ""
    username: str = ""
    bio: str = ""
    current_location: str = ""
    hometown: str = ""
    phone: str = ""
    instagram_url: str = ""
    facebook_url: str = ""
    twitter_url: str = ""
    linkedin_url: str = ""
    whatsapp: str = ""
    website_url: str = ""


FORM_FIELDS = tuple(field.name for field in fields(ProfileFormValues))


@dataclass(frozen=True)
class ProfileFormErrors(ProfileFormValues):
    """One message per form field ('' when fine), plus the cities list."""

    cities_visited: str = ""


@dataclass(frozen=True)
class CityVisitView:
    """A city in the edit form; cities from recommendations and trips cannot be removed."""

    city_id: int = 0
    label: str = ""
    month: str = ""  # "YYYY-MM" or ''
    month_label: str = ""
    source_label: str = ""  # '' for cities the user added

    @property
    def is_manual(self) -> bool:
        return self.source_label == ""


@dataclass(frozen=True)
class CityOptionView:
    city_id: int = 0
    label: str = ""


def form_values(form: ProfileEditForm) -> ProfileFormValues:
    links = {name: getattr(form.links, name) or "" for name in FORM_FIELDS[6:]}
    return ProfileFormValues(
        full_name=form.full_name,
        username=form.username,
        bio=form.bio or "",
        current_location=form.current_location or "",
        hometown=form.hometown or "",
        phone=form.phone or "",
        **links,
    )


def city_visit_views(cities: tuple[VisitedCity, ...]) -> list[CityVisitView]:
    return [
        CityVisitView(
            city_id=city.city_id,
            label=city_label(city),
            month=city.visit_month or "",
            month_label=month_label(city.visit_month),
            source_label=SOURCE_LABELS.get(str(city.source), ""),
        )
        for city in cities
    ]


# --- /settings: privacy, interests and travel preferences -------------------------------


@dataclass(frozen=True)
class PrivacyForm:
    """The six privacy settings as the section edits them."""

    profile_visibility: str = "public"
    default_rec_visibility: str = "public"
    default_trip_visibility: str = "friends_only"
    location_sharing: bool = True
    social_links_visible: bool = True
    buddy_requests_enabled: bool = True


@dataclass(frozen=True)
class PrivacyErrors:
    """One message per setting ('' when fine) plus `form` for the section as a whole."""

    profile_visibility: str = ""
    default_rec_visibility: str = ""
    default_trip_visibility: str = ""
    location_sharing: str = ""
    social_links_visible: str = ""
    buddy_requests_enabled: str = ""
    form: str = ""


@dataclass(frozen=True)
class InterestOptionView:
    category_id: int = 0
    name: str = ""


@dataclass(frozen=True)
class InterestsErrors:
    interests: str = ""
    travel_styles: str = ""
    activity_level: str = ""
    preferred_difficulty: str = ""
    form: str = ""


def privacy_form(settings: PrivacySettings) -> PrivacyForm:
    return PrivacyForm(
        **{field.name: getattr(settings, field.name) for field in fields(PrivacyForm)}
    )


def interest_options(view: InterestSettings) -> list[InterestOptionView]:
    return [InterestOptionView(option.category_id, option.name) for option in view.options]
