"""Reflex configuration, read from the same settings as the services."""

import os

import reflex as rx
from reflex.constants import StateManagerMode

from citypulse.components.tokens import ACCENT
from citypulse.critical_css import CriticalCssPlugin
from citypulse.settings import get_settings

_settings = get_settings()
# Reflex serves /_upload from this folder; the media layer writes to the same one.
os.environ.setdefault("REFLEX_UPLOADED_FILES_DIR", str(_settings.upload_dir))

# Tab states (issue 8): in this process's memory, or in Redis when REDIS_URL is set (the
# only way to run several workers; production does). Never Reflex's disk manager, the
# default without Redis: it lists and stats every pickle in .states/ on each write pass,
# so every visitor ever seen slows every later event. A tab state untouched for an hour
# is dropped in both modes (memory: by an expiry task; Redis: by key expiry).
STATE_MANAGER_MODE = StateManagerMode.REDIS if _settings.redis_url else StateManagerMode.MEMORY
TAB_STATE_TTL_SECONDS = 60 * 60

config = rx.Config(
    app_name="citypulse",
    # No db_url on purpose: the services own the engine (citypulse.db, same settings), and
    # Reflex's own schema check would misreport alembic-managed expression indexes.
    redis_url=_settings.redis_url,
    state_manager_mode=STATE_MANAGER_MODE,
    redis_token_expiration=TAB_STATE_TTL_SECONDS,  # Reflex uses it for memory mode too
    api_url=_settings.api_url,
    deploy_url=_settings.public_url,
    backend_host=_settings.bind_host,
    # No frontend_port: Reflex refuses `--backend-only` when one is configured; `make run`
    # passes the single prod-mode port on the command line instead.
    backend_port=_settings.backend_port,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    default_color_mode="system",
    cors_allowed_origins=[_settings.public_url],
    plugins=[
        rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color=ACCENT, radius="medium")),
        CriticalCssPlugin(),  # prerendered pages paint without waiting for the stylesheet
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
