"""Fixtures the security tests share (imported by the test modules that use them)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from tests.security.support.server_log import ServerLog, captured_log
from tests.security.support.world import World, build_world


@pytest.fixture(scope="module")
def world(app_harness: object) -> World:
    """The owner's things and the intruder, in the running app's database."""
    return build_world(secrets.token_hex(3))


@pytest.fixture
def app_log() -> Iterator[ServerLog]:
    """What the app logs (WARNING and up) while the test runs."""
    with captured_log() as log:
        yield log
