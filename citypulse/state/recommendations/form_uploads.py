"""Photos on their way: choosing files uploads them at once, and nothing is lost meanwhile.

The photo picker sends `photos_chosen` over the live connection and the files over HTTP;
Reflex does not wait for an upload before the next event, so the two may reach the
server in either order. `photos_chosen` and the end of each upload handler count in
opposite directions, so their order does not matter. While photos are on their way:
- pressing Publish / Save holds the form and sends it as soon as the last upload is in
  (unless a photo was refused, which the user must see first);
- a watchdog, started by `photos_chosen`, tells the user when an upload never arrives
  (network error, proxy limit), so nothing the user picked disappears without a word.

The upload handler's changes come back with the upload's HTTP reply, which the page may
apply before or after earlier updates from the live connection (`uploading` set by
`photos_chosen`, say). So once the uploads are in, the watchdog re-sends what they
changed over the live connection, where it lands after everything sent there before.
"""

from __future__ import annotations

import asyncio
import time

import reflex as rx

UPLOAD_WAIT_SECONDS = 180.0  # no upload for this long after choosing: it is not coming
WATCH_EVERY_SECONDS = 0.5
UPLOAD_LOST = "Your photos could not be uploaded. Please choose them again."
NOT_ARRIVED = "your photos did not arrive."
PHOTO_REFUSED = "a photo could not be added (see Photos)."
RESENT_VARS = ("uploading", "waiting_to_send", "form_error", "errors", "photos", "photo_message")


class PhotoArrivals(rx.State, mixin=True):
    """Counts uploads in flight; holds Publish / Save until they are in.

    Mixed into page states that also mix in `RecommendationFormFields` and define
    `_send_values(values)` (publish or save) and `_not_sent_prefix()`.
    """

    uploading: bool = False  # photos were chosen and are not in yet
    waiting_to_send: bool = False  # Publish / Save was pressed meanwhile
    _in_flight: int = 0
    _wait_until: float = 0.0
    _held_values: dict = {}

    def _reset_arrivals(self) -> None:
        self._in_flight, self._wait_until, self._held_values = 0, 0.0, {}
        self.uploading = self.waiting_to_send = False

    def _hold_while_uploading(self, values: dict) -> bool:
        """Keep the submitted values until the photos are in; True when held."""
        if self._in_flight <= 0:
            return False
        self._held_values, self.waiting_to_send, self.form_error = values, True, ""
        return True

    async def _photos_arrived(self, refused: bool):
        """The end of an upload handler; sends a held form once the last upload is in."""
        self._in_flight -= 1
        self._wait_until = time.time() + UPLOAD_WAIT_SECONDS
        self.uploading = self._in_flight > 0
        if self.uploading or not self._held_values:
            return None
        values, self._held_values, self.waiting_to_send = self._held_values, {}, False
        if refused:
            self.form_error = self._not_sent_prefix() + PHOTO_REFUSED
            return None
        return await self._send_values(values)

    def _resend_upload_outcome(self) -> None:
        """Mark what uploads change for the next delta (see the module doc)."""
        for name in RESENT_VARS:
            setattr(self, name, self.get_value(name))  # any assignment puts a var in the delta

    @rx.event
    def photos_chosen(self):
        """The picker handed files to the upload (sent just before them)."""
        self._in_flight += 1
        self._wait_until = time.time() + UPLOAD_WAIT_SECONDS
        self.uploading = self._in_flight > 0
        return type(self).watch_uploads if self.uploading else None

    @rx.event(background=True)
    async def watch_uploads(self):
        """Wait for the chosen photos: re-send their outcome, or say they never arrived."""
        while True:
            await asyncio.sleep(WATCH_EVERY_SECONDS)
            async with self:
                if self._in_flight <= 0:
                    self._resend_upload_outcome()
                    return
                if time.time() < self._wait_until:
                    continue
                self._in_flight, self.uploading = 0, False
                self._photos_outcome(UPLOAD_LOST, 0)
                if self._held_values:
                    self._held_values, self.waiting_to_send = {}, False
                    self.form_error = self._not_sent_prefix() + NOT_ARRIVED
                return
