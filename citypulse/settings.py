"""Application settings: every knob comes from the environment or a `.env` file.

One `Settings` class is shared by `rxconfig.py`, the services, alembic and the tests,
so Reflex and the domain code can never point at different databases.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Values that must never reach production; they only make local runs work out of the box.
DEV_JWT_SECRET = "dev-only-jwt-secret-change-me-in-production-0123456789"
PLACEHOLDER_MARKERS = ("change-me", "changeme", "placeholder", "example", "dev-only")
MIN_SECRET_BYTES = 32


class SettingsError(RuntimeError):
    """Raised when the configuration is unsafe or incomplete for the chosen mode."""


class Settings(BaseSettings):
    """All CityPulse configuration. Field names map to upper-case environment variables."""

    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env", env_file_encoding="utf-8", extra="ignore"
    )

    app_env: Literal["development", "test", "production"] = "development"
    # CityPulse's own loggers (citypulse.logs); other libraries log at WARNING and up.
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    database_url: str | None = None
    redis_url: str | None = None
    data_dir: Path = PROJECT_ROOT / ".data"
    upload_dir: Path = PROJECT_ROOT / "uploaded_files"

    # Where browsers reach the site and the backend; baked into the exported frontend.
    public_url: str = "http://127.0.0.1:3000"
    api_url: str = "http://127.0.0.1:3000"
    bind_host: str = "127.0.0.1"
    # Only behind our own reverse proxy may X-Real-IP be believed (rate limits per IP).
    trust_proxy_headers: bool = False
    frontend_port: int = 3000
    backend_port: int = 8000

    jwt_secret: str = DEV_JWT_SECRET
    jwt_issuer: str = "citypulse"

    email_backend: Literal["console", "file", "sendgrid"] = "console"
    email_from: str = "CityPulse <hello@citypulse.com>"
    sendgrid_api_key: str | None = None
    sendgrid_host: str = "https://api.sendgrid.com"

    google_client_id: str | None = None
    google_client_secret: str | None = None
    google_discovery_url: str = "https://accounts.google.com/.well-known/openid-configuration"

    seed_demo_data: bool = True
    # Tests may raise every rate limit by this factor; production must keep 1.
    rate_limit_multiplier: int = 1
    # QA mode (issue 16): the /qa/outbox capture endpoint and `cli qa-accounts` for
    # journeys run against a deployment. Never on in production unless explicitly allowed.
    qa_mode: bool = False
    qa_token: str | None = None
    qa_account_prefix: str = "qa_"
    qa_email_domain: str = "qa.citypulse.test"
    qa_allow_production: bool = False
    version: str = Field(default_factory=lambda: _package_version())

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.app_env == "production":
            problems = production_problems(self)
            if problems:
                raise SettingsError("Refusing to start in production: " + "; ".join(problems))
        return self

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"


def _package_version() -> str:
    from citypulse import __version__

    return __version__


def _is_placeholder(value: str | None) -> bool:
    return not value or any(marker in value.lower() for marker in PLACEHOLDER_MARKERS)


def production_problems(settings: Settings) -> list[str]:
    """List every reason the settings are unfit for production (empty when fit)."""
    problems = []
    if len(settings.jwt_secret.encode()) < MIN_SECRET_BYTES or _is_placeholder(settings.jwt_secret):
        problems.append(f"JWT_SECRET must be a real secret of at least {MIN_SECRET_BYTES} bytes")
    if not settings.database_url:
        problems.append("DATABASE_URL is required")
    qa_allowed = settings.qa_mode and settings.qa_allow_production
    if settings.qa_mode and not settings.qa_allow_production:
        problems.append("QA_MODE is refused in production unless QA_ALLOW_PRODUCTION=1")
    if qa_allowed and (
        len((settings.qa_token or "").encode()) < MIN_SECRET_BYTES
        or _is_placeholder(settings.qa_token)
    ):
        problems.append(f"QA_TOKEN must be a real secret of at least {MIN_SECRET_BYTES} bytes")
    # A QA deployment (staging) may capture its mail in files for /qa/outbox instead.
    captured = qa_allowed and settings.email_backend == "file"
    if settings.email_backend != "sendgrid" and not captured:
        problems.append("EMAIL_BACKEND must be 'sendgrid'")
    if settings.email_backend == "sendgrid" and _is_placeholder(settings.sendgrid_api_key):
        problems.append("SENDGRID_API_KEY is required")
    if settings.google_client_id and _is_placeholder(settings.google_client_secret):
        problems.append("GOOGLE_CLIENT_SECRET is required when GOOGLE_CLIENT_ID is set")
    if settings.rate_limit_multiplier != 1:
        problems.append("RATE_LIMIT_MULTIPLIER must be 1 (rate limits are never relaxed)")
    if not settings.public_url.startswith("https://"):
        problems.append("PUBLIC_URL must be https")
    return problems


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings (read once)."""
    return Settings()
