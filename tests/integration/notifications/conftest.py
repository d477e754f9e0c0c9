"""Notification service tests: alice (recipient), bob and dave (actors), carol (a stranger)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import Session

from citypulse.models import User
from tests.support.factories import create_user


@dataclass
class People:
    alice: User
    bob: User
    carol: User
    dave: User


@pytest.fixture
def people(session: Session) -> People:
    return People(
        alice=create_user(session, username="n_alice", full_name="Alice Martins"),
        bob=create_user(session, username="n_bob", full_name="Bob Silva"),
        carol=create_user(session, username="n_carol", full_name="Carol Reis"),
        dave=create_user(session, username="n_dave", full_name="Dave Costa"),
    )
