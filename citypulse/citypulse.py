"""The Reflex app: theme, global styles, page registration and custom HTTP routes."""

import reflex as rx

import citypulse.pages  # noqa: F401  (registers every page)
from citypulse import head_script
from citypulse.api.routes import build_api
from citypulse.api.security_middleware import with_security_headers
from citypulse.bench_probe import notification_fanout_probe
from citypulse.logs import configure_logging
from citypulse.pages.registry import add_pages
from citypulse.runtime import keep_heap_frozen, loop_monitor
from citypulse.schema_check import assert_schema_current
from citypulse.state.connection import install_connection_privacy
from citypulse.state.push import start_live_pushes

# One logging set-up for every worker; no cookie, token or code reaches a log line.
configure_logging()

app = rx.App(
    stylesheets=["/styles.css"],
    head_components=[
        rx.el.link(rel="icon", href="/favicon.svg", type="image/svg+xml"),
        # The app's browser scripts (assets/*.js) as one file built now (head_script.py):
        # a plain <script defer> in the prerendered head, not rx.script (react-helmet
        # adds those only after the app has mounted, one request each).
        rx.el.script(src=head_script.build(), defer=True),
    ],
    # Our routes, then the security headers on every response (also without Nginx).
    api_transformer=[build_api(), with_security_headers],
)
add_pages(app)
# Refuse to serve on a database that migrations have not brought up to date.
app.register_lifespan_task(assert_schema_current)
# Cookies and client addresses stay server-side; a new identity gets a fresh tab token.
app.register_lifespan_task(install_connection_privacy)
# Push committed events to open tabs. (Periodic work runs in the job worker: citypulse/jobs.)
app.register_lifespan_task(start_live_pushes)
# Bench only (off unless CITYPULSE_LOOP_STATS is set): event-loop stalls and GC pauses.
app.register_lifespan_task(loop_monitor)
app.register_lifespan_task(notification_fanout_probe)  # make bench-notifications only
# Last: freeze what start-up built, then the survivors every second, so collections
# skip the retained tab states (see citypulse/runtime.py).
app.register_lifespan_task(keep_heap_frozen)
