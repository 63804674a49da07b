"""Configuration from environment variables, validated at start.

Every variable is documented in .env.example. A bad value stops the process
with a message naming the variable (see `load_settings`).
"""

from __future__ import annotations

from enum import StrEnum
from ipaddress import ip_network
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from jobs.config import DEFAULT_JOB_TIMEOUT_S
from tenants.roles import TenantRoleLogin
from tenants.services.secret_box import SecretBox, SecretKeyError


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
    rate_limit_per_principal: int = Field(
        default=1200, ge=1, alias="STEWARD_RATE_LIMIT_PER_PRINCIPAL"
    )
    rate_limit_per_address: int = Field(default=60, ge=1, alias="STEWARD_RATE_LIMIT_PER_ADDRESS")
    cors_origins: str = Field(
        default="",
        alias="STEWARD_CORS_ORIGINS",
        description="Comma-separated origins of the front end allowed to call the API.",
    )
    # Only documents registered with `steward documents register` run on POST /graphql
    # (server/middleware/persisted_documents.py); requests register no new ones.
    trusted_documents_only: bool = Field(default=False, alias="STEWARD_TRUSTED_DOCUMENTS_ONLY")
    migrate_concurrency: int = Field(default=4, ge=1, le=64, alias="STEWARD_MIGRATE_CONCURRENCY")
    # May tenant roles log in (tenants/roles.py)? auto: only when the database runs Citus,
    # which opens worker connections as the tenant role; never with a password. Before
    # `login` or Citus, apply the pg_hba rules of infra/SCALE_OUT.md (threat model).
    tenant_role_login: TenantRoleLogin = Field(
        default=TenantRoleLogin.AUTO, alias="STEWARD_TENANT_ROLE_LOGIN"
    )
    # How query operations are read (schema/compiled): `compiled` answers them with one SQL
    # statement per root field; `ordinary` runs every operation on Strawberry's executor;
    # `differential` runs both, answers with the compiled one and logs any difference
    # (the test suite's mode, so every read document it sends is a differential test).
    read_path: str = Field(
        default="compiled", pattern="^(compiled|ordinary|differential)$", alias="STEWARD_READ_PATH"
    )
    # In `differential` mode, each differing answer is appended to this file as a JSON line.
    read_path_diff_log: Path | None = Field(default=None, alias="STEWARD_READ_PATH_DIFF_LOG")
    # Fernet key(s) encrypting identity-provider client and webhook secrets, newest first,
    # comma-separated. Required in production; elsewhere a key is generated
    # once under STEWARD_DATA_DIR (server/auth/secret_key.py).
    secret_key: SecretStr | None = Field(default=None, alias="STEWARD_SECRET_KEY")
    # The origin browsers use to reach Steward; redirect URIs are built from it.
    # Required in production; elsewhere the request's own origin is used.
    public_url: str | None = Field(default=None, alias="STEWARD_PUBLIC_URL")
    # Where a browser goes after a login that named no `next` (else /auth/<tenant>/signed-in).
    frontend_url: str | None = Field(default=None, alias="STEWARD_FRONTEND_URL")
    session_idle_minutes: int = Field(
        default=30, ge=1, le=24 * 60, alias="STEWARD_SESSION_IDLE_MINUTES"
    )
    session_max_hours: int = Field(default=12, ge=1, le=30 * 24, alias="STEWARD_SESSION_MAX_HOURS")
    login_ttl_seconds: int = Field(default=600, ge=30, le=3600, alias="STEWARD_LOGIN_TTL_SECONDS")
    # Days a sign-in attempt (`signInAttempts`) is kept; the worker's sweeper prunes older.
    signin_attempt_retention_days: int = Field(
        default=90, ge=1, le=3650, alias="STEWARD_SIGNIN_ATTEMPT_RETENTION_DAYS"
    )
    oidc_timeout_seconds: float = Field(
        default=10.0, gt=0, le=60, alias="STEWARD_OIDC_TIMEOUT_SECONDS"
    )
    oidc_metadata_ttl_seconds: int = Field(
        default=3600, ge=0, le=86_400, alias="STEWARD_OIDC_METADATA_TTL_SECONDS"
    )
    jwks_min_refresh_seconds: float = Field(
        default=30.0, ge=0, le=3600, alias="STEWARD_JWKS_MIN_REFRESH_SECONDS"
    )
    id_token_leeway_seconds: int = Field(
        default=60, ge=0, le=300, alias="STEWARD_ID_TOKEN_LEEWAY_SECONDS"
    )
    # Addresses or CIDRs of the reverse proxies whose X-Forwarded-For (and -Proto) is
    # believed, comma-separated; none by default (server/middleware/forwarded.py).
    trusted_proxies: str = Field(default="", alias="STEWARD_TRUSTED_PROXIES")
    # On SIGTERM: seconds in-flight requests (and a worker's running jobs) get to finish.
    shutdown_grace_s: int = Field(default=20, ge=0, le=3600, alias="STEWARD_SHUTDOWN_GRACE_S")
    # Bearer credential of the operator view `GET /status` (server/health.py); unset: no view.
    operator_token: SecretStr | None = Field(default=None, alias="STEWARD_OPERATOR_TOKEN")
    # Prometheus text on these ports (server/observability/, jobs/metrics.py), bound to
    # STEWARD_HOST: the API's and the worker's. Unset: no metrics port. Operator network only.
    metrics_port: int | None = Field(default=None, ge=1, le=65535, alias="STEWARD_METRICS_PORT")
    worker_metrics_port: int | None = Field(
        default=None, ge=1, le=65535, alias="STEWARD_WORKER_METRICS_PORT"
    )
    # OpenTelemetry traces (server/observability/tracing.py): off unless an OTLP endpoint or
    # an exporter is named. The SDK reads the other OTEL_* variables from the environment.
    otel_endpoint: str | None = Field(default=None, alias="OTEL_EXPORTER_OTLP_ENDPOINT")
    otel_traces_endpoint: str | None = Field(
        default=None, alias="OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
    )
    otel_traces_exporter: str | None = Field(
        default=None, pattern="^(otlp|console|none)$", alias="OTEL_TRACES_EXPORTER"
    )
    otel_service_name: str | None = Field(default=None, alias="OTEL_SERVICE_NAME")
    otel_sdk_disabled: bool = Field(default=False, alias="OTEL_SDK_DISABLED")
    # Seconds a job may run before it ends FAILED; a job killed with its worker goes to
    # another worker once arq's in-progress key expires (this timeout + 10 s).
    job_timeout_s: int = Field(
        default=DEFAULT_JOB_TIMEOUT_S, ge=5, le=3600, alias="STEWARD_JOB_TIMEOUT_S"
    )
    # Hours a finished export's file stays downloadable; then the sweeper deletes it.
    export_ttl_hours: int = Field(default=24, ge=1, le=720, alias="STEWARD_EXPORT_TTL_HOURS")
    # Tests only (refused in production): a readiness job sleeps this long once RUNNING, so
    # a test can kill its worker or reach its timeout mid-job.
    test_job_delay_s: float = Field(default=0.0, ge=0, le=3600, alias="STEWARD_TEST_JOB_DELAY_S")

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

    @field_validator("secret_key")
    @classmethod
    def _secret_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        try:
            SecretBox.from_setting(value.get_secret_value())
        except SecretKeyError as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http(s) origin such as https://steward.example.com")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ValueError("must be an origin only, without path, query or fragment")
        return f"{parts.scheme}://{parts.netloc}"

    @field_validator("frontend_url")
    @classmethod
    def _frontend_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http(s) URL such as https://app.example.com/")
        if parts.query or parts.fragment:
            raise ValueError("must not carry a query or fragment")
        return value

    @model_validator(mode="after")
    def _production_needs(self) -> Settings:
        if self.env is not Environment.PRODUCTION:
            return self
        if self.test_job_delay_s:
            raise ValueError("STEWARD_TEST_JOB_DELAY_S is only allowed outside production")
        missing = [
            name
            for name, value in (
                ("STEWARD_SECRET_KEY", self.secret_key),
                ("STEWARD_PUBLIC_URL", self.public_url),
            )
            if value is None
        ]
        if missing:
            raise ValueError(f"{' and '.join(missing)} must be set when STEWARD_ENV=production")
        if self.public_url is not None and not self.public_url.startswith("https://"):
            raise ValueError("STEWARD_PUBLIC_URL must be https:// when STEWARD_ENV=production")
        return self

    @field_validator("cors_origins")
    @classmethod
    def _cors_origins(cls, value: str) -> str:
        for origin in filter(None, (o.strip() for o in value.split(","))):
            if origin == "*" or not origin.startswith(("https://", "http://")):
                raise ValueError(f"{origin!r} is not an origin like https://app.example.com")
        return value

    @field_validator(
        "metrics_port",
        "worker_metrics_port",
        "otel_endpoint",
        "otel_traces_endpoint",
        "otel_traces_exporter",
        "otel_service_name",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("otel_endpoint", "otel_traces_endpoint")
    @classmethod
    def _otlp_endpoint(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in ("http", "https"):
            raise ValueError("must be an http(s) URL such as http://collector:4318")
        return value

    @model_validator(mode="after")
    def _distinct_ports(self) -> Settings:
        ports = [p for p in (self.port, self.metrics_port, self.worker_metrics_port) if p]
        if len(set(ports)) != len(ports):
            raise ValueError(
                "STEWARD_PORT, STEWARD_METRICS_PORT and STEWARD_WORKER_METRICS_PORT must differ"
            )
        return self

    @property
    def tracing(self) -> bool:
        """Whether traces are exported (OTEL_SDK_DISABLED and OTEL_TRACES_EXPORTER=none win)."""
        if self.otel_sdk_disabled or self.otel_traces_exporter == "none":
            return False
        return bool(self.otel_traces_exporter or self.otel_endpoint or self.otel_traces_endpoint)

    @property
    def otel_traces_url(self) -> str | None:
        if self.otel_traces_endpoint:
            return self.otel_traces_endpoint
        if self.otel_endpoint:
            return self.otel_endpoint.rstrip("/") + "/v1/traces"
        return None

    @field_validator("trusted_proxies")
    @classmethod
    def _trusted_proxies(cls, value: str) -> str:
        for entry in filter(None, (e.strip() for e in value.split(","))):
            try:
                ip_network(entry, strict=True)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an IP address or CIDR such as 10.0.0.0/8"
                ) from None
        return value

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [e.strip() for e in self.trusted_proxies.split(",") if e.strip()]

    @field_validator("operator_token")
    @classmethod
    def _operator_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if len(value.get_secret_value().strip()) < 32:
            raise ValueError("must be at least 32 characters (e.g. `openssl rand -hex 32`)")
        return SecretStr(value.get_secret_value().strip())

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]

    @property
    def development(self) -> bool:
        return self.env is Environment.DEVELOPMENT

    @property
    def production(self) -> bool:
        """Secure cookies and https-only identity providers; the strict setting."""
        return self.env is Environment.PRODUCTION

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
            if not err["loc"]:  # a rule across variables names them in its message
                lines.append(f"  {err['msg'].removeprefix('Value error, ')}")
                continue
            name = str(err["loc"][0])
            field = Settings.model_fields.get(name)
            variable = field.alias if field is not None and field.alias else name
            hidden = "secret" in name.lower() or "token" in name.lower()
            shown = "<hidden>" if hidden else repr(err.get("input"))
            lines.append(f"  {variable}: {err['msg']} (got {shown})")
        raise SettingsError("invalid configuration:\n" + "\n".join(lines)) from None
