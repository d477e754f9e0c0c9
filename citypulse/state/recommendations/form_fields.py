"""What the create and edit pages share: the form's fields, errors and live preview.

A Reflex state mixin: `RecommendationFormState` and `RecommendationEditState` each get
their own copy of these vars and handlers. Nothing here writes data; the city autocomplete
reads the verified viewer's own cities through the one event path (`_call`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import reflex as rx

from citypulse.media.validation import TYPE_MESSAGE
from citypulse.params import parse_id, parse_text
from citypulse.services.recommendations.cities import CategoryOption, city_suggestions
from citypulse.services.recommendations.forms import as_id, clean_tags, parse_price
from citypulse.services.recommendations.photos import TOO_MANY_PHOTOS
from citypulse.services.recommendations.queries import price_display
from citypulse.state.recommendations.form_views import (
    OTHER_CATEGORY,
    CategoryChoice,
    CityChoice,
    FormErrors,
    FormInitial,
    PhotoSlot,
    category_choices,
    city_choices,
    form_errors,
    unknown_errors,
    with_photo_errors,
)

MAX_INPUT = 5000  # far above every limit: the service still sees (and refuses) long input
MAX_CITY_INPUT = 400
FORM_ERROR = "Please correct the highlighted fields."
TEXT_FIELDS = ("title", "description", "address", "price_min", "price_max", "difficulty",
               "best_time_text", "duration_suggestion", "latitude", "longitude")  # fmt: skip


def rejected_message(codes: object) -> str:
    """The field message for files the browser's picker refused before uploading."""
    names = {str(code) for code in codes} if isinstance(codes, list) else set()
    return TOO_MANY_PHOTOS if "too-many-files" in names else TYPE_MESSAGE


def form_text(form: object, key: str, limit: int = MAX_INPUT) -> str:
    """A submitted text value, bounded ('' for anything that is not a string)."""
    value = form.get(key, "") if isinstance(form, dict) else ""
    return value[:limit] if isinstance(value, str) else ""


def checked_months(form: object) -> list[int]:
    """The ticked best-month boxes (`month_1` … `month_12`)."""
    if not isinstance(form, dict):
        return []
    return [m for m in range(1, 13) if form.get(f"month_{m}") in ("on", True, "true")]


def _price_preview(low: str, high: str) -> str:
    (low_value, low_error), (high_value, high_error) = parse_price(low), parse_price(high)
    if low_error or high_error:
        return ""
    return price_display(low_value, high_value)


