"""/settings: the Privacy section and "Interests and travel preferences" (§2.2, §4.2.8).

Choices are kept in this tab's state while the user edits them, so "Save" can stay
disabled until something changed. Only known fields and allowed values are accepted from
the browser; the services validate again and change only the verified viewer's rows.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import reflex as rx

from citypulse.models.enums import ActivityLevel, Difficulty, TravelStyle, Visibility
from citypulse.services.errors import ServiceError, ValidationFailed
from citypulse.services.profiles.settings import (
    InterestSettings,
    PrivacySettings,
    interests_replace,
    interests_view,
    privacy_update,
    privacy_view,
    travel_preferences_update,
)
from citypulse.services.unit_of_work import run_transaction
from citypulse.state.session import SessionState

VISIBILITY_FIELDS = ("profile_visibility", "default_rec_visibility", "default_trip_visibility")
SWITCH_FIELDS = ("location_sharing", "social_links_visible", "buddy_requests_enabled")
VISIBILITIES = tuple(member.value for member in Visibility)
STYLES = tuple(member.value for member in TravelStyle)
ACTIVITY_LEVELS = tuple(member.value for member in ActivityLevel)
DIFFICULTIES = tuple(member.value for member in Difficulty)


def privacy_values(settings: PrivacySettings) -> dict[str, str]:
    """All six settings as strings (switches as "on" / "off")."""
    values = {name: str(getattr(settings, name)) for name in VISIBILITY_FIELDS}
    values.update({name: "on" if getattr(settings, name) else "off" for name in SWITCH_FIELDS})
    return values


class PrivacySettingsState(SessionState):
    """The viewer's privacy switches, interests and travel preferences."""

    privacy: dict[str, str] = {}
    saved_privacy: dict[str, str] = {}
    privacy_message: str = ""
    privacy_errors: dict[str, str] = {}
    interest_options: list[dict[str, str]] = []
    interests: list[str] = []
    travel_styles: list[str] = []
    activity_level: str = "moderate"
    preferred_difficulty: str = "moderate"
    interests_message: str = ""
    interests_errors: dict[str, str] = {}

    async def _run(self, action):
        return await asyncio.to_thread(run_transaction, action)

    @rx.var
    def privacy_changed(self) -> bool:
        """Save is enabled only when a setting differs from the stored one."""
        return bool(self.privacy) and self.privacy != self.saved_privacy

    def _apply_interests(self, view: InterestSettings) -> None:
        self.interest_options = [
            {"id": str(option.category_id), "name": option.name} for option in view.options
        ]
        self.interests = [str(category_id) for category_id in view.selected_ids]
        self.travel_styles = list(view.preferences.travel_styles)
        self.activity_level = view.preferences.activity_level
        self.preferred_difficulty = view.preferences.preferred_difficulty

    @rx.event
    async def load(self):
        """On mount of the sections: the viewer's current settings."""
        self.privacy_message = self.interests_message = ""
        self.privacy_errors, self.interests_errors = {}, {}
        viewer = await self._viewer()
        if viewer is None:
            return None
        try:
            settings, interests = await self._run(
                lambda db: (privacy_view(db, actor=viewer), interests_view(db, actor=viewer))
            )
        except ServiceError:
            return None  # restricted accounts: the settings page shows the restricted screen
        self.privacy = privacy_values(settings)
        self.saved_privacy = dict(self.privacy)
        self._apply_interests(interests)
        return None

    @rx.event
    def choose_visibility(self, field: str, value: str):
        if field in VISIBILITY_FIELDS and value in VISIBILITIES and self.privacy:
            self.privacy[field] = value
            self.privacy_message = ""

    @rx.event
    def toggle_switch(self, field: str, checked: bool):
        if field in SWITCH_FIELDS and isinstance(checked, bool) and self.privacy:
            self.privacy[field] = "on" if checked else "off"
            self.privacy_message = ""

    @rx.event
    async def save_privacy(self):
        """Store the six privacy settings together."""
        viewer = await self._viewer()
        if viewer is None or not self.privacy:
            return None
        values = {name: self.privacy[name] for name in VISIBILITY_FIELDS}
        flags = {name: self.privacy[name] == "on" for name in SWITCH_FIELDS}
        now = datetime.now(UTC)
        try:
            settings = await self._run(
                lambda db: privacy_update(db, actor=viewer, **values, **flags, now=now)
            )
        except ValidationFailed as error:
            self.privacy_errors, self.privacy_message = dict(error.field_errors), ""
            return None
        except ServiceError as error:
            self.privacy_errors, self.privacy_message = {"form": error.message}, ""
            return None
        self.privacy = privacy_values(settings)
        self.saved_privacy = dict(self.privacy)
        self.privacy_errors, self.privacy_message = {}, "Privacy settings saved."
        return None

    @rx.event
    def toggle_interest(self, category_id: str):
        if not any(option["id"] == category_id for option in self.interest_options):
            return
        if category_id in self.interests:
            self.interests = [i for i in self.interests if i != category_id]
        else:
            self.interests = [*self.interests, category_id]
        self.interests_message = ""

    @rx.event
    def toggle_style(self, style: str):
        if style not in STYLES:
            return
        if style in self.travel_styles:
            self.travel_styles = [s for s in self.travel_styles if s != style]
        else:
            self.travel_styles = [*self.travel_styles, style]
        self.interests_message = ""

    @rx.event
    def choose_preference(self, field: str, value: str):
        if field == "activity_level" and value in ACTIVITY_LEVELS:
            self.activity_level = value
        elif field == "preferred_difficulty" and value in DIFFICULTIES:
            self.preferred_difficulty = value
        self.interests_message = ""

    @rx.event
    async def save_interests(self):
        """Replace the interests (0–8) and store the travel preferences, in one transaction."""
        viewer = await self._viewer()
        if viewer is None:
            return None
        ids = [int(i) for i in self.interests if i.isdigit()]
        styles, level = list(self.travel_styles), self.activity_level
        difficulty, now = self.preferred_difficulty, datetime.now(UTC)

        def write(db):
            interests_replace(db, actor=viewer, category_ids=ids, now=now)
            travel_preferences_update(
                db, actor=viewer, travel_styles=styles, activity_level=level,
                preferred_difficulty=difficulty, now=now,
            )  # fmt: skip
            return interests_view(db, actor=viewer)

        try:
            view = await self._run(write)
        except ValidationFailed as error:
            self.interests_errors, self.interests_message = dict(error.field_errors), ""
            return None
        except ServiceError as error:
            self.interests_errors, self.interests_message = {"form": error.message}, ""
            return None
        self._apply_interests(view)
        self.interests_errors = {}
        self.interests_message = "Interests and travel preferences saved."
        return None
