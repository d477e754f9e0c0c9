"""The recommendation form's typed view models and the mappers that fill them.

Create and edit pages share them: the initial values of the inputs, the category and
city choices, the photo rows and the field errors. Only display data lives here; the
staged files and the values loaded for comparison stay in backend-only vars.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace

from citypulse.services.recommendations.cities import CategoryOption, CitySuggestion
from citypulse.services.recommendations.forms import RecommendationForm
from citypulse.services.recommendations.queries import PhotoView

OTHER_CATEGORY = "other"


@dataclass(frozen=True)
class FormInitial:
    """What the form's inputs start from (text as the inputs show it)."""

    title: str = ""
    description: str = ""
    address: str = ""
    price_min: str = ""
    price_max: str = ""
    difficulty: str = ""
    best_time_text: str = ""
    duration_suggestion: str = ""
    latitude: str = ""
    longitude: str = ""
    category_choice: str = ""  # a category id, "other" or ""
    custom_category: str = ""
    city_text: str = ""
    author_rating: str = ""
    tags: str = ""
    visibility: str = ""


@dataclass(frozen=True)
class FormErrors:
    """Field errors of the form ('' when the field is fine)."""

    category: str = ""
    title: str = ""
    city: str = ""
    address: str = ""
    description: str = ""
    price_min: str = ""
    price_max: str = ""
    difficulty: str = ""
    best_months: str = ""
    best_time_text: str = ""
    duration_suggestion: str = ""
    latitude: str = ""
    longitude: str = ""
    tags: str = ""
    author_rating: str = ""
    visibility: str = ""
    photos: str = ""


ERROR_FIELDS = frozenset(field.name for field in fields(FormErrors))


@dataclass(frozen=True)
class CategoryChoice:
    """One system category in the select."""

    value: str
    label: str


@dataclass(frozen=True)
class CityChoice:
    """One city suggestion; `own` marks the viewer's own cities."""

    id: int
    label: str
    own: bool


@dataclass(frozen=True)
class PhotoSlot:
    """One photo row: a staged upload (create) or a stored photo (edit).

    `id` is a random slot id (create) or the photo's id (edit); `preview` is a data URL
    of the user's own upload or the stored thumbnail's URL.
    """

    id: str
    preview: str
    caption: str = ""
    primary: bool = False
    error: str = ""


def form_errors(field_errors: Mapping[str, str]) -> FormErrors:
    """The known field errors (others, and `photos.<i>`, are shown elsewhere)."""
    return FormErrors(**{k: v for k, v in field_errors.items() if k in ERROR_FIELDS})


def unknown_errors(field_errors: Mapping[str, str]) -> list[str]:
    """Messages for keys no field shows (they must not vanish silently)."""
    return [
        message
        for key, message in field_errors.items()
        if key not in ERROR_FIELDS and not key.startswith("photos.")
    ]


def category_choices(categories: Iterable[CategoryOption]) -> list[CategoryChoice]:
    """The system categories for the select ("Other…" covers the custom ones)."""
    return [CategoryChoice(str(c.id), c.name) for c in categories if c.is_system]


def city_choices(suggestions: Iterable[CitySuggestion]) -> list[CityChoice]:
    return [CityChoice(s.id, s.full_label, s.is_own) for s in suggestions]


def initial_from_form(form: RecommendationForm, own_category: CategoryOption | None) -> FormInitial:
    """The edit form's pre-filled inputs; a custom category shows as "Other…" + name."""
    text = {
        name: str(getattr(form, name) or "")
        for name in ("title", "description", "address", "price_min", "price_max",
                     "difficulty", "best_time_text", "duration_suggestion", "latitude",
                     "longitude", "author_rating", "visibility")
    }  # fmt: skip
    initial = FormInitial(
        **text,
        category_choice=str(form.category_id or ""),
        city_text=form.city_text or "",
        tags=", ".join(form.tags or ()),
    )
    if own_category is not None and not own_category.is_system:
        return replace(initial, category_choice=OTHER_CATEGORY, custom_category=own_category.name)
    return initial


def stored_photo_slots(
    views: Iterable[PhotoView], typed_captions: Mapping[str, str]
) -> list[PhotoSlot]:
    """The stored photos by position, keeping captions typed but not yet saved."""
    return [
        PhotoSlot(
            id=str(view.id),
            preview=view.thumb_url,
            caption=typed_captions.get(str(view.id), view.caption or ""),
            primary=view.is_primary,
        )
        for view in sorted(views, key=lambda view: view.position)
    ]


def with_photo_errors(slots: list[PhotoSlot], field_errors: Mapping[str, str]) -> list[PhotoSlot]:
    """Each row's `photos.<i>` error (or none)."""
    return [
        replace(slot, error=field_errors.get(f"photos.{index}", ""))
        for index, slot in enumerate(slots)
    ]
