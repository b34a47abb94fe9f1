"""Every Crewcall setting, read from the environment or a `.env` file and validated once."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from bot import clock

SETUP_HELP = "see README.md, 'Create the Slack app'"
SETTINGS_HELP = "see README.md, 'Settings'"
MAX_CLOCK_OFFSET = dt.timedelta(days=3653)


class ConfigError(Exception):
    """A missing or malformed setting; its message is the one line shown at start-up."""


class Settings(BaseSettings):
    """Crewcall's configuration: environment variables (or `.env`), names as in the README."""

    model_config = SettingsConfigDict(
        env_file=".env", env_ignore_empty=True, extra="ignore", frozen=True
    )

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_url: str = "sqlite:///crewcall.db"
    port: int = Field(default=3000, ge=1, le=65535)
    public_url: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    web_concurrency: int = Field(default=2, ge=1, le=64)
    web_threads: int = Field(default=8, ge=1, le=128)
    # Approved for the Slack Marketplace: conversations.history at Tier 3, not once a minute.
    slack_marketplace: bool = False
    # Crewcall's clock moved from the real one (ISO 8601, `P365D`): a rehearsal ahead of a
    # production's dates, or the suite's run a year ahead. Every process reads it.
    clock_offset: dt.timedelta = dt.timedelta(0)

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        return _token_with_prefix(value, ("xoxb-", "xoxe.xoxb-"), "a bot token (xoxb-...)")

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        return _token_with_prefix(value, ("xapp-",), "an app-level token (xapp-...)")

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_shape(cls, value: str) -> str:
        return _http_url(value).rstrip("/") + "/"

    @field_validator("public_url")
    @classmethod
    def _public_url_shape(cls, value: str | None) -> str | None:
        return None if value is None else _http_url(value).rstrip("/")

    @field_validator("clock_offset")
    @classmethod
    def _offset_within_reason(cls, value: dt.timedelta) -> dt.timedelta:
        if abs(value) > MAX_CLOCK_OFFSET:
            raise ValueError("must be within ten years of the real clock, e.g. P365D")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _log_level_upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _database_url_shape(cls, value: str) -> str:
        return normalise_database_url(value)

    @model_validator(mode="after")
    def _oauth_pair(self) -> Settings:
        if (self.slack_client_id is None) != (self.slack_client_secret is None):
            missing = (
                "SLACK_CLIENT_SECRET" if self.slack_client_secret is None else "SLACK_CLIENT_ID"
            )
            raise ValueError(f"{missing} must be set together with the other OAuth setting")
        return self

    @property
    def oauth(self) -> bool:
        """Installed in several workspaces through OAuth (client id and secret set)."""
        return self.slack_client_id is not None and self.slack_client_secret is not None

    def require(self, *names: str) -> None:
        """Stop with one line naming the first of `names` (field names) that is not set."""
        for name in names:
            if getattr(self, name) is None:
                hint = SETTINGS_HELP if name == "public_url" else SETUP_HELP
                raise ConfigError(f"{name.upper()} is not set; {hint}")


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning a validation failure into one ConfigError line; the
    process's clock takes their offset."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from None
    clock.set_offset(settings.clock_offset)
    return settings


def normalise_database_url(value: str) -> str:
    """Accept sqlite and PostgreSQL URLs (including Heroku's postgres://) and pin the driver."""
    if value.startswith("postgres://"):
        value = "postgresql://" + value.removeprefix("postgres://")
    try:
        url: URL = make_url(value)
    except ArgumentError:
        raise ValueError("is not a database URL, e.g. sqlite:///crewcall.db") from None
    if url.get_backend_name() == "postgresql":
        return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if url.get_backend_name() == "sqlite":
        return value
    raise ValueError("must be a sqlite:/// or postgresql:// URL")


def _token_with_prefix(
    value: SecretStr | None, prefixes: tuple[str, ...], what: str
) -> SecretStr | None:
    if value is not None and not value.get_secret_value().startswith(prefixes):
        raise ValueError(f"must be {what}")
    return value


def _http_url(value: str) -> str:
    value = value.strip()
    scheme, _, rest = value.partition("://")
    if scheme not in ("http", "https") or not rest or rest.startswith("/"):
        raise ValueError("must be an http:// or https:// URL")
    return value


def _describe(exc: ValidationError) -> str:
    error = exc.errors()[0]
    name = str(error["loc"][0]).upper() if error["loc"] else "settings"
    message = str(error["msg"]).removeprefix("Value error, ")
    if name == "settings":
        return f"{message}; {SETTINGS_HELP}"
    return f"{name} is malformed: {message[:1].lower()}{message[1:]}; {SETTINGS_HELP}"
