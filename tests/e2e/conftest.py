"""End-to-end tier: the real app (exported frontend + backend) driven by Debian Chromium.

The app runs through Reflex's production harness on loopback against its own migrated
and seeded database. Failed tests keep a screenshot under test-results/.
"""

import os
import socket
from collections.abc import Iterator

import pytest
from reflex.testing import AppHarnessProd

from citypulse.seed import seed_demo_data
from citypulse.settings import PROJECT_ROOT
from tests.support.database import drop_database, migrate, recreate_database, use_database

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


def free_port() -> int:
    """A currently unused loopback TCP port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PinnedPortHarness(AppHarnessProd):
    """AppHarnessProd serving the frontend on a port chosen up front.

    The app only accepts live connections from its own origin (PUBLIC_URL), so the
    origin must be known before the app is imported.
    """

    frontend_port: int = 0

    def _run_frontend(self) -> None:
        import uvicorn
        from reflex.testing import chdir
        from reflex.utils.exec import _frontend_prod_app

        with chdir(self.app_path):
            frontend_app = _frontend_prod_app()
        self.frontend_server = uvicorn.Server(
            uvicorn.Config(app=frontend_app, host="127.0.0.1", port=self.frontend_port)
        )
        self.frontend_server.run()


@pytest.fixture(scope="session")
def app_harness(e2e_database: str) -> Iterator[AppHarnessProd]:
    """The running app; `frontend_url` is the site and the backend serves /health."""
    port = free_port()
    os.environ["PUBLIC_URL"] = f"http://127.0.0.1:{port}"
    use_database(e2e_database)  # re-reads the settings with the new PUBLIC_URL
    harness = PinnedPortHarness.create(root=PROJECT_ROOT, app_name="citypulse")
    harness.frontend_port = port
    with harness:
        yield harness


@pytest.fixture(scope="session")
def backend_url(app_harness: AppHarnessProd) -> str:
    """Base URL of the backend (Reflex events and CityPulse's own HTTP routes)."""
    from reflex.config import get_config

    return get_config().api_url.rstrip("/")


@pytest.fixture(scope="session")
def base_url(app_harness: AppHarnessProd) -> str:
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
