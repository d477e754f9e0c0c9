"""/settings: the Privacy section and "Interests and travel preferences" (§2.2, §4.2.8).

Choices are kept in this tab's state while the user edits them, so "Save" can stay
disabled until something changed. The settings page's loader fills them (one loader
transaction for the whole page). Only known fields and allowed values are accepted from
the browser; the services validate again and change only the verified viewer's rows.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import UTC, datetime

import reflex as rx

from citypulse.models.enums import ActivityLevel, Difficulty, TravelStyle, Visibility
from citypulse.params import parse_id
from citypulse.services.profiles.settings import (
    InterestSettings,
    PrivacySettings,
    interest_settings_save,
    privacy_update,
)
from citypulse.state.forms import errors_of
from citypulse.state.outcome import Outcome
from citypulse.state.profiles.views import (
    InterestOptionView,
    InterestsErrors,
    PrivacyErrors,
    PrivacyForm,
    interest_options,
    privacy_form,
)
from citypulse.state.session import SessionState

VISIBILITY_FIELDS = ("profile_visibility", "default_rec_visibility", "default_trip_visibility")
SWITCH_FIELDS = ("location_sharing", "social_links_visible", "buddy_requests_enabled")
VISIBILITIES = tuple(member.value for member in Visibility)
STYLES = tuple(member.value for member in TravelStyle)
ACTIVITY_LEVELS = tuple(member.value for member in ActivityLevel)
DIFFICULTIES = tuple(member.value for member in Difficulty)


class PrivacySettingsState(SessionState):
    """The viewer's privacy switches, interests and travel preferences."""

    privacy_loaded: bool = False  # False for restricted accounts: nothing to edit
    privacy: PrivacyForm = PrivacyForm()
    saved_privacy: PrivacyForm = PrivacyForm()
    privacy_message: str = ""
    privacy_errors: PrivacyErrors = PrivacyErrors()
    interest_options: list[InterestOptionView] = []
    interests: list[int] = []
    travel_styles: list[str] = []
    activity_level: str = "moderate"
    preferred_difficulty: str = "moderate"
    interests_message: str = ""
    interests_errors: InterestsErrors = InterestsErrors()

    @rx.var
    def privacy_changed(self) -> bool:
        """Save is enabled only when a setting differs from the stored one."""
        return self.privacy_loaded and self.privacy != self.saved_privacy

    def _show_settings(
        self, privacy: PrivacySettings | None, interests: InterestSettings | None
    ) -> None:
        """Fill both sections from the settings page's loader (None: restricted account)."""
        self.privacy_message = self.interests_message = ""
        self.privacy_errors, self.interests_errors = PrivacyErrors(), InterestsErrors()
        self.privacy_loaded = privacy is not None
        self.privacy = self.saved_privacy = privacy_form(privacy) if privacy else PrivacyForm()
        if interests is not None:
            self._apply_interests(interests)

    def _apply_interests(self, view: InterestSettings) -> None:
        self.interest_options = interest_options(view)
        self.interests = list(view.selected_ids)
        self.travel_styles = list(view.preferences.travel_styles)
        self.activity_level = view.preferences.activity_level
        self.preferred_difficulty = view.preferences.preferred_difficulty

    @rx.event
    def choose_visibility(self, field: str, value: str):
        if field in VISIBILITY_FIELDS and value in VISIBILITIES and self.privacy_loaded:
            self.privacy = replace(self.privacy, **{field: value})
            self.privacy_message = ""

    @rx.event
    def toggle_switch(self, field: str, checked: bool):
        if field in SWITCH_FIELDS and isinstance(checked, bool) and self.privacy_loaded:
            self.privacy = replace(self.privacy, **{field: checked})
            self.privacy_message = ""

    @rx.event
    async def save_privacy(self):
        """Store the six privacy settings together."""
        if not self.privacy_loaded:  # never loaded: nothing the user chose to store
            return None if await self._viewer() is not None else self._login_redirect()
        outcome = await self._call(privacy_update, **asdict(self.privacy), now=datetime.now(UTC))
        if not outcome.ok:
            self.privacy_message = ""
            self.privacy_errors = _errors(PrivacyErrors, outcome)
            return outcome.redirect
        self.privacy = self.saved_privacy = privacy_form(outcome.value)
        self.privacy_errors, self.privacy_message = PrivacyErrors(), "Privacy settings saved."
        return None

    @rx.event
    def toggle_interest(self, category_id: int | str):
        chosen = parse_id(category_id)
        if not any(option.category_id == chosen for option in self.interest_options):
            return
        if chosen in self.interests:
            self.interests = [i for i in self.interests if i != chosen]
        else:
            self.interests = [*self.interests, chosen]
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
        outcome = await self._call(
            interest_settings_save,
            category_ids=list(self.interests),
            travel_styles=list(self.travel_styles),
            activity_level=self.activity_level,
            preferred_difficulty=self.preferred_difficulty,
            now=datetime.now(UTC),
        )
        if not outcome.ok:
            self.interests_message = ""
            self.interests_errors = _errors(InterestsErrors, outcome)
            return outcome.redirect
        self._apply_interests(outcome.value)
        self.interests_errors = InterestsErrors()
        self.interests_message = "Interests and travel preferences saved."
        return None


def _errors(cls, outcome: Outcome):
    """Field errors next to their inputs, anything else as the section's `form` error."""
    errors = errors_of(cls, outcome.field_errors)
    return errors if errors != cls() else cls(form=outcome.message)
