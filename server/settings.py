"""Configuration from environment variables, validated at start.

Every variable is documented in .env.example. A bad value stops the process
with a message naming the variable (see `load_settings`).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    database_url: str | None = Field(default=None, alias="DATABASE_URL")
    redis_url: str | None = Field(default=None, alias="REDIS_URL")
    env: Environment = Field(default=Environment.PRODUCTION, alias="STEWARD_ENV")
    data_dir: Path = Field(default=Path(".steward"), alias="STEWARD_DATA_DIR")
    host: str = Field(default="127.0.0.1", alias="STEWARD_HOST")
    port: int = Field(default=8000, ge=1, le=65535, alias="STEWARD_PORT")
    log_level: str = Field(default="INFO", alias="STEWARD_LOG_LEVEL")
    statement_timeout_ms: int = Field(
        default=15_000, ge=100, le=600_000, alias="STEWARD_STATEMENT_TIMEOUT_MS"
    )
    max_body_bytes: int = Field(default=1_000_000, ge=1024, alias="STEWARD_MAX_BODY_BYTES")
    max_query_depth: int = Field(default=12, ge=2, le=50, alias="STEWARD_MAX_QUERY_DEPTH")
    max_aliases: int = Field(default=30, ge=1, le=1000, alias="STEWARD_MAX_ALIASES")
    max_tokens: int = Field(default=3000, ge=100, alias="STEWARD_MAX_TOKENS")
    db_pool_size: int = Field(default=10, ge=1, le=200, alias="STEWARD_DB_POOL_SIZE")
    queue_name: str = Field(
        default="steward:queue", min_length=1, max_length=100, alias="STEWARD_QUEUE_NAME"
    )
    migrate_concurrency: int = Field(default=4, ge=1, le=64, alias="STEWARD_MIGRATE_CONCURRENCY")

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            # asyncpg is the only driver we run; accept the common spelling.
            value = "postgresql+asyncpg://" + value.split("://", 1)[1]
        if not value.startswith("postgresql+asyncpg://"):
            raise ValueError("must be a postgresql:// or postgresql+asyncpg:// URL")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a redis://, rediss:// or unix:// URL")
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        upper = value.upper()
        if upper not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return upper

    @property
    def development(self) -> bool:
        return self.env is Environment.DEVELOPMENT

    def with_urls(self, database_url: str, redis_url: str) -> Settings:
        """A copy pointing at the given servers (used once embedded servers started)."""
        return self.model_copy(update={"database_url": database_url, "redis_url": redis_url})


class SettingsError(SystemExit):
    """Raised with a readable message naming each bad variable."""


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment; exits with a clear message when invalid."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "?"
            field = Settings.model_fields.get(name)
            variable = field.alias if field is not None and field.alias else name
            lines.append(f"  {variable}: {err['msg']} (got {err.get('input')!r})")
        raise SettingsError("invalid configuration:\n" + "\n".join(lines)) from None
