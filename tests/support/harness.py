"""A same-origin variant of Reflex's production test harness.

`AppHarnessProd` serves the exported frontend and the backend on two ports. CityPulse
relies on one origin (as behind Nginx and with `make run`): cookies set by `/auth/...`
routes, relative links to `/auth` and `/health`, and the live-connection origin check.
So this harness exports the frontend and lets the backend serve it (Reflex's own
"mount the compiled frontend" mode), all on one loopback port chosen up front.
"""

from __future__ import annotations

import contextvars
import socket
import threading

import reflex.constants
import uvicorn
from reflex.config import get_config
from reflex.testing import AppHarnessProd, chdir
from reflex.utils.exec import get_frontend_mount
from reflex.utils.export import export
from reflex_base.components.memo import MEMOS
from reflex_base.environment import environment


def free_port() -> int:
    """A currently unused loopback TCP port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SameOriginHarness(AppHarnessProd):
    """Serve frontend, backend and custom routes on http://127.0.0.1:<port>."""

    port: int = 0

    @property
    def origin(self) -> str:
        """The site's origin (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> SameOriginHarness:
        try:
            return super().start()
        except BaseException:
            # A failed start (e.g. the export's build) must not leave the backend thread
            # serving: pytest would report the errors and then never exit.
            self.stop()
            raise

    def _initialize_app(self) -> None:
        # Reflex clears its registry of `rx.memo` definitions for each new test app but
        # reloads only the app module, so a component module imported earlier (by a
        # test, before the harness started) would never register its memo again and the
        # pages' imports of it would break the export. One app here: keep them.
        registered = dict(MEMOS)
        super()._initialize_app()
        for key, definition in registered.items():
            MEMOS.setdefault(key, definition)
        # What `reflex run --env prod` does: the backend also serves the exported pages.
        # The static mount refuses a missing folder; the export fills it before any request.
        (self.app_path / ".web" / "build" / "client").mkdir(parents=True, exist_ok=True)
        app = self.app_instance
        app._api.routes.append(get_frontend_mount(router=app.router))

    def _start_backend(self) -> None:
        environment.REFLEX_SKIP_COMPILE.set(True)
        self.backend = uvicorn.Server(
            uvicorn.Config(app=self.app_asgi, host="127.0.0.1", port=self.port)
        )
        self.backend.shutdown = self._get_backend_shutdown_handler()
        context = contextvars.copy_context()
        self.backend_thread = threading.Thread(target=context.run, args=(self.backend.run,))
        self.backend_thread.start()

    def _start_frontend(self) -> None:
        with chdir(self.app_path):
            self._poll_for_servers(timeout=60)
            get_config().api_url = self.origin
            export(
                zipping=False,
                frontend=True,
                backend=False,
                loglevel=reflex.constants.LogLevel.INFO,
                env=reflex.constants.Env.PROD,
            )

    def _wait_frontend(self) -> None:
        self.frontend_url = f"{self.origin}/"
        get_config().deploy_url = self.origin
