"""The app's static server says how long to keep what it sends (issue 15 item 11)."""

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from citypulse.api.static_cache import IMMUTABLE, REVALIDATE, StaticCacheMiddleware


def _client(root: Path) -> TestClient:
    (root / "assets").mkdir()
    (root / "assets" / "root-dMiGoYj8.js").write_text("export default 1;")
    (root / "index.html").write_text("<html><body>home</body></html>")
    (root / "logo.svg").write_text("<svg/>")
    (root / "citypulse.js").write_text("var x = 1;")

    async def api(_request):
        return JSONResponse({"ok": True}, headers={"Cache-Control": "private, max-age=5"})

    app = Starlette(
        routes=[Route("/api/x", api), Mount("/", StaticFiles(directory=root, html=True))],
        middleware=[Middleware(StaticCacheMiddleware)],
    )
    return TestClient(app)


def test_hashed_assets_are_immutable_and_pages_revalidate(tmp_path: Path) -> None:
    client = _client(tmp_path)
    asset = client.get("/assets/root-dMiGoYj8.js")
    assert asset.status_code == 200 and asset.headers["cache-control"] == IMMUTABLE
    again = client.get("/assets/root-dMiGoYj8.js", headers={"If-None-Match": asset.headers["etag"]})
    assert again.status_code == 304 and again.headers["cache-control"] == IMMUTABLE
    page = client.get("/")
    assert page.status_code == 200 and page.headers["cache-control"] == REVALIDATE


def test_other_answers_keep_their_own_rules(tmp_path: Path) -> None:
    client = _client(tmp_path)
    assert "cache-control" not in client.get("/logo.svg").headers  # not hashed, not a page
    assert client.get("/api/x").headers["cache-control"] == "private, max-age=5"
    missing = client.get("/assets/gone-123.js")
    assert missing.status_code == 404 and "cache-control" not in missing.headers


def test_the_versioned_head_script_is_kept_like_a_hashed_asset(tmp_path: Path) -> None:
    client = _client(tmp_path)
    assert client.get("/citypulse.js?v=0123456789").headers["cache-control"] == IMMUTABLE
    assert "cache-control" not in client.get("/citypulse.js").headers  # no version named
