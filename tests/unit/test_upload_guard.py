"""Reflex's upload route refuses (400) a handler that takes no files, instead of a 500."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from citypulse.api.upload_guard import UploadHandlerGuard, accepts_uploads
from citypulse.citypulse import app
from citypulse.state.accounts.settings import SettingsState
from citypulse.state.profiles.photos import ProfilePhotoState
from citypulse.state.recommendations.form import RecommendationFormState

UPLOAD_HANDLER = f"{RecommendationFormState.get_full_name()}.handle_upload"
PLAIN_HANDLER = f"{SettingsState.get_full_name()}.load"
BACKGROUND_HANDLER = f"{SettingsState.get_full_name()}.wait_for_export"


@pytest.fixture
def reflex_contexts():
    """The handler registry Reflex consults (set per request by Reflex's own middleware)."""
    with app.set_contexts():
        yield


@pytest.mark.usefixtures("reflex_contexts")
def test_only_handlers_with_an_upload_parameter_accept_uploads() -> None:
    assert accepts_uploads(UPLOAD_HANDLER)
    assert accepts_uploads(f"{ProfilePhotoState.get_full_name()}.upload_avatar")
    assert not accepts_uploads(PLAIN_HANDLER)
    assert not accepts_uploads(BACKGROUND_HANDLER)
    assert accepts_uploads("no_such_state.no_such_handler")  # Reflex itself answers 400


@pytest.mark.usefixtures("reflex_contexts")
@pytest.mark.parametrize(
    ("handler", "status"),
    [(UPLOAD_HANDLER, 200), (PLAIN_HANDLER, 400), (BACKGROUND_HANDLER, 400), ("", 200)],
)
def test_the_guard_answers_before_reflex(handler: str, status: int) -> None:
    reached = Starlette(routes=[Route("/_upload", lambda request: PlainTextResponse("reflex"),
                                      methods=["POST"])])  # fmt: skip
    client = TestClient(UploadHandlerGuard(reached))
    response = client.post("/_upload", headers={"reflex-event-handler": handler}, content=b"x")
    assert response.status_code == status
    assert client.get("/_upload/a.jpg").status_code != 400  # downloads are not touched
