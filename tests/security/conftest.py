"""Security tier: crafted websocket events and HTTP attacks against the running app.

The app runs exactly as in the end-to-end tier (same-origin production harness on
loopback, migrated and seeded database, fake SendGrid and Google, Debian Chromium);
the fixtures are the e2e tier's own, imported here so both tiers start the app one way.
Like the e2e tier, this one writes `.web/` and must not run at the same time as it.
"""

from tests.e2e.conftest import (  # noqa: F401  (fixtures)
    app_harness,
    backend_url,
    base_url,
    browser_context_args,
    browser_type_launch_args,
    e2e_database,
    google,
    outbox,
    site_port,
)
from tests.security.support.fixtures import app_log, world  # noqa: F401  (fixtures)
