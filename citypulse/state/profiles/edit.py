"""/profile/edit: the signed-in user's own profile form (PRODUCT.md §2.2, §4.2.3).

The form holds only the viewer's own values. Every handler that reads or writes the
database re-establishes the viewer from the session cookie; the services change only
that viewer's rows, so there is no target id a crafted event could point elsewhere.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import reflex as rx

from citypulse.services.errors import ServiceError, ValidationFailed
from citypulse.services.profiles.edit import (
    ProfileEditForm,
    city_visits_replace,
    profile_for_edit,
    profile_update,
    username_available,
)
from citypulse.services.profiles.queries import VisitedCity
from citypulse.services.recommendations.cities import city_suggestions
from citypulse.services.unit_of_work import run_transaction
from citypulse.state.profiles.photos import ProfilePhotoState
from citypulse.state.profiles.profile import month_label, upload_href
from citypulse.state.session import SessionState

FIELD_LIMITS = {"full_name": 100, "username": 30, "bio": 500, "current_location": 100,
                "hometown": 100, "phone": 32, "instagram_url": 255, "facebook_url": 255,
                "twitter_url": 255, "linkedin_url": 255, "whatsapp": 50,
                "website_url": 255}  # fmt: skip
TYPING_SLACK = 20  # keep a little over each limit so the service, not truncation, says "too long"
LINK_FIELDS = ("instagram_url", "facebook_url", "twitter_url", "linkedin_url", "website_url",
               "whatsapp")  # fmt: skip
SOURCE_LABELS = {"recommendation": "from a recommendation", "trip": "from a trip"}


def form_values(form: ProfileEditForm) -> dict[str, str]:
    """The form's text values ('' for empty optional fields)."""
    values = {
        "full_name": form.full_name,
        "username": form.username,
        "bio": form.bio or "",
        "current_location": form.current_location or "",
        "hometown": form.hometown or "",
        "phone": form.phone or "",
    }
    values.update({field: getattr(form.links, field) or "" for field in LINK_FIELDS})
    return values


def city_entry(city: VisitedCity) -> dict[str, str]:
    label = ", ".join(part for part in (city.name, city.state_province, city.country) if part)
    return {
        "id": str(city.city_id),
        "label": label,
        "month": city.visit_month or "",
        "month_label": month_label(city.visit_month),
        "source": SOURCE_LABELS.get(str(city.source), ""),
    }


