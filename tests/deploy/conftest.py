"""Deployment tier: compose/workflow/nginx checks, backup round trip, loopback production.

Run with `make test-prod` (which installs nginx, redis-server and openssl when missing).
"""

import pytest

CHROMIUM = "/usr/bin/chromium"
# Without these flags Chromium keeps dialling Google services this machine cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "prod_loopback: the production stack (nginx + 2 workers + Redis) on 127.0.0.1"
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium; Playwright cannot download a browser here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """The loopback site has a self-signed certificate made by the test."""
    return {**browser_context_args, "ignore_https_errors": True, "locale": "en-GB"}
