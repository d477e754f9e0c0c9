"""/trips/create and /trips/[id]/edit: the trip's details, its cities (create) and cover.

The cover goes through the shared upload staging (media/staging.py): choosing a file
stages it for this user and tab at once, with a preview; Create / Save loads it in
the action's transaction. Cities on the create form are rows kept in the state until
Create (drag or Move up / Move down to reorder); the edit page changes them on the
trip page itself.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import reflex as rx
from sqlmodel import Session

from citypulse.media import staging
from citypulse.media.staging import StagedUploadMissing, StagingOwner
from citypulse.media.validation import ImageRejected
from citypulse.params import parse_id
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound, ValidationFailed
from citypulse.services.trips.cities import CityStopForm
from citypulse.services.trips.pages import trip_page
from citypulse.services.trips.trips import TripForm, trip_cover_set, trip_create, trip_update
from citypulse.state.session import SessionState
from citypulse.state.trips.views import TripView, trip_view
from citypulse.state.uploads import StagingTab, preview_url, read_limited, uploaded_files

COVER_UPLOAD_ID = "trip-cover"
PREVIEW_SIZE = (300, 100)
MAX_STOPS = 20
COVER_EXPIRED = "Your cover image expired; please choose it again"
SIZE_MESSAGE = "The image must be at most 10 MB"
FORM_LIMIT = 3000


@dataclass(frozen=True)
class StopRow:
    """A city on the create form, before the trip exists."""

    key: str = ""
    city_text: str = ""
    arrival_date: str = ""
    departure_date: str = ""
    notes: str = ""
    is_first: bool = False
    is_last: bool = False


def _text(form: Any, key: str) -> str:
    value = form.get(key, "") if isinstance(form, dict) else ""
    return value[:FORM_LIMIT] if isinstance(value, str) else ""


def _trip_form(form: Any) -> TripForm:
    collaborative = (
        form.get("is_collaborative") in ("on", True) if isinstance(form, dict) else False
    )
    return TripForm(
        title=_text(form, "title"),
        description=_text(form, "description"),
        start_date=_text(form, "start_date"),
        end_date=_text(form, "end_date"),
        total_budget=_text(form, "total_budget"),
        currency=_text(form, "currency") or "USD",
        visibility=_text(form, "visibility"),
        is_collaborative=collaborative,
    )


def _cover_bytes(actor: Viewer, ref: str, tab: str) -> bytes | None:
    if not ref:
        return None
    try:
        return staging.load(ref, owner=StagingOwner(actor.user_id, tab))
    except (StagedUploadMissing, ValueError) as error:
        raise ValidationFailed({"cover": COVER_EXPIRED}) from error


def trip_publish(
    db: Session,
    *,
    actor: Viewer,
    form: TripForm,
    stops: list[CityStopForm],
    cover_ref: str,
    tab: str,
    now: datetime,
) -> int:
    """Create the trip with the cover this actor staged in tab `tab` (one transaction)."""
    cover = _cover_bytes(actor, cover_ref, tab)
    return trip_create(db, actor=actor, form=form, cities=stops, cover=cover, now=now)


def trip_save(
    db: Session,
    *,
    actor: Viewer,
    trip_id: int,
    form: TripForm,
    version: Any,
    cover_ref: str,
    remove_cover: bool,
    tab: str,
    now: datetime,
) -> None:
    """Save the details and, when asked, the new or removed cover (one transaction)."""
    trip_update(db, actor=actor, trip_id=trip_id, form=form, version=version, now=now)
    if cover_ref or remove_cover:
        cover = _cover_bytes(actor, cover_ref, tab)
        trip_cover_set(db, actor=actor, trip_id=trip_id, data=cover, now=now)


class TripFormState(StagingTab, SessionState):
    """The create and edit forms (one at a time per tab)."""

    mode: str = "create"
    loaded: bool = False
    found: bool = True
    initial: TripView = TripView()
    stops: list[StopRow] = []
    cover_preview: str = ""
    remove_cover: bool = False
    errors: dict[str, str] = {}
    form_error: str = ""
    saving: bool = False
    is_owner: bool = False  # only the owner changes the visibility
    _cover_ref: str = ""
    _trip_id: int = 0
    _version: Any = None
    _sent_keys: list[str] = []  # the city rows the last Create sent, in order

    def _reset(self, mode: str) -> None:
        self._discard_cover()
        self.mode, self.errors, self.form_error, self.remove_cover = mode, {}, "", False
        self.stops, self.initial, self.found, self.saving = [], TripView(), True, False

    def _discard_cover(self) -> None:
        if self._cover_ref and self._user_id:
            staging.discard(self._cover_ref, owner=self._staging_owner(self._user_id))
        self._cover_ref, self.cover_preview = "", ""

    @rx.event
    async def load_create(self):
        """on_load of /trips/create: an empty form with one empty city row."""
        self._reset("create")
        self.stops = [StopRow(key=secrets.token_hex(4), is_first=True, is_last=True)]
        self.loaded = True

    @rx.event
    async def load_edit(self):
        """on_load of /trips/[id]/edit: the details, for the owner and organizers only."""
        self._reset("edit")
        trip_id = parse_id(self.router.page.params.get("id", ""))
        outcome = await self._load(trip_page, trip_id=trip_id or 0) if trip_id else None
        if outcome is None or isinstance(outcome.error, NotFound):
            self.found, self.loaded = False, True
            return None
        if not outcome.ok:
            self.form_error, self.loaded = outcome.message, True
            return outcome.event
        page = outcome.value
        if not page.permissions.can_edit_details:
            self.found, self.loaded = False, True  # only editors have an edit page (404)
            return None
        self._trip_id, self._version = page.trip.id, page.trip.version
        self.initial, self.loaded = trip_view(page), True
        self.is_owner = page.permissions.is_owner
        return None

    # --- the create form's cities ------------------------------------------------------

    def _set_stops(self, rows: list[StopRow]) -> None:
        last = len(rows) - 1
        self.stops = [
            StopRow(
                r.key, r.city_text, r.arrival_date, r.departure_date, r.notes, i == 0, i == last
            )
            for i, r in enumerate(rows)
        ]

    @rx.event
    def add_stop(self):
        """Another empty city row (at most 20)."""
        if len(self.stops) < MAX_STOPS:
            self._set_stops([*self.stops, StopRow(key=secrets.token_hex(4))])

    @rx.event
    def remove_stop(self, key: str):
        """Drop a city row."""
        self._set_stops([row for row in self.stops if row.key != key])

    @rx.event
    def set_stop(self, key: str, field: str, value: str):
        """Keep what was typed in a city row (so reordering keeps it)."""
        if field not in ("city_text", "arrival_date", "departure_date", "notes"):
            return
        text = value[:500] if isinstance(value, str) else ""
        self._set_stops(
            [
                StopRow(**{**row.__dict__, field: text}) if row.key == key else row
                for row in self.stops
            ]
        )

    @rx.event
    def move_stop(self, key: str, offset: int):
        """Move a city row one place up (-1) or down (+1)."""
        rows = list(self.stops)
        index = next((i for i, row in enumerate(rows) if row.key == key), -1)
        target = index + (1 if offset == 1 else -1)
        if index >= 0 and 0 <= target < len(rows):
            rows[index], rows[target] = rows[target], rows[index]
            self._set_stops(rows)

    @rx.event
    def reorder_stops(self, keys: list):
        """Drag and drop: the rows in their new order (unknown keys are ignored)."""
        by_key = {row.key: row for row in self.stops}
        wanted = (
            [by_key[k] for k in keys if isinstance(k, str) and k in by_key]
            if isinstance(keys, list)
            else []
        )
        if len(wanted) == len(self.stops) and len(set(r.key for r in wanted)) == len(wanted):
            self._set_stops(wanted)

    # --- cover ---------------------------------------------------------------------------

    @rx.event
    async def upload_cover(self, files: list[rx.UploadFile]):
        """The chosen cover image: checked and staged at once, with a preview."""
        chosen = uploaded_files(files)[:1]
        viewer = await self._viewer()
        if viewer is None:
            return self._login_redirect()
        if not chosen:
            return None
        data = await read_limited(chosen[0])
        if data is None:
            self.errors = {**self.errors, "cover": SIZE_MESSAGE}
            return None
        try:
            staged = await asyncio.to_thread(
                staging.stage,
                data,
                owner=self._staging_owner(viewer.user_id),
                preview_size=PREVIEW_SIZE,
            )
        except ImageRejected as rejected:
            self.errors = {**self.errors, "cover": rejected.message}
            return None
        self._discard_cover()
        self._cover_ref, self.cover_preview = staged.ref, preview_url(staged.preview)
        self.remove_cover = False
        self.errors = {k: v for k, v in self.errors.items() if k != "cover"}
        return None

    @rx.event
    def clear_cover(self):
        """Drop the chosen image; on the edit page also remove the current cover."""
        self._discard_cover()
        self.remove_cover = self.mode == "edit" and self.initial.cover_url != ""

    # --- submit ----------------------------------------------------------------------------

    @rx.event
    async def submit(self, form: dict):
        """Create the trip, or save the edited details."""
        if self.saving:
            return None
        self.saving = True
        now, tab = datetime.now(UTC), self._staging_tab
        if self.mode == "edit":
            outcome = await self._call(
                trip_save,
                trip_id=self._trip_id,
                form=_trip_form(form),
                version=self._version,
                cover_ref=self._cover_ref,
                remove_cover=self.remove_cover,
                tab=tab,
                now=now,
            )
        else:
            sent = [row.key for row in self.stops if _text(form, f"city_{row.key}").strip()]
            self._sent_keys = sent
            stops = [
                CityStopForm(
                    city_text=_text(form, f"city_{key}"),
                    arrival_date=_text(form, f"arrival_{key}"),
                    departure_date=_text(form, f"departure_{key}"),
                    notes=_text(form, f"notes_{key}"),
                )
                for key in sent
            ]
            outcome = await self._call(
                trip_publish,
                form=_trip_form(form),
                stops=stops,
                cover_ref=self._cover_ref,
                tab=tab,
                now=now,
            )
        self.saving = False
        self.errors = self._stop_errors(dict(outcome.field_errors))
        self.form_error = "" if outcome.ok else self._summary(outcome)
        if not outcome.ok:
            return outcome.redirect
        if self._cover_ref and self._user_id:
            staging.discard(self._cover_ref, owner=self._staging_owner(self._user_id))
        self._cover_ref, self.cover_preview = "", ""
        trip_id = outcome.value if self.mode == "create" else self._trip_id
        done = "Trip created" if self.mode == "create" else "Trip saved"
        return [rx.toast(done), rx.redirect(f"/trips/{trip_id}")]

    def _stop_errors(self, errors: dict[str, str]) -> dict[str, str]:
        """ "cities.<i>.<field>" (the i-th city sent) → "<field>_<row key>"."""
        sent = self._sent_keys
        out = {}
        for key, message in errors.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == "cities" and parts[1].isdigit():
                index = int(parts[1])
                if index < len(sent):
                    out[f"{parts[2]}_{sent[index]}"] = message
                    continue
            out[key] = message
        return out

    def _summary(self, outcome) -> str:
        if outcome.field_errors:
            return "Please correct the fields marked below."
        return outcome.message
