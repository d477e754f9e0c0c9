"""Photos of a deleted recommendation stop being served at once (issue 9 item 9).

Files under `/_upload` are public to anyone holding the URL (ARCHITECTURE.md invariant
5), so deleting a recommendation must delete its photo files when the deletion commits,
not 30 days later. The URLs are fetched through the route Reflex serves uploads with
(the same mount `reflex.app.App` adds for `/_upload`).
"""

from pathlib import Path

import pytest
from reflex.app import UploadedFilesHeadersMiddleware
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from citypulse.models import Photo
from citypulse.services.errors import NotFound
from citypulse.services.recommendations.commands import (
    recommendation_create,
    recommendation_delete,
)
from tests.integration.recommendations.support import (
    city,
    form,
    stored_files,
    upload,
    viewer_for,
)
from tests.integration.support import NOW, run_action
from tests.support.factories import create_category, create_user


def uploads_route(folder: Path) -> TestClient:
    """`GET /_upload/<name>` exactly as the running app serves it."""
    folder.mkdir(parents=True, exist_ok=True)
    files = UploadedFilesHeadersMiddleware(StaticFiles(directory=folder))
    return TestClient(Starlette(routes=[Mount("/_upload", files)]))


@pytest.fixture
def published(session: Session):
    """Alice's recommendation with two photos, and the URLs of its four files."""
    alice = create_user(session, username="del_alice")
    category = create_category(session, name="Restaurant")
    city(session, "Toronto", "Canada", "Ontario")
    detail = run_action(
        session,
        recommendation_create,
        actor=viewer_for(alice),
        form=form(category_id=category.id),
        photos=[upload("front", primary=True), upload("inside")],
        now=NOW,
    )
    urls = [url for photo in detail.photos for url in (photo.image_url, photo.thumb_url)]
    return alice, detail.id, urls


def test_deleting_a_recommendation_stops_serving_its_photos(
    session: Session, published, uploads: Path
) -> None:
    alice, rec_id, urls = published
    client = uploads_route(uploads)
    assert [client.get(url).status_code for url in urls] == [200] * 4

    run_action(
        session, recommendation_delete, actor=viewer_for(alice), recommendation_id=rec_id, now=NOW
    )

    assert [client.get(url).status_code for url in urls] == [404] * 4
    assert stored_files(uploads) == []
    assert session.exec(select(Photo).where(Photo.recommendation_id == rec_id)).all() == []


def test_a_refused_deletion_keeps_the_photos(session: Session, published, uploads: Path) -> None:
    _, rec_id, urls = published
    mallory = create_user(session, username="del_mallory")
    with pytest.raises(NotFound):
        run_action(
            session,
            recommendation_delete,
            actor=viewer_for(mallory),
            recommendation_id=rec_id,
            now=NOW,
        )
    client = uploads_route(uploads)
    assert [client.get(url).status_code for url in urls] == [200] * 4
