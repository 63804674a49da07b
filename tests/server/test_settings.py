"""Configuration: validated at start, every variable documented."""

from pathlib import Path

import pytest

from server.settings import Settings, SettingsError, load_settings

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


def test_postgres_urls_are_normalised_to_asyncpg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEWARD_ENV", "test")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h:5432/d")
    assert load_settings().database_url == "postgresql+asyncpg://u@h:5432/d"
