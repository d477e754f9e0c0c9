"""Shared pytest configuration: tests run with APP_ENV=test."""

import os

os.environ.setdefault("APP_ENV", "test")
os.environ.setdefault("EMAIL_BACKEND", "console")
