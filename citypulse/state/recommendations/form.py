"""/recommendations/create: the recommendation form, its live preview and chosen photos.

`RecommendationFormFields` is shared with the edit page (`recommendation_edit`): form
errors, the category choice, the city autocomplete and the live preview. Every handler
treats its arguments as hostile (any client may call it with anything) and runs through
`SessionState._call` / `_load`, which re-read the viewer from the session cookie.

Photos are uploaded as soon as they are chosen and checked on arrival (type from the
bytes, size, pixels), so the field error shows at once. Accepted ones wait in
`media.staging`, bound to this user and tab, with their refs in a backend-only var; the
browser only gets a small re-encoded preview. "Publish" hands them to
`recommendation_create` (and waits for photos still on their way).
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import replace
from datetime import UTC, datetime

import reflex as rx
from sqlmodel import Session

from citypulse.media import staging
from citypulse.media.staging import StagedUploadMissing, StagingOwner
from citypulse.media.validation import SIZE_MESSAGE, ImageRejected
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import ValidationFailed
from citypulse.services.recommendations.commands import recommendation_create
from citypulse.services.recommendations.form_page import recommendation_create_page
from citypulse.services.recommendations.forms import RecommendationForm
from citypulse.services.recommendations.photos import MAX_PHOTOS, TOO_MANY_PHOTOS, PhotoUpload
from citypulse.services.recommendations.queries import RecommendationDetail
from citypulse.state.recommendations.form_fields import RecommendationFormFields, rejected_message
from citypulse.state.recommendations.form_uploads import PhotoArrivals
from citypulse.state.recommendations.form_views import FormErrors, FormInitial, PhotoSlot
from citypulse.state.session import SessionState
from citypulse.state.uploads import StagingTab, preview_url, read_limited, uploaded_files

CREATE_UPLOAD_ID = "recommendation-photos"
PREVIEW_SIZE = (160, 120)  # a few KB each: per-tab state stays small
MAX_CAPTION_INPUT = 500  # the service refuses more than 200; this only bounds the state
MISSING_UPLOAD = "Your photos expired; please upload them again"


def recommendation_publish(
    db: Session,
    *,
    actor: Viewer,
    form: RecommendationForm,
    photos: list[tuple[str, str, bool]],
    tab: str,
    now: datetime,
) -> RecommendationDetail:
    """Publish with the photos this actor staged in tab `tab`: (ref, caption, primary).

    The staged files are looked up for the verified actor, so refs staged by anyone
    else (or in another tab) are simply not found.

    Raises:
        ValidationFailed: {"photos": MISSING_UPLOAD} when a staged photo is gone, or the
            form's field errors.
        PermissionDenied, RateLimited: see `recommendation_create`.
    """
    uploads = []
    if photos:
        try:
            owner = StagingOwner(actor.user_id, tab)
            data = staging.load_all([ref for ref, _, _ in photos], owner=owner)
        except (StagedUploadMissing, ValueError) as error:
            raise ValidationFailed({"photos": MISSING_UPLOAD}) from error
        uploads = [
            PhotoUpload(data=content, caption=caption, is_primary=primary)
            for content, (_, caption, primary) in zip(data, photos, strict=True)
        ]
    return recommendation_create(db, actor=actor, form=form, photos=uploads, now=now)


class RecommendationFormState(PhotoArrivals, RecommendationFormFields, StagingTab, SessionState):
    """The create form; chosen photos are staged until "Publish"."""

    _pending: dict[str, str] = {}  # photo slot id → staged ref (server-side only)
    _published_id: int = 0  # a second "Publish" click queued behind the first must not repost

    def _discard_pending(self) -> None:
        refs = list(self._pending.values())
        self._pending, self.photos = {}, []
        if refs and self._user_id:
            staging.discard_all(refs, owner=self._staging_owner(self._user_id))

    def _not_sent_prefix(self) -> str:
        return "Not published yet: "

    @rx.event
    async def load(self):
        """on_load: an empty form; visibility preselected from the viewer's settings."""
        outcome = await self._load(recommendation_create_page)
        if not self.signed_in:
            return self._login_redirect()
        if not outcome.ok:
            return outcome.event
        self._discard_pending()
        self._reset_arrivals()
        self._published_id = 0
        page = outcome.value
        self._start_form(FormInitial(visibility=page.default_visibility), [], page.categories)
        return None

    async def _stage(self, upload: object, owner: StagingOwner) -> str:
        """Stage one file and add its row; returns the refusal message ('' when added)."""
        data = await read_limited(upload)
        if data is None:
            return SIZE_MESSAGE
        try:
            staged = await asyncio.to_thread(
                staging.stage, data, owner=owner, preview_size=PREVIEW_SIZE
            )
        except ImageRejected as rejected:
            return rejected.message
        slot = secrets.token_hex(8)
        self._pending = {**self._pending, slot: staged.ref}
        row = PhotoSlot(id=slot, preview=preview_url(staged.preview), primary=not self.photos)
        self.photos = [*self.photos, row]
        return ""

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        """Chosen photos arrive: check and stage each one now (at most 5 in all)."""
        chosen = uploaded_files(files)
        if not chosen:  # everything was refused by the picker (photos_rejected says why)
            return await self._photos_arrived(refused=False)
        viewer = await self._viewer()
        if viewer is None:
            self._reset_arrivals()
            return self._login_redirect()
        self._clear_photo_errors()
        owner, error, added = self._staging_owner(viewer.user_id), "", 0
        for upload in chosen:
            if len(self.photos) >= MAX_PHOTOS:
                error = error or TOO_MANY_PHOTOS
                break
            refused = await self._stage(upload, owner)
            if refused:
                error = error or refused
            else:
                added += 1
        self._photos_outcome(error, added)
        return await self._photos_arrived(refused=bool(error))

    @rx.event
    def photos_rejected(self, codes: list[str]):
        """The file picker refused files before upload (too many, or not an image type)."""
        self._photos_outcome(rejected_message(codes), 0)

    def _slot_index(self, slot: object) -> int:
        return next((i for i, photo in enumerate(self.photos) if photo.id == slot), -1)

    @rx.event
    def set_caption(self, slot: str, caption: str):
        """Caption of a pending photo (checked by the service on publish)."""
        index = self._slot_index(slot)
        if index >= 0:
            photos = list(self.photos)
            photos[index] = replace(photos[index], caption=str(caption)[:MAX_CAPTION_INPUT])
            self.photos = photos

    @rx.event
    def set_primary(self, slot: str):
        """Make one pending photo the primary one."""
        if self._slot_index(slot) >= 0:
            self.photos = [replace(photo, primary=photo.id == slot) for photo in self.photos]

    @rx.event
    def move_photo(self, slot: str, step: int):
        """Move a pending photo one place up (-1) or down (+1)."""
        index = self._slot_index(slot)
        target = index + (1 if step == 1 else -1)
        if index >= 0 and 0 <= target < len(self.photos):
            photos = list(self.photos)
            photos[index], photos[target] = photos[target], photos[index]
            self.photos = photos

    @rx.event
    def remove_photo(self, slot: str):
        """Drop a pending photo (its staged file is deleted)."""
        if self._slot_index(slot) < 0:
            return
        ref = self._pending.get(slot, "")
        self._pending = {key: value for key, value in self._pending.items() if key != slot}
        photos = [photo for photo in self.photos if photo.id != slot]
        if photos and not any(photo.primary for photo in photos):
            photos[0] = replace(photos[0], primary=True)
        self.photos = photos
        self._clear_photo_errors()
        if ref and self._user_id:
            staging.discard(ref, owner=self._staging_owner(self._user_id))

    @rx.event
    async def submit(self, form: dict):
        """Publish: validate everything, store it atomically, open the new page.

        Pressed while chosen photos are still uploading, it waits for them.
        """
        if self._published_id:
            return rx.redirect(f"/recommendations/{self._published_id}")
        values = self._form_values(form)
        if self._hold_while_uploading(values):
            return None
        return await self._send_values(values)

    async def _send_values(self, values: dict):
        photos = [(self._pending.get(p.id, ""), p.caption, p.primary) for p in self.photos]
        outcome = await self._call(
            recommendation_publish, form=RecommendationForm(**values), photos=photos,
            tab=self._staging_tab, now=datetime.now(UTC),
        )  # fmt: skip
        if outcome.signed_out:
            return outcome.redirect
        if not outcome.ok:
            if outcome.field_errors.get("photos") == MISSING_UPLOAD:
                self._discard_pending()
            self._show_errors(outcome.field_errors, "" if outcome.field_errors else outcome.message)
            return None
        self._published_id = outcome.value.id
        self._discard_pending()
        self.errors, self.form_error = FormErrors(), ""
        return rx.redirect(f"/recommendations/{outcome.value.id}")