class RecommendationFormFields(rx.State, mixin=True):
    """Form vars (the viewer's own input only) and the preview/autocomplete handlers."""

    loaded: bool = False
    form_key: int = 0  # re-mounts the form (fresh default values) on every load
    form_error: str = ""
    errors: FormErrors = FormErrors()
    categories: list[CategoryChoice] = []
    initial: FormInitial = FormInitial()
    initial_months: list[int] = []
    category_choice: str = ""
    city_text: str = ""
    city_id: int = 0
    suggestions: list[CityChoice] = []
    preview_title: str = ""
    preview_category: str = ""
    preview_price: str = ""
    preview_tags: list[str] = []
    description_length: int = 0
    photos: list[PhotoSlot] = []
    photo_message: str = ""
    _category_names: dict[str, str] = {}
    _custom_category: str = ""
    _price_min: str = ""
    _price_max: str = ""

    def _start_form(
        self,
        initial: FormInitial,
        months: Sequence[int],
        categories: Sequence[CategoryOption],
        city_id: int = 0,
    ) -> None:
        """Reset every field to `initial` and re-mount the form."""
        self.categories = category_choices(categories)
        self._category_names = {str(c.id): c.name for c in categories}
        self.initial, self.initial_months = initial, list(months)
        self.category_choice = initial.category_choice
        self._custom_category = initial.custom_category
        self.city_text, self.city_id, self.suggestions = initial.city_text, city_id, []
        self.preview_title = initial.title
        self._price_min, self._price_max = initial.price_min, initial.price_max
        self.preview_price = _price_preview(self._price_min, self._price_max)
        self.preview_tags = clean_tags(initial.tags)[0]
        self.description_length = len(initial.description.strip())
        self._refresh_category()
        self.errors, self.form_error, self.photo_message = FormErrors(), "", ""
        self.form_key += 1
        self.loaded = True

    def _refresh_category(self) -> None:
        if self.category_choice == OTHER_CATEGORY:
            self.preview_category = " ".join(self._custom_category.split())
        else:
            self.preview_category = self._category_names.get(self.category_choice, "")

    def _form_values(self, form: object) -> dict:
        """Keyword arguments for `RecommendationForm` from the submitted form."""
        values: dict = {name: form_text(form, name) for name in TEXT_FIELDS}
        values["author_rating"] = form_text(form, "author_rating", 3)
        values["visibility"] = form_text(form, "visibility", 20) or None
        values["best_months"] = checked_months(form)
        values["tags"] = form_text(form, "tags").split(",")
        choice = form_text(form, "category_id", 20)
        if choice == OTHER_CATEGORY:
            values["custom_category"] = form_text(form, "custom_category", 200)
        else:
            values["category_id"] = as_id(choice)
        values["city_text"] = form_text(form, "city_text", MAX_CITY_INPUT)
        # A picked suggestion counts only while the box still shows its label.
        if self.city_id and values["city_text"] == self.city_text:
            values["city_id"] = self.city_id
        return values

    def _show_errors(self, field_errors: Mapping[str, str], message: str = "") -> None:
        """Field errors under their fields; `photos.<i>` under the i-th photo."""
        self.errors = form_errors(field_errors)
        self.photos = with_photo_errors(self.photos, field_errors)
        others = " ".join(unknown_errors(field_errors))
        self.form_error = message or others or (FORM_ERROR if field_errors else "")

    def _clear_photo_errors(self) -> None:
        if self.errors.photos:
            self.errors = replace(self.errors, photos="")
        if any(photo.error for photo in self.photos):
            self.photos = [replace(photo, error="") for photo in self.photos]
        self.photo_message = ""

    def _photos_outcome(self, error: str, added: int) -> None:
        if error:
            self.errors = replace(self.errors, photos=error)
        if added:
            self.photo_message = "1 photo added" if added == 1 else f"{added} photos added"

    def _typed(self, field: str, value: object) -> None:
        """Keep the live preview (and the description counter) in step with typing."""
        if not isinstance(value, str):
            return
        value = value[:MAX_INPUT]
        if field == "title":
            self.preview_title = " ".join(value.split())[:200]
        elif field == "description":
            self.description_length = len(value.strip())
        elif field == "custom_category":
            self._custom_category = value[:100]
            self._refresh_category()
        elif field == "tags":
            self.preview_tags = clean_tags(value.split(","))[0][:10]
        else:
            if field == "price_min":
                self._price_min = value[:40]
            else:
                self._price_max = value[:40]
            self.preview_price = _price_preview(self._price_min, self._price_max)

    # One handler per field: debouncing is per handler, so a shared one would drop events.
    @rx.event
    def typed_title(self, value: str):
        self._typed("title", value)

    @rx.event
    def typed_description(self, value: str):
        self._typed("description", value)

    @rx.event
    def typed_custom_category(self, value: str):
        self._typed("custom_category", value)

    @rx.event
    def typed_price_min(self, value: str):
        self._typed("price_min", value)

    @rx.event
    def typed_price_max(self, value: str):
        self._typed("price_max", value)

    @rx.event
    def typed_tags(self, value: str):
        self._typed("tags", value)

    @rx.event
    def choose_category(self, value: str):
        """The category select changed ("other" shows the custom category field)."""
        self.category_choice = str(value)[:20]
        self._refresh_category()

    @rx.event
    async def type_city(self, value: str):
        """Typing in the city box clears a picked city and refreshes the suggestions."""
        text = str(value)[:MAX_CITY_INPUT]
        self.city_text, self.city_id = text, 0
        if not text.strip() or parse_text(text, max_length=MAX_CITY_INPUT) is None:
            self.suggestions = []  # nothing typed, or a NUL no city name contains
            return
        # Own cities come first: only for the verified viewer (city_suggestions takes its id).
        outcome = await self._call(
            lambda db, actor: city_suggestions(db, viewer_id=actor.user_id, text=text, limit=8)
        )
        self.suggestions = city_choices(outcome.value) if outcome.ok else []

    @rx.event
    def pick_city(self, city_id: str):
        """Choose one of the offered suggestions (only those are accepted)."""
        chosen = parse_id(city_id)
        for suggestion in self.suggestions:
            if suggestion.id == chosen:
                self.city_id, self.city_text = suggestion.id, suggestion.label
                self.suggestions = []
                return
