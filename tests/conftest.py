"""Shared pytest configuration: tests run with APP_ENV=test."""

import os

from playwright.sync_api import expect

os.environ.setdefault("APP_ENV", "test")
os.environ.setdefault("EMAIL_BACKEND", "console")

# Browser tiers: how long a web-first assertion waits for the page to get there. The
# default 5 s is a latency budget in disguise, and on a busy 2-core CI machine an event
# queued behind a page's loaders can take longer (speed is measured by `make bench`, not
# by tests). An assertion that states its own timeout (a spec's "within 2 s") keeps it.
expect.set_options(timeout=10_000)
