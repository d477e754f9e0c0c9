"""The Reflex side of uploads: real files only, read with a bound, staged per tab.

Upload states keep what `citypulse.media.staging` hands back (refs) in backend-only vars
and bind every staged file to the signed-in user and to a random secret of this tab's
state, so a staged upload can only ever be used by the tab that staged it.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

import reflex as rx

from citypulse.media.staging import StagingOwner
from citypulse.media.validation import MAX_BYTES


def uploaded_files(files: object) -> list[Any]:
    """Only real uploaded files (a crafted event may send JSON instead)."""
    if not isinstance(files, list):
        return []
    return [item for item in files if isinstance(item, rx.UploadFile)]


async def read_limited(upload: Any) -> bytes | None:
    """The bytes of one uploaded file, or None when it is over 10 MB (read stops early)."""
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > MAX_BYTES:
        return None
    data = await upload.read(MAX_BYTES + 1)
    return None if len(data) > MAX_BYTES else data


def preview_url(jpeg: bytes) -> str:
    """A staged upload's small preview as a data URL (the uploader's own image only)."""
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode()


class StagingTab(rx.State, mixin=True):
    """A per-tab secret for staged uploads (mixed into a `SessionState` subclass)."""

    _staging_tab: str = ""

    def _staging_owner(self, user_id: int) -> StagingOwner:
        """The owner of this tab's staged uploads for `user_id` (a verified viewer)."""
        if not self._staging_tab:
            self._staging_tab = secrets.token_hex(16)
        return StagingOwner(user_id, self._staging_tab)