class ProfileEditState(SessionState):
    """The edit form, its field errors and the live username check."""

    loaded: bool = False
    form: dict[str, str] = {}
    errors: dict[str, str] = {}
    username_status: str = ""  # "", "available" or "taken"
    message: str = ""
    error: str = ""
    cities: list[dict[str, str]] = []
    city_query: str = ""
    city_options: list[dict[str, str]] = []
    _original: dict[str, str] = {}
    _original_cities: list[tuple[int, str]] = []

    async def _run(self, action):
        return await asyncio.to_thread(run_transaction, action)

    def _fill(self, form: ProfileEditForm) -> None:
        self.form = form_values(form)
        self._original = dict(self.form)
        self.cities = [city_entry(city) for city in form.cities_visited]
        self._original_cities = self._visit_list()
        self.username_status = ""

    def _visit_list(self) -> list[tuple[int, str]]:
        return sorted((int(city["id"]), city["month"]) for city in self.cities)

    @rx.event
    async def load(self):
        """on_load: the viewer's own current values."""
        self.loaded, self.message, self.error, self.errors = False, "", "", {}
        self.city_query, self.city_options = "", []
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        try:
            form = await self._run(lambda db: profile_for_edit(db, actor=viewer))
        except ServiceError as error:
            self.error = error.message
            return None
        self._fill(form)
        photos = await self.get_state(ProfilePhotoState)
        photos._show_current(upload_href(form.avatar_key), upload_href(form.cover_key))
        self.loaded = True
        return None

    @rx.event
    def set_field(self, field: str, value: str):
        """Typing in a field (no database access; only known fields, bounded length)."""
        if field in FIELD_LIMITS and isinstance(value, str):
            self.form[field] = value[: FIELD_LIMITS[field] + TYPING_SLACK]
            self.errors.pop(field, None)
            self.message = ""

    @rx.event
    async def set_username(self, value: str):
        """Typing a username: store it and answer only "available" or "taken" (§4.2.3)."""
        if not isinstance(value, str):
            return
        self.form["username"] = name = value[:50]
        self.errors.pop("username", None)
        self.message = ""
        if name.strip().lower() == self._original.get("username", "") or not name.strip():
            self.username_status = ""
            return
        viewer = await self._viewer()
        if viewer is None:
            return
        free = await self._run(lambda db: username_available(db, actor=viewer, username=name))
        if self.form.get("username") == name:  # a later keystroke may have moved on already
            self.username_status = "available" if free else "taken"

    @rx.event
    async def search_cities(self, text: str):
        """The "Add a city" box: matching cities, the viewer's own first."""
        self.city_query = text = str(text)[:100] if isinstance(text, str) else ""
        if not text.strip():
            self.city_options = []
            return
        viewer = await self._viewer()
        if viewer is None:
            return
        found = await self._run(
            lambda db: city_suggestions(db, viewer_id=viewer.user_id, text=text, limit=8)
        )
        chosen = {city["id"] for city in self.cities}
        self.city_options = [
            {"id": str(option.id), "label": option.full_label}
            for option in found
            if str(option.id) not in chosen
        ]

    @rx.event
    def add_city(self, city_id: str):
        """Pick a suggestion (only ids the server just suggested can be added)."""
        option = next((o for o in self.city_options if o["id"] == str(city_id)), None)
        if option is None or any(city["id"] == option["id"] for city in self.cities):
            return
        self.cities.append({"id": option["id"], "label": option["label"], "month": "",
                            "month_label": "", "source": ""})  # fmt: skip
        self.city_options = [o for o in self.city_options if o["id"] != option["id"]]
        self.errors.pop("cities_visited", None)
        self.message = ""

    @rx.event
    def set_city_month(self, city_id: str, month: str):
        """The optional month of a visit ("YYYY-MM"; checked by the service on save)."""
        for city in self.cities:
            if city["id"] == str(city_id) and isinstance(month, str):
                city["month"], city["month_label"] = month[:7], month_label(month[:7])
                self.errors.pop("cities_visited", None)
                self.message = ""

    @rx.event
    def remove_city(self, city_id: str):
        """Drop a manually added city (cities from recommendations and trips stay)."""
        self.cities = [c for c in self.cities if c["id"] != str(city_id) or c["source"] != ""]
        self.message = ""

    @rx.event
    async def save(self):
        """Save the changed fields (and the cities if they changed) in one transaction."""
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        changes = {
            field: value
            for field, value in self.form.items()
            if field in FIELD_LIMITS and value != self._original.get(field, "")
        }
        visits = self._visit_list()
        new_visits = visits if visits != self._original_cities else None
        if not changes and new_visits is None:
            self.message, self.errors = "Nothing to save: no changes.", {}
            return None
        now = datetime.now(UTC)

        def write(db):
            result = profile_update(db, actor=viewer, changes=changes, now=now) if changes else None
            if new_visits is not None:
                city_visits_replace(db, actor=viewer, visits=new_visits, now=now)
            return result, profile_for_edit(db, actor=viewer)

        try:
            result, form = await self._run(write)
        except ValidationFailed as error:
            self.errors, self.message = dict(error.field_errors), ""
            self.error = "Please correct the highlighted fields."
            return None
        except ServiceError as error:
            self.error, self.message = error.message, ""
            return None
        self.errors, self.error = {}, ""
        await self._viewer()  # the header shows the new name at once
        if result is not None and result.username_changed:
            return rx.redirect(f"/profile/{result.username}")
        self._fill(form)
        self.message = "Profile saved."
        return None
