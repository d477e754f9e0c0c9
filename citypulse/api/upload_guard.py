"""Reflex's upload route answers 400, not 500, for a handler that takes no files.

`POST /_upload` names its event handler in the `reflex-event-handler` header. Reflex
0.10 answers 400 for an unknown name, but for a real handler without a
`list[rx.UploadFile]` (or `rx.UploadChunkIterator`) parameter it raises while resolving
the parameter, which is a 500 (issue 9 item 5, ARCHITECTURE.md invariant 9). Any client
can name any handler, so this middleware checks the named handler first and refuses,
with 400, anything that is not an upload handler.
"""

from __future__ import annotations

from reflex.config import get_config
from reflex_base.event import resolve_upload_chunk_handler_param, resolve_upload_handler_param
from reflex_base.registry import RegistrationContext
from reflex_base.utils.exceptions import UploadTypeError, UploadValueError
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

HANDLER_HEADER = "reflex-event-handler"
NOT_AN_UPLOAD_HANDLER = "This handler does not accept uploads."


def _upload_path() -> str:
    return get_config().prepend_backend_path("/_upload")


def accepts_uploads(handler_name: str) -> bool:
    """Whether `handler_name` is a registered handler Reflex can hand uploaded files to.

    Unknown names count as accepted here: Reflex itself answers them with 400.
    """
    registered = RegistrationContext.get().event_handlers.get(handler_name)
    if registered is None:
        return True
    handler = registered.handler
    # The same order as Reflex: background handlers may stream chunks, others get files.
    try:
        if handler.is_background:
            resolve_upload_chunk_handler_param(handler)
        else:
            resolve_upload_handler_param(handler)
    except (UploadTypeError, UploadValueError):
        return False
    return True


class UploadHandlerGuard:
    """Pure ASGI middleware in front of the whole backend (only `POST /_upload` is read)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"].rstrip("/") == _upload_path()
        ):
            name = Headers(scope=scope).get(HANDLER_HEADER, "")
            if name and not accepts_uploads(name):
                response = JSONResponse({"detail": NOT_AN_UPLOAD_HANDLER}, status_code=400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
