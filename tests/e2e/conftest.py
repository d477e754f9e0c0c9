"""End-to-end tier: the real app (exported frontend + backend) driven by Debian Chromium.

Two targets, one suite (issue 16, tests/e2e/support/target.py):
- by default the app runs through a same-origin variant of Reflex's production harness
  on loopback, against its own migrated and seeded database, with a fake SendGrid and a
  fake Google;
- with `--base-url URL` (`make e2e BASE_URL=URL`) the journeys drive that running
  deployment and never touch a database: accounts from its QA pool, mail from its
  `/qa/outbox`. Tests that need the harness are skipped there with the reason.

Markers (pyproject.toml): `smoke` read-only and safe against production, `journeys`
PRODUCT.md §7, `destructive` moderation and deletion. `make e2e` keeps a trace, a
screenshot and a video of each failed test and an HTML report under test-results/.
"""

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from citypulse.seed import seed_demo_data
from citypulse.settings import PROJECT_ROOT
from tests.e2e.support import target
from tests.e2e.support.qa_outbox import QAOutbox
from tests.support.database import drop_database, migrate, recreate_database, use_database
from tests.support.fake_oidc import FakeOIDCProvider
from tests.support.fake_sendgrid import FAKE_API_KEY, FakeSendGrid
from tests.support.harness import SameOriginHarness, free_port

DATABASE_NAME = f"citypulse_e2e_{os.getpid()}"
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
# Against a deployment any database access is a bug: it fails on this name, never
# reaching (or starting) a real database.
NO_DATABASE_URL = "postgresql+psycopg://e2e-against-a-deployment-has-no-database.invalid/none"
# Only tests that say where they are safe run against a deployment (new ones opt in).
DEPLOYMENT_MARKERS = ("smoke", "journeys", "destructive")


def pytest_configure(config: pytest.Config) -> None:
    """Choose the target before collection: `--base-url` means a running deployment."""
    chosen = target.configure(config.getoption("--base-url", default=None))
    if chosen.external:
        from citypulse.db import database_url, get_engine
        from citypulse.settings import get_settings

        os.environ["DATABASE_URL"] = NO_DATABASE_URL
        for cached in (get_settings, database_url, get_engine):
            cached.cache_clear()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """Keep the HTML report writable: a parallel Playwright run (its default --output is
    test-results/) may have removed its folder meanwhile."""
    report = session.config.getoption("htmlpath", default=None)
    if report:
        Path(report).parent.mkdir(parents=True, exist_ok=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Against a deployment, skip what needs the harness or a demo seed it may not have."""
    if not target.is_external():
        return
    demo_skip = pytest.mark.skip(
        reason="uses the demo seed (alice, bob, …): set QA_DEMO_DATA=1 if the site has it"
    )
    unmarked = pytest.mark.skip(
        reason="not marked smoke, journeys or destructive: runs on the built-in harness only"
    )
    for item in items:
        marker = item.get_closest_marker("harness_only")
        if not any(item.get_closest_marker(name) for name in DEPLOYMENT_MARKERS):
            item.add_marker(unmarked)
        elif marker is not None:
            why = marker.args[0] if marker.args else "see the test"
            item.add_marker(pytest.mark.skip(reason=f"{target.HARNESS_ONLY_REASON}: {why}"))
        elif item.get_closest_marker("demo_data") and not target.current().demo_data:
            item.add_marker(demo_skip)


@pytest.fixture(scope="session")
def e2e_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database loaded with the demo seed; photos go to a temporary folder."""
    target.needs_harness("the test database")
    uploads = tmp_path_factory.mktemp("uploads")
    os.environ["UPLOAD_DIR"] = str(uploads)
    os.environ["REFLEX_UPLOADED_FILES_DIR"] = str(uploads)
    url = recreate_database(DATABASE_NAME)
    use_database(url)
    migrate(url)
    seed_demo_data()
    yield url
    from citypulse.db import get_engine

    get_engine().dispose()
    drop_database(DATABASE_NAME)


@pytest.fixture(scope="session")
def outbox() -> Iterator[FakeSendGrid | QAOutbox]:
    """Where tests read links and codes: the harness's fake SendGrid, or /qa/outbox."""
    if target.is_external():
        if not target.current().qa_token:
            pytest.skip("reads mail from the deployment's /qa/outbox: set QA_TOKEN")
        yield QAOutbox(target.current().external_url, target.current().qa_token)
        return
    fake = FakeSendGrid.start(FAKE_API_KEY)
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def site_port() -> int:
    """The loopback port the whole site is served on."""
    return free_port()


@pytest.fixture(scope="session")
def google(site_port: int) -> Iterator[FakeOIDCProvider]:
    """A fake Google (OpenID Connect) that the app's sign-in really talks to."""
    target.needs_harness("the fake Google")
    provider = FakeOIDCProvider(
        client_id="citypulse-e2e.apps.fake",
        client_secret=secrets.token_urlsafe(24),
        redirect_uri=f"http://127.0.0.1:{site_port}/auth/google/callback",
    ).start()
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def app_harness(
    e2e_database: str, outbox: FakeSendGrid, google: FakeOIDCProvider, site_port: int
) -> Iterator[SameOriginHarness]:
    """The running app; `frontend_url` is the site and the backend serves /health."""
    target.needs_harness("the app process it starts")
    port = site_port
    os.environ["PUBLIC_URL"] = os.environ["API_URL"] = f"http://127.0.0.1:{port}"
    os.environ.update(
        GOOGLE_CLIENT_ID=google.client_id,
        GOOGLE_CLIENT_SECRET=google.client_secret,
        GOOGLE_DISCOVERY_URL=google.discovery_url,
    )
    os.environ.update(
        EMAIL_BACKEND="sendgrid", SENDGRID_HOST=outbox.url, SENDGRID_API_KEY=FAKE_API_KEY
    )
    # Many journeys sign up and sign in from 127.0.0.1: raise the per-IP limits only.
    os.environ["RATE_LIMIT_MULTIPLIER"] = "20"
    use_database(e2e_database)  # re-reads the settings with the new URLs
    harness = SameOriginHarness.create(root=PROJECT_ROOT, app_name="citypulse")
    harness.port = port
    with harness:
        yield harness


@pytest.fixture(scope="session")
def backend_url(request: pytest.FixtureRequest) -> str:
    """Base URL of the backend (Reflex events and CityPulse's own HTTP routes).

    A deployment serves both on one origin (nginx in production, one port in `make run`).
    """
    if target.is_external():
        return target.current().external_url
    return request.getfixturevalue("app_harness").origin


@pytest.fixture(scope="session")
def base_url(request: pytest.FixtureRequest) -> str:
    """pytest-playwright resolves relative `page.goto()` paths against this."""
    if target.is_external():
        return target.current().external_url
    return request.getfixturevalue("app_harness").frontend_url.rstrip("/")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium; Playwright cannot download a browser here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """Deterministic locale and timezone for every simulated person."""
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "UTC"}


@pytest.fixture(autouse=True)
def close_contexts_the_test_opened(browser: Browser) -> Iterator[None]:
    """Close the browser contexts a test opened itself (`browser.new_context()`).

    The browser lives for the whole session: a context left open keeps its pages, their
    live connections and their timers running, and the app keeps fanning out to them, so
    every later test would run on a busier machine.
    """
    before = set(browser.contexts)
    yield
    for context in browser.contexts:
        if context not in before:
            context.close()
