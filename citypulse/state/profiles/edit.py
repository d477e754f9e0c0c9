"""/profile/edit: the signed-in user's own profile form (PRODUCT.md §2.2, §4.2.3).

The form holds only the viewer's own values. Every handler that reads or writes the
database runs through the one event path: the viewer comes from the session cookie in
the same transaction, and the services change only that viewer's rows, so there is no
target id a crafted event could point elsewhere.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import UTC, datetime

import reflex as rx
from sqlmodel import Session

from citypulse.params import parse_id, parse_text
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.profiles.edit import (
    ProfileEditForm,
    profile_save,
    username_available,
)
from citypulse.services.profiles.pages import profile_edit_page
from citypulse.services.recommendations.cities import CitySuggestion, city_suggestions
from citypulse.state.forms import errors_of
from citypulse.state.profiles.photos import ProfilePhotoState
from citypulse.state.profiles.views import (
    FORM_FIELDS,
    CityOptionView,
    CityVisitView,
    ProfileFormErrors,
    ProfileFormValues,
    city_visit_views,
    form_values,
    month_label,
    upload_href,
)
from citypulse.state.session import SessionState

FIELD_LIMITS = {"full_name": 100, "username": 30, "bio": 500, "current_location": 100,
                "hometown": 100, "phone": 32, "instagram_url": 255, "facebook_url": 255,
                "twitter_url": 255, "linkedin_url": 255, "whatsapp": 50,
                "website_url": 255}  # fmt: skip
TYPING_SLACK = 20  # keep a little over each limit so the service, not truncation, says "too long"
SUGGESTIONS = 8


def _own_city_suggestions(db: Session, *, actor: Viewer, text: str) -> tuple[CitySuggestion, ...]:
    # The autocomplete is shared with visitors' pages, so it takes a viewer id.
    return city_suggestions(db, viewer_id=actor.user_id, text=text, limit=SUGGESTIONS)


class ProfileEditState(SessionState):
    """The edit form, its field errors and the live username check."""

    loaded: bool = False
    form: ProfileFormValues = ProfileFormValues()
    errors: ProfileFormErrors = ProfileFormErrors()
    username_status: str = ""  # "", "available" or "taken"
    message: str = ""
    error: str = ""
    cities: list[CityVisitView] = []
    city_query: str = ""
    city_options: list[CityOptionView] = []
    _original: ProfileFormValues = ProfileFormValues()
    _original_cities: list[tuple[int, str]] = []

    def _fill(self, form: ProfileEditForm) -> None:
        self.form = self._original = form_values(form)
        self.cities = city_visit_views(form.cities_visited)
        self._original_cities = self._visit_list()
        self.username_status = ""

    def _visit_list(self) -> list[tuple[int, str]]:
        return sorted((city.city_id, city.month) for city in self.cities)

    def _edited(self, **errors: str) -> None:
        """A change by the user: clear its errors and the "saved" message."""
        self.errors = replace(self.errors, **errors)
        self.message = ""

    def _show_identity(self, form: ProfileEditForm) -> None:
        """The header shows the new name at once (the viewer's own, just saved)."""
        if (self.full_name, self.username) != (form.full_name, form.username):
            self.full_name, self.username = form.full_name, form.username

    @rx.event
    async def load(self):
        """on_load: the viewer's own current values (one loader transaction)."""
        self.loaded, self.message, self.error = False, "", ""
        self.errors, self.city_query, self.city_options = ProfileFormErrors(), "", []
        outcome = await self._load(profile_edit_page)
        if not outcome.ok:
            self.error = outcome.message
            return None
        if outcome.value is None:
            return self._login_redirect()
        form = outcome.value
        self._fill(form)
        photos = await self.get_state(ProfilePhotoState)
        photos._show_current(upload_href(form.avatar_key), upload_href(form.cover_key))
        self.loaded = True
        return None

    @rx.event
    def set_field(self, field: str, value: str):
        """Typing in a field (no database access; only known fields, bounded length)."""
        if field in FIELD_LIMITS and isinstance(value, str):
            self.form = replace(self.form, **{field: value[: FIELD_LIMITS[field] + TYPING_SLACK]})
            self._edited(**{field: ""})

    @rx.event
    async def set_username(self, value: str):
        """Typing a username: store it and answer only "available" or "taken" (§4.2.3)."""
        if not isinstance(value, str):
            return
        name = value[:50]
        self.form = replace(self.form, username=name)
        self._edited(username="")
        if name.strip().lower() == self._original.username or not name.strip():
            self.username_status = ""
            return
        outcome = await self._call(username_available, username=name)
        if outcome.ok and self.form.username == name:  # a later keystroke may have moved on
            self.username_status = "available" if outcome.value else "taken"

    @rx.event
    async def search_cities(self, text: str):
        """The "Add a city" box: matching cities, the viewer's own first."""
        self.city_query = text = str(text)[:100] if isinstance(text, str) else ""
        if not text.strip() or parse_text(text, max_length=100) is None:
            self.city_options = []  # nothing typed, or a NUL no city name contains
            return
        outcome = await self._call(_own_city_suggestions, text=text)
        if not outcome.ok:
            return
        chosen = {city.city_id for city in self.cities}
        self.city_options = [
            CityOptionView(option.id, option.full_label)
            for option in outcome.value
            if option.id not in chosen
        ]

    @rx.event
    def add_city(self, city_id: int | str):
        """Pick a suggestion (only ids the server just suggested can be added)."""
        wanted = parse_id(city_id)
        option = next((o for o in self.city_options if o.city_id == wanted), None)
        if option is None or any(city.city_id == option.city_id for city in self.cities):
            return
        self.cities = [*self.cities, CityVisitView(city_id=option.city_id, label=option.label)]
        self.city_options = [o for o in self.city_options if o.city_id != option.city_id]
        self._edited(cities_visited="")

    @rx.event
    def set_city_month(self, city_id: int | str, month: str):
        """The optional month of a visit ("YYYY-MM"; checked by the service on save)."""
        wanted = parse_id(city_id)
        if wanted is None or not isinstance(month, str):
            return
        month = month[:7]
        self.cities = [
            replace(city, month=month, month_label=month_label(month))
            if city.city_id == wanted
            else city
            for city in self.cities
        ]
        self._edited(cities_visited="")

    @rx.event
    def remove_city(self, city_id: int | str):
        """Drop a manually added city (cities from recommendations and trips stay)."""
        wanted = parse_id(city_id)
        self.cities = [c for c in self.cities if c.city_id != wanted or not c.is_manual]
        self.message = ""

    @rx.event
    async def save(self):
        """Save the changed fields (and the cities if they changed) in one transaction."""
        original, current = asdict(self._original), asdict(self.form)
        changes = {
            field: current[field] for field in FORM_FIELDS if current[field] != original[field]
        }
        visits = self._visit_list()
        new_visits = visits if visits != self._original_cities else None
        if not changes and new_visits is None:
            self.message, self.errors = "Nothing to save: no changes.", ProfileFormErrors()
            return None
        outcome = await self._call(
            profile_save, changes=changes, visits=new_visits, now=datetime.now(UTC)
        )
        if outcome.signed_out:
            return outcome.redirect
        if outcome.field_errors:
            self.errors, self.message = errors_of(ProfileFormErrors, outcome.field_errors), ""
            self.error = "Please correct the highlighted fields."
            return None
        if not outcome.ok:
            self.error, self.message = outcome.message, ""
            return None
        self.errors, self.error = ProfileFormErrors(), ""
        saved = outcome.value
        self._show_identity(saved.form)
        if saved.updated is not None and saved.updated.username_changed:
            return rx.redirect(f"/profile/{saved.updated.username}")
        self._fill(saved.form)
        self.message = "Profile saved."
        return None
