"""End-to-end tier: the real app (exported frontend + backend) driven by Debian Chromium.

The app runs through a same-origin variant of Reflex's production harness on
loopback, against its own migrated and seeded database. Failed tests keep a
screenshot under test-results/.
"""

import os
import secrets
from collections.abc import Iterator

import pytest

from citypulse.seed import seed_demo_data
from citypulse.settings import PROJECT_ROOT
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


@pytest.fixture(scope="session")
def e2e_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database loaded with the demo seed; photos go to a temporary folder."""
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
def outbox() -> Iterator[FakeSendGrid]:
    """The fake SendGrid the app sends through: tests read links and codes from it."""
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
def backend_url(app_harness: SameOriginHarness) -> str:
    """Base URL of the backend (Reflex events and CityPulse's own HTTP routes)."""
    return app_harness.origin


@pytest.fixture(scope="session")
def base_url(app_harness: SameOriginHarness) -> str:
    """pytest-playwright resolves relative `page.goto()` paths against this."""
    return app_harness.frontend_url.rstrip("/")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium; Playwright cannot download a browser here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """Deterministic locale and timezone for every simulated person."""
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "UTC"}
