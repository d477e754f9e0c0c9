"""The trip forms' cover through the shared upload staging (state/trips/form.py): a
cover staged by this user and tab is stored on Create / Save; anyone else's is not."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import Session

from citypulse.media import staging
from citypulse.media.staging import StagingOwner
from citypulse.media.storage import path_for
from citypulse.models import Trip
from citypulse.services.errors import ValidationFailed
from citypulse.services.trips.trips import TripForm
from citypulse.settings import get_settings
from citypulse.state.trips.form import trip_publish, trip_save
from tests.integration.trips.support import People, make_trip, run

TAB = "a" * 32


@pytest.fixture(autouse=True)
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path / "data")
    monkeypatch.setattr(get_settings(), "upload_dir", tmp_path / "uploads")


def staged(user_id: int, tab: str = TAB) -> str:
    buffer = BytesIO()
    Image.new("RGB", (900, 400), (10, 120, 200)).save(buffer, "JPEG")
    owner = StagingOwner(user_id, tab)
    return staging.stage(buffer.getvalue(), owner=owner, preview_size=(30, 10)).ref


def test_create_stores_the_staged_cover(session: Session, people: People) -> None:
    ref = staged(people.alice.id)
    trip_id = run(
        session,
        trip_publish,
        people.alice,
        form=TripForm(title="Covered trip"),
        stops=[],
        cover_ref=ref,
        tab=TAB,
    )
    key = session.get(Trip, trip_id).cover_key
    assert key and path_for(key).exists()


def test_someone_elses_staged_cover_is_refused(session: Session, people: People) -> None:
    ref = staged(people.bob.id)
    with pytest.raises(ValidationFailed) as refused:
        run(
            session,
            trip_publish,
            people.alice,
            form=TripForm(title="Covered trip"),
            stops=[],
            cover_ref=ref,
            tab=TAB,
        )
    assert refused.value.field_errors == {
        "cover": "Your cover image expired; please choose it again"
    }


def test_save_replaces_and_removes_the_cover(session: Session, people: People) -> None:
    trip = make_trip(session, people.alice)
    form = TripForm(title=trip.title)
    run(
        session,
        trip_save,
        people.alice,
        trip_id=trip.id,
        form=form,
        version=None,
        cover_ref=staged(people.alice.id),
        remove_cover=False,
        tab=TAB,
    )
    session.refresh(trip)
    assert trip.cover_key
    run(
        session,
        trip_save,
        people.alice,
        trip_id=trip.id,
        form=form,
        version=None,
        cover_ref="",
        remove_cover=True,
        tab=TAB,
    )
    session.refresh(trip)
    assert trip.cover_key is None
