"""GET /health reports the database (and Redis when configured) without leaking details."""

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from citypulse.api.routes import build_api
from citypulse.settings import get_settings

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def client(engine: Engine) -> TestClient:
    return TestClient(build_api())


def test_health_is_200_with_database_ok(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body == {"status": "ok", "version": get_settings().version, "database": "ok"}


def test_health_is_503_when_redis_is_configured_but_down(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "redis_url", UNREACHABLE_REDIS)
    response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["redis"] == "error"
    assert body["database"] == "ok"
    assert "127.0.0.1" not in response.text  # no connection details leak


def test_health_is_503_when_database_is_down(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlmodel import create_engine

    dead = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    monkeypatch.setattr("citypulse.api.health.get_engine", lambda: dead)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
