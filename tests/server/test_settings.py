"""Configuration: validated at start, every variable documented."""

from pathlib import Path

import pytest

from server.settings import Settings, SettingsError, load_settings
from tenants.roles import TenantRoleLogin

ROOT = Path(__file__).resolve().parents[2]


def test_every_variable_is_documented_in_env_example() -> None:
    documented = (ROOT / ".env.example").read_text()
    variables = {f.alias for f in Settings.model_fields.values() if f.alias}
    missing = sorted(v for v in variables if f"{v}=" not in documented)
    assert missing == []


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("STEWARD_PORT", "eighty"),
        ("DATABASE_URL", "mysql://x"),
        ("REDIS_URL", "http://x"),
        ("STEWARD_LOG_LEVEL", "LOUD"),
        ("STEWARD_CORS_ORIGINS", "*"),
        ("STEWARD_STATEMENT_TIMEOUT_MS", "5"),
        ("STEWARD_TRUSTED_PROXIES", "*"),
        ("STEWARD_TRUSTED_PROXIES", "10.0.0.1/8"),
        ("STEWARD_TRUSTED_PROXIES", "10.0.0.1, proxy.internal"),
        ("STEWARD_SHUTDOWN_GRACE_S", "-1"),
        ("STEWARD_OPERATOR_TOKEN", "short"),
        ("STEWARD_METRICS_PORT", "8000"),  # the API's own port
        ("STEWARD_WORKER_METRICS_PORT", "70000"),
        ("OTEL_TRACES_EXPORTER", "jaeger"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"),
        ("STEWARD_JOB_TIMEOUT_S", "2"),
        ("STEWARD_JOB_TIMEOUT_S", "soon"),
        ("STEWARD_TEST_JOB_DELAY_S", "-1"),
        ("STEWARD_TENANT_ROLE_LOGIN", "yes"),
    ],
)
def test_a_bad_value_stops_with_a_message_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv("STEWARD_ENV", "test")
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert variable in str(raised.value)


def test_traces_are_off_unless_an_endpoint_or_exporter_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STEWARD_ENV", "test")
    assert not load_settings().tracing
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/")
    assert load_settings().tracing
    assert load_settings().otel_traces_url == "http://collector:4318/v1/traces"
    monkeypatch.setenv("OTEL_SDK_DISABLED", "true")
    assert not load_settings().tracing


def test_postgres_urls_are_normalised_to_asyncpg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEWARD_ENV", "test")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h:5432/d")
    assert load_settings().database_url == "postgresql+asyncpg://u@h:5432/d"


def test_trusted_proxies_take_addresses_and_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEWARD_ENV", "test")
    monkeypatch.setenv("STEWARD_TRUSTED_PROXIES", " 10.0.0.0/8, 192.0.2.7 ,fd00::/8,")
    assert load_settings().trusted_proxy_list == ["10.0.0.0/8", "192.0.2.7", "fd00::/8"]
    monkeypatch.delenv("STEWARD_TRUSTED_PROXIES")
    assert load_settings().trusted_proxy_list == []


def test_an_invalid_operator_token_is_not_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEWARD_ENV", "test")
    monkeypatch.setenv("STEWARD_OPERATOR_TOKEN", "hunter2hunter2")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert "STEWARD_OPERATOR_TOKEN" in str(raised.value)
    assert "hunter2" not in str(raised.value)


def test_production_refuses_the_test_only_job_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    from cryptography.fernet import Fernet

    monkeypatch.setenv("STEWARD_ENV", "production")
    monkeypatch.setenv("STEWARD_SECRET_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("STEWARD_PUBLIC_URL", "https://steward.example.com")
    assert load_settings().test_job_delay_s == 0
    monkeypatch.setenv("STEWARD_TEST_JOB_DELAY_S", "5")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert "STEWARD_TEST_JOB_DELAY_S is only allowed outside production" in str(raised.value)


def test_tenant_roles_log_in_only_on_citus_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEWARD_ENV", "test")
    monkeypatch.delenv("STEWARD_TENANT_ROLE_LOGIN", raising=False)
    assert load_settings().tenant_role_login is TenantRoleLogin.AUTO
    monkeypatch.setenv("STEWARD_TENANT_ROLE_LOGIN", "nologin")
    assert load_settings().tenant_role_login is TenantRoleLogin.NOLOGIN
