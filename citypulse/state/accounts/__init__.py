"""Account pages: sign-in, sign-up, password reset, email verification, settings."""
