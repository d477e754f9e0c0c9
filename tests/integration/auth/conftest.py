"""Fixtures for the auth integration tests."""

from tests.support.fake_oidc import fake_oidc

__all__ = ["fake_oidc"]
