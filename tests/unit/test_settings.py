"""Settings: production refuses missing or placeholder secrets; development runs on defaults."""

import pytest

from citypulse.settings import DEV_JWT_SECRET, Settings, SettingsError

GOOD_PRODUCTION = {
    "app_env": "production",
    "database_url": "postgresql+psycopg://citypulse@db/citypulse",
    "jwt_secret": "k3J9vQ2mX8pL4nR7tY1wZ5aB6cD0eF2gH4iJ8kL",
    "email_backend": "sendgrid",
    "sendgrid_api_key": "SG.real-looking-key-123",
    "public_url": "https://city-pulse.app",
}


def test_development_defaults_need_no_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APP_ENV", raising=False)
    settings = Settings(_env_file=None)
    assert settings.app_env == "development"
    assert settings.jwt_secret == DEV_JWT_SECRET
    assert settings.public_url == "http://127.0.0.1:3000"


def test_production_accepts_complete_configuration() -> None:
    settings = Settings(_env_file=None, **GOOD_PRODUCTION)
    assert settings.is_production


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("jwt_secret", "short-secret", "JWT_SECRET"),
        ("jwt_secret", DEV_JWT_SECRET, "JWT_SECRET"),
        ("jwt_secret", "please-change-me-please-change-me-please", "JWT_SECRET"),
        ("database_url", None, "DATABASE_URL"),
        ("sendgrid_api_key", None, "SENDGRID_API_KEY"),
        ("email_backend", "console", "EMAIL_BACKEND"),
        ("public_url", "http://city-pulse.app", "PUBLIC_URL"),
    ],
)
def test_production_refuses_unsafe_values(field: str, value: object, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings(_env_file=None, **{**GOOD_PRODUCTION, field: value})


def test_production_requires_google_secret_with_client_id() -> None:
    with pytest.raises(SettingsError, match="GOOGLE_CLIENT_SECRET"):
        Settings(_env_file=None, **GOOD_PRODUCTION, google_client_id="abc.apps.example")


QA_TOKEN = "qa-" + "T4kq9Lz2" * 5


def test_production_refuses_qa_mode_unless_explicitly_allowed() -> None:
    with pytest.raises(SettingsError, match="QA_MODE is refused in production"):
        Settings(_env_file=None, **GOOD_PRODUCTION, qa_mode=True, qa_token=QA_TOKEN)


def test_production_with_qa_mode_allowed_needs_a_real_token_and_may_capture_mail() -> None:
    allowed = {**GOOD_PRODUCTION, "qa_mode": True, "qa_allow_production": True}
    with pytest.raises(SettingsError, match="QA_TOKEN"):
        Settings(_env_file=None, **allowed)
    with pytest.raises(SettingsError, match="QA_TOKEN"):
        Settings(_env_file=None, **allowed, qa_token="change-me-" * 5)
    staging = Settings(
        _env_file=None, **{**allowed, "email_backend": "file", "sendgrid_api_key": None},
        qa_token=QA_TOKEN,
    )  # fmt: skip
    assert staging.qa_mode and staging.email_backend == "file"


def test_the_allowance_alone_does_not_relax_email_in_production() -> None:
    with pytest.raises(SettingsError, match="EMAIL_BACKEND"):
        Settings(
            _env_file=None, **{**GOOD_PRODUCTION, "email_backend": "file"},
            qa_allow_production=True,
        )  # fmt: skip
