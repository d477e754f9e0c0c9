"""Integration tests for authentication (Google sign-in against a fake OIDC provider)."""
