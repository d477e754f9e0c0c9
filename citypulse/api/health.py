"""`GET /health`: database and Redis status plus the app version; no secrets."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse

from citypulse.db import get_engine
from citypulse.settings import get_settings

CHECK_TIMEOUT_SECONDS = 3.0


def _check_database() -> bool:
    with get_engine().connect() as conn:
        return conn.execute(text("SELECT 1")).scalar() == 1


def _check_redis(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=CHECK_TIMEOUT_SECONDS)
    try:
        return bool(client.ping())
    finally:
        client.close()


async def _status(check, *args) -> str:
    """Run a blocking check off the event loop; any failure is reported as 'error'."""
    try:
        ok = await asyncio.wait_for(asyncio.to_thread(check, *args), CHECK_TIMEOUT_SECONDS)
    except Exception:  # the reason is deliberately not exposed (PRODUCT.md §2.4)
        return "error"
    return "ok" if ok else "error"


async def health(_request: Request) -> JSONResponse:
    """200 when every configured dependency answers, 503 otherwise."""
    settings = get_settings()
    checks = {"database": await _status(_check_database)}
    if settings.redis_url:
        checks["redis"] = await _status(_check_redis, settings.redis_url)
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "error", "version": settings.version, **checks}
    return JSONResponse(body, status_code=200 if healthy else 503)
