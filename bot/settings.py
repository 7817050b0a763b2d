"""Settings from the environment: the only module that reads it (DESIGN.md's contracts)."""

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DATABASES = ("sqlite", "postgresql")


def default_data_dir() -> Path:
    """Where the embedded SQLite database lives unless DATABASE_URL says otherwise."""
    return Path.cwd() / ".ladder"


class Settings(BaseSettings):
    """Every environment variable Ladder reads. Built once in ``main()`` and passed down."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    database_url: str = Field(default="", alias="DATABASE_URL")
    data_dir: Path = Field(default_factory=default_data_dir, alias="LADDER_DATA_DIR")
    ladder_config: Path | None = Field(default=None, alias="LADDER_CONFIG")
    log_format: str = Field(default="text", alias="LADDER_LOG_FORMAT")
    log_level: str | None = Field(default=None, alias="LADDER_LOG_LEVEL")
    # A container publishes its port from outside, so the default listens on every interface.
    http_host: str = Field(default="0.0.0.0", alias="LADDER_HTTP_HOST", min_length=1)  # noqa: S104
    http_port: int = Field(default=3000, alias="LADDER_HTTP_PORT", ge=0, le=65535)
    inbox_backlog: int = Field(default=5000, alias="LADDER_INBOX_BACKLOG", ge=1)
    public_url: str = Field(default="", alias="LADDER_PUBLIC_URL")
    secret_key: str = Field(default="", alias="LADDER_SECRET_KEY")

    slack_bot_token: str = Field(default="", alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str = Field(default="", alias="SLACK_SIGNING_SECRET")
    slack_app_token: str = Field(default="", alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")

    discord_token: str = Field(default="", alias="DISCORD_TOKEN")
    discord_api_url: str = Field(default="", alias="DISCORD_API_URL")
    discord_gateway_url: str = Field(default="", alias="DISCORD_GATEWAY_URL")

    @field_validator("log_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        if value not in ("text", "json"):
            raise ValueError(f"must be text or json (got {value[:20]!r})")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str | None) -> str | None:
        """Unset (None) lets each command choose: INFO for servers, WARNING for the rest."""
        if value is None:
            return None
        if value.strip().upper() not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)} (got {value[:20]!r})")
        return value.strip().upper()

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        """An http(s) address without query or fragment: the base of every dashboard link."""
        value = value.strip()
        if not value:
            return value
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError(
                "must be the dashboard's external address, like https://ladder.example.org "
                f"(got {value[:60]!r})"
            )
        return value.rstrip("/")

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        """A signing key short enough to guess would let anyone forge a session."""
        if value and len(value) < 32:
            raise ValueError(
                f"is {len(value)} characters: use at least 32 random ones "
                "(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        """SQLite or PostgreSQL, said before anything connects; the URL's password is never echoed."""
        if not value:
            return value
        try:
            backend = make_url(value).get_backend_name()
        except ArgumentError:
            raise ValueError(
                "not a database URL: use sqlite:///path.db or "
                "postgresql+psycopg://user:password@host/database"
            ) from None
        if backend not in DATABASES:
            raise ValueError(
                f"{backend[:20]!r} is not supported: Ladder runs on SQLite (sqlite:///path.db) "
                "or PostgreSQL (postgresql+psycopg://user:password@host/database)"
            )
        return value

    def dashboard_url(self, port: int | None = None) -> str:
        """The dashboard's external address: ``LADDER_PUBLIC_URL``, else this host and port.

        A wildcard host (0.0.0.0, ::) is no address to visit, so the default says localhost;
        ``port`` is the port actually bound when ``LADDER_HTTP_PORT`` is 0.
        """
        if self.public_url:
            return self.public_url
        host = "localhost" if self.http_host in ("0.0.0.0", "::", "") else self.http_host  # noqa: S104 - compared, not bound
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.http_port if port is None else port}"

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file under the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'ladder.db'}"
